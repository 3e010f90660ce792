// L2-regularised logistic regression for sparse text features, solved by dual coordinate descent
// (Yu, Huang & Lin, "Dual coordinate descent methods for logistic regression", 2011; liblinear's -s 7).
// Hand-written because no maintained npm package trains sparse logistic regression; this solver touches only the
// non-zeros of each row, so one-vs-rest over hundreds of tags trains in seconds.

import { seededRandom } from "../data/index.js";
import type { SparseMatrix } from "../features/index.js";

export interface LogisticConfig {
  /** Inverse regularisation strength. */
  C: number;
  /** Weight each class inversely to its frequency, as scikit-learn's class_weight="balanced". */
  balanced: boolean;
  /** Stop when the largest projected gradient is below this. */
  epsilon: number;
  maxIterations: number;
  /** Value of the constant feature whose weight is the intercept (regularised, as in liblinear). */
  bias: number;
  /**
   * Naive Bayes feature scaling (NBSVM, Wang & Manning 2012) with this smoothing, or null for none: each feature is
   * multiplied by the log-ratio of its presence rate in the class and out of it, before fitting.
   */
  naiveBayes: number | null;
}

export const DEFAULT_LOGISTIC: LogisticConfig = {
  C: 10,
  balanced: true,
  // Looser than liblinear's 0.1 and capped at 5 passes over the data: the ensemble scores the same (mean F1 0.606,
  // recall@5 0.648 vs 0.649 with 10 passes, over three rolling time splits) and its linear part trains 3x faster.
  epsilon: 1,
  maxIterations: 5,
  bias: 1,
  naiveBayes: null,
};

export interface BinaryModel {
  /** One weight per feature. */
  weights: Float32Array;
  intercept: number;
}

/**
 * Per feature, log of (its smoothed share of feature presences in the class) over (the same out of the class): how
 * much more often the class's rows have it. Presence, not the TF-IDF value, as the NBSVM paper's binarised variant.
 */
export function naiveBayesRatios(
  x: SparseMatrix,
  positive: Uint8Array,
  smoothing: number,
): Float64Array {
  const inClass = new Float64Array(x.columns).fill(smoothing);
  const outOfClass = new Float64Array(x.columns).fill(smoothing);
  for (let i = 0; i < x.rows; i++) {
    const counts = positive[i] ? inClass : outOfClass;
    for (let k = x.offsets[i]; k < x.offsets[i + 1]; k++) counts[x.indices[k]] += 1;
  }
  const total = (a: Float64Array) => a.reduce((s, v) => s + v, 0);
  const inTotal = total(inClass);
  const outTotal = total(outOfClass);
  return inClass.map((v, f) => Math.log(v / inTotal) - Math.log(outOfClass[f] / outTotal));
}

/**
 * Trains one binary classifier. `positive[i]` says whether row i is in the class. Deterministic for a seed.
 */
export function trainLogistic(
  x: SparseMatrix,
  positive: Uint8Array,
  config: LogisticConfig = DEFAULT_LOGISTIC,
  seed = 1,
): BinaryModel {
  const n = x.rows;
  const { offsets, indices } = x;
  // With Naive Bayes scaling the solver sees each value times its feature's ratio; the weights returned are folded
  // back (times the ratio) so that they apply to unscaled vectors, and scoring does not change.
  const ratios =
    config.naiveBayes === null ? null : naiveBayesRatios(x, positive, config.naiveBayes);
  const values = ratios ? scaled(x, ratios) : x.values;
  const bias = config.bias;
  const w = new Float64Array(x.columns + 1); // last entry: weight of the bias feature
  const biasIndex = x.columns;

  let positives = 0;
  for (let i = 0; i < n; i++) positives += positive[i];
  const negatives = n - positives;
  const upperPositive =
    config.balanced && positives > 0 ? (config.C * n) / (2 * positives) : config.C;
  const upperNegative =
    config.balanced && negatives > 0 ? (config.C * n) / (2 * negatives) : config.C;

  // Two dual variables per row: alpha[2i] is the row's, alpha[2i + 1] = C - alpha[2i].
  const alpha = new Float64Array(2 * n);
  const squaredNorm = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const upper = positive[i] ? upperPositive : upperNegative;
    const y = positive[i] ? 1 : -1;
    alpha[2 * i] = Math.min(0.001 * upper, 1e-8);
    alpha[2 * i + 1] = upper - alpha[2 * i];
    let norm = bias * bias;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) {
      const v = values[k];
      norm += v * v;
      w[indices[k]] += y * alpha[2 * i] * v;
    }
    w[biasIndex] += y * alpha[2 * i] * bias;
    squaredNorm[i] = norm;
  }

  const order = Int32Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(seed);
  const innerEpsilonMin = Math.min(1e-8, config.epsilon);
  let innerEpsilon = 1e-2;
  const maxInner = 100;

  for (let iteration = 0; iteration < config.maxIterations; iteration++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    let newtonSteps = 0;
    let largestGradient = 0;
    for (let s = 0; s < n; s++) {
      const i = order[s];
      const y = positive[i] ? 1 : -1;
      const upper = positive[i] ? upperPositive : upperNegative;
      const start = offsets[i];
      const end = offsets[i + 1];
      let margin = w[biasIndex] * bias;
      for (let k = start; k < end; k++) margin += w[indices[k]] * values[k];
      const a = squaredNorm[i];
      const b = y * margin;

      // Minimise over whichever of the pair is further from its bound.
      let first = 2 * i;
      let second = 2 * i + 1;
      let sign = 1;
      if (0.5 * a * (alpha[second] - alpha[first]) + b < 0) {
        first = 2 * i + 1;
        second = 2 * i;
        sign = -1;
      }
      const old = alpha[first];
      let z = old;
      if (upper - z < 0.5 * upper) z *= 0.1;
      let gradient = a * (z - old) + sign * b + Math.log(z / (upper - z));
      largestGradient = Math.max(largestGradient, Math.abs(gradient));

      let inner = 0;
      while (inner <= maxInner && Math.abs(gradient) >= innerEpsilon) {
        const curvature = a + upper / (upper - z) / z;
        const next = z - gradient / curvature;
        z = next <= 0 ? z * 0.1 : next;
        gradient = a * (z - old) + sign * b + Math.log(z / (upper - z));
        newtonSteps++;
        inner++;
      }
      if (inner > 0) {
        alpha[first] = z;
        alpha[second] = upper - z;
        const step = sign * (z - old) * y;
        for (let k = start; k < end; k++) w[indices[k]] += step * values[k];
        w[biasIndex] += step * bias;
      }
    }
    if (largestGradient < config.epsilon) break;
    if (newtonSteps <= n / 10) innerEpsilon = Math.max(innerEpsilonMin, 0.1 * innerEpsilon);
  }

  return {
    weights: ratios ? folded(w, ratios) : Float32Array.from(w.subarray(0, x.columns)),
    intercept: w[biasIndex] * bias,
  };
}

/** Each value times its feature's ratio. Plain loops: typed-array from() with a map function is 10x slower. */
function scaled(x: SparseMatrix, ratios: Float64Array): Float64Array {
  const out = new Float64Array(x.values.length);
  for (let k = 0; k < out.length; k++) out[k] = x.values[k] * ratios[x.indices[k]];
  return out;
}

/** Weights of the scaled problem as weights of the unscaled one (w times the ratio), without the bias weight. */
function folded(w: Float64Array, ratios: Float64Array): Float32Array {
  const out = new Float32Array(ratios.length);
  for (let f = 0; f < out.length; f++) out[f] = w[f] * ratios[f];
  return out;
}

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}
