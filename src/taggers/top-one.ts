// A model trained on single-label data (a `tag` column, as in dataset.csv) is a top-1 classifier: it names its one
// best class for any text with words in it. Its taggers' thresholds are tuned like every tagger's, for multi-label
// suggestions, and left 3 of holdout.csv's 191 items with no class at all; and a second class would be a wrong one.

import type { ContentInput } from "./suggestion.js";
import type { Tagger } from "./tagger.js";

const isBlank = (content: ContentInput) =>
  !(content.title ?? "").trim() && !(content.description ?? "").trim();

/** The tagger as a model of this label mode suggests: unchanged for multi-label data, top-1 for single-label. */
export function forLabelMode(tagger: Tagger, labelMode: "multi" | "single"): Tagger {
  if (labelMode === "multi") return tagger;
  return {
    name: tagger.name,
    suggest: (content, options = {}) =>
      // Empty content still gets an empty list, as from every tagger, not the most frequent class.
      isBlank(content)
        ? []
        : tagger.suggest(content, {
            ...options,
            limit: Math.min(options.limit ?? 1, 1),
            minScore: options.minScore ?? 0,
          }),
  };
}
