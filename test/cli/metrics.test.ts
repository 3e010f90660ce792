// `tagsmith metrics online` as a user runs it (the built CLI): one JSON object or a table from a store's events, on
// the embedded store and on PostgreSQL, and one-line errors (exit 2) for a store in use, missing or unreachable.

import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ContentStore, openStore, type StoreOptions } from "../../src/store/index.js";
import { accepted, draft, shown } from "../store/store.case.js";
import { tagsmith } from "../support/cli.js";
import { freePort, hasPostgres, usePostgres } from "../support/postgres.js";
import { embeddedStore } from "../support/store-image.js";

let work: string;
const embedded = { DATABASE_URL: "" };

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "tagsmith-metrics-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** 4 tags shown (b again on a re-poll) by m1, a accepted, then saved with a and x. */
async function fill(options: StoreOptions): Promise<void> {
  const store = await openStore(options);
  await store.recordFeedback([
    shown("s1", ["a", "b", "c", "d"], { modelId: "m1", latencyMs: 10 }),
    shown("s1", ["b"], { modelId: "m1", latencyMs: 30 }),
    accepted("s1", "a"),
  ]);
  await store.create(draft({ session: "s1", tags: ["a", "x"] }));
  await store.close();
}

const OVERALL = {
  key: "all",
  shown: 4,
  accepted: 1,
  reported: 0,
  acceptance_rate: 0.25,
  reports_per_1000: 0,
  saved_items: 1,
  proxy_recall: 0.5,
  proxy_precision: 0.25,
  latency_ms: { p50: 20, p95: 29, n: 2 },
};

