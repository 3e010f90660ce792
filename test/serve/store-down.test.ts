// The content database going away under the running service (PostgreSQL behind a proxy the test cuts): a save is
// answered 503 store_unavailable with Retry-After, nothing of it is written, suggestions keep working, and saves
// work again once the database is back; one whose connection is lost while it commits is answered 503
// store_outcome_unknown, since it may have been written. A database emptied under it is another matter: waiting does not help, so
// the answer (503 store_tables_gone) says an operator must restart the service, with no Retry-After. A database down
// at start fails the start, leaving nothing of it running.

import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunningServer } from "../../src/serve/index.js";
import { ModelSource } from "../../src/serve/model-source.js";
import { openDatabase } from "../../src/store/database.js";
import { freePort, hasPostgres, usePostgres } from "../support/postgres.js";
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

  it("stops watching the model when the store cannot be opened at start", async () => {
    const stop = vi.spyOn(ModelSource.prototype, "stop");
    try {
      const port = await freePort();
      const error = await serveForTest(
        { kind: "directory", dir },
        { store: { databaseUrl: `postgres://tagsmith@127.0.0.1:${port}/content` } },
      ).then(
        () => undefined,
        (e: unknown) => e as { code?: string },
      );
      expect(error?.code).toBe("unavailable");
      expect(stop).toHaveBeenCalledTimes(1);
    } finally {
      stop.mockRestore();
    }
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

  it("answers a save whose connection is lost at COMMIT 503 store_outcome_unknown, saying to read before saving again", async () => {
    const save = () =>
      send(server.url, {
        method: "POST",
        path: "/v1/content",
        headers: { "content-type": "application/json", "idempotency-key": "k-lost-at-commit" },
        body: JSON.stringify({ title: "Saved as the connection went", session: "s-commit" }),
      });
    proxy.cutOn("COMMIT");
    try {
      const lost = await save();
      expect(lost.status).toBe(503);
      expect(lost.headers["retry-after"]).toBe("5");
      expect(lost.json.error.code).toBe("store_outcome_unknown");
      expect(lost.json.error.message).toMatch(
        /may or may not have been saved; read the content again \(GET\) before saving again \(a POST with the same Idempotency-Key is always safe/,
      );
      expect(lost.json.error.message).not.toMatch(/nothing was saved/);
    } finally {
      await proxy.restore();
    }
    // The same POST with its key is safe whatever became of the first: the content is there once.
    expect((await save()).status).toBe(201);
    const list = (await send(server.url, { path: "/v1/content?limit=100" })).json;
    expect(
      list.items.filter((c: { title: string }) => c.title === "Saved as the connection went"),
    ).toHaveLength(1);
  });
});

describe.skipIf(!hasPostgres)("the content database emptied under the running service", () => {
  const postgres = usePostgres();
  let dir: string;
  let server: RunningServer;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = await tempDir();
    await trainSample(dir);
    server = await serveForTest(
      { kind: "directory", dir },
      {
        store: { databaseUrl: postgres.url() },
        logger: pino({ level: "warn" }, { write: (line: string) => lines.push(line) }),
      },
    );
  });

  afterAll(async () => {
    await server?.close();
    await removeDir(dir);
  });

  it("answers 503 store_tables_gone saying an operator must restart it, without a Retry-After, and logs an error", async () => {
    expect((await postJson(server.url, "/v1/content", { title: "Before" })).status).toBe(201);
    const db = await openDatabase({ databaseUrl: postgres.url() });
    await db.query("DROP SCHEMA public CASCADE");
    await db.query("CREATE SCHEMA public");
    await db.close();

    const answers = [
      await postJson(server.url, "/v1/content", { title: "After the drop" }),
      await send(server.url, { path: "/v1/content" }),
    ];
    for (const answer of answers) {
      expect(answer.status).toBe(503);
      expect(answer.headers["retry-after"]).toBeUndefined();
      expect(answer.json.error.code).toBe("store_tables_gone");
      expect(answer.json.error.message).toMatch(/tables are gone/);
      expect(answer.json.error.message).toMatch(/an operator must restart the service/);
      expect(answer.json.error.message).not.toMatch(/in a moment/);
      expect(answer.json.error.details).toEqual({});
      // Where the database is stays in the log.
      expect(answer.json.error.message).not.toContain("tagsmith_test_");
    }
    const errors = lines.map((line) => JSON.parse(line)).filter((l) => l.level >= 50);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0].msg).toMatch(/restart/);
    expect(errors[0].err.message).toMatch(/has lost tagsmith's tables/);
    // Suggestions do not need the database.
    expect((await postJson(server.url, "/v1/suggest", { title: "PyTorch" })).status).toBe(200);
  });
});
