// Typed errors with stable codes: mapped once to a CLI exit code (cli/run.ts) and once to an HTTP status
// (serve/errors.ts).

/** Stable codes; callers branch on these, never on message text. */
export type ErrorCode =
  | "file_not_found"
  | "malformed_input"
  | "invalid_input"
  | "invalid_taxonomy"
  | "usage"
  | "offline"
  | "fetch_failed"
  | "checksum_mismatch"
  | "not_found"
  | "conflict"
  | "not_writable"
  | "gate_refused"
  | "not_reproducible";

/** Where in a file a problem is, so the message can say "file:line". */
export interface Location {
  file: string;
  line?: number;
  column?: number;
}

export function formatLocation(loc: Location): string {
  if (loc.line === undefined) return loc.file;
  return loc.column === undefined
    ? `${loc.file}:${loc.line}`
    : `${loc.file}:${loc.line}:${loc.column}`;
}

/**
 * An error caused by input a user can fix: its message says what is wrong, where, and how to fix it.
 * Anything else thrown is a bug in tagsmith and is reported with its stack.
 */
export class TagsmithError extends Error {
  readonly code: ErrorCode;
  readonly location: Location | undefined;
  /** The message without its location: what to say when the problem is reported somewhere else (another line). */
  readonly problem: string;

  constructor(code: ErrorCode, problem: string, location?: Location) {
    super(location ? `${formatLocation(location)}: ${problem}` : problem);
    this.name = "TagsmithError";
    this.code = code;
    this.location = location;
    this.problem = problem;
  }
}
