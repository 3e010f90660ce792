// The content and feedback API's requests and responses, written once (like schemas.ts, whose registry names them
// in the OpenAPI document): what the editor saves, and what the widget reports back.

import { z } from "zod";
import {
  DEFAULT_CONTENT_PAGE,
  FIRST_STORABLE_TIME,
  LAST_STORABLE_TIME,
  MAX_ID,
  REPORT_REASONS,
} from "../store/index.js";
import {
  MAX_CONTENT_DESCRIPTION_CHARS,
  MAX_CONTENT_PAGE,
  MAX_FEEDBACK_EVENTS,
  MAX_TAG_CHARS,
  MAX_TITLE_CHARS,
} from "./limits.js";
import {
  DECIMAL_DIGITS,
  decimalInteger,
  MAX_AUTHOR_TAGS,
  ModelRef,
  named,
  storable,
} from "./schemas.js";

export { MAX_CONTENT_DESCRIPTION_CHARS, MAX_CONTENT_PAGE, MAX_FEEDBACK_EVENTS };

/**
 * Content and feedback routes accept bodies up to CONTENT_BODY_LIMIT, whatever the service's (smaller) default: the
 * longest valid request (a description of MAX_CONTENT_DESCRIPTION_CHARS) must fit even when JSON escapes its
 * characters (up to 6 bytes each, \uXXXX).
 */
export const CONTENT_BODY_LIMIT = 2 * 1024 * 1024;

const Session = z
  .string()
  .regex(/^[\w.:-]{1,100}$/, "expected 1 to 100 letters, digits or . _ : -")
  .describe(
    "The editing session (the widget's `session`): its suggestion events are linked to the content when it is saved.",
  );
const StoredId = z.number().int().min(1).describe("The content's id in the store.");

/** Said of a title or author that is empty or only whitespace, rather than zod's "expected string to have >=1 characters". */
const blank = (fix: string) => `is empty or only whitespace: ${fix}`;

export const ContentDraft = named(
  z.strictObject({
    title: storable(
      z
        .string()
        .trim()
        .min(1, blank("saved content needs a title; write a few words on what it is about"))
        .max(MAX_TITLE_CHARS),
    ).describe(
      `Required, and not blank: empty or only whitespace is refused (400). Kept without leading and trailing whitespace; up to ${MAX_TITLE_CHARS} characters.`,
    ),
    description: storable(z.string().max(MAX_CONTENT_DESCRIPTION_CHARS)).default(""),
    tags: z
      .array(storable(z.string().max(MAX_TAG_CHARS)))
      .max(MAX_AUTHOR_TAGS)
      .default([])
      .describe(
        "The author's tags, by name or alias in any case: approved ones are stored under their name, others are kept as typed and listed in unapproved_tags.",
      ),
    author: storable(
      z.string().trim().min(1, blank("give the author's name, or leave author out")).max(200),
    ).optional(),
    session: Session.optional(),
  }),
  "ContentDraft",
  "Content as the author saves it.",
);
export type ContentDraft = z.infer<typeof ContentDraft>;

/**
 * The header sent twice: Node joins the values as "a, b" (a server in front may pass a list). A key holds no space, so
 * ", " in one can only be that, and is named as such rather than as a character out of place.
 */
const KEY_SENT_TWICE =
  'the Idempotency-Key header was sent more than once (its values arrive joined by ", "): send it once, with one key (the same for every retry of one save)';

/** Loose: the other headers are Fastify's, kept as they came. */
export const ContentCreateHeaders = z.looseObject({
  "idempotency-key": z
    .string({ error: (issue) => (Array.isArray(issue.input) ? KEY_SENT_TWICE : undefined) })
    .refine((key) => !key.includes(", "), { error: KEY_SENT_TWICE, abort: true })
    .regex(/^[\x21-\x7e]{1,200}$/, "expected 1 to 200 visible ASCII characters")
    .optional()
    .describe(
      "A key of the client's for this one new content (a random UUID, say), sent once per request and again with every retry of the same save: a save whose answer was lost (a timeout, a dropped connection) and is sent again gets the content the first made, as it is now, rather than a second copy. The key sent with other values than the content was created with is refused with 409, whose details give the content's id and version, to save the changes to. The header sent twice in one request is refused with 400, saying so.",
    ),
});

