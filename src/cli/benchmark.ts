// `tagsmith benchmark`: every tagger on the same split, as a table or JSON.

import { Command } from "commander";
import { benchmark } from "../benchmark/benchmark.js";
import { loadContent } from "../data/index.js";
import { TagsmithError } from "../errors.js";
import { scoringPlan } from "../eval/index.js";
import { TAGGER_KINDS } from "../taggers/index.js";
import { namedTagger, taxonomyFor } from "../train/index.js";
import { list, noteUnusedLimit, overlayOption, positiveInteger, seed } from "./options.js";
import { terminalProgress } from "./progress.js";
import { action, EXIT, printJson } from "./run.js";

export function benchmarkCommand(): Command {
  return new Command("benchmark")
    .description(
      "every tagger side by side on one split (oldest 70% train, next 15% tune, newest 15% test; a seeded random split when items have no created_on)",
    )
    .requiredOption("--data <file>", "labeled content file")
    .option("--taxonomy <file>", "approved tags (default: the labels in the data)")
    .addOption(overlayOption())
    .option(
      "--taggers <list>",
      "taggers to run, each once, separated by commas (default: all)",
      list,
    )
    .option(
      "--limit <n>",
      "suggestions per item; single-label data is scored at 1 whatever --limit says (a note on stderr says so)",
      positiveInteger,
      5,
    )
    .option("--seed <n>", "random seed", seed, 42)
    .option("--json", "print as JSON")
    .action(
      action(async (opts, command: Command) => {
        const names: string[] = opts.taggers ?? Object.keys(TAGGER_KINDS);
        // An empty list would run nothing and look like success; a repeat would train, time and list a tagger twice.
        if (names.length === 0)
          throw new TagsmithError(
            "usage",
            `--taggers names no tagger: give one or more of ${Object.keys(TAGGER_KINDS).join(", ")}, separated by commas (or leave out --taggers for all)`,
          );
        const repeated = names.find((name, i) => names.indexOf(name) !== i);
        if (repeated !== undefined)
          throw new TagsmithError(
            "usage",
            `--taggers lists "${repeated}" twice: name each tagger once`,
          );
        const kinds = names.map((name) => namedTagger(name, { option: "--taggers" }));
        const { items, labelMode } = await loadContent(opts.data);
        const plan = scoringPlan(opts.limit, labelMode);
        noteUnusedLimit(command, opts.limit, plan, "data");
        const taxonomy = await taxonomyFor(items, opts.taxonomy, opts.overlay);
        const bars = terminalProgress();
        const report = await benchmark(
          kinds,
          items,
          {
            taxonomy,
            seed: opts.seed,
            workers: 2,
            ...(bars.progress ? { progress: bars.progress } : {}),
          },
          plan,
        ).finally(bars.stop);
        if (opts.json) printJson(report);
        else {
          const { train, tune, test, method } = report.split;
          process.stdout.write(
            `${method} split: ${train} train, ${tune} tune, ${test} test items; limit ${report.limit}\n`,
          );
          process.stdout.write(
            `tagger      P      R      F1     R@5    NDCG@5  ${plan.singleLabel ? "acc    wF1    " : ""}train s  p50 ms  p99 ms\n`,
          );
          for (const r of report.rows) {
            const cells = [
              r.suggested.precision,
              r.suggested.recall,
              r.suggested.f1,
              r.at_k["5"].recall,
              r.ndcg_at_5,
              ...(r.single_label ? [r.single_label.accuracy, r.single_label.weighted_f1] : []),
            ];
            process.stdout.write(
              `${r.tagger.padEnd(10)}  ${cells.map((c) => c.toFixed(3).padEnd(6)).join(" ")}  ${String(r.train_seconds).padEnd(7)}  ${String(r.latency_ms.p50).padEnd(6)}  ${r.latency_ms.p99}\n`,
            );
          }
        }
        return EXIT.ok;
      }),
    );
}
