// Tag names as authors type them: a comma-separated field split into tags, and names folded so that "PyTorch",
// "py-torch" and "py_torch" are the same tag when the widget and the editor compare them.

/** The comparison key of a tag: case, spaces, hyphens and underscores do not make two tags different. */
export function foldTag(tag: string): string {
  return tag.toLowerCase().replace(/[\s_-]+/g, "");
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
    const key = foldTag(tag);
    if (!key || seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}

/** A comma-separated field with one more tag at its end, unless the field already holds it. */
export function appendTag(field: string, tag: string): string {
  const tags = splitTagList(field);
  if (tags.some((t) => foldTag(t) === foldTag(tag))) return field;
  const kept = field.replace(/[\s,]+$/, "");
  return kept ? `${kept}, ${tag}` : tag;
}
