// `tagsmith train`, `eval` and `suggest`: thin commands over train/, eval/ and model/.

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Command, Option } from "commander";
import { loadContent } from "../data/index.js";
import { TagsmithError } from "../errors.js";
import {
  confusionCounts,
  type EvalReport,
  evaluate,
  renderReport,
  scoringPlan,
  singleLabelCases,
  thresholdCurve,
  withUnscored,
} from "../eval/index.js";
import {
  assertWritableDir,
  checkOutFiles,
  type InputDir,
  NotWritableError,
  withTempDir,
  writeFileAtomic,
} from "../files/index.js";
import { assertModelDirTarget, loadModel, type ModelContent, suggestFor } from "../model/index.js";
import {
  goldSeenInTraining,
  ModelRegistry,
  modelRef,
  registryHolding,
  registryOfVersion,
} from "../registry/index.js";
import { MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS } from "../taggers/index.js";
import { counted } from "../text/index.js";
import { loadTrainConfig, namedTagger, trainFromFiles, trainingItems } from "../train/index.js";
import { gitCommit } from "./code-version.js";
import { registeredLine, registryOption, versionJson } from "./models.js";
import {
  list,
  noteUnusedLimit,
  overlayOption,
  positiveInteger,
  seed,
  workerCount,
} from "./options.js";
import { terminalProgress } from "./progress.js";
import { action, EXIT, printJson } from "./run.js";
import { visible } from "./terminal-text.js";

export function trainCommand(version: string): Command {
  return new Command("train")
    .description(
      "train a tagger: tune on a held-out 15% of the data (the newest if every item has a created_on, else a seeded random 15%), then refit on all of it",
    )
    .requiredOption("--data <files...>", "labeled content files (.json, .jsonl, .csv)")
    .option("--taxonomy <file>", "approved tags (default: the labels in the data)")
    .addOption(overlayOption())
    .option(
      "--out <dir>",
      "model directory to write: new, empty, or a model directory to replace whole (optional with --register)",
    )
    .option("--register", "add the trained model to the registry as a candidate version")
    .addOption(registryOption())
    .option("--seed <n>", "random seed", seed, 42)
    .option("--config <file>", "training config JSON: {tagger, limit, options} (see README)")
    .option("--tagger <name>", "tagger to train (overrides the config)")
    .option("--workers <n>", "training threads", workerCount)
    .option("--json", "print the manifest as JSON (with --register: the registered version's)")
    .action(
      action(async (opts) => {
        if (!opts.out && !opts.register)
          throw new TagsmithError(
            "usage",
            "--out DIR is required (or --register, to train straight into the model registry)",
          );
        const config = await loadTrainConfig(opts.config);
        if (opts.tagger) config.tagger = namedTagger(opts.tagger, { option: "--tagger" }).name;
        // A --out that would mix a new model with other files is refused before training, not after.
        if (opts.out) {
          assertOutsideRegistry(opts.out);
          await assertModelDirTarget(opts.out);
        }
        const registry = opts.register ? new ModelRegistry(opts.registry) : undefined;
        // An unwritable registry is found before training, not after.
        await registry?.ensureWritable();
        // Without --out the model is trained only to be registered: into a directory removed after.
        const trainInto = async (out: string) => {
          const bars = terminalProgress();
          const { manifest, trained } = await trainFromFiles({
            dataFiles: opts.data,
            taxonomyFile: opts.taxonomy,
            overlayFiles: opts.overlay,
            out,
            seed: opts.seed,
            config,
            workers: opts.workers,
            progress: bars.progress,
            warn: (message) => process.stderr.write(`tagsmith: warning: ${visible(message)}\n`),
            version,
            commit: gitCommit(),
          }).finally(bars.stop);
          const registered = registry ? await registry.register(out) : undefined;
          if (opts.json) printJson(registered ? versionJson(registered.version) : manifest);
          else {
            const { suggested, at_k, single_label, n_unscored } = trained.heldOut;
            const skipped = n_unscored > 0 ? `; ${unscoredNote(n_unscored)}` : "";
            process.stdout.write(
              `${manifest.kind} model${opts.out ? ` -> ${opts.out}` : ""} (${(manifest.modelBytes / 1e6).toFixed(1)} MB)\n` +
                `held out (${counted(trained.heldOut.items, "item")}, ${trained.heldOut.split} split${skipped}): suggested P ${suggested.precision} R ${suggested.recall} F1 ${suggested.f1}, recall@5 ${at_k["5"].recall}` +
                `${single_label ? `; ${singleLabelText(single_label)}` : ""}\n`,
            );
            if (registered && registry)
              process.stdout.write(registeredLine(registered, registry.dir));
          }
          return EXIT.ok;
        };
        return opts.out ? trainInto(opts.out) : withTempDir("tagsmith-train-", trainInto);
      }),
    );
}

