// A model version's last registry change and the promotion gate's verdict, in words for the models table.

import type { ModelVersion } from "./admin-types.js";
import { NONE } from "./figures.js";

type LastChange = ModelVersion["last_change"];

/** "passed", "worse on recall_at_5", or "not run" (a registration, or a forced change). */
export function gateVerdict(change: LastChange): {
  text: string;
  kind: "passed" | "worse" | "none";
} {
  if (!change?.gate_worse) return { text: change ? "not run" : NONE, kind: "none" };
  if (change.gate_worse.length === 0) return { text: "passed", kind: "passed" };
  return { text: `worse on ${change.gate_worse.join(", ")}`, kind: "worse" };
}

/** "promote, forced" — the action as the registry's history names it. */
export function changeAction(change: LastChange): string {
  if (!change) return NONE;
  return change.forced ? `${change.action}, forced` : change.action;
}
