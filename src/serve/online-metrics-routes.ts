// GET /v1/metrics/online: how authors answer the suggestions they are shown (acceptance, proxy recall and precision,
// reports, latency), overall and by model, tag, day or week, computed by the content store from its events.

import { z } from "zod";
import {
  backwardsRange,
  type ContentStore,
  calendarDay,
  DAY_FORMAT,
  ONLINE_METRICS_DEFINITIONS,
  ONLINE_METRICS_GROUPINGS,
  type OnlineMetricsRow as StoreMetricsRow,
} from "../store/index.js";
import type { ServiceApp } from "./app.js";
import { requireStore } from "./errors.js";
import { E401, json, STORE_QUERY_ERRORS } from "./responses.js";
import { ModelId, named } from "./schemas.js";

const Day = z
  .string()
  .regex(DAY_FORMAT, "expected a day as YYYY-MM-DD")
  .refine((day) => calendarDay(day) !== null, "not a day of the calendar");

export const OnlineMetricsQuery = z
  .strictObject({
    by: z
      .enum(ONLINE_METRICS_GROUPINGS)
      .optional()
      .describe(
        "Group by model id, tag, day or week (UTC, weeks from Monday). Absent: the overall row only.",
      ),
    from: Day.optional().describe("First day included (UTC)."),
    to: Day.optional().describe("Last day included (UTC)."),
    model: ModelId.min(1).optional().describe("Only suggestions of this model id."),
  })
  .superRefine((q, ctx) => {
    // Days as YYYY-MM-DD compare as strings.
    if (q.from !== undefined && q.to !== undefined && q.from > q.to)
      ctx.addIssue({ code: "custom", message: backwardsRange(q.from, q.to), path: ["to"] });
  });
export type OnlineMetricsQuery = z.infer<typeof OnlineMetricsQuery>;

const rate = (what: string) =>
  z.number().nullable().describe(`${what}; null when nothing is under it.`);

export const OnlineMetricsRow = named(
  z.object({
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
  }),
  "OnlineMetricsRow",
  "Online metrics of one group, or of everything.",
);

export const OnlineMetricsResponse = named(
  z.object({
    by: z.enum(ONLINE_METRICS_GROUPINGS).nullable(),
    from: z.string().nullable(),
    to: z.string().nullable(),
    model: z.string().nullable(),
    overall: OnlineMetricsRow,
    groups: z
      .array(OnlineMetricsRow)
      .describe(
        "Empty without `by`. Days and weeks oldest first; models and tags most shown first.",
      ),
  }),
  "OnlineMetrics",
  "Online metrics from the stored suggestion events.",
);
export type OnlineMetricsResponse = z.infer<typeof OnlineMetricsResponse>;

/** The store's row as the API writes it. */
function toApiMetricsRow(row: StoreMetricsRow): z.infer<typeof OnlineMetricsRow> {
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

/** The answer to `query`, the same for the route and `tagsmith metrics online --json`. */
export async function onlineMetricsReport(
  store: ContentStore,
  query: OnlineMetricsQuery,
): Promise<OnlineMetricsResponse> {
  const metrics = await store.onlineMetrics(query);
  return {
    by: query.by ?? null,
    from: query.from ?? null,
    to: query.to ?? null,
    model: query.model ?? null,
    overall: toApiMetricsRow(metrics.overall),
    groups: metrics.groups.map(toApiMetricsRow),
  };
}

export function registerOnlineMetricsRoutes(
  admin: ServiceApp,
  options: { store: ContentStore | null },
): void {
  admin.get(
    "/v1/metrics/online",
    {
      schema: {
        tags: ["admin"],
        summary: "Online metrics: acceptance, proxy recall and precision, reports, latency",
        description: ONLINE_METRICS_DEFINITIONS.join("\n\n"),
        security: [{ adminToken: [] }],
        querystring: OnlineMetricsQuery,
        response: {
          200: json("Overall, and per group when `by` is given", OnlineMetricsResponse),
          401: E401,
          ...STORE_QUERY_ERRORS,
        },
      },
    },
    async (request) =>
      onlineMetricsReport(
        requireStore(options.store, "there are no events to measure"),
        request.query,
      ),
  );
}
