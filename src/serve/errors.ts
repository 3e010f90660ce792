// Errors at the HTTP edge: every error a request can meet becomes one {error: {code, message, details}} body, and
// this file is the one place where error codes (the API's and TagsmithError's) are mapped to HTTP statuses.

import type { z } from "zod";
import { type ErrorCode, TagsmithError } from "../errors.js";
import { ProposalRefused } from "../feedback/index.js";
import { issuePath } from "../files/index.js";
import { type RecordedFeedback, StoreError } from "../store/index.js";
import { MAX_PATH_PARAM_CHARS } from "./limits.js";
import type { ApiErrorCode, ErrorBody } from "./schemas.js";

/**
 * The content store of a route that needs one, or the 503 no_store of a service started with --no-store, saying what
 * is missing for lack of it ("content and feedback are not kept"). Its own code, not store_unavailable: retrying
 * never helps.
 */
export function requireStore<S>(store: S | null | undefined, without: string): S {
  if (!store)
    throw new ApiError(
      "no_store",
      `this service runs without a content store (started with --no-store): ${without}`,
    );
  return store;
}

export const API_STATUS: Record<ApiErrorCode, number> = {
  invalid_json: 400,
  invalid_request: 400,
  unauthorized: 401,
  not_found: 404,
  conflict: 409,
  method_not_allowed: 405,
  request_timeout: 408,
  misdirected_request: 421,
  body_too_large: 413,
  too_many_items: 413,
  unsupported_media_type: 415,
  headers_too_large: 431,
  rate_limited: 429,
  internal: 500,
  not_ready: 503,
  shutting_down: 503,
  store_unavailable: 503,
  store_outcome_unknown: 503,
  store_busy: 503,
  store_tables_gone: 503,
  registry_unreadable: 503,
  no_store: 503,
};

/**
 * TagsmithError codes, should one reach a route: bad input is the client's (400); a missing or unusable file on the
 * server is the service's problem (500), never the client's.
 */
const TAGSMITH_CODES: Record<ErrorCode, ApiErrorCode> = {
  malformed_input: "invalid_request",
  invalid_input: "invalid_request",
  usage: "invalid_request",
  not_found: "not_found",
  file_not_found: "internal",
  invalid_taxonomy: "internal",
  offline: "internal",
  fetch_failed: "internal",
  checksum_mismatch: "internal",
  conflict: "internal",
  not_writable: "internal",
  gate_refused: "internal",
  not_reproducible: "internal",
};

export type ErrorDetails = ErrorBody["error"]["details"];

/** An error answered to the client as it is: its code, message and details. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly details: ErrorDetails;
  readonly headers: Record<string, string>;

  constructor(
    code: ApiErrorCode,
    message: string,
    details: ErrorDetails = {},
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.details = details;
    this.headers = headers;
  }

  get statusCode(): number {
    return API_STATUS[this.code];
  }

  body(): ErrorBody {
    return { error: { code: this.code, message: this.message, details: this.details } };
  }
}

/** A request that failed its schema; Fastify adds where (validationContext: body or querystring). */
export class InvalidRequestError extends Error {
  readonly statusCode = 400;
  constructor(readonly issues: readonly z.core.$ZodIssue[]) {
    super("request does not match the schema");
    this.name = "InvalidRequestError";
  }
}

/** "items[2].title", "limit"; "body" for the request as a whole. */
export function fieldPath(path: readonly PropertyKey[], whole = "body"): string {
  return path.length === 0 ? whole : issuePath(path);
}

/**
 * zod's messages for a request, where a schema gives none of its own: a missing field is "required" whatever its type
 * (zod would say "invalid input" for a union such as an id that is a string or a number), and in a query string a
 * value that is a list is a parameter given more than once (?limit=1&limit=2).
 */
