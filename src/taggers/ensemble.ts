// The ensemble, the default tagger: candidates from the rules, the linear model and the nearest neighbours, each
// described by a few features (model scores, where the tag was named, how often naming it was right in training,
// ancestry, frequency) and scored by a logistic regression learned on held-out items.

import {
  type DenseLogistic,
  fitDenseLogistic,
  predictDenseLogistic,
} from "../learn/dense-logistic.js";
import { bestThreshold } from "../learn/threshold.js";
import type { Taxonomy } from "../taxonomy/index.js";
import { boundInput } from "./input.js";
import { KeywordModel, type KeywordState, keywordConfig, trainKeywordModel } from "./keywords.js";
import { KnnModel, type KnnState, knnConfig, trainKnnModel } from "./knn.js";
import { LinearModel, type LinearState, linearConfig, trainLinearModel } from "./linear.js";
import { type TagMatch, TagMatcher } from "./rules.js";
import type { ContentInput, Evidence, Suggestion } from "./suggestion.js";
import {
  finalizeSuggestions,
  type SuggestOptions,
  type Tagger,
  type TaggerKind,
  type TrainContext,
  type TrainingItem,
} from "./tagger.js";

export const DEFAULT_ENSEMBLE = { candidatesPerModel: 10, l2: 1 };
const LIMIT = 5;

export const FEATURES = [
  "linear",
  "linear_logit",
  "knn",
  "named_in_title",
  "named_in_description",
  "naming_precision",
  "ancestor_of_named",
  "ancestor_of_linear",
  "log_prior",
  "linear_top1",
  "cooccurs_with_named",
  "cooccurs_with_linear",
  "keyword_best",
  "keyword_noisy_or",
  "recent_prior",
] as const;

export interface EnsembleState {
  linear: LinearState;
  knn: KnnState;
  keywords: KeywordState;
  /** Share of the most recent fifth of training items with each tag (authors' habits drift). */
  recent: Float32Array;
  /** Tags seen in training with, per tag: how often it was named in a text, how often it was then a gold tag. */
  tags: string[];
  named: Int32Array;
  namedAndGold: Int32Array;
  /** How many training items carry each tag, and how many items there were. */
  counts: Int32Array;
  /** cooccurrence[a * tags.length + b]: training items carrying both tag a and tag b. */
  cooccurrence: Int32Array;
  items: number;
  candidatesPerModel: number;
  combiner: DenseLogistic | null;
  threshold: number;
}

interface Candidate {
  tag: string;
  features: number[];
  evidence?: Evidence[];
}

const logit = (p: number) => Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));

export class EnsembleModel {
  private readonly linear: LinearModel;
  private readonly knn: KnnModel;
  private readonly keywords: KeywordModel;
  private readonly keywordTagIndex: Map<string, number>;
  private readonly matcher: TagMatcher;
  private readonly tagIndex: Map<string, number>;

  constructor(
    readonly state: EnsembleState,
    readonly taxonomy: Taxonomy,
  ) {
    this.linear = new LinearModel(state.linear);
    this.knn = new KnnModel(state.knn);
    this.keywords = new KeywordModel(state.keywords);
    this.keywordTagIndex = new Map(state.keywords.tags.map((t, i) => [t, i]));
    this.matcher = new TagMatcher(taxonomy);
    this.tagIndex = new Map(state.tags.map((t, i) => [t, i]));
  }

