import { describe, expect, it } from "vitest";
import { NONE } from "./figures.js";
import { changeAction, gateVerdict } from "./model-verdicts.js";

const change = (gate_worse: string[] | null, forced = false) => ({
  at: "2026-05-01T10:00:00Z",
  action: "promote",
  forced,
  gate_worse,
});

describe("gateVerdict", () => {
  it("passes when no metric got worse, names the ones that did, and says when the gate did not run", () => {
    expect(gateVerdict(change([]))).toEqual({ text: "passed", kind: "passed" });
    expect(gateVerdict(change(["recall_at_5", "ndcg_at_5"]))).toEqual({
      text: "worse on recall_at_5, ndcg_at_5",
      kind: "worse",
    });
    expect(gateVerdict(change(null)).text).toBe("not run");
    expect(gateVerdict(null).text).toBe(NONE);
  });

  it("marks a forced change", () => {
    expect(changeAction(change(null, true))).toBe("promote, forced");
    expect(changeAction(change([]))).toBe("promote");
  });
});
