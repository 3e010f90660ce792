// The ensemble, the default tagger: candidates from the rules, the linear model and the nearest neighbours, each
// described by a few features (model and keyword scores, where the tag was named, how often naming it was right in
// training, ancestry, co-occurrence, frequency) and scored by a logistic regression learned on held-out items.

import { TagsmithError } from "../errors.js";
import {
  type DenseLogistic,
  fitDenseLogistic,
  predictDenseLogistic,
} from "../learn/dense-logistic.js";
import { bestThreshold } from "../learn/threshold.js";
import type { Taxonomy } from "../taxonomy/index.js";
import { boundInput, tokenizeInput } from "./input.js";
import { KeywordModel, type KeywordState, keywordConfig, trainKeywordModel } from "./keywords.js";
import { bestTags, KnnModel, type KnnState, knnConfig, trainKnnModel } from "./knn.js";
import { LinearModel, type LinearState, linearConfig, trainLinearModel } from "./linear.js";
import { type TagMatch, TagMatcher } from "./rules.js";
import type { ContentInput, Evidence, Suggestion } from "./suggestion.js";
import {
  countTagPairs,
  pairsFromDense,
  type TagPairCounts,
  type TagPairLookup,
  tagPairLookup,
} from "./tag-pairs.js";
import { DEFAULT_LIMIT, type TaggerKind, type TrainContext, type TrainingItem } from "./tagger.js";
import { thresholdedTagger } from "./thresholded.js";
import { trainingTags } from "./training-tags.js";

export const DEFAULT_ENSEMBLE = { candidatesPerModel: 10, l2: 1 };

/**
 * The combiner's inputs, in the order of its weights. Models in registries were fitted to this order and are loaded
 * with zero weights for features they lack, so a new feature goes at the end, never between (ensemble-compat.test.ts).
 */
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

/** One value per FEATURES entry, in its order: the tuple type makes a row of another length a compile error. */
type FeatureRow = NumberPer<typeof FEATURES>;
type NumberPer<T extends readonly unknown[]> = { -readonly [K in keyof T]: number };

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
  /** Training items carrying both tags of a pair (by index in `tags`). */
  cooccurrence: TagPairCounts;
  items: number;
  candidatesPerModel: number;
  combiner: DenseLogistic | null;
  threshold: number;
}

/**
 * An ensemble state as model files hold it: files written before co-occurrence was sparse hold the dense matrix
 * (cooccurrence[a * tags.length + b]), and those from before the newest features fewer combiner weights.
 */
export type StoredEnsembleState = Omit<EnsembleState, "cooccurrence"> & {
  cooccurrence: TagPairCounts | Int32Array;
};

/** A stored state in the current layout: what an old model file held, converted at load, with the same scores. */
export function currentEnsembleState(stored: StoredEnsembleState): EnsembleState {
  const { cooccurrence, combiner } = stored;
  if (combiner && combiner.weights.length > FEATURES.length) {
    throw new TagsmithError(
      "invalid_input",
      `the ensemble's combiner has ${combiner.weights.length} weights, and this tagsmith knows ${FEATURES.length} features: load the model with the tagsmith that trained it, or retrain it`,
    );
  }
  // A model trained before the newest features has no weights for them: weight 0 gives exactly its old scores.
  const missing = combiner ? FEATURES.length - combiner.weights.length : 0;
  return {
    ...stored,
    cooccurrence: ArrayBuffer.isView(cooccurrence)
      ? pairsFromDense(cooccurrence, stored.tags.length)
      : cooccurrence,
    combiner:
      combiner && missing > 0
        ? { ...combiner, weights: [...combiner.weights, ...new Array<number>(missing).fill(0)] }
        : combiner,
  };
}

interface Candidate {
  tag: string;
  features: FeatureRow;
  evidence?: Evidence[];
}

const NO_COLUMNS: TagColumns = { index: -1, linear: -1, knn: -1, keyword: -1 };

