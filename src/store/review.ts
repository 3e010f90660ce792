// The review queue in SQL: filling it as content is saved and reported (inside the caller's transaction), reading
// it a page at a time, recording a reviewer's decision once (and undoing it, briefly), and reading the decisions back
// as QA'd labels.
//
// What a save queues (the review policy, feedback/review-policy.ts, says which rules apply):
// - possible_miss: a final tag the session was never shown, when it was shown suggestions at all (without any,
//   nothing says what the model would have suggested) and the tag was not already chosen when the first of them
//   came (a chosen tag is never suggested; editing saved content starts with every tag chosen).
// - unaccepted_suggestion: a tag of the session's last answer shown (the newest shown event and, when it names a
//   request, every shown event of that request: the widget reports a tag sliding into the list after an accept as its
//   own event of that request; request_id is optional in the API, and shown events without one are not one request;
//   one suggested only for an earlier draft says nothing of the final text) with a score of CONFIDENT_SCORE or more,
//   not in the final tags and not reported in the session nor ever for this content (its report is the question
//   already, also when a later session is shown the tag again, in a browser that does not know the report; a report
//   arriving later withdraws the pending unaccepted_suggestion item of its tag).
// - sampled (sample:R and all): every final tag of sampled content not already asked about.
// A session's first and last answers are the first and last by when the client says they were shown, not by when
// they were stored (sql.ts, FIRST_TO_LAST).
// A report queues a `report` item once its content is known: when it is stored with a content_id or after a save
// of its session (insertEvents gives it that save's content), else when a save links its session to the content.
// No two pending items share content, tag and rule. A (content, tag) already decided is not queued again by a
// save (the decision stands over later saves); a new report does queue it again: it is new evidence.

import { CONFIDENT_SCORE, isSampled, type ReviewPolicy } from "../feedback/index.js";
import type { Queryable } from "./database.js";
import { StoreError } from "./errors.js";
import { FIRST_TO_LAST, int, isIntId, iso, json, LAST_TO_FIRST } from "./sql.js";
import type {
  Content,
  QaLabel,
  ReportReason,
  ReviewDecision,
  ReviewItem,
  ReviewRule,
  ReviewUndo,
} from "./types.js";

/**
 * How long after a decision its reviewer can undo it: ample to notice a stray key or click and take it back (the
 * console offers Undo right after each decision), and short enough that the label has most likely not been exported
 * (tagsmith data export-labels) and trained on yet; a decision withdrawn after that would leave those labels without
 * the decision behind them. A later decision on the same content and tag (a new report asks again) replaces it.
 */
export const UNDO_WINDOW_MINUTES = 10;

/** ON CONFLICT target of the partial unique index review_items_pending. */
const ONE_PENDING = "ON CONFLICT (content_id, tag, rule) WHERE decided_at IS NULL DO NOTHING";
/** The shown events of the session, once the save has linked them to the content ($1 content, $2 session). */
const SESSION_SHOWN =
  "e.session = $2::text AND e.content_id = $1::integer AND e.type = 'shown' AND e.suggestions IS NOT NULL";
const NOT_DECIDED = (tag: string) =>
  `NOT EXISTS (SELECT 1 FROM review_items r
     WHERE r.content_id = $1::integer AND r.tag = ${tag} AND r.decided_at IS NOT NULL)`;

