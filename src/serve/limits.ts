// The API's size limits, once, as plain numbers: the schemas (schemas.ts, content-schemas.ts) refuse what is past
// them, and the browser bundles (widget, editor), which can take in neither zod nor Node code, keep to the same
// numbers before they send.

// From the file itself, not the taggers' index: the index would bring every tagger (and Node's modules) into the
// browser bundles.
export { MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS } from "../taggers/limits.js";

/** Largest request body in bytes by default (413 above), and requests per minute per client on /v1 routes. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;
export const DEFAULT_RATE_LIMIT = 6_000;
/** Suggestions per item: the default, and the most a client may ask for. */
export const DEFAULT_SUGGESTIONS = 5;
export const MAX_SUGGESTIONS = 20;
/** Items in one batch request; more is refused with 413, like a body over the size limit. */
export const MAX_BATCH_ITEMS = 100;
/**
 * The batch route's body limit when the service's is smaller: a full batch of texts as long as the model reads
 * (1,000 characters of title and 10,000 of description, each) must fit, with room for JSON and some non-ASCII text.
 * At the service's default (64 kB) 100 items of 650 characters each were refused.
 */
export const BATCH_BODY_LIMIT = 2 * 1024 * 1024;
/** Tags the author already chose, per item, and tags on saved content. */
export const MAX_AUTHOR_TAGS = 100;
/** Characters in one tag name, as sent or saved. */
export const MAX_TAG_CHARS = 200;
/** The router's bound on one path parameter (a candidate tag, an id), decoded: well past any the routes take. */
export const MAX_PATH_PARAM_CHARS = 2 * MAX_TAG_CHARS;
/** Tags GET /v1/tags answers with: the default and the most. */
export const DEFAULT_TAG_MATCHES = 10;
export const MAX_TAG_MATCHES = 100;
/** Characters in a GET /v1/tags query. */
export const MAX_TAG_QUERY_CHARS = 200;
/** Descriptions of saved content are stored whole, far beyond what the model reads: an author's text is never cut. */
export const MAX_CONTENT_DESCRIPTION_CHARS = 200_000;
/** Saved content per page of GET /v1/content: the most (the default is the store's, DEFAULT_CONTENT_PAGE). */
export const MAX_CONTENT_PAGE = 100;
/** Events in one POST /v1/feedback. */
export const MAX_FEEDBACK_EVENTS = 100;
