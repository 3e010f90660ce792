// Online metrics: how authors answered the suggestions they were shown, computed by one SQL statement over
// feedback_events, overall and by model, tag, day or week.
//
// Definitions (the API description and the CLI help say the same):
// - A suggestion shown is a distinct (session, tag) in any 'shown' event: the widget re-polls, so a tag shown
//   several times in one session counts once. Its model is the model_id of the latest (last stored) shown event of
//   that session containing the tag; its time is the first such event's created_at. Events without a session are
//   not suggestions shown (nothing can be linked to them) but their latency counts.
// - accepted / reported: distinct (session, tag) of 'accepted' / 'reported' events that were shown.
//   acceptance_rate = accepted / shown; reports_per_1000 = 1000 * reported / shown.
// - A saved item is the latest 'saved' event (last stored) of a session that had shown events; its tags are the
//   final tags. proxy_recall = sum |final ∩ shown in the session| / sum |final| and proxy_precision =
//   sum |shown ∩ final| / sum |shown| over saved items (micro averages). A final tag the author had chosen before
//   the session's first suggestions (the `chosen` of its first shown event) was never the model's to suggest: it is
//   not counted in proxy recall (editing saved content starts with every tag chosen).
// - Groups: a shown suggestion belongs to its model, tag, and the UTC day or week (Monday) of its time. A final tag
//   that was shown belongs where that suggestion does; one that was not shown is placed as if every shown event of
//   the session had shown it: the session's latest model, its first shown time. So proxy_recall for tag T = items
//   whose final tags include T where T was shown / items whose final tags include T, and proxy_precision for T =
//   shown T in saved sessions that ended in the final tags / shown T in saved sessions. saved_items counts the
//   saved items with a suggestion shown or a final tag in the group. Filters (from, to, model) select the same
//   way, so the groups add up to the overall row (saved_items and latency aside).
// - latency: p50 and p95 (percentile_cont, interpolated) of latency_ms over shown events, by the event's own model
//   and day; by tag, over the events that showed the tag.
// Rates are null when their denominator is 0.

import { TagsmithError } from "../errors.js";
import type { Queryable } from "./database.js";
import {
  FIRST_STORABLE_TIME,
  FIRST_TO_LAST,
  int,
  LAST_STORABLE_TIME,
  LAST_TO_FIRST,
} from "./sql.js";

/** What each number means: the route's description, and the CLI's help. */
export const ONLINE_METRICS_DEFINITIONS = [
  "A suggestion shown is a distinct (session, tag) in the widget's `shown` events: a tag shown again on a re-poll counts once. Its model is that of the latest shown event of the session with the tag; its time, the first.",
  "acceptance_rate = suggestions shown that were accepted / shown. reports_per_1000 = suggestions shown that were reported / shown × 1000.",
  "A saved item is the latest save of a session that was shown suggestions; its tags are the final tags. proxy_recall = Σ |final tags that were shown in the session| / Σ |final tags|; proxy_precision = Σ |shown tags that ended in the final tags| / Σ |shown tags|, over saved items.",
  "A final tag the author had already chosen before the session's first suggestions (in the `chosen` list of its first `shown` event, by name or alias) was never the model's to suggest: proxy recall leaves it out of both counts, so it is neither found nor missed (editing saved content starts with all its tags chosen). A session whose first `shown` event has no `chosen` list leaves nothing out.",
  "Groups: model, tag, or the UTC day or week (from Monday) a suggestion was first shown. A final tag that was shown is grouped with that suggestion; one never shown with the session's latest model and first shown time. By tag, proxy_recall for T = items whose final tags include T where T was shown / items whose final tags include T (leaving out items where T was chosen before the first suggestions); proxy_precision = shown T in saved sessions kept / shown T in saved sessions. saved_items: the saved items with a suggestion or final tag in the group.",
  "latency_ms: p50 and p95 (interpolated) of the latency clients measured for `shown` events; by tag, of the events that showed the tag.",
  "from and to (days, UTC, both included) and model filter suggestions, final tags and latency the same way. A rate is null when nothing is under it.",
];

export const ONLINE_METRICS_GROUPINGS = ["model", "tag", "day", "week"] as const;
export type OnlineMetricsGrouping = (typeof ONLINE_METRICS_GROUPINGS)[number];

