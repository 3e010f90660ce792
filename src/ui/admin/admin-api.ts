// The console's calls to the service (same origin). Every admin call carries the token; a 401 on any of them
// signs the console out, so a token revoked mid-session is noticed at the next click.

import type {
  ApiErrorBody,
  MetricsQuery,
  ModelVersions,
  OnlineMetrics,
  ReviewDecision,
  ReviewItem,
  ReviewPage,
  ReviewStatus,
  TagsResponse,
  TaxonomyCandidates,
  TaxonomyChange,
  TaxonomyProposal,
} from "./admin-types.js";

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

export interface AdminApi {
  models(): Promise<ModelVersions>;
  onlineMetrics(query: MetricsQuery): Promise<OnlineMetrics>;
  reviewQueue(status: ReviewStatus, limit: number, offset?: number): Promise<ReviewPage>;
  decide(id: number, decision: ReviewDecision): Promise<ReviewItem>;
  candidates(limit: number): Promise<TaxonomyCandidates>;
  propose(tag: string, proposal: TaxonomyProposal): Promise<TaxonomyChange>;
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw new ApiFailure(0, null);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as ApiErrorBody | null;
    throw new ApiFailure(res.status, body?.error ? body : null);
  }
  return (await res.json()) as T;
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== "") search.set(name, String(value));
  return search.toString();
}

/** The admin API as one token sees it; `onUnauthorized` runs once per refused call. */
export function adminApi(token: string, onUnauthorized: () => void): AdminApi {
  const admin = async <T>(path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers["content-type"] = "application/json";
    try {
      return await call<T>(path, {
        method: body === undefined ? "GET" : "POST",
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) onUnauthorized();
      throw error;
    }
  };
  return {
    models: () => admin("/v1/admin/models"),
    onlineMetrics: ({ by, from, to, model }) =>
      admin(`/v1/metrics/online?${query({ by, from, to, model })}`),
    reviewQueue: (status, limit, offset = 0) =>
      admin(`/v1/admin/review?${query({ status, limit, offset })}`),
    decide: (id, decision) => admin(`/v1/admin/review/${id}/decision`, decision),
    candidates: (limit) => admin(`/v1/admin/taxonomy/candidates?${query({ limit })}`),
    propose: (tag, proposal) =>
      admin(`/v1/admin/taxonomy/candidates/${encodeURIComponent(tag)}/proposal`, proposal),
  };
}

/** Approved tags matching `text`, for the alias picker: public, so the token is not sent. */
export function searchTags(
  text: string,
  limit: number,
  signal?: AbortSignal,
): Promise<TagsResponse> {
  return call(`/v1/tags?${query({ query: text, limit })}`, { signal });
}
