// What every section of the console is given: the API as the signed-in token sees it, and the reviewer's name,
// which decisions and proposals record (asked for once, when first needed).

import type { AdminApi } from "./admin-api.js";

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
