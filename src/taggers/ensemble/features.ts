// The features that describe an ensemble candidate: their names, in the order every combiner indexes a row by, and
// their values for one candidate tag of a text, from what the text says and what training said of the tag.

import type { KeywordScores } from "../keywords.js";
import type { KnnTagScores } from "../knn.js";
import type { Evidence } from "../suggestion.js";
import type { TagPairLookup } from "../tag-pairs.js";

/**
 * Every feature a candidate row holds, in row order. A combiner names the features it was fitted on (state.features);
 * model files from before that list was stored were fitted on the first ones, in this order, so a new feature goes at
 * the end, never between (ensemble-compat.test.ts).
 */
export const FEATURES = [
  "linear",
  "linear_logit",
  "knn",
  "named_in_title",
  "named_in_description",
  "naming_precision",
  "ancestor_of_named",
  "ancestor_of_linear",
  "log_prior",
  "linear_top1",
  "cooccurs_with_named",
  "cooccurs_with_linear",
  "keyword_best",
  "keyword_noisy_or",
  "recent_prior",
  "linear_logit_if_named",
  "linear_doubt_if_named",
  "cooccurs_with_chosen",
  "ancestor_of_chosen",
] as const;

export type FeatureName = (typeof FEATURES)[number];

/**
 * What combiners are fitted on now. linear_logit_if_named is left out for linear_doubt_if_named: unbounded, it let a
 * very confident linear model lower a named tag (a title that is just "PyTorch" got no pytorch); models fitted on it
 * keep it.
 */
export const TRAINED_FEATURES: readonly FeatureName[] = FEATURES.filter(
  (name) => name !== "linear_logit_if_named",
);

/** A candidate's features in row order (FEATURES'), from a record that must name each one exactly once. */
function featureRow(values: Record<FeatureName, number>): FeatureRow {
  // map keeps the length, which TypeScript cannot see through: the row has exactly one value per feature.
  return FEATURES.map((name) => values[name]) as number[] as FeatureRow;
}

/** One value per FEATURES entry, in its order: the tuple type makes a row of another length a compile error. */
export type FeatureRow = NumberPer<typeof FEATURES>;
type NumberPer<T extends readonly unknown[]> = { -readonly [K in keyof T]: number };

const logit = (p: number) => Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));

/**
 * linear_logit of a tag the linear model has no classifier for (one on fewer than minTagCount training items). Not the
 * clamp's logit(1e-6) = -13.8: no classifier is not a classifier sure the tag is wrong. The value was set with the
 * feature, not tuned; every combiner trained since was fitted to it, so changing it would change their scores.
 */
const NO_CLASSIFIER_LOGIT = -10;

/** Where a tag sits in each model's arrays (-1: not there), found once per tag rather than per model. */
export interface TagColumns {
  /** In the ensemble's own per-tag arrays (state.tags). */
  index: number;
  linear: number;
  knn: number;
  keyword: number;
}

/** What training said of the tags, by index in the ensemble's state.tags; the same for every text. */
export interface TagStatistics {
  /** How many training items named each tag, and how many of those had it as a gold tag. */
  named: Int32Array;
  namedAndGold: Int32Array;
  /** How many training items carry each tag. */
  counts: Int32Array;
  /** Each tag's share of the newest training items. */
  recent: Float32Array;
  /** Each tag's log-prior, and that of a tag training never saw. */
  logPrior: Float64Array;
  unseenLogPrior: number;
  cooccurrence: TagPairLookup;
}

