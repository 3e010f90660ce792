// Every client mistake gets a 4xx with {error: {code, message, details}} naming the field, never a 5xx or a stack.

import { connect } from "node:net";
import { gzipSync } from "node:zlib";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { DEFAULT_BODY_IDLE_MS } from "../../src/serve/json-body.js";
import { MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS } from "../../src/serve/limits.js";
import { postJson, type Reply, send, serveForTest, useSampleServer } from "../support/serve.js";

const service = useSampleServer();

/** The error shape, a 4xx, no stack, and the field named in details and in the message. */
function expectError(res: Reply, status: number, code: string, field?: string) {
  expect(res.status, res.text).toBe(status);
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  expect(res.json).toEqual({
    error: { code, message: expect.any(String), details: expect.any(Object) },
  });
  expect(res.text).not.toMatch(/\n\s+at /);
  if (field !== undefined) {
    expect(res.json.error.details.field).toBe(field);
    expect(res.json.error.message).toContain(field);
  }
}

const post = (path: string, body: string, contentType = "application/json") =>
  send(service.server().url, {
    method: "POST",
    path,
    headers: { "content-type": contentType },
    body,
  });

describe("bodies", () => {
  it("not JSON: 400 invalid_json", async () => {
    expectError(await post("/v1/suggest", '{"title": "a",'), 400, "invalid_json", "body");
    expectError(await post("/v1/suggest", ""), 400, "invalid_json", "body");
    expectError(await post("/v1/suggest/batch", "nope"), 400, "invalid_json", "body");
  });

  it("a JSON value that is not an object: 400 naming the body", async () => {
    expectError(await post("/v1/suggest", "[1, 2]"), 400, "invalid_request", "body");
    expectError(await post("/v1/suggest", "null"), 400, "invalid_request", "body");
  });

  it("a prototype-poisoning key: 400 saying why, naming where it is", async () => {
    for (const [body, field] of [
      ['{"title": "a", "__proto__": {"x": 1}}', "__proto__"],
      ['{"title": "a", "\\u005f_proto__": {"x": 1}}', "__proto__"],
      ['{"title": "a", "constructor": {"prototype": {"x": 1}}}', "constructor.prototype"],
      ['{"items": [{"id": 1, "title": "a", "__proto__": null}]}', "items[0].__proto__"],
    ]) {
      const res = await post(field.startsWith("items") ? "/v1/suggest/batch" : "/v1/suggest", body);
      expectError(res, 400, "invalid_request", field);
      expect(res.json.error.message).toContain(
        "a __proto__ or constructor.prototype key is not accepted",
      );
      expect(res.json.error.message).not.toMatch(/not valid JSON/);
    }
    // The words themselves are only text: a title may say them.
    const text = await post("/v1/suggest", '{"title": "__proto__ and constructor pollution"}');
    expect(text.status).toBe(200);
  });

  it("wrong or missing content type: 415", async () => {
    expectError(
      await post("/v1/suggest", "title=a", "application/x-www-form-urlencoded"),
      415,
      "unsupported_media_type",
      "Content-Type",
    );
    expectError(
      await post("/v1/suggest", '{"title":"a"}', "text/plain"),
      415,
      "unsupported_media_type",
    );
    const none = await send(service.server().url, {
      method: "POST",
      path: "/v1/suggest",
      body: '{"title":"a"}',
    });
    expect([400, 415]).toContain(none.status);
    expect(none.json.error.code).toMatch(/^(unsupported_media_type|invalid_request)$/);
  });

  it("a compressed body: 415 saying to send it uncompressed, not 'not JSON' quoting its bytes", async () => {
    const res = await send(service.server().url, {
      method: "POST",
      path: "/v1/suggest",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync('{"title":"Object detection"}'),
    });
    expectError(res, 415, "unsupported_media_type", "body");
    expect(res.json.error.message).toContain('Content-Encoding "gzip" is not supported');
    // The connection is still good for the next request.
    expect((await post("/v1/suggest", '{"title":"Object detection"}')).status).toBe(200);
  });

  it("bytes that are not UTF-8, or another charset: refused, never stored with replacement characters", async () => {
    const latin1 = Buffer.concat([
      Buffer.from('{"title":"caf'),
      Buffer.from([0xe9]),
      Buffer.from(' latin1"}'),
    ]);
    for (const path of ["/v1/suggest", "/v1/content"]) {
      const res = await send(service.server().url, {
        method: "POST",
        path,
        headers: { "content-type": "application/json" },
        body: latin1,
      });
      expectError(res, 400, "invalid_json", "body");
      expect(res.json.error.message).toBe(
        "body: not valid UTF-8: send the JSON body encoded as UTF-8",
      );
    }
    // A charset label has no effect (RFC 8259): ASCII labelled Latin-1 is read, and a byte order mark dropped.
    for (const type of [
      "application/json; charset=utf-8",
      'application/json;charset="UTF8"',
      "application/json; charset=iso-8859-1",
    ]) {
      expect((await post("/v1/suggest", '{"title":"café"}', type)).status).toBe(200);
    }
    expect((await post("/v1/suggest", '\uFEFF{"title":"café"}')).status).toBe(200);
  });

  it("a missing field: 400 naming it", async () => {
    const res = await postJson(service.server().url, "/v1/suggest", { description: "no title" });
    expectError(res, 400, "invalid_request", "title");
    expect(res.json.error.details.issues).toEqual([{ field: "title", message: "required" }]);
  });

  it("a missing required field of any type: 'required', naming its path", async () => {
    const batch = await postJson(service.server().url, "/v1/suggest/batch", {
      items: [{ title: "no id" }],
    });
    expectError(batch, 400, "invalid_request", "items[0].id");
    expect(batch.json.error.message).toBe("invalid body: items[0].id: required");
    const feedback = await postJson(service.server().url, "/v1/feedback", {
      events: [{ id: "e1", session: "s" }],
    });
    expectError(feedback, 400, "invalid_request", "events[0].type");
    expect(feedback.json.error.details.issues).toEqual([
      { field: "events[0].type", message: 'required: one of "shown", "accepted", "reported"' },
    ]);
  });

  it("a wrong-typed field: 400 naming it", async () => {
    expectError(
      await postJson(service.server().url, "/v1/suggest", { title: 42 }),
      400,
      "invalid_request",
      "title",
    );
    expectError(
      await postJson(service.server().url, "/v1/suggest", { title: "a", tags: "pytorch" }),
      400,
      "invalid_request",
      "tags",
    );
    expectError(
      await postJson(service.server().url, "/v1/suggest", { title: "a", tags: ["ok", 3] }),
      400,
      "invalid_request",
      "tags[1]",
    );
    expectError(
      await postJson(service.server().url, "/v1/suggest/batch", {
        items: [{ id: 1, title: "a" }, { id: 2 }],
      }),
      400,
      "invalid_request",
      "items[1].title",
    );
  });

  it("an unknown field: 400 naming it", async () => {
    expectError(
      await postJson(service.server().url, "/v1/suggest", { title: "a", titel: "b" }),
      400,
      "invalid_request",
      "titel",
    );
    expectError(
      await postJson(service.server().url, "/v1/suggest/batch", {
        items: [{ id: 1, title: "a", limit: 3 }],
      }),
      400,
      "invalid_request",
      "items[0].limit",
    );
  });

  it("limit out of range or not a whole number: 400 naming limit", async () => {
    for (const limit of [0, 21, 2.5, -1, "5"])
      expectError(
        await postJson(service.server().url, "/v1/suggest", { title: "a", limit }),
        400,
        "invalid_request",
        "limit",
      );
  });

  it("a body over the limit (64 kB by default): 413", async () => {
    const res = await postJson(service.server().url, "/v1/suggest", { title: "x".repeat(70_000) });
    expectError(res, 413, "body_too_large", "body");
    expect(res.json.error.details.limit).toBe(64 * 1024);
  });

  it("a configured body limit: 413 above it", async () => {
    const small = await serveForTest(
      { kind: "directory", dir: service.dir() },
      { http: { bodyLimit: 1_000 } },
    );
    try {
      const res = await postJson(small.url, "/v1/suggest", { title: "x".repeat(1_200) });
      expectError(res, 413, "body_too_large");
      expect(res.json.error.details.limit).toBe(1_000);
      expect((await postJson(small.url, "/v1/suggest", { title: "x".repeat(800) })).status).toBe(
        200,
      );
    } finally {
      await small.close();
    }
  });

  it("a full batch of texts as long as the model reads fits; a larger body is 413 saying to split the batch", async () => {
    const items = Array.from({ length: 100 }, (_, i) => ({
      id: i,
      title: "t".repeat(MAX_TITLE_CHARS),
      description: "word ".repeat(MAX_DESCRIPTION_CHARS / 5),
    }));
    const full = await postJson(service.server().url, "/v1/suggest/batch", { items });
    expect(full.status).toBe(200);
    expect(Object.keys(full.json.results)).toHaveLength(100);
    const over = await postJson(service.server().url, "/v1/suggest/batch", {
      items: items.map((item) => ({ ...item, description: item.description.repeat(3) })),
    });
    expectError(over, 413, "body_too_large", "body");
    expect(over.json.error.message).toMatch(/: split the batch into smaller ones$/);
  });

  it("a batch over 100 items: 413 too_many_items; an empty one or duplicate ids: 400", async () => {
    const items = Array.from({ length: 101 }, (_, i) => ({ id: i, title: "t" }));
    const res = await postJson(service.server().url, "/v1/suggest/batch", { items });
    expectError(res, 413, "too_many_items", "items");
    expect(res.json.error.details.limit).toBe(100);
    expect(
      (await postJson(service.server().url, "/v1/suggest/batch", { items: items.slice(0, 100) }))
        .status,
    ).toBe(200);
    expectError(
      await postJson(service.server().url, "/v1/suggest/batch", { items: [] }),
      400,
      "invalid_request",
      "items",
    );
    expectError(
      await postJson(service.server().url, "/v1/suggest/batch", {
        items: [
          { id: 1, title: "a" },
          { id: "1", title: "b" },
        ],
      }),
      400,
      "invalid_request",
      "items[1].id",
    );
    // An id of another kind says what an id may be, not zod's "invalid input".
    for (const id of [1.5, {}, true]) {
      const res = await postJson(service.server().url, "/v1/suggest/batch", {
        items: [{ id, title: "a" }],
      });
      expectError(res, 400, "invalid_request", "items[0].id");
      expect(res.json.error.message).toContain(
        "must be a non-empty string (up to 200 characters) or a whole number",
      );
    }
    const content = await postJson(service.server().url, "/v1/suggest", {
      title: "a",
      content_id: 1.5,
    });
    expect(content.json.error.message).toContain("content_id: must be a non-empty string");
  });
});

