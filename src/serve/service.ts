// `tagsmith serve` as a function: first-run training when asked, one process or a cluster of workers, and the
// signals that stop it. Resolves with the exit code once the service has stopped.

import cluster from "node:cluster";
import type { LevelWithSilent, Logger } from "pino";
import { TagsmithError } from "../errors.js";
import type { StoreOptions } from "../store/index.js";
import type { HttpPolicy } from "./app.js";
import { type BootstrapOptions, ensureProductionModel } from "./bootstrap.js";
import { clusterMetricsText, runPrimary } from "./cluster.js";
import { createLogger } from "./logger.js";
import type { ModelOrigin } from "./model-source.js";
import { startServer } from "./server.js";

export interface ServeOptions {
  origin: ModelOrigin;
  port: number;
  host: string;
  workers: number;
  version: string;
  http?: HttpPolicy;
  pollMs?: number;
  logLevel?: LevelWithSilent;
  logger?: Logger;
  /** The admin routes' bearer token (the same in every worker); null: admin routes answer 401. */
  adminToken?: string | null;
  /**
   * The token was made up for this run: say it once listening, or nobody could use the admin console. Said by the
   * primary alone: workers inherit the token through the environment, where it looks given.
   */
  announceAdminToken?: boolean;
  /** The content store each process opens; null: none (content and feedback routes answer 503). */
  store: StoreOptions | null;
  /** With a registry: train, register and promote a model first if it has none (`npm start`'s first run). */
  bootstrap?: Omit<BootstrapOptions, "registryDir" | "logger">;
}

/**
 * Ends a worker once the CLI has set its exit code: its channel to the primary would keep it alive, and closing the
 * channel would make node:cluster exit with 0 whatever went wrong.
 */
function releaseWorker(): void {
  if (cluster.isWorker) setImmediate(() => process.exit());
}

/** One line with a token made up for this run; a token that was given is never printed. */
function announceAdminToken(options: ServeOptions, url: string): void {
  if (options.announceAdminToken && options.adminToken)
    process.stderr.write(
      `tagsmith: admin console at ${url}/admin, token for this run: ${options.adminToken} (set TAGSMITH_ADMIN_TOKEN to choose one)\n`,
    );
}

export async function serve(options: ServeOptions): Promise<number> {
  const logger = options.logger ?? createLogger(options.logLevel);
  const clustered = options.workers > 1;
  if (clustered && options.store && !options.store.databaseUrl)
    throw new TagsmithError(
      "usage",
      `--workers ${options.workers}: the embedded content store belongs to one process: set DATABASE_URL to a PostgreSQL server, use --workers 1, or --no-store`,
    );
  if (cluster.isPrimary) {
    if (options.bootstrap && options.origin.kind === "registry")
      await ensureProductionModel({
        ...options.bootstrap,
        registryDir: options.origin.dir,
        logger,
      });
    // Workers run this same command again; they skip the bootstrap above and start serving below.
    if (clustered)
      return runPrimary({
        workers: options.workers,
        logger,
        host: options.host,
        onListening: (url) => announceAdminToken(options, url),
      });
  }

  const server = await startServer({
    origin: options.origin,
    port: options.port,
    host: options.host,
    logger,
    version: options.version,
    ...(options.http ? { http: options.http } : {}),
    ...(options.pollMs !== undefined ? { pollMs: options.pollMs } : {}),
    ...(cluster.isWorker ? { metricsText: clusterMetricsText } : {}),
    ...(options.store ? { store: options.store } : {}),
    adminToken: options.adminToken ?? null,
  }).catch((error: unknown) => {
    // A worker that cannot start must exit (its channel to the primary would keep it alive): the primary sees
    // the exit code and stops.
    releaseWorker();
    throw error;
  });
  const model = server.model();
  logger.info(
    {
      url: server.url,
      port: server.port,
      host: options.host,
      model: model?.ref ?? null,
      ...(cluster.isWorker ? {} : { workers: 1, docs: `${server.url}/docs` }),
    },
    cluster.isWorker ? "worker listening" : "listening",
  );
  if (cluster.isPrimary) announceAdminToken(options, server.url);

  return new Promise((resolve) => {
    const stop = (reason: string) => {
      server.close(reason).then(
        () => stopped(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          stopped(1);
        },
      );
    };
    const stopped = (code: number) => {
      releaseWorker();
      // Nothing should be left running; if something is, it must not keep a stopped service's process alive.
      setTimeout(() => process.exit(code), 2_000).unref();
      resolve(code);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
    // A worker whose primary is gone stops too.
    if (cluster.isWorker) process.once("disconnect", () => stop("primary gone"));
  });
}
