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
import {
  assertWritableDir,
  FileExistsError,
  makeDirectory,
  NotWritableError,
  writeFileAtomic,
  writeFilesAtomic,
} from "./write.js";

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

async function promiseError(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

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

  it("keeps a file that is there with replace: false, saying so, and leaves no temporary file", async () => {
    const target = join(dir, "keep.json");
    await writeFile(target, "the user's");
    const error = await promiseError(writeFileAtomic(target, "new", { replace: false }));
    expect(error).toBeInstanceOf(FileExistsError);
    expect((error as FileExistsError).code).toBe("conflict");
    expect((error as Error).message).toBe(
      `${target} already exists: it was not overwritten; remove it, or choose another path`,
    );
    expect(await readFile(target, "utf8")).toBe("the user's");
    expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    const fresh = join(dir, "fresh", "new.json");
    await writeFileAtomic(fresh, "new", { replace: false });
    expect(await readFile(fresh, "utf8")).toBe("new");
  });

  // Node's mkdir({recursive: true}) retries for ever there: a write under /proc hung instead of failing.
  it.skipIf(!existsSync("/proc/self"))(
    "fails at once under a directory that takes no new entries (/proc), naming the path",
    async () => {
      for (const file of ["/proc/tagsmith-x/report.html", "/proc/tagsmith-x/a/b/report.html"]) {
        const error = await rejected(writeFileAtomic(file, "x"));
        expect(["ENOENT", "EACCES"]).toContain(error.errno);
        expect(error.message).toMatch(new RegExp(`^cannot write ${file} \\((ENOENT|EACCES): `));
      }
    },
    5_000,
  );

  it("leaves no temporary file behind when the write fails", async () => {
    const target = join(dir, "is-a-directory");
    await mkdir(target);
    await rejected(writeFileAtomic(target, "x"));
    expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
  });
});

describe("writeFilesAtomic", () => {
  it("leaves no directory it made behind when a later file cannot be written", async () => {
    const out = join(dir, "new-out");
    const files = [
      { file: join(out, "deeper", "train.json"), content: "[]" },
      // Its temporary's name is over the file system's 255: refused before anything is put in place.
      { file: join(out, "deeper", `${"x".repeat(240)}.json`), content: "[]" },
    ];
    await rejected(writeFilesAtomic(files, { replace: false }));
    expect(existsSync(out)).toBe(false);
  });
});

describe("makeDirectory", () => {
  it("creates the missing directories of a path, and accepts one that is there", async () => {
    const deep = join(dir, "made", "a", "b");
    await makeDirectory(deep);
    await makeDirectory(deep);
    expect(existsSync(deep)).toBe(true);
  });

  it("refuses a file in the way as ENOTDIR, naming the directory asked for", async () => {
    for (const path of [aFile, join(aFile, "x")]) {
      const error = await rejected(makeDirectory(path));
      expect(error.errno).toBe("ENOTDIR");
    }
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

  it.skipIf(!existsSync("/proc/self"))(
    "refuses a directory under /proc, which takes no new entries even from root",
    async () => {
      const error = await rejected(assertWritableDir("/proc/tagsmith-model"));
      expect(["ENOENT", "EACCES"]).toContain(error.errno);
      expect(error.message).toMatch(/^cannot write \/proc\/tagsmith-model \((ENOENT|EACCES): /);
    },
  );

  it("leaves nothing behind in the directory it checks", async () => {
    const checked = await mkdtemp(join(dir, "checked-"));
    await assertWritableDir(join(checked, "model"));
    expect(await readdir(checked)).toEqual([]);
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
