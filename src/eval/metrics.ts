// Every metric by name, in one module, so every tagger is scored the same way (and as the reference systems score
// themselves: micro precision/recall/F1 of what is suggested, samples F1, top-k of the ranking).

export interface ScoredCase {
  gold: readonly string[];
  /** What the model suggests (after its thresholds), at most the limit. */
  suggested: readonly string[];
  /** The model's ranking, best first, at least 5 long where the model can rank that many. */
  ranking: readonly string[];
}

export interface PRF {
  precision: number;
  recall: number;
  f1: number;
}

export interface AtK {
  precision: number;
  recall: number;
}

/**
 * The cases of a group holding at least one item: only such a group has scores. A slice or the items with tags to
 * choose can hold none, and a rate over nothing is no rate, not 0 (as `metrics online` reports a rate with nothing
 * under it).
 */
export type SomeCases = readonly [ScoredCase, ...ScoredCase[]];

export const someCases = (cases: readonly ScoredCase[]): cases is SomeCases => cases.length > 0;

/** Scores of a group that may hold no item: null where it holds none. */
export type GroupScores<T> = { [K in keyof T]: T[K] | null };

export interface SuggestedScores extends PRF {
  samples_f1: number;
  mean_suggested: number;
}

const round = (x: number) => Math.round(x * 10000) / 10000;

export function prf(truePositives: number, predicted: number, actual: number): PRF {
  const precision = truePositives / Math.max(predicted, 1);
  const recall = actual === 0 ? 0 : truePositives / actual;
  const f1 = (2 * precision * recall) / Math.max(precision + recall, 1e-9);
  return { precision: round(precision), recall: round(recall), f1: round(f1) };
}

function overlap(gold: readonly string[], predicted: readonly string[]): number {
  const set = new Set(gold);
  let n = 0;
  for (const tag of predicted) if (set.has(tag)) n++;
  return n;
}

/** Micro precision, recall and F1 of the suggested sets, samples F1, and the mean number suggested. */
export function suggestedScores(cases: SomeCases): SuggestedScores {
  let tp = 0;
  let predicted = 0;
  let actual = 0;
  let samples = 0;
  for (const c of cases) {
    const hit = overlap(c.gold, c.suggested);
    tp += hit;
    predicted += c.suggested.length;
    actual += c.gold.length;
    const denominator = c.gold.length + c.suggested.length;
    samples += denominator === 0 ? 0 : (2 * hit) / denominator;
  }
  return {
    ...prf(tp, predicted, actual),
    samples_f1: round(samples / cases.length),
    mean_suggested: Math.round((predicted / cases.length) * 100) / 100,
  };
}

/** Suggested precision, recall and F1 of a group, each null when the group holds no item. */
export function groupScores(cases: readonly ScoredCase[]): GroupScores<PRF> {
  if (!someCases(cases)) return { precision: null, recall: null, f1: null };
  const { precision, recall, f1 } = suggestedScores(cases);
  return { precision, recall, f1 };
}

/** Micro precision and recall of the top k of each ranking (precision over what the top k holds). */
export function atK(cases: SomeCases, k: number): AtK {
  let tp = 0;
  let predicted = 0;
  let actual = 0;
  for (const c of cases) {
    const top = c.ranking.slice(0, k);
    tp += overlap(c.gold, top);
    predicted += top.length;
    actual += c.gold.length;
  }
  const { precision, recall } = prf(tp, predicted, actual);
  return { precision, recall };
}

/** Mean NDCG of the top k with binary relevance. */
export function ndcgAtK(cases: SomeCases, k: number): number {
  let total = 0;
  for (const c of cases) {
    const gold = new Set(c.gold);
    let dcg = 0;
    c.ranking.slice(0, k).forEach((tag, i) => {
      if (gold.has(tag)) dcg += 1 / Math.log2(i + 2);
    });
    let ideal = 0;
    for (let i = 0; i < Math.min(gold.size, k); i++) ideal += 1 / Math.log2(i + 2);
    total += ideal === 0 ? 0 : dcg / ideal;
  }
  return round(total / cases.length);
}

