// How much of a text a tagger reads, as plain numbers (no imports): the service's schemas and the browser bundles
// take them from here through serve/limits.ts.

/** Longer fields are cut: tags are decided by the opening of a text, and the cost of a suggestion stays bounded. */
export const MAX_TITLE_CHARS = 1_000;
export const MAX_DESCRIPTION_CHARS = 10_000;
