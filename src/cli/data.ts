// `tagsmith data ...`: validate, split, stats, fetch. Each command is a few lines over functions in data/ and taxonomy/.

import { lstat } from "node:fs/promises";
import { join } from "node:path";
import { Command, Option } from "commander";
import {
  checkPartNames,
  checkRatios,
  type DatasetStats,
  DEFAULT_FETCH_TIMEOUT_MS,
  DEFAULT_VALIDATION,
  datasetSource,
  datasetStats,
  fetchDataset,
  findLeaks,
  labelsOf,
  loadContent,
  readContent,
  splitContent,
  validateContent,
  writeContentFiles,
} from "../data/index.js";
import { TagsmithError } from "../errors.js";
import { assertWritableDir, fileIdentity } from "../files/index.js";
import { loadTaxonomy } from "../taxonomy/index.js";
import { taxonomyFor } from "../train/index.js";
import { exportLabelsCommand } from "./labels.js";
import { fraction, list, overlayOption, positiveInteger, ratios, seed } from "./options.js";
import { action, EXIT, printJson } from "./run.js";
import { renderValidationReport } from "./validation-report.js";

/**
 * Refuses to split into files that exist: a part never replaces a file, least of all the data being split (or the
 * taxonomy it is stratified on), which would be lost. Named, with how to go on.
 */
async function refuseExistingParts(
  files: Readonly<Record<string, string>>,
  opts: { out: string; data: string; taxonomy?: string },
): Promise<void> {
  const inputs = [
    { option: "--data", file: opts.data },
    ...(opts.taxonomy ? [{ option: "--taxonomy", file: opts.taxonomy }] : []),
  ];
  const identities = await Promise.all(inputs.map(({ file }) => fileIdentity(file)));
  const existing: string[] = [];
  for (const [name, file] of Object.entries(files)) {
    const there = await lstat(file).catch(() => null);
    if (!there) continue;
    const input = inputs[identities.indexOf(await fileIdentity(file))];
    if (input)
      throw new TagsmithError(
        "conflict",
        `the ${name} part would overwrite the input file ${file} (${input.option}${input.file === file ? "" : ` ${input.file}`}): data split never overwrites a file; choose another --out, e.g. a new directory`,
      );
    existing.push(file);
  }
  if (existing.length > 0) {
    const [one] = existing;
    throw new TagsmithError(
      "conflict",
      existing.length === 1
        ? `${one} already exists: data split never overwrites a file; choose another --out (e.g. a new directory), or remove it first`
        : `${existing.slice(0, -1).join(", ")} and ${existing.at(-1)} already exist: data split never overwrites a file; choose another --out (e.g. a new directory), or remove them first`,
    );
  }
}

/**
 * `data stats` for a person: the --json fields in words, dates as days. "Gold" tags are the approved ones and their
 * ancestors; without a taxonomy every tag of the data counts as approved, and the first line says so.
 */
function statsText(stats: DatasetStats, taxonomy: string | undefined): string {
  const day = (iso: string) => iso.slice(0, 10);
  return [
    `approved tags: ${taxonomy ?? "every tag in the data (no --taxonomy)"}`,
    `items: ${stats.items} (${stats.labeledItems} with a gold tag)`,
    `dates: ${stats.dateRange ? `${day(stats.dateRange.from)} to ${day(stats.dateRange.to)}` : "none"}`,
    `distinct tags: ${stats.distinctTags} (${stats.distinctGoldTags} gold: approved, or ancestors of approved)`,
    `tags per item: ${stats.cardinality.tags} as given; ${stats.cardinality.gold} gold per item with one`,
    `density: ${stats.density} (gold tags per item with one, as a share of all approved tags)`,
    `fingerprint: ${stats.fingerprint}`,
    "",
  ].join("\n");
}

