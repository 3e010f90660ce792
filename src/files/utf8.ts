// Text files are read as UTF-8, strictly: bytes that are not UTF-8 (a Latin-1 "café", a UTF-16 export) are an error
// naming the file and line, not letters silently replaced by U+FFFD and carried into splits, models and exports.
// Lines are counted by line feeds in the bytes: 0x0A is never part of a multi-byte UTF-8 character.

import { createReadStream } from "node:fs";
import { Transform } from "node:stream";
import { TagsmithError } from "../errors.js";

const LINE_FEED = 0x0a;
const EMPTY = new Uint8Array(0);

const strict = new TextDecoder("utf-8", { fatal: true });

/**
 * The bytes as text, a byte order mark dropped; undefined when they are not UTF-8. Every reader (files here, request
 * bodies in serve/) refuses such bytes in its own terms rather than carrying U+FFFD into content, splits and models.
 */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

function notUtf8(file: string, line: number, utf16: boolean): TagsmithError {
  return new TagsmithError(
    "invalid_input",
    `not valid UTF-8${utf16 ? " (it looks like UTF-16)" : ""}: save the file as UTF-8`,
    { file, line },
  );
}

const looksUtf16 = (bytes: Uint8Array) =>
  (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);

/** Line feeds in bytes[0, end). */
function lineFeeds(bytes: Uint8Array, end = bytes.length): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (bytes[i] === LINE_FEED) n++;
  return n;
}

/**
 * Where the first byte that is not UTF-8 is, in bytes that start on a character boundary. The lossy decoding's
 * first U+FFFD marks it, unless the bytes really hold a U+FFFD there (EF BF BD).
 */
function badByteOffset(bytes: Uint8Array): number {
  const lossy = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  for (let i = lossy.indexOf("\uFFFD"); i >= 0; i = lossy.indexOf("\uFFFD", i + 1)) {
    const at = Buffer.byteLength(lossy.slice(0, i));
    if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) return at;
  }
  return bytes.length;
}

/** The bytes of a character cut off at the end of a chunk: the decoder holds them until the next one. */
function cutCharacter(bytes: Uint8Array): Uint8Array {
  let start = bytes.length - 1;
  while (start >= 0 && bytes.length - start <= 3 && ((bytes[start] as number) & 0xc0) === 0x80)
    start--;
  if (start < 0) return EMPTY;
  const lead = bytes[start] as number;
  const length = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return bytes.length - start < length ? bytes.subarray(start) : EMPTY;
}

/** A whole file's bytes as text, a byte-order mark dropped. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  const text = strictUtf8(bytes);
  if (text === undefined)
    throw notUtf8(file, lineFeeds(bytes, badByteOffset(bytes)) + 1, looksUtf16(bytes));
  return text;
}

/** A file streamed as text (for files too large to hold), failing at the first line that is not UTF-8. */
export function readUtf8Stream(file: string): NodeJS.ReadableStream {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines = 0;
  let first = true;
  let held: Uint8Array = EMPTY; // the end of the last chunk the decoder holds
  const text = new Transform({
    decodeStrings: true,
    transform(chunk: Buffer, _encoding, done) {
      const utf16 = first && looksUtf16(chunk);
      first = false;
      let decoded: string;
      try {
        decoded = decoder.decode(chunk, { stream: true });
      } catch {
        const bytes = Buffer.concat([held, chunk]);
        done(notUtf8(file, lines + lineFeeds(bytes, badByteOffset(bytes)) + 1, utf16));
        return;
      }
      lines += lineFeeds(chunk);
      held = cutCharacter(Buffer.concat([held, chunk]).subarray(-4));
      done(null, decoded);
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(notUtf8(file, lines + 1, false));
      }
    },
  });
  const bytes = createReadStream(file);
  bytes.on("error", (error) => text.destroy(error));
  return bytes.pipe(text);
}
