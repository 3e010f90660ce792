// Every route of the HTTP API over real HTTP on loopback, with a model trained on the bundled sample.

import { validate } from "@scalar/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../../src/model/index.js";
import { versionId } from "../../src/registry/index.js";
import type { RunningServer } from "../../src/serve/index.js";
import { MAX_EVIDENCE_SPANS, MAX_TITLE_CHARS } from "../../src/taggers/index.js";
import { loadSample } from "../support/sample.js";
import { postJson, removeDir, send, serveForTest, tempDir, trainSample } from "../support/serve.js";

let dir: string;
let server: RunningServer;
let modelId: string;
const { taxonomy } = await loadSample();

beforeAll(async () => {
  dir = await tempDir();
  await trainSample(dir);
  modelId = versionId((await loadModel(dir)).manifest.modelSha256);
  server = await serveForTest({ kind: "directory", dir });
});

afterAll(async () => {
  await server?.close();
  await removeDir(dir);
});

const TEXT = {
  title: "Fine-tuning BERT for text classification in PyTorch",
  description:
    "A tutorial on transformers with Hugging Face: training a sentiment classifier on movie reviews.",
};

describe("POST /v1/suggest", () => {
  it("answers approved tags, best first, with categories, evidence and the model that answered", async () => {
    const res = await postJson(server.url, "/v1/suggest", TEXT);
    expect(res.status).toBe(200);
    expect(res.json.model.id).toBe(modelId);
    expect(res.json.model.version).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(res.json.request_id).toBe(res.headers["x-request-id"]);
    const { suggestions } = res.json;
    expect(suggestions.length).toBeGreaterThan(0);
    expect(suggestions.length).toBeLessThanOrEqual(5);
    for (const s of suggestions) {
      expect(taxonomy.isApproved(s.tag)).toBe(true);
      expect(s.score).toBeGreaterThanOrEqual(0);
      expect(s.score).toBeLessThanOrEqual(1);
      expect(s.category).toBe(taxonomy.get(s.tag)?.category);
      // Its aliases, so a client knows a tag typed by alias is this one; none: no field.
      const aliases = taxonomy.get(s.tag)?.aliases ?? [];
      expect(s.aliases).toEqual(aliases.length ? aliases : undefined);
    }
    expect(suggestions.some((s: { aliases?: string[] }) => s.aliases)).toBe(true);
    const scores = suggestions.map((s: { score: number }) => s.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const pytorch = suggestions.find((s: { tag: string }) => s.tag === "pytorch");
    expect(pytorch?.source).toBe("explicit");
    expect(pytorch?.evidence[0]).toEqual({ field: "title", text: "PyTorch", start: 44, end: 51 });
    expect(res.json.truncated).toBeUndefined();
  });

  it(`gives at most ${MAX_EVIDENCE_SPANS} evidence spans per tag, the first, however often the text names it`, async () => {
    const res = await postJson(server.url, "/v1/suggest", {
      title: "Object detection in PyTorch",
      description: "PyTorch and object detection. ".repeat(300),
    });
    expect(res.status).toBe(200);
    const pytorch = res.json.suggestions.find((s: { tag: string }) => s.tag === "pytorch");
    expect(pytorch?.evidence).toHaveLength(MAX_EVIDENCE_SPANS);
    expect(pytorch.evidence.slice(0, 2)).toEqual([
      { field: "title", text: "PyTorch", start: 20, end: 27 },
      { field: "description", text: "PyTorch", start: 0, end: 7 },
    ]);
    for (const s of res.json.suggestions)
      expect(s.evidence?.length ?? 0).toBeLessThanOrEqual(MAX_EVIDENCE_SPANS);
    // 300 mentions each of two tags were 600 spans.
    expect(res.text.length).toBeLessThan(4_000);
  });

  it("never suggests a tag the author chose, named by alias or in another case", async () => {
    const before = await postJson(server.url, "/v1/suggest", { ...TEXT, limit: 20 });
    const tags = before.json.suggestions.map((s: { tag: string }) => s.tag);
    expect(tags).toContain("pytorch");
    expect(tags).toContain("natural-language-processing");
    const after = await postJson(server.url, "/v1/suggest", {
      ...TEXT,
      limit: 20,
      tags: ["PYTORCH", "nlp"],
    });
    const left = after.json.suggestions.map((s: { tag: string }) => s.tag);
    expect(left).not.toContain("pytorch");
    expect(left).not.toContain("natural-language-processing");
  });

  it("keeps to the limit (default 5) and accepts a content id", async () => {
    const one = await postJson(server.url, "/v1/suggest", { ...TEXT, limit: 1, content_id: 17 });
    expect(one.status).toBe(200);
    expect(one.json.suggestions).toHaveLength(1);
    const many = await postJson(server.url, "/v1/suggest", {
      ...TEXT,
      limit: 20,
      content_id: "a-1",
    });
    expect(many.json.suggestions.length).toBeGreaterThan(5);
  });

  it("answers an empty title and description with no suggestions, not an error, as the CLI does", async () => {
    for (const body of [
      { title: "" },
      { title: "", description: "" },
      { title: "  ", description: "\n" },
    ]) {
      const res = await postJson(server.url, "/v1/suggest", body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(res.json.suggestions).toEqual([]);
    }
    const batch = await postJson(server.url, "/v1/suggest/batch", {
      items: [{ id: 1, title: "" }],
    });
    expect(batch.status).toBe(200);
    expect(batch.json.results["1"].suggestions).toEqual([]);
  });

  it("says truncated when a text is longer than the model reads", async () => {
    const res = await postJson(server.url, "/v1/suggest", {
      title: `PyTorch ${"x".repeat(MAX_TITLE_CHARS)}`,
    });
    expect(res.status).toBe(200);
    expect(res.json.truncated).toBe(true);
  });

  it("uses the client's x-request-id when it is well formed", async () => {
    const res = await send(server.url, {
      method: "POST",
      path: "/v1/suggest",
      headers: { "content-type": "application/json", "x-request-id": "client-42" },
      body: JSON.stringify(TEXT),
    });
    expect(res.json.request_id).toBe("client-42");
    const odd = await send(server.url, {
      method: "POST",
      path: "/v1/suggest",
      headers: { "content-type": "application/json", "x-request-id": "no spaces allowed" },
      body: JSON.stringify(TEXT),
    });
    expect(odd.json.request_id).not.toBe("no spaces allowed");
  });
});

describe("POST /v1/suggest/batch", () => {
  it("answers every item, keyed by id, as the single route would", async () => {
    const res = await postJson(server.url, "/v1/suggest/batch", {
      items: [
        { id: 1, ...TEXT },
        { id: "two", title: "Object detection with YOLO", tags: ["computer vision"] },
      ],
      limit: 3,
    });
    expect(res.status).toBe(200);
    expect(res.json.model.id).toBe(modelId);
    expect(Object.keys(res.json.results).sort()).toEqual(["1", "two"]);
    const single = await postJson(server.url, "/v1/suggest", { ...TEXT, limit: 3 });
    expect(res.json.results["1"].suggestions).toEqual(single.json.suggestions);
    const two = res.json.results.two.suggestions.map((s: { tag: string }) => s.tag);
    expect(two).not.toContain("computer-vision");
    expect(two.length).toBeLessThanOrEqual(3);
  });

  it("keeps items whose ids are property names of plain objects, and refuses the one that cannot be a key", async () => {
    const res = await postJson(server.url, "/v1/suggest/batch", {
      items: [
        { id: "constructor", title: "GANs in PyTorch" },
        { id: "toString", title: "BERT" },
      ],
    });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json.results).sort()).toEqual(["constructor", "toString"]);
    const proto = await send(server.url, {
      method: "POST",
      path: "/v1/suggest/batch",
      headers: { "content-type": "application/json" },
      body: '{"items": [{"id": "__proto__", "title": "GANs in PyTorch"}]}',
    });
    expect(proto.status).toBe(400);
    expect(proto.json.error.message).toContain("__proto__");
  });
});

