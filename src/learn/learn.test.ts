import { describe, expect, it } from "vitest";
import { seededRandom } from "../data/index.js";
import { rowsToMatrix } from "../features/index.js";
import { fitDenseLogistic, predictDenseLogistic } from "./dense-logistic.js";
import { DEFAULT_LOGISTIC, naiveBayesRatios, sigmoid, trainLogistic } from "./logistic.js";
import { trainOneVsRest } from "./one-vs-rest.js";
import { bestThreshold } from "./threshold.js";

/** Rows with two features, positive when the first dominates. */
function toyData(n: number, seed: number) {
  const random = seededRandom(seed);
  const rows = Array.from({ length: n }, () => {
    const a = random();
    const b = random();
    return {
      indices: Int32Array.from([0, 1]),
      values: Float32Array.from([a, b]),
      positive: a > b ? 1 : 0,
    };
  });
  return { x: rowsToMatrix(rows, 2), labels: Uint8Array.from(rows, (r) => r.positive) };
}

describe("trainLogistic (dual coordinate descent)", () => {
  it("separates linearly separable data", () => {
    const { x, labels } = toyData(400, 1);
    const model = trainLogistic(
      x,
      labels,
      { ...DEFAULT_LOGISTIC, C: 100, epsilon: 0.01, maxIterations: 200 },
      3,
    );
    let correct = 0;
    for (let i = 0; i < x.rows; i++) {
      const z =
        model.weights[0] * x.values[2 * i] +
        model.weights[1] * x.values[2 * i + 1] +
        model.intercept;
      if ((sigmoid(z) > 0.5 ? 1 : 0) === labels[i]) correct++;
    }
    expect(correct / x.rows).toBeGreaterThan(0.95);
    expect(model.weights[0]).toBeGreaterThan(0);
    expect(model.weights[1]).toBeLessThan(0);
  });

  it("is deterministic for a seed, and one-vs-rest gives the same models on any number of threads", async () => {
    const { x, labels } = toyData(200, 2);
    const other = Uint8Array.from(labels, (l) => 1 - l);
    const a = trainLogistic(x, labels, DEFAULT_LOGISTIC, 5);
    expect(trainLogistic(x, labels, DEFAULT_LOGISTIC, 5)).toEqual(a);
    const job = { x, labels: [labels, other], config: DEFAULT_LOGISTIC, seed: 9 };
    expect(await trainOneVsRest(job, 1)).toEqual(await trainOneVsRest(job, 2));
  });
});

describe("Naive Bayes scaling (NBSVM)", () => {
  // Feature 0 in both classes alike, 1 only in the class, 2 only outside it.
  const x = rowsToMatrix(
    [
      { indices: Int32Array.from([0, 1]), values: Float32Array.from([0.6, 0.8]) },
      { indices: Int32Array.from([0, 1]), values: Float32Array.from([0.8, 0.6]) },
      { indices: Int32Array.from([0, 2]), values: Float32Array.from([0.6, 0.8]) },
      { indices: Int32Array.from([0, 2]), values: Float32Array.from([0.8, 0.6]) },
    ],
    3,
  );
  const positive = Uint8Array.from([1, 1, 0, 0]);

  it("rates a feature by how much more often the class has it", () => {
    const ratios = naiveBayesRatios(x, positive, 1);
    // In the class: counts 1+2, 1+2, 1+0 of 7; out of it: 1+2, 1+0, 1+2 of 7.
    expect(ratios[0]).toBeCloseTo(0, 10);
    expect(ratios[1]).toBeCloseTo(Math.log(3 / 7) - Math.log(1 / 7), 10);
    expect(ratios[2]).toBeCloseTo(-(ratios[1] as number), 10);
  });

  it("fits the scaled problem and returns weights for unscaled vectors", () => {
    const config = { ...DEFAULT_LOGISTIC, epsilon: 0.01, maxIterations: 50 };
    const ratios = naiveBayesRatios(x, positive, 1);
    const scaled = {
      ...x,
      values: Float32Array.from(x.values, (v, k) => v * (ratios[x.indices[k] as number] as number)),
    };
    const onScaled = trainLogistic(scaled, positive, config, 3);
    const folded = trainLogistic(x, positive, { ...config, naiveBayes: 1 }, 3);
    onScaled.weights.forEach((w, f) => {
      expect(folded.weights[f]).toBeCloseTo(w * (ratios[f] as number), 4);
    });
    expect(folded.intercept).toBeCloseTo(onScaled.intercept, 4);
    // A feature both classes have alike is scaled to nothing, so it weighs nothing.
    expect(folded.weights[0]).toBeCloseTo(0, 6);
  });
});

describe("fitDenseLogistic (Newton)", () => {
  it("recovers the coefficients that generated the labels", () => {
    const random = seededRandom(4);
    const rows: number[][] = [];
    const labels: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const row = [random() * 4 - 2, random() * 4 - 2];
      rows.push(row);
      labels.push(random() < 1 / (1 + Math.exp(-(1.5 * row[0] - 2 * row[1] + 0.5))) ? 1 : 0);
    }
    const model = fitDenseLogistic(rows, labels, 0);
    expect(model.weights[0]).toBeCloseTo(1.5, 0);
    expect(model.weights[1]).toBeCloseTo(-2, 0);
    expect(model.intercept).toBeCloseTo(0.5, 0);
    expect(predictDenseLogistic(model, [0, 0])).toBeCloseTo(sigmoid(model.intercept), 10);
  });
});

describe("bestThreshold", () => {
  it("picks the cut with the best micro F1, computed by hand", () => {
    const cases = [
      {
        gold: new Set(["a", "b"]),
        ranked: [
          { tag: "a", score: 0.9 },
          { tag: "x", score: 0.6 },
          { tag: "b", score: 0.3 },
        ],
      },
      {
        gold: new Set(["c"]),
        ranked: [
          { tag: "c", score: 0.8 },
          { tag: "y", score: 0.2 },
        ],
      },
    ];
    // cut 0.8: tp 2, predicted 2, gold 3 -> F1 0.8; cut 0.6: 2/3, 2/3 -> 0.667; cut 0.3: 3/4, 1 -> 0.857; 0.2: 3/5 -> 0.75
    const best = bestThreshold(cases, 5);
    expect(best.threshold).toBe(0.3);
    expect(best.f1).toBeCloseTo(6 / 7, 10);
  });
});
