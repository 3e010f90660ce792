// The HTTP API's requests and responses, written once: they validate requests, type the handlers and give the
// OpenAPI document (named components come from API_SCHEMAS).

import { z } from "zod";
import { MAX_EVIDENCE_SPANS } from "../taggers/index.js";
import {
  DEFAULT_SUGGESTIONS,
  DEFAULT_TAG_MATCHES,
  MAX_AUTHOR_TAGS,
  MAX_BATCH_ITEMS,
  MAX_DESCRIPTION_CHARS,
  MAX_SUGGESTIONS,
  MAX_TAG_CHARS,
  MAX_TAG_MATCHES,
  MAX_TAG_QUERY_CHARS,
  MAX_TITLE_CHARS,
} from "./limits.js";

export {
  DEFAULT_SUGGESTIONS,
  DEFAULT_TAG_MATCHES,
  MAX_AUTHOR_TAGS,
  MAX_BATCH_ITEMS,
  MAX_SUGGESTIONS,
  MAX_TAG_MATCHES,
};

/**
 * Named schemas: each becomes a component of the OpenAPI document. zod's global registry, where .describe() keeps
 * descriptions too: the document generator reads every schema's metadata from the one registry it is given, so with
 * a registry of our own no field's or parameter's description would reach the document.
 */
export const API_SCHEMAS = z.globalRegistry;

/**
 * Text a database keeps: PostgreSQL's text cannot hold NUL, and an unpaired UTF-16 surrogate is not Unicode. Both
 * are refused with a 400 naming the field, never stored altered and never a 500.
 */
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const storable = <T extends z.ZodString>(schema: T): T =>
  schema.refine((text) => !text.includes("\u0000") && !UNPAIRED_SURROGATE.test(text), {
    message: "contains a NUL character or an unpaired surrogate: remove it",
  }) as T;

/**
 * A whole number in a URL path or query string, in decimal digits only: Number() would also read "0x1", " 1" (from
 * %201), "1e3" or "" (as 0), so odd spellings of an id would reach real content.
 */
export const decimalInteger = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .regex(/^[0-9]+$/, "must be a whole number written in decimal digits (0-9 only)")
    .transform(Number)
    // Digits only, so a whole number: one range check, so that a huge id is one issue, not one per bound it exceeds.
    .pipe(
      z
        .number()
        .refine((n) => n >= min && n <= max, `must be a whole number from ${min} to ${max}`),
    );

/** Said of every number in a path or query string, in the OpenAPI document. */
export const DECIMAL_DIGITS =
  "Decimal digits only (0x1, 1e3, +1 or a padded 1 are refused with 400).";

export function named<T extends z.ZodType>(schema: T, id: string, description: string): T {
  API_SCHEMAS.add(schema, { id, description });
  return schema;
}

// An empty title is content with nothing to read yet (an author who has not started): no suggestions, not an error.
const Title = z
  .string()
  .describe(
    `The content's title. Only its first ${MAX_TITLE_CHARS} characters are read, up to the word the limit falls in (the response then says truncated). Empty, with an empty or no description: no suggestions.`,
  );
const Description = z
  .string()
  .describe(
    `The content's description. Only its first ${MAX_DESCRIPTION_CHARS} characters are read, up to the word the limit falls in (the response then says truncated).`,
  );
const AuthorTags = z
  .array(z.string().max(MAX_TAG_CHARS))
  .max(MAX_AUTHOR_TAGS)
  .describe(
    "Tags the author already chose, by name or alias in any case: never suggested again, and evidence for the others (the default model scores with a combination learned for authors who have chosen some tags).",
  );
const Limit = z
  .number()
  .int()
  .min(1)
  .max(MAX_SUGGESTIONS)
  .default(DEFAULT_SUGGESTIONS)
  .describe("At most this many suggestions.");
/** A union's own failure (neither branch's type) in words, rather than zod's "Invalid input". */
const STRING_OR_WHOLE_NUMBER = {
  // A missing id is left to the usual "required".
  error: (issue: { code?: string; input?: unknown }) =>
    issue.code === "invalid_union" && issue.input !== undefined
      ? "must be a non-empty string (up to 200 characters) or a whole number"
      : undefined,
};
const ContentId = z
  .union([z.string().min(1).max(200), z.number().int()], STRING_OR_WHOLE_NUMBER)
  .describe("The platform's id of the content: logged with the request, for joining feedback.");

export const SuggestRequest = named(
  z.strictObject({
    title: Title,
    description: Description.optional(),
    tags: AuthorTags.optional(),
    limit: Limit,
    content_id: ContentId.optional(),
  }),
  "SuggestRequest",
  "One piece of content to suggest tags for.",
);
export type SuggestRequest = z.infer<typeof SuggestRequest>;

