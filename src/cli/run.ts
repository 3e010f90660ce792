// How a command ends: user mistakes are one clear line and exit 2; anything else is a bug and keeps its stack.

import cluster from "node:cluster";
import { type ErrorCode, TagsmithError } from "../errors.js";
import { StoreError } from "../store/index.js";
import { visibleLines } from "./terminal-text.js";

/** Exit codes: 0 fine, 1 the command ran and found errors (e.g. validation), 2 bad input or usage. */
export const EXIT = { ok: 0, findings: 1, badInput: 2, bug: 70 } as const;

/** Errors that are a finding of a command that ran (exit 1); every other TagsmithError is bad input (exit 2). */
const FINDING_CODES: ReadonlySet<ErrorCode> = new Set(["gate_refused", "not_reproducible"]);

export function reportFailure(error: unknown): number {
  if (error instanceof TagsmithError) {
    process.stderr.write(`tagsmith: ${visibleLines(error.message)}\n`);
    return FINDING_CODES.has(error.code) ? EXIT.findings : EXIT.badInput;
  }
  // The content database down or unreachable is the user's to fix, like a wrong path: one line, not a stack.
  if (error instanceof StoreError) {
    process.stderr.write(`tagsmith: ${visibleLines(error.message)}\n`);
    return EXIT.badInput;
  }
  process.stderr.write(
    `tagsmith: unexpected error (a bug, please report it):\n${(error as Error)?.stack ?? String(error)}\n`,
  );
  return EXIT.bug;
}

/** Wraps a command action so its errors become exit codes instead of stack traces. */
export function action<A extends unknown[]>(run: (...args: A) => Promise<number | undefined>) {
  return async (...args: A): Promise<void> => {
    try {
      process.exitCode = (await run(...args)) ?? EXIT.ok;
    } catch (error) {
      process.exitCode = reportFailure(error);
      // A cluster worker's channel to its primary would keep it alive, failed and idle, for ever: it exits, and
      // the primary sees the death (and backs off before starting another).
      if (cluster.isWorker) process.exit();
    }
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
