// What a command's --out may write: never into a directory the command reads (its store's, its registry's, its
// model's), whatever the options; over any other file that is there only with --force, so a rerun does not silently
// destroy a hand-made file of the same name (a curated gold set, say).

import { lstat, realpath } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { TagsmithError } from "../errors.js";
import { NotWritableError } from "./write.js";

/** A directory whose files a command reads, and how to name it: "registry /x/models". */
export interface InputDir {
  dir: string;
  name: string;
}

/**
 * The real path `file` has or would have: a path not there yet (its directories may be missing too, as a write
 * creates them) is named from the real path of its nearest ancestor that is there.
 */
async function realFile(file: string): Promise<string | null> {
  const missing: string[] = [];
  let path = resolve(file);
  for (;;) {
    const real = await realpath(path).catch(() => null);
    if (real !== null) return join(real, ...missing.reverse());
    const parent = dirname(path);
    if (parent === path) return null;
    missing.push(basename(path));
    path = parent;
  }
}

/**
 * Whether `file` lies (or would lie) in `dir`, by real path: a link to a file there, or a path through a linked
 * directory, too.
 */
async function holds(dir: string, file: string): Promise<boolean> {
  const [inside, path] = await Promise.all([realpath(dir).catch(() => null), realFile(file)]);
  if (inside === null || path === null) return false;
  const within = relative(inside, path);
  return within !== "" && !isAbsolute(within) && within.split(sep)[0] !== "..";
}

/**
 * Checks, before any work, the files a command is about to write (--out and any written beside it): one that lies in
 * a directory the command reads is refused even with `force`; any other that is there is refused unless `force`. A
 * directory in the way is said as the write would say it. Nothing there: nothing to lose.
 */
export async function checkOutFiles(
  files: readonly string[],
  {
    force,
    reads,
    option = "--out",
  }: { force: boolean; reads: readonly InputDir[]; option?: string },
): Promise<void> {
  const existing: string[] = [];
  for (const file of files) {
    const there = await lstat(file).catch(() => null);
    if (there?.isDirectory()) throw new NotWritableError(file, "EISDIR");
    for (const input of reads)
      if (await holds(input.dir, file))
        throw new TagsmithError(
          "conflict",
          there
            ? `${file} is a file of ${input.name}, which this command reads: it is never replaced, not even with --force; choose another ${option}`
            : `${file} would be a new file in ${input.name}, which this command reads: nothing is added there; choose another ${option}`,
        );
    if (there) existing.push(file);
  }
  if (force || existing.length === 0) return;
  throw new TagsmithError(
    "conflict",
    existing.length === 1
      ? `${existing[0]} already exists: it was kept; --force replaces it, or choose another ${option}`
      : `${existing.join(" and ")} already exist: they were kept; --force replaces them, or choose another ${option}`,
  );
}