export function dataCommand(): Command {
  const data = new Command("data").description("check, split and describe labeled content");

  data
    .command("validate")
    .description(
      "report schema errors, duplicates, short texts, unlabeled items, unapproved tags and taxonomy problems",
    )
    .requiredOption("--data <file>", "content file: .json array, .jsonl or .csv")
    .requiredOption(
      "--taxonomy <file>",
      "approved tags: [{tag, aliases, parents, category?, description?}]",
    )
    .addOption(overlayOption())
    .option(
      "--min-words <n>",
      "texts with fewer words are reported as short",
      positiveInteger,
      DEFAULT_VALIDATION.minWords,
    )
    .option(
      "--rare <n>",
      "tags with fewer items are reported as rare",
      positiveInteger,
      DEFAULT_VALIDATION.rareTagCount,
    )
    .option(
      "--similarity <x>",
      "near-duplicate threshold (shingle Jaccard)",
      fraction,
      DEFAULT_VALIDATION.nearDuplicateThreshold,
    )
    .option("--json", "print the report as JSON")
    .action(
      action(async (opts) => {
        const taxonomy = await loadTaxonomy(opts.taxonomy, opts.overlay);
        const report = validateContent(await readContent(opts.data), taxonomy, {
          ...DEFAULT_VALIDATION,
          minWords: opts.minWords,
          rareTagCount: opts.rare,
          nearDuplicateThreshold: opts.similarity,
        });
        if (opts.json) printJson(report);
        else process.stdout.write(renderValidationReport(report, opts.data));
        return report.ok ? EXIT.ok : EXIT.findings;
      }),
    );

  data
    .command("split")
    .description(
      "split content into files by time, randomly, or stratified by tags; checks for leakage across them",
    )
    .requiredOption("--data <file>", "content file: .json array, .jsonl or .csv")
    .requiredOption("--out <dir>", "directory for the split files")
    .addOption(
      new Option("--by <method>", "how to split")
        .choices(["time", "random", "stratified"])
        .default("time"),
    )
    // Defaults of lists described as they are typed, not as commander would print them (JSON arrays).
    .addOption(
      new Option("--ratios <list>", "part sizes, summing to 1")
        .argParser(ratios)
        .default([0.7, 0.15, 0.15], "0.7,0.15,0.15"),
    )
    .addOption(
      new Option("--names <list>", "part names (file names)")
        .argParser(list)
        .default(["train", "tune", "test"], "train,tune,test"),
    )
    .option("--taxonomy <file>", "stratify on gold labels of this taxonomy (default: every tag)")
    .addOption(overlayOption())
    .option("--seed <n>", "seed for random and stratified splits", seed, 42)
    .addOption(
      new Option("--format <ext>", "output format").choices(["json", "jsonl"]).default("json"),
    )
    .option("--json", "print the summary as JSON")
    .action(
      action(async (opts, command: Command) => {
        // In the order of the options: --ratios, then --names against it, then the files they name.
        checkRatios(opts.ratios);
        if (opts.names.length !== opts.ratios.length) {
          const given = (option: string) =>
            command.getOptionValueSource(option) === "cli" ? "" : " (the default)";
          throw new TagsmithError(
            "usage",
            `--ratios ${opts.ratios.join(",")}${given("ratios")} has ${opts.ratios.length} parts but --names ${opts.names.join(",")}${given("names")} has ${opts.names.length} names: give one name per part`,
          );
        }
        // two parts of one name would write one file, the second overwriting the first
        if (new Set(opts.names).size !== opts.names.length) {
          throw new TagsmithError(
            "usage",
            `--names ${opts.names.join(",")} repeats a name: give each part its own name`,
          );
        }
        checkPartNames(opts.names);
        const files: Record<string, string> = Object.fromEntries(
          opts.names.map((name: string) => [name, join(opts.out, `${name}.${opts.format}`)]),
        );
        await refuseExistingParts(files, opts);
        await assertWritableDir(opts.out);
        const { items, labelMode } = await loadContent(opts.data);
        const taxonomy = await taxonomyFor(items, opts.taxonomy, opts.overlay);
        const parts = inFile(opts.data, () =>
          splitContent(items, opts.by, opts.ratios, {
            seed: opts.seed,
            labelsOf: (i) => labelsOf(i, taxonomy).gold,
          }),
        );
        const splits = parts.map((part, i) => ({ name: opts.names[i] as string, items: part }));
        // replace: false, so a file that appeared since the check above is kept too.
        await writeContentFiles(
          splits.map(({ name, items: part }) => ({ file: files[name] as string, items: part })),
          { labelMode, replace: false },
        );
        const leaks = findLeaks(splits);
        const summary = {
          method: opts.by,
          parts: splits.map(({ name, items: part }) => ({
            name,
            items: part.length,
            file: files[name],
          })),
          leaks,
        };
        if (opts.json) printJson(summary);
        else {
          for (const p of summary.parts)
            process.stdout.write(`${p.name}: ${p.items} items -> ${p.file}\n`);
          process.stdout.write(
            leaks.length === 0
              ? "no leakage: no item appears, or nearly appears, in two parts\n"
              : `LEAKAGE: ${leaks.length} item pair(s) across parts:\n${leaks
                  .map(
                    (l) =>
                      `  ${l.kind}: ${l.a.split}/${l.a.id} ~ ${l.b.split}/${l.b.id}${l.similarity ? ` (${l.similarity})` : ""}`,
                  )
                  .join("\n")}\n`,
          );
        }
        return leaks.length === 0 ? EXIT.ok : EXIT.findings;
      }),
    );

  data
    .command("stats")
    .description("counts, label cardinality and the dataset fingerprint")
    .requiredOption("--data <file>", "content file: .json array, .jsonl or .csv")
    .option("--taxonomy <file>", "approved tags (default: every tag in the data)")
    .addOption(overlayOption())
    .option("--json", "print as JSON")
    .action(
      action(async (opts) => {
        const { items } = await loadContent(opts.data);
        const stats = datasetStats(items, await taxonomyFor(items, opts.taxonomy, opts.overlay));
        if (opts.json) printJson(stats);
        else process.stdout.write(statsText(stats, opts.taxonomy));
        return EXIT.ok;
      }),
    );

  data
    .command("fetch")
    .description(
      "download a public dataset, refusing any file whose sha256 differs from the pinned one",
    )
    .argument("<dataset>", "which dataset: mwml (Made With ML projects.json and tags.json)")
    .requiredOption("--out <dir>", "directory for the files")
    .option("--base-url <url>", "fetch from this URL instead, e.g. a mirror")
    .option(
      "--timeout-ms <n>",
      "give up on a file after this long",
      positiveInteger,
      DEFAULT_FETCH_TIMEOUT_MS,
    )
    .option("--json", "print the files as JSON")
    .action(
      action(async (name: string, opts) => {
        const files = await fetchDataset(datasetSource(name), {
          outDir: opts.out,
          baseUrl: opts.baseUrl,
          timeoutMs: opts.timeoutMs,
        });
        if (opts.json) printJson(files);
        else for (const f of files) process.stdout.write(`${f.name}: ${f.status}, sha256 ok\n`);
        return EXIT.ok;
      }),
    );

  data.addCommand(exportLabelsCommand());

  return data;
}

/** An error about the items of `file` that does not say where (a time split of undated items) names the file. */
function inFile<T>(file: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof TagsmithError && error.location === undefined)
      throw new TagsmithError(error.code, error.problem, { file });
    throw error;
  }
}
