// The tags an author reported, by content-id, kept in the host page's localStorage: a report says the tag does not
// belong to that content, so a reload, another tab or tomorrow's edit does not suggest it there again. Storage
// refused or full: remembered in memory for this page, as the widget did before. Only the most recent contents are
// kept, so the entry stays small whatever an author reports over the years.

import { readStored, writeStored } from "../storage.js";

/** The localStorage key: one entry, a JSON array of [content-id, tags] pairs, least recently reported on first. */
export const REPORTED_KEY = "tagsmith.reported";
/** How many contents' reports are kept (the least recently reported on go first). */
export const MAX_REPORTED_CONTENTS = 200;

/**
 * Content-ids in the order of their last report. A Map, stored as pairs: as an object, integer-like keys (the store's
 * ids) would come back in ascending order, and the oldest ids, not the oldest reports, would be dropped.
 */
type ByContent = Map<string, string[]>;

/** The stored entry, or nothing when it is missing or not ours (a host's own value under the key, a hand edit). */
function parse(text: string | null): ByContent {
  try {
    const value: unknown = JSON.parse(text ?? "[]");
    if (!Array.isArray(value)) return new Map();
    return new Map(
      value.filter(
        (entry): entry is [string, string[]] =>
          Array.isArray(entry) &&
          entry.length === 2 &&
          typeof entry[0] === "string" &&
          Array.isArray(entry[1]) &&
          entry[1].every((tag: unknown) => typeof tag === "string"),
      ),
    );
  } catch {
    return new Map();
  }
}

export class ReportedTags {
  /** What this page knows, whether or not storage kept it. */
  private readonly memory: ByContent = new Map();

  constructor(private readonly storage: () => Storage = () => localStorage) {}

  /** The tags reported for a content, read afresh from storage: another tab may have reported since. */
  of(contentId: string): Set<string> {
    const stored = parse(readStored(this.storage, REPORTED_KEY)).get(contentId);
    return new Set([...(stored ?? []), ...(this.memory.get(contentId) ?? [])]);
  }

  /** Remembers `tags` as reported for the content, besides those reported there before (in any tab). */
  keep(contentId: string, tags: ReadonlySet<string>): void {
    this.memory.set(contentId, [...tags]);
    const all = parse(readStored(this.storage, REPORTED_KEY));
    const reported = new Set([...(all.get(contentId) ?? []), ...tags]);
    // Re-inserted, so the map's order is the order of the last report.
    all.delete(contentId);
    all.set(contentId, [...reported]);
    for (const oldest of [...all.keys()].slice(0, Math.max(0, all.size - MAX_REPORTED_CONTENTS)))
      all.delete(oldest);
    writeStored(this.storage, REPORTED_KEY, JSON.stringify([...all]));
  }
}
