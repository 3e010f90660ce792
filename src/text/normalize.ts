// Text normalisation shared by loading, matching and fingerprinting, so that every stage sees the same text.

// Control characters other than whitespace (which is folded below).
const CONTROL = /(?![\t\n\v\f\r])\p{Cc}/gu;
/**
 * Soft hyphen, zero-width space and joiners, word joiner, BOM, as a regex character class: in a word they change how
 * it looks, not what it is (Unicode's NFKC_Casefold drops such default-ignorables). Matching keys leave them out.
 */
export const INVISIBLE_FORMAT_CHARS = "\\u00ad\\u200b-\\u200d\\u2060\\ufeff";
const INVISIBLE_FORMAT = new RegExp(`[${INVISIBLE_FORMAT_CHARS}]`, "g");

/** `text` without its invisible format characters (INVISIBLE_FORMAT_CHARS), for a matching key. */
export function withoutInvisible(text: string): string {
  return text.replace(INVISIBLE_FORMAT, "");
}
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
  // normalised again after lower-casing, which can leave combining marks out of canonical order ("İ" is i + U+0307);
  // invisible format characters left out, as tokens leave them out, so "a\u200bb" is the candidate "ab" it looks like
  return normalizeText(withoutInvisible(normalizeText(name).toLowerCase()))
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
