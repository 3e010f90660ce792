// What the routes answer, as functions of a model and a request: suggestions with categories, and autocomplete.
// Pure (no HTTP here), so the routes stay a few lines each.

import { type ContentToTag, suggestFor } from "../model/index.js";
import type {
  ApiSuggestion,
  BatchRequest,
  ItemSuggestions,
  SuggestRequest,
  TagsQuery,
  TagsResponse,
} from "./schemas.js";
import type { ServedModel } from "./served-model.js";

/** Suggestions for one piece of content in the API's shape: approved tags only, none the author chose, best first. */
export function suggestTags(
  model: ServedModel,
  content: ContentToTag,
  limit: number,
): ItemSuggestions {
  const { suggestions, truncated } = suggestFor(model, content, limit);
  return {
    suggestions: suggestions.map((s): ApiSuggestion => {
      // With the aliases, the widget leaves out a suggestion whose alias the author typed, also while offline.
      const aliases = model.taxonomy.get(s.tag)?.aliases ?? [];
      return {
        tag: s.tag,
        score: s.score,
        source: s.source,
        ...(s.category ? { category: s.category } : {}),
        ...(aliases.length ? { aliases: [...aliases] } : {}),
        ...(s.evidence?.length ? { evidence: s.evidence } : {}),
      };
    }),
    ...(truncated ? { truncated: true as const } : {}),
  };
}

export function suggestOne(model: ServedModel, request: SuggestRequest): ItemSuggestions {
  return suggestTags(model, request, request.limit);
}

export function suggestBatch(
  model: ServedModel,
  request: BatchRequest,
): Record<string, ItemSuggestions> {
  // fromEntries defines own properties, so an id such as "__proto__" is a result like any other.
  return Object.fromEntries(
    request.items.map((item) => [String(item.id), suggestTags(model, item, request.limit)]),
  );
}

export function matchTags(model: ServedModel, query: TagsQuery): Omit<TagsResponse, "model"> {
  const { matches, total } = model.tagIndex.search(query.query, query.limit);
  return {
    tags: matches.map(({ definition: d, matched }) => ({
      tag: d.tag,
      aliases: [...d.aliases],
      ...(d.category ? { category: d.category } : {}),
      parents: [...d.parents],
      ...(d.description ? { description: d.description } : {}),
      ...(matched !== undefined ? { matched } : {}),
    })),
    total,
  };
}
