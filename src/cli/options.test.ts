// Option values are decimal whole numbers in the range their use allows; anything else is a usage error naming it.

import { availableParallelism } from "node:os";
import { InvalidArgumentError } from "commander";
import { describe, expect, it } from "vitest";
import { integer, MAX_SEED, positiveInteger, seed, workerCount } from "./options.js";

const refused = (parse: (value: string) => number, value: string) => {
  expect(() => parse(value), value).toThrow(InvalidArgumentError);
};

describe("whole-number options", () => {
  it("take decimal digits, with a minus sign for a negative number", () => {
    expect(integer("-3")).toBe(-3);
    expect(integer("42")).toBe(42);
    expect(positiveInteger("007")).toBe(7);
  });

  it("refuse what Number() would take: empty, exponents, hexadecimal, fractions, beyond exact", () => {
    for (const value of [
      "",
      " ",
      " 5",
      "5 ",
      "+5",
      "1e9",
      "0x10",
      "1.5",
      "1.0",
      "99999999999999999999",
      "abc",
      "NaN",
    ])
      refused(integer, value);
    refused(positiveInteger, "0");
    expect(() => positiveInteger("1e9")).toThrow('expected a positive whole number, got "1e9"');
  });
});

describe("seed", () => {
  it("is a whole number from 0 to 2^32 - 1, the range the random generators use", () => {
    expect(seed("0")).toBe(0);
    expect(seed(String(MAX_SEED))).toBe(4_294_967_295);
    for (const value of ["-1", "4294967296", ""]) refused(seed, value);
    expect(() => seed("-1")).toThrow(
      'expected a seed, a whole number from 0 to 4294967295, got "-1"',
    );
  });
});

describe("workerCount", () => {
  it("allows up to the machine's CPUs, and two on any machine", () => {
    const most = Math.max(2, availableParallelism());
    expect(workerCount("2")).toBe(2);
    expect(workerCount(String(most))).toBe(most);
    expect(() => workerCount(String(most + 1))).toThrow(
      `expected at most ${most} (the CPUs of this machine; more only cost memory and time), got "${most + 1}"`,
    );
    refused(workerCount, "0");
  });
});
