// Prometheus metrics: request latency by route and model, suggestions served, errors by code, the model in use.
// One registry per process; with --workers the primary aggregates the workers' registries (cluster.ts).

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { ServedModel } from "./served-model.js";

export interface ServiceMetrics {
  registry: Registry;
  requestSeconds: Histogram<"method" | "route" | "status" | "model">;
  suggestions: Counter<"model" | "source">;
  errors: Counter<"code" | "status">;
  modelInfo: Gauge<"model" | "version" | "kind">;
  modelLoadFailures: Counter<"model">;
  modelSwitches: Counter;
}

export function createMetrics(): ServiceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "tagsmith_" });
  // Each worker reports the same limit; summed over --workers (prom-client's default for a gauge) it would read as
  // several times the limit any one process has.
  const maxFds = registry.getSingleMetric("tagsmith_process_max_fds");
  if (maxFds) Object.assign(maxFds, { aggregator: "max" });
  return {
    registry,
    requestSeconds: new Histogram({
      name: "tagsmith_http_request_duration_seconds",
      // Every answered request, errors included, by route pattern (a 405's too: its path has a route, not for that
      // method); "unmatched" for a route when no route has the path (observation.ts).
      help: "Time to answer a request, by method, route, status and the model version that answered",
      labelNames: ["method", "route", "status", "model"],
      // Suggestions take about a millisecond: fine buckets at the bottom, the rest for queues under load.
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    suggestions: new Counter({
      name: "tagsmith_suggestions_total",
      help: "Tags suggested, by model version and source (explicit or implicit)",
      labelNames: ["model", "source"],
      registers: [registry],
    }),
    errors: new Counter({
      name: "tagsmith_http_errors_total",
      help: "Error responses by API error code and HTTP status",
      labelNames: ["code", "status"],
      registers: [registry],
    }),
    modelInfo: new Gauge({
      name: "tagsmith_model_info",
      help: "The model version being served (1) by id, training time and kind",
      labelNames: ["model", "version", "kind"],
      registers: [registry],
      // Every worker serves the same model once a switch settles: the aggregate is 1, not the number of workers.
      aggregator: "max",
    }),
    modelLoadFailures: new Counter({
      name: "tagsmith_model_load_failures_total",
      help: "Production models that failed to load (the previous model kept serving)",
      labelNames: ["model"],
      registers: [registry],
    }),
    modelSwitches: new Counter({
      name: "tagsmith_model_switches_total",
      help: "Times the served model changed while running",
      registers: [registry],
    }),
  };
}

export function recordSwitch(
  metrics: ServiceMetrics,
  model: ServedModel,
  previous: ServedModel | null,
): void {
  metrics.modelInfo.reset();
  metrics.modelInfo.set(
    { model: model.ref.id, version: model.ref.version, kind: model.manifest.kind },
    1,
  );
  if (previous) metrics.modelSwitches.inc();
}
