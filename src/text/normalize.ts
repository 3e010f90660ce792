// Text normalisation shared by loading, matching and fingerprinting, so that every stage sees the same text.

// Control characters other than whitespace (which is folded below).
const CONTROL = /(?![\t\n\v\f\r])\p{Cc}/gu;
const SPACE_RUN = /\s+/gu;

/**
 * Unicode NFKC (so "ﬁ" is "fi" and full-width letters are ASCII), control characters dropped, whitespace folded.
 * Control characters go before NFKC: dropped after it, they could leave a letter and a combining mark side by side
 * uncomposed, and a second pass would change the text.
 */
export function normalizeText(text: string): string {
  return foldWhitespace(text.replace(CONTROL, "").normalize("NFKC"));
}

/** Runs of whitespace as one space, none at either end: the last step of normalizeText. */
export function foldWhitespace(text: string): string {
  return text.replace(SPACE_RUN, " ").trim();
}

/**
 * The key under which a tag or alias is looked up: case, and hyphen/underscore/space variants, fold together,
 * so "Natural Language_Processing" and "natural-language-processing" are the same tag.
 */
export function tagKey(name: string): string {
  // normalised again after lower-casing, which can leave combining marks out of canonical order ("İ" is i + U+0307)
  return normalizeText(normalizeText(name).toLowerCase())
    .replace(/[\s_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/**
 * Lower-cased words of a text (letters and digits, with the combining marks that belong to them, as in Devanagari),
 * for duplicate detection and word counts.
 */
export function words(text: string): string[] {
  return (
    normalizeText(text)
      .toLowerCase()
      .match(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu) ?? []
  );
}
