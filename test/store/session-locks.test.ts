// The session locks a feedback batch takes (feedback.ts, lockSessions) on both engines: every distinct session of
// the batch locked, in one statement however many sessions it names, held until the transaction ends.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase, type Queryable } from "../../src/store/database.js";
import { lockSessions } from "../../src/store/feedback.js";
import type { StoreOptions } from "../../src/store/index.js";
import { hasPostgres, usePostgres } from "../support/postgres.js";
import { embeddedStore } from "../support/store-image.js";

/** The two-key advisory locks this transaction holds in the sessions' namespace. */
const HELD = `SELECT count(*) AS held FROM pg_locks
  WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND classid = 7416547 AND objsubid = 2`;

/** `tx`, recording each statement it runs. */
function recorded(tx: Queryable): { tx: Queryable; statements: string[] } {
  const statements: string[] = [];
  return {
    statements,
    tx: {
      query: (sql, params) => {
        statements.push(sql);
        return tx.query(sql, params);
      },
    },
  };
}

function sessionLockCases(engine: string, options: () => StoreOptions): void {
  let db: Database;
  beforeAll(async () => {
    db = await openDatabase(options());
  });
  afterAll(async () => {
    await db?.close();
  });

  describe(`session locks (${engine})`, () => {
    it("locks the distinct sessions of a batch of 100 in one statement, until the transaction ends", async () => {
      const sessions = Array.from({ length: 100 }, (_, i) => `session-${i}`);
      const held = await db.transaction(async (tx) => {
        const { tx: counted, statements } = recorded(tx);
        // Repeats, nulls and any order: each session locked once.
        await lockSessions(counted, [...[...sessions].reverse(), ...sessions, null]);
        expect(statements).toHaveLength(1);
        const [row] = await tx.query<{ held: number | string }>(HELD);
        return Number(row?.held);
      });
      expect(held).toBe(100);
      const [after] = await db.query<{ held: number | string }>(HELD);
      expect(Number(after?.held)).toBe(0);
    });

    it("runs nothing for a batch without sessions", async () => {
      await db.transaction(async (tx) => {
        const { tx: counted, statements } = recorded(tx);
        await lockSessions(counted, [null, null]);
        expect(statements).toEqual([]);
      });
    });
  });
}

sessionLockCases("embedded", () => embeddedStore());

describe.skipIf(!hasPostgres)("on PostgreSQL", () => {
  const postgres = usePostgres();
  sessionLockCases("postgres", () => ({ databaseUrl: postgres.url() }));
});
