// A model trained on single-label data (a `tag` column, as in dataset.csv) is a top-1 classifier: it suggests its one
// best class for any text with words in it. Its taggers' thresholds are tuned like every tagger's, for multi-label
// suggestions, and left 3 of holdout.csv's 191 items with no class at all; and with one class per item, a second
// class, or another class once the author has chosen one, is a wrong one. Rankings (a minScore given, as evaluation
// asks) are the tagger's own, so recall@3 and @5 still show how far down the right class is.

import type { Taxonomy } from "../taxonomy/index.js";
import { hasToken } from "../text/index.js";
import { boundInput } from "./input.js";
import { chosenApprovedTags, type Tagger } from "./tagger.js";

/** The tagger as a model of this label mode suggests: unchanged for multi-label data, top-1 for single-label. */
export function forLabelMode(
  tagger: Tagger,
  labelMode: "multi" | "single",
  taxonomy: Taxonomy,
): Tagger {
  if (labelMode === "multi") return tagger;
  return {
    name: tagger.name,
    suggest: (content, options = {}) => {
      if (options.minScore !== undefined) return tagger.suggest(content, options);
      const { title, description } = boundInput(content);
      const chosen = chosenApprovedTags(taxonomy, options.exclude).size > 0;
      // No words: an empty list, as from every tagger, not the most frequent class. Tested on the bounded text without
      // tokenizing it, as the tagger tokenizes it again.
      if (!(hasToken(title) || hasToken(description)) || chosen) return [];
      return tagger.suggest(content, { limit: Math.min(options.limit ?? 1, 1), minScore: 0 });
    },
  };
}
