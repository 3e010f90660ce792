// Writing files atomically: a reader never sees a half-written file, and a crash leaves the old one in place. A path
// that cannot be written is the user's to fix (another path, permissions, space), so it is a clear error, not a bug.

import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import {
  access,
  link,
  lstat,
  mkdir,
  mkdtemp,
  rename,
  rm,
  rmdir,
  stat,
  writeFile,
} from "node:fs/promises";
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

/**
 * Reasons for errnos that mean "cannot write" only where they come from a create inside a directory that exists (this
 * module's NotWritableError, or a caller's own mkdir): ENOENT there is procfs such as /proc refusing new entries,
 * where elsewhere it just means "not there".
 */
const REASONS: Readonly<Record<string, string>> = {
  ...UNWRITABLE,
  ENOENT: "nothing can be created there, as in /proc",
};

/** How to fix it, where choosing another path is not the only way. */
const FIX: Readonly<Record<string, string>> = {
  EACCES: "give this user write permission there, or choose another path",
  ENOSPC: "free some space, or choose a path on another disk",
  EDQUOT: "free some space, or choose a path on another disk",
};

/**
 * Why a path cannot be written, in words, for the errno that said so: the one wording of every "cannot write" (this
 * module's, the registry's, the content store's), so /proc's ENOENT reads the same wherever it is met.
 */
export function notWritableReason(errno: string): string {
  return REASONS[errno] ?? errno;
}

/** A path that cannot be written; the errno travels with it so a caller (the registry) can say what it was for. */
export class NotWritableError extends TagsmithError {
  constructor(
    readonly path: string,
    readonly errno: string,
  ) {
    super(
      "not_writable",
      `cannot write ${path} (${errno}: ${notWritableReason(errno)}): ${FIX[errno] ?? "choose another path"}`,
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
 * over a file in the way says EEXIST: the same mistake as a file further up, ENOTDIR. ENOENT from a mkdir whose
 * parent exists (makeDirectory makes sure it does) is a directory that takes no new entries.
 */
export async function creatingFor<T>(path: string, create: () => Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof NotWritableError) throw new NotWritableError(path, error.errno);
    if (errnoOf(error) === "EEXIST") throw new NotWritableError(path, "ENOTDIR");
    if (errnoOf(error) === "ENOENT") throw new NotWritableError(path, "ENOENT");
    throw notWritable(error, path);
  }
}

/**
 * mkdir -p that always ends. Node's own (mkdir with recursive) retries for ever when a directory exists but refuses
 * a new entry with ENOENT, as /proc does: it takes that ENOENT for a missing parent. Here the missing directories
 * are found first, then created from the top, once each. A file in the way is a NotWritableError (ENOTDIR); other
 * errors are mkdir's own.
 */
export async function makeDirectory(dir: string): Promise<string[]> {
  const missing: string[] = [];
  for (let path = resolve(dir); ; path = dirname(path)) {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      if (errnoOf(error) === "ENOTDIR") throw new NotWritableError(resolve(dir), "ENOTDIR");
      if (errnoOf(error) !== "ENOENT" || dirname(path) === path) throw error;
      missing.push(path);
      continue;
    }
    if (!isDirectory) throw new NotWritableError(resolve(dir), "ENOTDIR");
    break;
  }
  const created: string[] = [];
  for (const path of missing.reverse()) {
    try {
      await mkdir(path);
      created.push(path);
    } catch (error) {
      // another process made it meanwhile
      if (errnoOf(error) === "EEXIST" && (await stat(path).catch(() => null))?.isDirectory())
        continue;
      throw error;
    }
  }
  return created;
}

export interface WriteFileOptions {
  /** false: an existing file is never replaced; the write fails with a conflict naming it instead. Default true. */
  replace?: boolean;
}

/** The file a write with `replace: false` found in its way. */
export class FileExistsError extends TagsmithError {
  constructor(readonly path: string) {
    super(
      "conflict",
      `${path} already exists: it was not overwritten; remove it, or choose another path`,
    );
  }
}

