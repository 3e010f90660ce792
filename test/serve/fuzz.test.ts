// No client input yields a 5xx: random JSON values, random bytes, random content types and methods thrown at every
// route always get a status below 500 and, for an error, the API's error body.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { send, useSampleServer } from "../support/serve.js";
import { embeddedStore } from "../support/store-image.js";

const TOKEN = "fuzz-admin-token";
// With a store and an admin token, so the content, feedback and admin routes are reached, not just refused.
const service = useSampleServer({ store: embeddedStore(), adminToken: TOKEN });

const PATHS = [
  "/v1/suggest",
  "/v1/suggest/batch",
  "/v1/tags",
  "/healthz",
  "/readyz",
  "/metrics",
  "/openapi.json",
  "/docs",
  "/",
  "/v1",
  "/v1/unknown",
  "/v1/content",
  "/v1/content/1",
  "/v1/content/1/versions",
  "/v1/feedback",
  "/v1/metrics/online",
  "/v1/admin/models",
  "/v1/admin/review",
  "/v1/admin/review/1/decision",
  "/v1/admin/taxonomy/candidates",
  "/v1/admin/taxonomy/candidates/x/proposal",
  "/admin",
  "/widget.js",
];
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const CONTENT_TYPES = [
  "application/json",
  "application/json; charset=utf-8",
  "application/JSON",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/octet-stream",
  "application/merge-patch+json",
  "",
];

/** Text, often with what a database cannot keep (NUL, an unpaired surrogate) somewhere in it. */
const text = fc.oneof(
  fc.string({ unit: "binary" }),
  fc
    .tuple(fc.string(), fc.constantFrom("\u0000", "\ud800", "\udc00"), fc.string())
    .map((parts) => parts.join("")),
);

/**
 * Event times: any instant, and the edges of what a database keeps (year 0000 or 9999 with an offset that moves the
 * instant past them), as well as anything else.
 */
const eventTime = fc.oneof(
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  fc
    .record({
      date: fc.constantFrom("0000-01-01T00:00:00", "0001-01-01T00:30:00", "9999-12-31T23:59:59"),
      offset: fc.constantFrom("Z", "+01:00", "-01:00", "+14:00", "-12:00"),
    })
    .map(({ date, offset }) => date + offset),
  fc.string(),
  fc.jsonValue(),
);

/** Values shaped like requests, with fields of any type: they reach the schemas rather than the JSON parser. */
const requestLike = fc.record(
  {
    title: fc.oneof(text, fc.jsonValue()),
    description: fc.oneof(text, fc.jsonValue()),
    tags: fc.oneof(fc.array(text), fc.jsonValue()),
    limit: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.double(), fc.jsonValue()),
    content_id: fc.jsonValue(),
    author: fc.oneof(text, fc.jsonValue()),
    session: fc.oneof(fc.string(), fc.jsonValue()),
    events: fc.oneof(
      fc.array(
        fc.record(
          {
            id: fc.oneof(fc.string(), fc.uuid(), fc.jsonValue()),
            type: fc.constantFrom("shown", "accepted", "reported", "saved", "x"),
            tag: fc.oneof(fc.constantFrom("pytorch", "x"), text),
            reason: fc.constantFrom("wrong", "other", "nope"),
            content_id: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.jsonValue()),
            suggestions: fc.jsonValue(),
            comment: text,
            occurred_at: eventTime,
          },
          { requiredKeys: [] },
        ),
        { maxLength: 4 },
      ),
      fc.jsonValue(),
    ),
    applies: fc.oneof(fc.boolean(), fc.jsonValue()),
    reviewer: fc.oneof(text, fc.jsonValue()),
    action: fc.constantFrom("approve", "alias", "x"),
    alias_of: fc.oneof(fc.constantFrom("pytorch"), fc.string()),
    proposer: text,
    version: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.jsonValue()),
    items: fc.oneof(
      fc.array(
        fc.record(
          {
            id: fc.oneof(fc.integer(), fc.string(), fc.jsonValue()),
            title: fc.oneof(fc.string(), fc.jsonValue()),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 5 },
      ),
      fc.jsonValue(),
    ),
  },
  { requiredKeys: [] },
);

const body = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v) ?? ""),
  requestLike.map((v) => JSON.stringify(v)),
  fc.uint8Array({ maxLength: 300 }),
  fc.string({ maxLength: 300 }),
  fc.constant(undefined),
);

const query = fc.oneof(
  fc.constant(""),
  fc.webQueryParameters().map((q) => (q ? `?${q}` : "")),
  fc
    .record(
      {
        query: fc.string({ maxLength: 30 }),
        limit: fc.oneof(fc.integer({ min: -3, max: 200 }), fc.string()),
      },
      { requiredKeys: [] },
    )
    .map((q) => `?${new URLSearchParams(q as Record<string, string>).toString()}`),
);

