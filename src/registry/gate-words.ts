// The gate's verdict in words: one phrasing for the CLI and the admin console (which bundles this file, so it
// imports nothing).

/** How many gold items each model saw, when the candidate's share stopped the gate (LastGate's `seen`). */
interface Seen {
  candidate: number | null;
  production: number;
  /** Absent in verdicts recorded before it was kept. */
  candidateOnly?: number;
  items: number;
}

/**
 * "trained on 345 of the 345 gold items (production on 0)", with how many of them production did not see when it saw
 * some ("..., 100 of them not seen by production (production on 145)"), or why that is not known.
 */
export function sawGoldText(seen: Seen, productionId?: string): string {
  if (seen.candidate === null)
    return "training data unreadable, so whether it saw the gold items is unknown";
  const only =
    seen.candidateOnly !== undefined && seen.production > 0
      ? `, ${seen.candidateOnly} of them not seen by production`
      : "";
  const production = productionId ? `production ${productionId}` : "production";
  return `trained on ${seen.candidate} of the ${seen.items} gold items${only} (${production} on ${seen.production})`;
}

/**
 * Why the gate would not promote a candidate ("worse on recall@5", "trained on 260 of the 260 gold items ..."), none
 * when it passed; `and` joins the metrics found worse.
 */
export function gateObjections(
  worse: readonly string[],
  seen: Seen | undefined,
  and = " and ",
): string[] {
  return [
    ...(worse.length > 0 ? [`worse on ${worse.join(and)}`] : []),
    ...(seen ? [sawGoldText(seen)] : []),
  ];
}

/** What became of a promotion the gate objected to. */
export const objectedOutcome = (outcome: "promoted" | "forced" | "refused") =>
  outcome === "refused" ? "refused" : "promoted with --force";
