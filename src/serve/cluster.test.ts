import { describe, expect, it } from "vitest";
import { RestartBackoff } from "./cluster.js";

describe("RestartBackoff", () => {
  it("replaces the first death at once, then waits longer for each death within a minute, up to 30 s", () => {
    const backoff = new RestartBackoff();
    const pauses = [0, 1, 2, 3, 4, 5, 6, 7].map((second) => backoff.next(second * 1000));
    expect(pauses).toEqual([0, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  });

  it("forgets deaths older than a minute", () => {
    const backoff = new RestartBackoff();
    backoff.next(0);
    expect(backoff.next(10_000)).toBe(1000);
    expect(backoff.next(65_000)).toBe(1000);
    expect(backoff.next(200_000)).toBe(0);
  });
});
