// Loaders for labeled content in JSON arrays, JSON Lines (streamed) and CSV (RFC 4180, streamed).

import { extname } from "node:path";
import { createInterface } from "node:readline";
import { CsvError, parse as parseCsv } from "csv-parse";
import { type Location, TagsmithError } from "../errors.js";
import {
  arrayElementLines,
  assertReadableFile,
  describeIssue,
  parseJson,
  readText,
  readUtf8Stream,
} from "../files/index.js";
import {
  BOTH_TAG_FIELDS,
  CONTENT_FIELDS,
  CONTENT_FIELDS_HELP,
  type ContentItem,
  ContentRecordSchema,
  type LocatedItem,
  splitTagCell,
  toContentItem,
  unknownFieldsMessage,
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
  /** 1-based place in a JSON array whose line it shares with another record (a file on one line). */
  item?: number;
}

async function* jsonArrayRecords(file: string): AsyncGenerator<RawRecord> {
  const text = await readText(file);
  if (text.trim() === "")
    throw new TagsmithError(
      "invalid_input",
      `the file is empty: expected a JSON array of content items, each with ${CONTENT_FIELDS_HELP}`,
      { file },
    );
  const data = parseJson(text, file);
  if (!Array.isArray(data)) {
    throw new TagsmithError(
      "invalid_input",
      "expected a JSON array of content objects (use .jsonl for one object per line)",
      { file, line: 1 },
    );
  }
  const lines = arrayElementLines(text);
  for (let i = 0; i < data.length; i++) {
    const line = lines[i] ?? 1;
    // In a file written on one line, the line names no record: its place in the array does.
    const shared = lines[i - 1] === line || lines[i + 1] === line;
    yield { value: data[i], line, ...(shared ? { item: i + 1 } : {}) };
  }
}

async function* jsonLinesRecords(
  file: string,
  problems: ContentProblem[],
): AsyncGenerator<RawRecord> {
  const lines = createInterface({ input: readUtf8Stream(file), crlfDelay: Infinity });
  let line = 0;
  // A byte-order mark is gone already: the UTF-8 decoder drops it.
  for await (const text of lines) {
    line++;
    if (text.trim() === "") continue;
    try {
      yield { value: parseJson(text, file, line - 1), line };
    } catch (error) {
      if (!(error instanceof TagsmithError)) throw error;
      problems.push({ location: { file, line }, message: error.problem });
    }
  }
}

const REQUIRED_COLUMNS = ["id", "title"];

/** Line breaks in a text, "\r\n" counting once. */
function lineBreaks(text: string): number {
  return text.match(/\r\n|\r|\n/g)?.length ?? 0;
}

/** Why a CSV header cannot be read as content records, or null when it can. */
function headerProblem(columns: readonly string[]): string | null {
  const found = `(found: ${columns.join(", ")})`;
  const missing = REQUIRED_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0)
    return `missing column${missing.length > 1 ? "s" : ""} ${missing.join(", ")} ${found}: the header needs ${CONTENT_FIELDS_HELP}`;
  const unknown = columns.filter((c) => !CONTENT_FIELDS.includes(c));
  if (unknown.length > 0) return `${unknownFieldsMessage(unknown, "column")} ${found}`;
  const repeated = columns.filter((c, i) => columns.indexOf(c) !== i);
  // csv-parse would keep only the last of two columns with one name
  if (repeated.length > 0)
    return `column ${[...new Set(repeated)].join(", ")} appears more than once ${found}: keep one`;
  if (columns.includes("tags") && columns.includes("tag")) return `${BOTH_TAG_FIELDS} ${found}`;
  return null;
}

