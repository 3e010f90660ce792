// Reading a JSON request body ourselves rather than with Fastify's parser, for two answers it cannot give: a body
// that stops arriving short of its Content-Length (408 after a pause, not a connection held for minutes), and a
// prototype-poisoning key refused as such rather than as "not valid JSON".

import type { Readable } from "node:stream";
import type { FastifyRequest } from "fastify";
import { strictUtf8 } from "../files/index.js";
import type { ServiceApp } from "./app.js";
import { ApiError, bodyTooLarge, contentLengthMismatch, fieldPath } from "./errors.js";

/**
 * How long a body may go without a byte before the request is answered 408 and its connection closed. A pause, not
 * a deadline: a slow client sending a large body keeps going as long as bytes keep coming.
 */
export const DEFAULT_BODY_IDLE_MS = 5_000;

// JSON.parse keeps "__proto__" as an own key; code that later copies or merges the object would set a prototype
// from it. Bodies are searched for such keys only when the text could hold one (possibly spelt with \u escapes).
const SUSPECT = /__proto__|constructor|\\u/;

/** A node of a parsed body still to search, linked to its parent so a path is built only for a key found. */
interface Pending {
  node: unknown;
  parent: Pending | null;
  key: PropertyKey;
}

function pathTo(entry: Pending): PropertyKey[] {
  const path: PropertyKey[] = [];
  for (let at: Pending | null = entry; at?.parent; at = at.parent) path.push(at.key);
  return path.reverse();
}

/**
 * Where in a parsed body a `__proto__` key, or `constructor` holding `prototype`, is, or null. Linear in the body:
 * copying the path into every node's entry made a 64 kB body of nested arrays take 50 s of the one thread.
 */
function poisonedKey(value: unknown): PropertyKey[] | null {
  const pending: Pending[] = [{ node: value, parent: null, key: "" }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { node } = next;
    if (typeof node !== "object" || node === null) continue;
    if (Object.hasOwn(node, "__proto__")) return [...pathTo(next), "__proto__"];
    const ctor = Object.hasOwn(node, "constructor")
      ? (node as { constructor: unknown }).constructor
      : undefined;
    if (typeof ctor === "object" && ctor !== null && Object.hasOwn(ctor, "prototype"))
      return [...pathTo(next), "constructor", "prototype"];
    const isArray = Array.isArray(node);
    for (const [key, child] of Object.entries(node))
      if (typeof child === "object" && child !== null)
        pending.push({ node: child, parent: next, key: isArray ? Number(key) : key });
  }
  return null;
}

/**
 * A body's bytes as text; bytes that are not UTF-8 are refused, not replaced by U+FFFD and stored so (a Latin-1
 * "café" saved as "caf\uFFFD"). A byte order mark is dropped, as RFC 8259 allows. A charset parameter is ignored:
 * JSON is UTF-8, and RFC 8259 gives the parameter no effect (ASCII labelled iso-8859-1 is fine; Latin-1 letters fail
 * here whatever the label says).
 */
export function utf8Text(bytes: Uint8Array): string {
  const text = strictUtf8(bytes);
  if (text === undefined)
    throw new ApiError(
      "invalid_json",
      "body: not valid UTF-8: send the JSON body encoded as UTF-8",
      { field: "body" },
    );
  return text;
}

/** Levels of a deep path named at each end. */
const PATH_ENDS = 4;

/** A request body's text as a JSON value, or the API's error saying why not. */
export function parseJsonBody(text: string): unknown {
  if (text === "")
    throw new ApiError("invalid_json", "body: empty, expected a JSON object", { field: "body" });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError("invalid_json", `body: not valid JSON (${(error as Error).message})`, {
      field: "body",
    });
  }
  const poisoned = SUSPECT.test(text) ? poisonedKey(value) : null;
  if (poisoned) {
    // A key thousands of levels down is named by its first and last levels, not by a path of megabytes.
    const field =
      poisoned.length > 2 * PATH_ENDS
        ? `${fieldPath(poisoned.slice(0, PATH_ENDS))}...(${poisoned.length - 2 * PATH_ENDS} levels)...${fieldPath(poisoned.slice(-PATH_ENDS)).replace(/^(?=[^[])/, ".")}`
        : fieldPath(poisoned);
    throw new ApiError(
      "invalid_request",
      `invalid body: ${field}: a __proto__ or constructor.prototype key is not accepted (it could change how every object behaves): rename or remove it`,
      { field },
    );
  }
  return value;
}

/** The most of an unwanted body (one no route takes) read and thrown away before its connection is closed. */
const MAX_DISCARDED_BYTES = 4 * 1024 * 1024;

type ParserDone = (error: Error | null, body?: unknown) => void;

interface PendingBody {
  /** When the last byte (or the request) came, by performance.now(). */
  lastByte: number;
  timeOut: () => void;
}

