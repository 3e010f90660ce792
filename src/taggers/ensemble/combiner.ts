// What a model file holds of an ensemble: its state, and its combiners with the names of the features they weigh;
// the layouts of older files are read here into the current one, scoring as they did.

import { TagsmithError } from "../../errors.js";
import { type DenseLogistic, fitDenseLogistic } from "../../learn/index.js";
import type { KeywordState } from "../keywords.js";
import type { KnnState } from "../knn.js";
import type { LinearState } from "../linear.js";
import { pairsFromDense, type TagPairCounts } from "../tag-pairs.js";
import { FEATURES, type FeatureName, type FeatureRow, TRAINED_FEATURES } from "./features.js";

/** A combiner over named features: model files hold this. */
export interface NamedCombiner extends DenseLogistic {
  features: readonly FeatureName[];
}

export interface EnsembleState {
  linear: LinearState;
  knn: KnnState;
  keywords: KeywordState;
  /** Share of the most recent fifth of training items with each tag (authors' habits drift). */
  recent: Float32Array;
  /** Tags seen in training, in the order of every per-tag array here (recent, named, namedAndGold, counts). */
  tags: string[];
  /** Per tag: how many training items named it in their text (as a tagger reads it). */
  named: Int32Array;
  /** Per tag: how many of the items naming it also had it as a gold tag. */
  namedAndGold: Int32Array;
  /** Per tag: how many training items carry it. */
  counts: Int32Array;
  /** Training items carrying both tags of a pair (by index in `tags`). */
  cooccurrence: TagPairCounts;
  /** How many training items there were. */
  items: number;
  candidatesPerModel: number;
  combiner: NamedCombiner | null;
  threshold: number;
  /** The combination and threshold used when the author has chosen tags (absent in older model files). */
  chosen?: { combiner: NamedCombiner; threshold: number } | null;
}

/** A combiner as model files hold it: files from before combiners named their features do not name them. */
type StoredCombiner = DenseLogistic & { features?: readonly string[] };

/**
 * An ensemble state as model files hold it: files written before co-occurrence was sparse hold the dense matrix
 * (cooccurrence[a * tags.length + b]), and those from before combiners named their features a combiner fitted on the
 * first FEATURES, as many as it has weights.
 */
export type StoredEnsembleState = Omit<EnsembleState, "cooccurrence" | "combiner" | "chosen"> & {
  cooccurrence: TagPairCounts | Int32Array;
  combiner: StoredCombiner | null;
  chosen?: { combiner: StoredCombiner; threshold: number } | null;
};

/**
 * A stored combiner with the names of its features: those it lists, or, in older files, the first FEATURES. One that
 * names a feature this tagsmith does not compute (a newer tagsmith's) is refused: its weight would be lost and the
 * model would score differently, without a word.
 */
function namedCombiner(stored: StoredCombiner, which: string): NamedCombiner {
  const refuse = (problem: string, fix: string) =>
    new TagsmithError("invalid_input", `the ensemble's ${which} ${problem}: ${fix}`);
  const newer = "load the model with the tagsmith that trained it, or retrain it";
  if (!stored.features && stored.weights.length > FEATURES.length)
    throw refuse(
      `has ${stored.weights.length} weights, more than the ${FEATURES.length} features this tagsmith knows`,
      newer,
    );
  const features = stored.features ?? FEATURES.slice(0, stored.weights.length);
  const unknown = features.filter((name) => !(FEATURES as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw refuse(`uses features this tagsmith does not know (${unknown.join(", ")})`, newer);
  const twice = features.find((name, j) => features.indexOf(name) !== j);
  if (twice !== undefined || features.length !== stored.weights.length)
    throw refuse(
      twice !== undefined
        ? `names feature ${twice} twice`
        : `has ${stored.weights.length} weights for ${features.length} features`,
      "the model file is damaged: retrain it",
    );
  return {
    weights: stored.weights,
    intercept: stored.intercept,
    features: features as FeatureName[],
  };
}

/** A stored state in the current layout: what an old model file held, converted at load, with the same scores. */
export function currentEnsembleState(stored: StoredEnsembleState): EnsembleState {
  const { cooccurrence, combiner, chosen } = stored;
  return {
    ...stored,
    cooccurrence: ArrayBuffer.isView(cooccurrence)
      ? pairsFromDense(cooccurrence, stored.tags.length)
      : cooccurrence,
    combiner: combiner ? namedCombiner(combiner, "combiner") : null,
    // Absent (files from before it) and null (too few training items to fit one) stay as they are.
    chosen: chosen && {
      ...chosen,
      combiner: namedCombiner(chosen.combiner, "combiner for chosen tags"),
    },
  };
}

/** A combiner's weights laid over a full candidate row (zero for the features it was not fitted on). */
export function rowWeights(combiner: NamedCombiner): DenseLogistic {
  const weights = new Array<number>(FEATURES.length).fill(0);
  combiner.features.forEach((name, j) => {
    weights[FEATURES.indexOf(name)] = combiner.weights[j];
  });
  return { weights, intercept: combiner.intercept };
}

/** Fits a combiner on candidate rows, using the columns of `features`. */
export function fitCombiner(
  rows: readonly FeatureRow[],
  labels: readonly number[],
  l2: number,
  features: readonly FeatureName[] = TRAINED_FEATURES,
): NamedCombiner {
  const columns = features.map((name) => FEATURES.indexOf(name));
  const fitted = fitDenseLogistic(
    rows.map((row) => columns.map((j) => row[j])),
    labels,
    l2,
  );
  return { ...fitted, features };
}
