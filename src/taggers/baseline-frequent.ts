// Baseline: the most frequent tags of the training data, whatever the content.

import type { Taxonomy } from "../taxonomy/index.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import {
  finalizeSuggestions,
  type SuggestOptions,
  type Tagger,
  type TaggerKind,
} from "./tagger.js";

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
    const counts = new Map<string, number>();
    for (const item of items)
      for (const tag of item.gold) counts.set(tag, (counts.get(tag) ?? 0) + 1);
    const tags = [...counts]
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
      .map(([tag, n]) => ({ tag, share: n / Math.max(items.length, 1) }));
    return { tags };
  },
  create: (state, taxonomy) => new FrequentTagger(state, taxonomy),
};
