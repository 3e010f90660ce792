// Strict UTF-8: bytes that are not UTF-8 are refused by every reader (files, request bodies), never replaced by U+FFFD
// and carried into stored content, splits and models. Each reader says where, in its own terms.

const strict = new TextDecoder("utf-8", { fatal: true });

/** The bytes as text, a byte order mark dropped; undefined when they are not UTF-8. */
export function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}
