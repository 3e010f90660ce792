// Bounds on what a tagger reads, so text of any size is answered within the latency budget; and the input
// tokenized once, so the models of an ensemble share one tokenization rather than each making its own.

import { contentText } from "../data/index.js";
import type { Vectorizer } from "../features/index.js";
import { normalizeText, type Token, tokenize } from "../text/index.js";
import { MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS } from "./limits.js";
import type { ContentInput } from "./suggestion.js";

export { MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS };

export interface BoundedInput {
  title: string;
  description: string;
  /** True when a field was cut to its maximum length. */
  truncated: boolean;
}

export function boundInput(content: ContentInput): BoundedInput {
  const title = content.title ?? "";
  const description = content.description ?? "";
  return {
    title: title.slice(0, MAX_TITLE_CHARS),
    description: description.slice(0, MAX_DESCRIPTION_CHARS),
    truncated: title.length > MAX_TITLE_CHARS || description.length > MAX_DESCRIPTION_CHARS,
  };
}

/** A bounded input with the tokens of each field. */
export interface TokenizedInput extends BoundedInput {
  titleTokens: Token[];
  descriptionTokens: Token[];
}

/** The input bounded and tokenized; an input that already is (as an ensemble passes to its models) is kept. */
export function tokenizeInput(content: ContentInput | TokenizedInput): TokenizedInput {
  if ("titleTokens" in content) return content;
  const bounded = boundInput(content);
  return {
    ...bounded,
    titleTokens: tokenize(bounded.title),
    descriptionTokens: tokenize(bounded.description),
  };
}

/**
 * The text a learned tagger reads: title and description, normalised as training data is when it is loaded (NFKC,
 * control characters dropped), so that a ligature or full-width letters pasted from a PDF score as plain letters do.
 */
export function learnedText(content: ContentInput): string {
  const { title, description } = boundInput(content);
  const text = contentText({ title, description });
  // Printable ASCII and whitespace is what normalising leaves as it is, up to runs of whitespace, which no feature
  // sees (words and character n-grams split on it): most texts skip the normaliser, 3-7 us a suggestion.
  return NEEDS_NORMALIZING.test(text) ? normalizeText(text) : text;
}

const NEEDS_NORMALIZING = /[^\t\n\v\f\r\x20-\x7e]/;

/**
 * The token keys of learnedText(input) without tokenizing it again: the title's then the description's, since
 * contentText joins them with ". " and no token spans that.
 */
export function learnedKeys(input: TokenizedInput): string[] {
  const keys = new Array<string>(input.titleTokens.length + input.descriptionTokens.length);
  let at = 0;
  for (const token of input.titleTokens) keys[at++] = token.key;
  for (const token of input.descriptionTokens) keys[at++] = token.key;
  return keys;
}

/** The TF-IDF vector of what a learned tagger reads, from tokens the caller may already have. */
export function learnedVector(vectorizer: Vectorizer, content: ContentInput | TokenizedInput) {
  const input = tokenizeInput(content);
  return vectorizer.transform(learnedText(input), learnedKeys(input));
}
