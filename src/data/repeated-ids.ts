// Item ids that several items share, within one file or across the files trained on together: each such item is
// trained on, so copies of one item weigh more than the rest (data validate lists a file's duplicates).

import type { ContentItem } from "./content.js";

export interface RepeatedId {
  id: string;
  /** How many items have the id. */
  count: number;
  /** The files those items are in, each once, in the order given. */
  files: string[];
}

/** Ids that more than one item has, in the order they first appear. */
export function repeatedIds(
  sources: readonly { file: string; items: readonly Pick<ContentItem, "id">[] }[],
): RepeatedId[] {
  const byId = new Map<string, RepeatedId>();
  for (const { file, items } of sources) {
    for (const { id } of items) {
      const seen = byId.get(id);
      if (!seen) byId.set(id, { id, count: 1, files: [file] });
      else {
        seen.count++;
        if (!seen.files.includes(file)) seen.files.push(file);
      }
    }
  }
  return [...byId.values()].filter((r) => r.count > 1);
}

/** Ids a warning names; the rest are counted. */
const SHOWN_IDS = 5;

/** The warning for ids several items share, naming a few: undefined when there are none. */
export function repeatedIdsWarning(repeated: readonly RepeatedId[]): string | undefined {
  if (repeated.length === 0) return undefined;
  const shown = repeated
    .slice(0, SHOWN_IDS)
    .map((r) => `${r.id}: ${r.count} items in ${r.files.join(", ")}`)
    .join("; ");
  const more = repeated.length > SHOWN_IDS ? `; and ${repeated.length - SHOWN_IDS} more` : "";
  return `${repeated.length} id(s) are each given to more than one item (${shown}${more}): every item is trained on, so copies count more than once; remove the copies (tagsmith data validate lists a file's duplicate ids)`;
}
