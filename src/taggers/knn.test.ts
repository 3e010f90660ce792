import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bestTags } from "./knn.js";

describe("bestTags", () => {
  it("gives the k best tags as a stable sort of `order` by share does (ties in `order`'s order)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 29 }), { maxLength: 30 }),
        fc.array(fc.constantFrom(0.1, 0.25, 0.5, 1), { minLength: 30, maxLength: 30 }),
        fc.integer({ min: 0, max: 35 }),
        (order, shares, k) => {
          const scores = Float64Array.from(shares);
          const sorted = order
            .slice()
            .sort((a, b) => scores[b] - scores[a])
            .slice(0, k);
          expect(bestTags({ scores, order }, k)).toEqual(sorted);
        },
      ),
      { numRuns: 500 },
    );
  });
});
