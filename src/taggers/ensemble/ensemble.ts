// The ensemble, the default tagger: candidates from the rules, the linear model and the nearest neighbours, each
// described by a few features (model and keyword scores, where the tag was named, how often naming it was right in
// training, ancestry, co-occurrence, frequency) and scored by a logistic regression learned on held-out items. The
// tags an author has already chosen are evidence too: a second combination, learned on held-out items with half
// their gold tags shown as chosen, scores the other tags when there are any.

import { TagsmithError } from "../../errors.js";
import { bestThreshold, type DenseLogistic, predictDenseLogistic } from "../../learn/index.js";
import type { Taxonomy } from "../../taxonomy/index.js";
import { byCodeUnit } from "../../text/index.js";
import { withHalfChosen } from "../half-chosen.js";
import { boundInput, learnedInput, tokenizeInput } from "../input.js";
import { KeywordModel, keywordConfig, trainKeywordModel } from "../keywords.js";
import { bestTags, KnnModel, knnConfig, trainKnnModel } from "../knn.js";
import { LinearModel, linearConfig, trainLinearModel } from "../linear.js";
import { type TagMatch, TagMatcher } from "../rules.js";
import type { ContentInput, Evidence, Suggestion } from "../suggestion.js";
import { countTagPairs, tagPairLookup } from "../tag-pairs.js";
import {
  bestFirst,
  chosenApprovedTags,
  DEFAULT_LIMIT,
  type SuggestOptions,
  type TaggerKind,
  type TrainContext,
  type TrainingItem,
} from "../tagger.js";
import { finalizeAtThreshold } from "../thresholded.js";
import { topK } from "../top-k.js";
import { trainingTags } from "../training-tags.js";
import {
  currentEnsembleState,
  type EnsembleState,
  fitCombiner,
  type NamedCombiner,
  rowWeights,
  type StoredEnsembleState,
} from "./combiner.js";
import {
  candidateFeatures,
  type FeatureRow,
  shareWith,
  type TagColumns,
  type TagStatistics,
  type TextReading,
} from "./features.js";

export const DEFAULT_ENSEMBLE = { candidatesPerModel: 10, l2: 1 };

/**
 * Positions of the items the recent-tag prior counts (authors' habits drift): the newest fifth by created_on. Undated
 * items (a random hold-out) have no newest, so all of them count and the prior says no more than log_prior; a random
 * fifth would be a noisy copy of it that the combination weighs as if it were news.
 */
function newestFifth(items: readonly TrainingItem[]): number[] {
  const positions = items.map((_, i) => i);
  if (!items.every((item) => item.createdOn)) return positions;
  // Stable: items of one time stay in the order the split gave them (by id).
  const byTime = positions.sort((a, b) =>
    byCodeUnit(items[a].createdOn as string, items[b].createdOn as string),
  );
  return byTime.slice(Math.floor(items.length * 0.8));
}

interface Candidate {
  tag: string;
  features: FeatureRow;
  evidence?: Evidence[];
}

/** A combination as candidates are scored with it: its weights over full candidate rows, and its threshold. */
interface Combination {
  weights: DenseLogistic;
  threshold: number;
}

const NO_COLUMNS: TagColumns = { index: -1, linear: -1, knn: -1, keyword: -1 };

const untuned = () =>
  new TagsmithError(
    "invalid_input",
    "the ensemble has no combiner: it was never tuned (tagsmith train tunes every model it writes, so a model file without one is damaged): retrain the model",
  );

