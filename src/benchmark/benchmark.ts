// Every tagger side by side on one split (oldest 70% train, next 15% tune, newest 15% test), with training time
// and latency per suggestion: the product's "benchmark each approach against the others". Undated data gets a
// seeded random split, as training's hold-out does; single-label data is scored at one suggestion, as eval does.

import { type ContentItem, randomSplit, timeSplit } from "../data/index.js";
import {
  type EvalReport,
  evaluate,
  type PRF,
  percentile,
  type ScoringPlan,
  type SuggestedScores,
} from "../eval/index.js";
import type { TaggerKind, TrainContext, TrainingItem } from "../taggers/index.js";
import {
  assertEnoughLabeled,
  taggerAsScored,
  trainingItems,
  tuneAndRefit,
} from "../train/index.js";

export const BENCHMARK_RATIOS = [0.7, 0.15, 0.15];

export interface BenchmarkRow {
  tagger: string;
  summary: string;
  suggested: SuggestedScores;
  at_k: Record<"1" | "3" | "5", { precision: number; recall: number }>;
  ndcg_at_5: number;
  macro: PRF;
  /** Single-label data only: accuracy and weighted F1 of the top suggestion. */
  single_label?: EvalReport["single_label"];
  train_seconds: number;
  latency_ms: { mean: number; p50: number; p99: number };
}

export interface BenchmarkReport {
  split: { train: number; tune: number; test: number; method: "time" | "random" };
  /** Suggestions per item the rows are scored at: 1 for single-label data, whatever was asked for. */
  limit: number;
  rows: BenchmarkRow[];
}

const ms = (x: number) => Math.round(x * 1000) / 1000;

/** Every tagger trained the way `tagsmith train` trains it (fit, tune, refit on both) and scored on `test`. */
export async function benchmarkOnSplit(
  kinds: readonly TaggerKind[],
  parts: {
    fit: readonly TrainingItem[];
    tune: readonly TrainingItem[];
    test: readonly TrainingItem[];
  },
  context: TrainContext,
  scoring: ScoringPlan,
): Promise<BenchmarkRow[]> {
  const { limit } = scoring;
  const rows: BenchmarkRow[] = [];
  for (const kind of kinds) {
    const start = performance.now();
    const { state } = await tuneAndRefit(kind, parts.fit, parts.tune, context);
    const trainSeconds = (performance.now() - start) / 1000;
    const tagger = taggerAsScored(kind, state, context.taxonomy, scoring);
    const report = evaluate(tagger, parts.test, context.taxonomy, scoring);
    // Latency of single suggestions as the service makes them, after a warm-up pass.
    for (const item of parts.test) tagger.suggest(item, { limit });
    const times = parts.test.map((item) => {
      const t = performance.now();
      tagger.suggest(item, { limit });
      return performance.now() - t;
    });
    times.sort((a, b) => a - b);
    rows.push({
      tagger: kind.name,
      summary: kind.summary,
      suggested: report.suggested,
      at_k: report.at_k,
      ndcg_at_5: report.ndcg_at_5,
      macro: report.macro,
      ...(report.single_label ? { single_label: report.single_label } : {}),
      train_seconds: Math.round(trainSeconds * 100) / 100,
      latency_ms: {
        mean: ms(times.reduce((s, t) => s + t, 0) / Math.max(times.length, 1)),
        p50: ms(percentile(times, 0.5)),
        p99: ms(percentile(times, 0.99)),
      },
    });
  }
  return rows;
}

/**
 * The benchmark split: oldest 70% fit, next 15% tune, newest 15% test when every item is dated, else a random
 * split seeded by `context.seed`, scored as `scoring` plans (scoringPlan: single-label data at one suggestion).
 */
export async function benchmark(
  kinds: readonly TaggerKind[],
  items: readonly ContentItem[],
  context: TrainContext,
  scoring: ScoringPlan,
): Promise<BenchmarkReport> {
  const method = items.every((i) => i.createdOn !== null) ? "time" : "random";
  const parts =
    method === "time"
      ? timeSplit(items, BENCHMARK_RATIOS)
      : randomSplit(items, BENCHMARK_RATIOS, context.seed);
  const [fit, tune, test] = parts.map((part) => trainingItems(part, context.taxonomy)) as [
    TrainingItem[],
    TrainingItem[],
    TrainingItem[],
  ];
  const share = (i: number) => `${Math.round((BENCHMARK_RATIOS[i] ?? 0) * 100)}%`;
  const [first, second, third] =
    method === "time"
      ? ["the oldest", "the next", "the newest"]
      : ["a random", "another", "another"];
  assertEnoughLabeled(
    [
      { name: `${first} ${share(0)} (train)`, items: fit.length },
      { name: `${second} ${share(1)} (tune)`, items: tune.length },
      { name: `${third} ${share(2)} (test)`, items: test.length },
    ],
    items.length,
  );
  const rows = await benchmarkOnSplit(kinds, { fit, tune, test }, context, scoring);
  return {
    split: { train: fit.length, tune: tune.length, test: test.length, method },
    limit: scoring.limit,
    rows,
  };
}