export function requestErrorMap(part: string): z.core.$ZodErrorMap {
  return (issue) => {
    if (issue.input === undefined) return "required";
    if (issue.code === "invalid_union" && "discriminator" in issue) {
      const input = issue.input as Record<string, unknown> | null;
      if (
        typeof input === "object" &&
        input !== null &&
        input[String(issue.discriminator)] === undefined
      )
        return `required: one of ${(issue.options as unknown[]).map((o) => JSON.stringify(o)).join(", ")}`;
    }
    if (part === "querystring" && Array.isArray(issue.input))
      return "given more than once: send each parameter once";
    return undefined;
  };
}

/** One line per problem, in words a client developer acts on. */
function fieldIssues(
  issues: readonly z.core.$ZodIssue[],
  whole: string,
): { field: string; message: string }[] {
  return issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => ({
        field: fieldPath([...issue.path, key], whole),
        message: "unknown field",
      }));
    const message = issue.message
      .replace(/^Invalid input: /, "")
      .replace(/^\w/, (c) => c.toLowerCase());
    return [{ field: fieldPath(issue.path, whole), message }];
  });
}

/** How a message names the part of a request at fault (Fastify's validationContext). */
const PART_NAMES: Record<string, string> = {
  body: "body",
  querystring: "query string",
  params: "path",
  headers: "headers",
};

/** A schema failure as the API answers it: 400 naming the fields, or 413 for a batch with too many items. */
export function invalidRequest(issues: readonly z.core.$ZodIssue[], part: string): ApiError {
  const tooMany = issues.find(
    (i) =>
      part === "body" &&
      i.code === "too_big" &&
      i.origin === "array" &&
      (fieldPath(i.path) === "items" || fieldPath(i.path) === "events"),
  );
  if (tooMany && tooMany.code === "too_big") {
    const max = Number(tooMany.maximum);
    const field = fieldPath(tooMany.path);
    return new ApiError(
      "too_many_items",
      `${field}: at most ${max} ${field} in one request: split it into several requests`,
      { field, limit: max },
    );
  }
  const whole = PART_NAMES[part] ?? "body";
  const found = fieldIssues(issues, whole);
  const first = found[0];
  const summary = found
    .slice(0, 5)
    .map((f) => (f.field === whole ? f.message : `${f.field}: ${f.message}`))
    .join("; ");
  return new ApiError(
    "invalid_request",
    `invalid ${whole}: ${summary}${found.length > 5 ? ` (and ${found.length - 5} more)` : ""}`,
    { ...(first ? { field: first.field } : {}), issues: found },
  );
}

/**
 * A body over its route's limit, from Content-Length up front or counted as it arrives; on the batch route, with the
 * way to send less.
 */
export function bodyTooLarge(limit: number, route?: string): ApiError {
  const fix = route === "/v1/suggest/batch" ? ": split the batch into smaller ones" : "";
  return new ApiError("body_too_large", `body: larger than the limit of ${limit} bytes${fix}`, {
    field: "body",
    limit,
  });
}

/**
 * An answer a client should retry after `seconds`: in the body and in Retry-After (the widget and HTTP clients read
 * the header, not the body), from one number so the two cannot disagree.
 */
function retryAfter(
  code: ApiErrorCode,
  message: string,
  seconds: number,
  headers: Record<string, string> = {},
): ApiError {
  return new ApiError(
    code,
    message,
    { retry_after_seconds: seconds },
    { "retry-after": String(seconds), ...headers },
  );
}

/**
 * 503s a client should retry: no model loaded yet, and a service stopping (another instance, or this one restarted,
 * answers soon).
 */
export function notReady(): ApiError {
  return retryAfter(
    "not_ready",
    "no model is loaded yet: retry shortly (GET /readyz says when)",
    5,
  );
}

export function shuttingDown(): ApiError {
  return retryAfter("shutting_down", "the service is shutting down: retry on another instance", 1, {
    connection: "close",
  });
}

export function contentLengthMismatch(): ApiError {
  return new ApiError("invalid_request", "body: its length does not match Content-Length", {
    field: "body",
  });
}

