// Feedback events in SQL: the ones clients send (shown, accepted, reported), the ones a save derives (saved,
// dismissed), and reading them back. Each function runs inside the caller's transaction.

import { TagsmithError } from "../errors.js";
import type { ReviewPolicy } from "../feedback/index.js";
import { sha256 } from "../files/index.js";
import { byCodeUnit } from "../text/index.js";
import type { Queryable } from "./database.js";
import { queueReports, queueSave } from "./review.js";
import { FIRST_TO_LAST, int, isIntId, iso, json } from "./sql.js";
import type { Content, EventFilter, FeedbackEvent, StoredEvent } from "./types.js";

/** What became of a list of events sent together. */
export interface RecordedFeedback {
  /** Events stored now. */
  stored: number;
  /** Events whose key was stored before with the same values: not stored again. */
  duplicates: number;
  /**
   * Events whose key was stored before (or earlier in this list) for another event, one with other values: not
   * stored, by their position in the list. The list's other events are stored all the same.
   */
  conflicts: { index: number; key: string }[];
  /** Content ids events named that no content has, in the order first named: those events were kept without them. */
  unknownContentIds: number[];
}

/**
 * Stores `events`, skipping keys already stored (by an earlier call, a concurrent one, or earlier in this list): an
 * event sent again with the values it was stored with is a duplicate; a key stored with other values is a conflict,
 * a client using one id for two events, and is reported rather than counted as a duplicate, since the second event
 * would otherwise be lost unseen. The other events of the list are stored either way: their ids are theirs, and a
 * client resending the list after fixing the conflicting ids stores each of them once.
 * Each event joins content: the content it names; else the content a save of its session already went to (a report
 * sent after the save still reaches the review queue); else none until a save of its session links it (recordSave).
 * A named content id that does not exist refuses nothing: hosts pass their own ids, and the author's feedback is
 * worth keeping, so the event is stored as if it named none and the id is reported back. A report stored with its
 * content goes to the review queue in the same transaction.
 */
export async function insertEvents(
  tx: Queryable,
  events: readonly FeedbackEvent[],
): Promise<RecordedFeedback> {
  if (events.length === 0)
    return { stored: 0, duplicates: 0, conflicts: [], unknownContentIds: [] };
  await lockSessions(
    tx,
    events.map((e) => e.session),
  );
  const named = [...new Set(events.map((e) => e.contentId).filter((id) => id !== null))];
  const known = new Set<number>();
  const candidates = named.filter(isIntId);
  if (candidates.length > 0) {
    // No lock taken: content is never deleted, so what is found here is there at the insert, whose foreign key check
    // locks the row then (FOR KEY SHARE, which a save's FOR NO KEY UPDATE does not wait for, nor it for a save).
    const rows = await tx.query<{ id: number }>(
      `SELECT id FROM content
       WHERE id IN (SELECT value::integer FROM jsonb_array_elements_text($1::text::jsonb))`,
      [json(candidates)],
    );
    for (const row of rows) known.add(int(row.id));
  }
  const contentOf = (e: FeedbackEvent) =>
    e.contentId !== null && known.has(e.contentId) ? e.contentId : null;
  const saved = await savedSessions(
    tx,
    events.filter((e) => contentOf(e) === null).map((e) => e.session),
  );
  const rows = events.map((e) =>
    toRow(e, contentOf(e) ?? (e.session === null ? null : (saved.get(e.session) ?? null))),
  );
  // One statement for the list: ON CONFLICT skips a key stored before, and, if another transaction is storing
  // the same key right now, waits for it and then skips, so a key is stored once however clients retry.
  const inserted = await tx.query<{ id: number | string; type: string }>(
    `INSERT INTO feedback_events
       (key, type, session, content_id, request_id, model_id, model_version, tag, suggestions, tags, reason, comment,
        latency_ms, occurred_at, fingerprint)
     SELECT key, type, session, content_id, request_id, model_id, model_version, tag, suggestions, tags, reason, comment,
       latency_ms, occurred_at, fingerprint
     FROM jsonb_to_recordset($1::text::jsonb) AS e(
       key text, type text, session text, content_id integer, request_id text, model_id text, model_version text,
       tag text, suggestions jsonb, tags jsonb, reason text, comment text, latency_ms double precision,
       occurred_at timestamptz, fingerprint text)
     ON CONFLICT (key) DO NOTHING
     RETURNING id, type`,
    [json(rows)],
  );
  await queueReports(tx, reportIds(inserted));
  const conflicts = inserted.length === events.length ? [] : await conflictingKeys(tx, rows);
  return {
    stored: inserted.length,
    duplicates: events.length - inserted.length - conflicts.length,
    conflicts,
    unknownContentIds: named.filter((id) => !known.has(id)),
  };
}

/**
 * The rows whose key is stored with another fingerprint: another event's. Run after the insert, in a statement of its
 * own, so it reads a key a concurrent transaction stored (the insert waited for it to commit). A key stored without
 * a fingerprint (before fingerprints were kept) cannot be told apart, and counts as a duplicate, as it did then.
 */
