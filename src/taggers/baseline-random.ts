// Baseline: random approved tags. The floor every other tagger must clear ("start simple").

import { contentText, seededRandom } from "../data/index.js";
import type { Taxonomy } from "../taxonomy/index.js";
import type { ContentInput, Suggestion } from "./suggestion.js";
import {
  finalizeSuggestions,
  type SuggestOptions,
  type Tagger,
  type TaggerKind,
} from "./tagger.js";
import { trainingTags } from "./training-tags.js";

export interface RandomState {
  tags: string[];
  seed: number;
}

/** Seeded by the text, so the same content always gets the same "random" tags. */
function textSeed(text: string, seed: number): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++)
    hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

class RandomTagger implements Tagger {
  readonly name = "random";

  constructor(
    private readonly state: RandomState,
    private readonly taxonomy: Taxonomy,
  ) {}

  suggest(content: ContentInput, options?: SuggestOptions): Suggestion[] {
    const random = seededRandom(
      textSeed(
        contentText({ title: content.title, description: content.description ?? "" }),
        this.state.seed,
      ),
    );
    const candidates = this.state.tags.map((tag) => ({
      tag,
      score: random(),
      source: "implicit" as const,
    }));
    return finalizeSuggestions(candidates, this.taxonomy, options);
  }
}

export const random: TaggerKind<RandomState> = {
  name: "random",
  summary: "random tags among those seen in training (baseline)",
  train: async (items, context) => ({
    tags: trainingTags(items).tags,
    seed: context.seed,
  }),
  create: (state, taxonomy) => new RandomTagger(state, taxonomy),
};
