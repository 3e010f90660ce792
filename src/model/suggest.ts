// One piece of content's suggestions as tagsmith gives them, to the service's /v1/suggest and to `tagsmith suggest`
// alike: the tagger's suggestions, each with its tag's category, and whether the text was cut to the taggers' bounds
// (the suggestions are for its beginning only, and both edges say so).

import { boundInput, type Suggestion } from "../taggers/index.js";
import type { LoadedModel } from "./model-dir.js";

export interface ContentToTag {
  title: string;
  description?: string | undefined;
  /** The author's chosen tags: never suggested. */
  tags?: readonly string[] | undefined;
}

export interface ContentSuggestions {
  suggestions: (Suggestion & { category?: string })[];
  truncated: boolean;
}

export function suggestFor(
  model: Pick<LoadedModel, "tagger" | "taxonomy">,
  content: ContentToTag,
  limit: number,
): ContentSuggestions {
  const input = { title: content.title, description: content.description ?? "" };
  const suggestions = model.tagger.suggest(input, { limit, exclude: content.tags ?? [] });
  return {
    suggestions: suggestions.map((s) => {
      const category = model.taxonomy.get(s.tag)?.category;
      return category ? { ...s, category } : s;
    }),
    // The taggers cut long text themselves; this says whether they did.
    truncated: boundInput(input).truncated,
  };
}