async function conflictingKeys(
  tx: Queryable,
  rows: readonly { key: string; fingerprint: string }[],
): Promise<{ index: number; key: string }[]> {
  const stored = await tx.query<{ key: string; fingerprint: string | null }>(
    `SELECT key, fingerprint FROM feedback_events
     WHERE key IN (SELECT value FROM jsonb_array_elements_text($1::text::jsonb))`,
    [json([...new Set(rows.map((row) => row.key))])],
  );
  const fingerprints = new Map(stored.map((row) => [row.key, row.fingerprint]));
  return rows.flatMap(({ key, fingerprint }, index) => {
    const first = fingerprints.get(key);
    return first && first !== fingerprint ? [{ index, key }] : [];
  });
}

/** The content the latest save of each of these sessions went to; sessions never saved are absent. */
async function savedSessions(
  tx: Queryable,
  sessions: readonly (string | null)[],
): Promise<Map<string, number>> {
  const wanted = [...new Set(sessions.filter((s) => s !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await tx.query<{ session: string; content_id: number }>(
    `SELECT DISTINCT ON (session) session, content_id FROM feedback_events
     WHERE type = 'saved' AND content_id IS NOT NULL
       AND session IN (SELECT value FROM jsonb_array_elements_text($1::text::jsonb))
     ORDER BY session, id DESC`,
    [json(wanted)],
  );
  return new Map(rows.map((row) => [row.session, int(row.content_id)]));
}

/**
 * The two-key advisory locks of sessions live in this namespace (the migration lock is a one-key lock: PostgreSQL
 * keeps the two kinds apart).
 */
const SESSION_LOCK_SPACE = 7_416_547;

/**
 * Saves and feedback of one session take turns. A save links the events stored before it and an event stored after
 * it finds the save; without the lock, an event committed while a save of its session runs would be missed by both.
 * Call it before locking any content row, as every writer does, so no two transactions wait on each other in a
 * circle; the sessions of a batch are locked in key order for the same reason (two batches naming the same sessions
 * take them in the same order). One statement however many sessions (a batch may name a hundred): PostgreSQL evaluates
 * a volatile function of the select list after the ORDER BY sort, so they are locked in key order there as well.
 * Held until the transaction ends.
 */
export async function lockSessions(
  tx: Queryable,
  sessions: readonly (string | null)[],
): Promise<void> {
  const keys = [...new Set(sessions.filter((s) => s !== null).map(sessionLockKey))].sort(
    (a, b) => a - b,
  );
  if (keys.length === 0) return;
  await tx.query(
    `SELECT pg_advisory_xact_lock($1::integer, k.key)
     FROM (SELECT value::integer AS key FROM jsonb_array_elements_text($2::text::jsonb)) k
     ORDER BY k.key`,
    [SESSION_LOCK_SPACE, json(keys)],
  );
}

/** A session's lock key: FNV-1a of its UTF-16 code units, as a signed 32-bit integer (sessions may share one). */
function sessionLockKey(session: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < session.length; i++) {
    hash ^= session.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

/** The event's columns; `contentId` is the content it joins (insertEvents), not necessarily the one it named. */
function toRow(event: FeedbackEvent, contentId: number | null) {
  const values = eventValues(event);
  return {
    ...values,
    content_id: contentId,
    key: event.key,
    fingerprint: sha256(JSON.stringify({ ...values, content_id: event.contentId })),
  };
}

/**
 * What the client said of the event, as stored: its fingerprint (with the content it named, which a save of its
 * session may replace in the row) tells the same event sent again from another event sent under its id. Tags are
 * the approved names they were stored under and the time an instant in UTC, so another spelling of the same tag or
 * of the same instant is the same event.
 */
function eventValues(event: FeedbackEvent) {
  return {
    type: event.type,
    session: event.session,
    request_id: event.requestId,
    model_id: event.modelId,
    model_version: event.modelVersion,
    tag: event.type === "shown" ? null : event.tag,
    // In one key order, whoever built them: the fingerprint is of their JSON.
    suggestions:
      event.type === "shown"
        ? event.suggestions.map(({ tag, score, source }) => ({ tag, score, source }))
        : null,
    // The tags column holds an item's tags at the event: chosen so far (shown), final (saved).
    tags: event.type === "shown" ? event.chosen : null,
    reason: event.type === "reported" ? event.reason : null,
    comment: event.type === "reported" ? event.comment : null,
    latency_ms: event.type === "shown" ? event.latencyMs : null,
    occurred_at: occurredAt(event),
  };
}

/** The event's time as UTC ISO 8601, so both engines read the same instant whatever their session time zone. */
function occurredAt(event: FeedbackEvent): string | null {
  if (event.occurredAt === undefined || event.occurredAt === null) return null;
  const time = new Date(event.occurredAt);
  if (Number.isNaN(time.getTime()))
    throw new TagsmithError(
      "invalid_input",
      `event ${event.key}: occurredAt ${JSON.stringify(event.occurredAt)} is not a time: give ISO 8601 with an offset, as 2026-03-01T10:00:00.000Z`,
    );
  return time.toISOString();
}

/**
 * What a save tells about the suggestions: the session's events join the content, a "saved" event records the
 * final tags, every tag the session was shown but the author did not keep becomes a "dismissed" event, and the
 * review queue gets what `review` asks for (review.ts), with the session's reports now that their content is known.
 * The session's lock (lockSessions) is taken here, if the caller has not taken it already before locking the content
 * row, as ContentStore does: events of the session stored from now on find this save and join the content.
 */
export async function recordSave(
  tx: Queryable,
  content: Content,
  session: string | null,
  review: ReviewPolicy,
): Promise<void> {
  const { id, version } = content;
  await linkSession(tx, id, session);
  await tx.query(
    `INSERT INTO feedback_events (key, type, session, content_id, tags)
     VALUES ($1, 'saved', $2, $3, $4::text::jsonb)
     ON CONFLICT (key) DO NOTHING`,
    [`saved:${id}:${version}`, session, id, json(content.tags)],
  );
  await queueSave(tx, content, session, review);
  if (session === null) return;
  // Each tag once, in the order the session was first shown it.
  await tx.query(
    `INSERT INTO feedback_events (key, type, session, content_id, tag)
     SELECT $1::text || tag, 'dismissed', $2::text, $3::integer, tag
     FROM (
       SELECT DISTINCT ON (s.value->>'tag') s.value->>'tag' AS tag, e.occurred_at, e.id, s.n
       FROM feedback_events e, jsonb_array_elements(e.suggestions) WITH ORDINALITY AS s(value, n)
       WHERE e.session = $2::text AND e.content_id = $3::integer AND e.type = 'shown'
       ORDER BY s.value->>'tag', ${FIRST_TO_LAST}, s.n
     ) shown
     WHERE tag IS NOT NULL AND NOT ($4::text::jsonb ? tag)
     ORDER BY ${FIRST_TO_LAST}, n
     ON CONFLICT (key) DO NOTHING`,
    [`dismissed:${id}:${version}:`, session, id, json(content.tags)],
  );
}

/**
 * The session's events stored without content join content `contentId`, and its reports among them are queued for
 * review. Takes the session's lock (lockSessions) if the caller has not: events of the session stored from now on
 * find the save.
 */
export async function linkSession(
  tx: Queryable,
  contentId: number,
  session: string | null,
): Promise<void> {
  if (session === null) return;
  await lockSessions(tx, [session]);
  const linked = await tx.query<{ id: number | string; type: string }>(
    "UPDATE feedback_events SET content_id = $1 WHERE session = $2 AND content_id IS NULL RETURNING id, type",
    [contentId, session],
  );
  await queueReports(tx, reportIds(linked));
}

function reportIds(rows: readonly { id: number | string; type: string }[]): number[] {
  return rows.filter((row) => row.type === "reported").map((row) => int(row.id));
}

/**
 * The tags authors reported as wrong suggestions for saved content, its drafts' reports included (a save links its
 * session's events to it): so that no device, whatever its browser remembers, suggests them again.
 */
export async function readReportedTags(db: Queryable, contentId: number): Promise<string[]> {
  if (!isIntId(contentId)) return [];
  const rows = await db.query<{ tag: string }>(
    `SELECT DISTINCT tag FROM feedback_events
     WHERE content_id = $1 AND type = 'reported' AND tag IS NOT NULL`,
    [contentId],
  );
  return rows.map((row) => row.tag).sort(byCodeUnit);
}

export async function readEvents(db: Queryable, filter: EventFilter = {}): Promise<StoredEvent[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const match = (column: string, value: unknown) => {
    params.push(value);
    where.push(`${column} = $${params.length}`);
  };
  if (filter.session !== undefined) match("session", filter.session);
  if (filter.contentId !== undefined) {
    if (!isIntId(filter.contentId)) return [];
    match("content_id", filter.contentId);
  }
  if (filter.type !== undefined) match("type", filter.type);
  const rows = await db.query<EventRow>(
    `SELECT id, key, type, session, content_id, request_id, model_id, model_version, tag, suggestions, tags,
       reason, comment, latency_ms, ${iso("occurred_at")} AS occurred_at, ${iso("created_at")} AS created_at
     FROM feedback_events ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
     ORDER BY id`,
    params,
  );
  return rows.map(toStoredEvent);
}

interface EventRow {
  id: number | string;
  key: string;
  type: StoredEvent["type"];
  session: string | null;
  content_id: number | null;
  request_id: string | null;
  model_id: string | null;
  model_version: string | null;
  tag: string | null;
  suggestions: StoredEvent["suggestions"];
  tags: string[] | null;
  reason: string | null;
  comment: string | null;
  latency_ms: number | null;
  occurred_at: string | null;
  created_at: string;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: int(row.id),
    key: row.key,
    type: row.type,
    session: row.session,
    contentId: row.content_id === null ? null : int(row.content_id),
    requestId: row.request_id,
    modelId: row.model_id,
    modelVersion: row.model_version,
    tag: row.tag,
    suggestions: row.suggestions,
    tags: row.tags,
    reason: row.reason,
    comment: row.comment,
    latencyMs: row.latency_ms === null ? null : Number(row.latency_ms),
    occurredAt: row.occurred_at,
    createdAt: row.created_at,
  };
}
