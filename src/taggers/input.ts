// Bounds on what a tagger reads, so text of any size is answered within the latency budget; and the input
// tokenized once, so the models of an ensemble share one tokenization rather than each making its own.

import { contentText } from "../data/index.js";
import type { Vectorizer } from "../features/index.js";
import { cutBefore, foldWhitespace, normalizeText, type Token, tokenize } from "../text/index.js";
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
    title: cutBefore(title, MAX_TITLE_CHARS),
    description: cutBefore(description, MAX_DESCRIPTION_CHARS),
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
  return asTrained(joinedText(content)).text;
}

/** What a learned tagger reads when suggesting: learnedText and its token keys, found once for all its models. */
export interface LearnedInput {
  text: string;
  /** tokenize(text)'s keys, as the vectorizer would find them. */
  keys: string[];
}

/**
 * learnedText(content) with its token keys, from tokens the caller may already have. Where normalising changes no
 * more than runs of whitespace (which no token holds), the keys are those of the fields' tokens, the title's then the
 * description's, since contentText joins them with ". " and no token spans that: most texts skip a second
 * tokenization, and printable ASCII the normaliser too, 3-7 us a suggestion. Other text is tokenized as normalised,
 * as training reads it, because a token's own NFKC is not the text's: "ab\u0000cd" is one word to training and two
 * tokens as typed, "½" the words 1 and 2 but the token "1⁄2", "℡" the word "tel" but no token at all.
 */
export function learnedInput(content: ContentInput | TokenizedInput): LearnedInput {
  const { text, retokenize } = asTrained(joinedText(content));
  return { text, keys: retokenize ? keysOf(text) : fieldKeys(content) };
}

/** The token keys of the title, then of the description. */
function fieldKeys(content: ContentInput | TokenizedInput): string[] {
  const { titleTokens, descriptionTokens } = tokenizeInput(content);
  const keys = new Array<string>(titleTokens.length + descriptionTokens.length);
  let at = 0;
  for (const token of titleTokens) keys[at++] = token.key;
  for (const token of descriptionTokens) keys[at++] = token.key;
  return keys;
}

/**
 * A field's token keys as training reads the field (normalised when it is loaded): those of its tokens as typed where
 * normalising changes no more than runs of whitespace, as for learnedInput's text.
 */
export function trainedKeys(text: string, tokens: readonly Token[]): string[] {
  const trained = asTrained(text);
  return trained.retokenize ? keysOf(trained.text) : tokens.map((token) => token.key);
}

/**
 * A text as training reads it, normalised, and whether its tokens differ from those of the text as typed: printable
 * ASCII and whitespace is what normalising leaves as it is, up to runs of whitespace, which no token holds, so most
 * texts skip the normaliser (3-7 us a suggestion) and a second tokenization.
 */
function asTrained(text: string): { text: string; retokenize: boolean } {
  if (!NEEDS_NORMALIZING.test(text)) return { text, retokenize: false };
  const normalized = normalizeText(text);
  return { text: normalized, retokenize: normalized !== foldWhitespace(text) };
}

const keysOf = (text: string) => tokenize(text).map((token) => token.key);

/** Title and description as bounded, joined as contentText joins them. */
function joinedText(content: ContentInput): string {
  const { title, description } = boundInput(content);
  return contentText({ title, description });
}

/** Not printable ASCII or whitespace, which normalising leaves as they are, up to runs of whitespace. */
const NEEDS_NORMALIZING = /[^\t\n\v\f\r\x20-\x7e]/;

/** The TF-IDF vector of what a learned tagger reads. */
export function learnedVector(vectorizer: Vectorizer, input: LearnedInput) {
  return vectorizer.transform(input.text, input.keys);
}