  /** Candidate tags of a text with their features. */
  candidates(content: ContentInput): Candidate[] {
    const fields = boundInput(content);
    const matches: TagMatch[] = this.matcher.match(fields);
    const { probabilities, top: topLinear } = this.linear.score(
      fields,
      this.state.candidatesPerModel,
    );
    const linearScore = (tag: string) => {
      const c = this.linear.classIndex.get(tag);
      return c === undefined ? undefined : probabilities[c];
    };
    const knn = this.knn.ranked(fields).sort((a, b) => b.score - a.score);
    const knnScore = new Map(knn.map((s) => [s.tag, s.score]));
    // Keyword scores describe candidates but add none: as candidates they lowered recall@5 on rolling time splits.
    const keyword = this.keywords.scores(fields);

    const named = new Map(matches.map((m) => [m.tag, m.evidence]));
    const ancestorOfNamed = new Set(matches.flatMap((m) => this.taxonomy.ancestors(m.tag)));
    const ancestorOfLinear = new Map<string, number>();
    for (const { tag, score } of topLinear) {
      for (const ancestor of this.taxonomy.ancestors(tag)) {
        ancestorOfLinear.set(ancestor, Math.max(ancestorOfLinear.get(ancestor) ?? 0, score));
      }
    }
    const tags = new Set<string>([
      ...named.keys(),
      ...ancestorOfNamed,
      ...topLinear.map((s) => s.tag),
      ...ancestorOfLinear.keys(),
      ...knn.slice(0, this.state.candidatesPerModel).map((s) => s.tag),
    ]);
    const { named: namedCount, namedAndGold, counts, items, cooccurrence } = this.state;
    const size = this.state.tags.length;
    // How likely a tag is given another tag: the share of training items with the other that also carry it.
    const given = (anchors: Iterable<string>, index: number | undefined) => {
      if (index === undefined) return 0;
      let best = 0;
      for (const anchor of anchors) {
        const a = this.tagIndex.get(anchor);
        if (a === undefined || a === index || counts[a] === 0) continue;
        best = Math.max(best, cooccurrence[a * size + index] / counts[a]);
      }
      return best;
    };
    const linearAnchors = topLinear.slice(0, 3).map((s) => s.tag);
    return [...tags].map((tag) => {
      const evidence = named.get(tag);
      const index = this.tagIndex.get(tag);
      const linearP = linearScore(tag);
      const p = linearP ?? 0;
      // Naming precision with add-one smoothing, so a tag never named in training starts at 1/2.
      const precision =
        index === undefined ? 0.5 : (namedAndGold[index] + 1) / (namedCount[index] + 2);
      const prior = index === undefined ? 0 : counts[index];
      return {
        tag,
        ...(evidence ? { evidence } : {}),
        features: [
          p,
          linearP === undefined ? -10 : logit(p),
          knnScore.get(tag) ?? 0,
          evidence?.some((e) => e.field === "title") ? 1 : 0,
          evidence?.some((e) => e.field === "description") ? 1 : 0,
          evidence ? precision : 0,
          ancestorOfNamed.has(tag) ? 1 : 0,
          ancestorOfLinear.get(tag) ?? 0,
          Math.log((prior + 1) / (items + 1)),
          topLinear[0]?.tag === tag ? 1 : 0,
          given(named.keys(), index),
          given(linearAnchors, index),
          keyword.best.get(this.keywordTagIndex.get(tag) ?? -1) ?? 0,
          keyword.noisyOr.get(this.keywordTagIndex.get(tag) ?? -1) ?? 0,
          index === undefined ? 0 : this.state.recent[index],
        ],
      };
    });
  }

  /**
   * The combined score of each candidate, made consistent with the taxonomy: a tag scores at least as high as any
   * of its candidate descendants (whatever implies object-detection implies computer-vision as much).
   */
  scores(candidates: readonly Candidate[], combiner: DenseLogistic): number[] {
    const scores = candidates.map((c) => predictDenseLogistic(combiner, c.features));
    const position = new Map(candidates.map((c, i) => [c.tag, i]));
    candidates.forEach((c, i) => {
      for (const ancestor of this.taxonomy.ancestors(c.tag)) {
        const a = position.get(ancestor);
        if (a !== undefined && scores[a] < scores[i]) scores[a] = scores[i];
      }
    });
    return scores;
  }

  ranked(content: ContentInput): Suggestion[] {
    const combiner = this.state.combiner;
    if (!combiner) throw new Error("ensemble used before tuning: train it with tagsmith train");
    const candidates = this.candidates(content);
    const scores = this.scores(candidates, combiner);
    return candidates.map(({ tag, evidence }, i) => ({
      tag,
      score: scores[i],
      source: evidence ? ("explicit" as const) : ("implicit" as const),
      ...(evidence ? { evidence } : {}),
    }));
  }
}