export interface OnlineMetricsQuery {
  by?: OnlineMetricsGrouping;
  /** First day included, YYYY-MM-DD (UTC). */
  from?: string;
  /** Last day included, YYYY-MM-DD (UTC). */
  to?: string;
  /** Only suggestions of this model id (the model's registry id). */
  model?: string;
}

export interface OnlineMetricsRow {
  /** The model id, tag or first day of the day/week (YYYY-MM-DD); "all" for the overall row; null: no model named. */
  key: string | null;
  shown: number;
  accepted: number;
  reported: number;
  acceptanceRate: number | null;
  reportsPer1000: number | null;
  savedItems: number;
  proxyRecall: number | null;
  proxyPrecision: number | null;
  latencyMs: { p50: number | null; p95: number | null; n: number };
}

export interface OnlineMetrics {
  overall: OnlineMetricsRow;
  /** Empty without `by`; days and weeks oldest first, models and tags most shown first. */
  groups: OnlineMetricsRow[];
}

/** How a fact's group is named, per grouping; `at` is a timestamptz. */
const GROUP_KEYS: Record<OnlineMetricsGrouping, string> = {
  model: "model",
  tag: "tag",
  day: "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
  week: "to_char(date_trunc('week', at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')",
};

const AGGREGATES = `sum(shown) AS shown, sum(accepted) AS accepted, sum(reported) AS reported,
  sum(shown_saved) AS shown_saved, sum(kept) AS kept, sum(final_tags) AS final_tags,
  sum(final_suggested) AS final_suggested, count(DISTINCT saved_session) AS saved_items,
  percentile_cont(0.5) WITHIN GROUP (ORDER BY latency) AS p50,
  percentile_cont(0.95) WITHIN GROUP (ORDER BY latency) AS p95, count(latency) AS latency_n`;

/**
 * One statement, so the groups and the overall row see the same events. Every suggestion shown, final tag and
 * shown event becomes a "fact" row with its tag, model and time; filters and groups then apply to facts alike.
 * `scope` keeps by-tag latency apart: per tag an event counts once for each tag it showed, overall once.
 */
