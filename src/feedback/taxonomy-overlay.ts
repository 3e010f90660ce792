// Pending taxonomy proposals as a taxonomy overlay file (taxonomy/load.ts): the change a curator reviews and
// commits, then trains and serves with --overlay. Pure.
//
// An alias becomes `{tag: alias_of, aliases: [candidate]}`, which the overlay format always supported. A new tag
// cannot be an addition to a tag the taxonomy lacks, so an approval is written as a full definition marked
// `"new": true`: the overlay loader adds such entries as tags, and still refuses an unmarked entry for an unknown
// tag (a typo stays an error). One file holds the whole change, reviewable as a diff, instead of a second full
// copy of the taxonomy.

import type { z } from "zod";
import type { TaxonomyChange } from "../store/index.js";
import type { TagOverlaySchema } from "../taxonomy/index.js";
import { byCodeUnit } from "../text/index.js";

export type TagOverlay = z.input<typeof TagOverlaySchema>;

/** New tags first (in proposal order), then aliases grouped by the tag they join, by name. */
export function overlayFromChanges(changes: readonly TaxonomyChange[]): TagOverlay[] {
  const added: TagOverlay[] = [];
  const aliases = new Map<string, string[]>();
  for (const change of changes) {
    if (change.action === "approve")
      added.push({
        tag: change.candidate,
        new: true,
        aliases: [],
        parents: change.parents,
        ...(change.category ? { category: change.category } : {}),
      });
    else if (change.aliasOf)
      aliases.set(change.aliasOf, [...(aliases.get(change.aliasOf) ?? []), change.candidate]);
  }
  const joined = [...aliases.entries()]
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([tag, names]) => ({ tag, aliases: names }));
  return [...added, ...joined];
}
