// What every section of the console is given: the API as the signed-in token sees it, and the reviewer's name,
// which decisions and proposals record (asked for once, when first needed).

import { ApiFailure } from "../api-client.js";
import type { AdminApi } from "./admin-api.js";
import { showStatus } from "./nodes.js";

export interface ConsoleContext {
  api(): AdminApi;
  reviewer(): string | null;
  /** Show the name field with why it is needed, and focus it. */
  askReviewer(why: string): void;
}

/** A section of the console: loaded when first shown, emptied when the console signs out. */
export interface ConsoleSection {
  show(): void;
  clear(): void;
}

/**
 * Says in `status` that a section could not load `what`, with how to retry. Silent on a 401: the console has
 * signed out and the sign-in form says why.
 */
export function showLoadFailure(
  status: HTMLElement,
  error: unknown,
  what: string,
  retry = "Try Refresh",
): void {
  if (error instanceof ApiFailure && error.status === 401) return;
  // A 503 with no Retry-After will not pass by waiting (a service started with --no-store): its own words instead.
  if (
    error instanceof ApiFailure &&
    error.status === 503 &&
    error.retryAfterMs === 0 &&
    error.body
  ) {
    showStatus(status, `${what} could not be loaded: ${error.message}.`, "error");
    return;
  }
  showStatus(
    status,
    `${what} could not be loaded: the service is unavailable. ${retry} in a moment.`,
    "error",
  );
}
