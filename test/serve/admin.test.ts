// The admin side of the API over real HTTP: every admin route behind the bearer token, and nothing in a refusal.

import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { postJson, send, useSampleServer } from "../support/serve.js";
import { embeddedStore } from "../support/store-image.js";

const TOKEN = "admin-token-for-tests";
const { server } = useSampleServer({ store: embeddedStore(), adminToken: TOKEN });
const disabled = useSampleServer({ store: embeddedStore() });
/** The service's log lines, at the info level it runs at. */
const logLines: string[] = [];
const logged = useSampleServer({
  adminToken: TOKEN,
  logger: pino({ level: "info" }, { write: (line: string) => logLines.push(line) }),
});

/** Every admin route (method and path) as the OpenAPI document lists it, so a new route cannot skip this test. */
async function adminRoutes(base: string): Promise<{ method: string; path: string }[]> {
  const doc = (await send(base, { path: "/openapi.json" })).json;
  return Object.entries(doc.paths as Record<string, Record<string, { tags?: string[] }>>).flatMap(
    ([path, methods]) =>
      Object.entries(methods)
        .filter(([, operation]) => operation.tags?.includes("admin"))
        .map(([method]) => ({
          method: method.toUpperCase(),
          path: path.replace("{id}", "1").replace("{tag}", "secret-candidate-tag"),
        })),
  );
}

/** Content and events with words that must never appear in a refusal. */
async function seedSecrets(base: string): Promise<void> {
  await postJson(base, "/v1/feedback", {
    events: [
      {
        id: "secret-shown",
        type: "shown",
        session: "secret-session",
        suggestions: [{ tag: "computer-vision", score: 0.9, source: "implicit" }],
      },
      {
        id: "secret-report",
        type: "reported",
        session: "secret-session",
        tag: "computer-vision",
        reason: "wrong",
      },
    ],
  });
  const saved = await postJson(base, "/v1/content", {
    title: "Confidential drone footage detector",
    tags: ["pytorch", "secret-candidate-tag"],
    session: "secret-session",
  });
  expect(saved.status).toBe(201);
}

describe("admin routes", () => {
  it("answer 401 without the token, with a wrong one, or a malformed header, and say nothing else", async () => {
    await seedSecrets(server().url);
    const routes = await adminRoutes(server().url);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        "GET /v1/admin/models",
        "GET /v1/admin/review",
        "POST /v1/admin/review/1/decision",
      ]),
    );
    for (const { method, path } of routes)
      for (const headers of [
        {} as Record<string, string>,
        { authorization: "Bearer wrong-token" },
        { authorization: `Basic ${TOKEN}` },
        { authorization: `Bearer ${TOKEN}x` },
      ]) {
        const res = await send(server().url, {
          method,
          path,
          headers: { ...headers, "content-type": "application/json" },
          ...(method === "POST"
            ? {
                body: JSON.stringify({
                  applies: true,
                  reviewer: "x",
                  action: "approve",
                  proposer: "x",
                }),
              }
            : {}),
        });
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
        expect(Object.keys(res.json)).toEqual(["error"]);
        expect(res.json.error.code).toBe("unauthorized");
        // A wrong token is told apart from none, so the operator checks the token rather than the header.
        expect(res.json.error.message).toMatch(
          headers.authorization?.startsWith("Bearer ")
            ? /^the admin token sent is not this service's/
            : /^an admin token is required/,
        );
        expect(res.text).not.toMatch(/Confidential|drone|secret-candidate|computer-vision|pytorch/);
      }
  });

  it("answer with the token, and the seeded data is there to leak", async () => {
    const queue = await send(server().url, {
      path: "/v1/admin/review?status=pending",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(queue.status).toBe(200);
    expect(queue.text).toMatch(/Confidential drone footage detector/);
  });

  it("answer with the token", async () => {
    const res = await send(server().url, {
      path: "/v1/admin/models",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    // A service on one model directory has no registry to list.
    expect(res.json).toEqual({ registry: null, versions: [], damaged: [] });
  });

  it("name a bad path id or a repeated query parameter where they are, with the token", async () => {
    const auth = { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" };
    for (const id of ["abc", "0x1", "1e3", "%201"]) {
      const res = await send(server().url, {
        method: "POST",
        path: `/v1/admin/review/${id}/decision`,
        headers: auth,
        body: JSON.stringify({ applies: true, reviewer: "x" }),
      });
      expect(res.status, id).toBe(400);
      expect(res.json.error.message).toMatch(/^invalid path: id: /);
      expect(res.json.error.details.field).toBe("id");
    }
    const twice = await send(server().url, {
      path: "/v1/admin/review?limit=1&limit=2",
      headers: auth,
    });
    expect(twice.status).toBe(400);
    expect(twice.json.error.message).toBe(
      "invalid query string: limit: given more than once: send each parameter once",
    );
  });

  it("refuse a NUL in the online metrics' model filter with 400 naming it", async () => {
    for (const model of ["%00", "m%00"]) {
      const res = await send(server().url, {
        path: `/v1/metrics/online?model=${model}`,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.status, model).toBe(400);
      expect(res.json.error.code, model).toBe("invalid_request");
      expect(res.json.error.details.field, model).toBe("model");
      expect(res.json.error.message, model).toMatch(/^invalid query string: model: .*NUL/);
    }
    const fine = await send(server().url, {
      path: "/v1/metrics/online?model=m1",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(fine.status).toBe(200);
  });

  it("are refused to everyone when the service has no admin token", async () => {
    const res = await send(disabled.server().url, {
      path: "/v1/admin/models",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toMatch(/TAGSMITH_ADMIN_TOKEN/);
  });

  it("leave the authors' routes open", async () => {
    const res = await send(server().url, { path: "/v1/content" });
    expect(res.status).toBe(200);
  });
});

describe("admin answers", () => {
  it("are sent with Cache-Control: no-store and nosniff, refusals included", async () => {
    const signedIn: Record<string, string>[] = [{}, { authorization: `Bearer ${TOKEN}` }];
    for (const headers of signedIn)
      for (const path of ["/v1/admin/models", "/v1/metrics/online", "/v1/admin/review"]) {
        const res = await send(server().url, { path, headers });
        expect(res.headers["cache-control"], path).toBe("no-store");
        expect(res.headers["x-content-type-options"], path).toBe("nosniff");
      }
  });
});

describe("the console page", () => {
  it("is logged without its query string, which can hold a token a form put there", async () => {
    const secret = "token-in-an-old-address";
    for (const path of [`/admin?token=${secret}`, `/?token=${secret}`]) {
      const res = await send(logged.server().url, { path });
      expect(res.status, path).toBe(200);
    }
    await send(logged.server().url, { path: `/v1/admin/models?token=${secret}` });
    // An address no route has, the console's with a slash, say.
    await send(logged.server().url, { path: `/admin/?token=${secret}` });
    await send(logged.server().url, {
      path: `/v1/metrics/online?access_token=${secret}`,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    const requests = logLines.map((line) => JSON.parse(line)).filter((l) => l.msg === "request");
    expect(requests.map((l) => l.url)).toEqual([
      "/admin",
      "/",
      "/v1/admin/models",
      "/admin/",
      "/v1/metrics/online",
    ]);
    expect(logLines.join("\n")).not.toContain(secret);
  });
});
