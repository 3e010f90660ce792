// The promotion gate (champion/challenger): the candidate and the production model scored on the same gold data;
// a candidate worse on a primary metric is refused. Pure: scoring is over loaded models and content.

import {
  type ContentItem,
  contentText,
  DEFAULT_VALIDATION,
  nearDuplicatePairs,
} from "../data/index.js";
import { type EvalReport, evaluate, scoringPlan } from "../eval/index.js";
import type { LoadedModel } from "../model/index.js";
import { Taxonomy } from "../taxonomy/index.js";
import { trainingItems } from "../train/index.js";
import type { GateRecord, GateScores } from "./schema.js";

/** Suggestions per item the gate scores, as `tagsmith eval` does by default. */
export const GATE_LIMIT = 5;

/** The metrics a candidate must not be worse on: what authors see (suggested F1) and the objective (recall@5). */
export const PRIMARY_METRICS = [
  { key: "suggested_f1", label: "suggested F1" },
  { key: "recall_at_5", label: "recall@5" },
] as const satisfies readonly { key: keyof GateScores; label: string }[];

/** Shown beside the primary metrics, never deciding. */
export const SECONDARY_METRICS = [
  { key: "precision", label: "suggested precision" },
  { key: "recall", label: "suggested recall" },
  { key: "ndcg_at_5", label: "NDCG@5" },
] as const satisfies readonly { key: keyof GateScores; label: string }[];

/**
 * Which gold items (their indices) a model was trained on: items whose text is in its training data, or nearly
 * (word-shingle Jaccard >= 0.9, the leakage test of tagsmith data split and validate). Ids differ between a data file
 * and the splits or exports made of it, and a changed letter or full stop must not hide a copy (QA: gold titles each
 * given a "." were counted as never seen, and the candidate passed on 0.90 F1 against 0.62).
 */
export function goldItemsTrainedOn(
  gold: readonly Pick<ContentItem, "title" | "description">[],
  training: readonly Pick<ContentItem, "title" | "description">[],
): ReadonlySet<number> {
  const texts = [...gold, ...training].map(contentText);
  const pairs = nearDuplicatePairs(
    texts,
    DEFAULT_VALIDATION.nearDuplicateThreshold,
    (a, b) => a < gold.length && b >= gold.length,
  );
  return new Set(pairs.map((pair) => pair.a));
}

/** The gold items a model was trained on (by index), or why its training files could not be read to tell. */
export type TrainedOn = ReadonlySet<number> | { unreadable: string };

/**
 * The gate record's counts from the gold items each model saw (null: its training data could not be read, and why;
 * production null: there is none). Which items, not only how many, decide: a candidate and production that each saw a
 * different half of the gold data are each flattered on their own half, and equal counts must not hide that.
 */
export function trainedOnGoldCounts(
  candidate: TrainedOn,
  production: TrainedOn | null,
): NonNullable<GateRecord["trainedOnGold"]> {
  const seen = (model: TrainedOn | null) => (model instanceof Set ? model : null);
  const why = (model: TrainedOn | null) =>
    model && "unreadable" in model ? model.unreadable : undefined;
  const candidateSeen = seen(candidate);
  const productionSeen = seen(production);
  const candidateUnreadable = why(candidate);
  const productionUnreadable = why(production);
  return {
    candidate: candidateSeen?.size ?? null,
    production: productionSeen?.size ?? null,
    candidateOnly: candidateSeen
      ? [...candidateSeen].filter((i) => !productionSeen?.has(i)).length
      : null,
    ...(candidateUnreadable ? { candidateUnreadable } : {}),
    ...(productionUnreadable ? { productionUnreadable } : {}),
  };
}

export interface GoldData {
  items: readonly ContentItem[];
  labelMode: "multi" | "single";
}

