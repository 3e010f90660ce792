// The editor's calls to the service (same origin): content to list, open and save. Approved tags to complete come
// from searchTags in ../api-client.ts.

import { ApiFailure, callApi, queryString } from "../api-client.js";
import type { ApiContent, ApiOpenedContent, ContentPage, ContentSave } from "../api-types.js";

/** One page of saved content, most recently updated first (limit 1 to MAX_CONTENT_PAGE). */
export function listContent(limit: number, offset: number): Promise<ContentPage> {
  return callApi(`/v1/content?${queryString({ limit, offset })}`);
}

/** Saved content with the tags reported for it, which the widget then hides whatever this browser remembers. */
export function getContent(id: number, signal?: AbortSignal): Promise<ApiOpenedContent> {
  return callApi(`/v1/content/${id}`, { signal });
}

/**
 * POST for new content, with the key of its creation (the same for every try: one sent again after its answer was
 * lost gets the content the first made), PUT (with the version edited) for saved content.
 */
export function saveContent(
  target: { id: null; createKey: string } | { id: number },
  draft: ContentSave,
  signal?: AbortSignal,
): Promise<ApiContent> {
  if (target.id !== null)
    return callApi(`/v1/content/${target.id}`, { method: "PUT", body: draft, signal });
  return callApi("/v1/content", {
    method: "POST",
    headers: { "idempotency-key": target.createKey },
    body: draft,
    signal,
  });
}

/**
 * The content an earlier try of this creation made, when the service refused the key with other values (409): the
 * author changed the form after a save whose answer was lost. Their changes belong in a new version of it.
 */
export function contentMadeBefore(failure: unknown): { id: number; version: number } | null {
  if (!(failure instanceof ApiFailure) || failure.status !== 409) return null;
  const details = failure.body?.error.details;
  return details?.field === "Idempotency-Key" &&
    typeof details.id === "number" &&
    typeof details.version === "number"
    ? { id: details.id, version: details.version }
    : null;
}
