// Feedback events in SQL: the ones clients send (shown, accepted, reported), the ones a save derives (saved,
// dismissed), and reading them back. Each function runs inside the caller's transaction.

import type { ReviewPolicy } from "../feedback/index.js";
import type { Queryable } from "./database.js";
import { StoreError } from "./errors.js";
import { queueReports, queueSave } from "./review.js";
import { int, isIntId, iso, json } from "./sql.js";
import type { Content, EventFilter, FeedbackEvent, StoredEvent } from "./types.js";

/**
 * Stores `events`, skipping keys already stored (by an earlier call, a concurrent one, or earlier in this list).
 * Refuses the whole list when an event names content that does not exist. A report stored here that names its
 * content goes to the review queue in the same transaction.
 */
export async function insertEvents(
  tx: Queryable,
  events: readonly FeedbackEvent[],
): Promise<{ stored: number; duplicates: number }> {
  if (events.length === 0) return { stored: 0, duplicates: 0 };
  const ids = [...new Set(events.map((e) => e.contentId).filter((id) => id !== null))];
  const known = new Set<number>();
  const candidates = ids.filter(isIntId);
  if (candidates.length > 0) {
    // FOR KEY SHARE: the content cannot vanish between this check and the insert.
    const rows = await tx.query<{ id: number }>(
      `SELECT id FROM content
       WHERE id IN (SELECT value::integer FROM jsonb_array_elements_text($1::text::jsonb))
       FOR KEY SHARE`,
      [json(candidates)],
    );
    for (const row of rows) known.add(int(row.id));
  }
  const index = events.findIndex((e) => e.contentId !== null && !known.has(e.contentId));
  if (index >= 0)
    throw new StoreError(
      "unknown_content",
      `events[${index}] names content ${events[index].contentId}, which does not exist`,
      { index, contentId: events[index].contentId },
    );
  // One statement for the list: ON CONFLICT skips a key stored before, and, if another transaction is storing
  // the same key right now, waits for it and then skips, so a key is stored once however clients retry.
  const inserted = await tx.query<{ id: number | string; type: string }>(
    `INSERT INTO feedback_events
       (key, type, session, content_id, request_id, model_id, model_version, tag, suggestions, tags, reason, comment,
        latency_ms)
     SELECT key, type, session, content_id, request_id, model_id, model_version, tag, suggestions, tags, reason, comment,
       latency_ms
     FROM jsonb_to_recordset($1::text::jsonb) AS e(
       key text, type text, session text, content_id integer, request_id text, model_id text, model_version text,
       tag text, suggestions jsonb, tags jsonb, reason text, comment text, latency_ms double precision)
     ON CONFLICT (key) DO NOTHING
     RETURNING id, type`,
    [json(events.map(toRow))],
  );
  await queueReports(tx, reportIds(inserted));
  return { stored: inserted.length, duplicates: events.length - inserted.length };
}

function toRow(event: FeedbackEvent) {
  return {
    key: event.key,
    type: event.type,
    session: event.session,
    content_id: event.contentId,
    request_id: event.requestId,
    model_id: event.modelId,
    model_version: event.modelVersion,
    tag: event.type === "shown" ? null : event.tag,
    suggestions: event.type === "shown" ? event.suggestions : null,
    // The tags column holds an item's tags at the event: chosen so far (shown), final (saved).
    tags: event.type === "shown" ? event.chosen : null,
    reason: event.type === "reported" ? event.reason : null,
    comment: event.type === "reported" ? event.comment : null,
    latency_ms: event.type === "shown" ? event.latencyMs : null,
  };
}

/**
 * What a save tells about the suggestions: the session's events join the content, a "saved" event records the
 * final tags, every tag the session was shown but the author did not keep becomes a "dismissed" event, and the
 * review queue gets what `review` asks for (review.ts), with the session's reports now that their content is known.
 */
export async function recordSave(
  tx: Queryable,
  content: Content,
  session: string | null,
  review: ReviewPolicy,
): Promise<void> {
  const { id, version } = content;
  const linked =
    session === null
      ? []
      : await tx.query<{ id: number | string; type: string }>(
          "UPDATE feedback_events SET content_id = $1 WHERE session = $2 AND content_id IS NULL RETURNING id, type",
          [id, session],
        );
  await tx.query(
    `INSERT INTO feedback_events (key, type, session, content_id, tags)
     VALUES ($1, 'saved', $2, $3, $4::text::jsonb)
     ON CONFLICT (key) DO NOTHING`,
    [`saved:${id}:${version}`, session, id, json(content.tags)],
  );
  await queueReports(tx, reportIds(linked));
  await queueSave(tx, content, session, review);
  if (session === null) return;
  // Each tag once, in the order the session was first shown it.
  await tx.query(
    `INSERT INTO feedback_events (key, type, session, content_id, tag)
     SELECT $1::text || tag, 'dismissed', $2::text, $3::integer, tag
     FROM (
       SELECT DISTINCT ON (s.value->>'tag') s.value->>'tag' AS tag, e.id AS event, s.n
       FROM feedback_events e, jsonb_array_elements(e.suggestions) WITH ORDINALITY AS s(value, n)
       WHERE e.session = $2::text AND e.content_id = $3::integer AND e.type = 'shown'
       ORDER BY s.value->>'tag', e.id, s.n
     ) shown
     WHERE tag IS NOT NULL AND NOT ($4::text::jsonb ? tag)
     ORDER BY event, n
     ON CONFLICT (key) DO NOTHING`,
    [`dismissed:${id}:${version}:`, session, id, json(content.tags)],
  );
}

function reportIds(rows: readonly { id: number | string; type: string }[]): number[] {
  return rows.filter((row) => row.type === "reported").map((row) => int(row.id));
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
       reason, comment, latency_ms, ${iso("created_at")} AS created_at
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
    createdAt: row.created_at,
  };
}
