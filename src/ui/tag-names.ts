// Tag names as authors type them: a comma-separated field split into tags, compared by the service's own tag key so
// that the browser and the service agree on which spellings are one tag ("Deep Learning", "deep_learning").

import { tagKey } from "../text/index.js";

export { tagKey };

/** The keys of some tags: a set that holds a tag whatever its spelling ("Deep Learning", "deep_learning"). */
export function tagKeys(tags: Iterable<string>): Set<string> {
  return new Set(Array.from(tags, tagKey));
}

/** A tag as it should be kept: outer spaces trimmed, inner runs of spaces made one. */
export function cleanTag(text: string): string {
  return text.trim().replace(/\s+/g, " ");
}

/** The tags of a comma-separated field, cleaned, without empties or repeats (the first spelling wins). */
export function splitTagList(text: string): string[] {
  const seen = new Set<string>();
  const tags: string[] = [];
  for (const part of text.split(",")) {
    const tag = cleanTag(part);
    const key = tagKey(tag);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}

/** A comma-separated field with one more tag at its end, unless the field already holds it. */
export function appendTag(field: string, tag: string): string {
  const tags = splitTagList(field);
  if (tags.some((t) => tagKey(t) === tagKey(tag))) return field;
  const kept = field.replace(/[\s,]+$/, "");
  return kept ? `${kept}, ${tag}` : tag;
}
