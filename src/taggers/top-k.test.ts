import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { topK, topKAbove } from "./top-k.js";

/** What topK should give: a full sort, largest first, ties to the lower index. */
function sortedTop(scores: number[], k: number, candidates: number[], floor?: number): number[] {
  return candidates
    .filter((i) => floor === undefined || scores[i] > floor)
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, Math.max(k, 0));
}

describe("topK, topKAbove", () => {
  // Few distinct values, so ties are common.
  const scores = fc.array(fc.constantFrom(0, 0.25, 0.5, 1, 2), { maxLength: 40 });

  it("gives the k best of all scores as a full sort does, ties to the lower index", () => {
    fc.assert(
      fc.property(scores, fc.integer({ min: -1, max: 45 }), (values, k) => {
        const all = values.map((_, i) => i);
        expect(topK(Float32Array.from(values), k)).toEqual(sortedTop(values, k, all));
      }),
      { numRuns: 500 },
    );
  });

  it("considers only the candidates, in whatever order they come, and only scores above the floor", () => {
    fc.assert(
      fc.property(
        scores.chain((values) =>
          fc.tuple(
            fc.constant(values),
            fc.shuffledSubarray(
              values.map((_, i) => i),
              { minLength: 0 },
            ),
          ),
        ),
        fc.integer({ min: 0, max: 45 }),
        ([values, candidates], k) => {
          expect(topKAbove(Float32Array.from(values), k, candidates, 0)).toEqual(
            sortedTop(values, k, candidates, 0),
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});
