// No client input yields a 5xx: random JSON values, random bytes, random content types and methods thrown at every
// route always get a status below 500 and, for an error, the API's error body.

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { send, useSampleServer } from "../support/serve.js";

const service = useSampleServer();

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

/** Values shaped like requests, with fields of any type: they reach the schemas rather than the JSON parser. */
const requestLike = fc.record(
  {
    title: fc.oneof(fc.string(), fc.jsonValue()),
    description: fc.oneof(fc.string(), fc.jsonValue()),
    tags: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
    limit: fc.oneof(fc.integer({ min: -5, max: 30 }), fc.double(), fc.jsonValue()),
    content_id: fc.jsonValue(),
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
        async (path, method, contentType, payload, search) => {
          const res = await send(service.server().url, {
            method,
            path: path + search,
            headers: contentType ? { "content-type": contentType } : {},
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
      { numRuns: 500 },
    );
  });
});
