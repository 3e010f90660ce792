// Tokens with their character offsets in the original text, for rule matching (with evidence) and features.

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
const TOKEN = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*[+#]*/gu;

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
    const normalized = NON_ASCII.test(raw) ? raw.normalize("NFKC") : raw;
    tokens.push({
      key: foldPlural(normalized.toLowerCase()),
      start,
      end: start + raw.length,
    });
  }
  return tokens;
}

/** The matching key of a phrase (a tag name or alias): its token keys joined by single spaces. */
export function phraseKey(phrase: string): string {
  return tokenize(phrase)
    .map((t) => t.key)
    .join(" ");
}