/** The review items a save of `content` in `session` gives under `policy`. */
export async function queueSave(
  tx: Queryable,
  content: Content,
  session: string | null,
  policy: ReviewPolicy,
): Promise<void> {
  const finalTags = json(content.tags);
  if (session !== null) {
    await tx.query(
      `INSERT INTO review_items (content_id, tag, rule)
       SELECT $1::integer, final.tag, 'possible_miss'
       FROM jsonb_array_elements_text($3::text::jsonb) WITH ORDINALITY AS final(tag, n)
       WHERE EXISTS (SELECT 1 FROM feedback_events e WHERE ${SESSION_SHOWN})
         AND NOT EXISTS (
           SELECT 1 FROM feedback_events e, jsonb_array_elements(e.suggestions) AS s(value)
           WHERE ${SESSION_SHOWN} AND s.value->>'tag' = final.tag)
         AND NOT EXISTS (
           SELECT 1 FROM (
             SELECT e.tags FROM feedback_events e WHERE ${SESSION_SHOWN} ORDER BY ${FIRST_TO_LAST} LIMIT 1
           ) first_shown
           WHERE first_shown.tags ? final.tag)
         AND ${NOT_DECIDED("final.tag")}
       ORDER BY final.n
       ${ONE_PENDING}`,
      [content.id, session, finalTags],
    );
    await tx.query(
      `INSERT INTO review_items (content_id, tag, rule, score)
       SELECT $1::integer, shown.tag, 'unaccepted_suggestion', shown.score
       FROM (
         SELECT s.value->>'tag' AS tag, max((s.value->>'score')::double precision) AS score
         FROM (
           SELECT e.id, e.request_id FROM feedback_events e WHERE ${SESSION_SHOWN} ORDER BY ${LAST_TO_FIRST} LIMIT 1
         ) last_shown, feedback_events e, jsonb_array_elements(e.suggestions) AS s(value)
         WHERE ${SESSION_SHOWN}
           AND (e.id = last_shown.id OR (last_shown.request_id IS NOT NULL AND e.request_id = last_shown.request_id))
         GROUP BY s.value->>'tag'
       ) shown
       WHERE shown.tag IS NOT NULL AND shown.score >= $4::double precision
         AND NOT ($3::text::jsonb ? shown.tag)
         AND NOT EXISTS (
           SELECT 1 FROM feedback_events r
           WHERE r.type = 'reported' AND r.tag = shown.tag
             AND (r.session = $2::text OR r.content_id = $1::integer))
         AND ${NOT_DECIDED("shown.tag")}
       ORDER BY shown.score DESC, shown.tag
       ${ONE_PENDING}`,
      [content.id, session, finalTags, CONFIDENT_SCORE],
    );
  }
  if (isSampled(content.id, policy))
    await tx.query(
      `INSERT INTO review_items (content_id, tag, rule)
       SELECT $1::integer, final.tag, 'sampled'
       FROM jsonb_array_elements_text($2::text::jsonb) WITH ORDINALITY AS final(tag, n)
       WHERE NOT EXISTS (SELECT 1 FROM review_items r WHERE r.content_id = $1::integer AND r.tag = final.tag)
       ORDER BY final.n
       ${ONE_PENDING}`,
      [content.id, finalTags],
    );
}

/**
 * A `report` item for each of these events that is a report naming content, with the highest score its session was
 * shown the tag with (null when none of the session's shown events is stored), as an unaccepted suggestion's.
 */
export async function queueReports(tx: Queryable, eventIds: readonly number[]): Promise<void> {
  if (eventIds.length === 0) return;
  // In (content, tag) order, not the batch's: two batches of other sessions reporting the same tags, each waiting for
  // the other's uncommitted pending item, would deadlock; the earliest report of a tag is still the one queued.
  await tx.query(
    `INSERT INTO review_items (content_id, tag, rule, score, reason, comment, event_id)
     SELECT e.content_id, e.tag, 'report',
       (SELECT max((s.value->>'score')::double precision)
        FROM feedback_events sh, jsonb_array_elements(sh.suggestions) AS s(value)
        WHERE sh.session = e.session AND sh.type = 'shown' AND sh.suggestions IS NOT NULL
          AND s.value->>'tag' = e.tag),
       e.reason, e.comment, e.id
     FROM feedback_events e
     WHERE e.id IN (SELECT value::bigint FROM jsonb_array_elements_text($1::text::jsonb))
       AND e.type = 'reported' AND e.content_id IS NOT NULL AND e.tag IS NOT NULL
     ORDER BY e.content_id, e.tag, e.id
     ${ONE_PENDING}`,
    [json(eventIds)],
  );
  // One question per tag: a report is the sharper one.
  await tx.query(
    `DELETE FROM review_items r
     USING feedback_events e
     WHERE e.id IN (SELECT value::bigint FROM jsonb_array_elements_text($1::text::jsonb))
       AND e.type = 'reported' AND r.content_id = e.content_id AND r.tag = e.tag
       AND r.rule = 'unaccepted_suggestion' AND r.decided_at IS NULL`,
    [json(eventIds)],
  );
}