/** A registry's directory is written by the registry alone: a version there is an immutable copy. */
function assertOutsideRegistry(out: string): void {
  const registry = registryHolding(out);
  if (registry)
    throw new TagsmithError(
      "conflict",
      `${out} is inside registry ${registry}, whose versions only the registry writes (a model trained there would replace or sit among them): choose a directory outside it, or --register to add the model as a new version`,
    );
}

/** Items with no approved tag, as eval and train say they were left out. */
const unscoredNote = (unscored: number) =>
  `${unscored} more ${unscored === 1 ? "has" : "have"} no approved tag: not scored`;

const singleLabelText = ({ accuracy, weighted_f1 }: NonNullable<EvalReport["single_label"]>) =>
  `single label: accuracy ${accuracy}, weighted F1 ${weighted_f1}`;

/** A score of a group with no item is null: "n/a", not 0. */
const orNa = (score: number | null) => (score === null ? "n/a" : String(score));

/** What eval reads, so never writes into: the model's directory, and its registry when it is a registry version. */
function modelInputs(modelDir: string): InputDir[] {
  const inputs = [{ dir: modelDir, name: `the model in ${modelDir} (--model)` }];
  const registry = registryOfVersion(modelDir);
  if (registry) inputs.push({ dir: registry, name: `registry ${registry}` });
  return inputs;
}

export function evalCommand(): Command {
  return new Command("eval")
    .description("score a model on gold data")
    .requiredOption("--model <dir>", "model directory (the --out DIR of tagsmith train)")
    .requiredOption("--data <file>", "labeled content file")
    .option(
      "--limit <n>",
      "suggestions per item; single-label data or models are scored at 1 whatever --limit says (a note on stderr says so), and recall@3/5 show their ranking",
      positiveInteger,
      5,
    )
    .option("--json", "print the report as one JSON object")
    .option(
      "--report <dir>",
      "also write an HTML report with charts to this directory (its report.html only with --force; never into the model's directory or its registry)",
    )
    .option("--force", "replace the report.html of an earlier --report")
    .action(
      action(async (opts, command: Command) => {
        // Before scoring: a report that cannot be written, or would replace a file or write into the model, is
        // reported now (naming the file), and nothing is created.
        const reportFile = opts.report ? join(opts.report, "report.html") : undefined;
        if (opts.force && !reportFile)
          throw new TagsmithError(
            "usage",
            "--force replaces the report.html of an earlier --report: give it with --report DIR, or leave it out",
          );
        if (reportFile) {
          await checkOutFiles([reportFile], {
            force: Boolean(opts.force),
            reads: modelInputs(opts.model),
            option: "--report",
          });
          await assertWritableDir(opts.report).catch((error: unknown) => {
            throw error instanceof NotWritableError
              ? new NotWritableError(reportFile, error.errno)
              : error;
          });
        }
        const loaded = await loadModel(opts.model, { option: "--model" });
        const { tagger, taxonomy, content } = loaded;
        const { items, labelMode } = await loadContent(opts.data);
        const plan = scoringPlan(opts.limit, labelMode, content.labelMode);
        noteUnusedLimit(command, opts.limit, plan, labelMode === "single" ? "data" : "models");
        const gold = trainingItems(items, taxonomy);
        const unscored = items.length - gold.length;
        if (gold.length === 0) {
          throw new TagsmithError(
            "invalid_input",
            "no item has a tag on the model's approved list: there is nothing to score",
            { file: opts.data },
          );
        }
        const { evaluated, ...report } = evaluate(tagger, gold, taxonomy, plan);
        // Scores on items the model learned from are not held out: said, as the promotion gate says it (QA: the
        // default model scored on its own training file read F1 0.886, against 0.618 held out, without a word).
        const seen = await goldSeenInTraining(loaded, gold);
        const seenCount = seen instanceof Set ? seen.size : null;
        if (seenCount)
          process.stderr.write(
            `tagsmith: warning: ${seenCount} of the ${gold.length} scored items are in the model's training data (the same or nearly the same text): scores on them are not held out and flatter the model; score it on items it was not trained on (its held-out scores are in ${visible(join(loaded.dir, "metrics.json"))})\n`,
          );
        if (reportFile) {
          const html = renderReport({
            title: `tagsmith ${content.kind} model on ${opts.data}`,
            report,
            unscored,
            model: {
              ...modelRef(loaded.manifest),
              data: (loaded.manifest.data.sources ?? []).map((source) => source.path),
            },
            seenInTraining: seenCount,
            curve: thresholdCurve(evaluated, plan.limit),
            threshold: suggestionThreshold(content),
            ...(report.single_label
              ? { confusion: confusionCounts(singleLabelCases(evaluated.map((e) => e.case))) }
              : {}),
            chartJs: await readChartJs(),
          });
          await writeFileAtomic(reportFile, html, { replace: Boolean(opts.force) });
          process.stderr.write(`report: ${reportFile}\n`);
        }
        // Items with no approved tag have nothing to score: said, so that 165 of a file's 191 items is no surprise.
        if (opts.json) {
          printJson({ ...withUnscored(report, unscored), n_seen_in_training: seenCount });
        } else {
          const s = report.suggested;
          const skipped = unscored > 0 ? ` (${unscoredNote(unscored)})` : "";
          process.stdout.write(
            `${counted(report.n_docs, "item")}${skipped}: suggested P ${s.precision} R ${s.recall} F1 ${s.f1} (${s.mean_suggested} per item); ` +
              `recall@1/3/5 ${report.at_k["1"].recall}/${report.at_k["3"].recall}/${report.at_k["5"].recall}; NDCG@5 ${report.ndcg_at_5}; macro F1 ${report.macro.f1}\n` +
              (report.with_chosen
                ? `with half of each item's tags chosen (${counted(report.with_chosen.n_docs, "item")}): suggested F1 ${orNa(report.with_chosen.suggested.f1)}, recall@5 of the rest ${orNa(report.with_chosen.at_5.recall)}\n`
                : "") +
              (report.single_label ? `${singleLabelText(report.single_label)}\n` : ""),
          );
        }
        return EXIT.ok;
      }),
    );
}

