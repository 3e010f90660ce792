// The content store's vocabulary: content as authors save it, its versions, and the feedback events on the
// suggestions they were shown. Plain data; the SQL that keeps it lives in the other files of store/.

import type { ReviewPolicy } from "../feedback/index.js";

export interface StoreOptions {
  /** postgres://... : a PostgreSQL server. Otherwise the embedded engine. */
  databaseUrl?: string;
  /** The embedded engine's data directory (created if missing). Omitted: in memory (tests). */
  dir?: string;
  /**
   * The embedded engine: an image of a newly created database (PGlite's dumpDataDir) to start from when there is no
   * database yet (in memory, or a directory without one), instead of creating one: seconds of CPU (initdb), where
   * loading the image takes a fraction of it. For the tests, which open dozens of new stores and make the image once.
   */
  newDatabaseImage?: Blob;
  /** How much saved content goes to the review queue; default conflicts only (feedback/review-policy.ts). */
  review?: ReviewPolicy;
  /**
   * Open only a store that is there: a command that reads one must not create it in a mistyped directory or an empty
   * database and answer with believable zeros.
   */
  existing?: boolean;
}

export type StoreEngine = "embedded" | "postgres";

export interface ContentDraft {
  title: string;
  description: string;
  /** Approved tags, canonical names, in the author's order. */
  tags: string[];
  /** Tags the author typed that are not approved, kept as typed. */
  unapprovedTags: string[];
  author: string | null;
  /** The editing session whose suggestion events get linked to this content on save. */
  session: string | null;
}

export interface Content {
  /** Integer identity. */
  id: number;
  title: string;
  description: string;
  tags: string[];
  unapprovedTags: string[];
  author: string | null;
  /** 1 on create, +1 per update. */
  version: number;
  /** ISO 8601 UTC. */
  createdAt: string;
  updatedAt: string;
}

export interface ContentVersion {
  contentId: number;
  version: number;
  title: string;
  description: string;
  tags: string[];
  unapprovedTags: string[];
  savedAt: string;
}

import type { EventType, ReportReason, ReviewRule } from "./vocabulary.js";

export type { EventType, ReportReason, ReviewRule };

interface EventBase {
  /** Client idempotency key: an event with a key already stored is not stored again. */
  key: string;
  session: string | null;
  contentId: number | null;
  /** The /v1/suggest request that produced the suggestions. */
  requestId: string | null;
  modelId: string | null;
  modelVersion: string | null;
  /**
   * When it happened by the client's clock, ISO 8601 with an offset; absent or null: the client did not say. It
   * orders a session's events among themselves only (one client, one clock), which the order they were stored in
   * does not when a batch is retried after a newer one.
   */
  occurredAt?: string | null;
}

export type FeedbackEvent =
  | (EventBase & {
      type: "shown";
      suggestions: { tag: string; score: number; source: "explicit" | "implicit" }[];
      latencyMs: number | null;
      /** Approved tags the author had already chosen when these were shown (null: the client did not say). */
      chosen: string[] | null;
    })
  | (EventBase & { type: "accepted"; tag: string })
  | (EventBase & { type: "reported"; tag: string; reason: ReportReason; comment: string | null });

/** What events() returns; includes the server-side types "saved" and "dismissed". */
export interface StoredEvent {
  id: number;
  key: string;
  type: EventType;
  session: string | null;
  contentId: number | null;
  requestId: string | null;
  modelId: string | null;
  modelVersion: string | null;
  /** accepted / reported / dismissed */
  tag: string | null;
  /** shown */
  suggestions: { tag: string; score: number; source: string }[] | null;
  /** saved: the final approved tags; shown: the approved tags already chosen then (null: the client did not say) */
  tags: string[] | null;
  reason: string | null;
  comment: string | null;
  latencyMs: number | null;
  /** When the client said it happened (ISO 8601 UTC), null when it did not; createdAt is when it was stored. */
  occurredAt: string | null;
  createdAt: string;
}

export interface EventFilter {
  session?: string;
  contentId?: number;
  type?: StoredEvent["type"];
}

/** One question for a reviewer: does `tag` belong to this content? Decision fields are null while pending. */
export interface ReviewItem {
  id: number;
  contentId: number;
  /** The content as it is now. */
  title: string;
  description: string;
  tag: string;
  rule: ReviewRule;
  /** unaccepted_suggestion and report: the highest score the session showed the tag with (null if none is stored). */
  score: number | null;
  /** report: the author's reason and comment. */
  reason: ReportReason | null;
  comment: string | null;
  createdAt: string;
  applies: boolean | null;
  reviewer: string | null;
  note: string | null;
  decidedAt: string | null;
}

export interface ReviewDecision {
  applies: boolean;
  reviewer: string;
  note?: string | null;
}

/** The decision to undo: who made it and when, as deciding answered them (reviewer, decidedAt). */
export interface ReviewUndo {
  reviewer: string;
  /** ISO 8601 UTC with milliseconds, as ReviewItem.decidedAt. */
  decidedAt: string;
}

/** A reviewer's decision as a label, with its provenance. */
export interface QaLabel {
  contentId: number;
  tag: string;
  applies: boolean;
  reviewer: string;
  decidedAt: string;
  /** The rule that queued the question, and the queue item answered. */
  rule: ReviewRule;
  itemId: number;
  note: string | null;
}

/** What a curator proposes for a tag authors use that is not approved. */
export interface TaxonomyProposal {
  /** approve: a new approved tag named by the candidate; alias: the candidate becomes an alias of `aliasOf`. */
  action: "approve" | "alias";
  aliasOf: string | null;
  category: string | null;
  parents: string[];
  proposer: string;
}

/** A proposal as stored: pending until someone commits it to the taxonomy (never applied by tagsmith itself). */
export interface TaxonomyChange extends TaxonomyProposal {
  id: number;
  candidate: string;
  status: "pending";
  createdAt: string;
}

/**
 * An unapproved tag as authors use it: `tag` is its key (tagKey: the spellings the approved list's lookup would take
 * for one tag, such as "Deep RL" and "deep_rl", are one candidate), `spellings` as they typed it.
 */
export interface TaxonomyCandidate {
  tag: string;
  /** Content items whose current version has it. */
  uses: number;
  /** Distinct named authors of those items. */
  authors: number;
  spellings: string[];
  /** Up to three, most recently updated first. */
  examples: { contentId: number; title: string }[];
  proposal: TaxonomyChange | null;
}
