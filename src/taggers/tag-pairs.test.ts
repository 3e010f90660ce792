import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { countTagPairs, pairsFromDense, tagPairLookup } from "./tag-pairs.js";

/** dense[a * size + b]: items carrying both a and b, a != b, counted naively. */
function denseCounts(items: readonly number[][], size: number): Int32Array {
  const dense = new Int32Array(size * size);
  for (const gold of items)
    for (const a of gold) for (const b of gold) if (a !== b) dense[a * size + b]++;
  return dense;
}

describe("tag pair counts", () => {
  const size = fc.integer({ min: 0, max: 12 });
  const itemsOf = (n: number) =>
    fc.array(fc.uniqueArray(fc.integer({ min: 0, max: Math.max(n - 1, 0) }), { maxLength: n }), {
      maxLength: 20,
    });

  it("hold exactly the non-zero pairs, rows ascending, as the dense matrix older models stored", () => {
    fc.assert(
      fc.property(
        size.chain((n) => fc.tuple(fc.constant(n), itemsOf(n))),
        ([n, items]) => {
          const pairs = countTagPairs(items, n);
          const dense = denseCounts(items, n);
          expect(pairsFromDense(dense, n)).toEqual(pairs);
          for (let a = 0; a < n; a++) {
            for (let k = pairs.offsets[a] + 1; k < pairs.offsets[a + 1]; k++) {
              expect(pairs.tags[k]).toBeGreaterThan(pairs.tags[k - 1]);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it("are found by pair as the dense matrix gives them, 0 for pairs never seen (dense or hashed)", () => {
    fc.assert(
      fc.property(
        size.chain((n) => fc.tuple(fc.constant(n), itemsOf(n))),
        fc.constantFrom(0, 2 ** 22),
        ([n, items], maxDensePairs) => {
          const lookup = tagPairLookup(countTagPairs(items, n), maxDensePairs);
          const dense = denseCounts(items, n);
          for (let a = 0; a < n; a++) {
            for (let b = 0; b < n; b++) expect(lookup.count(a, b)).toBe(dense[a * n + b]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
