// The one thing the store asks of a database: run a query, run a transaction, close. Two engines stand behind it:
// PGlite (Postgres compiled to WASM, running inside this process) so that tagsmith saves content with no setup at
// all, and a real PostgreSQL server through a node-postgres pool for deployments with several processes, backups
// and replicas. Both are PostgreSQL, so the store writes plain PostgreSQL once and both run it unchanged; the only
// care taken is to not depend on how each driver converts types (see sql.ts).

import { TagsmithError } from "../errors.js";
import type { StoreEngine, StoreOptions } from "./types.js";

export interface Queryable {
  /** One statement, `$1`-style parameters; the rows it returns. */
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database extends Queryable {
  readonly engine: StoreEngine;
  /** Where the data is, for messages: a directory, "memory", or host:port/database (never a password). */
  readonly where: string;
  /**
   * Runs `run` in one transaction: committed if it returns, rolled back if it throws. PostgreSQL may run it again
   * (after a deadlock or serialization failure, see postgres.ts), so `run` must do nothing but query `tx`.
   */
  transaction<T>(run: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * The first statement of a transaction that only reads, and whose reads must agree (a page and its total, labels and
 * their content): REPEATABLE READ takes one snapshot for all of its statements, where PostgreSQL's default READ
 * COMMITTED takes one per statement, so a change committed between two of them is seen by the second only. On PGlite,
 * which runs one transaction at a time, it changes nothing and is accepted.
 */
export const ONE_SNAPSHOT = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY";

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Connects to the engine `options` name; migrations are the caller's. */
export async function openDatabase(options: StoreOptions): Promise<Database> {
  const url = options.databaseUrl ?? "";
  if (url !== "") {
    if (!isPostgresUrl(url))
      throw new TagsmithError(
        "usage",
        "the database URL must start with postgres:// or postgresql:// (leave it out to use the embedded database)",
      );
    const { openPostgres } = await import("./postgres.js");
    return openPostgres(url);
  }
  // Loaded only when used: the WASM engine is large and a server deployment never needs it.
  const { openEmbedded } = await import("./embedded.js");
  return openEmbedded(options.dir, {
    existing: options.existing,
    newDatabaseImage: options.newDatabaseImage,
  });
}
