// The review and taxonomy admin routes on the embedded store in memory: the queue, decisions, candidates and
// proposals, and every refusal. Over the service's own app (buildApp) once app.ts registers them; until then over a
// small Fastify app with the service's validation, error bodies and admin token scope.

import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Fastify from "fastify";
import { serializerCompiler, type ZodTypeProvider } from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { loadModel } from "../../src/model/index.js";
import { registerAdminRoutes } from "../../src/serve/admin-auth.js";
import { buildApp, type ServiceApp } from "../../src/serve/app.js";
import { InvalidRequestError, toApiError } from "../../src/serve/errors.js";
import { MAX_TAG_CHARS } from "../../src/serve/limits.js";
import { createMetrics } from "../../src/serve/metrics.js";
import { registerReviewRoutes } from "../../src/serve/review-routes.js";
import { servedModel } from "../../src/serve/served-model.js";
import { type ContentStore, openStore } from "../../src/store/index.js";
import { silentLogger, trainSample } from "../support/serve.js";
import { embeddedStore } from "../support/store-image.js";

const TOKEN = "t";
let dir: string;
let store: ContentStore;
let app: ServiceApp;
let contentId: number;
/** Whether the routes are served by buildApp's app (registered in app.ts), with its OpenAPI document. */
let wired = false;

/** The routes alone, validated and answered as the service does (app.ts's validator and error handler). */
async function routesAlone(
  options: Parameters<typeof registerReviewRoutes>[1],
): Promise<ServiceApp> {
  const alone = Fastify().withTypeProvider<ZodTypeProvider>();
  alone.setValidatorCompiler<z.ZodType>(({ schema }) => (data) => {
    const result = schema.safeParse(data);
    return result.success
      ? { value: result.data }
      : { error: new InvalidRequestError(result.error.issues) };
  });
  alone.setSerializerCompiler(serializerCompiler);
  alone.setErrorHandler((error, _request, reply) => {
    const api = toApiError(error, 1 << 20);
    return reply.code(api.statusCode).headers(api.headers).send(api.body());
  });
  await registerAdminRoutes(alone as unknown as ServiceApp, TOKEN, (admin) =>
    registerReviewRoutes(admin, options),
  );
  return alone as unknown as ServiceApp;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-review-routes-"));
  const model = servedModel(await loadModel(await trainSample(dir, { tagger: "frequent" })), dir);
  store = await openStore(embeddedStore());
  ({ app } = await buildApp({
    model: () => model,
    logger: silentLogger(),
    metrics: createMetrics(),
    version: "test",
    http: { rateLimit: 0 },
    adminToken: TOKEN,
    store,
  }));
  await app.ready();
  wired = app.hasRoute({ method: "GET", url: "/v1/admin/review" });
  if (!wired) {
    await app.close();
    app = await routesAlone({ store, taxonomy: () => model.taxonomy });
    await app.ready();
  }

  await store.recordFeedback([
    {
      type: "shown",
      key: "shown-1",
      session: "s1",
      contentId: null,
      requestId: null,
      modelId: "frequent",
      modelVersion: "v1",
      suggestions: [
        { tag: "computer-vision", score: 0.9, source: "implicit" },
        { tag: "pytorch", score: 0.3, source: "implicit" },
      ],
      latencyMs: null,
      chosen: null,
    },
  ]);
  const content = await store.create({
    title: "Segmenting cells in microscopy images",
    description: "A U-Net in PyTorch.",
    tags: ["segmentation"],
    unapprovedTags: ["Microscopy", "cv"],
    author: "ada",
    session: "s1",
  });
  contentId = content.id;
  await store.create({
    title: "Counting cells",
    description: "",
    tags: [],
    unapprovedTags: ["microscopy", "Biology"],
    author: "bo",
    session: null,
  });
}, 60_000);

afterAll(async () => {
  await app?.close();
  await store?.close();
  await rm(dir, { recursive: true, force: true });
});

