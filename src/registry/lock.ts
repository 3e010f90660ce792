// The registry lock: one process at a time changes registry.json, holding the lock file (files/lock-file.ts) for
// the length of the change.

import { TagsmithError } from "../errors.js";
import { acquireLockFile, holderDetails, type LockHolder } from "../files/index.js";

export interface LockOptions {
  /** What the holder is doing, for the message another process prints ("another promote is running"). */
  operation: string;
  /** Whether to wait for a live holder (true) or fail at once (false). */
  waitFor: (holder: LockHolder) => boolean;
  /** Give up waiting after this long. */
  timeoutMs: number;
  /** How the lock is named in messages. */
  what: string;
}

/** Runs `run` holding the lock file `file`. */
export async function withLock<T>(
  file: string,
  { what, ...options }: LockOptions,
  run: () => Promise<T>,
): Promise<T> {
  const lock = await acquireLockFile(file, {
    ...options,
    held: (holder) => {
      return new TagsmithError(
        "conflict",
        `another ${holder.operation || "process"} is running (${holderDetails(holder)}) on ${what}: try again when it has finished`,
      );
    },
  });
  try {
    return await run();
  } finally {
    await lock.release();
  }
}
