// GET /v1/metrics/online behind the admin token, on a small Fastify app built like the service's (zod schemas, the
// API's error bodies) over an in-memory store: the answer's shape, the token, bad queries and no store.

import Fastify from "fastify";
import {
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerAdminRoutes } from "../../src/serve/admin-auth.js";
import type { ServiceApp } from "../../src/serve/app.js";
import { toApiError } from "../../src/serve/errors.js";
import { registerOnlineMetricsRoutes } from "../../src/serve/online-metrics-routes.js";
import { type ContentStore, openStore } from "../../src/store/index.js";
import { accepted, draft, shown } from "../store/store.case.js";
import { embeddedStore } from "../support/store-image.js";

const TOKEN = "metrics-test-token";

async function metricsApp(store: ContentStore | null): Promise<ServiceApp> {
  const app = Fastify().withTypeProvider<ZodTypeProvider>() as unknown as ServiceApp;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler((error, _request, reply) => {
    const answer = toApiError(error, 1024);
    return reply.code(answer.statusCode).send(answer.body());
  });
  await registerAdminRoutes(app, TOKEN, (admin) => registerOnlineMetricsRoutes(admin, { store }));
  await app.ready();
  return app;
}

const get = (app: ServiceApp, url: string, token: string | null = TOKEN) =>
  app.inject({
    method: "GET",
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });

describe("GET /v1/metrics/online", () => {
  let store: ContentStore;
  let app: ServiceApp;
  beforeAll(async () => {
    store = await openStore(embeddedStore());
    // 4 tags shown (b again on a re-poll), a accepted, b reported; saved with a and x.
    await store.recordFeedback([
      shown("s1", ["a", "b", "c", "d"], { modelId: "m1", latencyMs: 10 }),
      shown("s1", ["b"], { modelId: "m1", latencyMs: 30 }),
      accepted("s1", "a"),
      {
        type: "reported",
        key: "r1",
        session: "s1",
        contentId: null,
        requestId: null,
        modelId: "m1",
        modelVersion: "v1",
        tag: "b",
        reason: "wrong",
        comment: null,
      },
    ]);
    await store.create(draft({ session: "s1", tags: ["a", "x"] }));
    app = await metricsApp(store);
  }, 30_000);
  afterAll(async () => {
    await app?.close();
    await store?.close();
  });

  it("answers the overall row and the groups asked for, in the API's field names", async () => {
    const res = await get(app, "/v1/metrics/online?by=model");
    expect(res.statusCode).toBe(200);
    const overall = {
      key: "all",
      shown: 4,
      accepted: 1,
      reported: 1,
      acceptance_rate: 0.25,
      reports_per_1000: 250,
      saved_items: 1,
      proxy_recall: 0.5,
      proxy_precision: 0.25,
      latency_ms: { p50: 20, p95: 29, n: 2 },
    };
    expect(res.json()).toEqual({
      by: "model",
      from: null,
      to: null,
      model: null,
      overall,
      groups: [{ ...overall, key: "m1" }],
    });
    const plain = await get(app, "/v1/metrics/online");
    expect(plain.json()).toMatchObject({ by: null, groups: [] });
  });

  it("filters by day and model", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await get(app, `/v1/metrics/online?from=2000-01-01&to=${today}&model=m1&by=tag`);
    expect(res.statusCode).toBe(200);
    expect(res.json().groups.map((g: { key: string; shown: number }) => [g.key, g.shown])).toEqual([
      ["a", 1],
      ["b", 1],
      ["c", 1],
      ["d", 1],
      ["x", 0],
    ]);
    const other = await get(app, "/v1/metrics/online?model=m2");
    expect(other.json().overall).toMatchObject({ shown: 0, acceptance_rate: null });
  });

  it("takes every day the store keeps, the first and the last, and refuses year 0", async () => {
    const all = (await get(app, "/v1/metrics/online")).json().overall;
    for (const query of ["from=0001-01-01&to=9999-12-31", "to=9999-12-31", "from=0001-01-01"]) {
      const res = await get(app, `/v1/metrics/online?${query}`);
      expect(res.statusCode, query).toBe(200);
      expect(res.json().overall, query).toEqual(all);
    }
    expect((await get(app, "/v1/metrics/online?from=9999-12-31")).json().overall.shown).toBe(0);
    for (const query of ["from=0000-01-01", "to=0000-02-29"]) {
      const res = await get(app, `/v1/metrics/online?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(JSON.stringify(res.json().error), query).toContain(
        "not a day of the calendar (0001-01-01 to 9999-12-31)",
      );
    }
  });

  it("answers 401 without the admin token", async () => {
    const res = await get(app, "/v1/metrics/online", null);
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe("unauthorized");
    expect((await get(app, "/v1/metrics/online", "wrong")).statusCode).toBe(401);
  });

  it("refuses a day that is not one, a range backwards, an unknown grouping or parameter", async () => {
    for (const query of [
      "from=2024-02-30",
      "to=last-week",
      "from=2024-03-02&to=2024-03-01",
      "by=hour",
      "colour=red",
    ]) {
      const res = await get(app, `/v1/metrics/online?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().error.code, query).toBe("invalid_request");
    }
    // A range backwards in the words the CLI uses, on the field to change.
    const backwards = (await get(app, "/v1/metrics/online?from=2024-03-02&to=2024-03-01")).json();
    expect(JSON.stringify(backwards.error)).toContain("from (2024-03-02) is after to (2024-03-01)");
    // A day that is not one in the words of the store's check, which the CLI's store calls make too.
    const notADay = (await get(app, "/v1/metrics/online?to=last-week")).json();
    expect(JSON.stringify(notADay.error)).toContain(
      '\\"last-week\\" is not a day of the calendar (0001-01-01 to 9999-12-31): give one as YYYY-MM-DD (UTC)',
    );
  });

  it("answers 503 no_store when the service keeps no store", async () => {
    const bare = await metricsApp(null);
    const res = await get(bare, "/v1/metrics/online");
    expect(res.statusCode).toBe(503);
    expect(res.json().error).toMatchObject({ code: "no_store" });
    expect(res.json().error.message).toContain("--no-store");
    await bare.close();
  });
});
