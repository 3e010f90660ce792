// Bounds on what a tagger reads, so text of any size is answered within the latency budget; and the input
// tokenized once, so the models of an ensemble share one tokenization rather than each making its own.

import { type Token, tokenize } from "../text/index.js";
import type { ContentInput } from "./suggestion.js";

/** Longer fields are cut: tags are decided by the opening of a text, and the cost of a suggestion stays bounded. */
export const MAX_TITLE_CHARS = 1_000;
export const MAX_DESCRIPTION_CHARS = 10_000;

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
