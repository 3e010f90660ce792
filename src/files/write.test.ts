// Writing files: a path that cannot be written is one clear error naming it (never a stack trace), no temporary file
// is left behind, and the check before a long job creates nothing.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TagsmithError } from "../errors.js";
import { assertWritableDir, NotWritableError, writeFileAtomic } from "./write.js";

let dir: string;
let aFile: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-write-"));
  aFile = join(dir, "a-file");
  await writeFile(aFile, "not a directory");
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function rejected(promise: Promise<unknown>): Promise<NotWritableError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(NotWritableError);
  expect(error).toBeInstanceOf(TagsmithError);
  return error as NotWritableError;
}

describe("writeFileAtomic", () => {
  it("writes the file, creating its directory", async () => {
    const file = join(dir, "new", "deeper", "x.json");
    await writeFileAtomic(file, "[]\n");
    expect(await readFile(file, "utf8")).toBe("[]\n");
  });

  // Each case: a path that cannot be written, and the errno the message names.
  const cases: [string, () => string, string][] = [
    ["a file as its directory", () => join(aFile, "report.html"), "ENOTDIR"],
    ["a file further up its path", () => join(aFile, "x", "report.html"), "ENOTDIR"],
    ["a directory where the file should be", () => dir, "EISDIR"],
  ];
  it.each(cases)("reports %s as not_writable, naming the path", async (_, path, errno) => {
    const file = path();
    const error = await rejected(writeFileAtomic(file, "x"));
    expect(error.code).toBe("not_writable");
    expect(error.errno).toBe(errno);
    expect(error.message).toBe(
      `cannot write ${file} (${errno}: ${
        errno === "EISDIR" ? "it is a directory" : "a part of the path is a file, not a directory"
      }): choose another path`,
    );
  });

  it("leaves no temporary file behind when the write fails", async () => {
    const target = join(dir, "is-a-directory");
    await mkdir(target);
    await rejected(writeFileAtomic(target, "x"));
    expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

describe("assertWritableDir", () => {
  it("accepts an existing directory and one that does not exist yet, creating nothing", async () => {
    await assertWritableDir(dir);
    const missing = join(dir, "not-yet", "model");
    await assertWritableDir(missing);
    expect(existsSync(join(dir, "not-yet"))).toBe(false);
  });

  it("refuses a path that is a file or lies under one, naming it", async () => {
    for (const path of [aFile, join(aFile, "model"), join(aFile, "a", "b")]) {
      const error = await rejected(assertWritableDir(path));
      expect(error.errno).toBe("ENOTDIR");
      expect(error.message).toContain(`cannot write ${path} (ENOTDIR`);
    }
  });

  it("refuses a directory this user may not write in", async () => {
    const locked = join(dir, "read-only");
    await mkdir(locked, { mode: 0o555 });
    const target = join(locked, "model");
    if (process.getuid?.() !== 0) {
      const error = await rejected(assertWritableDir(target));
      expect(error.errno).toBe("EACCES");
      expect(error.message).toMatch(/permission denied\): give this user write permission there/);
      return;
    }
    // Root (as in CI) writes through any mode: the check runs in a child process as the unprivileged "nobody".
    await chmod(dir, 0o755);
    const child = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const { assertWritableDir } = await import(${JSON.stringify(pathToFileURL(resolve("dist/src/files/write.js")).href)});
         await assertWritableDir(${JSON.stringify(target)}).then(() => console.log("writable"), (e) => console.log(e.errno, e.message));`,
      ],
      { uid: 65534, gid: 65534, encoding: "utf8", cwd: tmpdir() },
    );
    expect(child.stderr).toBe("");
    expect(child.stdout).toMatch(
      /^EACCES cannot write .*permission denied\): give this user write permission there/,
    );
  });
});
