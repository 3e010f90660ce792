import { mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fileIdentity, repeatedFile } from "./same-file.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-same-file-"));
  await writeFile(join(dir, "a.json"), "[]");
  await writeFile(join(dir, "b.json"), "[]");
  await symlink(join(dir, "a.json"), join(dir, "link.json"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("repeatedFile", () => {
  it("finds one file named by two paths: the same, relative and absolute, or a link", async () => {
    const a = join(dir, "a.json");
    expect(await repeatedFile([a, join(dir, "b.json"), a])).toEqual({ first: a, again: a });
    const rel = relative(process.cwd(), a);
    expect(await repeatedFile([rel, a])).toEqual({ first: rel, again: a });
    expect(await repeatedFile([a, join(dir, "link.json")])).toEqual({
      first: a,
      again: join(dir, "link.json"),
    });
  });

  it("finds none among different files, existing or not", async () => {
    expect(
      await repeatedFile([join(dir, "a.json"), join(dir, "b.json"), join(dir, "none.json")]),
    ).toBeUndefined();
  });
});

describe("fileIdentity", () => {
  it("tells a file that does not exist by its resolved path", async () => {
    expect(await fileIdentity(join(dir, "x", "..", "none.json"))).toBe(
      await fileIdentity(join(dir, "none.json")),
    );
  });
});