describe("query strings", () => {
  it("a bad or unknown parameter on /v1/tags: 400 naming it", async () => {
    expectError(
      await send(service.server().url, { path: "/v1/tags?limit=abc" }),
      400,
      "invalid_request",
      "limit",
    );
    expectError(
      await send(service.server().url, { path: "/v1/tags?limit=101" }),
      400,
      "invalid_request",
      "limit",
    );
    expectError(
      await send(service.server().url, { path: "/v1/tags?limit=0" }),
      400,
      "invalid_request",
      "limit",
    );
    expectError(
      await send(service.server().url, { path: "/v1/tags?q=nlp" }),
      400,
      "invalid_request",
      "q",
    );
    expectError(
      await send(service.server().url, { path: "/v1/tags?query=a&query=b" }),
      400,
      "invalid_request",
      "query",
    );
  });

  it("a parameter a /v1 route does not take: 400 naming it; the pages, widget and probes ignore one", async () => {
    // limit belongs in the body: said, not silently ignored.
    const misplaced = await postJson(service.server().url, "/v1/suggest?limit=3", {
      title: "PyTorch",
    });
    expectError(misplaced, 400, "invalid_request", "limit");
    expect(misplaced.json.error.message).toBe("invalid query string: limit: unknown field");
    expectError(
      await send(service.server().url, { path: "/v1/content/1?x=1" }),
      400,
      "invalid_request",
      "x",
    );
    // A host's cache-busting parameter on the widget script, or a probe's, is no mistake of the API's.
    expect((await send(service.server().url, { path: "/widget.js?v=2" })).status).not.toBe(400);
    expect((await send(service.server().url, { path: "/healthz?probe=1" })).status).toBe(200);
  });

  it("a parameter given twice: 400 saying so, naming it", async () => {
    for (const path of ["/v1/tags?limit=1&limit=2", "/v1/tags?query=a&query=b"]) {
      const res = await send(service.server().url, { path });
      expect(res.status).toBe(400);
      expect(res.json.error.message).toMatch(
        /^invalid query string: (limit|query): given more than once/,
      );
    }
  });

  it("a number spelt other than in decimal digits: 400 naming it", async () => {
    for (const limit of ["0x2", "%202", "2e0", "", "+2", "2.0"])
      expectError(
        await send(service.server().url, { path: `/v1/tags?limit=${limit}` }),
        400,
        "invalid_request",
        "limit",
      );
    expect(
      (await send(service.server().url, { path: "/v1/tags?limit=02" })).json.tags,
    ).toHaveLength(2);
  });

  it("a malformed percent-encoding: 400 saying so, not an empty answer", async () => {
    for (const [query, said] of [
      ["%ZZ", "malformed percent-encoding"],
      ["a%", "malformed percent-encoding"],
      ["%E0%A4%A", "malformed percent-encoding"],
      ["%FF", "percent-encoded bytes that are not UTF-8"],
    ]) {
      const res = await send(service.server().url, { path: `/v1/tags?query=${query}` });
      expectError(res, 400, "invalid_request", "query");
      expect(res.json.error.message).toContain(said);
    }
    const name = await send(service.server().url, { path: "/v1/tags?%ZZ=1" });
    expectError(name, 400, "invalid_request", "query string");
    // Routes that read no query string refuse it as well (their operations list the 400).
    expect((await send(service.server().url, { path: "/healthz?x=%ZZ" })).status).toBe(400);
    // A percent sign encoded as %25 is text like any other.
    expect((await send(service.server().url, { path: "/v1/tags?query=%25ZZ" })).status).toBe(200);
    // In a path, on an API route or off it, the same is said of the path rather than "bad URL".
    for (const [path, said] of [
      ["/v1/content/%FF", "percent-encoded bytes that are not UTF-8"],
      ["/v1/content/1%ZZ", "malformed percent-encoding"],
      ["/editor/%FF", "percent-encoded bytes that are not UTF-8"],
    ]) {
      const res = await send(service.server().url, { path });
      expectError(res, 400, "invalid_request", "path");
      expect(res.json.error.message, path).toBe(
        `invalid path: ${said} in ${JSON.stringify(path)}: ${said.startsWith("malformed") ? "each % starts %XX (two hex digits, UTF-8 bytes); write % itself as %25" : "percent-encode the text's UTF-8 bytes (encodeURIComponent does)"}`,
      );
    }
  });
});

