// The console's calls to the service (same origin). Every admin call carries the token; a 401 on any of them
// signs the console out, so a token revoked mid-session is noticed at the next click.

import { ApiFailure, callApi, queryString } from "../api-client.js";
import type {
  MetricsQuery,
  ModelVersions,
  OnlineMetrics,
  ReviewDecision,
  ReviewItem,
  ReviewPage,
  ReviewStatus,
  ReviewUndo,
  TaxonomyCandidates,
  TaxonomyChange,
  TaxonomyProposal,
} from "./admin-types.js";

export interface AdminApi {
  models(): Promise<ModelVersions>;
  onlineMetrics(query: MetricsQuery): Promise<OnlineMetrics>;
  reviewQueue(status: ReviewStatus, limit: number, offset?: number): Promise<ReviewPage>;
  decide(id: number, decision: ReviewDecision): Promise<ReviewItem>;
  /** The item pending again. */
  undo(id: number, undo: ReviewUndo): Promise<ReviewItem>;
  candidates(limit: number): Promise<TaxonomyCandidates>;
  propose(tag: string, proposal: TaxonomyProposal): Promise<TaxonomyChange>;
}

/** The admin API as one token sees it; `onUnauthorized` runs once per refused call. */
export function adminApi(token: string, onUnauthorized: () => void): AdminApi {
  const admin = async <T>(path: string, body?: unknown): Promise<T> => {
    try {
      return await callApi<T>(path, {
        method: body === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${token}` },
        body,
      });
    } catch (error) {
      if (error instanceof ApiFailure && error.status === 401) onUnauthorized();
      throw error;
    }
  };
  return {
    models: () => admin("/v1/admin/models"),
    onlineMetrics: ({ by, from, to, model }) =>
      admin(`/v1/metrics/online?${queryString({ by, from, to, model })}`),
    reviewQueue: (status, limit, offset = 0) =>
      admin(`/v1/admin/review?${queryString({ status, limit, offset })}`),
    decide: (id, decision) => admin(`/v1/admin/review/${id}/decision`, decision),
    undo: (id, undo) => admin(`/v1/admin/review/${id}/undo`, undo),
    candidates: (limit) => admin(`/v1/admin/taxonomy/candidates?${queryString({ limit })}`),
    propose: (tag, proposal) =>
      admin(`/v1/admin/taxonomy/candidates/${encodeURIComponent(tag)}/proposal`, proposal),
  };
}
