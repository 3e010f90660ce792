// A model version's last registry change and the promotion gate's last verdict, in words for the models table.

import { gateObjections, objectedOutcome } from "../../registry/gate-words.js";
import type { ModelVersion } from "./admin-types.js";
import { NONE } from "./figures.js";

type LastChange = ModelVersion["last_change"];

/**
 * "passed", "worse on recall@5: refused", "trained on 260 of the 260 gold items: promoted with --force", or "not
 * run".
 */
export function gateVerdict(gate: ModelVersion["last_gate"]): {
  text: string;
  kind: "passed" | "worse" | "none";
} {
  if (!gate) return { text: "not run", kind: "none" };
  const objections = gateObjections(gate.worse, gate.seen, ", ");
  if (objections.length === 0) return { text: "passed", kind: "passed" };
  return { text: `${objections.join("; ")}: ${objectedOutcome(gate.outcome)}`, kind: "worse" };
}

/**
 * "promote, forced" — the action as the registry's history names it; a version archived by another's promotion was
 * "replaced" (a forced promote of the other is not this one forced).
 */
export function changeAction(change: LastChange): string {
  if (!change) return NONE;
  if (change.action === "promote" && change.stage === "archived")
    return change.forced ? "replaced (by a forced promote)" : "replaced";
  return change.forced ? `${change.action}, forced` : change.action;
}
