// Writing content back out in the Made With ML record format, as JSON or JSON Lines.

import { extname } from "node:path";
import { TagsmithError } from "../errors.js";
import { writeFileAtomic } from "../files/index.js";
import type { ContentItem } from "./content.js";

export function toRecord(item: ContentItem) {
  return {
    id: item.id,
    created_on: item.createdOn,
    title: item.title,
    description: item.description,
    tags: item.tags,
  };
}

export async function writeContent(file: string, items: readonly ContentItem[]): Promise<void> {
  const ext = extname(file).toLowerCase();
  const records = items.map(toRecord);
  if (ext === ".json") await writeFileAtomic(file, `${JSON.stringify(records, null, 1)}\n`);
  else if (ext === ".jsonl" || ext === ".ndjson")
    await writeFileAtomic(file, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
  else
    throw new TagsmithError("usage", `cannot write "${ext}" files: use .json or .jsonl`, { file });
}
