// The editor's calls to the service (same origin): content to list, open and save. Approved tags to complete come
// from searchTags in ../api-client.ts.

import { callApi } from "../api-client.js";
import type { ApiContent, ContentPage, ContentSave } from "../api-types.js";

export function listContent(limit = 50): Promise<ContentPage> {
  return callApi(`/v1/content?limit=${limit}&offset=0`);
}

export function getContent(id: number): Promise<ApiContent> {
  return callApi(`/v1/content/${id}`);
}

/** POST for new content, PUT (with the version edited) for saved content. */
export function saveContent(id: number | null, draft: ContentSave): Promise<ApiContent> {
  return callApi(id === null ? "/v1/content" : `/v1/content/${id}`, {
    method: id === null ? "POST" : "PUT",
    body: draft,
  });
}
