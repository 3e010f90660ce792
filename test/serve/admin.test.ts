// The admin side of the API over real HTTP: every admin route behind the bearer token, and nothing in a refusal.

import { describe, expect, it } from "vitest";
import { send, useSampleServer } from "../support/serve.js";

const TOKEN = "admin-token-for-tests";
const { server } = useSampleServer({ store: {}, adminToken: TOKEN });
const disabled = useSampleServer({ store: {} });

/** Every admin GET route as the OpenAPI document lists it (so a new route cannot skip this test). */
async function adminRoutes(base: string): Promise<string[]> {
  const doc = (await send(base, { path: "/openapi.json" })).json;
  return Object.entries(doc.paths as Record<string, Record<string, { tags?: string[] }>>)
    .filter(([, methods]) => methods.get?.tags?.includes("admin"))
    .map(([path]) => path.replace(/\{[^}]+\}/g, "1"));
}

describe("admin routes", () => {
  it("answer 401 without the token, with a wrong one, or a malformed header, and say nothing else", async () => {
    const routes = await adminRoutes(server().url);
    expect(routes).toContain("/v1/admin/models");
    for (const path of routes)
      for (const headers of [
        {} as Record<string, string>,
        { authorization: "Bearer wrong-token" },
        { authorization: `Basic ${TOKEN}` },
        { authorization: `Bearer ${TOKEN}x` },
      ]) {
        const res = await send(server().url, { path, headers });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
        expect(Object.keys(res.json)).toEqual(["error"]);
        expect(res.json.error.code).toBe("unauthorized");
      }
  });

  it("answer with the token", async () => {
    const res = await send(server().url, {
      path: "/v1/admin/models",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
    // A service on one model directory has no registry to list.
    expect(res.json).toEqual({ registry: null, versions: [] });
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
