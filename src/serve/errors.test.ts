import { describe, expect, it } from "vitest";
import { z } from "zod";
import { TagsmithError } from "../errors.js";
import { StoreError } from "../store/index.js";
import {
  ApiError,
  eventIdsReused,
  fieldPath,
  invalidRequest,
  malformedUrl,
  requestErrorMap,
  toApiError,
} from "./errors.js";
import { API_ERROR_CODES } from "./schemas.js";

describe("errors at the HTTP edge", () => {
  it("maps every API error code to one status: client mistakes 4xx, only internal 500", () => {
    for (const code of API_ERROR_CODES) {
      const status = new ApiError(code, "m").statusCode;
      expect(status, code).toBeGreaterThanOrEqual(400);
      if (code === "internal") expect(status).toBe(500);
      else if (
        [
          "not_ready",
          "shutting_down",
          "store_unavailable",
          "store_outcome_unknown",
          "store_busy",
          "store_tables_gone",
          "registry_unreadable",
          "no_store",
        ].includes(code)
      )
        expect(status).toBe(503);
      else expect(status, code).toBeLessThan(500);
    }
  });

  it("answers the content store's errors: unknown ids 404 naming the field, stale versions 409, a database down 503", () => {
    expect(toApiError(new StoreError("not_found", "no content 7"), 10).body().error).toMatchObject({
      code: "not_found",
      details: { field: "id" },
    });
    const stale = toApiError(
      new StoreError("version_conflict", "content 7 is at version 3, not 2", {
        id: 7,
        expectedVersion: 2,
        currentVersion: 3,
      }),
      10,
    );
    expect(stale.statusCode).toBe(409);
    expect(stale.details).toEqual({ field: "version", id: 7, version: 3 });
    const down = toApiError(
      new StoreError("unavailable", "the content database at db:5432/tagsmith is unreachable"),
      10,
    );
    expect(down.statusCode).toBe(503);
    expect(down.headers["retry-after"]).toBe("5");
    // Where the database is stays in the log: the client learns only that it is down.
    expect(down.message).not.toMatch(/db:5432/);
    // A connection lost at COMMIT: not "nothing was saved", which would have a PUT sent again refused 409 against
    // the author's own save, and a POST without a key save a second copy.
    const unknown = toApiError(
      new StoreError("outcome_unknown", "the connection to db:5432/tagsmith was lost"),
      10,
    );
    expect(unknown.body().error).toMatchObject({
      code: "store_outcome_unknown",
      details: { retry_after_seconds: 5 },
    });
    expect(unknown.statusCode).toBe(503);
    expect(unknown.headers["retry-after"]).toBe("5");
    expect(unknown.message).toMatch(/may or may not have been saved; read the content again/);
    expect(unknown.message).not.toMatch(/nothing was saved|db:5432/);
    const gone = toApiError(new StoreError("tables_gone", "db:5432/tagsmith has lost tables"), 10);
    expect(gone.body().error).toMatchObject({ code: "store_tables_gone", details: {} });
    expect(gone.statusCode).toBe(503);
    expect(gone.headers).toEqual({});
    expect(gone.message).toMatch(/an operator must restart the service/);
    expect(gone.message).not.toMatch(/db:5432/);
    // A deadlock or serialization failure the store retried in vain: the client's to retry, not a bug's 500.
    const busy = toApiError(
      new StoreError(
        "busy",
        "the content database at db:5432/tagsmith ended the transaction 3 times",
      ),
      10,
    );
    expect(busy.body().error).toMatchObject({
      code: "store_busy",
      details: { retry_after_seconds: 1 },
    });
    expect(busy.statusCode).toBe(503);
    expect(busy.headers["retry-after"]).toBe("1");
    expect(busy.message).toMatch(/nothing was saved; try again/);
    expect(busy.message).not.toMatch(/db:5432/);
  });

  it("names every feedback event under a reused id, the first few in the message, and what became of the others", () => {
    const conflicts = [0, 1, 2, 3, 4].map((index) => ({ index, key: `e${index}` }));
    const all = eventIdsReused({ stored: 0, duplicates: 0, conflicts, unknownContentIds: [] });
    expect(all.statusCode).toBe(409);
    expect(all.message).toBe(
      'events[0].id "e0", events[1].id "e1", events[2].id "e2" and 2 more (details.issues names each) are the ids of events stored before (or earlier in this batch) with other values: an id must be unique per event (a new random UUID for each), so these events were not stored; send them again under new ids.',
    );
    expect(all.body().error.details).toMatchObject({ field: "events[0].id", stored: 0 });
    expect(all.body().error.details.issues?.map((i) => i.field)).toEqual(
      conflicts.map((c) => `events[${c.index}].id`),
    );
    const one = eventIdsReused({
      stored: 0,
      duplicates: 1,
      conflicts: [{ index: 1, key: "e1" }],
      unknownContentIds: [],
    });
    expect(one.message).toMatch(
      /so this event was not stored; send it again under a new id\. The batch's other event was stored: sending it again stores nothing twice\.$/,
    );
  });

  it("answers a TagsmithError by its code, without the internals of a server-side one", () => {
    expect(toApiError(new TagsmithError("invalid_input", "bad title"), 10).statusCode).toBe(400);
    const server = toApiError(
      new TagsmithError("file_not_found", "model.bin missing", { file: "/srv/models/x" }),
      10,
    );
    expect(server.statusCode).toBe(500);
    expect(server.message).not.toContain("/srv");
    const bug = toApiError(new TypeError("x is undefined"), 10);
    expect(bug.body().error).toEqual({
      code: "internal",
      message: expect.any(String),
      details: {},
    });
    expect(bug.message).not.toContain("undefined");
  });

  it("names fields as a client writes them", () => {
    expect(fieldPath(["items", 2, "tags", 0])).toBe("items[2].tags[0]");
    expect(fieldPath([])).toBe("body");
    const schema = z.strictObject({ items: z.array(z.object({ title: z.string() })).max(2) });
    const issues = (value: unknown) =>
      schema.safeParse(value, { error: requestErrorMap("body") }).error?.issues ?? [];
    const missing = invalidRequest(issues({ items: [{}], extra: 1 }), "body");
    expect(missing.details.issues).toEqual([
      { field: "items[0].title", message: "required" },
      { field: "extra", message: "unknown field" },
    ]);
    const tooMany = invalidRequest(
      issues({ items: [{ title: "a" }, { title: "b" }, { title: "c" }] }),
      "body",
    );
    expect(tooMany).toMatchObject({
      code: "too_many_items",
      statusCode: 413,
      details: { limit: 2 },
    });
  });

  it("says required for any missing field, whatever its type, and names the path parameter or the query string", () => {
    const body = z.strictObject({
      items: z.array(z.object({ id: z.union([z.string(), z.number()]) })),
      event: z.discriminatedUnion("type", [
        z.object({ type: z.literal("shown") }),
        z.object({ type: z.literal("accepted") }),
      ]),
    });
    const found = body.safeParse({ items: [{}], event: {} }, { error: requestErrorMap("body") });
    expect(invalidRequest(found.error?.issues ?? [], "body").details.issues).toEqual([
      { field: "items[0].id", message: "required" },
      { field: "event.type", message: 'required: one of "shown", "accepted"' },
    ]);
    const query = z.strictObject({ limit: z.string() });
    const twice = query.safeParse({ limit: ["1", "2"] }, { error: requestErrorMap("querystring") });
    expect(invalidRequest(twice.error?.issues ?? [], "querystring").message).toBe(
      "invalid query string: limit: given more than once: send each parameter once",
    );
    const params = z.strictObject({ id: z.string().regex(/^[0-9]+$/, "digits only") });
    const path = params.safeParse({ id: "abc" }, { error: requestErrorMap("params") });
    expect(invalidRequest(path.error?.issues ?? [], "params").message).toBe(
      "invalid path: id: digits only",
    );
  });

  it("finds a malformed percent-encoding in a query string, naming the parameter", () => {
    for (const url of [
      "/v1/tags",
      "/v1/tags?query=a%20b",
      "/v1/tags?query=%25ZZ&limit=2",
      "/x?%C3%A9=1",
    ])
      expect(malformedUrl(url), url).toBeUndefined();
    expect(malformedUrl("/v1/tags?limit=2&query=%ZZ")?.details.field).toBe("query");
    expect(malformedUrl("/v1/tags?query=%F")?.message).toMatch(
      /^invalid query string: query: malformed percent-encoding/,
    );
    // Well-formed escapes of bytes that are not UTF-8 are named as that.
    for (const url of ["/v1/tags?query=%FF", "/v1/tags?query=%ED%A0%80"])
      expect(malformedUrl(url)?.message, url).toMatch(
        /^invalid query string: query: percent-encoded bytes that are not UTF-8 in .*: percent-encode the text's UTF-8 bytes/,
      );
    expect(malformedUrl("/v1/tags?%ZZ")?.details.field).toBe("query string");
  });

  it("finds a malformed percent-encoding in a path, before the query", () => {
    expect(malformedUrl("/v1/content/%C3%A9?query=%ZZ")?.details.field).toBe("query");
    expect(malformedUrl("/v1/content/%FF?query=%ZZ")?.message).toBe(
      `invalid path: percent-encoded bytes that are not UTF-8 in "/v1/content/%FF": percent-encode the text's UTF-8 bytes (encodeURIComponent does)`,
    );
    expect(malformedUrl("/v1/content/%G1")?.message).toMatch(
      /^invalid path: malformed percent-encoding in "\/v1\/content\/%G1": each % starts %XX/,
    );
  });
});
