// The editor's calls to the service (same origin): content to list, open and save. Approved tags to complete come
// from searchTags in ../api-client.ts.

import { callApi, queryString } from "../api-client.js";
import type { ApiContent, ApiOpenedContent, ContentPage, ContentSave } from "../api-types.js";

/** One page of saved content, most recently updated first (limit 1 to MAX_CONTENT_PAGE). */
export function listContent(limit: number, offset: number): Promise<ContentPage> {
  return callApi(`/v1/content?${queryString({ limit, offset })}`);
}

/** Saved content with the tags reported for it, which the widget then hides whatever this browser remembers. */
export function getContent(id: number, signal?: AbortSignal): Promise<ApiOpenedContent> {
  return callApi(`/v1/content/${id}`, { signal });
}

/** POST for new content, PUT (with the version edited) for saved content. */
export function saveContent(
  id: number | null,
  draft: ContentSave,
  signal?: AbortSignal,
): Promise<ApiContent> {
  return callApi(id === null ? "/v1/content" : `/v1/content/${id}`, {
    method: id === null ? "POST" : "PUT",
    body: draft,
    signal,
  });
}
