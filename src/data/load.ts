// Loaders for labeled content in JSON arrays, JSON Lines (streamed) and CSV (RFC 4180, streamed).

import { createReadStream } from "node:fs";
import { extname } from "node:path";
import { createInterface } from "node:readline";
import { CsvError, parse as parseCsv } from "csv-parse";
import { formatLocation, type Location, TagsmithError } from "../errors.js";
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
      // the message without its "file:line:column: " prefix (a path may contain spaces, so not up to the first one)
      const prefix = error.location ? `${formatLocation(error.location)}: ` : "";
      const message = error.message.startsWith(prefix)
        ? error.message.slice(prefix.length)
        : error.message;
      problems.push({ location: { file, line }, message });
    }
  }
}

const REQUIRED_COLUMNS = ["id", "title"];

/** Line breaks in a text, "\r\n" counting once. */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

async function* csvRecords(file: string): AsyncGenerator<RawRecord> {
  const parser = createReadStream(file).pipe(
    parseCsv({
      // checked on the header itself, so a file with a wrong header and no rows is reported too
      columns: (header: string[]) => {
        const columns = header.map((h) => h.trim());
        const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
        if (missing.length > 0) {
          throw new TagsmithError(
            "invalid_input",
            `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (found: ${columns.join(", ")}): the header needs id, title and optionally created_on, description, tags or tag`,
            { file, line: 1 },
          );
        }
        return columns;
      },
      bom: true,
      info: true,
      raw: true,
      skip_empty_lines: true,
    }),
  );
  // Line numbers are counted here from each record's raw text: csv-parse counts a "\r\n" inside a quoted field as
  // two lines, so its own count drifts in Windows files with multi-line fields.
  let next: number | undefined; // the line on which the text after the last record starts
  let drift = 0; // csv-parse's count minus the true one, so far
  try {
    for await (const { record, info, raw } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
      raw: string;
    }>) {
      const body = raw.replace(/^[\r\n]+/, "");
      const inner = body.replace(/[\r\n]+$/, "");
      const line =
        next === undefined
          ? info.lines - lineBreaks(inner) - (inner.match(/\r\n/g)?.length ?? 0)
          : next + lineBreaks(raw.slice(0, raw.length - body.length));
      next = line + lineBreaks(body);
      drift = info.lines - (line + lineBreaks(inner));
      yield { value: record, line };
    }
  } catch (error) {
    if (error instanceof TagsmithError) throw error;
    // every parse error is a CsvError; not every code starts with CSV_ (INVALID_OPENING_QUOTE does not)
    if (error instanceof CsvError) {
      const csvError = error as CsvError & { lines?: number };
      const reason = csvError.message
        .replace(/^Invalid [^:]*: /, "")
        .replace(/ (at|on) line \d+.*$/s, "");
      // an unclosed quote runs to the end of the file: name the line where its record starts instead
      const line =
        csvError.code === "CSV_QUOTE_NOT_CLOSED" && next !== undefined
          ? next
          : csvError.lines
            ? csvError.lines - drift
            : undefined;
      throw new TagsmithError(
        "malformed_input",
        `malformed CSV (${reason}): check quoting and the number of fields`,
        { file, ...(line ? { line } : {}) },
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