/** Writes the chunks to a raw connection, each after its pause; the whole answer once the server closes it. */
function rawExchange(
  base: string,
  chunks: { pauseMs: number; data: string }[],
): Promise<{ text: string; ms: number }> {
  const { port } = new URL(base);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let text = "";
    socket.on("data", (d) => {
      text += d.toString();
    });
    socket.on("close", () => resolve({ text, ms: Date.now() - started }));
    socket.on("error", reject);
    socket.once("connect", async () => {
      for (const { pauseMs, data } of chunks) {
        await new Promise((r) => setTimeout(r, pauseMs));
        if (!socket.writable) return;
        socket.write(data);
      }
    });
  });
}

const head = (length: number) =>
  `POST /v1/suggest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${length}\r\n\r\n`;

describe("a body that stops arriving", () => {
  it("shorter than its Content-Length: 408 and the connection closed within a few seconds", async () => {
    const { text, ms } = await rawExchange(service.server().url, [
      { pauseMs: 0, data: `${head(100)}{"title": "` },
    ]);
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)).error).toMatchObject({
      code: "request_timeout",
      details: { field: "body" },
    });
    expect(ms).toBeGreaterThanOrEqual(DEFAULT_BODY_IDLE_MS - 100);
    expect(ms).toBeLessThan(DEFAULT_BODY_IDLE_MS + 3_000);
  }, 20_000);

  it("to a route that takes no body: answered 404 or 405 at once, and the connection closed after the idle time", async () => {
    // The default idle time is the test above's; a short one here keeps the wait short.
    const quick = await serveForTest(
      { kind: "directory", dir: service.dir() },
      { http: { bodyIdleMs: 400 } },
    );
    try {
      for (const [method, path, status] of [
        ["POST", "/v1/nothing", 404],
        ["PUT", "/v1/suggest", 405],
      ] as const) {
        const request = `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"title":`;
        const { text, ms } = await rawExchange(quick.url, [{ pauseMs: 0, data: request }]);
        expect(text).toMatch(new RegExp(`^HTTP/1\\.1 ${status}`));
        expect(ms).toBeLessThan(400 + 3_000);
      }
    } finally {
      await quick.close();
    }
  }, 20_000);

  it("a slow client that keeps sending is served, however long the whole body takes", async () => {
    const quick = await serveForTest(
      { kind: "directory", dir: service.dir() },
      { http: { bodyIdleMs: 400 } },
    );
    try {
      const body = JSON.stringify({ title: "Object detection with PyTorch" });
      // a few bytes every 100 ms: each pause under the limit, the whole body well over it
      const bytes = (body.match(/.{1,3}/g) ?? []).map((data) => ({ pauseMs: 100, data }));
      const { text, ms } = await rawExchange(quick.url, [
        { pauseMs: 0, data: head(body.length) },
        ...bytes,
      ]);
      expect(ms).toBeGreaterThan(1_000);
      expect(text).toMatch(/^HTTP\/1\.1 200/);
      const stalled = await rawExchange(quick.url, [
        { pauseMs: 0, data: `${head(body.length)}{"ti` },
      ]);
      expect(stalled.text).toMatch(/^HTTP\/1\.1 408/);
      expect(stalled.ms).toBeLessThan(2_000);
    } finally {
      await quick.close();
    }
  });
});

