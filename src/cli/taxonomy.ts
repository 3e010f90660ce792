// `tagsmith taxonomy changes`: curators' pending proposals for unapproved tags, written as a taxonomy overlay
// (feedback/taxonomy-overlay.ts) to review and commit like any change, then train and serve with --overlay.

import { Command } from "commander";
import { TagsmithError } from "../errors.js";
import { overlayFromChanges, type TagOverlay } from "../feedback/index.js";
import { checkOutFiles, describeIssues, fileIdentity, writeFileAtomic } from "../files/index.js";
import {
  applyOverlay,
  loadTaxonomy,
  type TagDefinition,
  TagOverlaySchema,
  Taxonomy,
} from "../taxonomy/index.js";
import { storeInputs, storeOption, withStore } from "./content-store.js";
import { overlayOption } from "./options.js";
import { action, EXIT, printJson } from "./run.js";

/**
 * The taxonomy with the overlay applied, as `--taxonomy T [--overlay O ...] --overlay OUT` would load it. A proposal that does not
 * apply is an error about the taxonomy given (an alias of a tag it lacks: not the taxonomy the service runs with),
 * raised before the overlay is written.
 */
function appliedTo(
  definitions: readonly TagDefinition[],
  overlay: readonly TagOverlay[],
  files: { taxonomy: string; out: string },
): Taxonomy {
  const where = { file: files.taxonomy };
  const doesNotApply = (why: string) =>
    new TagsmithError(
      "invalid_taxonomy",
      `the store's pending proposals do not apply to this taxonomy (${why}); give the taxonomy (and --overlay files) the service runs with. Nothing was written to ${files.out}`,
      where,
    );
  const entries = overlay.map((entry, i) => {
    const parsed = TagOverlaySchema.safeParse(entry);
    if (!parsed.success)
      throw doesNotApply(`proposal ${i + 1} (${entry.tag}): ${describeIssues(parsed.error)}`);
    return parsed.data;
  });
  try {
    return new Taxonomy(applyOverlay(definitions, entries, PROPOSALS));
  } catch (error) {
    if (!(error instanceof TagsmithError)) throw error;
    throw doesNotApply(error.problem);
  }
}

/** The overlay's name for applyOverlay's messages, left out of ours (error.problem), as the overlay is not a file yet. */
const PROPOSALS = "proposals";

export function taxonomyCommand(): Command {
  const taxonomy = new Command("taxonomy").description(
    "changes to the approved tag list that curators proposed in the admin console",
  );

  taxonomy
    .command("changes")
    .description(
      'write the pending proposals as a taxonomy overlay: an alias joins its approved tag; an approved candidate is a new tag marked "new": true. Review and commit the file, then use it with --overlay',
    )
    .requiredOption(
      "--out <file>",
      "overlay file to write (JSON); a file already there only with --force",
    )
    .addOption(storeOption("read"))
    .option(
      "--force",
      "replace --out if it exists (never the --taxonomy file, nor a file of the content store)",
    )
    .option(
      "--taxonomy <file>",
      "check that the overlay applies to this taxonomy (aliases join tags it has; new tags are not in it yet)",
    )
    .addOption(
      overlayOption(
        "with --taxonomy: an overlay the service's taxonomy already has (an earlier round's changes, say), applied before the proposals; repeat for several, in order",
      ),
    )
    .option("--json", "print the overlay as JSON too")
    .action(
      action(async (opts) => {
        // Everything is checked before --out is written: the taxonomy, the store, the overlay on the taxonomy.
        const overlays: string[] = opts.overlay ?? [];
        if (!opts.taxonomy && overlays.length > 0)
          throw new TagsmithError(
            "usage",
            "--overlay needs --taxonomy: the overlays it names are applied to that taxonomy before the proposals",
          );
        const out = await fileIdentity(opts.out);
        for (const [option, file] of [
          ["--taxonomy", opts.taxonomy],
          ...overlays.map((o) => ["--overlay", o]),
        ])
          if (file && (await fileIdentity(file)) === out)
            throw new TagsmithError(
              "usage",
              `--out ${opts.out} is the ${option} file: the overlay would replace that file; write it to a file of its own, e.g. overlay.json`,
            );
        // An overlay there may be one a curator edited and has not committed yet: kept unless --force.
        const replace = Boolean(opts.force);
        await checkOutFiles([opts.out], {
          force: replace,
          reads: storeInputs(opts.store),
        });
        const definitions = opts.taxonomy
          ? (await loadTaxonomy(opts.taxonomy, overlays)).definitions
          : null;
        const changes = await withStore(opts.store, (store) => store.taxonomyChanges(), {
          existing: true,
        });
        const overlay = overlayFromChanges(changes);
        const applied = definitions
          ? appliedTo(definitions, overlay, { taxonomy: opts.taxonomy, out: opts.out })
          : null;
        await writeFileAtomic(opts.out, `${JSON.stringify(overlay, null, 2)}\n`, { replace });
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
