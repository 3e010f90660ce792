// Bounds on what a tagger reads, so text of any size is answered within the latency budget.

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