/** What Fastify reports, by its error codes, in the API's terms (JSON bodies are read by json-body.ts). */
function frameworkError(
  error: { code?: string; message?: string },
  bodyLimit: number,
  url: string | undefined,
): ApiError | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return bodyTooLarge(bodyLimit);
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return contentLengthMismatch();
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
    case "FST_ERR_CTP_INVALID_TYPE":
      return new ApiError(
        "unsupported_media_type",
        "Content-Type: send the body as application/json",
        { field: "Content-Type" },
      );
    case "FST_ERR_MAX_PARAM_LENGTH":
      return new ApiError(
        "invalid_request",
        `invalid path: a segment is over ${MAX_PATH_PARAM_CHARS} characters, longer than any tag or id the API takes`,
        { field: "path" },
      );
    case "FST_ERR_BAD_URL":
    case "FST_ERR_ASYNC_CONSTRAINT":
      return (
        (url === undefined ? undefined : malformedUrl(url)) ??
        new ApiError("invalid_request", "the URL is malformed", { field: "url" })
      );
    default:
      return undefined;
  }
}

/** What is wrong with a percent-encoded part of a URL, if anything, and how to fix it. */
function percentEncodingProblem(part: string): string | undefined {
  try {
    decodeURIComponent(part);
    return undefined;
  } catch {
    // Well-formed %XX escapes whose bytes are not UTF-8 (%ED%A0%80) are a different mistake from a stray "%".
    return /%(?![0-9a-f]{2})/i.test(part)
      ? `malformed percent-encoding in ${JSON.stringify(part.slice(0, 100))}: each % starts %XX (two hex digits, UTF-8 bytes); write % itself as %25`
      : `percent-encoded bytes that are not UTF-8 in ${JSON.stringify(part.slice(0, 100))}: percent-encode the text's UTF-8 bytes (encodeURIComponent does)`;
  }
}

/**
 * A path or query string with a malformed percent-encoding ("%ZZ", a lone "%", bytes that are not UTF-8): the router
 * would answer only "bad URL", and the query parser would keep it as literal text and answer as if the client had
 * meant it.
 */
export function malformedUrl(url: string): ApiError | undefined {
  if (!url.includes("%")) return undefined;
  const start = url.indexOf("?");
  const path = start === -1 ? url : url.slice(0, start);
  const inPath = percentEncodingProblem(path);
  if (inPath) return new ApiError("invalid_request", `invalid path: ${inPath}`, { field: "path" });
  if (start === -1) return undefined;
  for (const pair of url.slice(start + 1).split("&")) {
    const equals = pair.indexOf("=");
    const key = equals === -1 ? pair : pair.slice(0, equals);
    for (const part of equals === -1 ? [pair] : [key, pair.slice(equals + 1)]) {
      const problem = percentEncodingProblem(part);
      if (!problem) continue;
      // A malformed name: the query string as a whole is named.
      const name = percentEncodingProblem(key) ? "" : decodeURIComponent(key);
      return new ApiError(
        "invalid_request",
        `invalid query string: ${name ? `${name}: ` : ""}${problem}`,
        { field: name || "query string" },
      );
    }
  }
  return undefined;
}

/**
 * Feedback events sent under ids stored before for other events (RecordedFeedback.conflicts): a 409 naming each by
 * position and id, answered once the batch's other events are stored, and saying so: the client resends the refused
 * events under new ids, and may resend the whole batch, whose other events are then duplicates.
 */
export function eventIdsReused(recorded: RecordedFeedback): ApiError {
  const { conflicts, stored, duplicates, unknownContentIds } = recorded;
  const one = conflicts.length === 1;
  const listed = conflicts.slice(0, 3).map((c) => `events[${c.index}].id ${JSON.stringify(c.key)}`);
  const more = conflicts.length - listed.length;
  const others = stored + duplicates;
  const kept =
    others === 0
      ? ""
      : others === 1
        ? " The batch's other event was stored: sending it again stores nothing twice."
        : ` The batch's other ${others} events were stored: sending them again stores nothing twice.`;
  return new ApiError(
    "conflict",
    `${listed.join(", ")}${more > 0 ? ` and ${more} more (details.issues names each)` : ""} ${one ? "is the id of an event" : "are the ids of events"} stored before (or earlier in this batch) with other values: an id must be unique per event (a new random UUID for each), so ${one ? "this event was" : "these events were"} not stored; send ${one ? "it again under a new id" : "them again under new ids"}.${kept}`,
    {
      field: `events[${conflicts[0]?.index ?? 0}].id`,
      issues: conflicts.map((c) => ({
        field: `events[${c.index}].id`,
        message: `${JSON.stringify(c.key)} is the id of an event stored before (or earlier in this batch) with other values: send this event under a new id`,
      })),
      stored,
      duplicates,
      unknown_content_ids: unknownContentIds,
    },
  );
}