/**
 * The score threshold the model suggests at, for the report's curve: none for a single-label model (it suggests its
 * top class whatever the score) or a kind that has no threshold (the rules, the baselines).
 */
function suggestionThreshold({ labelMode, state }: ModelContent): number | undefined {
  const threshold = (state as { threshold?: unknown } | null)?.threshold;
  return labelMode === "multi" && typeof threshold === "number" && Number.isFinite(threshold)
    ? threshold
    : undefined;
}

/** Chart.js's browser build, inlined into reports so they open without a network. */
async function readChartJs(): Promise<string> {
  const main = createRequire(import.meta.url).resolve("chart.js");
  return readFile(join(dirname(main), "chart.umd.min.js"), "utf8");
}

export function suggestCommand(): Command {
  return new Command("suggest")
    .description("suggest tags for one piece of content")
    .requiredOption("--model <dir>", "model directory (the --out DIR of tagsmith train)")
    .requiredOption("--title <text>", "title")
    .option("--description <text>", "description", "")
    .addOption(
      new Option("--tags <list>", "tags the author already chose, separated by commas")
        .argParser(list)
        .default([], "none"),
    )
    .option("--limit <n>", "at most this many suggestions", positiveInteger, 5)
    .option("--json", "print as JSON")
    .action(
      action(async (opts) => {
        const model = await loadModel(opts.model, { option: "--model" });
        const { suggestions, truncated } = suggestFor(
          model,
          { title: opts.title, description: opts.description, tags: opts.tags },
          opts.limit,
        );
        if (truncated)
          process.stderr.write(
            `tagsmith: note: the text was cut to its first ${MAX_TITLE_CHARS.toLocaleString("en")} characters of title and ${MAX_DESCRIPTION_CHARS.toLocaleString("en")} of description; the suggestions are for that part\n`,
          );
        // One object, as every --json prints and as /v1/suggest answers: which model, the suggestions, and a cut text.
        if (opts.json)
          printJson({
            model: modelRef(model.manifest),
            suggestions,
            ...(truncated ? { truncated } : {}),
          });
        else {
          for (const s of suggestions) {
            const evidence = s.evidence?.length
              ? `  "${s.evidence.map((e) => e.text).join('", "')}"`
              : "";
            process.stdout.write(
              `${s.tag.padEnd(32)} ${s.score.toFixed(3)}  ${s.source}${evidence}\n`,
            );
          }
          if (suggestions.length === 0) process.stdout.write("(no suggestions)\n");
        }
        return EXIT.ok;
      }),
    );
}
