// The store on the embedded engine (PGlite): the shared contract on a data directory, and what only a local
// directory can get wrong: the lock between processes, a directory that cannot be used, the in-memory mode.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TagsmithError } from "../../src/errors.js";
import { openDatabase } from "../../src/store/database.js";
import { LOCK_FILE } from "../../src/store/dir-lock.js";
import { openStore } from "../../src/store/index.js";
import { MIGRATIONS, migrate } from "../../src/store/migrations.js";
import { tagKey } from "../../src/text/index.js";
import { embeddedStore } from "../support/store-image.js";
import { reviewCases } from "./review.case.js";
import { draft, storeCases } from "./store.case.js";

const dir = await mkdtemp(join(tmpdir(), "tagsmith-store-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("embedded store on a data directory", () => {
  const store = storeCases("embedded", () => embeddedStore({ dir }));

  it("refuses a second open of a directory in use, saying who holds it and what to do", async () => {
    expect(store().engine).toBe("embedded");
    const error = await openStore({ dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TagsmithError);
    expect((error as TagsmithError).code).toBe("conflict");
    expect((error as Error).message).toContain(
      `the content store in ${dir} is already open in this process`,
    );
    expect((error as Error).message).toContain("one process at a time");
    // The refused open left the holder's lock alone.
    await store().ping();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });
});

describe("the write-ahead log of a store on disk", () => {
  it("is checkpointed while the store is open (single-user PostgreSQL has no checkpointer of its own)", async () => {
    const { openEmbedded } = await import("../../src/store/embedded.js");
    const own = await mkdtemp(join(tmpdir(), "tagsmith-checkpoint-"));
    const db = await openEmbedded(own, {
      newDatabaseImage: embeddedStore().newDatabaseImage,
      checkpointEveryMs: 300,
    });
    try {
      const lastCheckpoint = async () =>
        (
          await db.query<{ redo_lsn: string }>("SELECT redo_lsn::text FROM pg_control_checkpoint()")
        )[0]?.redo_lsn;
      const before = await lastCheckpoint();
      await db.query("CREATE TABLE written (text text)");
      await db.query("INSERT INTO written SELECT repeat('x', 1000) FROM generate_series(1, 2000)");
      // The next checkpoint starts its redo after those writes.
      const deadline = Date.now() + 5_000;
      while ((await lastCheckpoint()) === before && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 100));
      expect(await lastCheckpoint()).not.toBe(before);
    } finally {
      await db.close();
      await rm(own, { recursive: true, force: true });
    }
  });
});

describe("migration 5: unapproved tag keys", () => {
  it("gives content saved before it the keys of its unapproved tags, in order", async () => {
    const db = await openDatabase(embeddedStore());
    try {
      await migrate(
        db,
        MIGRATIONS.filter((m) => m.version < 5),
      );
      await db.query(
        `INSERT INTO content (title, description, tags, unapproved_tags, author, version)
         VALUES ('t', 'd', '[]', '["Deep  RL", " graph_ML ", "---"]', null, 1)`,
      );
      expect(
        await migrate(
          db,
          MIGRATIONS.filter((m) => m.version <= 5),
        ),
      ).toEqual([5]);
      const [row] = await db.query<{ unapproved_keys: string[] }>(
        "SELECT unapproved_keys FROM content",
      );
      expect(row?.unapproved_keys).toEqual(["deep-rl", "graph-ml", ""]);
      expect(row?.unapproved_keys).toEqual(["Deep  RL", " graph_ML ", "---"].map(tagKey));
    } finally {
      await db.close();
    }
  });
});

// In memory: the data directory above is held by the shared suite's store, and a policy needs a store of its own.
describe("embedded store review queue", () => {
  reviewCases("embedded", () => embeddedStore());
});

describe("embedded store lock", () => {
  it("breaks the lock of a process that died and opens the directory", async () => {
    const stale = await mkdtemp(join(tmpdir(), "tagsmith-store-"));
    try {
      const dead = spawnSync(process.execPath, ["-e", ""]).pid;
      const holder = {
        pid: dead,
        host: hostname(),
        since: "2020-01-01T00:00:00.000Z",
        token: "dead",
      };
      await writeFile(join(stale, LOCK_FILE), JSON.stringify(holder));
      const store = await openStore(embeddedStore({ dir: stale }));
      const content = await store.create(draft());
      await store.close();
      expect(existsSync(join(stale, LOCK_FILE))).toBe(false);
      const again = await openStore({ dir: stale });
      expect(await again.get(content.id)).toEqual(content);
      await again.close();
    } finally {
      await rm(stale, { recursive: true, force: true });
    }
  }, 30_000);

  it("names the path and the fix when the directory cannot be used", async () => {
    const file = join(dir, "not-a-directory");
    await writeFile(file, "");
    const error = await openStore({ dir: join(file, "store") }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TagsmithError);
    expect((error as TagsmithError).code).toBe("not_writable");
    expect((error as Error).message).toContain(join(file, "store"));
    expect((error as Error).message).toMatch(/writable|another data directory/);
  });

  // Root, as in CI: a user without it may be refused by /proc's permissions (EACCES) before its ENOENT.
  it.skipIf(!existsSync("/proc/self") || process.getuid?.() !== 0)(
    "says a directory where nothing can be created (/proc) in the words every write uses",
    async () => {
      const error = await openStore({ dir: "/proc/tagsmith-store" }).catch((e: unknown) => e);
      expect((error as TagsmithError).code).toBe("not_writable");
      expect((error as Error).message).toBe(
        "cannot keep the content store in /proc/tagsmith-store (ENOENT: nothing can be created there, as in /proc): choose another data directory",
      );
    },
  );
});

describe("embedded store in memory", () => {
  it("works without a directory and keeps nothing", async () => {
    const store = await openStore(embeddedStore());
    expect(store.engine).toBe("embedded");
    const content = await store.create(draft({ title: "in memory" }));
    expect(await store.get(content.id)).toEqual(content);
    await store.close();
  }, 30_000);

  it("refuses a database URL that is not PostgreSQL's", async () => {
    const error = await openStore({ databaseUrl: "mysql://x@y/z" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TagsmithError);
    expect((error as TagsmithError).code).toBe("usage");
  });
});
