// `tagsmith serve`: the HTTP API over one model directory or a registry's production model (serve/).

import cluster from "node:cluster";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";
import { Command, InvalidArgumentError, Option } from "commander";
import { TagsmithError } from "../errors.js";
import {
  DEFAULT_REVIEW_POLICY,
  formatReviewPolicy,
  parseReviewPolicy,
  type ReviewPolicy,
} from "../feedback/index.js";
import { errnoOf, PACKAGE_ROOT } from "../files/index.js";
import { ModelRegistry } from "../registry/index.js";
// Only what the options need: the service itself (fastify, prom-client) is imported when it runs, so every
// other command starts without loading it (about 0.2 s of a command's start).
import { DEFAULT_BODY_LIMIT, DEFAULT_RATE_LIMIT } from "../serve/limits.js";
import { LOG_LEVELS } from "../serve/logger.js";
import { DEFAULT_POLL_MS } from "../serve/model-source.js";
import { gitCommit } from "./code-version.js";
import { storeOptions } from "./content-store.js";
import { registryOption } from "./models.js";
import { integer, positiveInteger, workerCount } from "./options.js";
import { action } from "./run.js";

function port(value: string): number {
  const n = integer(value);
  if (n < 0 || n > 65_535)
    throw new InvalidArgumentError(`expected a port number 0..65535, got "${value}"`);
  return n;
}

function nonNegative(value: string): number {
  const n = integer(value);
  if (n < 0) throw new InvalidArgumentError(`expected 0 or more, got "${value}"`);
  return n;
}

/** --review conflicts | sample:R | all, as a usage error naming the option when it is none of them. */
function reviewPolicy(value: string): ReviewPolicy {
  try {
    return parseReviewPolicy(value);
  } catch (error) {
    if (error instanceof TagsmithError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/** Why an address given with --host cannot be listened on, by errno. */
const HOST_ERRORS: Readonly<Record<string, string>> = {
  ENOTFOUND: "no such address or host name",
  EAI_AGAIN: "the host name could not be looked up",
  EADDRNOTAVAIL: "not an address of this machine",
};

/**
 * Listens on --host and --port for a moment (exclusive, so a cluster worker does not announce it) before the model
 * is loaded and the store opened: a mistyped address or a port in use is one line at once, not a stack trace or a
 * refusal after seconds of loading (and an empty store left behind). Other errors are left for the real listen.
 */
async function checkListen(host: string, port: number): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen({ host, port, exclusive: true }, resolve);
    });
  } catch (error) {
    const code = errnoOf(error) ?? "";
    const why = HOST_ERRORS[code];
    if (why)
      throw new TagsmithError(
        "usage",
        `--host ${host} cannot be listened on (${code}: ${why}): give an address of this machine, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)`,
      );
    const { listenRefusal } = await import("../serve/server.js");
    const refusal = listenRefusal(host, port, error);
    if (refusal) throw refusal;
  } finally {
    if (server.listening) await new Promise((resolve) => server.close(resolve));
  }
}

/** Shorter admin tokens are refused: 16 random characters are beyond guessing over HTTP. */
export const MIN_ADMIN_TOKEN_CHARS = 16;
/**
 * Tokens of fewer different characters are refused too: "aaaaaaaaaaaaaaaa" is long enough and among the first a
 * guesser tries (the rate limit slows guesses; it does not stop a short list of likely ones).
 */
export const MIN_ADMIN_TOKEN_DISTINCT = 8;

/**
 * The admin routes' token: TAGSMITH_ADMIN_TOKEN, or one made up for this run (the service prints it once it
 * listens). It is put in the environment, so cluster workers (started with this environment) share it.
 */
function adminToken(): { adminToken: string; announceAdminToken: boolean } {
  const given = process.env.TAGSMITH_ADMIN_TOKEN;
  if (given) {
    // The token opens the review queue, labels and promotions: a guessable one, or the deploy example's placeholder
    // left in, is refused at start rather than found out later. (Never quoted: it is a secret, or meant to be.)
    const placeholder = /CHANGE-ME/i.test(given);
    if (placeholder || given.length < MIN_ADMIN_TOKEN_CHARS)
      throw new TagsmithError(
        "usage",
        `TAGSMITH_ADMIN_TOKEN ${placeholder ? "is the deploy example's placeholder" : `has ${given.length} characters`}: an admin token must be at least ${MIN_ADMIN_TOKEN_CHARS} random characters (openssl rand -base64 24 makes one), or leave it unset for one made up at start`,
      );
    // A Bearer header carries one word: a token with spaces in it (or only spaces) could never be sent.
    if (/\s/.test(given))
      throw new TagsmithError(
        "usage",
        "TAGSMITH_ADMIN_TOKEN contains spaces or other whitespace, which an Authorization: Bearer header cannot carry: use random letters and digits (openssl rand -base64 24 makes one)",
      );
    const distinct = new Set(given).size;
    if (distinct < MIN_ADMIN_TOKEN_DISTINCT)
      throw new TagsmithError(
        "usage",
        `TAGSMITH_ADMIN_TOKEN has only ${distinct} different characters: an admin token must be random, with at least ${MIN_ADMIN_TOKEN_DISTINCT} different characters (openssl rand -base64 24 makes one), or leave it unset for one made up at start`,
      );
    return { adminToken: given, announceAdminToken: false };
  }
  const made = randomBytes(18).toString("base64url");
  process.env.TAGSMITH_ADMIN_TOKEN = made;
  return { adminToken: made, announceAdminToken: true };
}