/** What one text says, read once for all its candidates. */
export interface TextReading {
  /** Tags the rules found named in the text, with where. */
  named: ReadonlyMap<string, Evidence[]>;
  ancestorOfNamed: ReadonlySet<string>;
  /** The linear model's best tags, best first, and its probability of every tag (by its column). */
  topLinear: readonly { tag: string; score: number }[];
  linearProbabilities: Float32Array;
  /** Ancestors of the linear model's best tags, each with its best descendant's probability. */
  ancestorOfLinear: ReadonlyMap<string, number>;
  knnScores: KnnTagScores;
  keywordScores: KeywordScores;
  ancestorOfChosen: ReadonlySet<string>;
  /**
   * Anchors for co-occurrence, by index in state.tags (tags training saw on some item): the tags named in the text,
   * the linear model's best three, the tags the author chose.
   */
  namedAnchors: readonly number[];
  linearAnchors: readonly number[];
  chosenAnchors: readonly number[];
}

/**
 * How likely the tag at `index` is given one of the anchors: the largest share of training items with an anchor that
 * also carry it (0 for a tag training never saw).
 */
export function shareWith(
  { cooccurrence, counts }: TagStatistics,
  anchors: readonly number[],
  index: number,
): number {
  if (index === -1) return 0;
  let best = 0;
  for (const anchor of anchors) {
    if (anchor !== index) best = Math.max(best, cooccurrence.count(anchor, index) / counts[anchor]);
  }
  return best;
}

/** The features of one candidate tag of a text, in row order. */
export function candidateFeatures(
  tag: string,
  columns: TagColumns,
  text: TextReading,
  statistics: TagStatistics,
): FeatureRow {
  const { index, linear: linearColumn, knn: knnColumn, keyword: keywordColumn } = columns;
  const evidence = text.named.get(tag);
  const linearProbability = linearColumn === -1 ? 0 : text.linearProbabilities[linearColumn];
  // Naming precision with add-one smoothing, so a tag never named in training starts at 1/2.
  const precision =
    index === -1 ? 0.5 : (statistics.namedAndGold[index] + 1) / (statistics.named[index] + 2);
  const linearLogit = linearColumn === -1 ? NO_CLASSIFIER_LOGIT : logit(linearProbability);
  // By name, checked against FEATURES by the compiler; laid out in FEATURES' order, which combiners index.
  return featureRow({
    linear: linearProbability,
    linear_logit: linearLogit,
    knn: knnColumn === -1 ? 0 : text.knnScores.scores[knnColumn],
    named_in_title: evidence?.some((e) => e.field === "title") ? 1 : 0,
    named_in_description: evidence?.some((e) => e.field === "description") ? 1 : 0,
    naming_precision: evidence ? precision : 0,
    ancestor_of_named: text.ancestorOfNamed.has(tag) ? 1 : 0,
    ancestor_of_linear: text.ancestorOfLinear.get(tag) ?? 0,
    log_prior: index === -1 ? statistics.unseenLogPrior : statistics.logPrior[index],
    linear_top1: text.topLinear[0]?.tag === tag ? 1 : 0,
    cooccurs_with_named: shareWith(statistics, text.namedAnchors, index),
    cooccurs_with_linear: shareWith(statistics, text.linearAnchors, index),
    keyword_best: keywordColumn === -1 ? 0 : text.keywordScores.best[keywordColumn],
    keyword_noisy_or: keywordColumn === -1 ? 0 : text.keywordScores.noisyOr[keywordColumn],
    recent_prior: index === -1 ? 0 : statistics.recent[index],
    // The linear model's say counts differently for a named tag: a name it doubts is often a passing mention
    // (mean of three rolling time splits, over seeds 42, 1, 2: F1 +0.004, recall@5 +0.003).
    linear_logit_if_named: evidence ? linearLogit : 0,
    // The same doubt, bounded at 0: confidence never lowers a named tag (same scores on rolling splits; tag
    // names alone as titles not suggested: 13 of 400 -> 7).
    linear_doubt_if_named: evidence ? Math.min(linearLogit, 0) : 0,
    cooccurs_with_chosen: shareWith(statistics, text.chosenAnchors, index),
    ancestor_of_chosen: text.ancestorOfChosen.has(tag) ? 1 : 0,
  });
}
