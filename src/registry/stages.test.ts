// Stage changes as a specification: register adds a candidate once, promote archives the production version it
// replaces, rollback walks back through the promotions.

import { describe, expect, it } from "vitest";
import { EMPTY_STATE, type RegistryState, type VersionRecord } from "./schema.js";
import {
  lastGateOf,
  previousProduction,
  withGateVerdict,
  withPromoted,
  withRegistered,
  withRolledBack,
} from "./stages.js";

const promote = (state: RegistryState, id: string, at: string, forced = false) =>
  withPromoted(state, id, { at, forced, gate: null });

function registry(...ids: string[]): RegistryState {
  return ids.reduce((state, id, i) => withRegistered(state, id, `t${i}`), EMPTY_STATE);
}

describe("withRegistered", () => {
  it("adds a candidate with a register entry, once", () => {
    const state = registry("m-a");
    expect(state.versions["m-a"]).toEqual({
      stage: "candidate",
      registeredAt: "t0",
      history: [{ at: "t0", action: "register", from: null, stage: "candidate", forced: false }],
    });
    expect(withRegistered(state, "m-a", "later")).toBe(state);
    expect(EMPTY_STATE.versions).toEqual({});
  });
});

describe("withPromoted", () => {
  it("makes the version production and archives the one it replaces", () => {
    const first = promote(registry("m-a", "m-b"), "m-a", "t1");
    expect(first.production).toBe("m-a");
    const second = promote(first, "m-b", "t2", true);
    expect(second.production).toBe("m-b");
    expect(second.promotions).toEqual(["m-a", "m-b"]);
    expect(second.versions["m-a"]?.stage).toBe("archived");
    expect(second.versions["m-a"]?.history.at(-1)).toMatchObject({
      action: "promote",
      from: "production",
      stage: "archived",
      other: "m-b",
    });
    expect(second.versions["m-b"]?.history.at(-1)).toMatchObject({
      from: "candidate",
      stage: "production",
      forced: true,
      other: "m-a",
    });
    // the input is left as it was
    expect(first.versions["m-a"]?.stage).toBe("production");
  });
});

describe("withRolledBack", () => {
  it("puts the previous production back and archives the current one, step by step", () => {
    let state = registry("m-a", "m-b", "m-c");
    state = promote(promote(promote(state, "m-a", "t1"), "m-b", "t2"), "m-c", "t3");
    expect(previousProduction(state)).toBe("m-b");
    const once = withRolledBack(state, "t4", "test");
    expect([once.from, once.to]).toEqual(["m-c", "m-b"]);
    expect(once.state.production).toBe("m-b");
    expect(once.state.versions["m-c"]?.stage).toBe("archived");
    expect(once.state.versions["m-b"]?.history.at(-1)).toMatchObject({
      action: "rollback",
      from: "archived",
      stage: "production",
    });
    const twice = withRolledBack(once.state, "t5", "test");
    expect(twice.to).toBe("m-a");
    expect(() => withRolledBack(twice.state, "t6", "test")).toThrow(
      "no earlier production version in test to roll back to: nothing was in production before m-a; m-b, m-c, promoted after it, were rolled back from and archived: to serve one again, promote it (tagsmith models promote ID)",
    );
  });

  it("after a promote and a rollback, says the version promoted after it was rolled back from, not that there was none", () => {
    const promoted = promote(promote(registry("m-a", "m-b"), "m-a", "t1"), "m-b", "t2");
    const back = withRolledBack(promoted, "t3", "reg").state;
    expect(() => withRolledBack(back, "t4", "reg")).toThrow(
      "no earlier production version in reg to roll back to: nothing was in production before m-a; m-b, promoted after it, was rolled back from and archived: to serve it again, promote it (tagsmith models promote m-b)",
    );
    // Only one version ever promoted: nothing more to say.
    expect(() => withRolledBack(promote(registry("m-a"), "m-a", "t1"), "t2", "reg")).toThrow(
      /^no earlier production version in reg to roll back to: nothing was in production before m-a$/,
    );
  });

  it("says so when registry.json names a version before production that is not registered", () => {
    const promoted = promote(registry("m-a"), "m-a", "t1");
    const edited = { ...promoted, promotions: ["m-0000000000ff", "m-a"] };
    expect(() => withRolledBack(edited, "t2", "reg")).toThrow(
      /names m-0000000000ff before m-a, which is not a registered version/,
    );
  });

  it("refuses with nothing in production", () => {
    expect(() => withRolledBack(registry("m-a"), "t", "reg")).toThrow(
      /no version is in production/,
    );
  });
});

describe("lastGateOf", () => {
  const scores = (f1: number) => ({
    suggested_f1: f1,
    recall_at_5: 0.5,
    precision: 0.5,
    recall: 0.5,
    ndcg_at_5: 0.5,
    n_docs: 10,
  });
  /** m-b against production m-a: worse on suggested F1. */
  const gate = {
    gold: { file: "gold.json", fingerprint: "sha256:x", items: 10 },
    candidate: scores(0.5),
    production: { id: "m-a", scores: scores(0.6) },
    worse: ["suggested F1"],
  };

  it("reads a registry written before verdicts were recorded from the last promotion through the gate", () => {
    const state = withPromoted(promote(registry("m-a", "m-b"), "m-a", "t1"), "m-b", {
      at: "t2",
      forced: true,
      gate,
    });
    const record = state.versions["m-b"];
    expect(record?.lastGate).toBeUndefined();
    expect(lastGateOf(record as NonNullable<typeof record>)).toEqual({
      at: "t2",
      outcome: "forced",
      worse: ["suggested F1"],
      production: "m-a",
    });
    expect(lastGateOf(state.versions["m-a"] as NonNullable<typeof record>)).toBeNull();
  });

  it("forgets a verdict when a later promotion did not go through the gate", () => {
    const refused = withGateVerdict(registry("m-a", "m-b"), "m-b", "t1", gate, false);
    expect(lastGateOf(refused.versions["m-b"] as VersionRecord)).toMatchObject({
      outcome: "refused",
    });
    const ungated = withGateVerdict(promote(refused, "m-b", "t2", true), "m-b", "t2", null, true);
    expect(lastGateOf(ungated.versions["m-b"] as VersionRecord)).toBeNull();
  });
});