export const BatchItem = named(
  z.strictObject({
    id: z
      .union(
        [
          z
            .string()
            .min(1)
            .max(200)
            // Results are an object keyed by id; this one key cannot be an own property once parsed again.
            .refine((id) => id !== "__proto__", {
              message: 'the id "__proto__" is reserved: use another id',
            }),
          z.number().int(),
        ],
        STRING_OR_WHOLE_NUMBER,
      )
      .describe("The item's id: its results are keyed by it. Unique within a batch."),
    title: Title,
    description: Description.optional(),
    tags: AuthorTags.optional(),
  }),
  "BatchItem",
  "One piece of content in a batch.",
);

export const BatchRequest = named(
  z
    .strictObject({
      items: z
        .array(BatchItem)
        .min(1)
        .max(MAX_BATCH_ITEMS)
        .describe(`1 to ${MAX_BATCH_ITEMS} items; more is refused with 413 too_many_items.`),
      limit: Limit,
    })
    .superRefine((batch, ctx) => {
      const seen = new Set<string>();
      batch.items.forEach((item, i) => {
        const key = String(item.id);
        if (seen.has(key))
          ctx.addIssue({
            code: "custom",
            path: ["items", i, "id"],
            message: `duplicate id ${JSON.stringify(item.id)}: results are keyed by id`,
          });
        seen.add(key);
      });
    }),
  "BatchRequest",
  "Several pieces of content, answered by one model.",
);
export type BatchRequest = z.infer<typeof BatchRequest>;

export const Evidence = named(
  z.object({
    field: z.enum(["title", "description"]),
    text: z.string().describe("The words that matched the tag or one of its aliases."),
    start: z.number().int().describe("Offset of the first character, in the field as sent."),
    end: z.number().int().describe("Offset after the last character."),
  }),
  "Evidence",
  "Where an explicit tag was found in the text.",
);

export const Suggestion = named(
  z.object({
    tag: z.string().describe("An approved tag."),
    score: z.number().min(0).max(1).describe("Confidence in 0..1, higher is better."),
    source: z
      .enum(["explicit", "implicit"])
      .describe(
        "explicit: the tag or an alias is in the text (see evidence); implicit: implied by the text or by a matched tag.",
      ),
    category: z
      .string()
      .optional()
      .describe("The tag's category in the taxonomy, when it has one."),
    aliases: z
      .array(z.string())
      .optional()
      .describe(
        "The tag's aliases in the taxonomy, when it has any: an author who typed one has chosen this tag, which a client can tell without asking again.",
      ),
    evidence: z
      .array(Evidence)
      .max(MAX_EVIDENCE_SPANS)
      .optional()
      .describe(
        `Explicit suggestions: where the tag or an alias was found, in order (title first). At most ${MAX_EVIDENCE_SPANS} spans: the first occurrences, however often the text names the tag.`,
      ),
  }),
  "Suggestion",
  "A suggested tag.",
);
export type ApiSuggestion = z.infer<typeof Suggestion>;

/**
 * A model version's registry id: in responses, and where a client names a model (feedback events echo a response's
 * model; the online metrics filter by it). Stored and compared in the database, so storable.
 */
export const ModelId = storable(z.string().max(200));

// Strict: the same schema reads the model a feedback event echoes back, where an unknown key is a client's mistake.
export const ModelRef = named(
  z.strictObject({
    id: ModelId.describe(
      "The model version that answered: its registry id, derived from the model file's content.",
    ),
    version: storable(z.string().max(200)).describe("When that model was trained (ISO 8601, UTC)."),
  }),
  "ModelRef",
  "The model that answered.",
);
export type ModelRef = z.infer<typeof ModelRef>;

const Truncated = z
  .literal(true)
  .optional()
  .describe("Present when the title or description was cut to the length the model reads.");

export const SuggestResponse = named(
  z.object({
    request_id: z.string(),
    model: ModelRef,
    suggestions: z.array(Suggestion).describe("Best first; approved tags only."),
    truncated: Truncated,
  }),
  "SuggestResponse",
  "Suggestions for one piece of content.",
);
export type SuggestResponse = z.infer<typeof SuggestResponse>;

export const ItemSuggestions = named(
  z.object({ suggestions: z.array(Suggestion), truncated: Truncated }),
  "ItemSuggestions",
  "Suggestions for one item of a batch.",
);
export type ItemSuggestions = z.infer<typeof ItemSuggestions>;

export const BatchResponse = named(
  z.object({
    request_id: z.string(),
    model: ModelRef,
    results: z.record(z.string(), ItemSuggestions).describe("Keyed by item id (as a string)."),
  }),
  "BatchResponse",
  "Suggestions for every item of a batch.",
);
export type BatchResponse = z.infer<typeof BatchResponse>;

