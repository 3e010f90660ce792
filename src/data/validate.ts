// The data validation report: what a data owner must fix (errors) or should look at (warnings) before training.

import { formatLocation } from "../errors.js";
import { checkTaxonomy, type Taxonomy, type TaxonomyFinding } from "../taxonomy/index.js";
import { byCodeUnit, normalizeText, words } from "../text/index.js";
import { contentText, type Origin } from "./content.js";
import { labelsOf } from "./labels.js";
import type { LoadedContent } from "./load.js";
import { nearDuplicatePairs } from "./near-duplicates.js";

export interface ItemRef {
  id: string;
  /** "file:line", and "file:line item N" when the line holds several items (a JSON array written on one line). */
  at: string;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface ValidationOptions {
  /** Texts with fewer words than this are reported as short. */
  minWords: number;
  /** Tags with fewer gold items than this are reported as rare. */
  rareTagCount: number;
  /** Shingle Jaccard similarity from which two items are near-duplicates. */
  nearDuplicateThreshold: number;
  /** How many entries each list keeps in the report (counts are always complete). */
  listLimit: number;
}

export const DEFAULT_VALIDATION: ValidationOptions = {
  minWords: 3,
  rareTagCount: 5,
  nearDuplicateThreshold: 0.9,
  listLimit: 50,
};

export interface ValidationReport {
  ok: boolean;
  errors: number;
  warnings: number;
  items: number;
  labelMode: "multi" | "single";
  /** Full counts of each list below; the lists themselves keep at most `listLimit` entries. */
  counts: Record<
    | "schemaErrors"
    | "duplicateIds"
    | "exactDuplicates"
    | "nearDuplicates"
    | "emptyTexts"
    | "shortTexts"
    | "noApprovedTag"
    | "unapprovedTags",
    number
  >;
  schemaErrors: { at: string; message: string }[];
  duplicateIds: { id: string; at: string[] }[];
  exactDuplicates: { title: string; items: ItemRef[] }[];
  nearDuplicates: { a: ItemRef; b: ItemRef; similarity: number }[];
  emptyTexts: ItemRef[];
  shortTexts: (ItemRef & { words: number })[];
  noApprovedTag: (ItemRef & { tags: string[] })[];
  /**
   * Author tags spelled as an alias of an approved tag, or as the tag in another case ("C" for "c"): not counted as
   * gold until the data says the tag itself.
   */
  aliasTags: { tag: string; approvedTag: string; count: number }[];
  /** Tags authors use that are not approved, most frequent first: candidates for the approved list. */
  unapprovedTags: (TagCount & { examples: string[] })[];
  labelDistribution: TagCount[];
  rareTags: TagCount[];
  /** Approved tags no item is labeled with. */
  unusedTags: string[];
  taxonomy: { tags: number; errors: number; warnings: number; findings: TaxonomyFinding[] };
}

function ref(id: string, origin: Origin): ItemRef {
  // As a record's problem on a shared line names it ("item 3: ..."), so does its place here.
  const place = origin.item === undefined ? "" : ` item ${origin.item}`;
  return { id, at: `${formatLocation(origin)}${place}` };
}

function ranked(counts: Map<string, number>): TagCount[] {
  return [...counts]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || byCodeUnit(a.tag, b.tag));
}

