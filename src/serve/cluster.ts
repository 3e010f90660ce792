// --workers N: N serving processes share one port (node:cluster). The primary forks them, replaces one that dies
// (after a growing pause when they keep dying), forwards SIGTERM, and answers the workers' requests for metrics
// summed over all of them.

import cluster, { type Worker } from "node:cluster";
import type { Logger } from "pino";
import { AggregatorRegistry, type MetricObjectWithValues, type MetricValue } from "prom-client";
import { ApiError } from "./errors.js";
import type { ServiceMetrics } from "./metrics.js";

/** Worker -> primary: the sum over every worker, for /metrics. */
const METRICS_REQUEST = "tagsmith:metrics-request";
/** Primary -> worker: that sum, or why it could not be had. */
const METRICS_REPLY = "tagsmith:metrics-reply";
/** Primary -> worker: this worker's own numbers. */
const METRICS_COLLECT = "tagsmith:metrics-collect";
/** Worker -> primary: its own numbers. */
const METRICS_OWN = "tagsmith:metrics-own";

/**
 * How long the primary waits for every worker's numbers. A scrape fails after this (a worker stopped, or too busy to
 * answer), well within Prometheus's usual 10 s scrape timeout, so Prometheus records the target down rather than
 * timing out itself.
 */
export const METRICS_TIMEOUT_MS = 3_000;

type WorkerMetrics = MetricObjectWithValues<MetricValue<string>>[];

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
interface MetricsCollect {
  type: typeof METRICS_COLLECT;
  id: number;
}
interface MetricsOwn {
  type: typeof METRICS_OWN;
  id: number;
  metrics: WorkerMetrics;
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
  const listening = new Set<number>();
  const metrics = new WorkerMetricsCollector(listening);
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
      worker.on("message", (message: MetricsRequest | MetricsOwn) => {
        if (message?.type === METRICS_OWN) metrics.received(worker, message);
        if (message?.type !== METRICS_REQUEST) return;
        const answer = (reply: Omit<MetricsReply, "type" | "id">) => {
          if (worker.isConnected())
            worker.send({ type: METRICS_REPLY, id: message.id, ...reply } satisfies MetricsReply);
        };
        metrics.sum().then(
          (text) => answer({ text }),
          (error: Error) => {
            logger.warn({ err: error }, "metrics: cannot sum over the workers");
            answer({ error: error.message });
          },
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
      metrics.exited(worker);
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

    // Each worker accepts its own connections from the shared socket (SCHED_NONE). With Node's default on Linux,
    // round robin, the primary accepts and hands each connection over; one handed to a worker that dies before taking
    // it is never answered nor closed (nodejs/node#21746): every worker death left a few clients waiting for ever and
    // a socket open in the primary. The kernel spreads 32 kept-alive connections evenly over two workers here
    // (bench:serve). The cost: with every worker dead at once, new connections are refused rather than queued.
    cluster.schedulingPolicy = cluster.SCHED_NONE;
    for (let i = 0; i < options.workers; i++) fork();
  });
}

/**
 * In the primary: gathers every listening worker's own numbers and sums them (prom-client's aggregation). A worker
 * that is not listening yet is left out: it has served nothing. The sum fails, rather than leaving a worker out,
 * when one does not answer in time or dies meanwhile: a sum short of a worker would go backwards, which Prometheus
 * reads as a counter reset.
 */
class WorkerMetricsCollector {
  readonly #pending = new Map<
    number,
    { waiting: Map<number, number>; parts: WorkerMetrics[]; done: (error?: Error) => void }
  >();
  #next = 0;

  constructor(private readonly listening: ReadonlySet<number>) {}

