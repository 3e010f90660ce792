// The editor's calls to the service (same origin): content to list, open and save, and approved tags to complete.

import type {
  ApiContent,
  ApiErrorBody,
  ContentPage,
  ContentSave,
  TagsResponse,
} from "../api-types.js";

/** A call that failed: the HTTP status (0 when the service could not be reached) and the error body, if any. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody | null,
  ) {
    super(
      body?.error.message ??
        (status ? `the service answered ${status}` : "the service could not be reached"),
    );
    this.name = "ApiFailure";
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (error) {
    if (init?.signal?.aborted) throw error;
    throw new ApiFailure(0, null);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ApiErrorBody | null;
    throw new ApiFailure(res.status, body?.error ? body : null);
  }
  return (await res.json()) as T;
}

export function listContent(limit = 50): Promise<ContentPage> {
  return call(`/v1/content?limit=${limit}&offset=0`);
}

export function getContent(id: number): Promise<ApiContent> {
  return call(`/v1/content/${id}`);
}

/** POST for new content, PUT (with the version edited) for saved content. */
export function saveContent(id: number | null, draft: ContentSave): Promise<ApiContent> {
  return call(id === null ? "/v1/content" : `/v1/content/${id}`, {
    method: id === null ? "POST" : "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(draft),
  });
}

export function searchTags(
  query: string,
  limit: number,
  signal?: AbortSignal,
): Promise<TagsResponse> {
  return call(`/v1/tags?query=${encodeURIComponent(query)}&limit=${limit}`, { signal });
}