export const ContentUpdate = named(
  ContentDraft.extend({
    version: z
      .number()
      .int()
      .min(1)
      .optional()
      .describe(
        "The version the author edited: if the content has changed since, the update is refused with 409 (conflict) and nothing is written. Without it the update replaces whatever is stored (the last writer wins; earlier versions stay under /versions): editors should send it.",
      ),
  }),
  "ContentUpdate",
  "A new version of saved content.",
);
export type ContentUpdate = z.infer<typeof ContentUpdate>;

export const Content = named(
  z.object({
    id: StoredId,
    title: z.string(),
    description: z.string(),
    tags: z.array(z.string()).describe("Approved tags, by name, in the author's order."),
    unapproved_tags: z
      .array(z.string())
      .describe("Tags the author typed that are not approved: kept, never suggested."),
    author: z.string().nullable(),
    version: z
      .number()
      .int()
      .describe("1 when created, one more per update that changes something."),
    created_at: z.string(),
    updated_at: z.string(),
  }),
  "Content",
  "Saved content.",
);
export type ApiContent = z.infer<typeof Content>;

export const OpenedContent = named(
  Content.extend({
    reported_tags: z
      .array(z.string())
      .describe(
        "Tags authors reported as wrong suggestions for this content, on any device: an editor opening it hides them (the widget's rememberReported).",
      ),
  }),
  "OpenedContent",
  "Saved content as an editor opens it.",
);
export type ApiOpenedContent = z.infer<typeof OpenedContent>;

export const ContentParams = z.strictObject({
  id: decimalInteger(1, MAX_ID).describe(`The content's id. ${DECIMAL_DIGITS}`),
});

export const ContentListQuery = z.strictObject({
  limit: decimalInteger(1, MAX_CONTENT_PAGE)
    .default(DEFAULT_CONTENT_PAGE)
    .describe(
      `At most this many items: 1 to ${MAX_CONTENT_PAGE}, default ${DEFAULT_CONTENT_PAGE}. ${DECIMAL_DIGITS}`,
    ),
  offset: decimalInteger(0).default(0).describe(`Items to skip, default 0. ${DECIMAL_DIGITS}`),
});

export const ContentList = named(
  z.object({
    items: z.array(Content).describe("Most recently updated first."),
    total: z.number().int(),
  }),
  "ContentList",
  "A page of saved content.",
);

export const ContentVersion = named(
  z.object({
    version: z.number().int(),
    title: z.string(),
    description: z.string(),
    tags: z.array(z.string()),
    unapproved_tags: z.array(z.string()),
    saved_at: z.string(),
  }),
  "ContentVersion",
  "One saved version of content.",
);

export type ApiContentVersion = z.infer<typeof ContentVersion>;

export const ContentVersions = named(
  z.object({ id: StoredId, versions: z.array(ContentVersion).describe("Oldest first.") }),
  "ContentVersions",
  "Every saved version of content.",
);

/** FIRST_STORABLE_TIME to LAST_STORABLE_TIME, as a client reads it. */
const OCCURRED_AT_RANGE = "0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z in UTC";

