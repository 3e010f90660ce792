// The promotion gate's I/O half: reads the gold files (each once, no copy twice) and the training files each model's
// manifest lists, then compares the models with gate.ts's pure scoring. Also the gate's refusal, as an error that
// carries the comparison for the CLI to print.

import { type ContentItem, fingerprint, loadContent, sharedLabelMode } from "../data/index.js";
import { TagsmithError } from "../errors.js";
import { distinctFiles } from "../files/index.js";
import type { LoadedModel } from "../model/index.js";
import { trainingItems } from "../train/index.js";
import {
  candidateSawGold,
  gateScores,
  gateTaxonomy,
  goldItemsTrainedOn,
  scoreOnGold,
  type TrainedOn,
  trainedOnGoldCounts,
  worseMetrics,
} from "./gate.js";
import { sawGoldText } from "./gate-words.js";
import type { GateRecord } from "./schema.js";

/** Gold files as absolute paths; the same file twice would score its items twice. */
export const distinctGoldFiles = (files: readonly string[]) =>
  distinctFiles(files, { noun: "gold file", use: "scored" });

/**
 * The gold files loaded, each once: two files holding the same items (a copy under another name, which
 * distinctGoldFiles cannot see) are refused, as the same file given twice is, since every item would count twice.
 */
export async function loadGoldFiles(files: readonly string[]) {
  const loaded = [];
  const byFingerprint = new Map<string, string>();
  for (const file of files) {
    const content = await loadContent(file);
    const print = fingerprint(content.items);
    const same = byFingerprint.get(print);
    if (same)
      throw new TagsmithError(
        "usage",
        `gold files ${same} and ${file} hold the same items: give them once, or the gate scores every item twice`,
      );
    byFingerprint.set(print, file);
    loaded.push({ ...content, file });
  }
  return loaded;
}

/** Training files read so far, by path: candidate and production often share them. */
export type TrainingFiles = Map<string, ReturnType<typeof loadContent>>;

/**
 * The gold items (by index) a model was trained on, from the training files its manifest names, each read once into
 * `read`. One moved, unreadable or no longer valid since leaves the count unknown, and why is kept for the caller to
 * say; any other error is a fault of tagsmith's, not the files', and is not passed off as one of theirs.
 */
export async function goldSeenInTraining(
  model: Pick<LoadedModel, "manifest">,
  gold: readonly Pick<ContentItem, "title" | "description">[],
  read: TrainingFiles = new Map(),
): Promise<TrainedOn> {
  const sources = model.manifest.data.sources ?? [];
  if (sources.length === 0)
    return { unreadable: "its manifest lists none (it was written by an older tagsmith)" };
  const training = [];
  try {
    for (const { path } of sources) {
      let file = read.get(path);
      if (!file) {
        file = loadContent(path);
        read.set(path, file);
      }
      training.push(...(await file).items);
    }
  } catch (error) {
    if (error instanceof TagsmithError) return { unreadable: error.message };
    throw error;
  }
  return goldItemsTrainedOn(gold, training);
}

/**
 * The gate's comparison: both models scored on the gold files, concatenated (e.g. the gold set plus QA'd labels),
 * and the gold items each was trained on, read from the data files its manifest lists.
 */
export async function runGate(
  goldFiles: readonly string[],
  candidate: LoadedModel,
  production: { id: string; model: LoadedModel } | null,
): Promise<GateRecord> {
  const loaded = await loadGoldFiles(goldFiles);
  const gold = {
    items: loaded.flatMap((l) => l.items),
    // Scored as multi-label, a single-label file's items would count every tag but their class as a wrong one.
    labelMode: sharedLabelMode(loaded, "the gate scores models on one kind; give it"),
  };
  const file = goldFiles.join(" + ");
  const { taxonomy, approved } = gateTaxonomy(
    candidate.taxonomy,
    production?.model.taxonomy ?? null,
  );
  if (trainingItems(gold.items, taxonomy).length === 0)
    throw new TagsmithError(
      "invalid_input",
      "gold data has no item with an approved tag: the gate has nothing to score",
      { file },
    );
  const candidateScores = gateScores(scoreOnGold(candidate, gold, taxonomy));
  const productionScores = production
    ? gateScores(scoreOnGold(production.model, gold, taxonomy))
    : null;
  const read: TrainingFiles = new Map();
  const trainedOnGold = trainedOnGoldCounts(
    await goldSeenInTraining(candidate, gold.items, read),
    production ? await goldSeenInTraining(production.model, gold.items, read) : null,
  );
  return {
    gold: {
      file,
      ...(goldFiles.length > 1 ? { files: [...goldFiles] } : {}),
      fingerprint: fingerprint(gold.items),
      items: gold.items.length,
      ...(approved ? { approved } : {}),
    },
    candidate: candidateScores,
    production:
      production && productionScores ? { id: production.id, scores: productionScores } : null,
    worse: worseMetrics(candidateScores, productionScores),
    trainedOnGold,
  };
}

/** The gate refused a candidate: the comparison travels with the error so the CLI can print it. */
export class GateRefusedError extends TagsmithError {
  constructor(
    readonly id: string,
    readonly gate: GateRecord,
    message = `${id} is worse than production ${gate.production?.id} on ${gate.worse.join(" and ")} (gold data ${gate.gold.file}): not promoted; --force promotes it anyway`,
  ) {
    super("gate_refused", message);
  }
}

/**
 * The gate's refusal, null when it lets the candidate through: worse on a metric, else trained on the gold data or
 * with training data that cannot be read to tell.
 */
export function gateRefusal(id: string, gate: GateRecord): GateRefusedError | null {
  if (gate.worse.length > 0) return new GateRefusedError(id, gate);
  const seen = candidateSawGold(gate);
  if (!seen) return null;
  const production = gate.production?.id;
  return new GateRefusedError(
    id,
    gate,
    seen.candidate === null
      ? `cannot tell whether ${id} was trained on the gold data: the training files its manifest lists could not be read (${gate.trainedOnGold?.candidateUnreadable ?? "moved or deleted since, or not listed by an older manifest"}). Restore them so the gate can check, or promote with --force`
      : `${id} was ${sawGoldText(seen, production)}: its scores there are not held out, so the gate cannot tell whether it is better. Gate on gold data it was not trained on (split new labels first: tagsmith data split, see the README's "Next model"), or promote with --force`,
  );
}
