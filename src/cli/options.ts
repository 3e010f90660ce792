// Parsers for command-line option values, so a bad value is a clear usage error naming the option; and how an option
// a command cannot use is said.

import { availableParallelism } from "node:os";
import { type Command, InvalidArgumentError, Option } from "commander";
import type { ScoringPlan } from "../eval/index.js";

// Decimal digits only, a minus sign for a negative number: Number() would take "" as 0, "1e9" and "0x10" as numbers,
// " 5" and "+5" as 5, and round 99999999999999999999.
const WHOLE_NUMBER = /^-?\d+$/;

function wholeNumber(value: string, expected: string): number {
  const n = Number(value);
  if (!WHOLE_NUMBER.test(value) || !Number.isSafeInteger(n))
    throw new InvalidArgumentError(`expected ${expected}, got "${value}"`);
  return n;
}

export function positiveInteger(value: string): number {
  const n = wholeNumber(value, "a positive whole number");
  if (n <= 0) throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}

export function integer(value: string): number {
  return wholeNumber(value, "a whole number");
}

/** Seeds are taken modulo 2^32 by the random generators: a larger one would give the model of a smaller one. */
export const MAX_SEED = 2 ** 32 - 1;

export function seed(value: string): number {
  const expected = `a seed, a whole number from 0 to ${MAX_SEED}`;
  const n = wholeNumber(value, expected);
  if (n < 0 || n > MAX_SEED) throw new InvalidArgumentError(`expected ${expected}, got "${value}"`);
  return n;
}

/**
 * Threads or processes: more than the machine's CPUs only cost memory and time (40 training threads on 2 CPUs took 4x
 * as long and 4x the memory), so they are refused. Two are always allowed, as tests and the README use them.
 */
export function workerCount(value: string): number {
  const n = positiveInteger(value);
  const most = Math.max(2, availableParallelism());
  if (n > most)
    throw new InvalidArgumentError(
      `expected at most ${most} (the CPUs of this machine; more only cost memory and time), got "${value}"`,
    );
  return n;
}

export function fraction(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 1))
    throw new InvalidArgumentError(`expected a number in (0, 1], got "${value}"`);
  return n;
}

export function list(value: string): string[] {
  return value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

export function ratios(value: string): number[] {
  const parts = list(value).map(Number);
  if (parts.length < 2 || parts.some((n) => !(n > 0))) {
    throw new InvalidArgumentError(
      `expected positive numbers separated by commas, e.g. 0.7,0.15,0.15, got "${value}"`,
    );
  }
  return parts;
}

/** A repeatable option's values in order: `--gold a --gold b` gives ["a", "b"]. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** --overlay, repeatable: files applied to the --taxonomy in the order given (loadTaxonomy), as the manifest records. */
export function overlayOption(
  description = "adds categories, aliases or descriptions to the taxonomy's tags; repeat to apply several, in order",
): Option {
  return new Option("--overlay <file>", description).argParser(collect);
}

/**
 * A --limit the user gave that the scoring plan does not use (single-label data or models are scored at one
 * suggestion per item: scoringPlan) is said to be unused rather than silently dropped, on stderr so that --json
 * stays one object.
 */
export function noteUnusedLimit(
  command: Command,
  requested: number,
  plan: ScoringPlan,
  singleLabel: "data" | "models",
): void {
  if (plan.limit !== requested && command.getOptionValueSource("limit") === "cli")
    process.stderr.write(
      `tagsmith: note: --limit ${requested} is not used: single-label ${singleLabel === "data" ? "data is" : "models are"} scored at ${plan.limit} suggestion per item (recall@3 and @5 show the ranking)\n`,
    );
}
