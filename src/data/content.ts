// Labeled content: the record schema shared by every file format, and its normalised in-memory form.

import { z } from "zod";
import { normalizeText } from "../text/index.js";

/** A piece of content as tagsmith sees it: normalised text and the author's tags, as given. */
export interface ContentItem {
  id: string;
  /** ISO 8601 (UTC) when the file gave a date, else null. */
  createdOn: string | null;
  title: string;
  description: string;
  tags: string[];
  /**
   * Title and description as the file wrote them, when reading changed them (normalizeText: NFKC, whitespace
   * folded): what a file written from the items (data split's parts) holds, so "E=mc²" and paragraph breaks survive.
   */
  asWritten?: { title: string; description: string };
}

/** Where a record came from, for reports a data owner can act on. */
export interface Origin {
  file: string;
  line: number;
  /**
   * 1-based place in a JSON array, when the record shares its line with another (a file written on one line): there
   * the line names no record.
   */
  item?: number;
}

export interface LocatedItem {
  item: ContentItem;
  origin: Origin;
}

/** How a record's fields are named, for messages that say how to fix a record or a CSV header. */
export const CONTENT_FIELDS_HELP = "id, title and optionally created_on, description, tags or tag";

/** Unknown fields or columns, named; the accepted ones, so the message says how to fix it. */
export function unknownFieldsMessage(names: readonly string[], noun: "field" | "column"): string {
  const listed = names.map((n) => (n === "" ? "(an empty name)" : `"${n}"`)).join(", ");
  return `unknown ${noun}${names.length > 1 ? "s" : ""} ${listed}: the accepted names are ${CONTENT_FIELDS_HELP}; rename or remove ${names.length > 1 ? "them" : "it"}`;
}

export const BOTH_TAG_FIELDS =
  "both tags and tag are given: keep one (tags for a list of tags, tag for a single label)";

/**
 * A record in any format. `tags` is a list, or in CSV a delimited string; `tag` is the single-label form (as in Made
 * With ML's dataset.csv). Any other field is refused, and so are both together: a misspelt field ("tgas") or a
 * second label column would otherwise be dropped without a word and the item trained on as unlabeled.
 */
export const ContentRecordSchema = z
  .strictObject(
    {
      id: z.union([z.string().trim().min(1, "must not be empty"), z.number().int()], {
        error: "required: a non-empty string or an integer",
      }),
      created_on: z.string().nullish(),
      // Absent and of another type are told apart: "required" for a title of 5 sends the user looking for a typo.
      title: z.string({
        error: (issue) => (issue.input === undefined ? "required: a string" : "must be a string"),
      }),
      description: z.string({ error: "must be a string" }).nullish(),
      tags: z
        .union([z.array(z.string()), z.string()], { error: "must be a list of strings" })
        .nullish(),
      tag: z.string({ error: "must be a string" }).nullish(),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys" ? unknownFieldsMessage(issue.keys, "field") : undefined,
    },
  )
  // null counts as not given, as exports write absent values
  .refine((record) => record.tags == null || record.tag == null, BOTH_TAG_FIELDS);

/** The field names a record may have (CSV header names too). */
export const CONTENT_FIELDS: readonly string[] = Object.keys(ContentRecordSchema.shape);

export type ContentRecord = z.infer<typeof ContentRecordSchema>;

// A date, optionally a time, optionally a zone. Only this shape is read: Date.parse alone would also accept "1" (as
// 2001) or "02/17/2020" (in the machine's time zone), so the same file would give different dates on two machines.
// Zones may be written Z, +02:00, +0200 or +02 (as PostgreSQL exports them).
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(?:(Z)|([+-]\d{2}):?(\d{2})?)?)?$/;

/** "2020-02-17 06:30:41" (no zone: read as UTC) or any ISO 8601 date to canonical ISO; null if unparseable. */
export function parseCreatedOn(value: string): string | null {
  const trimmed = value.trim();
  const match = ISO_DATE.exec(trimmed);
  if (!match) return null;
  const [, year, month, day, time, utc, zoneHours, zoneMinutes] = match;
  // Date.parse rolls 2020-02-30 over to March 1: a day the month does not have is not a date
  const calendar = new Date(0);
  calendar.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  if (calendar.getUTCMonth() !== Number(month) - 1 || calendar.getUTCDate() !== Number(day))
    return null;
  const date = `${year}-${month}-${day}`;
  const zone = utc ?? (zoneHours ? `${zoneHours}:${zoneMinutes ?? "00"}` : "Z");
  const parsed = Date.parse(time === undefined ? date : `${date}T${time}${zone}`);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

/** Splits a CSV tags cell: a JSON list, or names separated by commas, semicolons or pipes. */
export function splitTagCell(cell: string): string[] {
  const trimmed = cell.trim();
  if (trimmed.startsWith("[")) {
    try {
      const list = JSON.parse(trimmed);
      if (Array.isArray(list)) return list.map(String);
    } catch {
      // not JSON after all: fall through to delimiters
    }
  }
  return trimmed.split(/[,;|]/);
}

/** Turns a validated record into an item; returns a problem message instead when a field is unusable. */
export function toContentItem(record: ContentRecord): ContentItem | string {
  let createdOn: string | null = null;
  if (record.created_on != null && record.created_on.trim() !== "") {
    createdOn = parseCreatedOn(record.created_on);
    if (createdOn === null) {
      return `created_on: "${record.created_on}" is not a date: use ISO 8601, e.g. 2020-02-17 06:30:41`;
    }
  }
  const rawTags =
    record.tags != null
      ? typeof record.tags === "string"
        ? splitTagCell(record.tags)
        : record.tags
      : record.tag != null
        ? [record.tag]
        : [];
  const tags = [...new Set(rawTags.map(normalizeText).filter((t) => t !== ""))];
  const written = { title: record.title, description: record.description ?? "" };
  const title = normalizeText(written.title);
  const description = normalizeText(written.description);
  return {
    id: String(record.id).trim(),
    createdOn,
    title,
    description,
    tags,
    ...(title !== written.title || description !== written.description
      ? { asWritten: written }
      : {}),
  };
}

/** Title and description as one text, the input every tagger reads. */
export function contentText(item: Pick<ContentItem, "title" | "description">): string {
  return item.description ? `${item.title}. ${item.description}` : item.title;
}
