import { describe, expect, it } from "vitest";
import { saveFailureMessage } from "./save-messages.js";

const error = (code: string, message = "", details: Record<string, unknown> = {}) => ({
  error: { code, message, details },
});

describe("saveFailureMessage", () => {
  it("says the store is down and the text is kept (503 store_unavailable)", () => {
    const { message } = saveFailureMessage(503, error("store_unavailable", "database down"));
    expect(message).toMatch(/content store is unavailable/);
    expect(message).toMatch(/still here/);
  });

  it("says a save whose answer was lost at COMMIT may be stored, to check before saving again (503 store_outcome_unknown)", () => {
    const { message } = saveFailureMessage(503, error("store_outcome_unknown", "lost at COMMIT"));
    expect(message).toMatch(/may or may not have been stored/);
    expect(message).toMatch(/open the content again from the list to check before saving again/);
    expect(message).toMatch(/still here/);
    expect(message).not.toMatch(/Not saved|in a moment/);
  });

  it("says an emptied store needs a restart by whoever runs the service, rather than to retry (503 store_tables_gone)", () => {
    const { message } = saveFailureMessage(503, error("store_tables_gone", "tables are gone"));
    expect(message).toMatch(/must be restarted/);
    expect(message).toMatch(/still here/);
    expect(message).not.toMatch(/in a moment|try Save again/);
  });

  it("says a service without a store keeps nothing, rather than to retry (503 no_store)", () => {
    const { message } = saveFailureMessage(503, error("no_store", "started with --no-store"));
    expect(message).toMatch(/keeps no content/);
    expect(message).not.toMatch(/try Save again/);
  });

  it("explains a conflict (409), with the version the content is at when the service says", () => {
    expect(saveFailureMessage(409, error("conflict")).message).toMatch(
      /someone saved this content after you opened it\. /,
    );
    const stale = error("conflict", "", { field: "version", id: 7, version: 4 });
    expect(saveFailureMessage(409, stale).message).toMatch(
      /someone saved this content after you opened it \(it is now at version 4\)\. /,
    );
  });

  it("names the field at fault and points to it (400 with details.field)", () => {
    const failure = saveFailureMessage(
      400,
      error("invalid_request", "tags[3]: too long.", { field: "tags[3]" }),
    );
    expect(failure).toEqual({ message: "Not saved: tags[3]: too long.", field: "tags" });
  });

  it("says the service could not be reached (network failure)", () => {
    expect(saveFailureMessage(0, null).message).toMatch(/could not be reached/);
  });

  it("still says something useful for an unexpected error", () => {
    expect(saveFailureMessage(500, null).message).toMatch(/error 500.*still here/);
  });
});
