// Online metrics as they are reported, by GET /v1/metrics/online and `tagsmith metrics online --json` alike: the
// store's numbers under the API's names, with the query they answer. The schema is the route's response schema
// (online-metrics-routes.ts names it for the OpenAPI document) and gives the report's type.

import { z } from "zod";
import {
  ONLINE_METRICS_GROUPINGS,
  type OnlineMetrics,
  type OnlineMetricsQuery,
  type OnlineMetricsRow,
} from "./online-metrics.js";

const rate = (what: string) =>
  z.number().nullable().describe(`${what}; null when nothing is under it.`);

export const OnlineMetricsReportRow = z.object({
  key: z
    .string()
    .nullable()
    .describe(
      'The group: a model id, a tag, or the first day of the day or week (YYYY-MM-DD). "all" for the overall row; null for suggestions whose events named no model.',
    ),
  shown: z.number().int().describe("Suggestions shown: distinct (session, tag)."),
  accepted: z.number().int().describe("Of those, accepted."),
  reported: z.number().int().describe("Of those, reported."),
  acceptance_rate: rate("accepted / shown"),
  reports_per_1000: rate("reported / shown × 1000"),
  saved_items: z
    .number()
    .int()
    .describe(
      "Saved editing sessions that were shown suggestions (the latest save of each) in the group: an item edited and saved in two sessions counts twice.",
    ),
  proxy_recall: rate(
    "Final tags that were suggested / final tags, leaving out a final tag the author had already chosen before the session's first suggestions (in the `chosen` list of its first `shown` event): it was never the model's to suggest",
  ),
  proxy_precision: rate(
    "Suggestions shown in saved sessions that ended in the final tags / those shown",
  ),
  latency_ms: z.object({
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    n: z.number().int().describe("Shown events with a latency."),
  }),
});
export type OnlineMetricsReportRow = z.infer<typeof OnlineMetricsReportRow>;

export const OnlineMetricsReport = z.object({
  by: z.enum(ONLINE_METRICS_GROUPINGS).nullable(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  model: z.string().nullable(),
  overall: OnlineMetricsReportRow,
  groups: z
    .array(OnlineMetricsReportRow)
    .describe("Empty without `by`. Days and weeks oldest first; models and tags most shown first."),
});
export type OnlineMetricsReport = z.infer<typeof OnlineMetricsReport>;

/** The store's row under the report's names. */
function reportRow(row: OnlineMetricsRow): OnlineMetricsReportRow {
  return {
    key: row.key,
    shown: row.shown,
    accepted: row.accepted,
    reported: row.reported,
    acceptance_rate: row.acceptanceRate,
    reports_per_1000: row.reportsPer1000,
    saved_items: row.savedItems,
    proxy_recall: row.proxyRecall,
    proxy_precision: row.proxyPrecision,
    latency_ms: row.latencyMs,
  };
}

/** The report of `metrics`, the store's answer to `query`. */
export function onlineMetricsReport(
  query: OnlineMetricsQuery,
  metrics: OnlineMetrics,
): OnlineMetricsReport {
  return {
    by: query.by ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
    model: query.model ?? null,
    overall: reportRow(metrics.overall),
    groups: metrics.groups.map(reportRow),
  };
}