export async function writeFileAtomic(
  file: string,
  content: string | Uint8Array,
  options: WriteFileOptions = {},
): Promise<void> {
  await writeFilesAtomic([{ file, content }], options);
}

/**
 * Writes several files as one change: every content goes to a temporary file beside its target first, so a full
 * disk or a name the file system refuses fails before anything is replaced; then each is put in place. With replace:
 * false, a file that appeared at a later target meanwhile takes back the ones already put in place (they were new).
 */
export async function writeFilesAtomic(
  files: readonly { file: string; content: string | Uint8Array }[],
  { replace = true }: WriteFileOptions = {},
): Promise<void> {
  const temporaries: string[] = [];
  const placed: string[] = [];
  /** Directories made for these files, top first: a write that fails leaves none behind. */
  const made: string[] = [];
  let current = "";
  try {
    for (const { file, content } of files) {
      current = file;
      made.push(...(await creatingFor(file, () => makeDirectory(dirname(file)))));
      const temporary = join(
        dirname(file),
        // The whole name, longer than the target's: a name the file system refuses fails here, before any file is
        // replaced (cut short, it passed, and a --force export replaced its labels before its provenance failed).
        `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
      );
      temporaries.push(temporary);
      await writeFile(temporary, content);
    }
    for (const [i, { file }] of files.entries()) {
      current = file;
      if (replace) await rename(temporaries[i] as string, file);
      else await linkNew(temporaries[i] as string, file);
      placed.push(file);
    }
  } catch (error) {
    // force ignores only ENOENT: under a file in the way, rm itself fails with ENOTDIR
    for (const temporary of temporaries)
      await rm(temporary, { force: true }).catch(() => undefined);
    if (!replace) for (const file of placed) await rm(file, { force: true }).catch(() => undefined);
    // Deepest first; rmdir leaves a directory something else has put a file in since.
    for (const dir of made.reverse()) await rmdir(dir).catch(() => undefined);
    if (error instanceof TagsmithError) throw error;
    // Inside a directory that exists, ENOENT means it takes no new files (/proc).
    if (errnoOf(error) === "ENOENT") throw new NotWritableError(current, "ENOENT");
    throw notWritable(error, current);
  }
}

/** false for ENOENT (nothing there); any other error is thrown. */
function missing(error: unknown): false {
  if (errnoOf(error) === "ENOENT") return false;
  throw error;
}

/**
 * Puts a written temporary file in place as `file` only if there is none: link() fails with EEXIST where rename()
 * would replace, so a file made after any check beforehand is kept too. The temporary name is removed after.
 */
async function linkNew(temporary: string, file: string): Promise<void> {
  try {
    await link(temporary, file);
  } catch (error) {
    if (errnoOf(error) === "EEXIST") throw new FileExistsError(file);
    // A file system without hard links: checked just before, then renamed.
    if (!["EPERM", "ENOTSUP", "EOPNOTSUPP", "EMLINK"].includes(errnoOf(error) ?? "")) throw error;
    if (await lstat(file).then(() => true, missing)) throw new FileExistsError(file);
    await rename(temporary, file);
    return;
  }
  await rm(temporary, { force: true });
}

/**
 * Checks that a directory could be created (or written, if it exists) at `dir` without leaving anything behind: so
 * a command that writes there only after minutes of work (training) fails at once, and leaves no empty directories.
 * Permissions alone do not tell (access() lets root write anywhere, yet /proc takes no new entry even from root): a
 * directory is made in the nearest existing one and removed again.
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
      await rmdir(await mkdtemp(join(path, ".tagsmith-probe-")));
    } catch (error) {
      // mkdir in a directory that exists: ENOENT means it takes no new entries
      throw errnoOf(error) === "ENOENT"
        ? new NotWritableError(target, "ENOENT")
        : notWritable(error, target);
    }
    return;
  }
}
