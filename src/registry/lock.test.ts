// The registry lock: exclusive while held, a clear conflict when another process holds it, a stale lock (its owner
// died) broken, a lock of another host never broken.

import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isAlive, type LockHolder } from "../files/index.js";
import { type LockOptions, withLock } from "./lock.js";

let dir: string;
let file: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "tagsmith-lock-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const fresh = () => join(dir, `lock-${n++}`);
const options = (more: Partial<LockOptions> = {}): LockOptions => ({
  operation: "promote",
  what: "test registry",
  waitFor: () => false,
  timeoutMs: 2_000,
  ...more,
});
const holder = (more: Partial<LockHolder> = {}): string =>
  JSON.stringify({
    pid: process.pid,
    host: hostname(),
    operation: "promote",
    since: "2026-01-01T00:00:00.000Z",
    token: "someone-else",
    ...more,
  });
/** The pid of a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ["-e", ""]).pid as number;

describe("withLock", () => {
  it("names a directory where the lock file should be, rather than crashing", async () => {
    file = fresh();
    await mkdir(file);
    await expect(withLock(file, options(), async () => "ran")).rejects.toThrow(
      `${file}: a directory is where the lock file should be: remove it (no tagsmith puts one there)`,
    );
  });

  it("holds a lock file naming this process while it runs and removes it after", async () => {
    file = fresh();
    const inside = await withLock(file, options(), async () =>
      JSON.parse(await readFile(file, "utf8")),
    );
    expect(inside).toMatchObject({ pid: process.pid, operation: "promote", host: hostname() });
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it("removes the lock when the work fails", async () => {
    file = fresh();
    await expect(
      withLock(file, options(), async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });

  it("fails at once, naming the holder, when a live process holds it", async () => {
    file = fresh();
    await writeFile(file, holder());
    await expect(withLock(file, options(), async () => 1)).rejects.toThrow(
      new RegExp(`another promote is running \\(pid ${process.pid}`),
    );
    expect(await readFile(file, "utf8")).toContain("someone-else");
  });

  it("names only what a lock written by hand says of its holder", async () => {
    file = fresh();
    await writeFile(file, JSON.stringify({ pid: process.pid, host: hostname() }));
    const error = await withLock(file, options(), async () => 1).catch((e: Error) => e);
    expect((error as Error).message).toBe(
      `another process is running (pid ${process.pid}) on test registry: try again when it has finished`,
    );
  });

  it("waits for a holder it may wait for, and gives up after the timeout", async () => {
    file = fresh();
    await writeFile(file, holder({ operation: "register" }));
    setTimeout(() => void rm(file), 150);
    const waited = options({ waitFor: (h) => h.operation === "register" });
    expect(await withLock(file, waited, async () => "ran")).toBe("ran");
    await writeFile(file, holder({ operation: "register" }));
    await expect(withLock(file, { ...waited, timeoutMs: 100 }, async () => 1)).rejects.toThrow(
      /another register is running/,
    );
  });

  it("breaks the lock of a process that died", async () => {
    file = fresh();
    const pid = deadPid();
    expect(isAlive(pid)).toBe(false);
    await writeFile(file, holder({ pid }));
    expect(await withLock(file, options(), async () => "ran")).toBe("ran");
  });

  it("never breaks a lock taken on another host", async () => {
    file = fresh();
    await writeFile(file, holder({ pid: deadPid(), host: "another-host" }));
    await expect(withLock(file, options(), async () => 1)).rejects.toThrow(/on another-host/);
  });

  it("breaks an unreadable lock only once it is old (its writer died before writing)", async () => {
    file = fresh();
    await writeFile(file, "");
    setTimeout(() => void writeFile(file, holder()), 100);
    await expect(withLock(file, options(), async () => 1)).rejects.toThrow(/another promote/);
    await writeFile(file, "");
    const old = new Date(Date.now() - 60_000);
    await utimes(file, old, old);
    expect(await withLock(file, options(), async () => "ran")).toBe("ran");
  });

  it("lets one of many contenders in at a time, also when they start on a stale lock", async () => {
    file = fresh();
    await writeFile(file, holder({ pid: deadPid() }));
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside++;
      most = Math.max(most, inside);
      await sleep(5);
      inside--;
    };
    await Promise.all(
      Array.from({ length: 8 }, () =>
        withLock(file, options({ waitFor: () => true, timeoutMs: 10_000 }), work),
      ),
    );
    expect(most).toBe(1);
  });
});