describe("GET /v1/tags", () => {
  it("finds tags by alias, ignoring case, spaces and hyphens", async () => {
    const byAlias = await send(server.url, { path: "/v1/tags?query=NLP" });
    expect(byAlias.status).toBe(200);
    expect(byAlias.json.tags[0]).toMatchObject({
      tag: "natural-language-processing",
      matched: "nlp",
      category: "domains",
    });
    expect(byAlias.json.tags[0].aliases).toContain("nlp");
    const spaced = await send(server.url, { path: "/v1/tags?query=computer%20vis" });
    expect(spaced.json.tags[0].tag).toBe("computer-vision");
    const joined = await send(server.url, { path: "/v1/tags?query=objectdetection" });
    expect(joined.json.tags[0].tag).toBe("object-detection");
  });

  it("ranks exact, then prefix, then substring matches, and keeps to the limit", async () => {
    const res = await send(server.url, { path: "/v1/tags?query=class&limit=2" });
    expect(res.json.tags).toHaveLength(2);
    expect(res.json.total).toBeGreaterThanOrEqual(2);
    for (const t of res.json.tags) expect(t.matched.toLowerCase()).toContain("class");
    const exact = await send(server.url, { path: "/v1/tags?query=pytorch" });
    expect(exact.json.tags[0].tag).toBe("pytorch");
  });

  it("lists every tag in name order without a query, 10 by default", async () => {
    const res = await send(server.url, { path: "/v1/tags" });
    expect(res.json.total).toBe(taxonomy.size);
    expect(res.json.tags).toHaveLength(10);
    const names = res.json.tags.map((t: { tag: string }) => t.tag);
    expect(names).toEqual([...names].sort());
  });
});

