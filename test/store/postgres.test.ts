// The store on a PostgreSQL server: the shared contract, processes starting together, and the server going
// away and coming back (through a proxy the test cuts, so the server itself keeps running).

import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { TagsmithError } from "../../src/errors.js";
import { type Database, openDatabase, type Queryable } from "../../src/store/database.js";
import { insertEvents, lockSessions } from "../../src/store/feedback.js";
import { ContentStore, openStore } from "../../src/store/index.js";
import { MIGRATIONS } from "../../src/store/migrations.js";
import { freePort, hasPostgres, usePostgres } from "../support/postgres.js";
import { startTcpProxy, type TcpProxy } from "../support/tcp-proxy.js";
import { reviewCases } from "./review.case.js";
import { accepted, draft, rejection, reported, shown, storeCases, unique } from "./store.case.js";

describe.skipIf(!hasPostgres)("postgres store", () => {
  const postgres = usePostgres();
  storeCases("postgres", () => ({ databaseUrl: postgres.url() }));
  reviewCases("postgres", () => ({ databaseUrl: postgres.url() }));

  it("migrates a fresh database once when two processes open it together", async () => {
    const databaseUrl = await postgres.createDatabase();
    const stores = await Promise.all([1, 2, 3].map(() => openStore({ databaseUrl })));
    const content = await stores[0].create(draft());
    expect(await stores[2].get(content.id)).toEqual(content);
    await Promise.all(stores.map((s) => s.close()));
    const db = await openDatabase({ databaseUrl });
    const rows = await db.query<{ version: number }>(
      "SELECT version FROM schema_migrations ORDER BY version",
    );
    await db.close();
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
  });

  it("refuses a database another tool keeps tables in, migrating nothing into it", async () => {
    const others = [
      [
        "CREATE TABLE schema_migrations (version varchar PRIMARY KEY)",
        "another tool's schema_migrations table (it has no name column)",
      ],
      [
        "CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text); INSERT INTO schema_migrations VALUES (1, 'create_users')",
        `a schema_migrations table whose first migration is "create_users", not tagsmith's "${MIGRATIONS[0]?.name}"`,
      ],
      [
        "CREATE TABLE content (id serial PRIMARY KEY, body text)",
        "a table named content that tagsmith did not create",
      ],
    ] as const;
    for (const [setup, said] of others) {
      const databaseUrl = await postgres.createDatabase();
      const db = await openDatabase({ databaseUrl });
      for (const statement of setup.split("; ")) await db.query(statement);
      const error = await openStore({ databaseUrl }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TagsmithError);
      expect((error as TagsmithError).message).toMatch(
        new RegExp(
          `^the content database at .+ holds ${said.replace(/[()"'.]/g, "\\$&")}: give tagsmith a database of its own`,
        ),
      );
      const tables = await db.query<{ name: string }>(
        "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
      );
      expect(tables.map((t) => t.name)).toEqual(
        setup.includes("content (") ? ["content"] : ["schema_migrations"],
      );
      await db.close();
    }
  });

  it("reports a server that is not there as unavailable, naming it but not the password", async () => {
    const port = await freePort();
    const error = await rejection(
      openStore({ databaseUrl: `postgres://tagsmith:s3cret-pw@127.0.0.1:${port}/content` }),
    );
    expect(error.code).toBe("unavailable");
    expect(error.message).toContain(
      `the content database at 127.0.0.1:${port}/content is unreachable`,
    );
    expect(error.message).not.toContain("s3cret-pw");
    expect(error.message).toContain("ECONNREFUSED");
  });

  /** A store whose database is emptied under it after it opened. */
  async function storeOfEmptiedDatabase(): Promise<{ store: ContentStore; databaseUrl: string }> {
    const databaseUrl = await postgres.createDatabase();
    const store = await openStore({ databaseUrl });
    const db = await openDatabase({ databaseUrl });
    await db.query("DROP SCHEMA public CASCADE");
    await db.query("CREATE SCHEMA public");
    await db.close();
    return { store, databaseUrl };
  }

  it("reports tables dropped under a running store as tables_gone, saying a restart recreates them", async () => {
    const { store, databaseUrl } = await storeOfEmptiedDatabase();
    const error = await rejection(store.create(draft()));
    expect(error.code).toBe("tables_gone");
    expect(error.message).toMatch(
      /has lost tagsmith's tables \(relation "\w+" does not exist \(42P01\)\): it was emptied or recreated after tagsmith opened it; restart the service, or run the command again/,
    );
    await store.close();
    // A store opened again migrates the emptied database.
    const reopened = await openStore({ databaseUrl });
    expect((await reopened.create(draft())).id).toBeGreaterThan(0);
    await reopened.close();
  });

  it("reports tables dropped as tables_gone to more saves at once than the pool has connections, promptly", async () => {
    const { store } = await storeOfEmptiedDatabase();
    const started = Date.now();
    // The pool holds 10 connections.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 15 }, (_, i) => store.create(draft({ title: `save ${i}` }))),
    );
    const elapsed = Date.now() - started;
    await store.close();
    expect(
      outcomes.map((o) =>
        o.status === "rejected" ? (o.reason as { code?: string }).code : "saved",
      ),
    ).toEqual(Array(15).fill("tables_gone"));
    // Well within the 5 s a request waits for a connection of the pool.
    expect(elapsed).toBeLessThan(3_000);
  });

  it("leaves a table missing beside the migrations table an error, not an outage a restart would not repair", async () => {
    const databaseUrl = await postgres.createDatabase();
    const store = await openStore({ databaseUrl });
    const db = await openDatabase({ databaseUrl });
    await db.query("DROP TABLE content CASCADE");
    await db.close();
    const error = (await store.create(draft()).catch((e: unknown) => e)) as { code?: string };
    expect(error.code).toBe("42P01");
    await store.close();
  });

  // PGlite runs one transaction at a time, so these races happen only here.
  describe("many requests at once", () => {
    let store: ContentStore;
    let db: Database;
    let databaseUrl: string;
    beforeAll(async () => {
      databaseUrl = await postgres.createDatabase();
      store = await openStore({ databaseUrl });
      db = await openDatabase({ databaseUrl });
    });
    afterAll(async () => {
      await store?.close();
      await db?.close();
    });

    /** Holds `session`'s lock in a transaction of its own until `release` is called. */
    async function holdSession(session: string): Promise<{ release(): Promise<void> }> {
      const locked = latch();
      const released = latch();
      const held = db.transaction(async (tx) => {
        await lockSessions(tx, [session]);
        locked.open();
        await released.opened;
      });
      await locked.opened;
      return {
        release: () => {
          released.open();
          return held;
        },
      };
    }

    /**
     * A transaction on a connection of its own, begun, to be driven statement by statement; `settings` are run
     * before it begins.
     */
    async function begin(...settings: string[]): Promise<{
      tx: Queryable;
      end(statement: "COMMIT" | "ROLLBACK"): Promise<void>;
    }> {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      for (const setting of [...settings, "BEGIN"]) await client.query(setting);
      return {
        tx: {
          query: async <Row>(sql: string, params?: readonly unknown[]) =>
            (await client.query(sql, params as unknown[] | undefined)).rows as Row[],
        },
        end: async (statement) => {
          await client.query(statement);
          await client.end();
        },
      };
    }

    /**
     * Resolves once `count` transactions wait for a lock of this type: "advisory" (a session's), "transactionid"
     * (another transaction's uncommitted row or row lock); or once `signal` is aborted.
     */
    async function waiting(
      count: number,
      type: "advisory" | "transactionid",
      signal?: AbortSignal,
    ): Promise<void> {
      while (!signal?.aborted) {
        const [row] = await db.query<{ waiting: number }>(
          `SELECT count(*)::integer AS waiting FROM pg_locks l JOIN pg_stat_activity a USING (pid)
           WHERE l.locktype = $1 AND NOT l.granted AND a.datname = current_database()`,
          [type],
        );
        if ((row?.waiting ?? 0) >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }

    it("counts a page's total as of the page, a change committed between the two reads left out of both", async () => {
      const fresh = await postgres.createDatabase();
      const writer = await openStore({ databaseUrl: fresh });
      const before = await writer.create(draft({ title: "before" }));
      await writer.recordFeedback([reported(unique("s"), "a", before.id)]);
      // Right after the page is read, before its total is counted, another request's change commits.
      const changes = [
        () => writer.create(draft({ title: "meanwhile" })),
        () => writer.recordFeedback([reported(unique("s"), "b", before.id)]),
      ];
      const inner = await openDatabase({ databaseUrl: fresh });
      const reader = new ContentStore(
        pausing(inner, (sql) => (/\bLIMIT\b/.test(sql) ? changes.shift()?.() : undefined)),
      );
      try {
        const page = await reader.list();
        expect(page.items.map((c) => c.title)).toEqual(["before"]);
        expect(page.total).toBe(1);
        const queue = await reader.reviewQueue();
        expect(queue.items.map((i) => i.tag)).toEqual(["a"]);
        expect(queue.total).toBe(1);
        // Both changes did commit while the reads ran.
        expect(changes).toEqual([]);
        expect((await writer.list()).total).toBe(2);
        expect((await writer.reviewQueue()).total).toBe(2);
      } finally {
        await reader.close();
        await writer.close();
      }
    });

    it("stamps versions in version order, a save that waited for a lock stamped after those saved meanwhile", async () => {
      const content = await store.create(draft({ title: "v1" }));
      const session = unique("s");
      const lock = await holdSession(session);
      // Begun first, both wait for the session's lock while the saves below go ahead.
      const waited = store.update(content.id, draft({ title: "waited", session }));
      const created = store.create(draft({ title: "created after waiting", session }));
      await waiting(2, "advisory");
      const meanwhile = await Promise.all(
        [1, 2, 3, 4, 5].map((i) => store.update(content.id, draft({ title: `meanwhile ${i}` }))),
      );
      await lock.release();
      const last = await waited;
      const newest = await created;

      const versions = await store.versions(content.id);
      expect(versions.map((v) => v.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
      expect(versions.at(-1)?.title).toBe("waited");
      const stamps = versions.map((v) => v.savedAt);
      expect(stamps).toEqual([...stamps].sort());
      expect(last.updatedAt).toBe(stamps.at(-1));
      for (const saved of meanwhile) expect(newest.updatedAt >= saved.updatedAt).toBe(true);
      const top = (await store.list({ limit: 2 })).items.map((c) => c.title);
      expect(top.sort()).toEqual(["created after waiting", "waited"]);
    });

    /** How many report items for `content` are pending. */
    async function pendingReports(contentId: number): Promise<number> {
      const [row] = await db.query<{ pending: number }>(
        "SELECT count(*)::integer AS pending FROM review_items WHERE content_id = $1 AND rule = 'report' AND decided_at IS NULL",
        [contentId],
      );
      return row?.pending ?? -1;
    }

    it("stores feedback on content while a save of it holds its row, without waiting for the save to commit", async () => {
      const content = await store.create(draft({ title: "v1" }));
      const held = latch();
      const released = latch();
      // A save holding the content's row (its lock and the UPDATE's) until released.
      const saver = new ContentStore(
        pausing(db, (sql) => {
          if (!/^\s*UPDATE content\b/.test(sql)) return undefined;
          held.open();
          return released.opened;
        }),
      );
      const saving = saver.update(content.id, draft({ title: "v2" }), 1);
      await held.opened;
      const session = unique("s");
      const recorded = store.recordFeedback([
        shown(session, ["a", "b"], { contentId: content.id }),
        accepted(session, "a", content.id),
        reported(session, "b", content.id),
      ]);
      const stop = new AbortController();
      const first = await Promise.race([
        recorded.then(() => "stored"),
        waiting(1, "transactionid", stop.signal).then(() => "waited for the save"),
      ]).finally(() => {
        stop.abort();
        released.open();
      });
      expect(first).toBe("stored");
      expect((await recorded).stored).toBe(3);
      expect((await saving).version).toBe(2);
      expect(await pendingReports(content.id)).toBe(1);
    });

    it("queues two batches reporting the same tags on one content in opposite orders without a deadlock", async () => {
      const content = await store.create(draft());
      const tags = Array.from({ length: 10 }, (_, i) => `tag-${i}`);
      // Holds tag-5's pending item until both batches reach it, having queued the tags before it in their order.
      const blocker = await begin();
      await insertEvents(blocker.tx, [reported(unique("s"), "tag-5", content.id)]);
      const [first, second] = await Promise.all([begin(), begin()]);
      const batches = [
        insertEvents(
          first.tx,
          tags.map((tag) => reported(unique("s"), tag, content.id)),
        ).then(() => first.end("COMMIT")),
        insertEvents(
          second.tx,
          tags.toReversed().map((tag) => reported(unique("s"), tag, content.id)),
        ).then(() => second.end("COMMIT")),
      ];
      await waiting(2, "transactionid");
      await blocker.end("ROLLBACK");
      const outcomes = await Promise.allSettled(batches);
      expect(outcomes.map((o) => (o.status === "rejected" ? String(o.reason) : o.status))).toEqual([
        "fulfilled",
        "fulfilled",
      ]);
      expect(await pendingReports(content.id)).toBe(10);
    });

    it("runs a transaction PostgreSQL ended to break a deadlock again", async () => {
      const content = await store.create(draft());
      // The other side of the deadlock: told to wait longer before looking for one, so the store's is ended.
      const other = await begin("SET deadlock_timeout = '10s'");
      await insertEvents(other.tx, [reported(unique("s"), "b", content.id)]);
      const session = unique("s");
      const recorded = store.recordFeedback([
        reported(session, "a", content.id),
        reported(session, "b", content.id),
      ]);
      // The store queued a and waits for b; the other transaction now waits for a.
      await waiting(1, "transactionid");
      await insertEvents(other.tx, [reported(unique("s"), "a", content.id)]);
      await other.end("ROLLBACK");
      expect(await recorded).toEqual({
        stored: 2,
        duplicates: 0,
        conflicts: [],
        unknownContentIds: [],
      });
      expect(await pendingReports(content.id)).toBe(2);
      expect((await store.events({ session })).map((e) => e.type)).toEqual([
        "reported",
        "reported",
      ]);
    });
  });

  describe("when the server goes away", () => {
    let proxy: TcpProxy;
    let store: ContentStore;
    let password: string;

    beforeAll(async () => {
      const url = new URL(postgres.url());
      proxy = await startTcpProxy({ host: url.hostname, port: Number(url.port || 5432) });
      // The throwaway cluster trusts any password: give one anyway, to check it never shows.
      if (!url.password) url.password = "not-shown-pw";
      password = url.password;
      url.hostname = "127.0.0.1";
      url.port = String(proxy.port);
      store = await openStore({ databaseUrl: url.toString() });
    });
    // A failed test must not leave the server "down" for the next one.
    afterEach(() => proxy.restore());
    afterAll(async () => {
      await store?.close();
      await proxy?.close();
    });

    it("fails a save as unavailable while it is down and saves again once it is back", async () => {
      await store.create(draft());
      await proxy.cut();
      const error = await rejection(store.create(draft({ title: "while down" })));
      expect(error.code).toBe("unavailable");
      expect(error.message).toMatch(/the content database at 127\.0\.0\.1:\d+\/\w+ is unreachable/);
      expect(words(error.message)).not.toContain(password);
      expect(error.message).not.toContain("postgres://");
      expect((await rejection(store.ping())).code).toBe("unavailable");
      expect((await rejection(store.list())).code).toBe("unavailable");

      await proxy.restore();
      const saved = await store.create(draft({ title: "after" }));
      expect(await store.get(saved.id)).toEqual(saved);
      expect((await store.list({ limit: 1000 })).items.map((i) => i.title)).not.toContain(
        "while down",
      );
    });

    it("writes nothing of a save whose connection drops before COMMIT", async () => {
      const session = unique("s");
      await store.recordFeedback([shown(session, ["a", "b"]), accepted(session, "a")]);
      const content = await store.create(draft({ title: "v1" }));

      proxy.cutOn("INSERT INTO content_versions");
      const error = await rejection(
        store.update(content.id, draft({ title: "v2", session, tags: ["a"] })),
      );
      expect(error.code).toBe("unavailable");
      await proxy.restore();

      expect(await store.get(content.id)).toEqual(content);
      expect(await store.versions(content.id)).toHaveLength(1);
      const events = await store.events({ session });
      expect(events.map((e) => [e.type, e.contentId])).toEqual([
        ["shown", null],
        ["accepted", null],
      ]);

      const saved = await store.update(content.id, draft({ title: "v2", session, tags: ["a"] }), 1);
      expect(saved.version).toBe(2);
      expect((await store.events({ session })).map((e) => e.type)).toEqual([
        "shown",
        "accepted",
        "saved",
        "dismissed",
      ]);
    });

    it("reports a save whose connection drops during COMMIT as outcome_unknown, not as unavailable", async () => {
      const content = await store.create(draft({ title: "v1" }));
      // The client has sent COMMIT and hears nothing back: whether the server got it is not for the store to know.
      proxy.cutOn("COMMIT");
      const error = await rejection(store.update(content.id, draft({ title: "v2" }), 1));
      expect(error.code).toBe("outcome_unknown");
      expect(error.message).toMatch(
        /^the connection to the content database at 127\.0\.0\.1:\d+\/\w+ was lost while a change was being committed \(.+\): it may or may not have been written; read it back before making it again$/,
      );
      expect(words(error.message)).not.toContain(password);
      await proxy.restore();
      // This time the server never saw the COMMIT; the store goes on as before.
      expect(await store.get(content.id)).toEqual(content);
      expect((await store.update(content.id, draft({ title: "v2" }), 1)).version).toBe(2);
    });

    it("refuses feedback as unavailable while down, storing none of it", async () => {
      const session = unique("s");
      proxy.cutOn("INSERT INTO feedback_events");
      const error = await rejection(
        store.recordFeedback([accepted(session, "a"), accepted(session, "b")]),
      );
      expect(error.code).toBe("unavailable");
      await proxy.restore();
      expect(await store.events({ session })).toEqual([]);
      expect(await store.recordFeedback([accepted(session, "a")])).toEqual({
        stored: 1,
        duplicates: 0,
        conflicts: [],
        unknownContentIds: [],
      });
    });
  });
});

/** A promise a test resolves when it chooses: `opened` resolves once `open` is called. */
function latch(): { opened: Promise<void>; open(): void } {
  let open: () => void = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/**
 * `inner`, its transactions waiting after each statement for what `after` returns for it (nothing: no wait): another
 * request's change committed at that point, say, or a lock held there until the test lets it go.
 */
function pausing(inner: Database, after: (sql: string) => Promise<unknown> | undefined): Database {
  return {
    ...inner,
    transaction: (run) =>
      inner.transaction((tx) =>
        run({
          query: async <Row>(sql: string, params?: readonly unknown[]) => {
            const rows = await tx.query<Row>(sql, params);
            await after(sql);
            return rows;
          },
        }),
      ),
  };
}

/** A message's words, to check a password (which may be an ordinary word, like CI's) is not one of them. */
function words(message: string): string[] {
  return message.split(/[\s:/@,;()]+/);
}