export class EnsembleModel {
  private readonly linear: LinearModel;
  private readonly knn: KnnModel;
  private readonly keywords: KeywordModel;
  private readonly matcher: TagMatcher;
  private readonly columns = new Map<string, TagColumns>();
  /** The per-tag statistics of `state`, with what is derived from them computed once. */
  private readonly statistics: TagStatistics;
  /** The combination for a text alone: null in a state not yet tuned. */
  private readonly plain: Combination | null;
  /** The combination for a text whose author has chosen tags: null when the state has none (see MIN_CHOSEN_ITEMS). */
  private readonly withChosen: Combination | null;

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
    const { named, namedAndGold, counts, recent, items } = state;
    this.statistics = {
      named,
      namedAndGold,
      counts,
      recent,
      logPrior: Float64Array.from(counts, (count) => Math.log((count + 1) / (items + 1))),
      unseenLogPrior: Math.log(1 / (items + 1)),
      cooccurrence: tagPairLookup(state.cooccurrence),
    };
    this.plain = state.combiner && {
      weights: rowWeights(state.combiner),
      threshold: state.threshold,
    };
    this.withChosen = state.chosen
      ? { weights: rowWeights(state.chosen.combiner), threshold: state.chosen.threshold }
      : null;
  }

  private columnsOf(tag: string): TagColumns {
    return this.columns.get(tag) ?? NO_COLUMNS;
  }

  /**
   * Candidate tags of a text with their features. `chosen`: approved tags the author has already chosen; they are
   * evidence (co-occurrence, ancestry) and their likely companions become candidates.
   */
  candidates(content: ContentInput, chosen: ReadonlySet<string> = NO_CHOSEN_TAGS): Candidate[] {
    const text = this.read(content, chosen);
    const candidates: Candidate[] = [];
    for (const tag of this.candidateTags(text)) {
      const evidence = text.named.get(tag);
      candidates.push({
        tag,
        ...(evidence ? { evidence } : {}),
        features: candidateFeatures(tag, this.columnsOf(tag), text, this.statistics),
      });
    }
    return candidates;
  }

  /** What the text says to every model, and where its named, likely and chosen tags sit in the taxonomy. */
  private read(content: ContentInput, chosen: ReadonlySet<string>): TextReading {
    // Tokenized once here for all four models, and the normalised text the linear model and kNN read, once for both.
    const fields = tokenizeInput(content);
    const learned = learnedInput(fields);
    const matches: TagMatch[] = this.matcher.match(fields);
    const { probabilities, top: topLinear } = this.linear.score(
      learned,
      this.state.candidatesPerModel,
    );
    const { taxonomy } = this;
    const named = new Map<string, Evidence[]>();
    for (const match of matches) named.set(match.tag, match.evidence);
    const ancestorOfNamed = new Set<string>();
    for (const match of matches)
      for (const ancestor of taxonomy.ancestors(match.tag)) ancestorOfNamed.add(ancestor);
    const ancestorOfLinear = new Map<string, number>();
    for (const { tag, score } of topLinear) {
      for (const ancestor of taxonomy.ancestors(tag)) {
        ancestorOfLinear.set(ancestor, Math.max(ancestorOfLinear.get(ancestor) ?? 0, score));
      }
    }
    const ancestorOfChosen = new Set<string>();
    for (const tag of chosen)
      for (const ancestor of taxonomy.ancestors(tag)) ancestorOfChosen.add(ancestor);
    const { counts } = this.statistics;
    const anchorsOf = (anchorTags: Iterable<string>) => {
      const anchors: number[] = [];
      for (const tag of anchorTags) {
        const anchor = this.columnsOf(tag).index;
        if (anchor !== -1 && counts[anchor] !== 0) anchors.push(anchor);
      }
      return anchors;
    };
    return {
      named,
      ancestorOfNamed,
      topLinear,
      linearProbabilities: probabilities,
      ancestorOfLinear,
      knnScores: this.knn.tagScores(learned),
      // Keyword scores describe candidates but add none: as candidates they lowered recall@5 on rolling time splits.
      keywordScores: this.keywords.scores(fields),
      ancestorOfChosen,
      namedAnchors: anchorsOf(named.keys()),
      linearAnchors: anchorsOf(topLinear.slice(0, 3).map(({ tag }) => tag)),
      chosenAnchors: anchorsOf(chosen),
    };
  }

  /**
   * A text's candidate tags, each once: those named in it and their ancestors, the linear model's best and theirs,
   * the kNN's best, the chosen tags' ancestors and their likeliest companions.
   *
   * In this order, always: the candidates of the held-out items are the rows the combiner is fitted on, in this
   * order, and the fit's sums over rows round differently in another order. Its weights would change in their last
   * bits, and with them model.bin, so `tagsmith models reproduce` would find a registered model no longer
   * reproduces.
   */
  private candidateTags(text: TextReading): Set<string> {
    const tags = new Set<string>(text.named.keys());
    for (const tag of text.ancestorOfNamed) tags.add(tag);
    for (const { tag } of text.topLinear) tags.add(tag);
    for (const tag of text.ancestorOfLinear.keys()) tags.add(tag);
    for (const knnColumn of bestTags(text.knnScores, this.state.candidatesPerModel))
      tags.add(this.state.knn.tags[knnColumn]);
    for (const tag of text.ancestorOfChosen) tags.add(tag);
    // The chosen tags' likeliest companions (pytorch chosen: deep-learning, python) join the candidates.
    if (text.chosenAnchors.length > 0) {
      const { counts } = this.statistics;
      const likelihood = Float32Array.from(counts, (_, index) =>
        shareWith(this.statistics, text.chosenAnchors, index),
      );
      for (const index of topK(likelihood, CHOSEN_COMPANIONS))
        if (likelihood[index] > 0) tags.add(this.state.tags[index]);
    }
    return tags;
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

  /**
   * Candidates scored, and the threshold to suggest at: by the chosen-tags combination when tags are chosen and the
   * state has one, else by the plain one.
   */
  ranked(
    content: ContentInput,
    chosen: ReadonlySet<string> = NO_CHOSEN_TAGS,
  ): { ranked: Suggestion[]; threshold: number } {
    const combination = (chosen.size > 0 && this.withChosen) || this.plain;
    if (!combination) throw untuned();
    const { weights, threshold } = combination;
    const candidates = this.candidates(content, chosen);
    const scores = this.scores(candidates, weights);
    const ranked = candidates.map(({ tag, evidence }, i) => ({
      tag,
      score: scores[i],
      source: evidence ? ("explicit" as const) : ("implicit" as const),
      ...(evidence ? { evidence } : {}),
    }));
    return { ranked, threshold };
  }

  /** Candidates scored by a combiner (its row weights) and ranked as suggested: what a threshold is tuned on. */
  rankCandidates(candidates: readonly Candidate[], weights: DenseLogistic) {
    const scores = this.scores(candidates, weights);
    return candidates.map((c, i) => ({ tag: c.tag, score: scores[i] })).sort(bestFirst);
  }
}

