// The operations routes: liveness and readiness probes, Prometheus metrics and the OpenAPI document. Open to
// everyone, never rate limited (only /v1 routes are).

import { z } from "zod";
import type { ServiceApp } from "./app.js";
import { notReady } from "./errors.js";
import type { ServiceMetrics } from "./metrics.js";
import type { LoadFailure } from "./model-source.js";
import { E503, json, ROUTE_ERRORS } from "./responses.js";
import { ErrorBody, Health, Readiness } from "./schemas.js";
import type { ServedModel } from "./served-model.js";

export interface OperationsRouteOptions {
  /** The model answering now (null before one is loaded). */
  model: () => ServedModel | null;
  /** The registry's production version when it failed to load and another model answers in its place. */
  productionFailure?: () => LoadFailure | null;
  metrics: ServiceMetrics;
  /** Prometheus text for /metrics; default: this process's metrics (cluster workers ask the primary instead). */
  metricsText?: () => Promise<string>;
}

export function registerOperationsRoutes(app: ServiceApp, options: OperationsRouteOptions): void {
  const { metrics } = options;
  app.get(
    "/healthz",
    {
      schema: {
        tags: ["operations"],
        summary: "Liveness: the process answers",
        response: { 200: json("Alive", Health), ...ROUTE_ERRORS },
      },
    },
    async () => ({ status: "ok" as const }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["operations"],
        summary: "Readiness: a model is loaded and the service is not shutting down",
        response: { 200: json("Ready", Readiness), ...ROUTE_ERRORS, 503: E503 },
      },
    },
    async (request) => {
      const model = options.model();
      if (!model) throw notReady();
      request.modelId = model.ref.id;
      // Still ready: the model served answers well. Saying so here shows a promotion that did not take effect,
      // which the log and a counter alone left to be noticed.
      const failed = options.productionFailure?.();
      return {
        status: "ready" as const,
        model: model.ref,
        ...(failed ? { production_failed: failed } : {}),
      };
    },
  );

  const metricsText = options.metricsText ?? (() => metrics.registry.metrics());
  app.get(
    "/metrics",
    {
      schema: {
        tags: ["operations"],
        summary: "Prometheus metrics",
        description:
          'Request latency by method, route, status and model version (tagsmith_http_request_duration_seconds): every answered request, 4xx and 503 refusals included, labelled by route pattern (a 405 by the pattern of the path it was sent to, whose route lacks that method) and "unmatched" when no route has the path; suggestions by model and source (tagsmith_suggestions_total); errors by code and status (tagsmith_http_errors_total), which also counts requests too malformed to parse (no method or route to label them by); the model served (tagsmith_model_info); process metrics.',
        response: {
          200: {
            description: "Prometheus text format",
            content: { "text/plain": { schema: z.string() } },
          },
          ...ROUTE_ERRORS,
          503: json(
            "not_ready: with --workers, a worker's numbers could not be had within 3 s (a worker stopped or dying), so no sum is given rather than a smaller one; or shutting_down",
            ErrorBody,
          ),
        },
      },
    },
    async (_request, reply) => {
      reply.type(metrics.registry.contentType);
      return metricsText();
    },
  );

  app.get(
    "/openapi.json",
    {
      schema: {
        tags: ["operations"],
        summary: "This OpenAPI document",
        response: {
          200: {
            description: "OpenAPI 3.1",
            content: {
              "application/json": {
                schema: z.looseObject({
                  openapi: z.string(),
                  paths: z.record(z.string(), z.unknown()),
                }),
              },
            },
          },
          ...ROUTE_ERRORS,
        },
      },
    },
    async () => app.swagger() as { openapi: string; paths: Record<string, unknown> },
  );
}