export const TagsQuery = z.strictObject({
  query: z
    .string()
    .max(MAX_TAG_QUERY_CHARS)
    .optional()
    .describe(
      "Text to match against tags and aliases: prefix or substring, ignoring case, spaces and hyphens. Empty: every tag.",
    ),
  limit: decimalInteger(1, MAX_TAG_MATCHES)
    .default(DEFAULT_TAG_MATCHES)
    .describe(
      `At most this many tags: 1 to ${MAX_TAG_MATCHES}, default ${DEFAULT_TAG_MATCHES}. ${DECIMAL_DIGITS}`,
    ),
});
export type TagsQuery = z.infer<typeof TagsQuery>;

export const ApprovedTag = named(
  z.object({
    tag: z.string(),
    aliases: z.array(z.string()),
    category: z.string().optional(),
    parents: z.array(z.string()),
    description: z.string().optional(),
    matched: z
      .string()
      .optional()
      .describe("The name or alias that matched the query (absent without a query)."),
  }),
  "ApprovedTag",
  "A tag of the approved list.",
);

export const TagsResponse = named(
  z.object({
    model: ModelRef,
    tags: z
      .array(ApprovedTag)
      .describe(
        "Exact matches first, then prefixes, then substrings; tag names before aliases; then by name.",
      ),
    total: z.number().int().describe("How many tags matched, before the limit."),
  }),
  "TagsResponse",
  "Approved tags for autocomplete.",
);
export type TagsResponse = z.infer<typeof TagsResponse>;

export const Health = named(
  z.object({ status: z.literal("ok") }),
  "Health",
  "The process is alive.",
);

export const Readiness = named(
  z.object({
    status: z.literal("ready"),
    model: ModelRef,
    production_failed: z
      .object({
        id: ModelId,
        at: z.string().describe("When it last failed to load (ISO 8601, UTC)."),
      })
      .optional()
      .describe(
        "Present when the registry's production version failed to load and `model` answers in its place. It is tried again when its files change, and every minute; why it failed is in the log.",
      ),
  }),
  "Readiness",
  "A model is loaded and requests are answered.",
);

/** Every error code a client can see. */
export const API_ERROR_CODES = [
  "invalid_json",
  "unsupported_media_type",
  "headers_too_large",
  "invalid_request",
  "unauthorized",
  "misdirected_request",
  "request_timeout",
  "body_too_large",
  "too_many_items",
  "method_not_allowed",
  "not_found",
  "conflict",
  "rate_limited",
  "not_ready",
  "shutting_down",
  "store_unavailable",
  "store_outcome_unknown",
  "store_busy",
  "store_tables_gone",
  "registry_unreadable",
  "no_store",
  "internal",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export const FieldIssue = named(
  z.object({
    field: z
      .string()
      .describe('Where: "title", "items[2].tags[0]", "query"; "body" for the whole body.'),
    message: z.string(),
  }),
  "FieldIssue",
  "One problem with one field.",
);

export const ErrorBody = named(
  z.object({
    error: z.object({
      code: z.enum(API_ERROR_CODES).describe("Stable: branch on this, never on the message."),
      message: z.string().describe("What is wrong and how to fix it; names the field."),
      details: z
        .object({
          field: z.string().optional().describe("The first field at fault."),
          issues: z.array(FieldIssue).optional().describe("Every problem found in the request."),
          allow: z.array(z.string()).optional().describe("405: the methods this path answers."),
          limit: z
            .number()
            .optional()
            .describe("413 and 429: the limit exceeded (bytes, items, requests per minute)."),
          retry_after_seconds: z.number().optional().describe("429 and 503: when to try again."),
          id: z
            .number()
            .optional()
            .describe(
              "409 on saving content: the content at issue. On a create (field Idempotency-Key), the content its key made, to save the changes to; on an update (field version), the content saved since.",
            ),
          version: z
            .number()
            .optional()
            .describe(
              "409 on saving content: that content's current version, the one to send with changes reapplied to it.",
            ),
          stored: z
            .number()
            .optional()
            .describe(
              "409 on feedback: the batch's other events stored now (its events whose ids were reused are not).",
            ),
          duplicates: z
            .number()
            .optional()
            .describe("409 on feedback: the batch's other events stored before (sent again)."),
          unknown_content_ids: z
            .array(z.number().int())
            .optional()
            .describe(
              "409 on feedback: the content ids the stored events named that no saved content has, as a 200 lists them.",
            ),
        })
        .describe("Machine-readable details; an empty object when there are none."),
    }),
  }),
  "Error",
  "Every error response has this shape.",
);
export type ErrorBody = z.infer<typeof ErrorBody>;
