// Loaders for labeled content in JSON arrays, JSON Lines (streamed) and CSV (RFC 4180, streamed).

import { createReadStream } from "node:fs";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { parse as parseCsv } from "csv-parse";
import { type Location, TagsmithError } from "../errors.js";
import {
  arrayElementLines,
  assertReadableFile,
  describeIssues,
  parseJson,
  readText,
} from "../files/index.js";
import {
  type ContentItem,
  ContentRecordSchema,
  type LocatedItem,
  toContentItem,
} from "./content.js";

export type ContentFormat = "json" | "jsonl" | "csv";

export interface ContentProblem {
  location: Location;
  message: string;
}

export interface LoadedContent {
  items: LocatedItem[];
  /** Records that could not be used, each with file and line; the rest of the file still loads. */
  problems: ContentProblem[];
  /** "single" when records carry one `tag` each (a classification dataset), else "multi". */
  labelMode: "multi" | "single";
}

const FORMATS: Record<string, ContentFormat> = {
  ".json": "json",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".csv": "csv",
};

export function formatOf(file: string): ContentFormat {
  const format = FORMATS[extname(file).toLowerCase()];
  if (!format) {
    throw new TagsmithError(
      "invalid_input",
      `unknown content format "${extname(file) || "(no extension)"}": use .json (an array), .jsonl or .csv`,
      { file },
    );
  }
  return format;
}

interface RawRecord {
  value: unknown;
  line: number;
}

async function* jsonArrayRecords(file: string): AsyncGenerator<RawRecord> {
  const text = await readText(file);
  const data = parseJson(text, file);
  if (!Array.isArray(data)) {
    throw new TagsmithError(
      "invalid_input",
      "expected a JSON array of content objects (use .jsonl for one object per line)",
      { file, line: 1 },
    );
  }
  const lines = arrayElementLines(text);
  for (let i = 0; i < data.length; i++) yield { value: data[i], line: lines[i] ?? 1 };
}

async function* jsonLinesRecords(
  file: string,
  problems: ContentProblem[],
): AsyncGenerator<RawRecord> {
  const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (text.trim() === "") continue;
    try {
      yield { value: parseJson(text, file, line - 1), line };
    } catch (error) {
      if (!(error instanceof TagsmithError)) throw error;
      problems.push({ location: { file, line }, message: error.message.replace(/^[^ ]+: /, "") });
    }
  }
}

const REQUIRED_COLUMNS = ["id", "title"];

async function* csvRecords(file: string): AsyncGenerator<RawRecord> {
  const parser = createReadStream(file).pipe(
    parseCsv({
      columns: (header: string[]) => header.map((h) => h.trim()),
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
    }),
  );
  let checkedHeader = false;
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
      raw: string;
    }>) {
      if (!checkedHeader) {
        const columns = Object.keys(record);
        const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
        if (missing.length > 0) {
          throw new TagsmithError(
            "invalid_input",
            `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (found: ${columns.join(", ")}): the header needs id, title and optionally created_on, description, tags or tag`,
            { file, line: 1 },
          );
        }
        checkedHeader = true;
      }
      const newlines = raw.replace(/^[\r\n]+|[\r\n]+$/g, "").split("\n").length - 1;
      yield { value: record, line: info.lines - newlines };
    }
  } catch (error) {
    if (error instanceof TagsmithError) throw error;
    const csvError = error as Error & { code?: string; lines?: number };
    if (csvError.code?.startsWith("CSV_")) {
      const reason = csvError.message
        .replace(/^Invalid [^:]*: /, "")
        .replace(/ at line \d+.*$/s, "");
      throw new TagsmithError(
        "malformed_input",
        `malformed CSV (${reason}): check quoting and the number of fields`,
        { file, ...(csvError.lines ? { line: csvError.lines } : {}) },
      );
    }
    throw error;
  }
}

/**
 * Reads every record of a content file, keeping going past bad records so a report can list them all.
 * A file that cannot be read or parsed at all throws.
 */
export async function readContent(file: string): Promise<LoadedContent> {
  const format = formatOf(file);
  await assertReadableFile(file);
  const problems: ContentProblem[] = [];
  const items: LocatedItem[] = [];
  let single = 0;
  const records =
    format === "json"
      ? jsonArrayRecords(file)
      : format === "jsonl"
        ? jsonLinesRecords(file, problems)
        : csvRecords(file);
  for await (const { value, line } of records) {
    const location = { file, line };
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problems.push({
        location,
        message: "expected an object with id, title, description and tags",
      });
      continue;
    }
    const parsed = ContentRecordSchema.safeParse(value);
    if (!parsed.success) {
      problems.push({ location, message: describeIssues(parsed.error) });
      continue;
    }
    const item = toContentItem(parsed.data);
    if (typeof item === "string") {
      problems.push({ location, message: item });
      continue;
    }
    if (parsed.data.tags == null && parsed.data.tag != null) single++;
    items.push({ item, origin: location });
  }
  return { items, problems, labelMode: single > 0 && single === items.length ? "single" : "multi" };
}

/** Loads content strictly, for training and evaluation: the first bad record is an error. */
export async function loadContent(
  file: string,
): Promise<{ items: ContentItem[]; labelMode: "multi" | "single" }> {
  const loaded = await readContent(file);
  const first = loaded.problems[0];
  if (first) {
    const more =
      loaded.problems.length > 1
        ? ` (and ${loaded.problems.length - 1} more problems: run tagsmith data validate)`
        : "";
    throw new TagsmithError("invalid_input", `${first.message}${more}`, first.location);
  }
  if (loaded.items.length === 0)
    throw new TagsmithError("invalid_input", "no content items in the file", { file });
  return { items: loaded.items.map((l) => l.item), labelMode: loaded.labelMode };
}
