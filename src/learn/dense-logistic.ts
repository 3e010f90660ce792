// Logistic regression over a few dense features by Newton's method: the ensemble's learned combination.
// Hand-written because it is twenty lines with no dependency, and exact: Newton converges in a handful of steps.

import { sigmoid } from "./logistic.js";

export interface DenseLogistic {
  weights: number[];
  intercept: number;
}

/** Solves a small symmetric positive-definite system by Cholesky decomposition. */
function solve(matrix: number[][], vector: number[]): number[] {
  const n = vector.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i][j];
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k];
      l[i][j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j][j];
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = vector[i];
    for (let k = 0; k < i; k++) sum -= l[i][k] * y[k];
    y[i] = sum / l[i][i];
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i];
    for (let k = i + 1; k < n; k++) sum -= l[k][i] * x[k];
    x[i] = sum / l[i][i];
  }
  return x;
}

/** Fits weights and intercept minimising log loss + l2/2 |w|^2 (the intercept is not penalised). */
export function fitDenseLogistic(
  rows: readonly number[][],
  labels: readonly number[],
  l2 = 1,
  iterations = 25,
): DenseLogistic {
  const d = (rows[0]?.length ?? 0) + 1;
  const beta = new Array<number>(d).fill(0);
  for (let iteration = 0; iteration < iterations; iteration++) {
    const gradient = new Array<number>(d).fill(0);
    const hessian = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    rows.forEach((row, r) => {
      const x = [...row, 1];
      let z = 0;
      for (let j = 0; j < d; j++) z += beta[j] * x[j];
      const p = sigmoid(z);
      const w = Math.max(p * (1 - p), 1e-10);
      for (let j = 0; j < d; j++) {
        gradient[j] += (p - labels[r]) * x[j];
        for (let k = 0; k <= j; k++) hessian[j][k] += w * x[j] * x[k];
      }
    });
    for (let j = 0; j < d; j++) {
      for (let k = 0; k < j; k++) hessian[k][j] = hessian[j][k];
      if (j < d - 1) {
        gradient[j] += l2 * beta[j];
        hessian[j][j] += l2;
      }
    }
    const step = solve(hessian, gradient);
    let change = 0;
    for (let j = 0; j < d; j++) {
      beta[j] -= step[j];
      change = Math.max(change, Math.abs(step[j]));
    }
    if (change < 1e-8) break;
  }
  return { weights: beta.slice(0, d - 1), intercept: beta[d - 1] };
}

export function predictDenseLogistic(model: DenseLogistic, row: readonly number[]): number {
  let z = model.intercept;
  for (let j = 0; j < row.length; j++) z += model.weights[j] * row[j];
  return sigmoid(z);
}
