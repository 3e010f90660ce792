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
import { tokenizeInput } from "./input.js";
import { KeywordModel, type KeywordState, keywordConfig, trainKeywordModel } from "./keywords.js";
import { bestTags, KnnModel, type KnnState, knnConfig, trainKnnModel } from "./knn.js";
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
  "linear_logit_if_named",
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

const NO_COLUMNS: TagColumns = { index: -1, linear: -1, knn: -1, keyword: -1 };

const logit = (p: number) => Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));

/** Where a tag sits in each model's arrays (-1: not there), found once per tag rather than per model. */
interface TagColumns {
  /** In the ensemble's own per-tag arrays (state.tags). */
  index: number;
  linear: number;
  knn: number;
  keyword: number;
}

export class EnsembleModel {
  private readonly linear: LinearModel;
  private readonly knn: KnnModel;
  private readonly keywords: KeywordModel;
  private readonly matcher: TagMatcher;
  private readonly columns = new Map<string, TagColumns>();
  /** Per ensemble tag index: the log-prior feature, computed once. */
  private readonly logPrior: Float64Array;
  private readonly combiner: DenseLogistic | null;

  constructor(
    readonly state: EnsembleState,
    readonly taxonomy: Taxonomy,
  ) {
    this.linear = new LinearModel(state.linear);
    this.knn = new KnnModel(state.knn);
    this.keywords = new KeywordModel(state.keywords);
    this.matcher = new TagMatcher(taxonomy);
    const column = (tag: string) => {
      let found = this.columns.get(tag);
      if (!found) {
        found = { index: -1, linear: -1, knn: -1, keyword: -1 };
        this.columns.set(tag, found);
      }
      return found;
    };
    state.tags.forEach((tag, i) => {
      column(tag).index = i;
    });
    state.linear.tags.forEach((tag, i) => {
      column(tag).linear = i;
    });
    state.knn.tags.forEach((tag, i) => {
      column(tag).knn = i;
    });
    state.keywords.tags.forEach((tag, i) => {
      column(tag).keyword = i;
    });
    this.logPrior = Float64Array.from(state.counts, (count) =>
      Math.log((count + 1) / (state.items + 1)),
    );
    // A model trained before the newest features has no weights for them: weight 0 gives exactly its old scores.
    const { combiner } = state;
    const missing = combiner ? FEATURES.length - combiner.weights.length : 0;
    this.combiner =
      combiner && missing > 0
        ? { ...combiner, weights: [...combiner.weights, ...new Array<number>(missing).fill(0)] }
        : combiner;
  }

  private columnsOf(tag: string): TagColumns {
    return this.columns.get(tag) ?? NO_COLUMNS;
  }

  /** Candidate tags of a text with their features. */
  candidates(content: ContentInput): Candidate[] {
    // Tokenized once here for all four models.
    const fields = tokenizeInput(content);
    const matches: TagMatch[] = this.matcher.match(fields);
    const { probabilities, top: topLinear } = this.linear.score(
      fields,
      this.state.candidatesPerModel,
    );
    const knn = this.knn.tagScores(fields);
    // Keyword scores describe candidates but add none: as candidates they lowered recall@5 on rolling time splits.
    const keyword = this.keywords.scores(fields);
    const { taxonomy } = this;

    const named = new Map<string, Evidence[]>();
    for (const m of matches) named.set(m.tag, m.evidence);
    const ancestorOfNamed = new Set<string>();
    for (const m of matches)
      for (const ancestor of taxonomy.ancestors(m.tag)) ancestorOfNamed.add(ancestor);
    const ancestorOfLinear = new Map<string, number>();
    for (const { tag, score } of topLinear) {
      for (const ancestor of taxonomy.ancestors(tag)) {
        ancestorOfLinear.set(ancestor, Math.max(ancestorOfLinear.get(ancestor) ?? 0, score));
      }
    }
    // In this order: the candidates' order is the combiner's training rows' order.
    const tags = new Set<string>(named.keys());
    for (const tag of ancestorOfNamed) tags.add(tag);
    for (const { tag } of topLinear) tags.add(tag);
    for (const tag of ancestorOfLinear.keys()) tags.add(tag);
    for (const t of bestTags(knn, this.state.candidatesPerModel)) tags.add(this.state.knn.tags[t]);

    const { named: namedCount, namedAndGold, counts, items, cooccurrence, recent } = this.state;
    const size = this.state.tags.length;
    // Anchors for co-occurrence, as indices: tags named in the text, and the linear model's best three.
    const anchorsOf = (anchorTags: Iterable<string>) => {
      const out: number[] = [];
      for (const tag of anchorTags) {
        const a = this.columnsOf(tag).index;
        if (a !== -1 && counts[a] !== 0) out.push(a);
      }
      return out;
    };
    const namedAnchors = anchorsOf(named.keys());
    const linearAnchors = anchorsOf(topLinear.slice(0, 3).map((s) => s.tag));
    // How likely a tag is given another tag: the share of training items with the other that also carry it.
    const given = (anchors: readonly number[], index: number) => {
      if (index === -1) return 0;
      let best = 0;
      for (const a of anchors) {
        if (a !== index) best = Math.max(best, cooccurrence[a * size + index] / counts[a]);
      }
      return best;
    };
    const noPrior = Math.log(1 / (items + 1));
    const out: Candidate[] = [];
    for (const tag of tags) {
      const evidence = named.get(tag);
      const { index, linear, knn: knnIndex, keyword: keywordIndex } = this.columnsOf(tag);
      const p = linear === -1 ? 0 : probabilities[linear];
      // Naming precision with add-one smoothing, so a tag never named in training starts at 1/2.
      const precision = index === -1 ? 0.5 : (namedAndGold[index] + 1) / (namedCount[index] + 2);
      const linearLogit = linear === -1 ? -10 : logit(p);
      out.push({
        tag,
        ...(evidence ? { evidence } : {}),
        features: [
          p,
          linearLogit,
          knnIndex === -1 ? 0 : knn.scores[knnIndex],
          evidence?.some((e) => e.field === "title") ? 1 : 0,
          evidence?.some((e) => e.field === "description") ? 1 : 0,
          evidence ? precision : 0,
          ancestorOfNamed.has(tag) ? 1 : 0,
          ancestorOfLinear.get(tag) ?? 0,
          index === -1 ? noPrior : this.logPrior[index],
          topLinear[0]?.tag === tag ? 1 : 0,
          given(namedAnchors, index),
          given(linearAnchors, index),
          keywordIndex === -1 ? 0 : keyword.best[keywordIndex],
          keywordIndex === -1 ? 0 : keyword.noisyOr[keywordIndex],
          index === -1 ? 0 : recent[index],
          // The linear model's say counts differently for a named tag: a name it doubts is often a passing mention
          // (mean of three rolling time splits, over seeds 42, 1, 2: F1 +0.004, recall@5 +0.003).
          evidence ? linearLogit : 0,
        ],
      });
    }
    return out;
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
    const { combiner } = this;
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
