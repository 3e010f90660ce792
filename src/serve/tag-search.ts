// Autocomplete over the approved list: tags whose name or an alias matches what the author has typed so far.
// Pure: built once per loaded model from its taxonomy.

import type { TagDefinition, Taxonomy } from "../taxonomy/index.js";
import { byCodeUnit, tagKey } from "../text/index.js";

export interface TagMatch {
  definition: TagDefinition;
  /** The name or alias that matched; absent for an empty query. */
  matched?: string;
}

interface Name {
  text: string;
  /** Case-folded, with spaces, hyphens and underscores removed: "Deep Learning" and "deep-learning" meet. */
  key: string;
  isAlias: boolean;
}

/** Exact match, then prefix, then substring; a tag's name before its aliases. Lower ranks first. */
const rank = (kind: 0 | 1 | 2, isAlias: boolean) => kind * 2 + (isAlias ? 1 : 0);

/**
 * What autocomplete compares: the tag key without its hyphens, so that "deepl" finds deep-learning. For finding only;
 * whether two spellings are the same tag is decided by tagKey, as the approved list's lookup does.
 */
export function searchKey(text: string): string {
  return tagKey(text).replace(/-/g, "");
}

export class TagIndex {
  private readonly entries: { definition: TagDefinition; names: Name[] }[];

  constructor(taxonomy: Taxonomy) {
    this.entries = taxonomy.tags
      .map((tag) => taxonomy.get(tag) as TagDefinition)
      .sort((a, b) => byCodeUnit(a.tag, b.tag))
      .map((definition) => ({
        definition,
        names: [
          { text: definition.tag, key: searchKey(definition.tag), isAlias: false },
          ...definition.aliases.map((a) => ({ text: a, key: searchKey(a), isAlias: true })),
        ],
      }));
  }

  /** Tags matching `query`, best first, at most `limit`; `total` counts every match. */
  search(query: string | undefined, limit: number): { matches: TagMatch[]; total: number } {
    const key = query === undefined ? "" : searchKey(query);
    if (key === "")
      return {
        matches: this.entries.slice(0, limit).map((e) => ({ definition: e.definition })),
        total: this.entries.length,
      };
    const found: { match: TagMatch; rank: number }[] = [];
    for (const entry of this.entries) {
      let best: { name: Name; rank: number } | undefined;
      for (const name of entry.names) {
        const at = name.key.indexOf(key);
        if (at < 0) continue;
        const r = rank(name.key === key ? 0 : at === 0 ? 1 : 2, name.isAlias);
        if (!best || r < best.rank) best = { name, rank: r };
      }
      if (best)
        found.push({
          match: { definition: entry.definition, matched: best.name.text },
          rank: best.rank,
        });
    }
    // Entries are in name order and the sort is stable, so equal ranks stay in name order.
    found.sort((a, b) => a.rank - b.rank);
    return { matches: found.slice(0, limit).map((f) => f.match), total: found.length };
  }
}
