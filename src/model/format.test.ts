import { describe, expect, it } from "vitest";
import { TagsmithError } from "../errors.js";
import { decodeModel, encodeModel } from "./format.js";

describe("model format", () => {
  const value = {
    kind: "linear",
    nested: { weights: Int16Array.from([1, -2, 3]), scales: Float32Array.from([0.5, 0.25]) },
    list: [Int32Array.from([7, 8, 9]), "text", 3.5, null],
    bytes: Uint8Array.from([1, 2, 3, 4, 5]),
  };

  it("round-trips JSON values and typed arrays", () => {
    const decoded = decodeModel(encodeModel(value), "m.bin") as typeof value;
    expect(decoded).toEqual(value);
    expect(decoded.nested.weights).toBeInstanceOf(Int16Array);
  });

  it("gives the same bytes for the same value", () => {
    expect(encodeModel(value)).toEqual(encodeModel(structuredClone(value)));
  });

  it("reads arrays from a buffer at any offset (as a Buffer from a pool may be)", () => {
    const bytes = encodeModel(value);
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(decodeModel(shifted.subarray(3), "m.bin")).toEqual(value);
  });

  it("reads a Node Buffer whose bytes are not 8-byte aligned", () => {
    const bytes = encodeModel(value);
    const pool = Buffer.alloc(bytes.length + 5);
    pool.set(bytes, 5);
    expect(decodeModel(pool.subarray(5), "m.bin")).toEqual(value);
  });

  it("refuses files that are not models, truncated, or of another format version", () => {
    const bytes = encodeModel(value);
    const error = (b: Uint8Array) => {
      try {
        decodeModel(b, "m.bin");
      } catch (e) {
        return e;
      }
      return undefined;
    };
    expect(error(new TextEncoder().encode("not a model at all"))).toBeInstanceOf(TagsmithError);
    expect(String(error(bytes.subarray(0, bytes.length - 8)))).toMatch(/truncated/);
    const other = bytes.slice();
    new DataView(other.buffer).setUint32(4, 99, true);
    expect(String(error(other))).toMatch(/format version 99/);
  });
});
