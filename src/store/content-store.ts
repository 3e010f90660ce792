// The content store: saved content, every version of it, and the feedback on the suggestions its authors were
// shown. Each save is one transaction, so content, version and events are written together or not at all.

import { TagsmithError } from "../errors.js";
import { DEFAULT_REVIEW_POLICY, type ReviewPolicy } from "../feedback/index.js";
import { tagKey } from "../text/index.js";
import type { Database, Queryable } from "./database.js";
import { ONE_SNAPSHOT, openDatabase } from "./database.js";
import { asUnavailable, NO_STORE_HINT, StoreError } from "./errors.js";
import {
  insertEvents,
  linkSession,
  lockSessions,
  type RecordedFeedback,
  readEvents,
  readReportedTags,
  recordSave,
} from "./feedback.js";
import { migrate, ownStore } from "./migrations.js";
import {
  modelHasEvents,
  type OnlineMetrics,
  type OnlineMetricsQuery,
  onlineMetrics,
} from "./online-metrics.js";
import { decideItem, readQaLabels, readReviewQueue, undoItem } from "./review.js";
import { int, isIntId, iso, json } from "./sql.js";
import { insertProposal, readCandidates, readChanges } from "./taxonomy-changes.js";
import type {
  Content,
  ContentDraft,
  ContentVersion,
  EventFilter,
  FeedbackEvent,
  QaLabel,
  ReviewDecision,
  ReviewItem,
  ReviewUndo,
  StoredEvent,
  StoreEngine,
  StoreOptions,
  TaxonomyCandidate,
  TaxonomyChange,
  TaxonomyProposal,
} from "./types.js";

/** Connects to the database `options` name and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<ContentStore> {
  const db = await openDatabase(options);
  try {
    // Another tool's tables are said as such (ownStore throws), rather than as "no tagsmith tables".
    if (options.existing && !(await ownStore(db, db.where)))
      throw new TagsmithError(
        "usage",
        `no content store in ${db.where}: the database has no tagsmith tables (tagsmith serve creates them when it first starts on it): ${db.engine === "embedded" ? NO_STORE_HINT : "point DATABASE_URL at the database the service uses"}`,
      );
    await migrate(db);
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return new ContentStore(db, options.review);
}

/**
 * Items in a page of each list when the caller does not say: the API's defaults (GET /v1/content, GET
 * /v1/admin/review and GET /v1/admin/taxonomy/candidates take theirs from here), so the store pages as the API does.
 */
export const DEFAULT_CONTENT_PAGE = 20;
export const DEFAULT_REVIEW_PAGE = 20;
export const DEFAULT_CANDIDATES_PAGE = 20;

const CONTENT_COLUMNS = `id, title, description, tags, unapproved_tags, author, version,
  ${iso("created_at")} AS created_at, ${iso("updated_at")} AS updated_at`;

/**
 * Whether the row `alias` holds a draft's values as draftValues binds them from $2: title, description, tags,
 * unapproved tags and author, all that a version keeps.
 */
const sameValues = (alias: string) =>
  `(${alias}.title = $2 AND ${alias}.description = $3 AND ${alias}.tags = $4::text::jsonb
    AND ${alias}.unapproved_tags = $5::text::jsonb AND ${alias}.author IS NOT DISTINCT FROM $6)`;

