// Text files are read as UTF-8, strictly: bytes that are not UTF-8 (a Latin-1 "café", a UTF-16 export) are an error
// naming the file and line, not letters silently replaced by U+FFFD and carried into splits, models and exports.

import { createReadStream } from "node:fs";
import { Transform } from "node:stream";
import { TagsmithError } from "../errors.js";

const REPLACEMENT = "\uFFFD";

function notUtf8(file: string, line: number, bytes: Uint8Array, start: boolean): TagsmithError {
  const utf16 =
    start &&
    bytes.length >= 2 &&
    ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  return new TagsmithError(
    "invalid_input",
    `not valid UTF-8${utf16 ? " (it looks like UTF-16)" : ""}: save the file as UTF-8`,
    { file, line },
  );
}

/** Newlines before the first byte that is not UTF-8 (a U+FFFD the bytes really hold is not one). */
function newlinesBeforeBadByte(bytes: Uint8Array): number {
  const lossy = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  for (let i = lossy.indexOf(REPLACEMENT); i >= 0; i = lossy.indexOf(REPLACEMENT, i + 1)) {
    const byte = Buffer.byteLength(lossy.slice(0, i));
    const genuine = bytes[byte] === 0xef && bytes[byte + 1] === 0xbf && bytes[byte + 2] === 0xbd;
    if (!genuine) return lossy.slice(0, i).split("\n").length - 1;
  }
  return 0;
}

/** A whole file's bytes as text, a byte-order mark dropped. */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw notUtf8(file, newlinesBeforeBadByte(bytes) + 1, bytes, true);
  }
}

/** A file streamed as text (for files too large to hold), failing at the first line that is not UTF-8. */
export function readUtf8Stream(file: string): NodeJS.ReadableStream {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let lines = 0;
  let start = true;
  const text = new Transform({
    decodeStrings: true,
    readableObjectMode: false,
    transform(chunk: Buffer, _encoding, done) {
      try {
        const decoded = decoder.decode(chunk, { stream: true });
        for (let i = decoded.indexOf("\n"); i >= 0; i = decoded.indexOf("\n", i + 1)) lines++;
        start = false;
        done(null, decoded);
      } catch {
        done(notUtf8(file, lines + newlinesBeforeBadByte(chunk) + 1, chunk, start));
      }
    },
    flush(done) {
      try {
        done(null, decoder.decode());
      } catch {
        done(notUtf8(file, lines + 1, new Uint8Array(), false));
      }
    },
  });
  const bytes = createReadStream(file);
  bytes.on("error", (error) => text.destroy(error));
  return bytes.pipe(text);
}
