// Whether two paths name one file: by device and inode where the file exists, so `a`, `./a`, an absolute path to it
// and a link to it are one file; by the resolved path where it does not exist (yet).

import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { TagsmithError } from "../errors.js";

/** What names a file whichever path leads to it. */
export async function fileIdentity(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return `inode:${info.dev}:${info.ino}`;
  } catch {
    return `path:${resolve(path)}`;
  }
}

/** The first path that names the same file as an earlier one, with that one; undefined when every file differs. */
export async function repeatedFile(
  paths: readonly string[],
): Promise<{ first: string; again: string } | undefined> {
  const seen = new Map<string, string>();
  for (const path of paths) {
    const identity = await fileIdentity(path);
    const first = seen.get(identity);
    if (first !== undefined) return { first, again: path };
    seen.set(identity, path);
  }
  return undefined;
}

/**
 * The paths as absolute ones, when each names a different file. The same file twice, by any path, would count its
 * items twice (`use`: "trained on", "scored"; `items`: what it holds, "items" unless said): refused, naming it and
 * both spellings.
 */
export async function distinctFiles(
  paths: readonly string[],
  what: { noun: string; use: string; items?: string },
): Promise<string[]> {
  const repeat = await repeatedFile(paths);
  if (repeat) {
    const spellings =
      repeat.first === repeat.again ? "" : ` (as ${repeat.first} and ${repeat.again})`;
    throw new TagsmithError(
      "usage",
      `${what.noun} ${resolve(repeat.again)} is given twice${spellings}: its ${what.items ?? "items"} would be ${what.use} twice; give each file once`,
    );
  }
  return paths.map((path) => resolve(path));
}
