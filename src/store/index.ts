// The content store: content, its versions and suggestion feedback in PostgreSQL, embedded (PGlite) by default or
// on a server given a postgres:// URL. The rest of tagsmith sees only this TypeScript API, never SQL.
export {
  ContentStore,
  DEFAULT_CANDIDATES_PAGE,
  DEFAULT_CONTENT_PAGE,
  DEFAULT_REVIEW_PAGE,
  openStore,
} from "./content-store.js";
export { StoreError, type StoreErrorCode } from "./errors.js";
export type { RecordedFeedback } from "./feedback.js";
export {
  calendarDay,
  checkOnlineMetricsQuery,
  DAY_FORMAT,
  DAY_RANGE,
  ONLINE_METRICS_DEFINITIONS,
  ONLINE_METRICS_GROUPINGS,
  type OnlineMetrics,
  type OnlineMetricsGrouping,
  type OnlineMetricsQuery,
  type OnlineMetricsRow,
  onlineMetricsQueryIssue,
} from "./online-metrics.js";
export {
  OnlineMetricsReport,
  OnlineMetricsReportRow,
  onlineMetricsReport,
} from "./online-metrics-report.js";
export { UNDO_WINDOW_MINUTES } from "./review.js";
export { FIRST_STORABLE_TIME, LAST_STORABLE_TIME, MAX_ID } from "./sql.js";
export type {
  Content,
  ContentDraft,
  ContentVersion,
  EventFilter,
  FeedbackEvent,
  QaLabel,
  ReportReason,
  ReviewDecision,
  ReviewItem,
  ReviewRule,
  ReviewUndo,
  StoredEvent,
  StoreEngine,
  StoreOptions,
  TaxonomyCandidate,
  TaxonomyChange,
  TaxonomyProposal,
} from "./types.js";
export { EVENT_TYPES, REPORT_REASONS, REVIEW_RULES } from "./vocabulary.js";
