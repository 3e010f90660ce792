// --workers N: N serving processes share one port (node:cluster). The primary forks them, replaces one that dies,
// forwards SIGTERM, and answers the workers' requests for metrics aggregated over all of them.

import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { AggregatorRegistry } from "prom-client";
import type { ServiceMetrics } from "./metrics.js";

const METRICS_REQUEST = "tagsmith:metrics-request";
const METRICS_REPLY = "tagsmith:metrics-reply";

interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: number;
}
interface MetricsReply {
  type: typeof METRICS_REPLY;
  id: number;
  text?: string;
  error?: string;
}

export interface PrimaryOptions {
  workers: number;
  logger: Logger;
  host: string;
  /** Resolves when every worker has stopped; then the primary exits. */
  shutdownSignals?: readonly NodeJS.Signals[];
}

/**
 * Runs the primary until shutdown. Resolves with 0 after a graceful stop, or with the exit code of a worker that
 * died before it listened (a model that cannot be loaded, a port in use): restarting it would fail the same way.
 */
export function runPrimary(options: PrimaryOptions): Promise<number> {
  const { logger } = options;
  const aggregator = new AggregatorRegistry();
  const listening = new Set<number>();
  let announced = false;
  let stopping = false;
  let exitCode = 0;

  return new Promise((resolve) => {
    const stop = (reason: string, code = 0) => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      logger.info(
        { reason, workers: Object.keys(cluster.workers ?? {}).length },
        "stopping workers",
      );
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill("SIGTERM");
      if (Object.keys(cluster.workers ?? {}).length === 0) resolve(exitCode);
    };
    for (const signal of options.shutdownSignals ?? ["SIGTERM", "SIGINT"])
      process.once(signal, () => stop(signal));

    const fork = () => {
      const worker = cluster.fork();
      worker.on("message", (message: MetricsRequest) => {
        if (message?.type !== METRICS_REQUEST) return;
        aggregator.clusterMetrics().then(
          (text) =>
            worker.send({ type: METRICS_REPLY, id: message.id, text } satisfies MetricsReply),
          (error: Error) =>
            worker.send({
              type: METRICS_REPLY,
              id: message.id,
              error: error.message,
            } satisfies MetricsReply),
        );
      });
      return worker;
    };

    cluster.on("listening", (worker: Worker, address) => {
      listening.add(worker.id);
      if (!announced && listening.size === options.workers) {
        announced = true;
        const host = options.host.includes(":") ? `[${options.host}]` : options.host;
        logger.info(
          {
            url: `http://${host}:${address.port}`,
            port: address.port,
            host: options.host,
            workers: options.workers,
          },
          "listening",
        );
      }
    });
    cluster.on("exit", (worker: Worker, code, signal) => {
      const wasListening = listening.delete(worker.id);
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) {
          logger.info({}, "stopped");
          resolve(exitCode);
        }
        return;
      }
      if (!wasListening) {
        logger.error(
          { worker: worker.process.pid, code, signal },
          "a worker failed to start: stopping",
        );
        stop("worker failed to start", code || 1);
        return;
      }
      logger.error({ worker: worker.process.pid, code, signal }, "a worker died: starting another");
      fork();
    });

    for (let i = 0; i < options.workers; i++) fork();
  });
}

/** In a worker: /metrics answers the primary's aggregate over all workers, or this worker's alone if that fails. */
export function clusterMetricsText(metrics: ServiceMetrics): () => Promise<string> {
  AggregatorRegistry.setRegistries([metrics.registry]);
  // Constructing one registers the worker's side of prom-client's cluster protocol.
  new AggregatorRegistry();
  const pending = new Map<number, (reply: MetricsReply) => void>();
  let next = 0;
  process.on("message", (message: MetricsReply) => {
    if (message?.type === METRICS_REPLY) pending.get(message.id)?.(message);
  });
  return () =>
    new Promise<string>((resolve) => {
      const id = next++;
      const own = () => {
        pending.delete(id);
        resolve(metrics.registry.metrics());
      };
      const timer = setTimeout(own, 5_000);
      pending.set(id, (reply) => {
        clearTimeout(timer);
        pending.delete(id);
        if (reply.text !== undefined) resolve(reply.text);
        else own();
      });
      process.send?.({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
    });
}
