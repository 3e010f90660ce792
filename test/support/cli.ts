// Runs the built CLI (dist/, built by `npm test` before vitest) as a user would, capturing output and exit code.

import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
const MAIN = resolve(ROOT, "dist/src/cli/main.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function tagsmith(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): CliResult {
  const result = spawnSync(process.execPath, [MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the CLI without waiting for it: for commands run side by side, or killed midway. */
export function startTagsmith(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): ChildProcess {
  return spawn(process.execPath, [MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * Runs the CLI with its stdout (or stderr) closed before it writes (it takes a moment to start), as a reader that
 * stops early closes the pipe (`| head -1`, `2>&1 | head -1`): its exit status and, with stdout closed, its stderr.
 */
export async function tagsmithReaderGone(
  args: string[],
  closed: "stdout" | "stderr" = "stdout",
): Promise<{ status: number | null; stderr: string }> {
  const child = startTagsmith(args);
  child[closed]?.destroy();
  let stderr = "";
  if (closed === "stdout")
    child.stderr?.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
  const [status] = (await once(child, "exit")) as [number | null];
  return { status, stderr };
}

/**
 * Like tagsmith(), without blocking: several can run at once. With `killAfterMs` the command is killed then (status
 * null), so one that hangs fails its test instead of stalling it.
 */
export function tagsmithAsync(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; killAfterMs?: number } = {},
): Promise<CliResult> {
  const child = startTagsmith(args, options);
  const timer =
    options.killAfterMs === undefined
      ? undefined
      : setTimeout(() => child.kill("SIGKILL"), options.killAfterMs);
  let stdout = "";
  let stderr = "";
  child.stdout?.setEncoding("utf8").on("data", (s: string) => {
    stdout += s;
  });
  child.stderr?.setEncoding("utf8").on("data", (s: string) => {
    stderr += s;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}
