// What the service accepts in saved content, enforced as the author types rather than refused at save. The
// service's own constants live in modules that bring zod and the taggers (Node code) into a bundle, so the numbers
// are repeated here once; content-limits.test.ts holds them to what the service's schemas accept.

/** Characters in a title (ContentDraft.title; the taggers read no more). */
export const MAX_TITLE_CHARS = 1_000;
/** Characters in a description (ContentDraft.description). */
export const MAX_DESCRIPTION_CHARS = 200_000;
/** Characters in one tag (ContentDraft.tags[]). */
export const MAX_TAG_CHARS = 200;
/** Tags on one piece of content (ContentDraft.tags, and the chosen tags a suggest request may send). */
export const MAX_TAGS = 100;
/** Characters in a tag search (GET /v1/tags?query=). */
export const MAX_TAG_QUERY_CHARS = 200;
/** Items in one page of GET /v1/content. */
export const MAX_CONTENT_PAGE = 100;
