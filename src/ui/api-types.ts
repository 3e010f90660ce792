// The service's JSON as the browser reads it, typed from the schemas the service validates with (type-only imports:
// nothing of zod reaches the bundles). Every UI file takes its API types from here, so a schema change is met once.

import type {
  ApiContent,
  ApiFeedbackEvent,
  ApiOpenedContent,
  ContentDraft,
} from "../serve/content-schemas.js";
import type {
  ApiErrorCode,
  ApiSuggestion,
  ErrorBody,
  ModelRef,
  SuggestRequest,
  SuggestResponse,
  TagsResponse,
} from "../serve/schemas.js";

export type {
  ApiContent,
  ApiOpenedContent,
  ApiSuggestion,
  ModelRef,
  SuggestResponse,
  TagsResponse,
};

/** What the widget sends; `limit` is optional on the wire (the service defaults it). */
export type SuggestBody = Omit<SuggestRequest, "limit"> & { limit?: number };

export type FeedbackEvent = ApiFeedbackEvent;
export type ReportReason = Extract<FeedbackEvent, { type: "reported" }>["reason"];

/** What the editor sends on save: a draft, plus the version it edited when updating. */
export type ContentSave = Omit<ContentDraft, "description" | "tags"> & {
  description: string;
  tags: string[];
  version?: number;
};

export interface ContentPage {
  items: ApiContent[];
  total: number;
}

/** Every error answer. Codes are widened to any string: a newer service may add codes an older page never saw. */
export interface ApiErrorBody {
  error: Omit<ErrorBody["error"], "code"> & { code: ApiErrorCode | (string & {}) };
}