const ITEM_SELECT = `
  SELECT r.id, r.content_id, c.title, c.description, r.tag, r.rule, r.score, r.reason, r.comment,
    ${iso("r.created_at")} AS created_at, r.applies, r.reviewer, r.note, ${iso("r.decided_at")} AS decided_at
  FROM review_items r JOIN content c ON c.id = r.content_id`;

/** Pending: oldest first (a queue). Decided: most recently decided first. */
export async function readReviewQueue(
  tx: Queryable,
  query: { status: "pending" | "decided"; limit: number; offset: number },
): Promise<{ items: ReviewItem[]; total: number }> {
  const pending = query.status === "pending";
  const where = pending ? "r.decided_at IS NULL" : "r.decided_at IS NOT NULL";
  const order = pending ? "r.id" : "r.decided_at DESC, r.id DESC";
  const rows = await tx.query<ItemRow>(
    `${ITEM_SELECT} WHERE ${where} ORDER BY ${order} LIMIT $1 OFFSET $2`,
    [query.limit, query.offset],
  );
  const [count] = await tx.query<{ total: number | string }>(
    `SELECT count(*) AS total FROM review_items r WHERE ${where}`,
  );
  return { items: rows.map(toReviewItem), total: int(count?.total ?? 0) };
}

/**
 * Records the decision on a pending item. The UPDATE only matches a pending row, so of two reviewers deciding at
 * once exactly one wins (the other waits for its row lock, then finds it decided): "already_decided".
 */
export async function decideItem(
  tx: Queryable,
  id: number,
  decision: ReviewDecision,
): Promise<ReviewItem> {
  if (!isIntId(id)) throw notFound(id);
  const updated = await tx.query(
    `UPDATE review_items SET applies = $2, reviewer = $3, note = $4, decided_at = now()
     WHERE id = $1 AND decided_at IS NULL
     RETURNING id`,
    [id, decision.applies, decision.reviewer, decision.note ?? null],
  );
  const [row] = await tx.query<ItemRow>(`${ITEM_SELECT} WHERE r.id = $1`, [id]);
  if (!row) throw notFound(id);
  if (updated.length === 0)
    throw new StoreError(
      "already_decided",
      `review item ${id} was already decided by ${row.reviewer} at ${row.decided_at}: a second decision is refused (its reviewer can undo it within ${UNDO_WINDOW_MINUTES} minutes of deciding)`,
      { id, field: "id", reviewer: row.reviewer, decidedAt: row.decided_at },
    );
  return toReviewItem(row);
}

/**
 * Takes a decision back: the item is pending again, without reviewer, note or answer, so its QA'd label is gone
 * (labels are read from decided items, and nothing else follows from a decision). Only the reviewer who decided, only
 * that decision (`decidedAt` as it was answered: one undone and made again since is another), only within
 * UNDO_WINDOW_MINUTES, and not while another item asks the same question (no two pending items share content, tag
 * and rule; one for a tag is enough). Refusals are "undo_refused", each saying why and what to do instead.
 */