  sum(): Promise<string> {
    return new Promise((resolve, reject) => {
      const id = this.#next++;
      const workers = [...this.listening]
        .map((workerId) => cluster.workers?.[workerId])
        .filter((worker): worker is Worker => worker?.isConnected() === true);
      const parts: WorkerMetrics[] = [];
      const waiting = new Map(workers.map((worker) => [worker.id, worker.process.pid ?? 0]));
      const timer = setTimeout(
        () =>
          done(
            new Error(
              `worker ${[...waiting.values()].join(", ")} did not report its metrics within ${METRICS_TIMEOUT_MS / 1000} s`,
            ),
          ),
        METRICS_TIMEOUT_MS,
      );
      const done = (error?: Error) => {
        if (!this.#pending.delete(id)) return;
        clearTimeout(timer);
        if (error) reject(error);
        else AggregatorRegistry.aggregate(parts).metrics().then(resolve, reject);
      };
      this.#pending.set(id, { waiting, parts, done });
      if (workers.length === 0) done();
      for (const worker of workers)
        worker.send({ type: METRICS_COLLECT, id } satisfies MetricsCollect);
    });
  }

  received(worker: Worker, message: MetricsOwn): void {
    const request = this.#pending.get(message.id);
    if (!request?.waiting.delete(worker.id)) return;
    request.parts.push(message.metrics);
    if (request.waiting.size === 0) request.done();
  }

  exited(worker: Worker): void {
    for (const request of this.#pending.values())
      if (request.waiting.has(worker.id))
        request.done(
          new Error(`worker ${worker.process.pid} exited before it reported its metrics`),
        );
  }
}

/**
 * In a worker: /metrics answers the primary's sum over all workers, or fails (503) when that sum cannot be had:
 * this worker's numbers alone would look like a counter reset.
 */
export function clusterMetricsText(metrics: ServiceMetrics): () => Promise<string> {
  const pending = new Map<number, (reply: MetricsReply) => void>();
  let next = 0;
  process.on("message", (message: MetricsReply | MetricsCollect) => {
    if (message?.type === METRICS_REPLY) pending.get(message.id)?.(message);
    if (message?.type === METRICS_COLLECT)
      metrics.registry
        .getMetricsAsJSON()
        .then((own) =>
          toPrimary({ type: METRICS_OWN, id: message.id, metrics: own } satisfies MetricsOwn),
        )
        // A collector that throws: the primary's wait runs out and that scrape fails, which is all this worker can
        // say; a rejection left unhandled would end the worker. A channel closed meanwhile: toPrimary sends nothing.
        .catch(() => undefined);
  });
  const unavailable = (why: string) =>
    new ApiError("not_ready", `the metrics summed over the workers are unavailable: ${why}`);
  return () =>
    new Promise<string>((resolve, reject) => {
      const id = next++;
      // The primary answers within METRICS_TIMEOUT_MS, success or not; this is for a primary that cannot.
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(unavailable("the primary process did not answer"));
      }, METRICS_TIMEOUT_MS + 1_000);
      const answered = (reply: MetricsReply) => {
        clearTimeout(timer);
        pending.delete(id);
        if (reply.text !== undefined) resolve(reply.text);
        else reject(unavailable(reply.error ?? "no reason given"));
      };
      pending.set(id, answered);
      toPrimary({ type: METRICS_REQUEST, id } satisfies MetricsRequest, (error) =>
        answered({
          type: METRICS_REPLY,
          id,
          error: `the primary process is gone (${error.message})`,
        }),
      );
    });
}

/**
 * Sends `message` to the primary; `failed` hears why it could not be sent. Never without a callback: a send on a
 * channel that has closed (the primary killed) emits "error" on process, which nobody hears, and the worker would die
 * at once rather than stop gracefully on "disconnect" (service.ts).
 */
function toPrimary(
  message: MetricsOwn | MetricsRequest,
  failed: (error: Error) => void = () => {},
): void {
  if (!process.connected || !process.send) {
    failed(new Error("its channel to this worker is closed"));
    return;
  }
  process.send(message, undefined, {}, (error: Error | null) => {
    if (error) failed(error);
  });
}
