// The rules tagger: approved tag names and aliases found in the text (explicit, with evidence), plus the ancestors
// of what was found (implicit). No training: the taxonomy is the whole model.

import type { Taxonomy } from "../taxonomy/index.js";
import { phraseKey, tokenize } from "../text/index.js";
import { boundInput } from "./input.js";
import type { ContentInput, Evidence, Suggestion } from "./suggestion.js";
import {
  finalizeSuggestions,
  type SuggestOptions,
  type Tagger,
  type TaggerKind,
} from "./tagger.js";

export interface TagMatch {
  tag: string;
  evidence: Evidence[];
}

/** Scores: a match in the title is surer than one in the description; an ancestor is implied, so lower. */
const TITLE_SCORE = 1;
const DESCRIPTION_SCORE = 0.9;
const ANCESTOR_FACTOR = 0.8;

/** Finds tag names and aliases in text as whole token sequences (case, plurals, hyphens and spaces folded). */
export class TagMatcher {
  private readonly tagByPhrase = new Map<string, string>();
  private readonly longestPhrase: number;

  constructor(taxonomy: Taxonomy) {
    let longest = 1;
    // Aliases first, so a tag's own name wins where an alias of another tag folds to the same key.
    for (const def of taxonomy.definitions) {
      for (const alias of def.aliases) this.add(phraseKey(alias), def.tag, false);
    }
    for (const def of taxonomy.definitions) this.add(phraseKey(def.tag), def.tag, true);
    for (const key of this.tagByPhrase.keys()) longest = Math.max(longest, key.split(" ").length);
    this.longestPhrase = longest;
  }

  private add(key: string, tag: string, overwrite: boolean): void {
    if (key && (overwrite || !this.tagByPhrase.has(key))) this.tagByPhrase.set(key, tag);
  }

  /** Every tag whose name or alias occurs in the fields, with where it occurs; in order of first occurrence. */
  match(fields: { title: string; description: string }): TagMatch[] {
    const found = new Map<string, Evidence[]>();
    for (const field of ["title", "description"] as const) {
      const text = fields[field];
      const tokens = tokenize(text);
      for (let i = 0; i < tokens.length; i++) {
        let key = "";
        for (let n = 1; n <= this.longestPhrase && i + n <= tokens.length; n++) {
          const last = tokens[i + n - 1] as (typeof tokens)[number];
          key = n === 1 ? last.key : `${key} ${last.key}`;
          const tag = this.tagByPhrase.get(key);
          if (tag === undefined) continue;
          const start = (tokens[i] as (typeof tokens)[number]).start;
          const evidence = { field, text: text.slice(start, last.end), start, end: last.end };
          const list = found.get(tag);
          if (list) list.push(evidence);
          else found.set(tag, [evidence]);
        }
      }
    }
    return [...found].map(([tag, evidence]) => ({ tag, evidence }));
  }
}

export class RulesTagger implements Tagger {
  readonly name = "rules";
  readonly matcher: TagMatcher;

  constructor(readonly taxonomy: Taxonomy) {
    this.matcher = new TagMatcher(taxonomy);
  }

  suggest(content: ContentInput, options?: SuggestOptions): Suggestion[] {
    const candidates: Suggestion[] = [];
    for (const { tag, evidence } of this.matcher.match(boundInput(content))) {
      const score = evidence.some((e) => e.field === "title") ? TITLE_SCORE : DESCRIPTION_SCORE;
      candidates.push({ tag, score, source: "explicit", evidence });
      for (const ancestor of this.taxonomy.ancestors(tag)) {
        candidates.push({ tag: ancestor, score: score * ANCESTOR_FACTOR, source: "implicit" });
      }
    }
    return finalizeSuggestions(candidates, this.taxonomy, options);
  }
}

export const rules: TaggerKind<Record<string, never>> = {
  name: "rules",
  summary: "tag names and aliases found in the text, plus their ancestors (no training)",
  train: async () => ({}),
  create: (_state, taxonomy) => new RulesTagger(taxonomy),
};