interface ContentRow {
  id: number;
  title: string;
  description: string;
  tags: string[];
  unapproved_tags: string[];
  author: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export class ContentStore {
  /** Which database engine the store runs on: embedded (PGlite) or a PostgreSQL server. */
  readonly engine: StoreEngine;
  /** What saves put in the review queue besides reports. */
  readonly review: ReviewPolicy;
  readonly #db: Database;

  constructor(db: Database, review: ReviewPolicy = DEFAULT_REVIEW_POLICY) {
    this.#db = db;
    this.engine = db.engine;
    this.review = review;
  }

  /**
   * Saves new content at version 1. With a `key` (the client's, for this one creation) a create sent again, its
   * answer lost on the way, is answered with the content the first made, as it is now, and records nothing again; the
   * key sent with other values than those the content was created with is StoreError "create_key_reused".
   */
  async create(draft: ContentDraft, { key }: { key?: string } = {}): Promise<Content> {
    return this.#db.transaction(async (tx) => {
      // Every writer locks the session before any content row (feedback.ts, lockSessions).
      await lockSessions(tx, [draft.session]);
      // A concurrent create with the key waits here for the other to commit, then inserts nothing. Stamped by the
      // clock, not now() (update says why): a create that waited for its session's lock is newer than content saved
      // meanwhile.
      const [row] = await tx.query<ContentRow>(
        `INSERT INTO content (title, description, tags, unapproved_tags, author, unapproved_keys, version, create_key,
           created_at, updated_at)
         SELECT $1, $2, $3::text::jsonb, $4::text::jsonb, $5, $6::text::jsonb, 1, $7, stamp, stamp
         FROM (SELECT clock_timestamp() AS stamp) clock
         ON CONFLICT (create_key) DO NOTHING
         RETURNING ${CONTENT_COLUMNS}`,
        [...draftValues(draft), key ?? null],
      );
      if (row) return this.#saved(tx, row, draft);
      return this.#createdBefore(tx, key as string, draft);
    });
  }

  /** The content `key` created, if `draft` holds the values it was created with (its version 1). */
  async #createdBefore(tx: Queryable, key: string, draft: ContentDraft): Promise<Content> {
    const [row] = await tx.query<ContentRow & { same: boolean }>(
      `SELECT ${CONTENT_COLUMNS},
         (SELECT ${sameValues("v")}
          FROM content_versions v WHERE v.content_id = content.id AND v.version = 1) AS same
       FROM content WHERE create_key = $1`,
      [key, ...draftValues(draft).slice(0, 5)],
    );
    if (!row) throw new Error(`content of create key ${key} not found after a conflict on it`);
    if (row.same) return toContent(row);
    throw new StoreError(
      "create_key_reused",
      `the key ${JSON.stringify(key)} created content ${row.id} with other values: send a new key for new content, or save the changes as a new version of content ${row.id}`,
      { id: int(row.id), version: int(row.version) },
    );
  }

  /**
   * A new version of the content. expectedVersion given and not the current one: StoreError "version_conflict".
   * Unknown id: "not_found". A draft holding the current version's values changes nothing: it is answered with the
   * content as it is, whatever earlier version it names (it overwrites no one's change), and writes no version and
   * records no save (no saved or dismissed events, nothing queued for review); only its session's events join the
   * content, as with any save, so a report made in it is queued.
   */
  async update(id: number, draft: ContentDraft, expectedVersion?: number): Promise<Content> {
    return this.#db.transaction(async (tx) => {
      await lockSessions(tx, [draft.session]);
      // FOR NO KEY UPDATE: concurrent saves of one content queue here, so each gets the next version number. Not FOR
      // UPDATE: the id is never changed, and FOR UPDATE would also make feedback on this content wait for the save
      // (the FOR KEY SHARE its foreign keys take conflicts with FOR UPDATE only); the UPDATE below takes this lock too.
      const [current] = isIntId(id)
        ? await tx.query<ContentRow & { same: boolean }>(
            `SELECT ${CONTENT_COLUMNS}, ${sameValues("content")} AS same FROM content WHERE id = $1 FOR NO KEY UPDATE`,
            [id, ...draftValues(draft).slice(0, 5)],
          )
        : [];
      if (!current) throw new StoreError("not_found", `no content with id ${id}`, { id });
      const currentVersion = int(current.version);
      // A version past the current one was never saved: the client's mistake, refused even for a draft that matches.
      const neverSaved = expectedVersion !== undefined && expectedVersion > currentVersion;
      if (current.same && !neverSaved) {
        await linkSession(tx, id, draft.session);
        return toContent(current);
      }
      if (expectedVersion !== undefined && currentVersion !== expectedVersion)
        throw new StoreError(
          "version_conflict",
          neverSaved
            ? `content ${id} is at version ${currentVersion}: version ${expectedVersion} was never saved; send the version you last read`
            : `content ${id} is at version ${currentVersion}, not ${expectedVersion}: someone saved it since`,
          { id, expectedVersion, currentVersion },
        );
      // The clock now, not now(): that is when this transaction began, and one that waited above for a lock would
      // stamp its version earlier than the one saved meanwhile. Never below the previous stamp either, so versions'
      // saved_at follow their numbers even if the server's clock steps back.
      const [row] = await tx.query<ContentRow>(
        `UPDATE content
         SET title = $2, description = $3, tags = $4::text::jsonb, unapproved_tags = $5::text::jsonb, author = $6,
           unapproved_keys = $7::text::jsonb, version = version + 1,
           updated_at = greatest(clock_timestamp(), updated_at)
         WHERE id = $1
         RETURNING ${CONTENT_COLUMNS}`,
        [id, ...draftValues(draft)],
      );
      return this.#saved(tx, row, draft);
    });
  }

  async get(id: number): Promise<Content | null> {
    if (!isIntId(id)) return null;
    const [row] = await this.#db.query<ContentRow>(
      `SELECT ${CONTENT_COLUMNS} FROM content WHERE id = $1`,
      [id],
    );
    return row ? toContent(row) : null;
  }

  /** Reads that must agree with each other (a page and its total, labels and their content): one snapshot for all. */
  #inOneSnapshot<T>(read: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.#db.transaction(async (tx) => {
      await tx.query(ONE_SNAPSHOT);
      return read(tx);
    });
  }

  /** Newest updated first; the total counted as of the page's own moment (ONE_SNAPSHOT). */
  async list(
    options: { limit?: number; offset?: number } = {},
  ): Promise<{ items: Content[]; total: number }> {
    const limit = pageNumber("limit", options.limit ?? DEFAULT_CONTENT_PAGE);
    const offset = pageNumber("offset", options.offset ?? 0);
    return this.#inOneSnapshot(async (tx) => {
      const rows = await tx.query<ContentRow>(
        `SELECT ${CONTENT_COLUMNS} FROM content ORDER BY updated_at DESC, id DESC LIMIT $1 OFFSET $2`,
        [limit, offset],
      );
      const [count] = await tx.query<{ total: number | string }>(
        "SELECT count(*) AS total FROM content",
      );
      return { items: rows.map(toContent), total: int(count.total) };
    });
  }

  /** Oldest first; unknown id: []. */
  async versions(id: number): Promise<ContentVersion[]> {
    if (!isIntId(id)) return [];
    const rows = await this.#db.query<
      Omit<ContentRow, "id" | "author" | "created_at" | "updated_at"> & {
        content_id: number;
        saved_at: string;
      }
    >(
      `SELECT content_id, version, title, description, tags, unapproved_tags, ${iso("saved_at")} AS saved_at
       FROM content_versions WHERE content_id = $1 ORDER BY version`,
      [id],
    );
    return rows.map((row) => ({
      contentId: int(row.content_id),
      version: int(row.version),
      title: row.title,
      description: row.description,
      tags: row.tags,
      unapprovedTags: row.unapproved_tags,
      savedAt: row.saved_at,
    }));
  }

  /**
   * One transaction: all stored or none. Duplicate keys are skipped (counted). An event naming content that does not
   * exist is stored without content, the id listed in unknownContentIds; one whose session a save already linked to
   * content joins that content (feedback.ts, insertEvents).
   */
  async recordFeedback(events: FeedbackEvent[]): Promise<RecordedFeedback> {
    return this.#db.transaction((tx) => insertEvents(tx, events));
  }

  /** Oldest first. */
  async events(filter: EventFilter = {}): Promise<StoredEvent[]> {
    return readEvents(this.#db, filter);
  }

  /** Tags reported as wrong suggestions for this content (feedback.ts); none for an unknown id. */
  async reportedTags(contentId: number): Promise<string[]> {
    return readReportedTags(this.#db, contentId);
  }

  /** Acceptance, proxy recall and precision, reports and latency from the stored events (online-metrics.ts). */
  async onlineMetrics(query: OnlineMetricsQuery = {}): Promise<OnlineMetrics> {
    return onlineMetrics(this.#db, query);
  }

  /** Whether any stored event names this model id (online-metrics.ts says what that can and cannot tell). */
  async modelHasEvents(modelId: string): Promise<boolean> {
    return modelHasEvents(this.#db, modelId);
  }

  /**
   * The review queue a page at a time (review.ts): pending oldest first, decided newest first; the total counted as of
   * the page's own moment (ONE_SNAPSHOT).
   */
  async reviewQueue(
    options: { status?: "pending" | "decided"; limit?: number; offset?: number } = {},
  ): Promise<{ items: ReviewItem[]; total: number }> {
    const limit = pageNumber("limit", options.limit ?? DEFAULT_REVIEW_PAGE);
    const offset = pageNumber("offset", options.offset ?? 0);
    const status = options.status ?? "pending";
    return this.#inOneSnapshot((tx) => readReviewQueue(tx, { status, limit, offset }));
  }

  /** Unknown id: StoreError "not_found"; decided already (even a moment ago by someone else): "already_decided". */
  async decide(id: number, decision: ReviewDecision): Promise<ReviewItem> {
    return this.#db.transaction((tx) => decideItem(tx, id, decision));
  }

  /**
   * The item pending again, its decision and QA'd label withdrawn. Unknown id: StoreError "not_found". Pending, decided
   * by someone else or again since, over UNDO_WINDOW_MINUTES ago, or asked again by another pending item:
   * "undo_refused", saying which (review.ts, undoItem).
   */
  async undoDecision(id: number, undo: ReviewUndo): Promise<ReviewItem> {
    return this.#db.transaction((tx) => undoItem(tx, id, undo));
  }

  /** Every reviewer decision as a label with its provenance, oldest first. */
  async qaLabels(): Promise<QaLabel[]> {
    return readQaLabels(this.#db);
  }

  /**
   * The QA'd labels with the content they are about, as of one moment (a save between the two reads would otherwise
   * pair old labels with new text), and one query for the content rather than one per labeled item.
   */
  async qaLabelsWithContent(): Promise<{ labels: QaLabel[]; contents: Content[] }> {
    return this.#inOneSnapshot(async (tx) => {
      const labels = await readQaLabels(tx);
      const ids = [...new Set(labels.map((l) => l.contentId))];
      const rows =
        ids.length === 0
          ? []
          : await tx.query<ContentRow>(
              `SELECT ${CONTENT_COLUMNS} FROM content
               WHERE id IN (SELECT value::integer FROM jsonb_array_elements_text($1::text::jsonb))
               ORDER BY id`,
              [json(ids)],
            );
      return { labels, contents: rows.map(toContent) };
    });
  }

  /** Unapproved tags ranked by uses, then distinct authors (taxonomy-changes.ts). */
  async taxonomyCandidates(options: { limit?: number } = {}): Promise<TaxonomyCandidate[]> {
    return readCandidates(this.#db, pageNumber("limit", options.limit ?? DEFAULT_CANDIDATES_PAGE));
  }

  /** Not a candidate: StoreError "not_found"; one proposal per candidate, a second: "already_proposed". */
  async proposeTaxonomyChange(tag: string, proposal: TaxonomyProposal): Promise<TaxonomyChange> {
    return this.#db.transaction((tx) => insertProposal(tx, tag, proposal));
  }

  /** Pending taxonomy proposals, oldest first. */
  async taxonomyChanges(): Promise<TaxonomyChange[]> {
    return readChanges(this.#db);
  }

  /** Throws StoreError "unavailable" when the database cannot be reached. */
  async ping(): Promise<void> {
    try {
      await this.#db.query("SELECT 1");
    } catch (error) {
      throw asUnavailable(error, this.#db.where);
    }
  }

  close(): Promise<void> {
    return this.#db.close();
  }

  /** After every write of a content row: its state kept as its newest version, and the save recorded (review). */
  async #saved(tx: Queryable, row: ContentRow, draft: ContentDraft): Promise<Content> {
    const content = toContent(row);
    await tx.query(
      `INSERT INTO content_versions (content_id, version, title, description, tags, unapproved_tags, author, saved_at)
       SELECT id, version, title, description, tags, unapproved_tags, author, updated_at FROM content WHERE id = $1`,
      [content.id],
    );
    await recordSave(tx, content, draft.session, this.review);
    return content;
  }
}

/**
 * A draft's columns in the order create and update bind them: title, description, tags, unapproved tags, author,
 * and the unapproved tags' keys (by which taxonomy candidates group them).
 */
function draftValues(draft: ContentDraft): readonly unknown[] {
  return [
    draft.title,
    draft.description,
    json(draft.tags),
    json(draft.unapprovedTags),
    draft.author,
    json(draft.unapprovedTags.map(tagKey)),
  ];
}

function pageNumber(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${name} must be a whole number, 0 or more, not ${value}`);
  return value;
}

function toContent(row: ContentRow): Content {
  return {
    id: int(row.id),
    title: row.title,
    description: row.description,
    tags: row.tags,
    unapprovedTags: row.unapproved_tags,
    author: row.author,
    version: int(row.version),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
