// Items as an author who has already chosen some of their tags presents them: what the ensemble learns its
// chosen-tags combination on, and what evaluation scores it on (the editor sends the chosen tags with every request).

import { seededRandom } from "../data/index.js";
import type { TrainingItem } from "./tagger.js";

export interface HalfChosen {
  item: TrainingItem;
  /** Gold tags shown as chosen. */
  chosen: Set<string>;
  /** Gold tags left to find. */
  rest: Set<string>;
}

/**
 * Held-out items as an author who has chosen some tags shows them: for each item with 2 or more gold tags, a seeded
 * random half of them (each with probability 1/2, at least one, not all) are the chosen tags, the rest to find.
 */
export function withHalfChosen(items: readonly TrainingItem[], seed: number): HalfChosen[] {
  const random = seededRandom(seed);
  const out: HalfChosen[] = [];
  for (const item of items) {
    if (item.gold.length < 2) continue;
    const gold = [...item.gold].sort();
    const chosen = new Set(gold.filter(() => random() < 0.5));
    if (chosen.size === 0 || chosen.size === gold.length) continue;
    out.push({ item, chosen, rest: new Set(gold.filter((tag) => !chosen.has(tag))) });
  }
  return out;
}