describe("any request", () => {
  it("gets a status below 500, and errors come in the API's shape", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...PATHS),
        fc.constantFrom(...METHODS),
        fc.constantFrom(...CONTENT_TYPES),
        body,
        query,
        fc.boolean(),
        async (path, method, contentType, payload, search, admin) => {
          const res = await send(service.server().url, {
            method,
            path: path + search,
            headers: {
              ...(contentType ? { "content-type": contentType } : {}),
              ...(admin ? { authorization: `Bearer ${TOKEN}` } : {}),
            },
            ...(payload !== undefined && method !== "GET" && method !== "HEAD"
              ? { body: payload }
              : {}),
          });
          expect(res.status, `${method} ${path}${search} -> ${res.text}`).toBeLessThan(500);
          if (res.status >= 400 && method !== "HEAD") {
            expect(res.json?.error?.code, res.text).toEqual(expect.any(String));
            expect(res.json.error.message).toEqual(expect.any(String));
            expect(res.json.error.details).toEqual(expect.any(Object));
            expect(res.text).not.toMatch(/\n\s+at /);
          }
        },
      ),
      { numRuns: 800 },
    );
  });
});

describe("text the store keeps", () => {
  it("never yields a 5xx, whatever characters it holds", async () => {
    const base = () => service.server().url;
    // Content 1 exists, so updates reach the database too.
    await send(base(), {
      method: "POST",
      path: "/v1/content",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ title: "Fuzzed content" }),
    });
    const bodies = fc.oneof(
      fc
        .record(
          { title: text, description: text, tags: fc.array(text, { maxLength: 3 }), author: text },
          { requiredKeys: ["title"] },
        )
        .map((draft) => ({ method: "POST", path: "/v1/content", draft })),
      fc
        .record({ title: text, tags: fc.array(text, { maxLength: 3 }) })
        .map((draft) => ({ method: "PUT", path: "/v1/content/1", draft })),
      fc.record({ id: fc.uuid(), occurred_at: eventTime }, { requiredKeys: ["id"] }).map((e) => ({
        method: "POST",
        path: "/v1/feedback",
        draft: { events: [{ ...e, type: "accepted", tag: "pytorch" }] },
      })),
      fc
        .record({ id: fc.uuid(), tag: fc.oneof(text, fc.constant("pytorch")), comment: text })
        .map((e) => ({
          method: "POST",
          path: "/v1/feedback",
          draft: { events: [{ ...e, type: "reported", reason: "other", content_id: 1 }] },
        })),
      fc.record({ reviewer: text, note: text }).map((d) => ({
        method: "POST",
        path: "/v1/admin/review/1/decision",
        draft: { ...d, applies: true },
      })),
    );
    await fc.assert(
      fc.asyncProperty(bodies, async ({ method, path, draft }) => {
        const res = await send(base(), {
          method,
          path,
          headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
          body: JSON.stringify(draft),
        });
        expect(
          res.status,
          `${method} ${path} ${JSON.stringify(draft)} -> ${res.text}`,
        ).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });
});

describe("text a suggestion reads", () => {
  // Suggestions are not stored, so /v1/suggest takes what /v1/content refuses (NUL, unpaired surrogates) and a
  // title of spaces only; whatever the text, the answer is approved tags with well-formed evidence.
  it("answers 200 with approved tags for any title, even NUL, unpaired surrogates or only spaces", async () => {
    const model = service.server().model();
    if (!model) throw new Error("the test server has no model");
    const spaces = fc
      .array(fc.constantFrom(" ", "\t", "\n", "\u00a0", "\u3000"), { minLength: 1, maxLength: 5 })
      .map((s) => s.join(""));
    const request = fc.record(
      {
        title: fc.oneof(text, spaces, fc.constant("PyTorch\u0000 object detection \ud800")),
        description: fc.oneof(text, spaces),
        tags: fc.array(fc.oneof(text, fc.constant("pytorch")), { maxLength: 3 }),
      },
      { requiredKeys: ["title"] },
    );
    await fc.assert(
      fc.asyncProperty(
        request.filter((r) => r.title.length > 0 && (r.tags ?? []).every((t) => t.length <= 200)),
        async (content) => {
          const res = await send(service.server().url, {
            method: "POST",
            path: "/v1/suggest",
            headers: { "content-type": "application/json" },
            body: JSON.stringify(content),
          });
          expect(res.status, `${JSON.stringify(content)} -> ${res.text}`).toBe(200);
          for (const s of res.json.suggestions as {
            tag: string;
            score: number;
            evidence?: { field: "title" | "description"; start: number; end: number }[];
          }[]) {
            expect(model.taxonomy.get(s.tag), s.tag).toBeDefined();
            expect(s.score).toBeGreaterThanOrEqual(0);
            expect(s.score).toBeLessThanOrEqual(1);
            for (const e of s.evidence ?? []) {
              const field = e.field === "title" ? content.title : (content.description ?? "");
              expect(0 <= e.start && e.start < e.end && e.end <= field.length).toBe(true);
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
