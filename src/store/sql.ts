// How values cross between TypeScript and SQL identically in both engines. PGlite and node-postgres convert types
// differently (timestamps, bigint, JS arrays as parameters), so the store never relies on either: timestamps leave
// the database as ISO strings, lists and objects enter it as JSON text cast to jsonb, and numbers are converted here.

/** A timestamptz column as ISO 8601 UTC with milliseconds, the form `Date.toISOString()` gives. */
export function iso(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/**
 * A value as a jsonb parameter: pass `json(value)` and write `$n::text::jsonb` in the SQL. Typed text first, because
 * node-postgres would send a JS array as a PostgreSQL array literal and PGlite's jsonb serializer would quote a string.
 */
export function json(value: unknown): string {
  return JSON.stringify(value);
}

/**
 * ORDER BY for a session's feedback events in the order they happened: by the time the client gave each, then by id
 * (the order stored). Not by id alone: a batch the widget retried after an outage is stored after newer ones. One
 * client's clock orders its own events; events without a time (clients that do not say, events stored before they
 * could) count as before any with one. Unqualified: for a query over feedback_events alone.
 */
export const FIRST_TO_LAST = "occurred_at ASC NULLS FIRST, id ASC";
export const LAST_TO_FIRST = "occurred_at DESC NULLS LAST, id DESC";

/** bigint and integer columns: node-postgres returns int8 as a string, PGlite as a number. */
export function int(value: unknown): number {
  return Number(value);
}

/**
 * The times the store keeps: years 1 to 9999. PostgreSQL reads the ISO 8601 JavaScript writes for these, not the
 * "+010000-..." of later years, and has no year 0.
 */
export const FIRST_STORABLE_TIME = Date.parse("0001-01-01T00:00:00Z");
export const LAST_STORABLE_TIME = Date.parse("9999-12-31T23:59:59.999Z");

/** The largest id the store's tables hold (PostgreSQL's integer). */
export const MAX_ID = 2_147_483_647;

/** PostgreSQL's integer range: an id outside it names no row (and would fail the cast). */
export function isIntId(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0 && (value as number) <= MAX_ID;
}
