// Stage changes as pure functions of the registry state: register (candidate), promote (production, the old one
// archived) and rollback (the previous production back, the current one archived). The registry writes the result.

import { TagsmithError } from "../errors.js";
import { candidateSawGold } from "./gate.js";
import type { GateRecord, LastGate, RegistryState, StageChange, VersionRecord } from "./schema.js";

/**
 * A registered version's record. Ids come from users ("models show toString"): an own property only, never one of
 * Object.prototype's, which `state.versions[id]` would find.
 */
export function versionRecord(state: RegistryState, id: string): VersionRecord | undefined {
  return Object.hasOwn(state.versions, id) ? state.versions[id] : undefined;
}

function copy(state: RegistryState): RegistryState {
  return structuredClone(state);
}

/** Adds a version as a candidate; a version already registered keeps its stage (registering is idempotent). */
export function withRegistered(state: RegistryState, id: string, at: string): RegistryState {
  if (versionRecord(state, id)) return state;
  const next = copy(state);
  next.versions[id] = {
    stage: "candidate",
    registeredAt: at,
    history: [{ at, action: "register", from: null, stage: "candidate", forced: false }],
  };
  return next;
}

function change(state: RegistryState, id: string, entry: Omit<StageChange, "from">): void {
  const record = versionRecord(state, id);
  if (!record) return;
  record.history.push({ ...entry, from: record.stage });
  record.stage = entry.stage;
}

/** `id` becomes production and the production version before it archived. */
export function withPromoted(
  state: RegistryState,
  id: string,
  how: { at: string; forced: boolean; gate: GateRecord | null; gateSkipped?: string | undefined },
): RegistryState {
  if (!versionRecord(state, id)) throw new Error(`promoting ${id}, which is not registered`);
  const next = copy(state);
  const previous = next.production;
  const { at, forced, gate, gateSkipped } = how;
  if (previous && previous !== id)
    change(next, previous, { at, action: "promote", stage: "archived", forced, other: id });
  change(next, id, {
    at,
    action: "promote",
    stage: "production",
    forced,
    gate,
    other: previous,
    ...(gateSkipped ? { gateSkipped } : {}),
  });
  next.production = id;
  next.promotions.push(id);
  return next;
}

/**
 * The gate's verdict on `id` recorded as its last, whatever became of the promotion; null (a promotion the gate did
 * not compare: no gold data, or a production model that could not be loaded) clears an older one.
 */
export function withGateVerdict(
  state: RegistryState,
  id: string,
  at: string,
  gate: GateRecord | null,
  forced: boolean,
): RegistryState {
  const record = versionRecord(state, id);
  if (!record) return state;
  const next = copy(state);
  if (gate === null) {
    delete (next.versions[id] as typeof record).lastGate;
    return next;
  }
  (next.versions[id] as typeof record).lastGate = verdict(at, gate, forced);
  return next;
}

/**
 * A gate record as a verdict: promoted when nothing was worse and the candidate was not trained on the gold data,
 * else forced or refused as --force was given.
 */
function verdict(at: string, gate: GateRecord, forced: boolean): LastGate {
  const seen = candidateSawGold(gate);
  return {
    at,
    outcome: gate.worse.length === 0 && !seen ? "promoted" : forced ? "forced" : "refused",
    worse: gate.worse,
    production: gate.production?.id ?? null,
    ...(seen ? { seen } : {}),
  };
}

/**
 * A version's last gate verdict: as recorded, or, in registries written before verdicts were recorded, read from its
 * last promotion through the gate (a refusal then left no trace).
 */
export function lastGateOf(record: VersionRecord): LastGate | null {
  if (record.lastGate) return record.lastGate;
  const promotion = record.history.findLast(
    (change) => change.action === "promote" && change.stage === "production",
  );
  if (!promotion?.gate || promotion.gateSkipped) return null;
  // A promotion went through a gate that found something worse only when forced.
  return verdict(promotion.at, promotion.gate, true);
}

/** The version a rollback returns to: the one promoted before the current production. */
export function previousProduction(state: RegistryState): string | null {
  const current = state.production;
  // The current production is the last promotion; the one before it is where a rollback goes.
  const previous = state.promotions.at(-2);
  return previous && previous !== current && versionRecord(state, previous) ? previous : null;
}

/**
 * The versions a rollback would move, production (`from`) and the one before it (`to`), or what makes a rollback
 * impossible: nothing in production, or nothing earlier to go back to.
 */
export function rollbackTarget(state: RegistryState, where: string): { from: string; to: string } {
  const from = state.production;
  if (!from)
    throw new TagsmithError(
      "not_found",
      `no version is in production in ${where}: nothing to roll back (promote one with tagsmith models promote ID)`,
    );
  const to = previousProduction(state);
  if (!to)
    throw new TagsmithError(
      "not_found",
      `no earlier production version in ${where} to roll back to: ${noEarlierVersion(state, from)}`,
    );
  return { from, to };
}

/**
 * Why production `from` has nothing before it to roll back to, truly: rollbacks walk back through the promotions,
 * taking each version they leave off the list, so only the first version ever promoted is left, and the versions
 * promoted after it were rolled back from (promoting one again is the way back to it). Or registry.json, edited by
 * hand, names a version before it that is not registered.
 */
function noEarlierVersion(state: RegistryState, from: string): string {
  const before = state.promotions.at(-2);
  if (before !== undefined)
    return `its promotion history names ${before} before ${from}, which is not a registered version (registry.json edited by hand?)`;
  // The versions a rollback left, most recently first.
  const rolledBack = Object.entries(state.versions)
    .flatMap(([id, record]) => {
      const left = record.history.findLast(
        (c) => c.action === "rollback" && c.from === "production",
      );
      return id !== from && left ? [{ id, at: left.at }] : [];
    })
    .sort((a, b) => b.at.localeCompare(a.at))
    .map((v) => v.id);
  const nothing = `nothing was in production before ${from}`;
  const [only, ...more] = rolledBack;
  if (only === undefined) return nothing;
  if (more.length === 0)
    return `${nothing}; ${only}, promoted after it, was rolled back from and archived: to serve it again, promote it (tagsmith models promote ${only})`;
  return `${nothing}; ${rolledBack.join(", ")}, promoted after it, were rolled back from and archived: to serve one again, promote it (tagsmith models promote ID)`;
}

/** The previous production version back in production, the current one archived. */
export function withRolledBack(
  state: RegistryState,
  at: string,
  where: string,
): { state: RegistryState; from: string; to: string } {
  const { from, to } = rollbackTarget(state, where);
  const next = copy(state);
  change(next, from, { at, action: "rollback", stage: "archived", forced: false, other: to });
  change(next, to, { at, action: "rollback", stage: "production", forced: false, other: from });
  next.production = to;
  next.promotions.pop();
  return { state: next, from, to };
}
