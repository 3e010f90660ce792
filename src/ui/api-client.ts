// The browser's calls to the service: JSON out and back, and every failure as one ApiFailure carrying the status
// and the service's error body. The editor, the admin console and the widget all call through here.

import type { ApiErrorBody, TagsResponse } from "./api-types.js";

/** A call that failed: the HTTP status (0 when the service could not be reached) and the error body, if any. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
    /** How long a 429 or 503 asks to wait before the next call (Retry-After). */
    readonly retryAfterMs = 0,
  ) {
    super(
      body?.error.message ??
        (status ? `the service answered ${status}` : "the service could not be reached"),
    );
    this.name = "ApiFailure";
  }
}

export interface ApiCall {
  method?: "GET" | "POST" | "PUT";
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal;
}

/** One call; resolves to the answer's JSON. An abort through `signal` rejects with the abort, not an ApiFailure. */
export async function callApi<T>(
  url: string,
  { method = "GET", headers = {}, body, signal }: ApiCall = {},
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiFailure(0, null);
  }
  if (!res.ok) {
    const error = (await res.json().catch(() => null)) as ApiErrorBody | null;
    throw new ApiFailure(res.status, error?.error ? error : null, retryAfterMs(res));
  }
  return (await res.json()) as T;
}

/** How long an answer (a 429 or 503) asks to wait before the next call, from its Retry-After seconds; 0: no wait. */
export function retryAfterMs(res: Response): number {
  const seconds = Number(res.headers.get("retry-after"));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
}

/** A query string of the parameters that have a value. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== "") search.set(name, String(value));
  return search.toString();
}

/** Approved tags matching `text` (GET /v1/tags, public: no token is sent), for completing a tag being typed. */
export function searchTags(
  text: string,
  limit: number,
  signal?: AbortSignal,
): Promise<TagsResponse> {
  return callApi(`/v1/tags?${queryString({ query: text, limit })}`, { signal });
}
