// Reading JSON files with errors that name the file and line, for loaders of taxonomies and content.

import { readFile, stat } from "node:fs/promises";
import { TagsmithError } from "../errors.js";

function unreadable(error: unknown, file: string): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT")
    return new TagsmithError("file_not_found", "file not found: check the path", { file });
  if (code === "EISDIR")
    return new TagsmithError("file_not_found", "is a directory, expected a file", { file });
  if (code === "EACCES")
    return new TagsmithError("file_not_found", "permission denied: cannot read the file", { file });
  return error;
}

/** Checks that a file exists and is a regular file before it is streamed. */
export async function assertReadableFile(file: string): Promise<void> {
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error(), { code: "EISDIR" });
  } catch (error) {
    throw unreadable(error, file);
  }
}

/** Reads a whole text file (a byte-order mark dropped); a missing or unreadable file becomes a clear error naming it. */
export async function readText(file: string): Promise<string> {
  try {
    const text = await readFile(file, "utf8");
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch (error) {
    throw unreadable(error, file);
  }
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses JSON text; a syntax error names the file, line and column. */
export function parseJson(text: string, file: string, lineOffset = 0): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position ? lineAndColumn(text, Number(position[1])) : undefined;
    const reason = message
      .replace(/^JSON\.parse: /, "")
      .replace(/ in JSON at position \d+.*$/s, "");
    throw new TagsmithError(
      "malformed_input",
      `malformed JSON (${reason}): fix the syntax there`,
      where ? { file, line: where.line + lineOffset, column: where.column } : { file },
    );
  }
}

export async function readJson(file: string): Promise<unknown> {
  return parseJson(await readText(file), file);
}

/**
 * The line on which each element of a top-level JSON array starts, so a schema problem in element i can be reported
 * as "file:line". A small scanner rather than a parser: it only tracks strings and nesting depth.
 */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectValue = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inString) {
      if (c === 92)
        i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (depth === 1 && expectValue && c !== 93) {
      lines.push(line);
      expectValue = false;
    }
    if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      depth++;
      if (depth === 1 && c === 91) expectValue = true;
    } else if (c === 93 || c === 125) depth--;
    else if (c === 44 && depth === 1) expectValue = true;
  }
  return lines;
}
