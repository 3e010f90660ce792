// One POST /v1/suggest as the widget sends it: the text cut to what the model reads, as the service cuts it (so a
// long description never meets the 64 kB body limit, and no part of a word is sent as a word), a few spare suggestions to refill the list, and the round trip measured.

import {
  MAX_AUTHOR_TAGS,
  MAX_DESCRIPTION_CHARS,
  MAX_SUGGESTIONS,
  MAX_TAG_CHARS,
  MAX_TITLE_CHARS,
} from "../../serve/limits.js";
import { cutBefore } from "../../text/tokens.js";
import { callApi } from "../api-client.js";
import type { SuggestBody, SuggestResponse } from "../api-types.js";
import type { SuggestInput } from "./poller.js";

/** Spare suggestions beyond the limit: accepting one shows the next without a request. */
export const SPARE_SUGGESTIONS = 5;

export interface SuggestAnswer {
  response: SuggestResponse;
  latencyMs: number;
}

/** The author's chosen tags as the service accepts them (suggest requests, shown events): capped, never refused. */
export function sentTags(tags: readonly string[]): string[] {
  return tags.filter((t) => t.length <= MAX_TAG_CHARS).slice(0, MAX_AUTHOR_TAGS);
}

export function suggestBody(
  input: SuggestInput,
  limit: number,
  contentId: string | null,
): SuggestBody {
  const body: SuggestBody = {
    title: cutBefore(input.title, MAX_TITLE_CHARS),
    description: cutBefore(input.description, MAX_DESCRIPTION_CHARS),
    tags: sentTags(input.tags),
    limit: Math.min(limit + SPARE_SUGGESTIONS, MAX_SUGGESTIONS),
  };
  if (contentId) body.content_id = numericContentId(contentId) ?? contentId;
  return body;
}

/**
 * A content id that is a number the API takes as one (a positive safe integer), or null: a platform's 19-digit id
 * ("1234567890123456789") is past 2^53, would be rounded as a number and refused, so it travels as the string it is.
 */
export function numericContentId(contentId: string | null): number | null {
  if (contentId === null || !/^\d+$/.test(contentId)) return null;
  const id = Number(contentId);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Rejects with an ApiFailure whose retryAfterMs says how long a 429 or 503 asks the poller to wait. */
export async function requestSuggestions(
  endpoint: string,
  body: SuggestBody,
  signal: AbortSignal,
): Promise<SuggestAnswer> {
  const started = performance.now();
  const response = await callApi<SuggestResponse>(`${endpoint}/v1/suggest`, {
    method: "POST",
    body,
    signal,
  });
  return { response, latencyMs: Math.round(performance.now() - started) };
}