const NO_CHOSEN_TAGS: ReadonlySet<string> = new Set();
/**
 * Fewer held-out items with 2+ gold tags than this learn no chosen-tags combination (the plain one serves): 19
 * weights and a threshold from a handful of items would be noise.
 */
export const MIN_CHOSEN_ITEMS = 30;
/** How many of the chosen tags' companions become candidates (5: recall@5 of the rest +0.004 over none; 10 as 5). */
const CHOSEN_COMPANIONS = 5;

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
  const { tags, index, counts, itemTags } = trainingTags(items);
  const named = new Int32Array(tags.length);
  const namedAndGold = new Int32Array(tags.length);
  const matcher = new TagMatcher(context.taxonomy);
  for (const item of items) {
    const gold = new Set(item.gold);
    // The text cut as a tagger reads it when suggesting: naming statistics of what it will see.
    for (const { tag } of matcher.match(boundInput(item))) {
      const i = index.get(tag);
      if (i === undefined) continue;
      named[i]++;
      if (gold.has(tag)) namedAndGold[i]++;
    }
  }
  const recent = new Float32Array(tags.length);
  const recentItems = newestFifth(items);
  for (const i of recentItems) {
    for (const t of itemTags[i]) recent[t] += 1 / recentItems.length;
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
    cooccurrence: countTagPairs(itemTags, tags.length),
    items: items.length,
    candidatesPerModel: options.ensemble?.candidatesPerModel ?? DEFAULT_ENSEMBLE.candidatesPerModel,
    combiner: null,
    threshold: 0.5,
  };
}

export interface EnsembleTuning {
  combiner: NamedCombiner;
  threshold: number;
  chosen: { combiner: NamedCombiner; threshold: number } | null;
}

export const ensemble: TaggerKind<EnsembleState, EnsembleTuning> = {
  name: "ensemble",
  summary:
    "rules + linear + kNN candidates, described also by keyword scores, co-occurrence and frequency, combined by a logistic regression learned on held-out items",
  train: trainEnsemble,
  async tune(state, heldOut, context) {
    const model = new EnsembleModel(state, context.taxonomy);
    const l2 = context.options?.ensemble?.l2 ?? DEFAULT_ENSEMBLE.l2;
    // One combination learned on candidates with their labels, and its threshold tuned on the same items' rankings.
    const tuneOn = (cases: readonly { candidates: Candidate[]; gold: ReadonlySet<string> }[]) => {
      const rows = cases.flatMap((c) => c.candidates.map((candidate) => candidate.features));
      const labels = cases.flatMap((c) =>
        c.candidates.map((candidate) => (c.gold.has(candidate.tag) ? 1 : 0)),
      );
      const combiner = fitCombiner(rows, labels, l2);
      const weights = rowWeights(combiner);
      const ranked = cases.map((c) => ({
        gold: c.gold,
        ranked: model.rankCandidates(c.candidates, weights),
      }));
      return { combiner, threshold: bestThreshold(ranked, DEFAULT_LIMIT).threshold };
    };
    const plain = tuneOn(
      heldOut.map((item) => ({ candidates: model.candidates(item), gold: new Set(item.gold) })),
    );
    // Chosen tags are never suggested again, so they are not candidates to learn from.
    const halfChosen = withHalfChosen(heldOut, context.seed).map(({ item, chosen, rest }) => ({
      candidates: model.candidates(item, chosen).filter((c) => !chosen.has(c.tag)),
      gold: rest,
    }));
    return { ...plain, chosen: halfChosen.length >= MIN_CHOSEN_ITEMS ? tuneOn(halfChosen) : null };
  },
  applyTuning: (state, tuning) => ({
    ...state,
    combiner: tuning.combiner,
    threshold: tuning.threshold,
    chosen: tuning.chosen,
  }),
  create: (stored: StoredEnsembleState, taxonomy) => {
    const model = new EnsembleModel(stored, taxonomy);
    // Only tune() works on a state without a combiner: a tagger made of one is refused here, at load, rather than
    // at its first suggestion (a service would report it ready and then fail every request).
    if (!model.state.combiner) throw untuned();
    return {
      name: "ensemble",
      suggest(content: ContentInput, options: SuggestOptions = {}) {
        const chosen = chosenApprovedTags(taxonomy, options.exclude);
        const { ranked, threshold } = model.ranked(content, chosen);
        return finalizeAtThreshold(ranked, threshold, taxonomy, options);
      },
    };
  },
};
