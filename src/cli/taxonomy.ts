// `tagsmith taxonomy changes`: curators' pending proposals for unapproved tags, written as a taxonomy overlay
// (feedback/taxonomy-overlay.ts) to review and commit like any change, then train and serve with --overlay.

import { Command } from "commander";
import { overlayFromChanges } from "../feedback/index.js";
import { writeFileAtomic } from "../files/index.js";
import { loadTaxonomy } from "../taxonomy/index.js";
import { storeOption, withStore } from "./content-store.js";
import { action, EXIT, printJson } from "./run.js";

export function taxonomyCommand(): Command {
  const taxonomy = new Command("taxonomy").description(
    "changes to the approved tag list that curators proposed in the admin console",
  );

  taxonomy
    .command("changes")
    .description(
      'write the pending proposals as a taxonomy overlay: an alias joins its approved tag; an approved candidate is a new tag marked "new": true. Review and commit the file, then use it with --overlay',
    )
    .requiredOption("--out <file>", "overlay file to write (JSON)")
    .addOption(storeOption("read"))
    .option(
      "--taxonomy <file>",
      "check that the overlay applies to this taxonomy (aliases join tags it has; new tags are not in it yet)",
    )
    .option("--json", "print the overlay as JSON too")
    .action(
      action(async (opts) => {
        const changes = await withStore(opts.store, (store) => store.taxonomyChanges(), {
          existing: true,
        });
        const overlay = overlayFromChanges(changes);
        await writeFileAtomic(opts.out, `${JSON.stringify(overlay, null, 2)}\n`);
        const applied = opts.taxonomy ? await loadTaxonomy(opts.taxonomy, opts.out) : null;
        if (opts.json) printJson(overlay);
        else {
          const added = changes.filter((c) => c.action === "approve").length;
          process.stdout.write(
            changes.length === 0
              ? `no pending proposals: wrote an empty overlay to ${opts.out}\n`
              : `${added} new tag(s), ${changes.length - added} alias(es) -> ${opts.out}${applied ? ` (applies to ${opts.taxonomy}: ${applied.size} tags)` : ""}\n`,
          );
        }
        return EXIT.ok;
      }),
    );

  return taxonomy;
}
