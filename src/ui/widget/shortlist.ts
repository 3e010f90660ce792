// Which suggestions the author sees, in which groups, and what explains them: pure functions over the service's
// answer, so that accepting or choosing a tag refills the list without asking the service again.

import type { ApiSuggestion } from "../api-types.js";
import { isolated } from "../bidi.js";
import { tagKey, tagKeys } from "../tag-names.js";

/** A suggestion's tag keys: its name's and its aliases' (the service sends them), so any spelling chosen is found. */
function keysOf(suggestion: ApiSuggestion): string[] {
  return [suggestion.tag, ...(suggestion.aliases ?? [])].map(tagKey);
}

/**
 * The first `limit` suggestions that are neither chosen (by name or alias) nor hidden (reported or accepted, by
 * name), best first as the service sent.
 */
export function shortlist(
  suggestions: readonly ApiSuggestion[],
  chosen: readonly string[],
  hidden: ReadonlySet<string>,
  limit: number,
): ApiSuggestion[] {
  const chosenKeys = tagKeys(chosen);
  const hiddenKeys = tagKeys(hidden);
  return suggestions
    .filter((s) => !hiddenKeys.has(tagKey(s.tag)) && !keysOf(s).some((k) => chosenKeys.has(k)))
    .slice(0, limit);
}

/**
 * A newly chosen tag that is none of the suggestions by name or alias may be an alias of another tag (or imply
 * others): only the service can tell, so it must be asked again with the chosen tags.
 */
export function needsNewSuggestions(
  newlyChosen: readonly string[],
  suggestions: readonly ApiSuggestion[],
): boolean {
  const names = new Set(suggestions.flatMap(keysOf));
  return newlyChosen.some((tag) => !names.has(tagKey(tag)));
}

/** Chosen tags that were not chosen before. */
export function newlyChosen(before: readonly string[], after: readonly string[]): string[] {
  const old = tagKeys(before);
  return after.filter((tag) => !old.has(tagKey(tag)));
}

export interface CategoryGroup {
  /** null: no category (headed "Other" when other groups have one). */
  category: string | null;
  suggestions: ApiSuggestion[];
}

/** Suggestions grouped by category; groups ordered by their best score, suggestions inside kept best first. */
export function groupByCategory(suggestions: readonly ApiSuggestion[]): CategoryGroup[] {
  const groups = new Map<string | null, CategoryGroup & { best: number }>();
  for (const s of suggestions) {
    const category = s.category ?? null;
    const group = groups.get(category) ?? { category, suggestions: [], best: -1 };
    group.suggestions.push(s);
    group.best = Math.max(group.best, s.score);
    groups.set(category, group);
  }
  return [...groups.values()]
    .sort((a, b) => b.best - a.best)
    .map(({ category, suggestions }) => ({ category, suggestions }));
}

/** What matched, for the tooltip of an explicit suggestion: `matched "pytorch" in title`. Null when unknown. */
export function describeEvidence(suggestion: ApiSuggestion): string | null {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const e of suggestion.evidence ?? []) {
    const key = `${e.field}\u0000${e.text.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // The author's words isolated, so a right-to-left override in them cannot reorder the rest of the tooltip.
    parts.push(`"${isolated(e.text)}" in ${e.field}`);
  }
  if (parts.length === 0) return null;
  const shown = parts.slice(0, 3);
  const more = parts.length > shown.length ? ` and ${parts.length - shown.length} more` : "";
  return `matched ${shown.join(", ")}${more}`;
}
