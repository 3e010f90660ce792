// Tagger options as one schema: read from `tagsmith train --config`, validated once, recorded in every manifest.
// Every option has a default chosen by measurement (docs/project/release-1/design.md).

import { z } from "zod";
import {
  DEFAULT_CHAR_NGRAMS,
  DEFAULT_VECTORIZER,
  DEFAULT_WORD_NGRAMS,
  type NgramConfig,
} from "../features/index.js";
import { DEFAULT_KNN } from "./knn.js";

/**
 * An n-gram block of a tagger's vectorizer: min, max and minDf left out are the tagger's own default block's (kNN's
 * characters, off by default, take the linear tagger's: 3- to 5-grams in 3 or more texts), so `{"min": 1, "max": 3}`
 * changes the lengths alone. Parsed to the whole block, which the manifest records: the same model whether a config
 * gave a key or left it to its default, and retrained from the manifest, the same model after a default changes.
 * maxDf is not filled: without it there is no cap, as a block that gave every other key has always meant.
 */
const ngrams = (defaults: NgramConfig) =>
  z
    .strictObject({
      min: z.number().int().min(1).optional(),
      max: z.number().int().min(1).optional(),
      minDf: z.number().int().min(1).optional(),
      maxDf: z.number().gt(0).max(1).optional(),
    })
    // Lengths run from min to max: min above max would train on no n-gram at all, an empty model, silently.
    .superRefine((given, context) => {
      const [min, max] = [given.min ?? defaults.min, given.max ?? defaults.max];
      const theDefault = (key: "min" | "max") => (given[key] === undefined ? " (the default)" : "");
      if (min > max)
        context.addIssue({
          code: "custom",
          message: `min ${min}${theDefault("min")} is greater than max ${max}${theDefault("max")}: n-gram lengths run from min to max, give min <= max`,
        });
    })
    .transform(
      (given): NgramConfig => ({
        min: given.min ?? defaults.min,
        max: given.max ?? defaults.max,
        minDf: given.minDf ?? defaults.minDf,
        ...(given.maxDf === undefined ? {} : { maxDf: given.maxDf }),
      }),
    );

/**
 * A vectorizer with neither words nor characters, once the tagger's defaults fill what the options leave out, would
 * give every text the empty vector: a model of nothing (kNN's characters are off by default, so its words alone).
 */
const someFeatures =
  (defaults: { words: unknown; chars: unknown }) =>
  (features: { words?: unknown; chars?: unknown }, context: z.RefinementCtx) => {
    const words = features.words === undefined ? defaults.words : features.words;
    const chars = features.chars === undefined ? defaults.chars : features.chars;
    if (words !== null || chars !== null) return;
    const state = (field: "words" | "chars") =>
      features[field] === null ? "null" : "off by default";
    context.addIssue({
      code: "custom",
      message: `${features.words === null && features.chars === null ? "words and chars are both null" : `words is ${state("words")} and chars is ${state("chars")}`}: the model would have no features at all; keep one of them`,
    });
  };

export const TaggerOptionsSchema = z.strictObject({
  linear: z
    .strictObject({
      // A sanity bound: 1e308 overflows (C times the items is infinite) into a model that suggests nothing, and a
      // million is far past any useful value (the default is 10; 1 to 100 all measured within 0.005 F1).
      C: z.number().positive().max(1e6),
      balanced: z.boolean(),
      epsilon: z.number().positive(),
      maxIterations: z.number().int().min(1),
      minTagCount: z.number().int().min(1),
      tagsPerFeature: z.number().int().min(1).max(65535),
      words: ngrams(DEFAULT_WORD_NGRAMS).nullable(),
      chars: ngrams(DEFAULT_CHAR_NGRAMS).nullable(),
      sublinearTf: z.boolean(),
      /**
       * Smoothing of Naive Bayes feature scaling (NBSVM), or null for none (0.001 to 1000: below, the ratios of unseen
       * features explode). A linear-only model gains from it (1, with C 1); the ensemble does not, its keyword table
       * already carries the same evidence.
       */
      naiveBayes: z.number().min(1e-3).max(1e3).nullable(),
    })
    .partial()
    .superRefine(someFeatures(DEFAULT_VECTORIZER))
    .optional(),
  knn: z
    .strictObject({
      neighbours: z.number().int().min(1),
      words: ngrams(DEFAULT_KNN.vectorizer.words ?? DEFAULT_WORD_NGRAMS).nullable(),
      chars: ngrams(DEFAULT_KNN.vectorizer.chars ?? DEFAULT_CHAR_NGRAMS).nullable(),
    })
    .partial()
    .superRefine(someFeatures(DEFAULT_KNN.vectorizer))
    .optional(),
  keywords: z
    .strictObject({
      minCount: z.number().int().min(1),
      maxShare: z.number().gt(0).max(1),
      smoothing: z.number().min(0),
    })
    .partial()
    .optional(),
  ensemble: z
    .strictObject({
      /** How many of each model's best tags become candidates. */
      candidatesPerModel: z.number().int().min(1),
      /** L2 penalty of the combination. */
      l2: z.number().min(0),
    })
    .partial()
    .optional(),
});

export type TaggerOptions = z.infer<typeof TaggerOptionsSchema>;