export async function undoItem(tx: Queryable, id: number, undo: ReviewUndo): Promise<ReviewItem> {
  const refuse = (message: string, field: string) =>
    new StoreError("undo_refused", `review item ${id} ${message}`, { id, field });
  if (!isIntId(id)) throw notFound(id);
  // FOR UPDATE: a decision or undo of the item at the same time waits for this one, then finds what it left.
  const [row] = await tx.query<{
    content_id: number;
    tag: string;
    reviewer: string | null;
    decided_at: string | null;
    same: boolean | null;
    recent: boolean | null;
  }>(
    `SELECT content_id, tag, reviewer, ${iso("decided_at")} AS decided_at, ${iso("decided_at")} = $2 AS same,
       decided_at > now() - make_interval(mins => $3::integer) AS recent
     FROM review_items WHERE id = $1 FOR UPDATE`,
    [id, undo.decidedAt, UNDO_WINDOW_MINUTES],
  );
  if (!row) throw notFound(id);
  const { reviewer, decided_at: decidedAt } = row;
  if (decidedAt === null)
    throw refuse("is pending: it has no decision to undo (undone already?)", "id");
  if (reviewer !== undo.reviewer)
    throw refuse(
      `was decided by ${reviewer} at ${decidedAt}, not by ${undo.reviewer}: only the reviewer who decided can undo it; ask ${reviewer}`,
      "reviewer",
    );
  if (!row.same)
    throw refuse(
      `was decided again at ${decidedAt}: the decision of ${undo.decidedAt} is gone, and this one was left alone; to undo it, give its decided_at`,
      "decided_at",
    );
  if (!row.recent)
    throw refuse(
      `was decided at ${decidedAt}, more than ${UNDO_WINDOW_MINUTES} minutes ago: a decision can be undone within ${UNDO_WINDOW_MINUTES} minutes only, as its label may have been exported and trained on since; it stands until a later decision on the same content and tag replaces it (a new report asks again)`,
      "id",
    );
  const askedAgain = (other: string) =>
    refuse(
      `asks whether ${row.tag} belongs to content ${row.content_id}, and ${other} asks it again and is pending: decide that one instead (the later decision is the one the QA'd labels keep); the decision was left alone`,
      "id",
    );
  const [twin] = await tx.query<{ id: number; rule: ReviewRule }>(
    `SELECT id, rule FROM review_items
     WHERE content_id = $1 AND tag = $2 AND decided_at IS NULL AND id <> $3 ORDER BY id LIMIT 1`,
    [row.content_id, row.tag, id],
  );
  if (twin) throw askedAgain(`item ${twin.id} (${twin.rule})`);
  try {
    await tx.query(
      "UPDATE review_items SET applies = NULL, reviewer = NULL, note = NULL, decided_at = NULL WHERE id = $1",
      [id],
    );
  } catch (error) {
    // Queued and committed since the check: review_items_pending allows one pending item per content, tag and rule.
    if ((error as { code?: unknown }).code === "23505") throw askedAgain("an item queued just now");
    throw error;
  }
  const [item] = await tx.query<ItemRow>(`${ITEM_SELECT} WHERE r.id = $1`, [id]);
  return toReviewItem(item as ItemRow);
}

function notFound(id: number): StoreError {
  return new StoreError("not_found", `no review item with id ${id}`, { id, field: "id" });
}

/** Every decision, oldest first. */
export async function readQaLabels(db: Queryable): Promise<QaLabel[]> {
  const rows = await db.query<{
    id: number;
    content_id: number;
    tag: string;
    rule: ReviewRule;
    applies: boolean;
    reviewer: string;
    note: string | null;
    decided_at: string;
  }>(
    `SELECT id, content_id, tag, rule, applies, reviewer, note, ${iso("decided_at")} AS decided_at
     FROM review_items WHERE decided_at IS NOT NULL
     ORDER BY review_items.decided_at, id`,
  );
  return rows.map((row) => ({
    contentId: int(row.content_id),
    tag: row.tag,
    applies: row.applies,
    reviewer: row.reviewer,
    decidedAt: row.decided_at,
    rule: row.rule,
    itemId: int(row.id),
    note: row.note,
  }));
}

interface ItemRow {
  id: number;
  content_id: number;
  title: string;
  description: string;
  tag: string;
  rule: ReviewRule;
  score: number | null;
  reason: ReportReason | null;
  comment: string | null;
  created_at: string;
  applies: boolean | null;
  reviewer: string | null;
  note: string | null;
  decided_at: string | null;
}

function toReviewItem(row: ItemRow): ReviewItem {
  return {
    id: int(row.id),
    contentId: int(row.content_id),
    title: row.title,
    description: row.description,
    tag: row.tag,
    rule: row.rule,
    score: row.score === null ? null : Number(row.score),
    reason: row.reason,
    comment: row.comment,
    createdAt: row.created_at,
    applies: row.applies,
    reviewer: row.reviewer,
    note: row.note,
    decidedAt: row.decided_at,
  };
}
