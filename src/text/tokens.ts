// Tokens with their character offsets in the original text, for rule matching (with evidence) and features.

import { INVISIBLE_FORMAT_CHARS, withoutInvisible } from "./normalize.js";

export interface Token {
  /** Lower-cased, NFKC-normalised, plural-folded form used for matching. */
  key: string;
  /** Offsets of the token in the original string: text.slice(start, end). */
  start: number;
  end: number;
}

// Letters and digits with the combining marks that belong to them (Devanagari vowel signs, a decomposed accent), as
// words() reads them, plus trailing "+" or "#" so c++ and c# stay themselves; hyphens, underscores, spaces and other
// punctuation separate tokens, so "gpt-2", "GPT 2" and "gpt_2" all give [gpt, 2].
//
// Inside a word, invisible format characters are part of it and left out of its key, as Unicode's NFKC_Casefold
// leaves default-ignorables out: a soft hyphen from a web page or PDF ("Py\u00adTorch") or a zero-width space read
// "Py" and "Torch", naming the tag torch. Offsets still cover the word as written.
const TOKEN = new RegExp(
  `[\\p{L}\\p{N}](?:[${INVISIBLE_FORMAT_CHARS}]*[\\p{L}\\p{M}\\p{N}])*[+#]*`,
  "gu",
);

/** A token starts with a letter or digit. */
const TOKEN_START = /[\p{L}\p{N}]/u;

/**
 * Whether `text` has a token, without tokenizing it: text with none ("...", an emoji) can name no tag and imply none,
 * and a tag name with none could never be found in any text.
 */
export function hasToken(text: string): boolean {
  return TOKEN_START.test(text);
}

/**
 * Folds English plurals the way Porter's step 1a does (sses -> ss, ies -> i, s -> ""), on both the text and the tag
 * names, so "transformers" matches "transformer" and "GANs" matches "gan". Short tokens and "ss" endings stay.
 */
export function foldPlural(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("sses")) return word.slice(0, -2);
  if (word.endsWith("ies")) return word.slice(0, -2);
  if (word.endsWith("ss") || word.endsWith("us") || word.endsWith("is")) return word;
  if (word.endsWith("s")) return word.slice(0, -1);
  return word;
}

// NFKC leaves ASCII as it is, and most tokens are ASCII: testing for that is a third of the cost of normalising.
const NON_ASCII = /[\u0080-\uffff]/;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const raw = match[0];
    const start = match.index;
    const normalized = NON_ASCII.test(raw) ? withoutInvisible(raw).normalize("NFKC") : raw;
    tokens.push({
      key: foldPlural(normalized.toLowerCase()),
      start,
      end: start + raw.length,
    });
  }
  return tokens;
}

/** A character a token may hold (TOKEN's, less the order it puts them in). */
const TOKEN_CHAR = new RegExp(`^[\\p{L}\\p{M}\\p{N}+#${INVISIBLE_FORMAT_CHARS}]`, "u");

/**
 * At most the first `limit` UTF-16 units of `text`, cut between tokens: a cut through "NLPx" would read "NLP", a tag
 * the text does not name, and one through an emoji would leave half of its surrogate pair. A token the limit falls in
 * is left out whole (all of a text that is one token longer than the limit, which names nothing).
 */
export function cutBefore(text: string, limit: number): string {
  if (text.length <= limit) return text;
  let end = limit;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  if (!TOKEN_CHAR.test(text.slice(end, end + 2))) return text.slice(0, end);
  // Back to the start of the token the cut falls in, a code point at a time (a regex anchored at the end would try
  // every start: quadratic on a text of one repeated letter).
  while (end > 0) {
    const pair =
      isLowSurrogate(text.charCodeAt(end - 1)) && isHighSurrogate(text.charCodeAt(end - 2));
    const before = text.slice(pair ? end - 2 : end - 1, end);
    if (!TOKEN_CHAR.test(before)) break;
    end -= before.length;
  }
  return text.slice(0, end);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

/** The matching key of a phrase (a tag name or alias): its token keys joined by single spaces. */
export function phraseKey(phrase: string): string {
  return tokenize(phrase)
    .map((t) => t.key)
    .join(" ");
}
