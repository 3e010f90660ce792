// GET /v1/metrics/online: how authors answer the suggestions they are shown (acceptance, proxy recall and precision,
// reports, latency), overall and by model, tag, day or week, computed by the content store from its events and
// reported as `tagsmith metrics online --json` reports them (store/online-metrics-report.ts).

import { z } from "zod";
import {
  type ContentStore,
  ONLINE_METRICS_DEFINITIONS,
  ONLINE_METRICS_GROUPINGS,
  OnlineMetricsReport,
  OnlineMetricsReportRow,
  onlineMetricsQueryIssue,
  onlineMetricsReport,
} from "../store/index.js";
import type { ServiceApp } from "./app.js";
import { requireStore } from "./errors.js";
import { E401, json, STORE_QUERY_ERRORS } from "./responses.js";
import { ModelId, named } from "./schemas.js";

export const OnlineMetricsQuery = z
  .strictObject({
    by: z
      .enum(ONLINE_METRICS_GROUPINGS)
      .optional()
      .describe(
        "Group by model id, tag, day or week (UTC, weeks from Monday). Absent: the overall row only.",
      ),
    from: z.string().optional().describe("First day included, YYYY-MM-DD (UTC)."),
    to: z.string().optional().describe("Last day included, YYYY-MM-DD (UTC)."),
    model: ModelId.min(1).optional().describe("Only suggestions of this model id."),
  })
  // The store's one check of a query (days, range), so the API says what the CLI says, on the field to change.
  .superRefine((query, ctx) => {
    const issue = onlineMetricsQueryIssue(query);
    if (issue !== null)
      ctx.addIssue({ code: "custom", message: issue.problem, path: [issue.field] });
  });
export type OnlineMetricsQuery = z.infer<typeof OnlineMetricsQuery>;

export const OnlineMetricsRow = named(
  OnlineMetricsReportRow,
  "OnlineMetricsRow",
  "Online metrics of one group, or of everything.",
);

export const OnlineMetricsResponse = named(
  OnlineMetricsReport,
  "OnlineMetrics",
  "Online metrics from the stored suggestion events.",
);
export type OnlineMetricsResponse = z.infer<typeof OnlineMetricsResponse>;

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
    async (request) => {
      const store = requireStore(options.store, "there are no events to measure");
      return onlineMetricsReport(request.query, await store.onlineMetrics(request.query));
    },
  );
}
