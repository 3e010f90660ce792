// One serving process: loads the model, listens, and shuts down gracefully (new requests get 503 while the ones in
// flight finish, for a moment also on connections clients keep alive, then the listener and connections close).

import { existsSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "pino";
import { TagsmithError } from "../errors.js";
import { type ContentStore, openStore, type StoreOptions } from "../store/index.js";
import { buildApp, type Drain, type HttpPolicy, type ServiceApp } from "./app.js";
import { createMetrics, recordSwitch, type ServiceMetrics } from "./metrics.js";
import { type ModelOrigin, ModelSource } from "./model-source.js";
import type { ServedModel } from "./served-model.js";

export interface ServerOptions {
  origin: ModelOrigin;
  port: number;
  host: string;
  logger: Logger;
  version: string;
  http?: HttpPolicy;
  pollMs?: number;
  /** Longest wait for in-flight requests at shutdown before connections are cut. */
  shutdownTimeoutMs?: number;
  /** How long open connections are still answered (503) at shutdown: DEFAULT_SHUTDOWN_GRACE_MS. */
  shutdownGraceMs?: number;
  /** Prometheus text for /metrics (cluster workers aggregate through the primary). */
  metricsText?: (metrics: ServiceMetrics) => () => Promise<string>;
  /** The admin routes' bearer token; absent: they answer 401. */
  adminToken?: string | null;
  /** The content store to open (migrations run now) and close at shutdown; absent: no content routes. */
  store?: StoreOptions;
}

export interface RunningServer {
  url: string;
  port: number;
  app: ServiceApp;
  metrics: ServiceMetrics;
  /** The content store, when the server has one. */
  store: ContentStore | null;
  /** The model answering now. */
  model: () => ServedModel | null;
  /** Reads the registry's production pointer now (tests; the watcher does it on its own). */
  check: () => Promise<void>;
  /** Graceful: refuses new requests with 503, waits for in-flight ones, closes. Idempotent. */
  close: (reason?: string) => Promise<void>;
}

export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/**
 * At shutdown, connections already open are kept this long (or until none has been open for SHUTDOWN_IDLE_MS) and their requests
 * answered 503 shutting_down with Connection: close, rather than closed at once: a request a client had already sent
 * on a kept-alive connection would otherwise meet a reset, and a client cannot tell whether a reset PUT was saved.
 * New connections are still accepted meanwhile, for a load balancer that has not yet seen readiness turn 503.
 */
export const DEFAULT_SHUTDOWN_GRACE_MS = 1_000;
/** No connection open this long at shutdown: the clients are gone, the grace need not run out. */
const SHUTDOWN_IDLE_MS = 200;

/** Why a port cannot be listened on, by errno: a usage mistake, not a bug. */
const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: "address in use",
  EACCES: "permission denied",
  EADDRNOTAVAIL: "no such local address",
};

/**
 * Opens the content store, saying so in the log: creating an embedded store takes seconds (its database is
 * initialised), which would otherwise be a silent pause between "model loaded" and "listening".
 */
async function openLoggedStore(store: StoreOptions, logger: Logger): Promise<ContentStore> {
  const where = store.databaseUrl
    ? { engine: "postgres" }
    : { engine: "embedded", dir: store.dir ?? "(in memory)" };
  const fresh = store.dir !== undefined && !store.databaseUrl && !existsSync(store.dir);
  logger.info(
    where,
    fresh ? "creating the content store (a few seconds)" : "opening the content store",
  );
  const start = performance.now();
  const opened = await openStore(store);
  logger.info({ ...where, ms: Math.round(performance.now() - start) }, "content store ready");
  return opened;
}

/** A listen error that is the user's to fix (port in use, privileged port, foreign address) as one clear line. */
export function listenRefusal(
  host: string,
  port: number,
  error: unknown,
): TagsmithError | undefined {
  const code = (error as NodeJS.ErrnoException).code ?? "";
  const why = LISTEN_ERRORS[code];
  if (!why) return undefined;
  return new TagsmithError(
    "usage",
    `cannot listen on ${host}:${port} (${code}: ${why}): choose another --port or --host`,
  );
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { logger } = options;
  const metrics = createMetrics();
  const source = new ModelSource({
    origin: options.origin,
    logger,
    ...(options.pollMs ? { pollMs: options.pollMs } : {}),
    onSwitch: (model, previous) => recordSwitch(metrics, model, previous),
    onLoadFailure: (id) => metrics.modelLoadFailures.inc({ model: id }),
  });
  await source.start();
  // One cleanup for whatever started before a failure: the model source's watcher and poll, the store (an embedded
  // one's directory lock held by this live process would refuse the next start in it), the app.
  let store: ContentStore | null = null;
  let app: ServiceApp | undefined;
  let drain: Drain;
  try {
    store = options.store ? await openLoggedStore(options.store, logger) : null;
    ({ app, drain } = await buildApp({
      store,
      listenHost: options.host,
      origin: options.origin,
      adminToken: options.adminToken ?? null,
      model: () => source.current,
      productionFailure: () => source.productionFailure,
      logger,
      metrics,
      version: options.version,
      ...(options.http ? { http: options.http } : {}),
      ...(options.metricsText ? { metricsText: options.metricsText(metrics) } : {}),
    }));
    await app.listen({ port: options.port, host: options.host });
  } catch (error) {
    await Promise.allSettled([source.stop(), app?.close(), store?.close()]);
    throw listenRefusal(options.host, options.port, error) ?? error;
  }
  const { port } = app.server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    app,
    metrics,
    store,
    model: () => source.current,
    check: () => source.check(),
    close: (reason = "close") => {
      closing ??= shutdown(app, drain, source, logger, reason, {
        timeoutMs: options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS,
        graceMs: options.shutdownGraceMs ?? DEFAULT_SHUTDOWN_GRACE_MS,
      }).finally(() => store?.close());
      return closing;
    },
  };
}

async function shutdown(
  app: ServiceApp,
  drain: Drain,
  source: ModelSource,
  logger: Logger,
  reason: string,
  { timeoutMs, graceMs }: { timeoutMs: number; graceMs: number },
): Promise<void> {
  const start = Date.now();
  drain.draining = true;
  logger.info({ reason, inflight: drain.inflight }, "shutting down: new requests get 503");
  await source.stop();
  const connections = () =>
    new Promise<number>((resolve) => app.server.getConnections((_, count) => resolve(count ?? 0)));
  const graceEnd = start + Math.min(graceMs, timeoutMs);
  // Ends early once no connection has been open for a moment, not at the first instant none is: a client answered
  // 503 with Connection: close often retries at once, and between its close and its reconnect none is open.
  let idleSince = Date.now();
  while (Date.now() < graceEnd && Date.now() - idleSince < SHUTDOWN_IDLE_MS) {
    if ((await connections()) > 0) idleSince = Date.now();
    await sleep(10);
  }
  const deadline = start + timeoutMs;
  while (drain.inflight > 0 && Date.now() < deadline) await sleep(10);
  if (drain.inflight > 0)
    logger.warn({ inflight: drain.inflight }, "shutdown timeout: cutting requests still in flight");
  // Nothing is in flight: idle keep-alive connections are closed rather than waited for.
  const closed = app.close();
  app.server.closeAllConnections();
  await closed;
  logger.info({ reason }, "stopped");
}