describe("tagsmith metrics online (embedded store)", () => {
  let dir: string;
  beforeAll(async () => {
    dir = join(work, "store");
    await fill(embeddedStore({ dir }));
  }, 30_000);

  it("writes exactly one JSON object with --json, the same as the API's", () => {
    const result = tagsmith(["metrics", "online", "--json", "--store", dir, "--by", "model"], {
      env: embedded,
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      by: "model",
      from: null,
      to: null,
      model: null,
      overall: OVERALL,
      groups: [{ ...OVERALL, key: "m1" }],
    });
  });

  it("prints a table by default, a row per group and the overall row last", () => {
    const result = tagsmith(["metrics", "online", "--store", dir, "--by", "tag"], {
      env: embedded,
    });
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("online metrics (by tag)");
    expect(lines[2]).toMatch(/^group\s+shown\s+accepted\s+accept\s+reports\/1k/);
    expect(lines.slice(3).map((l) => l.split(/\s+/)[0])).toEqual(["a", "b", "c", "d", "x", "all"]);
    expect(lines.at(-1)).toMatch(
      /^all\s+4\s+1\s+25\.0%\s+0\.0\s+1\s+50\.0%\s+25\.0%\s+20\.0\s+29\.0\s+2$/,
    );
  });

  it("filters by day and model", () => {
    const result = tagsmith(
      ["metrics", "online", "--json", "--store", dir, "--from", "2001-01-01", "--to", "2001-12-31"],
      { env: embedded },
    );
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).overall).toMatchObject({ shown: 0, acceptance_rate: null });
    const other = tagsmith(["metrics", "online", "--json", "--store", dir, "--model", "m2"], {
      env: embedded,
    });
    expect(JSON.parse(other.stdout)).toMatchObject({ model: "m2", overall: { shown: 0 } });
    expect(other.stderr).toBe("");
  });

  it("says on stderr when no event names the --model id, keeping its zeros", () => {
    const unknown = tagsmith(["metrics", "online", "--store", dir, "--model", "m-nope"], {
      env: embedded,
    });
    expect(unknown.status).toBe(0);
    expect(unknown.stdout).toMatch(/^all\s+0\s+0\s+-/m);
    expect(unknown.stderr).toBe(
      "tagsmith: note: no events were recorded for model m-nope in this store: an unused or mistyped id (tagsmith models list shows the registry's ids)\n",
    );
    // An id with events, even outside the period asked for, is known: no note.
    const known = tagsmith(
      [
        "metrics",
        "online",
        "--store",
        dir,
        "--model",
        "m1",
        "--from",
        "2001-01-01",
        "--to",
        "2001-12-31",
      ],
      { env: embedded },
    );
    expect(known.status).toBe(0);
    expect(known.stderr).toBe("");
  });

  it("refuses a store in use by a running service in one line, exit 2", async () => {
    let holder: ContentStore | undefined;
    try {
      holder = await openStore({ dir });
      const result = tagsmith(["metrics", "online", "--store", dir], { env: embedded });
      expect(result.status).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(result.stderr).toContain(
        `the content store in ${dir} is already open in another process`,
      );
    } finally {
      await holder?.close();
    }
  });

  it("refuses a store directory that does not exist, creating nothing, exit 2", () => {
    const missing = join(work, "no-store-here");
    const result = tagsmith(["metrics", "online", "--store", missing], { env: embedded });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `tagsmith: no content store in ${missing}: give the directory \`tagsmith serve --store\` keeps it in, or set DATABASE_URL\n`,
    );
    expect(existsSync(missing)).toBe(false);
  });

  it("refuses a bad day, a range backwards and an unknown grouping, exit 2", () => {
    for (const args of [
      ["--from", "2024-02-30"],
      ["--from", "2024-03-02", "--to", "2024-03-01"],
      ["--by", "hour"],
    ]) {
      const result = tagsmith(["metrics", "online", "--store", dir, ...args], { env: embedded });
      expect(result.status, args.join(" ")).toBe(2);
      expect(result.stdout).toBe("");
      expect(result.stderr.trimEnd().split("\n")[0]).toMatch(/^tagsmith: /);
    }
    // The option is named, and what is wrong: no such day, or not the form of one.
    for (const [value, said] of [
      [
        "2024-02-30",
        "there is no such day in the calendar (0001-01-01 to 9999-12-31): give one as YYYY-MM-DD (UTC)",
      ],
      [
        "0000-01-01",
        "there is no such day in the calendar (0001-01-01 to 9999-12-31): give one as YYYY-MM-DD (UTC)",
      ],
      ["2024-02-3", "expected a day as YYYY-MM-DD (UTC)"],
    ]) {
      const result = tagsmith(["metrics", "online", "--store", dir, "--from", value as string], {
        env: embedded,
      });
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`--from <day>' argument '${value}' is invalid. ${said}`);
    }
  });

  it("refuses a range backwards before it opens a store: the range is named even where there is no store", () => {
    const nowhere = join(dir, "no-store-here");
    const result = tagsmith(
      ["metrics", "online", "--store", nowhere, "--from", "2024-03-02", "--to", "2024-03-01"],
      { env: embedded },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("from (2024-03-02) is after to (2024-03-01)");
    expect(existsSync(nowhere)).toBe(false);
  });

  it("says what each metric means in --help", () => {
    const result = tagsmith(["metrics", "online", "--help"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(
      "acceptance_rate = suggestions shown that were accepted / shown",
    );
  });

  it("says in --help that proxy recall leaves out the tags chosen before the first suggestions", () => {
    // The store's missable tags: a final tag in the `chosen` list of the session's first shown event is no miss.
    const result = tagsmith(["metrics", "online", "--help"]);
    expect(result.status).toBe(0);
    const help = result.stdout.replace(/\s+/g, " ");
    expect(help).toMatch(/already chosen before the session's first suggestions/);
    expect(help).toMatch(/`chosen` list of its first `shown` event/);
  });
});

describe.skipIf(!hasPostgres)("tagsmith metrics online (PostgreSQL)", () => {
  const postgres = usePostgres();

  it("reads the server DATABASE_URL names", async () => {
    const databaseUrl = await postgres.createDatabase();
    await fill({ databaseUrl });
    const result = tagsmith(["metrics", "online", "--json"], {
      env: { DATABASE_URL: databaseUrl },
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout).overall).toEqual(OVERALL);
    // The last day the store keeps is a day like any other (its next midnight is past year 9999).
    const toTheEnd = tagsmith(["metrics", "online", "--json", "--to", "9999-12-31"], {
      env: { DATABASE_URL: databaseUrl },
    });
    expect(toTheEnd.status, toTheEnd.stderr).toBe(0);
    expect(JSON.parse(toTheEnd.stdout).overall).toEqual(OVERALL);

    // A --store given as well is not read: said, so the server's numbers are not taken for the directory's.
    const both = tagsmith(["metrics", "online", "--json", "--store", "elsewhere"], {
      env: { DATABASE_URL: databaseUrl },
    });
    expect(both.stderr).toBe(
      "tagsmith: note: --store elsewhere is not used: DATABASE_URL is set, so the PostgreSQL server it names is used instead (unset DATABASE_URL to use the directory)\n",
    );
    expect(JSON.parse(both.stdout).overall).toEqual(OVERALL);
  });

  it("refuses an empty database, or another tool's, creating no tables in it, exit 2", async () => {
    for (const otherTool of [false, true]) {
      const databaseUrl = await postgres.createDatabase();
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        // golang-migrate and Rails keep a schema_migrations table too: it is not tagsmith's store.
        if (otherTool)
          await client.query(
            "CREATE TABLE schema_migrations (version bigint PRIMARY KEY, dirty boolean NOT NULL)",
          );
        const result = tagsmith(["metrics", "online"], { env: { DATABASE_URL: databaseUrl } });
        expect(result.status).toBe(2);
        const where = `${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}`;
        expect(result.stderr).toBe(
          otherTool
            ? `tagsmith: the content database at ${where} holds another tool's schema_migrations table (it has no name column): give tagsmith a database of its own (an empty one: tagsmith serve creates its tables there)\n`
            : `tagsmith: no content store in ${where}: the database has no tagsmith tables (tagsmith serve creates them when it first starts on it): point DATABASE_URL at the database the service uses\n`,
        );
        const tables = await client.query(
          "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'",
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual(
          otherTool ? ["schema_migrations"] : [],
        );
      } finally {
        await client.end();
      }
    }
  });

  it("reports a server that is not there in one line, exit 2", async () => {
    const port = await freePort();
    const result = tagsmith(["metrics", "online"], {
      env: { DATABASE_URL: `postgres://tagsmith@127.0.0.1:${port}/content` },
    });
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toContain(
      `the content database at 127.0.0.1:${port}/content is unreachable`,
    );
  });
});
