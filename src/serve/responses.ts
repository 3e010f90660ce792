// The responses routes declare, for the OpenAPI document: JSON bodies and the error answers routes share.

import type { z } from "zod";
import { ErrorBody } from "./schemas.js";

/** A response header described in the OpenAPI document (@fastify/swagger moves `headers` into the response). */
interface HeaderDoc {
  type: "string" | "integer";
  description: string;
}

/** A response described in the OpenAPI document, with the headers a client should read. */
export const json = <T extends z.ZodType>(
  description: string,
  schema: T,
  headers?: Record<string, HeaderDoc>,
) => ({
  description,
  content: { "application/json": { schema } },
  ...(headers ? { headers } : {}),
});

const RETRY_AFTER: Record<string, HeaderDoc> = {
  "Retry-After": { type: "integer", description: "seconds to wait before trying again" },
};
/**
 * 503s: not_ready, shutting_down, store_unavailable, store_outcome_unknown and store_busy say when to retry; the others
 * pass only by an operator.
 */
const RETRY_AFTER_IF_IT_HELPS: Record<string, HeaderDoc> = {
  "Retry-After": {
    type: "integer",
    description: "seconds to wait before trying again; absent where waiting does not help",
  },
};

export const E400 = json(
  "invalid_json or invalid_request: details.field names the field",
  ErrorBody,
);
export const E401 = json(
  "unauthorized: admin routes need Authorization: Bearer <admin token>",
  ErrorBody,
);
export const E404 = json("not_found: no such content (details.field names the id)", ErrorBody);
const E405 = json(
  "method_not_allowed: the Allow header lists the methods of this path",
  ErrorBody,
  { Allow: { type: "string", description: "the methods this path has, comma-separated" } },
);
export const E409 = json(
  "conflict: the content changed since the version you edited (details.id and details.version give its current version); nothing was written",
  ErrorBody,
);
export const E409_CREATE_KEY = json(
  "conflict: the Idempotency-Key created content with other values (details.id and details.version name it); nothing was written",
  ErrorBody,
);
export const E409_EVENT_ID = json(
  "conflict: an event's id was stored before for another event, one with other values; it was not stored, the batch's other events were (details.issues names each refused event, details.stored and details.duplicates count the others)",
  ErrorBody,
);
const E408 = json(
  "request_timeout: the body stopped arriving before Content-Length was reached (no byte for 5 s), or the headers (10 s) or the whole request (30 s) took longer than their deadline; the connection is closed",
  ErrorBody,
);
const E413 = json(
  "body_too_large (over the body limit) or too_many_items (a batch over the limit)",
  ErrorBody,
);
const E415 = json("unsupported_media_type: send application/json, uncompressed", ErrorBody);
const E429 = json(
  "rate_limited: too many requests from this client; see Retry-After",
  ErrorBody,
  RETRY_AFTER,
);
export const E503 = json(
  "not_ready (no model loaded yet) or shutting_down",
  ErrorBody,
  RETRY_AFTER,
);
/** What every route can answer while the process stops (a kept-alive connection's next request, say). */
const E503_SHUTTING_DOWN = json(
  "shutting_down: the process is stopping; retry on another instance",
  ErrorBody,
  RETRY_AFTER,
);
/** What every route can answer to a request target no route reads (error-answers.ts, refuseMalformedTargets). */
const E400_TARGET = json(
  "invalid_request: the path or query string has a malformed percent-encoding, or percent-encoded bytes that are not UTF-8 (details.field names it)",
  ErrorBody,
);
/** Node's parser refuses the request before any route; any origin may read the answer. */
const E431 = json(
  "headers_too_large: the request line and headers are over 16 kB; shorten the URL (send long text in a POST body) or the headers",
  ErrorBody,
);
const E421 = json(
  "misdirected_request: the service listens on a loopback address and the Host header names another host (DNS rebinding, say); use localhost, 127.0.0.1 or [::1]",
  ErrorBody,
);
/** What any route can answer, before it reads the request: the routes with no input of their own list just these. */
export const ROUTE_ERRORS = {
  400: E400_TARGET,
  405: E405,
  408: E408,
  421: E421,
  431: E431,
  503: E503_SHUTTING_DOWN,
};
const E503_STORE = json(
  "store_unavailable (the content database is down: nothing was written; retry), store_outcome_unknown (the connection to the content database was lost while the change was being committed: it may or may not have been written; read it back before saving again; a POST with the same Idempotency-Key is always safe to send again), store_busy (the change kept conflicting with others made at the same time: nothing was written; retry), store_tables_gone (the content database was emptied under the running service: nothing was written; an operator must restart it, retrying does not help), no_store (the service runs with --no-store: retrying does not help), not_ready or shutting_down",
  ErrorBody,
  RETRY_AFTER_IF_IT_HELPS,
);

export const E503_REGISTRY = json(
  "registry_unreadable (the model registry on the server cannot be read, registry.json edited by hand, say: an operator must mend it, retrying does not help), not_ready or shutting_down",
  ErrorBody,
  RETRY_AFTER_IF_IT_HELPS,
);

/** The errors a route with a JSON body can answer; those of a GET route. */
export const BODY_ERRORS = {
  ...ROUTE_ERRORS,
  400: E400,
  408: E408,
  413: E413,
  415: E415,
  429: E429,
  503: E503,
};
export const QUERY_ERRORS = { ...ROUTE_ERRORS, 400: E400, 429: E429, 503: E503 };
/** The same for routes over the content store, which can also find its database down. */
export const STORE_BODY_ERRORS = { ...BODY_ERRORS, 503: E503_STORE };
export const STORE_QUERY_ERRORS = { ...QUERY_ERRORS, 503: E503_STORE };