function increment(counts: Map<string, number>, key: string): void {
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

/** Builds the report from loaded content and its taxonomy; pure, so it can be tested on small fixtures. */
export function validateContent(
  loaded: LoadedContent,
  taxonomy: Taxonomy,
  options: ValidationOptions = DEFAULT_VALIDATION,
): ValidationReport {
  const { items } = loaded;
  const limit = <T>(list: T[]) => list.slice(0, options.listLimit);

  const byId = new Map<string, string[]>();
  const byTitle = new Map<string, ItemRef[]>();
  const titleGroup: (string | undefined)[] = []; // each item's title key, to skip exact pairs among near-duplicates
  const emptyTexts: ItemRef[] = [];
  const shortTexts: (ItemRef & { words: number })[] = [];
  const noApprovedTag: (ItemRef & { tags: string[] })[] = [];
  const goldCounts = new Map<string, number>();
  const unapprovedCounts = new Map<string, number>();
  const unapprovedExamples = new Map<string, string[]>();
  const aliasCounts = new Map<string, number>();

  for (const { item, origin } of items) {
    const at = ref(item.id, origin);
    byId.set(item.id, [...(byId.get(item.id) ?? []), at.at]);
    const titleKey = words(item.title).join(" ");
    if (titleKey) byTitle.set(titleKey, [...(byTitle.get(titleKey) ?? []), at]);
    titleGroup.push(titleKey || undefined);
    const count = words(contentText(item)).length;
    if (count === 0) emptyTexts.push(at);
    else if (count < options.minWords) shortTexts.push({ ...at, words: count });

    const { gold, unapproved } = labelsOf(item, taxonomy);
    if (gold.length === 0) noApprovedTag.push({ ...at, tags: item.tags });
    for (const tag of gold) increment(goldCounts, tag);
    for (const tag of unapproved) {
      const approvedTag = taxonomy.resolve(tag);
      if (approvedTag) {
        increment(aliasCounts, `${tag}\u0000${approvedTag}`);
        continue;
      }
      increment(unapprovedCounts, tag);
      const examples = unapprovedExamples.get(tag) ?? [];
      if (examples.length < 3) examples.push(item.id);
      unapprovedExamples.set(tag, examples);
    }
  }

  const duplicateIds = [...byId].filter(([, at]) => at.length > 1).map(([id, at]) => ({ id, at }));
  const exactDuplicates = [...byTitle]
    .filter(([, refs]) => refs.length > 1)
    .map(([title, refs]) => ({ title, items: refs }));

  // Pairs already reported as exact duplicates (same title key) are left out, matched by index: locations are not
  // unique (a one-line JSON file puts every item on line 1).
  const located = items.map(({ item, origin }) => ref(item.id, origin));
  const nearDuplicates = nearDuplicatePairs(
    items.map(({ item }) => normalizeText(contentText(item))),
    options.nearDuplicateThreshold,
  )
    .filter(({ a, b }) => titleGroup[a] === undefined || titleGroup[a] !== titleGroup[b])
    .map(({ a, b, similarity }) => ({
      a: located[a] as ItemRef,
      b: located[b] as ItemRef,
      similarity: Math.round(similarity * 1000) / 1000,
    }));

  const labelDistribution = ranked(goldCounts);
  const rareTags = labelDistribution.filter((t) => t.count < options.rareTagCount);
  const unusedTags = taxonomy.tags.filter((t) => !goldCounts.has(t)).sort();
  const findings = checkTaxonomy(taxonomy.definitions);
  const taxonomyErrors = findings.filter((f) => f.severity === "error").length;

  const schemaErrors = loaded.problems.map((p) => ({
    at: formatLocation(p.location),
    message: p.message,
  }));
  const errors = schemaErrors.length + duplicateIds.length + taxonomyErrors;
  const warnings =
    exactDuplicates.length +
    nearDuplicates.length +
    emptyTexts.length +
    shortTexts.length +
    noApprovedTag.length +
    aliasCounts.size +
    rareTags.length +
    (findings.length - taxonomyErrors);

  return {
    ok: errors === 0,
    errors,
    warnings,
    items: items.length,
    labelMode: loaded.labelMode,
    counts: {
      schemaErrors: schemaErrors.length,
      duplicateIds: duplicateIds.length,
      exactDuplicates: exactDuplicates.length,
      nearDuplicates: nearDuplicates.length,
      emptyTexts: emptyTexts.length,
      shortTexts: shortTexts.length,
      noApprovedTag: noApprovedTag.length,
      unapprovedTags: unapprovedCounts.size,
    },
    schemaErrors: limit(schemaErrors),
    duplicateIds: limit(duplicateIds),
    exactDuplicates: limit(exactDuplicates),
    nearDuplicates: limit(nearDuplicates),
    emptyTexts: limit(emptyTexts),
    shortTexts: limit(shortTexts),
    noApprovedTag: limit(noApprovedTag),
    aliasTags: ranked(aliasCounts).map(({ tag, count }) => {
      const [alias, approvedTag] = tag.split("\u0000") as [string, string];
      return { tag: alias, approvedTag, count };
    }),
    unapprovedTags: limit(
      ranked(unapprovedCounts).map((t) => ({
        ...t,
        examples: unapprovedExamples.get(t.tag) ?? [],
      })),
    ),
    labelDistribution,
    rareTags,
    unusedTags,
    taxonomy: {
      tags: taxonomy.size,
      errors: taxonomyErrors,
      warnings: findings.length - taxonomyErrors,
      findings,
    },
  };
}
