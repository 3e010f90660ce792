// Dataset statistics and the fingerprint that identifies a dataset in every model's manifest.

import { createHash } from "node:crypto";
import type { Taxonomy } from "../taxonomy/index.js";
import type { ContentItem } from "./content.js";
import { labelsOf } from "./labels.js";

export interface DatasetStats {
  items: number;
  /** Items with at least one gold tag: the ones that are scored. */
  labeledItems: number;
  dateRange: { from: string; to: string } | null;
  distinctTags: number;
  distinctGoldTags: number;
  /** Mean number of author tags, and of gold tags over labeled items. */
  cardinality: { tags: number; gold: number };
  /** Gold cardinality divided by the number of approved tags. */
  density: number;
  fingerprint: string;
}

/**
 * sha256 over the normalised content in file order (id, date, title, description, sorted tags), so the same data
 * gives the same fingerprint whatever its file format or whitespace; reordering the file changes it, as it may
 * change a model.
 */
export function fingerprint(items: readonly ContentItem[]): string {
  const hash = createHash("sha256");
  for (const item of items) {
    hash.update(
      JSON.stringify([
        item.id,
        item.createdOn,
        item.title,
        item.description,
        [...item.tags].sort(),
      ]),
    );
    hash.update("\n");
  }
  return `sha256:${hash.digest("hex")}`;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function datasetStats(items: readonly ContentItem[], taxonomy: Taxonomy): DatasetStats {
  const dates = items
    .map((i) => i.createdOn)
    .filter((d): d is string => d !== null)
    .sort();
  const tags = new Set<string>();
  const goldTags = new Set<string>();
  let tagTotal = 0;
  let goldTotal = 0;
  let labeledItems = 0;
  for (const item of items) {
    for (const tag of item.tags) tags.add(tag);
    tagTotal += item.tags.length;
    const { gold } = labelsOf(item, taxonomy);
    if (gold.length > 0) labeledItems++;
    goldTotal += gold.length;
    for (const tag of gold) goldTags.add(tag);
  }
  const goldCardinality = labeledItems ? goldTotal / labeledItems : 0;
  return {
    items: items.length,
    labeledItems,
    dateRange: dates.length
      ? { from: dates[0] as string, to: dates[dates.length - 1] as string }
      : null,
    distinctTags: tags.size,
    distinctGoldTags: goldTags.size,
    cardinality: {
      tags: round(items.length ? tagTotal / items.length : 0),
      gold: round(goldCardinality),
    },
    density: round(taxonomy.size ? goldCardinality / taxonomy.size : 0),
    fingerprint: fingerprint(items),
  };
}
