// The k best of many scores without sorting them all: the linear model's best tags, the kNN's nearest items and the
// weights each feature keeps are all a few of hundreds or thousands. Ranked largest first, ties to the lower index;
// a NaN score never ranks.

/** Indices of the k largest scores. */
export function topK(scores: ArrayLike<number>, k: number): number[] {
  const best: number[] = [];
  if (k > 0) for (let i = 0; i < scores.length; i++) insert(best, k, scores, i);
  return best;
}

/** Of `candidates` (indices, in any order), the k with the largest scores above `floor`. */
export function topKAbove(
  scores: ArrayLike<number>,
  k: number,
  candidates: readonly number[],
  floor: number,
): number[] {
  const best: number[] = [];
  if (k <= 0) return best;
  for (let q = 0; q < candidates.length; q++) {
    const i = candidates[q];
    if (scores[i] > floor) insert(best, k, scores, i);
  }
  return best;
}

/**
 * Puts index i into `best` (at most k, best first) where it ranks, by insertion from the end: a full list drops its
 * last entry. Shared by two entry points rather than one taking optional candidates and floor: V8 compiles that one
 * for every kind of call at once, and a suggestion's three top-k selections took 1.5 us longer.
 */
function insert(best: number[], k: number, scores: ArrayLike<number>, i: number): void {
  const score = scores[i];
  if (Number.isNaN(score)) return;
  if (best.length === k && !ranksBefore(score, i, scores[best[k - 1]], best[k - 1])) return;
  let at = best.length < k ? best.length : k - 1;
  while (at > 0 && ranksBefore(score, i, scores[best[at - 1]], best[at - 1])) {
    best[at] = best[at - 1];
    at--;
  }
  best[at] = i;
}

/** Whether index i with score s ranks before index j with score t. */
function ranksBefore(s: number, i: number, t: number, j: number): boolean {
  return s > t || (s === t && i < j);
}
