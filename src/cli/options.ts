// Parsers for command-line option values, so a bad value is a clear usage error naming the option.

import { InvalidArgumentError } from "commander";

export function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive whole number, got "${value}"`);
  return n;
}

export function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n))
    throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
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