/**
 * Fastify's content-type parser for application/json: reads the body up to the route's limit, answers 408 when no
 * byte has come for `idleMs`, checks the length against Content-Length, then parses. One sweep every idleMs / 4
 * finds stalled bodies, rather than a timer per request: a timer each cost about 8% of suggestions per second.
 * `stop` ends the sweeps (the server closing).
 */
export function jsonBodyParser(idleMs: number): {
  parse: (request: FastifyRequest, payload: Readable, done: ParserDone) => void;
  stop: () => void;
} {
  const pending = new Set<PendingBody>();
  const sweep = setInterval(
    () => {
      const stalledSince = performance.now() - idleMs;
      for (const body of pending) if (body.lastByte <= stalledSince) body.timeOut();
    },
    Math.max(10, idleMs / 4),
  );
  sweep.unref();
  const discard = (payload: Readable, limit: number): void => {
    let received = 0;
    const close = () => {
      pending.delete(body);
      payload.destroy();
    };
    const body: PendingBody = { lastByte: performance.now(), timeOut: close };
    pending.add(body);
    payload.on("data", (chunk: Buffer) => {
      received += chunk.length;
      body.lastByte = performance.now();
      if (received > limit) close();
    });
    payload.once("close", () => pending.delete(body));
  };
  const parse = (request: FastifyRequest, payload: Readable, done: ParserDone): void => {
    const limit = request.routeOptions.bodyLimit;
    // No route takes this method on this path: the answer is 405 or 404 whatever the body holds, so it is given at
    // once, not after parsing (an empty or malformed body would be answered 400, a large one 413). Fastify's own
    // parsers skip the body the same way (content-type-parser.js, is404). Node discards the rest once the answer is
    // sent; that discarding is held to the same idle time and size as a read, or one client could keep connections
    // open for ever sending a body no one wants.
    if (request.is404) {
      discard(payload, Math.max(limit, MAX_DISCARDED_BYTES));
      done(null, undefined);
      return;
    }
    // A compressed body would reach JSON.parse as bytes and come back as "not JSON", quoting them.
    const encoding = request.headers["content-encoding"];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity") {
      discard(payload, Math.max(limit, MAX_DISCARDED_BYTES));
      done(
        new ApiError(
          "unsupported_media_type",
          `body: Content-Encoding "${encoding}" is not supported: send the JSON body uncompressed, without Content-Encoding`,
          { field: "body" },
        ),
      );
      return;
    }
    const declared = Number(request.headers["content-length"]);
    if (declared > limit) {
      done(bodyTooLarge(limit, request.routeOptions.url));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let finished = false;
    const body: PendingBody = {
      lastByte: performance.now(),
      timeOut: () =>
        finish(
          new ApiError(
            "request_timeout",
            `body: no byte arrived for ${idleMs / 1000} s, after ${received}${Number.isNaN(declared) ? "" : ` of the ${declared}`} bytes announced: send the whole body, with a Content-Length that matches it`,
            { field: "body" },
          ),
        ),
    };
    const finish = (error: Error | null, value?: unknown) => {
      if (finished) return;
      finished = true;
      pending.delete(body);
      payload.off("data", onData).off("end", onEnd).off("error", onError).off("close", onClose);
      done(error, value);
    };
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit) {
        finish(bodyTooLarge(limit, request.routeOptions.url));
        return;
      }
      chunks.push(chunk);
      body.lastByte = performance.now();
    };
    const onEnd = () => {
      if (!Number.isNaN(declared) && received !== declared) {
        finish(contentLengthMismatch());
        return;
      }
      try {
        finish(null, parseJsonBody(utf8Text(Buffer.concat(chunks, received))));
      } catch (error) {
        finish(error as Error);
      }
    };
    // The client went away mid-body: nobody reads the answer, but it must not count as a bug (500).
    const onError = () =>
      finish(
        new ApiError("invalid_request", "body: the connection closed before it was complete", {
          field: "body",
        }),
      );
    const onClose = () => {
      if (!payload.readableEnded) onError();
    };
    pending.add(body);
    payload.on("data", onData).on("end", onEnd).on("error", onError).on("close", onClose);
    payload.resume();
  };
  return { parse, stop: () => clearInterval(sweep) };
}

/**
 * The app's body parsers: JSON only, read by `jsonBodyParser` (text/plain gets 415 instead of reaching a schema as
 * a string); its sweeps stop when the app closes.
 */
export function acceptJsonBodies(app: ServiceApp, idleMs: number): void {
  app.removeContentTypeParser("text/plain");
  app.removeContentTypeParser("application/json");
  const jsonBodies = jsonBodyParser(idleMs);
  app.addContentTypeParser("application/json", jsonBodies.parse);
  app.addHook("onClose", async () => jsonBodies.stop());
}
