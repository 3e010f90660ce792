// Numbers and dates as the console shows them: one spelling for a missing value, rates as percentages, scores to
// three places, so every table and chart reads alike.

/** What a table shows for a value the service could not compute (no data in the group). */
export const NONE = "—";

export function formatPercent(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return NONE;
  const percent = rate * 100;
  return `${percent >= 10 || percent === 0 ? percent.toFixed(0) : percent.toFixed(1)}%`;
}

export function formatScore(score: number | null | undefined): string {
  return score === null || score === undefined || !Number.isFinite(score) ? NONE : score.toFixed(3);
}

export function formatCount(count: number | null | undefined): string {
  return count === null || count === undefined ? NONE : count.toLocaleString("en");
}

export function formatDecimal(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? NONE
    : value.toFixed(digits);
}

/** "37 / 140 ms": the median and the 95th percentile together. */
export function latencyPair(latency: { p50: number | null; p95: number | null }): string {
  if (latency.p50 === null && latency.p95 === null) return NONE;
  const ms = (value: number | null) =>
    value === null || !Number.isFinite(value) ? NONE : String(Math.round(value));
  return `${ms(latency.p50)} / ${ms(latency.p95)} ms`;
}

/** A date and time in the reader's locale; the text itself when it is not a date. */
export function formatWhen(iso: string | null | undefined): string {
  if (!iso) return NONE;
  const date = new Date(iso);
  return Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
