// The content store's errors: a stable code the HTTP layer maps to a status (serve/errors.ts), and the details a
// client needs to fix its request.

/** How to go on from a --store directory that holds no store (embedded.ts, content-store.ts). */
export const NO_STORE_HINT =
  "give the directory `tagsmith serve --store` keeps it in, or set DATABASE_URL";

export type StoreErrorCode =
  | "not_found"
  | "version_conflict"
  | "unavailable"
  /**
   * The connection was lost while the transaction was being committed: it may have been written or not, and nothing
   * here can tell which (unlike "unavailable", which fails before COMMIT and so writes nothing).
   */
  | "outcome_unknown"
  /** Transactions at the same time kept conflicting (a deadlock, a serialization failure), retries included. */
  | "busy"
  /** The database lost tagsmith's tables under an open store: not an outage that passes, a restart re-creates them. */
  | "tables_gone"
  /** A review item someone already decided: a second decision is refused (its reviewer may undo the first, briefly). */
  | "already_decided"
  /** An undo that cannot be: the item is pending, decided by another or again since, too long ago, or asked again. */
  | "undo_refused"
  /** A taxonomy candidate that already has a proposal. */
  | "already_proposed"
  /** A creation key that already made content with other values. */
  | "create_key_reused";

export class StoreError extends Error {
  readonly code: StoreErrorCode;
  readonly details: Record<string, unknown>;

  constructor(
    code: StoreErrorCode,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "StoreError";
    this.code = code;
    this.details = details;
  }
}

/** Network errors: the server is down, restarting or unreachable. */
const UNREACHABLE_ERRNOS = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ECONNABORTED",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

/** SQLSTATE 42P01: a query named a table that does not exist (see tablesGoneError). */
export const UNDEFINED_TABLE = "42P01";

/**
 * The database lost tagsmith's tables after the store opened it (emptied or recreated under a running service): not
 * "unavailable", since waiting does not repair it; a restart does, as migrations run when a store opens. Only for an
 * UNDEFINED_TABLE error when the migrations table is gone too; otherwise a missing table is a bug, or a hand-made
 * partial drop, and stays an error.
 */
export function tablesGoneError(where: string, cause: Error): StoreError {
  return new StoreError(
    "tables_gone",
    `the content database at ${where} has lost tagsmith's tables (${describe(cause)}): it was emptied or recreated after tagsmith opened it; restart the service, or run the command again, to create them`,
    { where },
    { cause },
  );
}

/**
 * SQLSTATEs of a transaction PostgreSQL ended because of others running at the same time: 40001 serialization
 * failure, 40P01 deadlock detected. Nothing of it was written, and running it again can succeed.
 */
const CONFLICT_STATES = new Set(["40001", "40P01"]);

/** Whether `error` is a transaction ended for conflicting with others (CONFLICT_STATES): worth running again. */
export function isConflict(error: unknown): boolean {
  return CONFLICT_STATES.has((error as { code?: unknown } | null)?.code as string);
}

/** StoreError "busy": a transaction ended for conflicting with others `attempts` times, the last with `cause`. */
export function busyError(where: string, attempts: number, cause: Error): StoreError {
  return new StoreError(
    "busy",
    `the content database at ${where} ended the transaction ${attempts} times for conflicting with others running at the same time (last: ${describe(cause)}): nothing was written; try again`,
    { where },
    { cause },
  );
}

/**
 * SQLSTATEs that mean "no usable connection": 08 connection exceptions, 57P01-57P03 (admin shutdown, crash
 * shutdown, cannot connect now: a server stopping or starting), 53300 (too many connections), and the ones a fixed
 * configuration fixes: 28 (bad login) and 3D000 (no such database).
 */
function isUnavailableState(code: string): boolean {
  return (
    code.startsWith("08") ||
    code === "57P01" ||
    code === "57P02" ||
    code === "57P03" ||
    code === "53300" ||
    code.startsWith("28") ||
    code === "3D000"
  );
}

/** What node-postgres says, without a code, when a socket or the pool fails. */
const UNREACHABLE_MESSAGES = [
  "Connection terminated",
  "connection timeout",
  "timeout exceeded when trying to connect",
  "Client has encountered a connection error",
  "Cannot use a pool after calling end",
  "Client was closed",
];

/** Whether `error` says the database cannot be reached (as opposed to a query it refused). */
export function isUnreachable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof StoreError) return error.code === "unavailable";
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (UNREACHABLE_ERRNOS.has(code) || isUnavailableState(code)))
    return true;
  if (error instanceof AggregateError) return error.errors.some(isUnreachable);
  return UNREACHABLE_MESSAGES.some((m) => error.message.includes(m));
}

/**
 * `error` as StoreError "unavailable" when the database at `where` (host, port and database, never the password)
 * cannot be reached; anything else is returned unchanged.
 */
export function asUnavailable(error: unknown, where: string): unknown {
  if (!isUnreachable(error) || error instanceof StoreError) return error;
  const reason = describe(error as Error);
  return new StoreError(
    "unavailable",
    `the content database at ${where} is unreachable: ${reason}: check that the PostgreSQL server is running and that the database URL is right`,
    { where },
    { cause: error },
  );
}

/**
 * StoreError "outcome_unknown": the database at `where` became unreachable (`cause`) while a transaction was being
 * committed. PostgreSQL commits all of it or none, but whether it did is for a reader to find out, not this store.
 */
export function outcomeUnknownError(where: string, cause: Error): StoreError {
  return new StoreError(
    "outcome_unknown",
    `the connection to the content database at ${where} was lost while a change was being committed (${describe(cause)}): it may or may not have been written; read it back before making it again`,
    { where },
    { cause },
  );
}

function describe(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (error instanceof AggregateError && error.message === "")
    return error.errors.map((e) => describe(e as Error)).join("; ");
  return typeof code === "string" && !error.message.includes(code)
    ? `${error.message} (${code})`
    : error.message;
}