function metricsSql(by: OnlineMetricsGrouping | undefined): string {
  const latencyFacts =
    by === "tag"
      ? `SELECT tag, model_id, created_at, latency_ms, 'group' FROM shown_tags WHERE latency_ms IS NOT NULL
         UNION ALL
         SELECT NULL, model_id, created_at, latency_ms, 'overall' FROM shown_events WHERE latency_ms IS NOT NULL`
      : "SELECT NULL, model_id, created_at, latency_ms, 'both' FROM shown_events WHERE latency_ms IS NOT NULL";
  const grouped = by
    ? `SELECT false AS overall, ${GROUP_KEYS[by]} AS key, ${AGGREGATES}
       FROM chosen WHERE scope <> 'overall' GROUP BY 2
       UNION ALL `
    : "";
  return `WITH shown_events AS (
    SELECT id, session, model_id, latency_ms, created_at, occurred_at, suggestions, tags
    FROM feedback_events WHERE type = 'shown'
  ),
  shown_tags AS (
    SELECT DISTINCT e.id, e.session, e.model_id, e.created_at, e.occurred_at, e.latency_ms, s.value->>'tag' AS tag
    FROM shown_events e, jsonb_array_elements(e.suggestions) AS s(value)
    WHERE s.value->>'tag' IS NOT NULL
  ),
  pairs AS (
    SELECT DISTINCT ON (session, tag) session, tag, model_id AS model,
      min(created_at) OVER (PARTITION BY session, tag) AS first_shown
    FROM shown_tags WHERE session IS NOT NULL
    ORDER BY session, tag, ${LAST_TO_FIRST}
  ),
  sessions AS (
    SELECT DISTINCT ON (session) session, model_id AS model,
      min(created_at) OVER (PARTITION BY session) AS first_shown
    FROM shown_events WHERE session IS NOT NULL
    ORDER BY session, ${LAST_TO_FIRST}
  ),
  saves AS (
    SELECT DISTINCT ON (f.session) f.session, f.tags
    FROM feedback_events f JOIN sessions s ON s.session = f.session
    WHERE f.type = 'saved'
    ORDER BY f.session, f.id DESC
  ),
  finals AS (
    SELECT DISTINCT s.session, t.tag FROM saves s, jsonb_array_elements_text(s.tags) AS t(tag)
  ),
  prechosen AS (
    SELECT DISTINCT ON (session) session, tags FROM shown_events WHERE session IS NOT NULL
    ORDER BY session, ${FIRST_TO_LAST}
  ),
  missable AS (
    SELECT f.session, f.tag FROM finals f
    WHERE NOT EXISTS (SELECT 1 FROM prechosen c WHERE c.session = f.session AND c.tags ? f.tag)
  ),
  accepted AS (SELECT DISTINCT session, tag FROM feedback_events WHERE type = 'accepted'),
  reported AS (SELECT DISTINCT session, tag FROM feedback_events WHERE type = 'reported'),
  facts (tag, model, at, shown, accepted, reported, shown_saved, kept, final_tags, final_suggested,
    saved_session, latency, scope) AS (
    SELECT p.tag, p.model, p.first_shown, 1, (a.session IS NOT NULL)::int, (r.session IS NOT NULL)::int,
      (s.session IS NOT NULL)::int, (f.session IS NOT NULL)::int, 0, 0, s.session, NULL::double precision, 'both'
    FROM pairs p
    LEFT JOIN accepted a ON a.session = p.session AND a.tag = p.tag
    LEFT JOIN reported r ON r.session = p.session AND r.tag = p.tag
    LEFT JOIN saves s ON s.session = p.session
    LEFT JOIN finals f ON f.session = p.session AND f.tag = p.tag
    UNION ALL
    SELECT f.tag, CASE WHEN p.session IS NULL THEN s.model ELSE p.model END,
      coalesce(p.first_shown, s.first_shown), 0, 0, 0, 0, 0, 1, (p.session IS NOT NULL)::int, f.session, NULL,
      'both'
    FROM missable f
    JOIN sessions s ON s.session = f.session
    LEFT JOIN pairs p ON p.session = f.session AND p.tag = f.tag
    UNION ALL
    SELECT tag, model_id, created_at, 0, 0, 0, 0, 0, 0, 0, NULL, latency_ms, scope
    FROM (${latencyFacts}) AS l (tag, model_id, created_at, latency_ms, scope)
  ),
  chosen AS (
    SELECT * FROM facts
    WHERE ($1::timestamptz IS NULL OR at >= $1::timestamptz)
      AND ($2::timestamptz IS NULL OR at < $2::timestamptz)
      AND ($3::text IS NULL OR model = $3::text)
  )
  ${grouped}SELECT true AS overall, NULL AS key, ${AGGREGATES} FROM chosen WHERE scope <> 'group'`;
}

interface MetricsSqlRow {
  overall: boolean;
  key: string | null;
  shown: unknown;
  accepted: unknown;
  reported: unknown;
  shown_saved: unknown;
  kept: unknown;
  final_tags: unknown;
  final_suggested: unknown;
  saved_items: unknown;
  p50: number | null;
  p95: number | null;
  latency_n: unknown;
}

const DAY_MS = 86_400_000;

/** What is wrong with an online metrics query, and the field to change. */
export interface OnlineMetricsQueryIssue {
  field: "by" | "from" | "to";
  /** A day that is not one is said after its field's name; the other problems name their fields themselves. */
  kind: "grouping" | "day" | "range";
  problem: string;
}

/**
 * The first thing wrong with a query (an unknown grouping, no such day, a range backwards), or null. Pure, and the
 * one check of a query: the store and the CLI (before it opens a store) throw it (checkOnlineMetricsQuery), the API's
 * schema refines with it, so all three say it alike.
 */
export function onlineMetricsQueryIssue(query: OnlineMetricsQuery): OnlineMetricsQueryIssue | null {
  const { by, from, to } = query;
  if (by !== undefined && !ONLINE_METRICS_GROUPINGS.includes(by))
    return {
      field: "by",
      kind: "grouping",
      problem: `cannot group online metrics by "${by}": use ${ONLINE_METRICS_GROUPINGS.join(", ")}`,
    };
  for (const [field, day] of [
    ["from", from],
    ["to", to],
  ] as const)
    if (day !== undefined && calendarDay(day) === null)
      return {
        field,
        kind: "day",
        problem: `"${day}" is not a day of the calendar (${DAY_RANGE}): give one as YYYY-MM-DD (UTC)`,
      };
  // Days as YYYY-MM-DD compare as strings.
  if (from !== undefined && to !== undefined && from > to)
    return {
      field: "to",
      kind: "range",
      problem: `from (${from}) is after to (${to}): give the first day as from and the last as to`,
    };
  return null;
}

