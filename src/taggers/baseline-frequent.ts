// Baseline: the most frequent tags of the training data, whatever the content.

import type { Taxonomy } from "../taxonomy/index.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import {
  finalizeSuggestions,
  type SuggestOptions,
  type Tagger,
  type TaggerKind,
} from "./tagger.js";
import { trainingTags } from "./training-tags.js";

export interface FrequentState {
  /** Tags with their share of training items, most frequent first. */
  tags: { tag: string; share: number }[];
}

class FrequentTagger implements Tagger {
  readonly name = "frequent";

  constructor(
    private readonly state: FrequentState,
    private readonly taxonomy: Taxonomy,
  ) {}

  suggest(_content: ContentInput, options?: SuggestOptions): Suggestion[] {
    const candidates = this.state.tags.map(({ tag, share }) => ({
      tag,
      score: share,
      source: "implicit" as const,
    }));
    return finalizeSuggestions(candidates, this.taxonomy, options);
  }
}

export const frequent: TaggerKind<FrequentState> = {
  name: "frequent",
  summary: "the most frequent training tags for every item (baseline)",
  async train(items) {
    const { tags, counts } = trainingTags(items);
    // Most frequent first, ties by name (tags are sorted by name).
    const order = tags.map((_, i) => i).sort((a, b) => counts[b] - counts[a] || a - b);
    return {
      tags: order.map((i) => ({ tag: tags[i], share: counts[i] / Math.max(items.length, 1) })),
    };
  },
  create: (state, taxonomy) => new FrequentTagger(state, taxonomy),
};
