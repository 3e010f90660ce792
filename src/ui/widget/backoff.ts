// When the widget asks the service again after a failure, for suggestions (poller.ts) and for feedback
// (feedback.ts) alike: only when the same request may succeed later, after 2 s, 4 s, 8 s ... at most 30 s, and never
// sooner than the service asked (Retry-After).

export const RETRY_DELAY_MS = 2_000;
export const MAX_RETRY_DELAY_MS = 30_000;

/** The wait before retry number `retry` (1 for the first). */
export function retryDelay(retry: number, retryAfterMs = 0): number {
  return Math.max(Math.min(RETRY_DELAY_MS * 2 ** (retry - 1), MAX_RETRY_DELAY_MS), retryAfterMs);
}

/**
 * The service may answer the same request later: it was unreachable (status 0), overloaded (429) or failing (5xx).
 * Any other answer would be the same next time.
 */
export function mayRecover(status: number): boolean {
  return status === 0 || status === 429 || status >= 500;
}