describe("path parameters", () => {
  it("an id that is not plain decimal digits: 400 naming the path parameter, not the body", async () => {
    for (const id of ["abc", "0x1", "%201", "1e3", "-1", "1.0", "+1", "%31%20", "0"]) {
      for (const path of [`/v1/content/${id}`, `/v1/content/${id}/versions`]) {
        const res = await send(service.server().url, { path });
        expectError(res, 400, "invalid_request", "id");
        expect(res.json.error.message, path).toMatch(/^invalid path: id: /);
      }
    }
  });

  it("an id past the largest there can be: one issue, saying the range", async () => {
    for (const id of ["99999999999999999999999", "9007199254740992", "2147483648"]) {
      const res = await send(service.server().url, { path: `/v1/content/${id}` });
      expectError(res, 400, "invalid_request", "id");
      expect(res.json.error.message).toBe(
        "invalid path: id: must be a whole number from 1 to 2147483647",
      );
      expect(res.json.error.details.issues).toHaveLength(1);
    }
  });
});

describe("routes and methods", () => {
  it("a wrong method: 405 with an Allow header", async () => {
    const get = await send(service.server().url, { path: "/v1/suggest" });
    expectError(get, 405, "method_not_allowed");
    expect(get.headers.allow).toBe("POST");
    expect(get.json.error.details.allow).toEqual(["POST"]);
    const del = await send(service.server().url, { method: "DELETE", path: "/v1/tags" });
    expectError(del, 405, "method_not_allowed");
    expect(del.headers.allow).toBe("GET, HEAD");
    const put = await send(service.server().url, {
      method: "PUT",
      path: "/healthz",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expectError(put, 405, "method_not_allowed");
  });

  it("a QUERY without Content-Type, or a body of an unreadable type, where no route takes it: 405 (404 for an unknown path)", async () => {
    // Fastify asks a QUERY request for a Content-Type before it knows no route takes the request.
    const query = await send(service.server().url, { method: "QUERY", path: "/v1/suggest" });
    expectError(query, 405, "method_not_allowed");
    expect(query.headers.allow).toBe("POST");
    expectError(
      await send(service.server().url, { method: "QUERY", path: "/nope" }),
      404,
      "not_found",
    );
    const unreadable = { "content-type": ";;" };
    const body = "x";
    expectError(
      await send(service.server().url, {
        method: "QUERY",
        path: "/v1/tags",
        headers: unreadable,
        body,
      }),
      405,
      "method_not_allowed",
    );
    expectError(
      await send(service.server().url, {
        method: "POST",
        path: "/nope",
        headers: unreadable,
        body,
      }),
      404,
      "not_found",
    );
    // Where a route takes the method, the type is the route's to refuse.
    expectError(
      await send(service.server().url, {
        method: "POST",
        path: "/v1/suggest",
        headers: unreadable,
        body,
      }),
      415,
      "unsupported_media_type",
    );
  });

  it("a wrong method with a JSON content type: 405 (404 for an unknown path), whatever the body, never read", async () => {
    const json = { "content-type": "application/json" };
    for (const [method, path, allow] of [
      ["DELETE", "/v1/suggest", "POST"],
      ["PUT", "/v1/suggest", "POST"],
      ["GET", "/v1/suggest/batch", "POST"],
      ["POST", "/healthz", "GET, HEAD"],
      ["POST", "/v1/tags", "GET, HEAD"],
      ["PATCH", "/v1/feedback", "POST"],
      ["DELETE", "/v1/content/1", "GET, HEAD, PUT"],
      ["POST", "/v1/metrics/online", "GET, HEAD"],
    ] as const)
      for (const body of ["", "{not json", "x".repeat(200_000)]) {
        const what = `${method} ${path} with ${body.length} bytes`;
        const res = await send(service.server().url, { method, path, headers: json, body });
        expect(res.status, what).toBe(405);
        expectError(res, 405, "method_not_allowed");
        expect(res.headers.allow, what).toBe(allow);
      }
    for (const body of ["", "{not json"])
      expectError(
        await send(service.server().url, { method: "POST", path: "/nope", headers: json, body }),
        404,
        "not_found",
      );
    // The right method on an admin route: the token is asked for before the body is read.
    const admin = await send(service.server().url, {
      method: "POST",
      path: "/v1/admin/review/1/decision",
      headers: json,
      body: "",
    });
    expectError(admin, 401, "unauthorized");
  });

  it("an unknown route: 404", async () => {
    const res = await send(service.server().url, { path: "/v2/suggest" });
    expectError(res, 404, "not_found");
    expect(res.json.error.details.field).toBe("path");
    expect(res.json.error.message).toContain("/v2/suggest");
    expectError(await send(service.server().url, { path: "/v1/suggest/" }), 404, "not_found");
    expectError(await postJson(service.server().url, "/nope", { title: "a" }), 404, "not_found");
  });

  it("a malformed URL or HTTP request: 400 in the same shape", async () => {
    const badEscape = await send(service.server().url, { path: "/v1/%E0%A4%A" });
    expect([400, 404]).toContain(badEscape.status);
    expect(badEscape.json.error.code).toMatch(/^(invalid_request|not_found)$/);
    const raw = await rawRequest("GARBAGE / HTTP/9\r\n\r\n");
    expect(raw.status).toBe("400 Bad Request");
    expect(raw.error.code).toBe("invalid_request");
    // Every response has an id, this one too, though no request was parsed.
    expect(raw.head).toMatch(/\r\nX-Request-Id: [0-9a-f-]{36}\r\n/);
    // The parser's reason is quoted, with what to send instead.
    const twice = await rawRequest(
      "POST /v1/suggest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    );
    expect(twice.error.message).toBe(
      "malformed HTTP request (Duplicate Content-Length): send one well-formed HTTP/1.1 request, with one Content-Length or chunked encoding, not both",
    );
  });

  it("OPTIONS * or GET *: 404 saying the API's paths start with /, not a route's answer or page", async () => {
    for (const method of ["OPTIONS", "GET", "POST"]) {
      const raw = await rawRequest(
        `${method} * HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      expect(raw.status, method).toBe("404 Not Found");
      expect(raw.error.message).toBe(
        'no route answers "*": the API\'s paths start with / (GET /openapi.json lists them)',
      );
    }
  });

  it("a URL or headers over 16 kB: 431 saying to send long text in a body, readable by a widget on another site", async () => {
    const raw = await rawRequest(
      `GET /v1/tags?query=${"a".repeat(20_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: https://host.example\r\n\r\n`,
    );
    expect(raw.status).toBe("431 Request Header Fields Too Large");
    // As the widget routes' other refusals: a page elsewhere reads the advice, not "failed to fetch".
    expect(raw.head).toMatch(/\r\nAccess-Control-Allow-Origin: \*\r\n/);
    expect(raw.head).toMatch(/\r\nAccess-Control-Expose-Headers: x-request-id/);
    expect(raw.error).toMatchObject({
      code: "headers_too_large",
      details: { field: "request" },
    });
    expect(raw.error.message).toContain("shorten the URL (send long text in a POST body)");
  });
});

/** One request written as raw bytes, for what no HTTP client would send: the status line and the error body. */
async function rawRequest(request: string): Promise<{
  status: string;
  head: string;
  error: { code: string; message: string; details: object };
}> {
  const text = await new Promise<string>((resolve, reject) => {
    const { port } = new URL(service.server().url);
    const socket = connect(Number(port), "127.0.0.1", () => socket.write(request));
    let received = "";
    socket.on("data", (d) => {
      received += d.toString();
    });
    socket.on("end", () => resolve(received));
    socket.on("error", reject);
  });
  return {
    status: text.slice("HTTP/1.1 ".length, text.indexOf("\r\n")),
    head: text.slice(0, text.indexOf("\r\n\r\n")),
    error: JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)).error,
  };
}

describe("pipelined requests after a refused body", () => {
  it("are not left counted in flight: shutdown does not wait out its timeout for them", async () => {
    const lines: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => lines.push(line) });
    const server = await serveForTest(
      { kind: "directory", dir: service.dir() },
      { logger, shutdownTimeoutMs: 3_000 },
    );
    // A body refused (not UTF-8) closes the connection with the answer; the request pipelined behind it never gets one.
    await new Promise<void>((resolve, reject) => {
      const body = Buffer.concat([
        Buffer.from('{"title":"Caf'),
        Buffer.from([0xe9]),
        Buffer.from('"}'),
      ]);
      const socket = connect(server.port, "127.0.0.1", () =>
        socket.write(
          Buffer.concat([
            Buffer.from(
              `POST /v1/suggest HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
            ),
            body,
            Buffer.from("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
          ]),
        ),
      );
      socket.on("data", () => {});
      socket.on("close", () => resolve());
      socket.on("error", reject);
    });
    await server.close();
    expect(lines.filter((line) => line.includes("shutdown timeout"))).toEqual([]);
  });
});

describe("rate limit", () => {
  it("too many requests from one client: 429 with Retry-After; probes are never limited", async () => {
    const limited = await serveForTest(
      { kind: "directory", dir: service.dir() },
      { http: { rateLimit: 3 } },
    );
    try {
      for (let i = 0; i < 3; i++)
        expect((await postJson(limited.url, "/v1/suggest", { title: "a" })).status).toBe(200);
      const res = await postJson(limited.url, "/v1/suggest", { title: "a" });
      expectError(res, 429, "rate_limited");
      expect(res.json.error.details.limit).toBe(3);
      expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
      expect((await send(limited.url, { path: "/v1/tags" })).status).toBe(429);
      expect((await send(limited.url, { path: "/healthz" })).status).toBe(200);
      expect((await send(limited.url, { path: "/readyz" })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("counts a route by what it matched, not by its URL as sent: a percent-encoded /v1 is limited too", async () => {
    const limited = await serveForTest(
      { kind: "directory", dir: service.dir() },
      { http: { rateLimit: 2 } },
    );
    try {
      // "/%761/suggest" is routed to /v1/suggest: it counts, and is refused once the client is over the limit.
      expect((await postJson(limited.url, "/%761/suggest", { title: "a" })).status).toBe(200);
      expect((await postJson(limited.url, "/v1/suggest", { title: "a" })).status).toBe(200);
      expectError(
        await postJson(limited.url, "/%761/suggest", { title: "a" }),
        429,
        "rate_limited",
      );
      expectError(await send(limited.url, { path: "/%76%31/tags" }), 429, "rate_limited");
    } finally {
      await limited.close();
    }
  });

  it("counts admin requests refused for a wrong token, and answers 429 before 401 once over the limit", async () => {
    const limited = await serveForTest(
      { kind: "directory", dir: service.dir() },
      { http: { rateLimit: 3 }, adminToken: "the-right-admin-token" },
    );
    const admin = (token: string) =>
      send(limited.url, {
        path: "/v1/admin/models",
        headers: { authorization: `Bearer ${token}` },
      });
    try {
      for (let i = 0; i < 3; i++)
        expectError(await admin(`guess-number-${i}-xxxxxx`), 401, "unauthorized");
      expectError(await admin("guess-number-3-xxxxxx"), 429, "rate_limited");
      // The guesses used up the client's allowance: the right token waits too.
      expectError(await admin("the-right-admin-token"), 429, "rate_limited");
    } finally {
      await limited.close();
    }
  });

  it("behind a proxy (--trust-proxy), counts each client of X-Forwarded-For on its own, by the entry the proxy added", async () => {
    const proxied = await serveForTest(
      { kind: "directory", dir: service.dir() },
      { http: { rateLimit: 2, trustProxy: 1 } },
    );
    const from = (client: string) =>
      send(proxied.url, {
        method: "POST",
        path: "/v1/suggest",
        headers: { "content-type": "application/json", "x-forwarded-for": client },
        body: '{"title":"a"}',
      });
    try {
      expect((await from("10.0.0.1")).status).toBe(200);
      expect((await from("10.0.0.1")).status).toBe(200);
      expect((await from("10.0.0.1")).status).toBe(429);
      // Entries left of the proxy's are the client's own writing: a new one each time is still the same client.
      expect((await from("203.0.113.9, 10.0.0.1")).status).toBe(429);
      expect((await from("10.0.0.2")).status).toBe(200);
    } finally {
      await proxied.close();
    }
  });
});
