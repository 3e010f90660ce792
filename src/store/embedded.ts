// The embedded engine: PGlite, PostgreSQL compiled to WASM and run inside this process, keeping its data in a
// local directory (or in memory, for tests).

import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join, resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { TagsmithError } from "../errors.js";
import {
  creatingFor,
  errnoOf,
  makeDirectory,
  NotWritableError,
  notWritableReason,
} from "../files/index.js";
import type { Database, Queryable } from "./database.js";
import { type DirLock, lockDir } from "./dir-lock.js";
import { NO_STORE_HINT } from "./errors.js";

/** PGlite's own files sit in a subdirectory, so the lock file beside them is never mistaken for its data. */
const PGDATA_DIR = "pgdata";

/**
 * How often a store on disk is checkpointed. PGlite runs PostgreSQL in single-user mode, which has no checkpointer
 * process: without one, the write-ahead log grew for as long as the service ran (190 MB an hour under a soak test's
 * saves, 320 MB without end under heavy ones) and a restart after a crash replayed all of it. A checkpoint takes
 * 10-80 ms of this process's thread, once in this interval; pg_wal then stays near PostgreSQL's min_wal_size (80 MB).
 */
export const CHECKPOINT_EVERY_MS = 5 * 60_000;

export interface EmbeddedOptions {
  existing?: boolean;
  newDatabaseImage?: Blob;
  /** For tests: the interval between checkpoints of a store on disk. */
  checkpointEveryMs?: number;
}

export async function openEmbedded(
  dir: string | undefined,
  {
    existing = false,
    newDatabaseImage,
    checkpointEveryMs = CHECKPOINT_EVERY_MS,
  }: EmbeddedOptions = {},
): Promise<Database> {
  if (dir === undefined)
    return adapt(await PGlite.create({ loadDataDir: newDatabaseImage }), "memory", undefined);
  const root = resolve(dir);
  /** PostgreSQL's mark of a data directory: there once a database was made in it. */
  const versionFile = join(root, PGDATA_DIR, "PG_VERSION");
  // Checked before anything is opened: PGlite creates a database in any directory it is given.
  if (existing && !existsSync(versionFile)) {
    const kind = await stat(root).catch(() => null);
    const why =
      kind === null
        ? ""
        : !kind.isDirectory()
          ? " (it is a file, not a directory)"
          : existsSync(join(root, PGDATA_DIR))
            ? ` (its ${PGDATA_DIR}/ holds no database)`
            : ` (the directory has no ${PGDATA_DIR}/ of a store)`;
    throw new TagsmithError("usage", `no content store in ${root}${why}: ${NO_STORE_HINT}`);
  }
  let lock: DirLock;
  try {
    await creatingFor(root, () => makeDirectory(root));
    lock = await lockDir(root);
  } catch (error) {
    // a store open elsewhere is said by lockDir; a path that cannot hold a store, here
    if (error instanceof TagsmithError && !(error instanceof NotWritableError)) throw error;
    throw await unusableDir(root, error);
  }
  try {
    // PGlite refuses an image where a database is.
    const image = existsSync(versionFile) ? undefined : newDatabaseImage;
    const db = await PGlite.create(join(root, PGDATA_DIR), { loadDataDir: image });
    return adapt(db, root, lock, checkpointEveryMs);
  } catch (error) {
    await lock.release();
    // Files of a data directory PGlite cannot start from (a copy cut short, files from another PostgreSQL): the
    // store's data is damaged, which its owner can mend, not a bug to report with a stack.
    if (existsSync(versionFile))
      throw new TagsmithError(
        "invalid_input",
        `the content store in ${root} cannot be opened: its ${PGDATA_DIR}/ is damaged or is not an embedded tagsmith database (${error instanceof Error ? error.message : String(error)}): restore it from a backup, or give another --store`,
      );
    throw error;
  }
}

/** Why the store cannot be kept in `root`, and what to do: a file in the way is not a matter of permissions. */
async function unusableDir(root: string, error: unknown): Promise<TagsmithError> {
  if ((await stat(root).catch(() => null))?.isFile())
    return new TagsmithError(
      "not_writable",
      `cannot keep the content store in ${root}: it is a file, and the store is a directory (its database files and a lock file go in it): give a directory (one that does not exist yet is created), or move the file away`,
    );
  // A file in the way is ENOTDIR (creatingFor says mkdir's EEXIST so); ENOENT, making a directory or the lock file
  // in one that exists, is a directory that takes no new entries (/proc).
  const code = error instanceof NotWritableError ? error.errno : errnoOf(error);
  if (code === "ENOTDIR" || code === "ENOENT")
    return new TagsmithError(
      "not_writable",
      `cannot keep the content store in ${root} (${code}: ${notWritableReason(code)}): choose another data directory`,
    );
  return new TagsmithError(
    "not_writable",
    `cannot keep the content store in ${root}: ${(error as Error).message}: make the directory writable by this user, or choose another data directory`,
  );
}

function adapt(
  db: PGlite,
  where: string,
  lock: DirLock | undefined,
  checkpointEveryMs?: number,
): Database {
  const queryable = (q: Pick<PGlite, "query">): Queryable => ({
    query: async <Row>(sql: string, params?: readonly unknown[]) =>
      (await q.query<Row>(sql, params as unknown[] | undefined)).rows,
  });
  let closed: Promise<void> | undefined;
  // One checkpoint at a time, waited for at close; a failed one is retried at the next tick (the store's own queries
  // say what is wrong with it), and the timer never keeps a process alive.
  let checkpoint: Promise<unknown> = Promise.resolve();
  const checkpoints =
    checkpointEveryMs === undefined
      ? undefined
      : setInterval(() => {
          checkpoint = checkpoint.then(() => db.query("CHECKPOINT")).catch(() => undefined);
        }, checkpointEveryMs).unref();
  return {
    engine: "embedded",
    where,
    ...queryable(db),
    // PGlite runs one transaction at a time; a query outside it waits until it ends.
    transaction: (run) => db.transaction((tx) => run(queryable(tx))),
    close: () => {
      clearInterval(checkpoints);
      closed ??= checkpoint.then(() => db.close()).finally(() => lock?.release());
      return closed;
    },
  };
}