export interface TagScores extends PRF {
  support: number;
}

/** Precision, recall and F1 of each tag that is in some gold set or some suggestion. */
export function perTagScores(cases: readonly ScoredCase[]): Record<string, TagScores> {
  const counts = new Map<string, { tp: number; predicted: number; actual: number }>();
  const get = (tag: string) => {
    const existing = counts.get(tag);
    if (existing) return existing;
    const created = { tp: 0, predicted: 0, actual: 0 };
    counts.set(tag, created);
    return created;
  };
  for (const c of cases) {
    const gold = new Set(c.gold);
    for (const tag of gold) get(tag).actual++;
    for (const tag of c.suggested) {
      const entry = get(tag);
      entry.predicted++;
      if (gold.has(tag)) entry.tp++;
    }
  }
  const out: Record<string, TagScores> = {};
  for (const tag of [...counts.keys()].sort()) {
    const { tp, predicted, actual } = counts.get(tag) as {
      tp: number;
      predicted: number;
      actual: number;
    };
    out[tag] = { ...prf(tp, predicted, actual), support: actual };
  }
  return out;
}

/** Unweighted mean of per-tag precision, recall and F1 over the tags gold or suggested in the cases (as scikit-learn's macro average over the labels present). */
export function macroScores(perTag: Record<string, TagScores>): PRF {
  const tags = Object.values(perTag);
  if (tags.length === 0) return { precision: 0, recall: 0, f1: 0 };
  const mean = (key: keyof PRF) => round(tags.reduce((s, t) => s + t[key], 0) / tags.length);
  return { precision: mean("precision"), recall: mean("recall"), f1: mean("f1") };
}

/** Accuracy and support-weighted F1 of single-label predictions (top-1 against the one gold tag). */
export function singleLabelScores(
  cases: readonly { gold: string; predicted: string | undefined }[],
): {
  accuracy: number;
  weighted_f1: number;
} {
  const asCases = cases.map((c) => ({
    gold: [c.gold],
    suggested: c.predicted ? [c.predicted] : [],
    ranking: [],
  }));
  const perTag = perTagScores(asCases);
  let weighted = 0;
  let support = 0;
  for (const scores of Object.values(perTag)) {
    weighted += scores.f1 * scores.support;
    support += scores.support;
  }
  const correct = cases.filter((c) => c.predicted === c.gold).length;
  return {
    accuracy: round(cases.length ? correct / cases.length : 0),
    weighted_f1: round(support ? weighted / support : 0),
  };
}

/** Counts of gold class (rows) against predicted class (columns). */
export interface Confusion {
  gold: string[];
  /** null: nothing predicted (a text with no words), after the classes. */
  predicted: (string | null)[];
  /** counts[i][j]: items of gold class gold[i] predicted as predicted[j]. */
  counts: number[][];
}

/** The confusion table of single-label predictions, classes in name order, as singleLabelScores counts them. */
export function confusionCounts(
  cases: readonly { gold: string; predicted: string | undefined }[],
): Confusion {
  const gold = [...new Set(cases.map((c) => c.gold))].sort();
  const named = [
    ...new Set(cases.flatMap((c) => (c.predicted === undefined ? [] : [c.predicted]))),
  ];
  const predicted: (string | null)[] = named.sort();
  if (cases.some((c) => c.predicted === undefined)) predicted.push(null);
  const counts = gold.map(() => predicted.map(() => 0));
  for (const c of cases) counts[gold.indexOf(c.gold)][predicted.indexOf(c.predicted ?? null)]++;
  return { gold, predicted, counts };
}

/**
 * The q-quantile of ascending values by nearest rank: the smallest value with at least a share q of them at or below
 * it (rank ceil(q n), counted from 1); 0 for none. So the p99 of 100 latencies is the 99th, not the largest.
 */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1];
}