describe("the UI and cross-origin hosts", () => {
  it("serves the editor at / under a strict content security policy, and the widget to any origin", async () => {
    const page = await send(server.url, { path: "/" });
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.headers["content-security-policy"]).toMatch(/default-src 'self'/);
    expect(page.text).toMatch(/<tagsmith-suggestions/);
    const widget = await send(server.url, { path: "/widget.js" });
    expect(widget.status).toBe(200);
    expect(widget.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(widget.headers["access-control-allow-origin"]).toBe("*");
    expect(widget.text).toMatch(/tagsmith-suggestions/);
    expect(widget.headers["cache-control"]).toMatch(/max-age=/);
    const zipped = await send(server.url, {
      path: "/widget.js",
      headers: { "accept-encoding": "gzip, deflate, br" },
    });
    expect(zipped.headers["content-encoding"]).toBe("gzip");
    expect(Number(zipped.headers["content-length"])).toBeLessThan(widget.text.length / 2);
  });

  it("answers a preflight from a page on another origin, so the widget can be embedded there", async () => {
    const res = await send(server.url, {
      method: "OPTIONS",
      path: "/v1/suggest",
      headers: {
        origin: "https://platform.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type",
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers["access-control-allow-origin"]).toBe("*");
    expect(String(res.headers["access-control-allow-methods"])).toMatch(/POST/);
    const feedback = await send(server.url, {
      method: "OPTIONS",
      path: "/v1/feedback",
      headers: { origin: "https://platform.example", "access-control-request-method": "POST" },
    });
    expect(feedback.headers["access-control-allow-origin"]).toBe("*");
    const tags = await send(server.url, {
      path: "/v1/tags?query=nlp",
      headers: { origin: "https://platform.example" },
    });
    expect(tags.headers["access-control-allow-origin"]).toBe("*");
    // Refusals answered before any route carry the CORS headers too, so a widget on another site can read them, and
    // a preflight its request id.
    const malformed = await send(server.url, {
      path: "/v1/tags?query=%ZZ",
      headers: { origin: "https://platform.example" },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.headers["access-control-allow-origin"]).toBe("*");
    expect(res.headers["x-request-id"]).toEqual(expect.any(String));
  });

  it("lets no other origin read or write saved content, nor call the admin routes", async () => {
    const origin = "https://any-site.example";
    for (const [method, path] of [
      ["PUT", "/v1/content/1"],
      ["POST", "/v1/content"],
      ["POST", "/v1/admin/review/1/decision"],
      ["POST", "/v1/admin/review/1/undo"],
    ] as const) {
      const preflight = await send(server.url, {
        method: "OPTIONS",
        path,
        headers: { origin, "access-control-request-method": method },
      });
      expect(preflight.headers["access-control-allow-origin"], path).toBeUndefined();
    }
    for (const path of ["/v1/content", "/v1/admin/models"]) {
      const read = await send(server.url, { path, headers: { origin } });
      expect(read.headers["access-control-allow-origin"], path).toBeUndefined();
    }
  });
});

describe("every answer", () => {
  it("says X-Content-Type-Options: nosniff: pages, scripts, the API, probes, docs and refusals before any route", async () => {
    const answers = [
      ...(await Promise.all(
        [
          "/",
          "/widget.js",
          "/v1/tags",
          "/healthz",
          "/docs",
          "/openapi.json",
          "/no-such-route",
          "/v1/tags?query=%ZZ",
        ].map((path) => send(server.url, { path })),
      )),
      await send(server.url, { path: "/v1/tags", headers: { "x-long": "a".repeat(20_000) } }),
    ];
    for (const res of answers)
      expect(res.headers["x-content-type-options"], String(res.status)).toBe("nosniff");
    expect(answers.at(-1)?.status).toBe(431);
  });
});

describe("operations", () => {
  it("GET /healthz and /readyz", async () => {
    expect((await send(server.url, { path: "/healthz" })).json).toEqual({ status: "ok" });
    const ready = await send(server.url, { path: "/readyz" });
    expect(ready.status).toBe(200);
    expect(ready.json.model.id).toBe(modelId);
  });

  it("GET /metrics: latency by route and model, suggestions by source, errors by code", async () => {
    await postJson(server.url, "/v1/suggest", TEXT);
    await postJson(server.url, "/v1/suggest", { title: 3 });
    const res = await send(server.url, { path: "/metrics" });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain/);
    expect(res.text).toMatch(
      new RegExp(
        `tagsmith_http_request_duration_seconds_count\\{method="POST",route="/v1/suggest",status="200",model="${modelId}"\\} \\d+`,
      ),
    );
    expect(res.text).toMatch(
      new RegExp(`tagsmith_suggestions_total\\{model="${modelId}",source="explicit"\\} \\d+`),
    );
    expect(res.text).toMatch(
      /tagsmith_http_errors_total\{code="invalid_request",status="400"\} \d+/,
    );
    expect(res.text).toMatch(new RegExp(`tagsmith_model_info\\{model="${modelId}",.*\\} 1`));
  });

  it("GET /openapi.json is a valid OpenAPI 3.1 document, by the specification's own schema", async () => {
    const doc = (await send(server.url, { path: "/openapi.json" })).json;
    const { valid, errors } = await validate(doc);
    expect(errors).toEqual([]);
    expect(valid).toBe(true);
  });

  it("GET /openapi.json documents every route, schema and error; GET /docs is a page", async () => {
    const doc = (await send(server.url, { path: "/openapi.json" })).json;
    expect(doc.openapi).toMatch(/^3\.1/);
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/",
        "/widget.js",
        "/healthz",
        "/metrics",
        "/openapi.json",
        "/readyz",
        "/v1/suggest",
        "/v1/suggest/batch",
        "/v1/tags",
        "/v1/content",
        "/v1/content/{id}",
        "/v1/content/{id}/versions",
        "/v1/feedback",
        "/admin",
        "/v1/admin/models",
        "/v1/metrics/online",
        "/v1/admin/review",
        "/v1/admin/review/{id}/decision",
        "/v1/admin/review/{id}/undo",
        "/v1/admin/taxonomy/candidates",
        "/v1/admin/taxonomy/candidates/{tag}/proposal",
      ].sort(),
    );
    for (const name of [
      "SuggestRequest",
      "SuggestResponse",
      "BatchRequest",
      "BatchResponse",
      "TagsResponse",
      "ContentDraft",
      "Content",
      "FeedbackRequest",
      "Error",
    ])
      expect(doc.components.schemas).toHaveProperty(name);
    expect(doc.info.description).toContain(
      "A /v1 route refuses a query parameter it does not take",
    );
    const errorCodes = doc.components.schemas.Error.properties.error.properties.code.enum;
    expect(errorCodes).toEqual(
      expect.arrayContaining(["invalid_request", "too_many_items", "rate_limited"]),
    );
    const suggest = doc.paths["/v1/suggest"].post;
    expect(Object.keys(suggest.responses).sort()).toEqual([
      "200",
      "400",
      "405",
      "408",
      "413",
      "415",
      "421",
      "429",
      "431",
      "503",
    ]);
    expect(suggest.requestBody.content["application/json"].schema.$ref).toMatch(/SuggestRequest/);
    // The headers a client should read are typed, not only named in prose.
    expect(suggest.responses["429"].headers["Retry-After"].schema).toEqual({ type: "integer" });
    expect(suggest.responses["503"].headers["Retry-After"].description).toMatch(/seconds/);
    expect(suggest.responses["405"].headers.Allow.schema).toEqual({ type: "string" });
    expect(doc.paths["/v1/content"].post.responses["201"].headers.Location.description).toMatch(
      /\/v1\/content\/\{id\}/,
    );
    // Every route can answer shutting_down while the process stops (a kept-alive connection's next request), 400 to
    // a malformed percent-encoding (GET /healthz?x=%ZZ), 408 to headers that take too long, 421 to a foreign Host on
    // a loopback address and 431 to a URL or headers over 16 kB.
    for (const [path, item] of Object.entries(doc.paths) as [
      string,
      Record<string, { responses: object }>,
    ][])
      for (const [method, operation] of Object.entries(item))
        for (const status of ["400", "408", "421", "431", "503"])
          expect(operation.responses, `${method} ${path}`).toHaveProperty(status);
    expect(doc.paths["/healthz"].get.responses["400"].description).toMatch(/percent-encoding/);
    expect(doc.paths["/"].get.responses["431"].description).toMatch(/^headers_too_large/);
    expect(
      doc.paths["/v1/tags"].get.parameters.map((p: { name: string }) => p.name).sort(),
    ).toEqual(["limit", "query"]);
    // Numbers in a URL are read as decimal digits only; the document says so where it names them.
    const limit = doc.paths["/v1/tags"].get.parameters.find(
      (p: { name: string }) => p.name === "limit",
    );
    expect(limit.schema.pattern).toBe("^[0-9]+$");
    expect(limit.description).toMatch(/1 to 100, default 10\. Decimal digits only/);
    const [id] = doc.paths["/v1/content/{id}"].get.parameters;
    expect(id).toMatchObject({ in: "path", name: "id", schema: { pattern: "^[0-9]+$" } });
    expect(id.description).toMatch(/Decimal digits only/);
    // Field descriptions reach the document, not only the named schemas'.
    expect(doc.components.schemas.SuggestRequest.properties.limit.description).toMatch(/At most/);
    const docs = await send(server.url, { path: "/docs" });
    expect(docs.status).toBe(200);
    expect(docs.headers["content-type"]).toMatch(/text\/html/);
  });

  it("GET /openapi.json holds one schema per name, in the direction the routes use it, and none unused", async () => {
    const doc = (await send(server.url, { path: "/openapi.json" })).json;
    const schemas: Record<string, { required?: string[] }> = doc.components.schemas;
    const refs = (value: unknown) =>
      [...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map(
        ([, name]) => name as string,
      );
    const used = new Set<string>();
    const pending = refs(doc.paths);
    for (let name = pending.pop(); name !== undefined; name = pending.pop())
      if (!used.has(name)) {
        used.add(name);
        pending.push(...refs(schemas[name]));
      }
    expect(Object.keys(schemas).sort()).toEqual([...used].sort());
    expect(Object.keys(schemas).filter((name) => name.endsWith("Input"))).toEqual([]);
    // Requests as a client sends them: a defaulted field is optional. Responses as the server sends them.
    expect(schemas.SuggestRequest?.required).toEqual(["title"]);
    expect(schemas.BatchRequest?.required).toEqual(["items"]);
    expect(schemas.ContentDraft?.required).toEqual(["title"]);
    expect(schemas.ContentUpdate?.required).not.toContain("description");
    expect(schemas.SuggestResponse?.required).toContain("suggestions");
    expect(doc.paths["/v1/suggest"].post.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/SuggestRequest",
    });
    expect(doc.paths["/v1/content"].post.requestBody.content["application/json"].schema).toEqual({
      $ref: "#/components/schemas/ContentDraft",
    });
  });

  it("GET /openapi.json states the times occurred_at takes, which its date-time pattern cannot", async () => {
    const doc = (await send(server.url, { path: "/openapi.json" })).json;
    const { occurred_at } = doc.components.schemas.ShownEvent.properties;
    // The pattern (zod's, for any date-time) takes the year 0000; the server refuses it.
    expect(occurred_at.description).toContain(
      "from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z in UTC",
    );
    expect(occurred_at.description).toMatch(
      /a year 0000, or 0001-01-01T00:30:00\+01:00, is refused \(400\)/,
    );
  });

  it("GET /openapi.json states the evidence cap and which final tags proxy recall leaves out", async () => {
    const doc = (await send(server.url, { path: "/openapi.json" })).json;
    const { evidence } = doc.components.schemas.Suggestion.properties;
    expect(evidence.maxItems).toBe(MAX_EVIDENCE_SPANS);
    expect(evidence.description).toContain(
      `At most ${MAX_EVIDENCE_SPANS} spans: the first occurrences`,
    );
    // A tag chosen before the session's first suggestions is neither found nor missed.
    const prechosen =
      /already chosen before the session's first suggestions \(in the `chosen` list of its first `shown` event/;
    expect(doc.paths["/v1/metrics/online"].get.description).toMatch(prechosen);
    expect(doc.components.schemas.OnlineMetricsRow.properties.proxy_recall.description).toMatch(
      prechosen,
    );
  });

  it("is not ready, and says so on every route, until a registry has a production model", async () => {
    const registry = await tempDir("tagsmith-empty-registry-");
    const empty = await serveForTest({ kind: "registry", dir: registry });
    try {
      const ready = await send(empty.url, { path: "/readyz" });
      expect(ready.status).toBe(503);
      expect(ready.json.error.code).toBe("not_ready");
      expect(ready.headers["retry-after"]).toBe("5");
      const suggest = await postJson(empty.url, "/v1/suggest", TEXT);
      expect(suggest.status).toBe(503);
      expect(suggest.json.error).toEqual(ready.json.error);
      expect(suggest.headers["retry-after"]).toBe("5");
      expect((await send(empty.url, { path: "/healthz" })).status).toBe(200);
    } finally {
      await empty.close();
      await removeDir(registry);
    }
  });
});
