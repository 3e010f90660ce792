// The review policy as a setting: what parses, what is refused, and which content a sample takes.

import { describe, expect, it } from "vitest";
import { TagsmithError } from "../errors.js";
import {
  contentPosition,
  formatReviewPolicy,
  isSampled,
  parseReviewPolicy,
  sampledShare,
} from "./review-policy.js";

describe("parseReviewPolicy", () => {
  it("reads conflicts, all and sample:R, in any case and with spaces around", () => {
    expect(parseReviewPolicy("conflicts")).toEqual({ kind: "conflicts" });
    expect(parseReviewPolicy(" ALL ")).toEqual({ kind: "all" });
    expect(parseReviewPolicy("sample:0.2")).toEqual({ kind: "sample", rate: 0.2 });
    expect(parseReviewPolicy("sample:1")).toEqual({ kind: "all" });
    expect(formatReviewPolicy(parseReviewPolicy("sample:0.25"))).toBe("sample:0.25");
  });

  it("refuses anything else, saying what is accepted", () => {
    for (const bad of [
      "",
      "some",
      "sample",
      "sample:",
      "sample:0",
      "sample:1.5",
      "sample:-0.1",
      "sample:x",
      "sample:NaN",
    ]) {
      const error = (() => {
        try {
          parseReviewPolicy(bad);
        } catch (e) {
          return e;
        }
      })();
      expect(error, bad).toBeInstanceOf(TagsmithError);
      expect((error as TagsmithError).code).toBe("usage");
      expect((error as Error).message).toContain('"conflicts", "all" or "sample:R"');
    }
  });
});

describe("sampling", () => {
  it("takes nothing under conflicts, everything under all", () => {
    expect(sampledShare({ kind: "conflicts" })).toBe(0);
    for (const id of [1, 2, 3, 1000]) {
      expect(isSampled(id, { kind: "conflicts" })).toBe(false);
      expect(isSampled(id, { kind: "all" })).toBe(true);
    }
  });

  it("takes about R of content ids, the same ones every time, and more of them as R grows", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => i + 1);
    const share = (rate: number) =>
      ids.filter((id) => isSampled(id, { kind: "sample", rate })).length / ids.length;
    expect(share(0.2)).toBeGreaterThan(0.18);
    expect(share(0.2)).toBeLessThan(0.22);
    expect(share(0.5)).toBeGreaterThan(0.48);
    expect(share(0.5)).toBeLessThan(0.52);
    for (const id of ids.slice(0, 500)) {
      expect(contentPosition(id)).toBe(contentPosition(id));
      if (isSampled(id, { kind: "sample", rate: 0.2 }))
        expect(isSampled(id, { kind: "sample", rate: 0.5 })).toBe(true);
    }
  });
});