class EnsembleTagger implements Tagger {
  readonly name = "ensemble";
  private readonly model: EnsembleModel;

  constructor(state: EnsembleState, taxonomy: Taxonomy) {
    this.model = new EnsembleModel(state, taxonomy);
  }

  suggest(content: ContentInput, options: SuggestOptions = {}): Suggestion[] {
    return finalizeSuggestions(this.model.ranked(content), this.model.taxonomy, {
      ...options,
      minScore: options.minScore ?? this.model.state.threshold,
    });
  }
}

async function trainEnsemble(
  items: readonly TrainingItem[],
  context: TrainContext,
): Promise<EnsembleState> {
  const options = context.options ?? {};
  const linear = await trainLinearModel(
    items,
    linearConfig(options.linear),
    context.seed,
    context.workers,
    context.progress,
  );
  const knn = trainKnnModel(items, knnConfig(options.knn));
  const keywords = trainKeywordModel(items, keywordConfig(options.keywords));
  const tags = [...new Set(items.flatMap((i) => i.gold))].sort();
  const index = new Map(tags.map((t, i) => [t, i]));
  const named = new Int32Array(tags.length);
  const namedAndGold = new Int32Array(tags.length);
  const counts = new Int32Array(tags.length);
  const cooccurrence = new Int32Array(tags.length * tags.length);
  const matcher = new TagMatcher(context.taxonomy);
  for (const item of items) {
    const gold = new Set(item.gold);
    const goldIndices = [...gold].map((tag) => index.get(tag) as number);
    for (const a of goldIndices) {
      counts[a]++;
      for (const b of goldIndices) if (a !== b) cooccurrence[a * tags.length + b]++;
    }
    for (const { tag } of matcher.match(item)) {
      const i = index.get(tag);
      if (i === undefined) continue;
      named[i]++;
      if (gold.has(tag)) namedAndGold[i]++;
    }
  }
  // Items arrive oldest first (training splits by time), so the last fifth is the most recent.
  const recent = new Float32Array(tags.length);
  const recentItems = items.slice(Math.floor(items.length * 0.8));
  for (const item of recentItems) {
    for (const tag of item.gold) recent[index.get(tag) as number] += 1 / recentItems.length;
  }
  return {
    linear,
    knn,
    keywords,
    recent,
    tags,
    named,
    namedAndGold,
    counts,
    cooccurrence,
    items: items.length,
    candidatesPerModel: options.ensemble?.candidatesPerModel ?? DEFAULT_ENSEMBLE.candidatesPerModel,
    combiner: null,
    threshold: 0.5,
  };
}

export interface EnsembleTuning {
  combiner: DenseLogistic;
  threshold: number;
}

export const ensemble: TaggerKind<EnsembleState, EnsembleTuning> = {
  name: "ensemble",
  summary:
    "rules + linear + kNN candidates, combined by a logistic regression learned on held-out items",
  train: trainEnsemble,
  async tune(state, heldOut, context) {
    const model = new EnsembleModel(state, context.taxonomy);
    const rows: number[][] = [];
    const labels: number[] = [];
    const perItem = heldOut.map((item) => {
      const gold = new Set(item.gold);
      const candidates = model.candidates(item);
      for (const c of candidates) {
        rows.push(c.features);
        labels.push(gold.has(c.tag) ? 1 : 0);
      }
      return { gold, candidates };
    });
    const combiner = fitDenseLogistic(
      rows,
      labels,
      context.options?.ensemble?.l2 ?? DEFAULT_ENSEMBLE.l2,
    );
    const cases = perItem.map(({ gold, candidates }) => {
      const scores = model.scores(candidates, combiner);
      return {
        gold,
        ranked: candidates
          .map((c, i) => ({ tag: c.tag, score: scores[i] }))
          .sort((a, b) => b.score - a.score),
      };
    });
    return { combiner, threshold: bestThreshold(cases, LIMIT).threshold };
  },
  applyTuning: (state, tuning) => ({
    ...state,
    combiner: tuning.combiner,
    threshold: tuning.threshold,
  }),
  create: (state, taxonomy) => new EnsembleTagger(state, taxonomy),
};
