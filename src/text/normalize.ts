// Text normalisation shared by loading, matching and fingerprinting, so that every stage sees the same text.

// Control characters other than whitespace (which is folded below).
const CONTROL = /(?![\t\n\v\f\r])\p{Cc}/gu;
const SPACE_RUN = /\s+/gu;

/** Unicode NFKC (so "ﬁ" is "fi" and full-width letters are ASCII), control characters dropped, whitespace folded. */
export function normalizeText(text: string): string {
  return text.normalize("NFKC").replace(CONTROL, "").replace(SPACE_RUN, " ").trim();
}

/**
 * The key under which a tag or alias is looked up: case, and hyphen/underscore/space variants, fold together,
 * so "Natural Language_Processing" and "natural-language-processing" are the same tag.
 */
export function tagKey(name: string): string {
  return normalizeText(name)
    .toLowerCase()
    .replace(/[\s_-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** Lower-cased words of a text (letters and digits), for duplicate detection and word counts. */
export function words(text: string): string[] {
  return (
    normalizeText(text)
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}
