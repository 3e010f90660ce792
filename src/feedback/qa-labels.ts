// QA'd labels as a dataset for the next model: reviewer decisions applied to the content they were made on, in
// the content format the loaders read, with each label's provenance beside it. Pure.

import { basename, extname } from "node:path";
import type { ContentItem } from "../data/index.js";
import type { Content, QaLabel } from "../store/index.js";
import { byCodeUnit } from "../text/index.js";

/** One decision in effect, as the provenance file lists it. */
export interface LabelProvenance {
  /** The dataset item's id (the content id). */
  id: string;
  content_id: number;
  tag: string;
  applies: boolean;
  reviewer: string;
  decided_at: string;
  rule: QaLabel["rule"];
  item_id: number;
  note: string | null;
}

export interface QaDataset {
  items: ContentItem[];
  provenance: LabelProvenance[];
}

/**
 * The decision in effect for each content and tag: the latest (a later report can reopen a decided question, and
 * its answer replaces the earlier one). In decision order.
 */
/** The id of a content item in the exported dataset. */
export const qaItemId = (contentId: number): string => `qa-${contentId}`;

export function effectiveLabels(labels: readonly QaLabel[]): QaLabel[] {
  const latest = new Map<string, QaLabel>();
  const sorted = [...labels].sort(
    (a, b) => byCodeUnit(a.decidedAt, b.decidedAt) || a.itemId - b.itemId,
  );
  for (const label of sorted) {
    const key = `${label.contentId}\u0000${label.tag}`;
    latest.delete(key);
    latest.set(key, label);
  }
  return [...latest.values()];
}

/**
 * Every content item with at least one decision, its tags = (final approved tags ∪ tags decided to apply) − tags
 * decided not to; the author's order first, then added tags in decision order. Items in content id order. Content
 * the store no longer has is skipped, and so are its labels.
 */
export function qaDataset(contents: readonly Content[], labels: readonly QaLabel[]): QaDataset {
  const byId = new Map(contents.map((c) => [c.id, c]));
  const decided = new Map<number, QaLabel[]>();
  for (const label of effectiveLabels(labels)) {
    if (!byId.has(label.contentId)) continue;
    decided.set(label.contentId, [...(decided.get(label.contentId) ?? []), label]);
  }
  const items: ContentItem[] = [];
  const provenance: LabelProvenance[] = [];
  for (const id of [...decided.keys()].sort((a, b) => a - b)) {
    const content = byId.get(id) as Content;
    const ofContent = decided.get(id) ?? [];
    const refused = new Set(ofContent.filter((l) => !l.applies).map((l) => l.tag));
    const tags = [
      ...new Set([...content.tags, ...ofContent.filter((l) => l.applies).map((l) => l.tag)]),
    ];
    items.push({
      // Prefixed: the store's ids (1, 2, ...) would collide with a gold file's ids when both are trained on.
      id: qaItemId(id),
      createdOn: content.createdAt,
      title: content.title,
      description: content.description,
      tags: tags.filter((t) => !refused.has(t)),
    });
    for (const label of ofContent)
      provenance.push({
        id: qaItemId(id),
        content_id: id,
        tag: label.tag,
        applies: label.applies,
        reviewer: label.reviewer,
        decided_at: label.decidedAt,
        rule: label.rule,
        item_id: label.itemId,
        note: label.note,
      });
  }
  return { items, provenance };
}

/** qa.json -> qa.provenance.json (beside it, whatever the dataset's extension). */
export function provenanceFile(datasetFile: string): string {
  const ext = extname(datasetFile);
  const stem = ext ? datasetFile.slice(0, -ext.length) : datasetFile;
  return `${stem}.provenance.json`;
}

/** The provenance file's content: which dataset, when, how the labels were made, and every label's origin. */
export function provenanceDocument(datasetFile: string, dataset: QaDataset, exportedAt: string) {
  return {
    dataset: basename(datasetFile),
    exported_at: exportedAt,
    items: dataset.items.length,
    labels_rule:
      "tags = (final approved tags ∪ tags decided applies=true) − tags decided applies=false; the latest decision per content and tag",
    labels: dataset.provenance,
  };
}
