// The content database going away under the running service (PostgreSQL behind a proxy the test cuts): a save is
// answered 503 store_unavailable with Retry-After, nothing of it is written, suggestions keep working, and saves
// work again once the database is back.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningServer } from "../../src/serve/index.js";
import { hasPostgres, usePostgres } from "../support/postgres.js";
import { postJson, removeDir, send, serveForTest, tempDir, trainSample } from "../support/serve.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";

describe.skipIf(!hasPostgres)("the content database briefly down", () => {
  const postgres = usePostgres();
  let dir: string;
  let proxy: TcpProxy;
  let server: RunningServer;

  beforeAll(async () => {
    dir = await tempDir();
    await trainSample(dir);
    const url = new URL(postgres.url());
    proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.hostname = "127.0.0.1";
    url.port = String(proxy.port);
    server = await serveForTest(
      { kind: "directory", dir },
      { store: { databaseUrl: url.toString() } },
    );
  });

  afterAll(async () => {
    await server?.close();
    await proxy?.close();
    await removeDir(dir);
  });

  it("answers a save 503 with a clear message, writes nothing, and saves again once it is back", async () => {
    const before = (await send(server.url, { path: "/v1/content" })).json.total;
    await proxy.cut();
    try {
      const down = await postJson(server.url, "/v1/content", {
        title: "Saved while the database is down",
        tags: ["pytorch"],
        session: "s-down",
      });
      expect(down.status).toBe(503);
      expect(down.headers["retry-after"]).toBe("5");
      expect(down.json.error.code).toBe("store_unavailable");
      expect(down.json.error.message).toMatch(/nothing was saved; try again/);
      // Suggestions do not need the database.
      const suggest = await postJson(server.url, "/v1/suggest", { title: "PyTorch detection" });
      expect(suggest.status).toBe(200);
    } finally {
      await proxy.restore();
    }
    const back = await postJson(server.url, "/v1/content", {
      title: "Saved once the database is back",
      session: "s-down",
    });
    expect(back.status).toBe(201);
    const list = (await send(server.url, { path: "/v1/content?limit=100" })).json;
    expect(list.total).toBe(before + 1);
    expect(list.items.map((c: { title: string }) => c.title)).not.toContain(
      "Saved while the database is down",
    );
  });
});
