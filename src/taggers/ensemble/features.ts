// The features that describe an ensemble candidate: their names, in the order every combiner indexes a row by.

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
export function featureRow(values: Record<FeatureName, number>): FeatureRow {
  // map keeps the length, which TypeScript cannot see through: the row has exactly one value per feature.
  return FEATURES.map((name) => values[name]) as number[] as FeatureRow;
}

/** One value per FEATURES entry, in its order: the tuple type makes a row of another length a compile error. */
export type FeatureRow = NumberPer<typeof FEATURES>;
type NumberPer<T extends readonly unknown[]> = { -readonly [K in keyof T]: number };

export const logit = (p: number) => Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));

/**
 * linear_logit of a tag the linear model has no classifier for (one on fewer than minTagCount training items). Not the
 * clamp's logit(1e-6) = -13.8: no classifier is not a classifier sure the tag is wrong. The value was set with the
 * feature, not tuned; every combiner trained since was fitted to it, so changing it would change their scores.
 */
export const NO_CLASSIFIER_LOGIT = -10;
