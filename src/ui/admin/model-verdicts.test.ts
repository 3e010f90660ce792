import { describe, expect, it } from "vitest";
import { changeAction, gateVerdict } from "./model-verdicts.js";

const change = (gate_worse: string[] | null, forced = false, stage = "production") => ({
  at: "2026-05-01T10:00:00Z",
  action: "promote",
  stage,
  forced,
  gate_worse,
});

describe("gateVerdict", () => {
  const gate = (outcome: "promoted" | "forced" | "refused", worse: string[]) => ({
    at: "2026-05-01T10:00:00Z",
    outcome,
    worse,
    production: "m-0123456789ab",
  });

  it("passes when no metric got worse, names the ones that did and what became of the promotion", () => {
    expect(gateVerdict(gate("promoted", []))).toEqual({ text: "passed", kind: "passed" });
    expect(gateVerdict(gate("refused", ["recall@5", "NDCG@5"]))).toEqual({
      text: "worse on recall@5, NDCG@5: refused",
      kind: "worse",
    });
    expect(gateVerdict(gate("forced", ["recall@5"])).text).toBe(
      "worse on recall@5: promoted with --force",
    );
    expect(gateVerdict(null)).toEqual({ text: "not run", kind: "none" });
  });

  it("says a candidate trained on the gold data was refused for it, or forced past it", () => {
    const seen = { candidate: 260, production: 0, items: 260 };
    expect(gateVerdict({ ...gate("refused", []), seen })).toEqual({
      text: "trained on 260 of the 260 gold items (production on 0): refused",
      kind: "worse",
    });
    expect(gateVerdict({ ...gate("refused", []), seen: { ...seen, candidate: null } }).text).toBe(
      "training data unreadable, so whether it saw the gold items is unknown: refused",
    );
    expect(gateVerdict({ ...gate("forced", ["recall@5"]), seen }).text).toBe(
      "worse on recall@5; trained on 260 of the 260 gold items (production on 0): promoted with --force",
    );
  });
});

describe("changeAction", () => {
  it("marks a forced change", () => {
    expect(changeAction(change(null, true))).toBe("promote, forced");
    expect(changeAction(change([]))).toBe("promote");
  });

  it("says a version archived by another's promotion was replaced, not itself promoted", () => {
    expect(changeAction(change([], false, "archived"))).toBe("replaced");
    expect(changeAction(change(null, true, "archived"))).toBe("replaced (by a forced promote)");
  });
});
