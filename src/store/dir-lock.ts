// The embedded store's directory lock. PGlite is PostgreSQL inside one process, with no server to arbitrate: two
// processes opening one data directory would each believe they own it and corrupt it. The lock file
// (files/lock-file.ts) is held for as long as the store is open; a live holder is never waited for.

import { hostname } from "node:os";
import { join } from "node:path";
import { TagsmithError } from "../errors.js";
import { acquireLockFile, holderDetails, type LockFile, type LockHolder } from "../files/index.js";

export const LOCK_FILE = "store.lock";

export type DirLock = LockFile;

/** Takes the lock of data directory `dir` (which must exist), or fails at once if a live process holds it. */
export function lockDir(dir: string): Promise<DirLock> {
  return acquireLockFile(join(dir, LOCK_FILE), {
    operation: "open",
    held: (holder) => lockedError(dir, holder),
  });
}

function lockedError(dir: string, holder: LockHolder): TagsmithError {
  const who =
    holder.pid === process.pid && holder.host === hostname() ? "this process" : "another process";
  return new TagsmithError(
    "conflict",
    `the content store in ${dir} is already open in ${who} (${holderDetails(holder)}): the embedded database serves one process at a time; stop that process, give this one another data directory, or use a PostgreSQL server (a postgres:// database URL)`,
  );
}
