// What the author reads when a save fails: what happened, that their text is safe, and what to do next.

import type { ApiErrorBody } from "../api-types.js";

export type FormField = "title" | "description" | "tags";

export interface SaveFailureMessage {
  message: string;
  /** The field to focus, when the service named one. */
  field?: FormField;
}

const KEPT = "Your text is still here";

function formField(name: string | undefined): FormField | undefined {
  if (!name) return undefined;
  if (name === "title" || name === "description") return name;
  return name.startsWith("tags") ? "tags" : undefined;
}

export function saveFailureMessage(status: number, body: ApiErrorBody | null): SaveFailureMessage {
  const code = body?.error.code;
  if (status === 0)
    return { message: `Not saved: the service could not be reached. ${KEPT}: try Save again.` };
  if (code === "no_store")
    return {
      message: `Not saved: this service keeps no content (it was started with --no-store). ${KEPT}: copy what you need.`,
    };
  if (code === "store_tables_gone")
    return {
      message: `Not saved: the content store lost its data tables and the service must be restarted by whoever runs it. ${KEPT}: copy what you need; saving again before the restart will fail too.`,
    };
  if (code === "store_outcome_unknown")
    return {
      message: `The content store stopped answering while saving: this save may or may not have been stored. ${KEPT}: open the content again from the list to check before saving again (saving new content again is safe).`,
    };
  if (code === "store_unavailable" || status === 503)
    return {
      message: `Not saved: the content store is unavailable. ${KEPT}: try Save again in a moment.`,
    };
  if (code === "conflict" || status === 409) {
    const version = body?.error.details?.version;
    const now = typeof version === "number" ? ` (it is now at version ${version})` : "";
    return {
      message: `Not saved: someone saved this content after you opened it${now}. ${KEPT}: copy what you need, then open it again from the list to see the latest version.`,
    };
  }
  if (status === 404)
    return {
      message: `Not saved: this content no longer exists. ${KEPT}: choose New, then Save to keep it as new content.`,
    };
  const field = formField(body?.error.details?.field);
  if (status === 400 || field)
    return {
      message: `Not saved: ${(body?.error.message ?? "the service refused the content").replace(/\.$/, "")}.`,
      field,
    };
  return {
    message: `Not saved (error ${status}): ${body?.error.message ?? "the service failed"}. ${KEPT}: try Save again.`,
  };
}