const EventBase = {
  id: z
    .string()
    // No ":": the keys the store writes itself on a save (saved:ID:VERSION) can never be taken by a client.
    .regex(/^[\w.-]{1,100}$/, "expected 1 to 100 letters, digits or . _ -")
    .describe(
      "Idempotency key chosen by the client (a random UUID, say), one per event: the event sent again with the same id is stored once; another event sent under an id stored before is refused (409).",
    ),
  session: Session.optional(),
  content_id: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(
      "The saved content the event is about. An id no saved content has does not refuse the event: it is stored without content and the id is listed in the answer's `unknown_content_ids`.",
    ),
  request_id: storable(z.string().max(100))
    .optional()
    .describe("The /v1/suggest request that suggested the tags."),
  model: ModelRef.optional(),
  occurred_at: z.iso
    .datetime({ offset: true })
    // Four-digit years with an offset can still leave the years a database keeps (0000-01-01T00:00:00Z), and the
    // document's pattern (zod's, for any date-time) cannot say so: the description does.
    .refine((time) => {
      const instant = Date.parse(time);
      return instant >= FIRST_STORABLE_TIME && instant <= LAST_STORABLE_TIME;
    }, `expected a time from ${OCCURRED_AT_RANGE}`)
    .optional()
    .describe(
      `When the event happened by the client's clock, ISO 8601 with an offset (2026-03-01T10:00:00.000Z), from ${OCCURRED_AT_RANGE} (the years the database keeps): a year 0000, or 0001-01-01T00:30:00+01:00, is refused (400). It orders a session's events among themselves (one client, one clock): a batch retried after an outage is stored after newer ones, so the order stored is not the order shown. The widget sends it.`,
    ),
};
const EventTag = storable(z.string().min(1).max(MAX_TAG_CHARS));

export const ShownEvent = named(
  z.strictObject({
    ...EventBase,
    type: z.literal("shown"),
    suggestions: z
      .array(
        z.strictObject({
          tag: EventTag,
          score: z.number().min(0).max(1),
          source: z.enum(["explicit", "implicit"]),
        }),
      )
      .max(20)
      .describe("The suggestions on screen."),
    latency_ms: z
      .number()
      .min(0)
      .max(600_000)
      .optional()
      .describe("The suggest request's round trip as the client saw it."),
    // Not storable(): only approved names are kept, so an odd tag the author typed cannot refuse the batch.
    chosen: z
      .array(z.string().max(MAX_TAG_CHARS))
      .max(MAX_AUTHOR_TAGS)
      .optional()
      .describe(
        "The tags the author had already chosen when these suggestions were shown (those the suggest request sent), by name or alias in any case. A tag chosen before a session's first suggestions was not the model's to suggest: it does not count as missed in proxy recall and is not queued for review as a possible miss (editing saved content starts with all its tags chosen).",
      ),
  }),
  "ShownEvent",
  "Suggestions were shown to the author.",
);

export const AcceptedEvent = named(
  z.strictObject({ ...EventBase, type: z.literal("accepted"), tag: EventTag }),
  "AcceptedEvent",
  "The author added a suggested tag.",
);

export const ReportedEvent = named(
  z.strictObject({
    ...EventBase,
    type: z.literal("reported"),
    tag: EventTag,
    reason: z.enum(REPORT_REASONS),
    comment: storable(z.string().max(2000)).optional(),
  }),
  "ReportedEvent",
  "The author reported a suggested tag.",
);

export const FeedbackEvent = z.discriminatedUnion("type", [
  ShownEvent,
  AcceptedEvent,
  ReportedEvent,
]);
export type ApiFeedbackEvent = z.infer<typeof FeedbackEvent>;

export const FeedbackRequest = named(
  z.strictObject({ events: z.array(FeedbackEvent).min(1).max(MAX_FEEDBACK_EVENTS) }),
  "FeedbackRequest",
  `1 to ${MAX_FEEDBACK_EVENTS} events, stored together or not at all, but for an event under an id stored before for another event: refused (409) while the others are stored.`,
);
export type FeedbackRequest = z.infer<typeof FeedbackRequest>;

export const FeedbackResponse = named(
  z.object({
    stored: z.number().int().describe("Events stored now."),
    duplicates: z
      .number()
      .int()
      .describe("Events stored before under their id, with the same values: not stored again."),
    unknown_content_ids: z
      .array(z.number().int())
      .describe(
        "The `content_id`s of these events that no saved content has (a host's own ids, say), each once: those events were stored without content, as if they named none. Empty when every id was known.",
      ),
  }),
  "FeedbackResponse",
  "What became of the events.",
);
