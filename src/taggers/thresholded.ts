// The shape shared by the keyword, kNN and linear taggers: a model ranks tags by score, and the tagger suggests those
// scoring at least a threshold tuned for F1 on held-out items. The ensemble, tuned its own way, suggests as they do.

import { bestThreshold } from "../learn/index.js";
import type { Taxonomy } from "../taxonomy/index.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import {
  bestFirst,
  DEFAULT_LIMIT,
  finalizeSuggestions,
  type SuggestOptions,
  type Tagger,
  type TaggerKind,
  type TrainContext,
  type TrainingItem,
} from "./tagger.js";

export interface RankingModel {
  /** Candidate tags with scores, in any order. */
  ranked(content: ContentInput): Suggestion[];
}

/** A tagger suggesting the model's candidates that score at least `threshold` (unless the caller sets minScore). */
export function thresholdedTagger(
  name: string,
  model: RankingModel,
  threshold: number,
  taxonomy: Taxonomy,
): Tagger {
  return {
    name,
    suggest: (content: ContentInput, options: SuggestOptions = {}) =>
      finalizeAtThreshold(model.ranked(content), threshold, taxonomy, options),
  };
}

/** The last step of a thresholded tagger: finalizeSuggestions with its tuned threshold, unless the caller sets one. */
export function finalizeAtThreshold(
  ranked: Iterable<Suggestion>,
  threshold: number,
  taxonomy: Taxonomy,
  options: SuggestOptions,
): Suggestion[] {
  return finalizeSuggestions(ranked, taxonomy, {
    ...options,
    minScore: options.minScore ?? threshold,
  });
}

/** The threshold with the best micro F1 on held-out items, at most `limit` suggestions each, ranked as suggested. */
export function tuneRankedThreshold(
  rank: (item: TrainingItem) => Suggestion[],
  heldOut: readonly TrainingItem[],
  limit = DEFAULT_LIMIT,
): number {
  const cases = heldOut.map((item) => ({
    gold: new Set(item.gold),
    ranked: rank(item).sort(bestFirst).slice(0, limit),
  }));
  return bestThreshold(cases, limit).threshold;
}

export function thresholdedKind<State extends { threshold: number }>(spec: {
  name: string;
  summary: string;
  train: (items: readonly TrainingItem[], context: TrainContext) => Promise<State>;
  model: (state: State) => RankingModel;
}): TaggerKind<State, { threshold: number }> {
  return {
    name: spec.name,
    summary: spec.summary,
    train: spec.train,
    async tune(state, heldOut) {
      const model = spec.model(state);
      return { threshold: tuneRankedThreshold((item) => model.ranked(item), heldOut) };
    },
    applyTuning: (state, tuning) => ({ ...state, threshold: tuning.threshold }),
    create: (state, taxonomy) =>
      thresholdedTagger(spec.name, spec.model(state), state.threshold, taxonomy),
  };
}
