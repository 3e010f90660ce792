// Precision and recall of what would be suggested at each score threshold: the trade-off a threshold chooses.

import type { EvaluatedItem } from "./evaluate.js";
import { prf } from "./metrics.js";

export interface CurvePoint {
  threshold: number;
  /** null where nothing would be suggested: precision is undefined there, not 0 (the chart leaves a gap). */
  precision: number | null;
  recall: number;
  f1: number;
}

export function thresholdCurve(
  evaluated: readonly EvaluatedItem[],
  limit: number,
  steps = 50,
): CurvePoint[] {
  const points: CurvePoint[] = [];
  for (let s = 0; s <= steps; s++) {
    const threshold = s / steps;
    let tp = 0;
    let predicted = 0;
    let actual = 0;
    for (const { case: c, scores } of evaluated) {
      const gold = new Set(c.gold);
      actual += gold.size;
      let kept = 0;
      for (let i = 0; i < c.ranking.length && kept < limit; i++) {
        if (scores[i] < threshold) break;
        kept++;
        if (gold.has(c.ranking[i])) tp++;
      }
      predicted += kept;
    }
    const scores = prf(tp, predicted, actual);
    points.push({ threshold, ...scores, precision: predicted > 0 ? scores.precision : null });
  }
  return points;
}
