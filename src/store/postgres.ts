// The PostgreSQL server engine: a node-postgres pool that survives the server going away and coming back.

import { setTimeout } from "node:timers/promises";
import pg from "pg";
import type { Database, Queryable } from "./database.js";
import {
  asUnavailable,
  busyError,
  isConflict,
  isUnreachable,
  outcomeUnknownError,
  tablesGoneError,
  UNDEFINED_TABLE,
} from "./errors.js";

/** A server that does not answer within this long is reported unavailable instead of hanging the request. */
const CONNECT_TIMEOUT_MS = 5_000;
/** How many times a transaction runs that conflicts with others (isConflict) before it is StoreError "busy". */
const TRANSACTION_ATTEMPTS = 3;
/** The longest pause before running a conflicting transaction again, times the attempts so far. */
const CONFLICT_PAUSE_MS = 20;

export async function openPostgres(url: string): Promise<Database> {
  const where = describeUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
  });
  // An idle client whose server restarted or whose connection dropped emits "error"; unheard, that would crash the
  // process. The pool has already discarded the client, and the next query opens a new connection.
  pool.on("error", () => {});
  const unavailable = (error: unknown) => asUnavailable(error, where);
  // A table missing: the database emptied under us (an outage a restart repairs) if the migrations table went too.
  // Asked on `on`, the failed transaction's own connection where it has one: asking the pool for another while
  // holding it waits, when every transaction of a full pool failed alike, until the connection timeout.
  const classified = async (
    error: unknown,
    on: Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query"> = pool,
  ): Promise<unknown> => {
    if ((error as { code?: unknown } | null)?.code !== UNDEFINED_TABLE) return unavailable(error);
    const gone = await on
      .query<{ gone: boolean }>("SELECT to_regclass('schema_migrations') IS NULL AS gone")
      .then(
        (result) => result.rows[0]?.gone === true,
        () => false,
      );
    return gone ? tablesGoneError(where, error as Error) : error;
  };

  const query = async <Row>(sql: string, params?: readonly unknown[]): Promise<Row[]> => {
    try {
      const result = await pool.query(sql, params as unknown[] | undefined);
      return result.rows as Row[];
    } catch (error) {
      if (isConflict(error)) throw busyError(where, 1, error as Error);
      throw await classified(error);
    }
  };

  // A transaction PostgreSQL ended for conflicting with others (a deadlock, a serialization failure) wrote nothing,
  // and every transaction of the store only reads and writes the database: it is run again, after a short random
  // pause so that the two that collided do not meet again in step.
  const transaction = async <T>(run: (tx: Queryable) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await transactionOnce(run);
      } catch (error) {
        if (!isConflict(error)) throw error;
        if (attempt === TRANSACTION_ATTEMPTS) throw busyError(where, attempt, error as Error);
        await setTimeout(Math.random() * CONFLICT_PAUSE_MS * attempt);
      }
    }
  };

  const transactionOnce = async <T>(run: (tx: Queryable) => Promise<T>): Promise<T> => {
    const client = await pool.connect().catch((error: unknown) => {
      throw unavailable(error);
    });
    // A checked-out client has no pool listener: its connection dropping between two of our queries must not
    // crash the process either. A client that saw an error is destroyed on release instead of reused.
    let broken: Error | undefined;
    const onError = (error: Error) => {
      broken ??= error;
    };
    client.on("error", onError);
    let committing = false;
    try {
      await client.query("BEGIN");
      const tx: Queryable = {
        query: async <Row>(sql: string, params?: readonly unknown[]) =>
          (await client.query(sql, params as unknown[] | undefined)).rows as Row[],
      };
      const result = await run(tx);
      committing = true;
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch((rollbackError: Error) => {
        broken ??= rollbackError;
      });
      // A connection lost during COMMIT: the server may have committed before it went, or not. The transaction is
      // still all or nothing there, but "nothing was written" (unavailable) would be a guess.
      if (committing && isUnreachable(error)) throw outcomeUnknownError(where, error as Error);
      throw await classified(error, broken ? pool : client);
    } finally {
      client.off("error", onError);
      client.release(broken);
    }
  };

  let closed: Promise<void> | undefined;
  const db: Database = {
    engine: "postgres",
    where,
    query,
    transaction,
    close: () => {
      closed ??= pool.end();
      return closed;
    },
  };
  // Fail at open, with a message naming the server, rather than at the first request.
  try {
    await db.query("SELECT 1");
  } catch (error) {
    await db.close().catch(() => {});
    throw error;
  }
  return db;
}

/** host:port/database of a URL: enough to find the server, never the user's password. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const host = parsed.hostname || new URLSearchParams(parsed.search).get("host") || "localhost";
    return `${host}:${parsed.port || "5432"}${parsed.pathname}`;
  } catch {
    return "the configured PostgreSQL URL";
  }
}
