import { describe, expect, it } from "vitest";
import { seededRandom } from "../data/random.js";
import { rowsToMatrix } from "../features/sparse.js";
import { fitDenseLogistic, predictDenseLogistic } from "./dense-logistic.js";
import { DEFAULT_LOGISTIC, sigmoid, trainLogistic } from "./logistic.js";
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
