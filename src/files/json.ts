// Reading JSON files with errors that name the file and line, for loaders of taxonomies and content.

import { readFile, stat } from "node:fs/promises";
import { TagsmithError } from "../errors.js";
import { decodeUtf8 } from "./utf8.js";

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

/**
 * Checks that a file exists and can be read to its end before it is read: a device (a data file linked to
 * /dev/urandom) would be read without end.
 */
export async function assertReadableFile(file: string): Promise<void> {
  let endless: boolean;
  try {
    const info = await stat(file);
    if (info.isDirectory()) throw Object.assign(new Error(), { code: "EISDIR" });
    // A named pipe ends when its writer does (zcat data.jsonl.gz > fifo): only devices and sockets are refused.
    endless = info.isCharacterDevice() || info.isBlockDevice() || info.isSocket();
  } catch (error) {
    throw unreadable(error, file);
  }
  if (endless)
    throw new TagsmithError(
      "invalid_input",
      "a device or socket, not a file, which could be read without end: give a file",
      { file },
    );
}

/**
 * Reads a whole UTF-8 text file (a byte-order mark dropped); a missing or unreadable file, or bytes that are not UTF-8,
 * become a clear error naming it.
 */
export async function readText(file: string): Promise<string> {
  await assertReadableFile(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw unreadable(error, file);
  }
  return decodeUtf8(bytes, file);
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

/**
 * Offset of the first syntax error in text that JSON.parse rejected. Node 20's messages give no position for
 * "Unexpected token" (a trailing comma, a missing value) nor for "Unexpected end", so a small scanner finds it.
 */
function syntaxErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = () => {
    while (i < text.length && " \t\n\r".includes(text.charAt(i))) i++;
  };
  const expect = (word: string) => {
    for (const ch of word) {
      if (text.charAt(i) !== ch) fail();
      i++;
    }
  };
  const digits = () => {
    const start = i;
    while (/[0-9]/.test(text.charAt(i))) i++;
    if (i === start) fail();
  };
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail();
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c < 0x20) fail();
      if (c === 92) {
        i++;
        if (text.charAt(i) === "u") {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text.charAt(i))) fail();
          }
        } else if (!'"\\/bfnrt'.includes(text.charAt(i)) || i >= text.length) fail();
      }
      i++;
    }
    i++;
  };
  const number = () => {
    if (text.charAt(i) === "-") i++;
    if (text.charAt(i) === "0") i++;
    else digits();
    if (text.charAt(i) === ".") {
      i++;
      digits();
    }
    if (text.charAt(i) === "e" || text.charAt(i) === "E") {
      i++;
      if (text.charAt(i) === "+" || text.charAt(i) === "-") i++;
      digits();
    }
  };
  const value = (): void => {
    space();
    const c = text.charAt(i);
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      i++;
      space();
      if (text.charAt(i) === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === "{") {
          space();
          if (text.charAt(i) !== '"') fail();
          string();
          space();
          expect(":");
        }
        value();
        space();
        if (text.charAt(i) === close) {
          i++;
          return;
        }
        expect(",");
      }
    }
    if (c === '"') string();
    else if (c === "t") expect("true");
    else if (c === "f") expect("false");
    else if (c === "n") expect("null");
    else number();
  };
  try {
    value();
    space();
    return i < text.length ? i : undefined;
  } catch (offset) {
    return typeof offset === "number" ? offset : undefined;
  }
}

/**
 * Parses JSON text; a syntax error names the file, line and column. Text with nothing but white space is an empty
 * file (JSON.parse's "unexpected end" at its last line would read as a file cut short), said as such.
 */
export function parseJson(text: string, file: string, lineOffset = 0): unknown {
  if (text.trim() === "")
    throw new TagsmithError(
      "malformed_input",
      "the file is empty: it should hold JSON; check that this is the right file, or write its content",
      { file },
    );
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : syntaxErrorOffset(text);
    const where = offset === undefined ? undefined : lineAndColumn(text, offset);
    // V8 quotes the text around the error (Unexpected token '}', "..." is not valid JSON): dropped, it may span lines
    const reason = message
      .replace(/^JSON\.parse: /, "")
      .replace(/, .*is not valid JSON$/s, "")
      .replace(/( in JSON)? at position \d+.*$/s, "");
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
