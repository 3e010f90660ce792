// The features of one candidate, on a hand-made reading of a text: what each feature promises whatever the models say.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Evidence } from "../suggestion.js";
import {
  candidateFeatures,
  FEATURES,
  type FeatureName,
  type TagStatistics,
  type TextReading,
} from "./features.js";

/** One tag, "pytorch", known to every model at column 0; `linearProbability` is the linear model's say on it. */
function readingOf(linearProbability: number, named: boolean): TextReading {
  const evidence: Evidence[] = [{ field: "title", start: 0, end: 7, text: "PyTorch" }];
  return {
    named: new Map(named ? [["pytorch", evidence]] : []),
    ancestorOfNamed: new Set(),
    topLinear: [{ tag: "pytorch", score: linearProbability }],
    linearProbabilities: Float32Array.of(linearProbability),
    ancestorOfLinear: new Map(),
    knnScores: { scores: Float64Array.of(0), order: [] },
    keywordScores: { best: Float64Array.of(0), noisyOr: Float64Array.of(0) },
    ancestorOfChosen: new Set(),
    namedAnchors: [],
    linearAnchors: [],
    chosenAnchors: [],
  };
}

const statistics: TagStatistics = {
  named: Int32Array.of(3),
  namedAndGold: Int32Array.of(2),
  counts: Int32Array.of(4),
  recent: Float32Array.of(0.25),
  logPrior: Float64Array.of(Math.log(5 / 11)),
  unseenLogPrior: Math.log(1 / 11),
  cooccurrence: { count: () => 0 },
};

const feature = (row: readonly number[], name: FeatureName) => row[FEATURES.indexOf(name)];

describe("linear_doubt_if_named, the linear model's doubt about a named tag", () => {
  it("is never positive: however sure the linear model is, it never lowers a tag the text names", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.boolean(),
        fc.boolean(),
        (probability, named, hasClassifier) => {
          const columns = { index: 0, linear: hasClassifier ? 0 : -1, knn: 0, keyword: 0 };
          const row = candidateFeatures(
            "pytorch",
            columns,
            readingOf(probability, named),
            statistics,
          );
          expect(feature(row, "linear_doubt_if_named")).toBeLessThanOrEqual(0);
          if (!named) expect(feature(row, "linear_doubt_if_named")).toBe(0);
        },
      ),
    );
  });

  it("is the linear model's logit when it doubts a named tag", () => {
    const columns = { index: 0, linear: 0, knn: 0, keyword: 0 };
    const row = candidateFeatures("pytorch", columns, readingOf(0.2, true), statistics);
    expect(feature(row, "linear_doubt_if_named")).toBeCloseTo(Math.log(0.2 / 0.8), 6);
  });
});
