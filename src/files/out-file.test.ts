// What --out may replace: nothing of a directory the command reads, any other file only with force.

import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkOutFiles } from "./out-file.js";
import { NotWritableError } from "./write.js";

let dir: string;
let store: string;
const reads = () => [{ dir: store, name: `the store in ${store}` }];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-out-file-"));
  store = join(dir, "store");
  await mkdir(join(store, "data"), { recursive: true });
  await writeFile(join(store, "data", "table"), "the store's");
  await writeFile(join(dir, "store-like.json"), "beside the store, not in it");
  await writeFile(join(dir, "gold.json"), "[]");
  await symlink(store, join(dir, "store-link"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("checkOutFiles", () => {
  it("refuses a file that is there unless force, naming every such file", async () => {
    const gold = join(dir, "gold.json");
    const other = join(dir, "store-like.json");
    await expect(checkOutFiles([gold], { force: false, reads: [] })).rejects.toMatchObject({
      code: "conflict",
      message: `${gold} already exists: it was kept; --force replaces it, or choose another --out`,
    });
    await expect(
      checkOutFiles([gold, other], { force: false, reads: reads() }),
    ).rejects.toMatchObject({
      code: "conflict",
      message: `${gold} and ${other} already exist: they were kept; --force replaces them, or choose another --out`,
    });
    await checkOutFiles([gold, other], { force: true, reads: reads() });
  });

  it("refuses a file of a directory the command reads even with force, by any path to it", async () => {
    for (const file of [
      join(store, "data", "table"),
      join(dir, "store-link", "data", "table"),
      join(store, "data", "..", "data", "table"),
    ]) {
      await expect(checkOutFiles([file], { force: true, reads: reads() })).rejects.toMatchObject({
        code: "conflict",
        message: `${file} is a file of the store in ${store}, which this command reads: it is never replaced, not even with --force; choose another --out`,
      });
    }
  });

  it("refuses a new file in a directory the command reads, by any path to it", async () => {
    for (const file of [
      join(store, "data", "new.json"),
      join(dir, "store-link", "new.json"),
      join(store, "reports", "2026", "new.json"),
    ]) {
      await expect(checkOutFiles([file], { force: true, reads: reads() })).rejects.toMatchObject({
        code: "conflict",
        message: `${file} would be a new file in the store in ${store}, which this command reads: nothing is added there; choose another --out`,
      });
    }
    // Beside it, a file that is not there is written without --force.
    await checkOutFiles([join(dir, "new.json")], { force: false, reads: reads() });
  });

  it("says a directory in the way as the write would, force or not", async () => {
    const check = checkOutFiles([store], { force: true, reads: reads() });
    await expect(check).rejects.toBeInstanceOf(NotWritableError);
    await expect(check).rejects.toThrow(
      `cannot write ${store} (EISDIR: it is a directory): choose another path`,
    );
  });
});
