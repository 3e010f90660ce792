// `tagsmith data fetch` run as a user would, against local servers: this machine has no network beyond loopback.

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliResult, ROOT, tagsmith } from "../support/cli.js";

function listen(server: Server): Promise<string> {
  return new Promise((done) =>
    server.listen(0, "127.0.0.1", () =>
      done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((done) => server.close(() => done()));
}

/**
 * Like tagsmith() but asynchronous: a server in this process must keep answering while the CLI runs, which
 * spawnSync would block.
 */
function tagsmithAsync(args: string[]): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [resolve(ROOT, "dist/src/cli/main.js"), ...args], {
      cwd: ROOT,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (text: string) => {
      stdout += text;
    });
    child.stderr.setEncoding("utf8").on("data", (text: string) => {
      stderr += text;
    });
    child.on("error", fail);
    child.on("close", (status) => done({ status, stdout, stderr }));
  });
}

describe("tagsmith data fetch", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "tagsmith-cli-fetch-"));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it("says in one line that it is offline when the server is down, exit 2", async () => {
    const down = createServer();
    const baseUrl = await listen(down);
    await close(down);
    const result = tagsmith(["data", "fetch", "mwml", "--out", dir, "--base-url", baseUrl]);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^tagsmith: cannot reach 127\.0\.0\.1:\d+ \(offline\?\)/);
    expect(result.stderr).toContain(`copy the files into ${dir} by hand`);
    expect(result.stderr).not.toMatch(/\bat .*\.js:\d+/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("refuses files whose sha256 differs from the pin, writing neither, exit 2", async () => {
    const wrong = createServer((_req, res) => res.end("[]"));
    const baseUrl = await listen(wrong);
    try {
      const result = await tagsmithAsync([
        "data",
        "fetch",
        "mwml",
        "--out",
        dir,
        "--base-url",
        baseUrl,
      ]);
      expect(result.status).toBe(2);
      expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(
        /^tagsmith: projects\.json .* has sha256 [0-9a-f]{64}, expected 6e2db7ba/,
      );
      expect(result.stderr).toContain("not written");
      expect(existsSync(join(dir, "projects.json"))).toBe(false);
      expect(await readdir(dir)).toEqual([]);
    } finally {
      await close(wrong);
    }
  });

  it("names the known datasets when given an unknown one, exit 2", () => {
    const result = tagsmith(["data", "fetch", "foo", "--out", dir]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('tagsmith: unknown dataset "foo": known datasets are mwml\n');
  });

  it("rejects a timeout that is not a positive whole number as a usage error", () => {
    const result = tagsmith(["data", "fetch", "mwml", "--out", dir, "--timeout-ms", "soon"]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("--timeout-ms");
  });
});