/** The query's days as midnight UTC in milliseconds; throws what is wrong with it (onlineMetricsQueryIssue). */
export function checkOnlineMetricsQuery(query: OnlineMetricsQuery): {
  from: number | null;
  to: number | null;
} {
  const issue = onlineMetricsQueryIssue(query);
  if (issue !== null)
    throw new TagsmithError(
      "usage",
      issue.kind === "day" ? `${issue.field}: ${issue.problem}` : issue.problem,
    );
  const day = (value: string | undefined) => (value === undefined ? null : calendarDay(value));
  return { from: day(query.from), to: day(query.to) };
}

export async function onlineMetrics(
  db: Queryable,
  query: OnlineMetricsQuery = {},
): Promise<OnlineMetrics> {
  const { by, model } = query;
  const { from, to } = checkOnlineMetricsQuery(query);
  const rows = await db.query<MetricsSqlRow>(metricsSql(by), [
    from === null ? null : new Date(from).toISOString(),
    // to is the last day included: events before the next midnight (none after the last day the store keeps).
    to === null || to + DAY_MS > LAST_STORABLE_TIME ? null : new Date(to + DAY_MS).toISOString(),
    model ?? null,
  ]);
  const overall = rows.find((row) => row.overall);
  if (!overall) throw new Error("the online metrics query returned no overall row");
  const groups = rows.filter((row) => !row.overall).map(toMetricsRow);
  const byShown = (a: OnlineMetricsRow, b: OnlineMetricsRow) =>
    b.shown - a.shown || compareKeys(a.key, b.key);
  groups.sort(by === "day" || by === "week" ? (a, b) => compareKeys(a.key, b.key) : byShown);
  return { overall: { ...toMetricsRow(overall), key: "all" }, groups };
}

/**
 * Whether any stored event names this model id. The store knows only the ids events carry, not the registry's: so it
 * can tell an id no event names (unused, or mistyped) from one whose events a filter left out, but not which of the two.
 */
export async function modelHasEvents(db: Queryable, modelId: string): Promise<boolean> {
  const rows = await db.query<{ found: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM feedback_events WHERE model_id = $1) AS found",
    [modelId],
  );
  return rows[0]?.found === true;
}

/** The form of a day: YYYY-MM-DD (calendarDay also checks the day is in the calendar). */
export const DAY_FORMAT = /^\d{4}-\d\d-\d\d$/;

/** The days a query may name, as its errors say them: those of the times the store keeps. */
export const DAY_RANGE = "0001-01-01 to 9999-12-31";

/** YYYY-MM-DD, a real calendar day the store can hold, as midnight UTC in milliseconds; null for anything else. */
export function calendarDay(value: string): number | null {
  const ms = DAY_FORMAT.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || ms < FIRST_STORABLE_TIME) return null;
  return new Date(ms).toISOString().slice(0, 10) === value ? ms : null;
}

/** Code-unit order (the same in every database collation), null last. */
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

const rate = (part: number, whole: number, scale = 1): number | null =>
  whole === 0 ? null : (scale * part) / whole;

function toMetricsRow(row: MetricsSqlRow): OnlineMetricsRow {
  const count = (value: unknown) => (value === null ? 0 : int(value));
  const shown = count(row.shown);
  const accepted = count(row.accepted);
  const reported = count(row.reported);
  const latency = (value: number | null) => (value === null ? null : Number(value));
  return {
    key: row.key,
    shown,
    accepted,
    reported,
    acceptanceRate: rate(accepted, shown),
    reportsPer1000: rate(reported, shown, 1000),
    savedItems: count(row.saved_items),
    proxyRecall: rate(count(row.final_suggested), count(row.final_tags)),
    proxyPrecision: rate(count(row.kept), count(row.shown_saved)),
    latencyMs: { p50: latency(row.p50), p95: latency(row.p95), n: count(row.latency_n) },
  };
}
