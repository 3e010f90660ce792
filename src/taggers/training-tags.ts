// The tags of the training items and how many items carry each: the tag vocabulary every trained tagger indexes by.

import type { TrainingItem } from "./tagger.js";

export interface TrainingTags {
  /** Every gold tag of the items, sorted (so the model file is the same on every run). */
  tags: string[];
  /** Position of each tag in `tags`. */
  index: Map<string, number>;
  /** counts[i]: training items carrying tags[i] (a tag listed twice in one item counts once). */
  counts: Int32Array;
  /**
   * itemTags[i]: the tags of items[i] as positions in `tags`, each once, in the order the item lists them. What every
   * per-item count reads: a tag listed twice counted twice made kNN and keyword scores pass 1.
   */
  itemTags: number[][];
}

export function trainingTags(items: readonly TrainingItem[]): TrainingTags {
  const perTag = new Map<string, number>();
  for (const item of items) {
    for (const tag of new Set(item.gold)) perTag.set(tag, (perTag.get(tag) ?? 0) + 1);
  }
  const tags = [...perTag.keys()].sort();
  const index = new Map(tags.map((tag, i) => [tag, i]));
  const counts = Int32Array.from(tags, (tag) => perTag.get(tag) as number);
  const itemTags = items.map((item) =>
    [...new Set(item.gold)].map((tag) => index.get(tag) as number),
  );
  return { tags, index, counts, itemTags };
}