/**
 * The approved list both models are scored under: the candidate's, with the tags only production approves. Each
 * scored under its own list, a candidate trained on fewer tags faced fewer gold labels and looked better (QA: one
 * approving 56 of production's 400 tags read F1 0.83 against 0.62 and was promoted), and one with newly approved tags
 * faced more and looked worse. Under one list every gold label counts for both: a tag a model cannot suggest is a miss.
 */
export function gateTaxonomy(
  candidate: Taxonomy,
  production: Taxonomy | null,
): {
  taxonomy: Taxonomy;
  /** How many tags only each model approves; null when they approve the same (or there is no production). */
  approved: { candidateOnly: number; productionOnly: number } | null;
} {
  if (!production) return { taxonomy: candidate, approved: null };
  const [mine, theirs] = [new Set(candidate.tags), new Set(production.tags)];
  const productionOnly = production.definitions.filter((def) => !mine.has(def.tag));
  const candidateOnly = candidate.tags.filter((tag) => !theirs.has(tag)).length;
  if (productionOnly.length + candidateOnly === 0) return { taxonomy: candidate, approved: null };
  return {
    taxonomy: new Taxonomy([...candidate.definitions, ...productionOnly]),
    approved: { candidateOnly, productionOnly: productionOnly.length },
  };
}

/**
 * Scores a model on gold data as `tagsmith eval` does, with the gold labels under `taxonomy` (the gate's: see
 * gateTaxonomy); by default the model's own.
 */
export function scoreOnGold(
  model: LoadedModel,
  gold: GoldData,
  taxonomy: Taxonomy = model.taxonomy,
): EvalReport {
  const { evaluated: _, ...report } = evaluate(
    model.tagger,
    trainingItems(gold.items, taxonomy),
    taxonomy,
    scoringPlan(GATE_LIMIT, gold.labelMode, model.content.labelMode),
  );
  return report;
}

export function gateScores(report: EvalReport): GateScores {
  return {
    suggested_f1: report.suggested.f1,
    recall_at_5: report.at_k["5"].recall,
    precision: report.suggested.precision,
    recall: report.suggested.recall,
    ndcg_at_5: report.ndcg_at_5,
    n_docs: report.n_docs,
  };
}

/** Labels of the primary metrics on which the candidate is below production. A tie is not worse. */
export function worseMetrics(candidate: GateScores, production: GateScores | null): string[] {
  if (!production) return [];
  return PRIMARY_METRICS.filter((m) => candidate[m.key] < production[m.key]).map((m) => m.label);
}

/**
 * How many gold items the candidate may have been trained on that production was not, as a share of the gold items,
 * before the gate refuses to judge it: a data file can hold a few reposted items, but a candidate trained on the gold
 * data itself scores well above what it will do on new content (0.71 F1 against its held-out 0.60 in QA), and would
 * pass on that alone.
 */
export const MAX_GOLD_SEEN_ADVANTAGE = 0.01;

/**
 * When the candidate was trained on gold items production was not (more than MAX_GOLD_SEEN_ADVANTAGE of them), or its
 * training data cannot be read to tell (candidate null: files moved or deleted since, or not listed): how many each
 * saw, and how many only the candidate; else null. Only a candidate's advantage is refused: gold items production saw
 * only make it harder to beat (its training data unknown counts as none seen), and a first promotion has nothing to
 * be compared with. Records written before `candidateOnly` was kept compare the counts.
 */
export function candidateSawGold(
  gate: GateRecord,
): { candidate: number | null; production: number; candidateOnly?: number; items: number } | null {
  if (!gate.production || !gate.trainedOnGold) return null;
  const { candidate, candidateOnly } = gate.trainedOnGold;
  const production = gate.trainedOnGold.production ?? 0;
  const items = gate.gold.items;
  if (candidate === null) return { candidate, production, items };
  const advantage = candidateOnly ?? candidate - production;
  return advantage > MAX_GOLD_SEEN_ADVANTAGE * items
    ? {
        candidate,
        production,
        ...(typeof candidateOnly === "number" ? { candidateOnly } : {}),
        items,
      }
    : null;
}
