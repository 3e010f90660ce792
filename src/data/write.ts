// Writing content back out in the Made With ML record format, as JSON or JSON Lines.

import { extname } from "node:path";
import { TagsmithError } from "../errors.js";
import { writeFilesAtomic } from "../files/index.js";
import type { ContentItem } from "./content.js";

export interface WriteOptions {
  /**
   * "single" writes each item's one label as `tag`, as a single-label source (a `tag` column) had it: written as
   * `tags`, the parts of a split would read back as multi-label data and be scored differently from their source.
   */
  labelMode?: "multi" | "single";
  /** false: an existing file is kept and the write fails naming it (a split's parts never replace a file). */
  replace?: boolean;
}

/** An item's record, its text as its file wrote it (not as normalised for reading). */
export function toRecord(item: ContentItem) {
  return {
    id: item.id,
    created_on: item.createdOn,
    title: item.asWritten?.title ?? item.title,
    description: item.asWritten?.description ?? item.description,
    tags: item.tags,
  };
}

/** The record of a single-label item: its one tag as `tag`. */
function singleLabelRecord(item: ContentItem) {
  const { tags, ...record } = toRecord(item);
  if (tags.length > 1)
    throw new TagsmithError(
      "invalid_input",
      `item ${item.id} has ${tags.length} tags: a single-label file holds one tag per item`,
    );
  // an item whose tag cell was empty reads back as it was read: single-label, without a tag
  return { ...record, tag: tags[0] ?? "" };
}

/** The format a content file is written in, from its extension; any other is refused (check before any work). */
export function contentFileFormat(file: string): "json" | "jsonl" {
  const ext = extname(file).toLowerCase();
  if (ext === ".json") return "json";
  if (ext === ".jsonl" || ext === ".ndjson") return "jsonl";
  throw new TagsmithError(
    "usage",
    ext
      ? `cannot write "${ext}" files: use .json or .jsonl`
      : "no format named: end the name in .json or .jsonl",
    { file },
  );
}

/** The text of a content file, in the format its extension names (.json or .jsonl). */
export function contentFileText(
  file: string,
  items: readonly ContentItem[],
  labelMode: WriteOptions["labelMode"] = "multi",
): string {
  const format = contentFileFormat(file);
  const records = labelMode === "single" ? items.map(singleLabelRecord) : items.map(toRecord);
  if (format === "json") return `${JSON.stringify(records, null, 1)}\n`;
  return records.map((r) => `${JSON.stringify(r)}\n`).join("");
}

export async function writeContent(
  file: string,
  items: readonly ContentItem[],
  options: WriteOptions = {},
): Promise<void> {
  await writeContentFiles([{ file, items }], options);
}

/**
 * Several content files as one write (a split's parts): all of them or none, so a part that could not be written
 * leaves no earlier part behind to make the next run refuse its file.
 */
export async function writeContentFiles(
  files: readonly { file: string; items: readonly ContentItem[] }[],
  options: WriteOptions = {},
): Promise<void> {
  await writeFilesAtomic(
    files.map(({ file, items }) => ({
      file,
      content: contentFileText(file, items, options.labelMode),
    })),
    { replace: options.replace ?? true },
  );
}
