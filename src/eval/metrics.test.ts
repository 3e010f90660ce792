import { describe, expect, it } from "vitest";
import {
  atK,
  groupScores,
  macroScores,
  ndcgAtK,
  percentile,
  perTagScores,
  type SomeCases,
  singleLabelScores,
  suggestedScores,
} from "./metrics.js";

const cases: SomeCases = [
  { gold: ["a", "b"], suggested: ["a", "x"], ranking: ["a", "x", "b", "y", "z"] },
  { gold: ["c"], suggested: [], ranking: ["y", "c"] },
];

describe("metrics, computed by hand", () => {
  it("scores what is suggested: micro precision, recall, F1, samples F1", () => {
    // tp 1, predicted 2, gold 3: P 0.5, R 1/3, F1 0.4; samples F1: (2*1/4 + 0) / 2 = 0.25
    expect(suggestedScores(cases)).toEqual({
      precision: 0.5,
      recall: 0.3333,
      f1: 0.4,
      samples_f1: 0.25,
      mean_suggested: 1,
    });
  });

  it("gives a group with no item no scores (null), not scores of 0", () => {
    expect(groupScores([])).toEqual({ precision: null, recall: null, f1: null });
    expect(groupScores(cases)).toEqual({ precision: 0.5, recall: 0.3333, f1: 0.4 });
  });

  it("scores the top k of the ranking", () => {
    expect(atK(cases, 1)).toEqual({ precision: 0.5, recall: 0.3333 });
    // top 3: [a, x, b] and [y, c]: tp 3 of 5 returned, 3 gold
    expect(atK(cases, 3)).toEqual({ precision: 0.6, recall: 1 });
  });

  it("computes NDCG@5 with binary relevance", () => {
    const first = (1 + 1 / Math.log2(4)) / (1 + 1 / Math.log2(3));
    const second = 1 / Math.log2(3);
    expect(ndcgAtK(cases, 5)).toBeCloseTo((first + second) / 2, 4);
  });

  it("scores each tag and their unweighted mean", () => {
    const perTag = perTagScores(cases);
    expect(perTag.a).toEqual({ precision: 1, recall: 1, f1: 1, support: 1 });
    expect(perTag.x).toEqual({ precision: 0, recall: 0, f1: 0, support: 0 });
    expect(perTag.c).toEqual({ precision: 0, recall: 0, f1: 0, support: 1 });
    expect(macroScores(perTag).f1).toBeCloseTo(1 / 4, 4);
  });

  it("scores single-label predictions: accuracy and support-weighted F1", () => {
    const scores = singleLabelScores([
      { gold: "cv", predicted: "cv" },
      { gold: "cv", predicted: "nlp" },
      { gold: "nlp", predicted: "nlp" },
    ]);
    // cv: P 1, R 0.5, F1 2/3 (support 2); nlp: P 0.5, R 1, F1 2/3 (support 1)
    expect(scores).toEqual({ accuracy: 0.6667, weighted_f1: 0.6667 });
  });
});

describe("percentile", () => {
  it("is the nearest rank: the smallest value with at least a share q at or below it", () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 1)).toBe(100);
    expect(percentile([1, 2], 0.5)).toBe(1);
    expect(percentile([1, 2, 3], 0.5)).toBe(2);
    expect(percentile([7], 0)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });
});
