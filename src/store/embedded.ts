// The embedded engine: PGlite, PostgreSQL compiled to WASM and run inside this process, keeping its data in a
// local directory (or in memory, for tests).

import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { TagsmithError } from "../errors.js";
import type { Database, Queryable } from "./database.js";
import { type DirLock, lockDir } from "./dir-lock.js";

/** PGlite's own files sit in a subdirectory, so the lock file beside them is never mistaken for its data. */
export const PGDATA_DIR = "pgdata";

export async function openEmbedded(dir: string | undefined): Promise<Database> {
  if (dir === undefined) return adapt(await PGlite.create(), "memory", undefined);
  const root = resolve(dir);
  let lock: DirLock;
  try {
    await mkdir(root, { recursive: true });
    lock = await lockDir(root);
  } catch (error) {
    if (error instanceof TagsmithError) throw error;
    throw new TagsmithError(
      "not_writable",
      `cannot keep the content store in ${root}: ${(error as Error).message}: make the directory writable by this user, or choose another data directory`,
    );
  }
  try {
    return adapt(await PGlite.create(join(root, PGDATA_DIR)), root, lock);
  } catch (error) {
    await lock.release();
    throw error;
  }
}

function adapt(db: PGlite, where: string, lock: DirLock | undefined): Database {
  const queryable = (q: Pick<PGlite, "query">): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) =>
      (await q.query<Row>(sql, params as unknown[] | undefined)).rows,
  });
  let closed: Promise<void> | undefined;
  return {
    engine: "embedded",
    where,
    ...queryable(db),
    // PGlite runs one transaction at a time; a query outside it waits until it ends.
    transaction: (run) => db.transaction((tx) => run(queryable(tx))),
    close: () => {
      closed ??= db.close().finally(() => lock?.release());
      return closed;
    },
  };
}