async function* csvRecords(file: string): AsyncGenerator<RawRecord> {
  let header = false;
  const text = readUtf8Stream(file);
  const parser = text.pipe(
    parseCsv({
      // checked on the header itself, so a file with a wrong header and no rows is reported too
      columns: (names: string[]) => {
        header = true;
        const columns = names.map((h) => h.trim());
        const problem = headerProblem(columns);
        if (problem) throw new TagsmithError("invalid_input", problem, { file, line: 1 });
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
  // pipe() does not pass on its source's errors: text that is not UTF-8 must end the records, not hang them.
  text.on("error", (error) => parser.destroy(error));
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
  if (!header)
    throw new TagsmithError(
      "invalid_input",
      `the file is empty: a CSV needs a header line (${CONTENT_FIELDS_HELP}) and one line per item`,
      { file },
    );
}

function stringTagsMessage(id: string | number, tags: string): string {
  const quoted = JSON.stringify(tags.length > 40 ? `${tags.slice(0, 40)}…` : tags);
  const names = splitTagCell(tags)
    .map((t) => t.trim())
    .filter((t) => t !== "");
  return `tags: must be a list of strings, e.g. ${JSON.stringify(names.slice(0, 3))}, not the string ${quoted} (item ${id}): only a CSV cell lists tags in one string`;
}

/**
 * Reads every record of a content file, keeping going past bad records so a report can list them all.
 * A file that cannot be read or parsed at all throws, and so does one without a single record: there is nothing to
 * validate, train or split, and "no errors" would say otherwise.
 */
export async function readContent(file: string): Promise<LoadedContent> {
  // Readable first: a directory is named as one, not as a file of unknown format.
  await assertReadableFile(file);
  const format = formatOf(file);
  const problems: ContentProblem[] = [];
  const items: LocatedItem[] = [];
  // Records with one `tag` and records with `tags`, each kind's first place: a file holds one kind.
  const kinds: Record<"single" | "multi", string | undefined> = {
    single: undefined,
    multi: undefined,
  };
  const records =
    format === "json"
      ? jsonArrayRecords(file)
      : format === "jsonl"
        ? jsonLinesRecords(file, problems)
        : csvRecords(file);
  for await (const { value, line, item: place } of records) {
    const location = { file, line };
    const problem = (message: string) =>
      problems.push({ location, message: place ? `item ${place}: ${message}` : message });
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      problem(`expected an object with ${CONTENT_FIELDS_HELP}`);
      continue;
    }
    const parsed = ContentRecordSchema.safeParse(value);
    if (!parsed.success) {
      // an unknown field first: a misspelt "titel" explains the missing title after it
      const issues = parsed.error.issues.toSorted(
        (a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"),
      );
      problem(issues.map((issue) => describeIssue(issue)).join("; "));
      continue;
    }
    // One string of tags is a CSV cell's way (splitTagCell); in JSON it is a mistake for a list, as in the API.
    if (format !== "csv" && typeof parsed.data.tags === "string") {
      problem(stringTagsMessage(parsed.data.id, parsed.data.tags));
      continue;
    }
    const item = toContentItem(parsed.data);
    if (typeof item === "string") {
      problem(item);
      continue;
    }
    const kind = parsed.data.tags != null ? "multi" : parsed.data.tag != null ? "single" : null;
    if (kind) {
      const other = kind === "single" ? kinds.multi : kinds.single;
      if (other !== undefined) {
        problem(
          `${kind === "single" ? "`tag` (one class)" : "`tags` (several)"} where ${other} has ${kind === "single" ? "`tags`" : "`tag`"}: a file holds items of one kind; write every item one way, or split the file`,
        );
        continue;
      }
      kinds[kind] ??= place ? `item ${place}` : `line ${line}`;
    }
    items.push({ item, origin: place ? { ...location, item: place } : location });
  }
  if (items.length === 0 && problems.length === 0)
    throw new TagsmithError(
      "invalid_input",
      `no content items in the file: add at least one, with ${CONTENT_FIELDS_HELP}`,
      {
        file,
      },
    );
  return { items, problems, labelMode: kinds.single !== undefined ? "single" : "multi" };
}

/**
 * The label mode files of content share: single-label only when every file is. Files of both kinds are refused,
 * naming one of each; `use` says what they were given for and what mixing them would do ("a model learns from one
 * kind; train on").
 */
export function sharedLabelMode(
  files: readonly { file: string; labelMode: "multi" | "single" }[],
  use: string,
): "multi" | "single" {
  const single = files.find((f) => f.labelMode === "single")?.file;
  const multi = files.find((f) => f.labelMode === "multi")?.file;
  if (single && multi)
    throw new TagsmithError(
      "invalid_input",
      `${single} has one tag per item (a \`tag\` field or column) and ${multi} several (\`tags\`): ${use} files of one kind, or write the single-label items with \`tags: [class]\` to mix them in on purpose`,
    );
  return multi ? "multi" : "single";
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
  return { items: loaded.items.map((l) => l.item), labelMode: loaded.labelMode };
}
