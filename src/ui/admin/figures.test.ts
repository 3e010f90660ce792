import { describe, expect, it } from "vitest";
import { formatPercent, formatScore, latencyPair, NONE } from "./figures.js";

describe("figures", () => {
  it("shows rates as percentages, with a decimal only below 10%", () => {
    expect(formatPercent(0.384)).toBe("38%");
    expect(formatPercent(0.0512)).toBe("5.1%");
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(1)).toBe("100%");
  });

  it("shows a value the service could not compute as a dash, never NaN or 0", () => {
    expect(formatPercent(null)).toBe(NONE);
    expect(formatPercent(Number.NaN)).toBe(NONE);
    expect(formatScore(undefined)).toBe(NONE);
    expect(latencyPair({ p50: null, p95: null })).toBe(NONE);
  });

  it("puts the median and p95 latency side by side, rounded to whole milliseconds", () => {
    expect(latencyPair({ p50: 36.6, p95: 140.2 })).toBe("37 / 140 ms");
    expect(latencyPair({ p50: 12, p95: null })).toBe(`12 / ${NONE} ms`);
  });
});