const auth = { authorization: `Bearer ${TOKEN}` };
const get = (url: string, headers: Record<string, string> = auth) =>
  app.inject({ method: "GET", url, headers });
const post = (url: string, body: unknown, headers: Record<string, string> = auth) =>
  app.inject({ method: "POST", url, headers, payload: body as Record<string, unknown> });

describe("the review routes", () => {
  it("answer 401 without the admin token", async () => {
    for (const res of [
      await get("/v1/admin/review", {}),
      await post("/v1/admin/review/1/decision", { applies: true, reviewer: "r" }, {}),
      await post("/v1/admin/review/1/undo", { reviewer: "r", decided_at: "x" }, {}),
      await get("/v1/admin/taxonomy/candidates", {}),
      await post(
        "/v1/admin/taxonomy/candidates/x/proposal",
        { action: "approve", proposer: "p" },
        {},
      ),
    ]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe("unauthorized");
    }
  });

  it("GET /v1/admin/review lists pending questions, oldest first, in the agreed shape", async () => {
    const res = await get("/v1/admin/review");
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json();
    expect(total).toBe(2);
    expect(items).toEqual([
      {
        id: expect.any(Number),
        content_id: contentId,
        title: "Segmenting cells in microscopy images",
        description: "A U-Net in PyTorch.",
        tag: "segmentation",
        rule: "possible_miss",
        score: null,
        reason: null,
        comment: null,
        created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        applies: null,
        reviewer: null,
        note: null,
        decided_at: null,
      },
      expect.objectContaining({
        tag: "computer-vision",
        rule: "unaccepted_suggestion",
        score: 0.9,
      }),
    ]);
    expect((await get("/v1/admin/review?limit=1&offset=1")).json().items).toEqual([items[1]]);
    expect((await get("/v1/admin/review?status=decided")).json()).toEqual({ items: [], total: 0 });
    const bad = await get("/v1/admin/review?status=open&limit=0");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toMatch(/^(status|limit)$/);
  });

  it("POST /v1/admin/review/{id}/decision decides once: then 409, an unknown id 404, a bad body 400", async () => {
    const [first] = (await get("/v1/admin/review")).json().items;
    const url = `/v1/admin/review/${first.id}/decision`;
    const decided = await post(url, { applies: true, reviewer: "rita", note: "clearly" });
    expect(decided.statusCode).toBe(200);
    expect(decided.json()).toMatchObject({
      id: first.id,
      applies: true,
      reviewer: "rita",
      note: "clearly",
      decided_at: expect.stringMatching(/^\d{4}-/),
    });
    const again = await post(url, { applies: false, reviewer: "sam" });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: "conflict", details: { field: "id" } });
    expect(again.json().error.message).toContain("rita");

    const unknown = await post("/v1/admin/review/987654/decision", {
      applies: true,
      reviewer: "r",
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.details.field).toBe("id");
    const missing = await post(url, { reviewer: "r" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.field).toBe("applies");
    const extra = await post(url, { applies: true, reviewer: "r", colour: "red" });
    expect(extra.json().error.details.field).toBe("colour");

    const page = (await get("/v1/admin/review?status=decided")).json();
    expect(page.total).toBe(1);
    expect(page.items[0].id).toBe(first.id);
  });

  it("POST /v1/admin/review/{id}/undo takes a decision back; refuses with 409 what it cannot undo, and bad input with 400", async () => {
    const [item] = (await get("/v1/admin/review")).json().items;
    const url = `/v1/admin/review/${item.id}/undo`;
    const decided = (
      await post(`/v1/admin/review/${item.id}/decision`, { applies: false, reviewer: "rita" })
    ).json();
    const someoneElse = await post(url, { reviewer: "sam", decided_at: decided.decided_at });
    expect(someoneElse.statusCode).toBe(409);
    expect(someoneElse.json().error).toMatchObject({
      code: "conflict",
      details: { field: "reviewer" },
    });
    expect(someoneElse.json().error.message).toContain("ask rita");

    const undone = await post(url, { reviewer: "rita", decided_at: decided.decided_at });
    expect(undone.statusCode).toBe(200);
    expect(undone.json()).toEqual({
      ...decided,
      applies: null,
      reviewer: null,
      note: null,
      decided_at: null,
    });
    expect((await store.qaLabels()).filter((l) => l.itemId === item.id)).toEqual([]);
    const pending = (await get("/v1/admin/review")).json().items;
    expect(pending.map((i: { id: number }) => i.id)).toContain(item.id);

    const twice = await post(url, { reviewer: "rita", decided_at: decided.decided_at });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toContain("is pending");
    const unknown = await post("/v1/admin/review/987654/undo", {
      reviewer: "rita",
      decided_at: decided.decided_at,
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.details.field).toBe("id");

    for (const [body, field] of [
      [{ reviewer: "rita" }, "decided_at"],
      [{ reviewer: "rita", decided_at: "yesterday" }, "decided_at"],
      [{ reviewer: "rita", decided_at: "2026-03-01T10:00:00+01:00" }, "decided_at"],
      [{ decided_at: decided.decided_at }, "reviewer"],
      [{ reviewer: " ", decided_at: decided.decided_at }, "reviewer"],
      [{ reviewer: "rita", decided_at: decided.decided_at, applies: true }, "applies"],
    ] as const) {
      const bad = await post(url, body);
      expect(bad.statusCode, JSON.stringify(body)).toBe(400);
      expect(bad.json().error.details.field, JSON.stringify(body)).toBe(field);
    }
    expect((await post("/v1/admin/review/0x1/undo", { reviewer: "r" })).statusCode).toBe(400);
  });
});

describe("the taxonomy candidate routes", () => {
  it("GET /v1/admin/taxonomy/candidates ranks unapproved tags by uses, then authors, with examples", async () => {
    const res = await get("/v1/admin/taxonomy/candidates?limit=2");
    expect(res.statusCode).toBe(200);
    const { candidates } = res.json();
    expect(candidates.map((c: { tag: string }) => c.tag)).toEqual(["microscopy", "biology"]);
    expect(candidates[0]).toMatchObject({
      uses: 2,
      authors: 2,
      examples: [
        { content_id: expect.any(Number), title: "Counting cells" },
        { content_id: contentId, title: "Segmenting cells in microscopy images" },
      ],
      proposal: null,
    });
    expect(candidates[0].spellings.sort()).toEqual(["Microscopy", "microscopy"]);
  });

  it("POST .../proposal stores one proposal per candidate, checking tag names against the taxonomy", async () => {
    const url = "/v1/admin/taxonomy/candidates/Microscopy/proposal";
    const notApproved = await post(url, {
      action: "alias",
      alias_of: "microscopes",
      proposer: "cara",
    });
    expect(notApproved.statusCode).toBe(400);
    expect(notApproved.json().error.details.field).toBe("alias_of");
    const badParent = await post(url, {
      action: "approve",
      parents: ["cv", "optics"],
      proposer: "cara",
    });
    expect(badParent.statusCode).toBe(400);
    expect(badParent.json().error.details.field).toBe("parents[1]");
    const noAlias = await post(url, { action: "alias", proposer: "cara" });
    expect(noAlias.statusCode).toBe(400);
    expect(noAlias.json().error.details.field).toBe("alias_of");
    // A name with no letter or digit could never be found in text: refused before anything is looked up.
    for (const tag of ["---", "%F0%9F%A4%96"]) {
      const unmatchable = await post(`/v1/admin/taxonomy/candidates/${tag}/proposal`, {
        action: "approve",
        proposer: "cara",
      });
      expect(unmatchable.statusCode, tag).toBe(400);
      expect(unmatchable.json().error.message).toContain("has no letter or digit");
    }

    // A tag as long as content may hold (200 characters) is a candidate name the route takes; a longer one is named.
    const longest = await post(
      `/v1/admin/taxonomy/candidates/${"t".repeat(MAX_TAG_CHARS)}/proposal`,
      {
        action: "approve",
        proposer: "cara",
      },
    );
    expect(longest.json().error?.code).not.toBe("invalid_request");
    const tooLong = await post(
      `/v1/admin/taxonomy/candidates/${"t".repeat(MAX_TAG_CHARS + 1)}/proposal`,
      { action: "approve", proposer: "cara" },
    );
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details.field).toBe("tag");
    const wayTooLong = await post(`/v1/admin/taxonomy/candidates/${"t".repeat(1000)}/proposal`, {
      action: "approve",
      proposer: "cara",
    });
    expect(wayTooLong.statusCode).toBe(400);
    expect(wayTooLong.json().error).toMatchObject({
      message:
        "invalid path: a segment is over 400 characters, longer than any tag or id the API takes",
      details: { field: "path" },
    });

    const created = await post(url, {
      action: "approve",
      category: "domains",
      parents: ["cv"],
      proposer: "cara",
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toEqual({
      id: expect.any(Number),
      tag: "microscopy",
      action: "approve",
      alias_of: null,
      category: "domains",
      parents: ["computer-vision"],
      proposer: "cara",
      status: "pending",
      created_at: expect.stringMatching(/^\d{4}-/),
    });
    const again = await post(url, {
      action: "alias",
      alias_of: "computer-vision",
      proposer: "dan",
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatchObject({ code: "conflict", details: { field: "tag" } });

    const alias = await post("/v1/admin/taxonomy/candidates/biology/proposal", {
      action: "alias",
      alias_of: "Computer Vision",
      proposer: "cara",
    });
    expect(alias.statusCode).toBe(201);
    expect(alias.json()).toMatchObject({ tag: "biology", alias_of: "computer-vision" });

    const unknown = await post("/v1/admin/taxonomy/candidates/nobody-uses-this/proposal", {
      action: "approve",
      proposer: "cara",
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.details.field).toBe("tag");
    // "cv" was stored unapproved, but the taxonomy has it as an alias now: nothing to propose.
    const approved = await post("/v1/admin/taxonomy/candidates/cv/proposal", {
      action: "approve",
      proposer: "cara",
    });
    expect(approved.statusCode).toBe(400);
    expect(approved.json().error.details.field).toBe("tag");

    const listed = (await get("/v1/admin/taxonomy/candidates")).json().candidates;
    expect(listed.find((c: { tag: string }) => c.tag === "microscopy").proposal).toMatchObject({
      action: "approve",
      proposer: "cara",
    });
  });

  it("are in the OpenAPI document under admin, with their schemas", async (context) => {
    if (!wired) context.skip("app.ts does not register the review routes yet");
    const doc = (await get("/openapi.json", {})).json();
    for (const path of [
      "/v1/admin/review",
      "/v1/admin/review/{id}/decision",
      "/v1/admin/review/{id}/undo",
      "/v1/admin/taxonomy/candidates",
      "/v1/admin/taxonomy/candidates/{tag}/proposal",
    ]) {
      const methods = Object.values(doc.paths[path] ?? {}) as {
        tags: string[];
        security: unknown;
      }[];
      expect(methods.length, path).toBeGreaterThan(0);
      for (const m of methods) {
        expect(m.tags).toEqual(["admin"]);
        expect(m.security).toEqual([{ adminToken: [] }]);
      }
    }
    for (const name of [
      "ReviewItem",
      "ReviewPage",
      "ReviewDecision",
      "ReviewUndo",
      "TaxonomyCandidates",
      "TaxonomyProposal",
    ])
      expect(doc.components.schemas).toHaveProperty(name);
  });
});
