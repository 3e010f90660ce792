// The gate's objection to a candidate trained on the gold data, in words: one phrasing for the CLI and the admin
// console (which bundles this file, so it imports nothing).

/** "trained on 345 of the 345 gold items (production on 0)", or why that is not known. */
export function sawGoldText(seen: {
  candidate: number | null;
  production: number;
  items: number;
}): string {
  return seen.candidate === null
    ? "training data unreadable, so whether it saw the gold items is unknown"
    : `trained on ${seen.candidate} of the ${seen.items} gold items (production on ${seen.production})`;
}