export function serveCommand(version: string): Command {
  return new Command("serve")
    .description(
      "serve suggestions over HTTP (see /docs): one model directory, or a registry's production model, switching when another is promoted",
    )
    .addOption(registryOption())
    .option(
      "--model <dir>",
      "serve this model directory (as tagsmith train --out wrote it) instead of a registry",
    )
    .option("--port <n>", "TCP port (0: any free port, printed in the log)", port, 8080)
    .option("--host <address>", "address to listen on (0.0.0.0 for every interface)", "127.0.0.1")
    .option("--workers <n>", "processes sharing the port", workerCount, 1)
    .option(
      "--rate-limit <n>",
      "requests per minute per client address on /v1 routes (0: no limit)",
      nonNegative,
      DEFAULT_RATE_LIMIT,
    )
    .option(
      "--trust-proxy [hops]",
      "behind a proxy or ingress: take the client address from X-Forwarded-For (rate limit, logs), trusting that many proxies in front (default 1: the entry the ingress added, not what the client wrote)",
      positiveInteger,
    )
    .option(
      "--store <dir>",
      "directory of the embedded content store (content and feedback); with DATABASE_URL set, that PostgreSQL server is used instead",
      "store",
    )
    .option("--no-store", "keep no content or feedback: the suggestion API only")
    .addOption(
      new Option(
        "--review <policy>",
        "what saves put in the review queue: conflicts (tags the model never showed, confident suggestions not taken; reports always), sample:R (those plus every tag of a share R of content), or all",
      )
        .argParser(reviewPolicy)
        .default(DEFAULT_REVIEW_POLICY, formatReviewPolicy(DEFAULT_REVIEW_POLICY)),
    )
    .option("--body-limit <bytes>", "largest request body", positiveInteger, DEFAULT_BODY_LIMIT)
    .option(
      "--poll-ms <n>",
      "how often the registry is re-read besides watching it",
      positiveInteger,
      DEFAULT_POLL_MS,
    )
    .addOption(new Option("--log-level <level>", "log level").choices(LOG_LEVELS).default("info"))
    .action(
      action(async (opts, command: Command) => {
        const registrySource = command.getOptionValueSource("registry");
        if (opts.model && registrySource === "cli")
          throw new TagsmithError(
            "usage",
            "--model and --registry contradict each other: give one",
          );
        // The embedded defaults of `npm start`: no --registry or --model means ./models, trained on first run.
        const bootstrap = !opts.model && registrySource === "default";
        // A mistyped registry path would otherwise serve nothing, unready for ever: a file is refused (even the
        // default ./models), and a registry named by the user must exist (it may be empty).
        if (!opts.model) await new ModelRegistry(opts.registry).checkPath();
        if (!opts.model && !bootstrap && !existsSync(resolve(opts.registry))) {
          throw new TagsmithError(
            "usage",
            `registry directory ${resolve(opts.registry)} does not exist: check the path, or create it and promote a model into it`,
          );
        }
        // Workers re-run this action: the port is the primary's by then, so only the primary (or a lone process)
        // probes it; a worker's probe would always find it in use.
        if (cluster.isPrimary) await checkListen(opts.host, opts.port);
        const { serve } = await import("../serve/service.js");
        return serve({
          origin: opts.model
            ? { kind: "directory", dir: resolve(opts.model) }
            : { kind: "registry", dir: resolve(opts.registry) },
          port: opts.port,
          host: opts.host,
          workers: opts.workers,
          version,
          http: {
            bodyLimit: opts.bodyLimit,
            rateLimit: opts.rateLimit,
            // Given without a number: one proxy, the ingress in front.
            trustProxy: opts.trustProxy === true ? 1 : (opts.trustProxy ?? 0),
          },
          pollMs: opts.pollMs,
          logLevel: opts.logLevel,
          store: storeOptions(opts.store, opts.review),
          ...adminToken(),
          ...(bootstrap
            ? {
                bootstrap: {
                  candidates: [
                    {
                      name: "the shared Made With ML data",
                      data: resolve("../shared/data/mwml/projects.json"),
                      taxonomy: resolve("../shared/data/mwml/tags.json"),
                      // Categories (frameworks, tasks, methods, domains) for the 400 tags, so suggestions group.
                      overlay: resolve(PACKAGE_ROOT, "data/taxonomy/mwml-categories.json"),
                    },
                    {
                      name: "the bundled sample (data/sample/)",
                      data: resolve(PACKAGE_ROOT, "data/sample/content.json"),
                      taxonomy: resolve(PACKAGE_ROOT, "data/sample/taxonomy.json"),
                    },
                  ],
                  version,
                  commit: gitCommit,
                },
              }
            : {}),
        });
      }),
    );
}
