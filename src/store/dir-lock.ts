// The embedded store's directory lock. PGlite is PostgreSQL inside one process, with no server to arbitrate: two
// processes opening one data directory would each believe they own it and corrupt it. The lock file names its
// owner's pid; the lock of an owner that died (killed, crashed) is stale and is broken by the next process.

import { randomBytes } from "node:crypto";
import { link, readFile, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { TagsmithError } from "../errors.js";

export const LOCK_FILE = "store.lock";

interface Holder {
  pid: number;
  host: string;
  since: string;
  /** Tells this holder from a later one with the same pid. */
  token: string;
}

export interface DirLock {
  release(): Promise<void>;
}

const POLL_MS = 25;
/** A break guard older than this was left by a process that died while breaking a stale lock. */
const BREAK_GRACE_MS = 5_000;

/** Takes the lock of data directory `dir` (which must exist), or fails at once if a live process holds it. */
export async function lockDir(dir: string): Promise<DirLock> {
  const file = join(dir, LOCK_FILE);
  const mine: Holder = {
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
    token: randomBytes(6).toString("hex"),
  };
  // Written aside, then linked into place: link fails if the lock exists, and a lock file is never seen half
  // written.
  const draft = `${file}.${mine.token}`;
  await writeFile(draft, `${JSON.stringify(mine)}\n`);
  try {
    for (;;) {
      try {
        await link(draft, file);
        return { release: () => release(file, mine) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
      const holder = await readHolder(file);
      if (holder === "gone") continue;
      if (holder !== "unreadable" && !isStale(holder)) throw lockedError(dir, holder);
      await breakStale(file, holder);
    }
  } finally {
    await rm(draft, { force: true });
  }
}

function lockedError(dir: string, holder: Holder): TagsmithError {
  const who =
    holder.pid === process.pid && holder.host === hostname()
      ? "this process"
      : `another process (pid ${holder.pid}${holder.host === hostname() ? "" : ` on ${holder.host}`})`;
  return new TagsmithError(
    "conflict",
    `the content store in ${dir} is already open in ${who} since ${holder.since}: the embedded database serves one process at a time; stop that process, give this one another data directory, or use a PostgreSQL server (a postgres:// database URL)`,
  );
}

async function readHolder(file: string): Promise<Holder | "gone" | "unreadable"> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
  try {
    const holder = JSON.parse(text) as Holder;
    if (Number.isInteger(holder.pid) && holder.pid > 0 && typeof holder.token === "string")
      return holder;
  } catch {
    // not ours, or damaged: nobody can be holding it
  }
  return "unreadable";
}

/** A holder on another machine (a shared filesystem) cannot be checked, so it is never taken for dead. */
function isStale(holder: Holder): boolean {
  if (holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    // EPERM: alive, but someone else's
    return (error as NodeJS.ErrnoException).code !== "EPERM";
  }
}

/**
 * Removes the lock if it still is the stale one that was seen. Two processes may see the same stale lock; the
 * guard lets one at a time re-read and remove it, so neither removes the live lock the other then takes.
 */
async function breakStale(file: string, seen: Holder | "unreadable"): Promise<void> {
  const guard = `${file}.break`;
  try {
    await writeFile(guard, String(process.pid), { flag: "wx" });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > BREAK_GRACE_MS) await rm(guard, { force: true });
    await sleep(POLL_MS);
    return;
  }
  try {
    const now = await readHolder(file);
    const same =
      seen === "unreadable"
        ? now === "unreadable"
        : now !== "gone" && now !== "unreadable" && now.token === seen.token;
    if (same) await rm(file, { force: true });
  } finally {
    await rm(guard, { force: true });
  }
}

async function release(file: string, mine: Holder): Promise<void> {
  const holder = await readHolder(file).catch(() => "gone" as const);
  if (typeof holder === "object" && holder.token === mine.token) await rm(file, { force: true });
}
