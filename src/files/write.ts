// Writing files atomically: a reader never sees a half-written file, and a crash leaves the old one in place. A path
// that cannot be written is the user's to fix (another path, permissions, space), so it is a clear error, not a bug.

import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { TagsmithError } from "../errors.js";

/** Why a path cannot be written, by errno: every other error is unexpected and keeps its stack. */
export const UNWRITABLE: Readonly<Record<string, string>> = {
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  EROFS: "read-only file system",
  ENOTDIR: "a part of the path is a file, not a directory",
  EISDIR: "it is a directory",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  ENAMETOOLONG: "a name in the path is too long",
};

/** How to fix it, where choosing another path is not the only way. */
const FIX: Readonly<Record<string, string>> = {
  EACCES: "give this user write permission there, or choose another path",
  ENOSPC: "free some space, or choose a path on another disk",
  EDQUOT: "free some space, or choose a path on another disk",
};

/** A path that cannot be written; the errno travels with it so a caller (the registry) can word it its own way. */
export class NotWritableError extends TagsmithError {
  constructor(
    readonly path: string,
    readonly errno: string,
    reason = UNWRITABLE[errno] ?? errno,
  ) {
    super(
      "not_writable",
      `cannot write ${path} (${errno}: ${reason}): ${FIX[errno] ?? "choose another path"}`,
    );
  }
}

/** The errno code of a Node file-system error, if it is one. */
export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

/** An errno error meaning `path` cannot be written, as a NotWritableError; any other error unchanged. */
export function notWritable(error: unknown, path: string): unknown {
  const code = errnoOf(error);
  return code && Object.hasOwn(UNWRITABLE, code) ? new NotWritableError(path, code) : error;
}

/**
 * Creates directories on the way to `path` (mkdir), turning "cannot write here" into a NotWritableError. mkdir -p
 * over a file in the way says EEXIST: the same mistake as a file further up, ENOTDIR.
 */
export async function creatingFor<T>(path: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (errnoOf(error) === "EEXIST") throw new NotWritableError(path, "ENOTDIR");
    throw notWritable(error, path);
  }
}

export async function writeFileAtomic(file: string, content: string | Uint8Array): Promise<void> {
  await creatingFor(file, () => mkdir(dirname(file), { recursive: true }));
  const temporary = join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
  try {
    await writeFile(temporary, content);
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw notWritable(error, file);
  }
}

/**
 * Checks that a directory could be created (or written, if it exists) at `dir` without creating anything: so a
 * command that writes there only after minutes of work (training) fails at once, and leaves no empty directories.
 */
export async function assertWritableDir(dir: string): Promise<void> {
  const target = resolve(dir);
  for (let path = target; ; path = dirname(path)) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      // Not there yet: it would be created inside the nearest directory that is.
      if (errnoOf(error) === "ENOENT" && dirname(path) !== path) continue;
      throw notWritable(error, target);
    }
    if (!isDirectory) throw new NotWritableError(target, "ENOTDIR");
    try {
      await access(path, constants.W_OK);
    } catch (error) {
      throw notWritable(error, target);
    }
    return;
  }
}
