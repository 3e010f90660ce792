// One POST /v1/suggest as the widget sends it: the text cut to what the model reads (so a long description never
// meets the 64 kB body limit), a few spare suggestions to refill the list, and the round trip measured.

import type { SuggestBody, SuggestResponse } from "../api-types.js";
import type { SuggestInput } from "./poller.js";

/** The service reads no more than this of each field (MAX_TITLE_CHARS, MAX_DESCRIPTION_CHARS). */
export const TITLE_CHARS_READ = 1_000;
export const DESCRIPTION_CHARS_READ = 10_000;
/** Spare suggestions beyond the limit: accepting one shows the next without a request. */
export const SPARE_SUGGESTIONS = 5;
export const MAX_SUGGESTIONS = 20;
/** The service refuses longer tags and longer lists in `tags`. */
const MAX_TAG_CHARS = 200;
const MAX_TAGS = 100;

export interface SuggestAnswer {
  response: SuggestResponse;
  latencyMs: number;
}

/** A failed request: the HTTP status (0 when the network failed) and how long a 429 or 503 asks to wait. */
export class SuggestFailure extends Error {
  constructor(
    readonly status: number,
    readonly retryAfterMs = 0,
  ) {
    super(status ? `suggest answered ${status}` : "suggest could not be reached");
    this.name = "SuggestFailure";
  }
}

export function suggestBody(
  input: SuggestInput,
  limit: number,
  contentId: string | null,
): SuggestBody {
  const body: SuggestBody = {
    title: input.title.slice(0, TITLE_CHARS_READ),
    description: input.description.slice(0, DESCRIPTION_CHARS_READ),
    tags: input.tags.filter((t) => t.length <= MAX_TAG_CHARS).slice(0, MAX_TAGS),
    limit: Math.min(limit + SPARE_SUGGESTIONS, MAX_SUGGESTIONS),
  };
  if (contentId) body.content_id = /^\d+$/.test(contentId) ? Number(contentId) : contentId;
  return body;
}

export async function requestSuggestions(
  endpoint: string,
  body: SuggestBody,
  signal: AbortSignal,
): Promise<SuggestAnswer> {
  const started = performance.now();
  let res: Response;
  try {
    res = await fetch(`${endpoint}/v1/suggest`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    throw new SuggestFailure(0);
  }
  if (!res.ok) {
    const seconds = Number(res.headers.get("retry-after"));
    throw new SuggestFailure(res.status, Number.isFinite(seconds) ? seconds * 1000 : 0);
  }
  const response = (await res.json()) as SuggestResponse;
  return { response, latencyMs: Math.round(performance.now() - started) };
}
