import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sparsify } from "./linear.js";

/** sparsify as a full sort of every feature's classes: the reference for its selection of the largest. */
function sortedSparsify(columns: Float32Array[], features: number, perFeature: number) {
  const { scales } = sparsify(columns, features, perFeature);
  const keep = Math.min(perFeature, columns.length);
  const offsets = [0];
  const tags: number[] = [];
  const weights: number[] = [];
  const order = columns.map((_, c) => c);
  for (let f = 0; f < features; f++) {
    order.sort((a, b) => Math.abs(columns[b][f]) - Math.abs(columns[a][f]) || a - b);
    for (const c of order.slice(0, keep)) {
      const weight = Math.round(columns[c][f] / scales[c]);
      if (weight === 0) continue;
      tags.push(c);
      weights.push(weight);
    }
    offsets.push(tags.length);
  }
  return {
    featureOffsets: Int32Array.from(offsets),
    featureTags: Uint16Array.from(tags),
    featureWeights: Int16Array.from(weights),
    scales,
  };
}

describe("sparsify", () => {
  it("keeps each feature's largest weights as a full sort does (by |weight|, ties to the lower tag)", () => {
    // Few distinct magnitudes of both signs, so ties are common; tiny ones quantise to 0 and are dropped.
    const weight = fc.constantFrom(0, 1e-7, -1e-7, 0.5, -0.5, 1, -1, 2.25, -3);
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 1, max: 14 }),
        fc.infiniteStream(weight),
        (classes, features, perFeature, stream) => {
          const columns = Array.from({ length: classes }, () =>
            Float32Array.from({ length: features }, () => stream.next().value as number),
          );
          expect(sparsify(columns, features, perFeature)).toEqual(
            sortedSparsify(columns, features, perFeature),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
