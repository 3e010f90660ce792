// Slow and idle clients: deadlines for a request's headers and for the whole request, a limit on silence, and a cap
// on connections per process, so one client holding many connections open cannot take every file descriptor (the
// registry watcher and the content store need some too).

import { readFileSync } from "node:fs";
import type { ServerOptions } from "node:http";

/** The whole request, headers and body, must arrive within this (a 2 MB body at 70 kB/s does). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** The request line and headers must arrive within this. */
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
/** At most this many connections per process, fewer when the process may open fewer files (FD_RESERVE kept). */
export const DEFAULT_MAX_CONNECTIONS = 10_000;
/** File descriptors kept for what is not a client: the model and registry files, their watcher, the store. */
const FD_RESERVE = 256;

export interface ConnectionLimits {
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
  maxConnections?: number;
}

/** The process's limit on open files (Linux), or null where it cannot be read. */
function openFileLimit(): number | null {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
    return line?.[1] ? Number(line[1]) : null;
  } catch {
    return null;
  }
}

/** The connection cap: as asked, else the default, but always leaving FD_RESERVE descriptors free. */
export function maxConnections(limits: ConnectionLimits): number {
  const files = openFileLimit();
  const wanted = limits.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  return files === null ? wanted : Math.max(1, Math.min(wanted, files - FD_RESERVE));
}

/**
 * Fastify's options for the deadlines. Node checks them every connectionsCheckingInterval (30 s by default, so a
 * headers deadline could be overrun by that much): a quarter of the headers deadline, at most a second. A connection
 * that sends nothing at all is in no request, so neither deadline sees it: silence for as long as a whole request may
 * take closes it (connectionTimeout, Node's socket timeout; after an answer, Fastify's keep-alive timeout applies).
 */
export function connectionDeadlines(limits: ConnectionLimits): {
  requestTimeout: number;
  connectionTimeout: number;
  http: ServerOptions;
} {
  const requestTimeout = limits.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const headersTimeout = Math.min(
    limits.headersTimeoutMs ?? DEFAULT_HEADERS_TIMEOUT_MS,
    requestTimeout,
  );
  return {
    requestTimeout,
    connectionTimeout: requestTimeout,
    http: {
      headersTimeout,
      requestTimeout,
      connectionsCheckingInterval: Math.max(10, Math.min(1_000, Math.floor(headersTimeout / 4))),
    },
  };
}
