// `tagsmith data export-labels`: the reviewers' decisions as labeled content for the next model (feedback/
// qa-labels.ts), with a provenance file beside it.

import { Command } from "commander";
import { contentFileFormat, contentFileText } from "../data/index.js";
import { TagsmithError } from "../errors.js";
import { provenanceDocument, provenanceFile, qaDataset } from "../feedback/index.js";
import { checkOutFiles, writeFilesAtomic } from "../files/index.js";
import { storeInputs, storeOption, withStore } from "./content-store.js";
import { action, EXIT, printJson } from "./run.js";

export function exportLabelsCommand(): Command {
  return new Command("export-labels")
    .description(
      "write QA'd labels as content (every item a reviewer decided on: its final tags plus tags decided to apply, minus tags decided not to), to train on with the gold data; each label's reviewer, time and rule go to NAME.provenance.json",
    )
    .requiredOption(
      "--out <file>",
      "content file to write: .json or .jsonl; a file already there (or its provenance file) only with --force",
    )
    .addOption(storeOption("read"))
    .option(
      "--force",
      "replace --out and its provenance file if they exist (never a file of the content store)",
    )
    .option("--json", "print the summary as JSON")
    .action(
      action(async (opts) => {
        // Checked before the store is read: a name that cannot be written says so first, and a curated file of that
        // name, or the store's own, is never lost.
        contentFileFormat(opts.out);
        const sidecar = provenanceFile(opts.out);
        const replace = Boolean(opts.force);
        await checkOutFiles([opts.out, sidecar], {
          force: replace,
          reads: storeInputs(opts.store),
        });
        const dataset = await withStore(
          opts.store,
          async (store) => {
            const { labels, contents } = await store.qaLabelsWithContent();
            return qaDataset(contents, labels);
          },
          { existing: true },
        );
        if (dataset.items.length === 0)
          throw new TagsmithError(
            "invalid_input",
            "no reviewer has decided a review item yet: there are no QA'd labels to export (decide items in the admin console, or POST /v1/admin/review/{id}/decision)",
          );
        // Both files as one write: a provenance that cannot be written fails before either file is replaced (the
        // labels are never without it, and --force loses no earlier export); replace: false keeps a file that
        // appeared since the check, too.
        await writeFilesAtomic(
          [
            { file: opts.out, content: contentFileText(opts.out, dataset.items) },
            {
              file: sidecar,
              content: `${JSON.stringify(provenanceDocument(opts.out, dataset, new Date().toISOString()), null, 2)}\n`,
            },
          ],
          { replace },
        );
        const summary = {
          out: opts.out,
          provenance: sidecar,
          items: dataset.items.length,
          labels: dataset.provenance.length,
          applies: dataset.provenance.filter((l) => l.applies).length,
        };
        if (opts.json) printJson(summary);
        else
          process.stdout.write(
            `${summary.items} items, ${summary.labels} QA'd labels (${summary.applies} apply, ${summary.labels - summary.applies} do not) -> ${summary.out}\nprovenance -> ${summary.provenance}\n`,
          );
        return EXIT.ok;
      }),
    );
}