/**
 * The content store's errors: the client's (an unknown id, a stale version) or the database's: 503 either way, with
 * Retry-After for an outage that passes, without for tables gone, which only an operator's restart repairs.
 */
function storeError(error: StoreError): ApiError {
  switch (error.code) {
    case "not_found":
      return new ApiError("not_found", error.message, {
        field: String(error.details.field ?? "id"),
      });
    case "already_decided":
    case "undo_refused":
    case "already_proposed":
      return new ApiError("conflict", error.message, {
        field: String(error.details.field ?? "id"),
      });
    // Both 409s name the content and its current version, so the client can save its changes to it without
    // another GET first.
    case "create_key_reused":
      return new ApiError("conflict", error.message, {
        field: "Idempotency-Key",
        id: Number(error.details.id),
        version: Number(error.details.version),
      });
    case "version_conflict":
      return new ApiError(
        "conflict",
        `${error.message}: reload the content, reapply your changes and save again`,
        {
          field: "version",
          id: Number(error.details.id),
          version: Number(error.details.currentVersion),
        },
      );
    case "unavailable":
      return retryAfter(
        "store_unavailable",
        "the content database is unavailable: nothing was saved; try again in a moment",
        5,
      );
    case "outcome_unknown":
      // Not "try again": a PUT sent again after its save was written is a 409 against the author's own change, and
      // a POST without an Idempotency-Key makes a second copy.
      return retryAfter(
        "store_outcome_unknown",
        "the connection to the content database was lost while this change was being committed: it may or may not have been saved; read the content again (GET) before saving again (a POST with the same Idempotency-Key is always safe to send again, as is feedback under the same event ids)",
        5,
      );
    case "busy":
      return retryAfter(
        "store_busy",
        "the content database is busy with changes conflicting with this one: nothing was saved; try again",
        1,
      );
    case "tables_gone":
      return new ApiError(
        "store_tables_gone",
        "the content store's tables are gone (its database was emptied or recreated while the service ran): nothing was saved; an operator must restart the service, which creates them again; retrying before then does not help",
      );
  }
}

/**
 * Any error thrown while answering a request, as the API answers it. Errors the client caused get their 4xx; only
 * a bug in tagsmith is a 500, and its message never carries a stack or internals. `url`: the request's target, when
 * there is a request, to say what is wrong with a URL the router refused.
 */
export function toApiError(error: unknown, bodyLimit: number, url?: string): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof InvalidRequestError) {
    const part = (error as { validationContext?: string }).validationContext ?? "body";
    return invalidRequest(error.issues, part);
  }
  if (error instanceof StoreError) return storeError(error);
  if (error instanceof ProposalRefused)
    return new ApiError("invalid_request", error.message, { field: error.field });
  if (error instanceof TagsmithError) {
    const code = TAGSMITH_CODES[error.code];
    return new ApiError(code, code === "internal" ? "internal error" : error.message);
  }
  const e = error as { code?: string; message?: string; statusCode?: number; name?: string };
  const known = frameworkError(e, bodyLimit, url);
  if (known) return known;
  if (typeof e?.statusCode === "number" && e.statusCode >= 400 && e.statusCode < 500)
    return new ApiError("invalid_request", e.message ?? "bad request");
  return new ApiError("internal", "internal error: it is logged with this request's id");
}
