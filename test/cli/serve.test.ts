// `tagsmith serve` refusing what it cannot serve with, as a user starts it: one line naming the option, exit 2,
// never a stack trace. (Serving itself is tested in test/serve/.)

import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, tagsmith } from "../support/cli.js";
import { SAMPLE_CONTENT, SAMPLE_TAXONOMY } from "../support/sample.js";

let work: string;
let model: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "tagsmith-serve-cli-"));
  model = join(work, "model");
  const trained = tagsmith([
    "train",
    "--data",
    SAMPLE_CONTENT,
    "--taxonomy",
    SAMPLE_TAXONOMY,
    "--tagger",
    "rules",
    "--out",
    model,
  ]);
  expect(trained.status, trained.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** One line on stderr, exit 2, no stack: the line. */
function oneLine(result: CliResult): string {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stderr).not.toContain("    at ");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  return lines[0] as string;
}

const serve = (...args: string[]) =>
  tagsmith(["serve", "--model", model, "--port", "0", "--log-level", "silent", ...args]);

describe("tagsmith serve --host", () => {
  it("names --host for an address that is not one (ENOTFOUND), rather than a stack trace and exit 70", () => {
    for (const workers of ["1", "2"]) {
      const line = oneLine(serve("--no-store", "--host", "999.1.1.1", "--workers", workers));
      expect(line).toMatch(
        /^tagsmith: --host 999\.1\.1\.1 cannot be listened on \((ENOTFOUND|EAI_AGAIN): /,
      );
      expect(line).toContain("give an address of this machine");
    }
  });

  it("names --host for an address of another machine (EADDRNOTAVAIL)", () => {
    // 192.0.2.1 is TEST-NET-1 (RFC 5737): documentation only, never a local address
    expect(oneLine(serve("--no-store", "--host", "192.0.2.1"))).toBe(
      "tagsmith: --host 192.0.2.1 cannot be listened on (EADDRNOTAVAIL: not an address of this machine): give an address of this machine, such as 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)",
    );
  });
});

describe("tagsmith serve --store", () => {
  it("says a store path that is a file is not the directory a store is, and how to go on", async () => {
    const file = join(work, "store-is-a-file");
    await writeFile(file, "mine");
    const env = { env: { DATABASE_URL: "" } };
    const line = oneLine(
      tagsmith(
        ["serve", "--model", model, "--port", "0", "--log-level", "silent", "--store", file],
        env,
      ),
    );
    expect(line).toBe(
      `tagsmith: cannot keep the content store in ${file}: it is a file, and the store is a directory (its database files and a lock file go in it): give a directory (one that does not exist yet is created), or move the file away`,
    );
    expect(await readFile(file, "utf8")).toBe("mine");
    const under = join(file, "store");
    expect(
      oneLine(
        tagsmith(
          ["serve", "--model", model, "--port", "0", "--log-level", "silent", "--store", under],
          env,
        ),
      ),
    ).toBe(
      `tagsmith: cannot keep the content store in ${under} (ENOTDIR: a part of the path is a file, not a directory): choose another data directory`,
    );
  });
});
