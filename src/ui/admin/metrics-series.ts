// The online metrics as chart data: one chart per question (are suggestions accepted, do they find the authors'
// tags, are they reported, are they fast), lines over days or weeks, bars across models. Pure: no Chart.js here.

import type { MetricsGrouping, MetricsRow } from "./admin-types.js";

export type ChartGrouping = Exclude<MetricsGrouping, "tag">;

export interface ChartSeries {
  name: string;
  /** One value per label; null where the group has no data (a gap in a line, no bar). */
  values: (number | null)[];
}

export interface ChartSpec {
  id: "acceptance" | "proxy" | "reports" | "latency";
  title: string;
  /** What the y axis counts, for its title and the chart's accessible name. */
  unit: string;
  kind: "line" | "bar";
  labels: string[];
  series: ChartSeries[];
}

const percent = (rate: number | null) => (rate === null ? null : Math.round(rate * 1000) / 10);

/** A group's name on an axis or in a table; events that named no model are grouped under null. */
export function groupLabel(row: MetricsRow): string {
  return row.key ?? "no model named";
}

/**
 * Groups in chart order: days and weeks oldest first (keys are their first day, YYYY-MM-DD, which sorts as a
 * date), models as the service lists them (most shown first).
 */
export function chartOrder(groups: readonly MetricsRow[], by: ChartGrouping): MetricsRow[] {
  return by === "model"
    ? [...groups]
    : [...groups].sort((a, b) => (a.key ?? "").localeCompare(b.key ?? ""));
}

export function metricCharts(groups: readonly MetricsRow[], by: ChartGrouping): ChartSpec[] {
  const rows = chartOrder(groups, by);
  const kind = by === "model" ? "bar" : "line";
  const labels = rows.map(groupLabel);
  const chart = (
    id: ChartSpec["id"],
    title: string,
    unit: string,
    series: [string, (row: MetricsRow) => number | null][],
  ): ChartSpec => ({
    id,
    title,
    unit,
    kind,
    labels,
    series: series.map(([name, value]) => ({ name, values: rows.map(value) })),
  });
  return [
    chart("acceptance", "Acceptance rate", "% of shown suggestions accepted", [
      ["Acceptance rate", (row) => percent(row.acceptance_rate)],
    ]),
    chart("proxy", "Proxy recall and precision", "% on saved content", [
      ["Proxy recall", (row) => percent(row.proxy_recall)],
      ["Proxy precision", (row) => percent(row.proxy_precision)],
    ]),
    chart("reports", "Reports per 1,000 shown", "reports per 1,000 suggestions shown", [
      ["Reports per 1,000", (row) => row.reports_per_1000],
    ]),
    chart("latency", "Suggestion latency", "milliseconds", [
      ["p50", (row) => row.latency_ms.p50],
      ["p95", (row) => row.latency_ms.p95],
    ]),
  ];
}

/** A sentence for screen readers: a canvas alone says nothing. */
export function chartSummary(spec: ChartSpec): string {
  if (spec.labels.length === 0) return `${spec.title}: no data yet.`;
  // One decimal at most: a rate of 2 in 9 is read out as 22.2, not 22.222222222222222.
  const say = (value: number | null | undefined) =>
    value === null || value === undefined ? "no data" : String(Math.round(value * 10) / 10);
  const at = (i: number) =>
    `${spec.labels[i]}: ${spec.series.map((s) => `${s.name} ${say(s.values[i])}`).join(", ")}`;
  if (spec.kind === "bar")
    return `${spec.title} (${spec.unit}) by model. ${spec.labels.map((_, i) => at(i)).join("; ")}.`;
  const last = spec.labels.length - 1;
  return `${spec.title} (${spec.unit}), ${spec.labels[0]} to ${spec.labels[last]}. Latest, ${at(last)}.`;
}
