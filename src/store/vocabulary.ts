// The words the store keeps in its columns, defined once: the TypeScript types, the API's schemas and the database's
// CHECK constraints (src/store/migrations.ts, checked against these by vocabulary.test.ts) all come from here.

/** Why an author reported a suggestion. */
export const REPORT_REASONS = ["not_relevant", "wrong", "offensive", "other"] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

/** Why an item is in the review queue (feedback/review-policy.ts says which rules a policy applies). */
export const REVIEW_RULES = [
  "possible_miss",
  "unaccepted_suggestion",
  "report",
  "sampled",
] as const;
export type ReviewRule = (typeof REVIEW_RULES)[number];

/** Feedback events: the three a client sends, and "saved" and "dismissed", which the server records. */
export const EVENT_TYPES = ["shown", "accepted", "reported", "saved", "dismissed"] as const;
export type EventType = (typeof EVENT_TYPES)[number];
