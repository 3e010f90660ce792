// The shape shared by the keyword, kNN and linear taggers: a model ranks tags by score, and the tagger suggests those
// scoring above a threshold tuned for F1 on held-out items.

import { bestThreshold } from "../learn/threshold.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import {
  finalizeSuggestions,
  type SuggestOptions,
  type TaggerKind,
  type TrainContext,
  type TrainingItem,
} from "./tagger.js";

export interface RankingModel {
  /** Candidate tags with scores, in any order. */
  ranked(content: ContentInput): Suggestion[];
}

/** The threshold with the best micro F1 on held-out items, at most `limit` suggestions each. */
export function tuneRankedThreshold(
  rank: (item: TrainingItem) => Suggestion[],
  heldOut: readonly TrainingItem[],
  limit = 5,
): number {
  const cases = heldOut.map((item) => ({
    gold: new Set(item.gold),
    ranked: rank(item)
      .sort((a, b) => b.score - a.score)
      .slice(0, limit),
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
    create(state, taxonomy) {
      const model = spec.model(state);
      return {
        name: spec.name,
        suggest: (content: ContentInput, options: SuggestOptions = {}) =>
          finalizeSuggestions(model.ranked(content), taxonomy, {
            ...options,
            minScore: options.minScore ?? state.threshold,
          }),
      };
    },
  };
}
