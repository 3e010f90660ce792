// A lock between processes as a file naming its holder: created with O_EXCL, so one process at a time holds it; a
// lock whose holder died (killed, crashed) is stale and is broken by the next process. The registry holds one for
// the length of a change, the embedded store for as long as it is open.

import { randomBytes } from "node:crypto";
import { open, readFile, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { TagsmithError } from "../errors.js";

export interface LockHolder {
  pid: number;
  /** "" when the file does not say (a lock written by hand), as for the fields below. */
  host: string;
  /** What the holder is doing, for the message another process prints. */
  operation: string;
  since: string;
  /** Tells this holder from a later one of the same pid. */
  token: string;
}

export interface LockFileOptions {
  operation: string;
  /** Whether to wait for a live holder rather than fail at once: never, unless given. */
  waitFor?: (holder: LockHolder) => boolean;
  /** Give up waiting after this long. */
  timeoutMs?: number;
  /** The error to fail with while a live holder keeps the lock: it names the holder and what to do. */
  held: (holder: LockHolder) => Error;
}

export interface LockFile {
  /** Removes the lock file, unless a later holder has since broken it and taken the lock. */
  release(): Promise<void>;
}

const POLL_MS = 25;
/** A lock file with no readable holder is being written, unless it is older than this (its writer died). */
const UNREADABLE_GRACE_MS = 2_000;
/** Breaking a stale lock is itself guarded by a lock; a breaker that died leaves it, old, for the next one. */
const BREAK_GRACE_MS = 5_000;

/** The holder as messages name it ("pid 123 on other-host, since ..."), saying only what its lock file does. */
export function holderDetails(holder: LockHolder): string {
  const where = holder.host === "" || holder.host === hostname() ? "" : ` on ${holder.host}`;
  const since = holder.since === "" ? "" : `, since ${holder.since}`;
  return `pid ${holder.pid}${where}${since}`;
}

/**
 * Whether process `pid` of `host` is gone. A process on another machine (a shared filesystem) cannot be checked, so
 * it is never taken for gone.
 */
export function isGone(pid: number, host: string): boolean {
  return host === hostname() && Number.isInteger(pid) && pid > 0 && !isAlive(pid);
}

/** A name for scratch files or directories that says which process made them: `<pid>.<random>.<host>`. */
export function ownerTag(): string {
  return `${process.pid}.${randomBytes(6).toString("hex")}.${hostname()}`;
}

/** Whether a name made by ownerTag (what follows a caller's prefix) was left by a process that is gone. */
export function isAbandoned(tag: string): boolean {
  const [pid, , ...host] = tag.split(".");
  return isGone(Number(pid), host.join("."));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Takes the lock file `file` (its directory must exist), waiting for a live holder only as `waitFor` says. */
export async function acquireLockFile(file: string, options: LockFileOptions): Promise<LockFile> {
  const deadline = Date.now() + (options.timeoutMs ?? 0);
  const mine: LockHolder = {
    pid: process.pid,
    host: hostname(),
    operation: options.operation,
    since: new Date().toISOString(),
    token: randomBytes(6).toString("hex"),
  };
  for (;;) {
    try {
      const handle = await open(file, "wx");
      try {
        await handle.writeFile(`${JSON.stringify(mine)}\n`);
      } finally {
        await handle.close();
      }
      return { release: () => release(file, mine) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const seen = await inspect(file);
    if ("gone" in seen) continue;
    if ("holder" in seen && !isStale(seen.holder)) {
      if (!options.waitFor?.(seen.holder) || Date.now() > deadline) throw options.held(seen.holder);
      await sleep(POLL_MS);
      continue;
    }
    if ("unreadable" in seen && seen.ageMs < UNREADABLE_GRACE_MS) {
      await sleep(POLL_MS);
      continue;
    }
    await breakStale(file, seen);
  }
}

type Seen = { holder: LockHolder } | { unreadable: true; ageMs: number } | { gone: true };

async function inspect(file: string): Promise<Seen> {
  let text: string;
  let ageMs: number;
  try {
    [text, ageMs] = await Promise.all([
      readFile(file, "utf8"),
      stat(file).then((s) => Date.now() - s.mtimeMs),
    ]);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { gone: true };
    // Nothing tagsmith writes: said, rather than waited on for ever or crashed on.
    if (code === "EISDIR")
      throw new TagsmithError(
        "invalid_input",
        "a directory is where the lock file should be: remove it (no tagsmith puts one there)",
        { file },
      );
    throw error;
  }
  try {
    // Written by a tagsmith, or by hand (README: "JSON naming the holder's pid and host"): a field missing or of
    // another type is read as unknown (""), so that messages say only what the file does.
    const { pid, host, operation, since, token } = JSON.parse(text) as Record<string, unknown>;
    const known = (value: unknown) => (typeof value === "string" ? value : "");
    if (typeof pid === "number" && Number.isInteger(pid) && pid > 0) {
      return {
        holder: {
          pid,
          host: known(host),
          operation: known(operation),
          since: known(since),
          token: known(token),
        },
      };
    }
  } catch {
    // being written, or its writer died between creating and writing it
  }
  return { unreadable: true, ageMs };
}

function isStale(holder: LockHolder): boolean {
  return isGone(holder.pid, holder.host);
}

/**
 * Removes the lock file if it still is the stale lock that was seen. Two processes may see the same stale lock;
 * the break lock makes sure only one removes it, and the re-read that the other does not remove the new, live lock
 * the first one then takes.
 */
async function breakStale(file: string, seen: Seen): Promise<void> {
  const breakFile = `${file}.break`;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(breakFile, "wx");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    const age = await stat(breakFile).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > BREAK_GRACE_MS) await rm(breakFile, { force: true });
    await sleep(POLL_MS);
    return;
  }
  try {
    const now = await inspect(file);
    const same =
      "holder" in seen && "holder" in now
        ? now.holder.token === seen.holder.token
        : "unreadable" in seen && "unreadable" in now && now.ageMs >= UNREADABLE_GRACE_MS;
    if (same) await rm(file, { force: true });
  } finally {
    await handle.close();
    await rm(breakFile, { force: true });
  }
}

async function release(file: string, mine: LockHolder): Promise<void> {
  const seen = await inspect(file).catch(() => undefined);
  if (seen && "holder" in seen && seen.holder.token === mine.token) await rm(file, { force: true });
}