const logit = (p: number) => Math.log(Math.max(p, 1e-6) / Math.max(1 - p, 1e-6));

/**
 * linear_logit of a tag the linear model has no classifier for (one on fewer than minTagCount training items). Not the
 * clamp's logit(1e-6) = -13.8: no classifier is not a classifier sure the tag is wrong. The value was set with the
 * feature, not tuned; every combiner trained since was fitted to it, so changing it would change their scores.
 */
const NO_CLASSIFIER_LOGIT = -10;

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
  private readonly cooccurrence: TagPairLookup;

  readonly state: EnsembleState;

  /** `stored` may be in the layout of an older model file: converted here, at load. */
  constructor(
    stored: StoredEnsembleState,
    readonly taxonomy: Taxonomy,
  ) {
    const state = currentEnsembleState(stored);
    this.state = state;
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
    this.cooccurrence = tagPairLookup(state.cooccurrence);
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

    const { named: namedCount, namedAndGold, counts, items, recent } = this.state;
    const { cooccurrence } = this;
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
        if (a !== index) best = Math.max(best, cooccurrence.count(a, index) / counts[a]);
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
      const linearLogit = linear === -1 ? NO_CLASSIFIER_LOGIT : logit(p);
      out.push({
        tag,
        ...(evidence ? { evidence } : {}),
        features: [
          /* linear */ p,
          /* linear_logit */ linearLogit,
          /* knn */ knnIndex === -1 ? 0 : knn.scores[knnIndex],
          /* named_in_title */ evidence?.some((e) => e.field === "title") ? 1 : 0,
          /* named_in_description */ evidence?.some((e) => e.field === "description") ? 1 : 0,
          /* naming_precision */ evidence ? precision : 0,
          /* ancestor_of_named */ ancestorOfNamed.has(tag) ? 1 : 0,
          /* ancestor_of_linear */ ancestorOfLinear.get(tag) ?? 0,
          /* log_prior */ index === -1 ? noPrior : this.logPrior[index],
          /* linear_top1 */ topLinear[0]?.tag === tag ? 1 : 0,
          /* cooccurs_with_named */ given(namedAnchors, index),
          /* cooccurs_with_linear */ given(linearAnchors, index),
          /* keyword_best */ keywordIndex === -1 ? 0 : keyword.best[keywordIndex],
          /* keyword_noisy_or */ keywordIndex === -1 ? 0 : keyword.noisyOr[keywordIndex],
          /* recent_prior */ index === -1 ? 0 : recent[index],
          // The linear model's say counts differently for a named tag: a name it doubts is often a passing mention
          // (mean of three rolling time splits, over seeds 42, 1, 2: F1 +0.004, recall@5 +0.003).
          /* linear_logit_if_named */ evidence ? linearLogit : 0,
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
    const { combiner } = this.state;
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
  const { tags, index, counts } = trainingTags(items);
  const named = new Int32Array(tags.length);
  const namedAndGold = new Int32Array(tags.length);
  const matcher = new TagMatcher(context.taxonomy);
  const goldIndices: number[][] = [];
  for (const item of items) {
    const gold = new Set(item.gold);
    goldIndices.push([...gold].map((tag) => index.get(tag) as number));
    // The text cut as a tagger reads it when suggesting: naming statistics of what it will see.
    for (const { tag } of matcher.match(boundInput(item))) {
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
    cooccurrence: countTagPairs(goldIndices, tags.length),
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
    "rules + linear + kNN candidates, described also by keyword scores, co-occurrence and frequency, combined by a logistic regression learned on held-out items",
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
    return { combiner, threshold: bestThreshold(cases, DEFAULT_LIMIT).threshold };
  },
  applyTuning: (state, tuning) => ({
    ...state,
    combiner: tuning.combiner,
    threshold: tuning.threshold,
  }),
  create: (stored: StoredEnsembleState, taxonomy) =>
    thresholdedTagger("ensemble", new EnsembleModel(stored, taxonomy), stored.threshold, taxonomy),
};
