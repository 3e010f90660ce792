// Tagger options as one schema: read from `tagsmith train --config`, validated once, recorded in every manifest.
// Every option has a default chosen by measurement (docs/project/release-1/design.md).

import { z } from "zod";

const Ngrams = z
  .strictObject({
    min: z.number().int().min(1),
    max: z.number().int().min(1),
    minDf: z.number().int().min(1),
    maxDf: z.number().gt(0).max(1).optional(),
  })
  // Lengths run from min to max: min above max would train on no n-gram at all, an empty model, silently.
  .superRefine((ngrams, context) => {
    if (ngrams.min > ngrams.max)
      context.addIssue({
        code: "custom",
        message: `min ${ngrams.min} is greater than max ${ngrams.max}: n-gram lengths run from min to max, give min <= max`,
      });
  });

export const TaggerOptionsSchema = z.strictObject({
  linear: z
    .strictObject({
      C: z.number().positive(),
      balanced: z.boolean(),
      epsilon: z.number().positive(),
      maxIterations: z.number().int().min(1),
      minTagCount: z.number().int().min(1),
      tagsPerFeature: z.number().int().min(1).max(65535),
      words: Ngrams.nullable(),
      chars: Ngrams.nullable(),
      sublinearTf: z.boolean(),
      /**
       * Smoothing of Naive Bayes feature scaling (NBSVM), or null for none. A linear-only model gains from it (1, with
       * C 1); the ensemble does not, its keyword table already carries the same evidence.
       */
      naiveBayes: z.number().positive().nullable(),
    })
    .partial()
    .optional(),
  knn: z
    .strictObject({
      neighbours: z.number().int().min(1),
      words: Ngrams.nullable(),
      chars: Ngrams.nullable(),
    })
    .partial()
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
