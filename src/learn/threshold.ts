// Choosing the score threshold above which a ranked tag is suggested: the one that maximises micro F1 on held-out
// items, with at most `limit` suggestions each.

export interface RankedCase {
  gold: ReadonlySet<string>;
  /** Candidates best first. */
  ranked: readonly { tag: string; score: number }[];
}

/** Scans every distinct score among the top `limit` of each case as a threshold; ties go to the higher threshold. */
export function bestThreshold(
  cases: readonly RankedCase[],
  limit: number,
): { threshold: number; f1: number } {
  const points: { score: number; hit: number }[] = [];
  let actual = 0;
  for (const c of cases) {
    actual += c.gold.size;
    for (const { tag, score } of c.ranked.slice(0, limit))
      points.push({ score, hit: c.gold.has(tag) ? 1 : 0 });
  }
  points.sort((a, b) => b.score - a.score);
  let best = { threshold: 1, f1: 0 };
  let tp = 0;
  for (let i = 0; i < points.length; i++) {
    const point = points[i];
    tp += point.hit;
    // Only cut between distinct scores: a threshold keeps every candidate with the same score.
    if (i + 1 < points.length && points[i + 1].score === point.score) continue;
    const precision = tp / (i + 1);
    const recall = actual ? tp / actual : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) best = { threshold: point.score, f1 };
  }
  return best;
}
