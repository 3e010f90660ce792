// The rules tagger: approved tag names and aliases found in the text (explicit, with evidence), plus the ancestors
// of what was found (implicit). No training: the taxonomy is the whole model.

import { WordGramIndex } from "../features/index.js";
import type { Taxonomy } from "../taxonomy/index.js";
import { phraseKey, type Token, tokenize } from "../text/index.js";
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

/** The fields to match, with their tokens when the caller has them already (an ensemble tokenizes once). */
export interface MatchFields {
  title: string;
  description: string;
  titleTokens?: Token[];
  descriptionTokens?: Token[];
}

/**
 * A name fused with a version number, as one token: "TensorFlow2", "python3", "GPT3", "YOLOv5". Its letters (three or
 * more: "C4" is a dataset, not the C language), or those before a "v", are matched as the name; "TensorFlow 2"
 * already was, as two tokens.
 */
const VERSIONED_NAME = /^(\p{L}{3,})\d+$/u;

/**
 * Whether text[start, end) is joined to a neighbouring word by a hyphen: a one-letter name so joined is part of another
 * name ("R" in "Faster R-CNN", "C" in "C-3PO"), not the language R or C.
 */
function hyphenated(text: string, start: number, end: number): boolean {
  const word = /[\p{L}\p{N}]/u;
  return (
    (text[end] === "-" && word.test(text[end + 1] ?? "")) ||
    (text[start - 1] === "-" && word.test(text[start - 2] ?? ""))
  );
}

/** Finds tag names and aliases in text as whole token sequences (case, plurals, hyphens and spaces folded). */
export class TagMatcher {
  /** Phrase keys (token keys joined by spaces) valued by the index of their tag in `tags`. */
  private readonly phrases: WordGramIndex;
  private readonly tags: string[];
  private readonly longestPhrase: number;
  /** Phrase keys of one token: a versioned name is read as its name only when the name is one of these. */
  private readonly oneTokenNames = new Set<string>();

  constructor(taxonomy: Taxonomy) {
    const tagByPhrase = new Map<string, string>();
    const add = (key: string, tag: string, overwrite: boolean) => {
      if (key && (overwrite || !tagByPhrase.has(key))) tagByPhrase.set(key, tag);
    };
    // Aliases first, so a tag's own name wins where an alias of another tag folds to the same key.
    for (const def of taxonomy.definitions) {
      for (const alias of def.aliases) add(phraseKey(alias), def.tag, false);
    }
    for (const def of taxonomy.definitions) add(phraseKey(def.tag), def.tag, true);
    let longest = 1;
    for (const key of tagByPhrase.keys()) {
      const length = key.split(" ").length;
      longest = Math.max(longest, length);
      if (length === 1) this.oneTokenNames.add(key);
    }
    this.longestPhrase = longest;
    this.tags = [...tagByPhrase.values()];
    this.phrases = new WordGramIndex([...tagByPhrase.keys()].map((key, i) => [key, i] as const));
  }

  /** Every tag whose name or alias occurs in the fields, with where it occurs; in order of first occurrence. */
  match(fields: MatchFields): TagMatch[] {
    const found = new Map<string, Evidence[]>();
    for (const field of ["title", "description"] as const) {
      const text = fields[field];
      const tokens =
        (field === "title" ? fields.titleTokens : fields.descriptionTokens) ?? tokenize(text);
      this.phrases.forEachGram(
        tokens.map((t) => this.matchingKey(t.key)),
        1,
        this.longestPhrase,
        (phrase, first, last) => {
          const tag = this.tags[phrase];
          const start = tokens[first].start;
          const end = tokens[last].end;
          if (end - start === 1 && hyphenated(text, start, end)) return;
          const evidence = { field, text: text.slice(start, end), start, end };
          const list = found.get(tag);
          if (list) list.push(evidence);
          else found.set(tag, [evidence]);
        },
      );
    }
    return [...found].map(([tag, evidence]) => ({ tag, evidence }));
  }

  /** A token's key as names are looked up: a versioned name's letters when they are a name and the key is not. */
  private matchingKey(key: string): string {
    const last = key.charCodeAt(key.length - 1);
    // Most tokens do not end in a digit: the regular expression runs for few.
    if (last < 48 || last > 57 || this.oneTokenNames.has(key)) return key;
    const letters = VERSIONED_NAME.exec(key)?.[1];
    if (letters === undefined) return key;
    // "opencv4" is opencv, "yolov5" is yolo: the letters as they are, then without a final "v".
    for (const name of [letters, letters.endsWith("v") ? letters.slice(0, -1) : ""])
      if (name.length >= 3 && this.oneTokenNames.has(name)) return name;
    return key;
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
