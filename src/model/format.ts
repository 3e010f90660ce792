// The model file format: a JSON header and the typed arrays it refers to, in one binary file.
// Loading is one read and one JSON.parse; the arrays are views over the file's bytes, never parsed, and copied (all
// at once) only when the bytes given do not start 8-byte aligned, as typed arrays need.
//
// Layout: "TGSM" | format version (u32 LE) | header length (u32 LE) | header JSON (UTF-8) | padding to 8 | arrays.
// Typed arrays anywhere in the value are replaced in the header by {"$array": i}; arrays[i] gives type, offset, length.

import { TagsmithError } from "../errors.js";

/** 2: the linear model's weights are sparse per feature (version 1 files hold dense weights and are refused). */
export const FORMAT_VERSION = 2;
const MAGIC = "TGSM";

const ARRAY_TYPES = {
  Float32Array,
  Float64Array,
  Int32Array,
  Uint32Array,
  Int16Array,
  Uint16Array,
  Int8Array,
  Uint8Array,
} as const;
type ArrayTypeName = keyof typeof ARRAY_TYPES;
type AnyTypedArray = InstanceType<(typeof ARRAY_TYPES)[ArrayTypeName]>;

interface ArrayEntry {
  type: ArrayTypeName;
  offset: number;
  length: number;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

function typeName(value: unknown): ArrayTypeName | undefined {
  if (!ArrayBuffer.isView(value)) return undefined;
  const name = value.constructor.name as ArrayTypeName;
  return name in ARRAY_TYPES ? name : undefined;
}

/** Encodes a value of plain JSON and typed arrays. The same value always gives the same bytes. */
export function encodeModel(value: unknown): Uint8Array {
  const arrays: AnyTypedArray[] = [];
  const entries: ArrayEntry[] = [];
  let dataLength = 0;
  const json = JSON.stringify(value, (_key, v) => {
    const type = typeName(v);
    if (!type) return v;
    const array = v as AnyTypedArray;
    entries.push({ type, offset: dataLength, length: array.length });
    arrays.push(array);
    dataLength = align8(dataLength + array.byteLength);
    return { $array: entries.length - 1 };
  });
  const header = new TextEncoder().encode(
    JSON.stringify({ arrays: entries, value: JSON.parse(json) }),
  );
  const dataStart = align8(12 + header.length);
  const bytes = new Uint8Array(dataStart + dataLength);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(bytes.buffer);
  view.setUint32(4, FORMAT_VERSION, true);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  arrays.forEach((array, i) => {
    bytes.set(
      new Uint8Array(array.buffer, array.byteOffset, array.byteLength),
      dataStart + entries[i].offset,
    );
  });
  return bytes;
}

/**
 * Where a decoded value holds a number that is not finite (NaN, an infinity), as a path such as
 * `state.linear.scales[3]`, or undefined. No tagger stores one; JSON cannot hold one, so only typed arrays are read.
 */
export function nonFiniteAt(value: unknown, path = "model"): string | undefined {
  if (value instanceof Float32Array || value instanceof Float64Array) {
    for (let i = 0; i < value.length; i++)
      if (!Number.isFinite(value[i])) return `${path}[${i}] (${value[i]})`;
    return undefined;
  }
  if (ArrayBuffer.isView(value) || value === null || typeof value !== "object") return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nonFiniteAt(inner, Array.isArray(value) ? `${path}[${key}]` : `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/** Decodes what encodeModel wrote; typed arrays are views over `bytes`. `file` names the source in errors. */
export function decodeModel(bytes: Uint8Array, file: string): unknown {
  const corrupt = (why: string) =>
    new TagsmithError(
      "invalid_input",
      `not a usable tagsmith model file (${why}): retrain it with tagsmith train`,
      { file },
    );
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC)
    throw corrupt("wrong magic bytes");
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== FORMAT_VERSION) {
    throw corrupt(`format version ${version}, this tagsmith reads version ${FORMAT_VERSION}`);
  }
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw corrupt("truncated header");
  let header: { arrays: ArrayEntry[]; value: unknown };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength)));
  } catch {
    throw corrupt("unreadable header");
  }
  if (!Array.isArray(header?.arrays) || typeof header.value !== "object" || header.value === null)
    throw corrupt("header without its arrays or value");
  const dataStart = align8(12 + headerLength);
  // Arrays must be aligned to their element size: copy into an aligned buffer when the file's bytes are not.
  const base =
    (bytes.byteOffset + dataStart) % 8 === 0 ? bytes : Uint8Array.prototype.slice.call(bytes);
  const arrays = header.arrays.map((entry) => {
    // Own names only: "toString" is no array type.
    const Type = Object.hasOwn(ARRAY_TYPES, entry?.type) ? ARRAY_TYPES[entry.type] : undefined;
    if (!Type) throw corrupt(`unknown array type ${entry?.type}`);
    if (
      !Number.isSafeInteger(entry.offset) ||
      !Number.isSafeInteger(entry.length) ||
      entry.offset < 0 ||
      entry.length < 0
    )
      throw corrupt("an array with no valid offset or length");
    const start = base.byteOffset + dataStart + entry.offset;
    if (dataStart + entry.offset + entry.length * Type.BYTES_PER_ELEMENT > base.length)
      throw corrupt("truncated data");
    return new Type(base.buffer as ArrayBuffer, start, entry.length);
  });
  const revive = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(revive);
    if (v && typeof v === "object") {
      const ref = (v as { $array?: unknown }).$array;
      if (typeof ref === "number" && Object.keys(v).length === 1) {
        const array = arrays[ref];
        if (!array) throw corrupt(`missing array ${ref}`);
        return array;
      }
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, revive(x)]));
    }
    return v;
  };
  return revive(header.value);
}
