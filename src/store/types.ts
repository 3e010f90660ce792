// The content store's vocabulary: content as authors save it, its versions, and the feedback events on the
// suggestions they were shown. Plain data; the SQL that keeps it lives in the other files of store/.

export interface StoreOptions {
  /** postgres://... : a PostgreSQL server. Otherwise the embedded engine. */
  databaseUrl?: string;
  /** The embedded engine's data directory (created if missing). Omitted: in memory (tests). */
  dir?: string;
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

export type ReportReason = "not_relevant" | "wrong" | "offensive" | "other";

interface EventBase {
  /** Client idempotency key: an event with a key already stored is not stored again. */
  key: string;
  session: string | null;
  contentId: number | null;
  /** The /v1/suggest request that produced the suggestions. */
  requestId: string | null;
  modelId: string | null;
  modelVersion: string | null;
}

export type FeedbackEvent =
  | (EventBase & {
      type: "shown";
      suggestions: { tag: string; score: number; source: "explicit" | "implicit" }[];
      latencyMs: number | null;
    })
  | (EventBase & { type: "accepted"; tag: string })
  | (EventBase & { type: "reported"; tag: string; reason: ReportReason; comment: string | null });

/** What events() returns; includes the server-side types "saved" and "dismissed". */
export interface StoredEvent {
  id: number;
  key: string;
  type: "shown" | "accepted" | "reported" | "saved" | "dismissed";
  session: string | null;
  contentId: number | null;
  requestId: string | null;
  modelId: string | null;
  modelVersion: string | null;
  /** accepted / reported / dismissed */
  tag: string | null;
  /** shown */
  suggestions: { tag: string; score: number; source: string }[] | null;
  /** saved: the final approved tags */
  tags: string[] | null;
  reason: string | null;
  comment: string | null;
  latencyMs: number | null;
  createdAt: string;
}

export interface EventFilter {
  session?: string;
  contentId?: number;
  type?: StoredEvent["type"];
}
