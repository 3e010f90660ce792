// GET /v1/admin/models on a service following a registry: the versions as the console lists them, and a registry the
// service cannot read answered as the server's problem (500 naming it), not as the admin's request.

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModelRegistry, REGISTRY_FILE } from "../../src/registry/index.js";
import type { RunningServer } from "../../src/serve/index.js";
import { tagsmith } from "../support/cli.js";
import { removeDir, send, serveForTest, tempDir, trainSample } from "../support/serve.js";

const TOKEN = "admin-token-for-tests";
let work: string;
let registry: ModelRegistry;
let server: RunningServer;

beforeAll(async () => {
  work = await tempDir();
  registry = new ModelRegistry(join(work, "registry"));
  const { version } = await registry.register(await trainSample(join(work, "model")));
  await registry.promote(version.id);
  // Polling slower than the test: the damaged registry.json below must not be read by the model source first.
  server = await serveForTest(
    { kind: "registry", dir: registry.dir },
    { pollMs: 60_000, adminToken: TOKEN },
  );
});

afterAll(async () => {
  await server?.close();
  await removeDir(work);
});

const models = () =>
  send(server.url, {
    path: "/v1/admin/models",
    headers: { authorization: `Bearer ${TOKEN}` },
  });

describe("GET /v1/admin/models", () => {
  it("refuses a query parameter, as every /v1 route refuses one it does not take", async () => {
    const res = await send(server.url, {
      path: "/v1/admin/models?x=1",
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(400);
    expect(res.json.error).toMatchObject({ code: "invalid_request", details: { field: "x" } });
  });

  it("lists the registry's versions, and answers 503 registry_unreadable naming registry.json when it cannot be read", async () => {
    const listed = await models();
    expect(listed.status).toBe(200);
    expect(listed.json.versions).toHaveLength(1);

    const file = join(registry.dir, REGISTRY_FILE);
    const good = await readFile(file, "utf8");
    await writeFile(file, '{"production": ');
    try {
      const broken = await models();
      // The server's state, not a bug (500) nor the admin's mistake; waiting does not mend it: no Retry-After.
      expect(broken.status).toBe(503);
      expect(broken.json.error.code).toBe("registry_unreadable");
      expect(broken.headers["retry-after"]).toBeUndefined();
      expect(broken.json.error.message).toMatch(
        /^the model registry cannot be read: .*registry\.json is not valid JSON/,
      );
    } finally {
      await writeFile(file, good);
    }
    expect((await models()).status).toBe(200);
  });

  it("answers what tagsmith models list --json prints: one shape for a version, data fingerprint included", async () => {
    const listed = await models();
    expect(listed.json.versions[0]).toMatchObject({
      stage: "production",
      data_fingerprint: expect.stringMatching(/^sha256:/),
    });
    const cli = tagsmith(["models", "list", "--json", "--registry", registry.dir]);
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toEqual(listed.json);
  });
});
