// Gold labels: what a piece of content should be tagged with, by the approved list.

import type { Taxonomy } from "../taxonomy/index.js";
import type { ContentItem } from "./content.js";

export interface Labels {
  /** The item's approved tags plus their approved ancestors, sorted. */
  gold: string[];
  /** The item's tags that are not approved (kept: candidates for the approved list). */
  unapproved: string[];
}

/**
 * Gold labels use exact approved names, as the Made With ML README and the reference systems do; a tag spelled as an
 * alias counts as unapproved here and is reported by validation, so scores stay comparable with the anchors.
 */
export function labelsOf(item: Pick<ContentItem, "tags">, taxonomy: Taxonomy): Labels {
  return {
    gold: taxonomy.closure(item.tags),
    unapproved: item.tags.filter((t) => !taxonomy.isApproved(t)),
  };
}
