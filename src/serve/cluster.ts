// --workers N: N serving processes share one port (node:cluster). The primary forks them, replaces one that dies
// (after a growing pause when they keep dying), forwards SIGTERM, and answers the workers' requests for metrics
// aggregated over all of them.

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

/**
 * How long to wait before replacing a worker that died: at once for the first death in a minute, then 1 s, 2 s, 4 s
 * ... at most 30 s, so a worker that crashes on every start-up or request does not spin both cores forking.
 */
export class RestartBackoff {
  readonly #deaths: number[] = [];

  constructor(
    private readonly baseMs = 1000,
    private readonly maxMs = 30_000,
    private readonly windowMs = 60_000,
  ) {}

  /** Records a death at `now` (ms) and returns the pause before the replacement starts. */
  next(now: number): number {
    while (this.#deaths.length > 0 && now - (this.#deaths[0] as number) >= this.windowMs)
      this.#deaths.shift();
    this.#deaths.push(now);
    const recent = this.#deaths.length;
    return recent === 1 ? 0 : Math.min(this.maxMs, this.baseMs * 2 ** (recent - 2));
  }
}

export interface PrimaryOptions {
  workers: number;
  logger: Logger;
  host: string;
  /** Resolves when every worker has stopped; then the primary exits. */
  shutdownSignals?: readonly NodeJS.Signals[];
  /** Called once, when every worker first listens (with the service's URL). */
  onListening?: (url: string) => void;
}

/**
 * Runs the primary until shutdown. Resolves with 0 after a graceful stop, or with the exit code of a worker that
 * died before the service first listened (a model that cannot be loaded, a port in use): restarting it would fail
 * the same way. A worker that dies later, even before it listened, is replaced.
 */
export function runPrimary(options: PrimaryOptions): Promise<number> {
  const { logger } = options;
  const aggregator = new AggregatorRegistry();
  const listening = new Set<number>();
  const backoff = new RestartBackoff();
  const restarts = new Set<NodeJS.Timeout>();
  let announced = false;
  let stopping = false;
  let exitCode = 0;

  return new Promise((resolve) => {
    const stop = (reason: string, code = 0) => {
      if (stopping) return;
      stopping = true;
      exitCode = code;
      for (const timer of restarts) clearTimeout(timer);
      restarts.clear();
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
        const url = `http://${host}:${address.port}`;
        logger.info(
          {
            url,
            port: address.port,
            host: options.host,
            workers: options.workers,
          },
          "listening",
        );
        options.onListening?.(url);
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
      // Before the service was first ready, a worker that cannot start means the service cannot (a model that
      // cannot be loaded, a port in use): say so by exiting. After, the others are serving: a replacement that fails
      // to start (its model moved away, the database down) is one more death to retry after a pause, and stopping
      // the healthy workers for it would turn one lost process into an outage.
      if (!wasListening && !announced) {
        logger.error(
          { worker: worker.process.pid, code, signal },
          "a worker failed to start: stopping",
        );
        stop("worker failed to start", code || 1);
        return;
      }
      const restartInMs = backoff.next(Date.now());
      logger.error(
        { worker: worker.process.pid, code, signal, restartInMs },
        wasListening
          ? "a worker died: starting another"
          : "a replacement worker failed to start: starting another",
      );
      const timer = setTimeout(() => {
        restarts.delete(timer);
        fork();
      }, restartInMs);
      restarts.add(timer);
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
