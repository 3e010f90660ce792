import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jaccard, nearDuplicatePairs, shingles } from "./near-duplicates.js";

// An independent reference for ASCII texts: word 3-shingles (unigrams below three words) as strings, exact Jaccard.
function naiveShingles(text: string): Set<string> {
  const w = text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((x) => x !== "");
  const size = w.length >= 3 ? 3 : 1;
  const set = new Set<string>();
  for (let i = 0; i + size <= w.length; i++) set.add(w.slice(i, i + size).join(" "));
  return set;
}

function naiveJaccard(a: string, b: string): number {
  const x = naiveShingles(a);
  const y = naiveShingles(b);
  const common = [...x].filter((s) => y.has(s)).length;
  return common / (x.size + y.size - common);
}

// 30 distinct words: 28 distinct 3-shingles.
const base = Array.from({ length: 30 }, (_, i) => `word${i}`);
const text30 = base.join(" ");
const replaced = (index: number) => base.map((w, i) => (i === index ? "changed" : w)).join(" ");

describe("shingles", () => {
  it("gives one hash per distinct word 3-shingle, sorted", () => {
    const s = shingles(text30);
    expect(s).toHaveLength(28);
    expect([...s]).toEqual([...s].sort((a, b) => a - b));
    expect(shingles("a b c a b c")).toHaveLength(3); // abc, bca, cab
  });

  it("uses single words for texts under three words, and nothing for no words", () => {
    expect(shingles("deep learning")).toHaveLength(2);
    expect(shingles("deep deep")).toHaveLength(1);
    expect(shingles("")).toHaveLength(0);
    expect(shingles(" -- !! ")).toHaveLength(0);
  });

  it("ignores case, punctuation and spacing", () => {
    expect(shingles("Deep, learning for ALL!")).toEqual(shingles("deep learning   for all"));
  });
});

describe("jaccard", () => {
  it("is |intersection| / |union| of two sorted sets", () => {
    const set = (...xs: number[]) => Uint32Array.from(xs);
    expect(jaccard(set(1, 2, 3), set(1, 2, 3))).toBe(1);
    expect(jaccard(set(1, 2, 3), set(4, 5))).toBe(0);
    expect(jaccard(set(1, 2, 3, 4), set(2, 4, 6))).toBe(2 / 5);
    expect(jaccard(set(), set(1))).toBe(0);
  });
});

describe("nearDuplicatePairs", () => {
  it("pairs identical texts, and texts equal after normalisation, with similarity 1", () => {
    expect(nearDuplicatePairs([text30, "something else entirely here", text30])).toEqual([
      { a: 0, b: 2, similarity: 1 },
    ]);
    expect(
      nearDuplicatePairs(["Deep Learning: a primer, for all", "deep learning a primer for ALL"]),
    ).toEqual([{ a: 0, b: 1, similarity: 1 }]);
  });

  it("pairs a 30-word text with one end word changed: 27 of 29 shingles shared", () => {
    expect(nearDuplicatePairs([text30, replaced(29)])).toEqual([
      { a: 0, b: 1, similarity: 27 / 29 },
    ]);
  });

  it("scores one changed middle word at 25/31 (three shingles lost on each side): paired at 0.8, not 0.9", () => {
    expect(naiveJaccard(text30, replaced(15))).toBe(25 / 31);
    expect(nearDuplicatePairs([text30, replaced(15)], 0.8)).toEqual([
      { a: 0, b: 1, similarity: 25 / 31 },
    ]);
    expect(nearDuplicatePairs([text30, replaced(15)], 0.9)).toEqual([]);
  });

  it("does not pair unrelated texts", () => {
    expect(
      nearDuplicatePairs([
        "Transformers for machine translation of low resource languages",
        "Object detection in drone images with YOLO and anchor boxes",
        "A gentle introduction to gradient boosted decision trees",
      ]),
    ).toEqual([]);
  });

  it("never pairs empty texts, nor texts without words", () => {
    expect(nearDuplicatePairs(["", "", "  ", "!!", "?!"], 0.01)).toEqual([]);
    expect(nearDuplicatePairs(["", text30, ""], 0.01)).toEqual([]);
  });

  it("pairs each pair once, a < b, sorted", () => {
    const pairs = nearDuplicatePairs([text30, text30, "other words here", text30, text30]);
    expect(pairs.map(({ a, b }) => [a, b])).toEqual([
      [0, 1],
      [0, 3],
      [0, 4],
      [1, 3],
      [1, 4],
      [3, 4],
    ]);
  });

  it("keeps only pairs allowPair accepts", () => {
    const texts = [text30, text30, text30, text30];
    const splitOf = [0, 0, 1, 1];
    const pairs = nearDuplicatePairs(texts, 0.9, (a, b) => splitOf[a] !== splitOf[b]);
    expect(pairs.map(({ a, b }) => [a, b])).toEqual([
      [0, 2],
      [0, 3],
      [1, 2],
      [1, 3],
    ]);
  });

  it("gives the same pairs on every run", () => {
    const texts = [text30, replaced(29), replaced(0), replaced(15), "short text", "short text"];
    const first = nearDuplicatePairs(texts, 0.8);
    expect(first.length).toBeGreaterThan(0);
    for (let run = 0; run < 3; run++) expect(nearDuplicatePairs(texts, 0.8)).toEqual(first);
  });

  // Texts and variants of them with one word replaced, often at either end (which keeps Jaccard high in a long text),
  // so that pairs on both sides of the thresholds are common.
  const vocabulary = Array.from({ length: 40 }, (_, i) => `w${i}`);
  const words = fc.array(fc.constantFrom(...vocabulary), { maxLength: 40, size: "max" });
  const position = fc.oneof(fc.constant("first" as const), fc.constant("last" as const), fc.nat());
  const corpus = fc
    .tuple(
      fc.array(words, { minLength: 1, maxLength: 4 }),
      fc.array(fc.tuple(fc.nat(), position, fc.constantFrom(...vocabulary)), { maxLength: 12 }),
    )
    .map(([bases, edits]) => {
      const texts = bases.map((w) => w.join(" "));
      for (const [from, where, word] of edits) {
        const source = (bases[from % bases.length] as string[]).slice();
        const at =
          where === "first"
            ? 0
            : where === "last"
              ? source.length - 1
              : where % (source.length || 1);
        if (source.length > 0) source[at] = word;
        texts.push(source.join(" "));
      }
      return texts;
    });

  it("reports only pairs whose exact shingle Jaccard reaches the threshold", () => {
    fc.assert(
      fc.property(corpus, fc.constantFrom(0.5, 0.7, 0.9, 1), (texts, threshold) => {
        for (const { a, b, similarity } of nearDuplicatePairs(texts, threshold)) {
          expect(a).toBeLessThan(b);
          const expected = naiveJaccard(texts[a] as string, texts[b] as string);
          expect(expected).toBeGreaterThanOrEqual(threshold);
          expect(similarity).toBeCloseTo(expected, 12);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("finds every pair at Jaccard 0.9 or more (LSH misses one with probability below 1e-12)", () => {
    fc.assert(
      fc.property(corpus, (texts) => {
        const found = new Set(nearDuplicatePairs(texts, 0.9).map(({ a, b }) => `${a},${b}`));
        for (let a = 0; a < texts.length; a++) {
          for (let b = a + 1; b < texts.length; b++) {
            const ta = texts[a] as string;
            const tb = texts[b] as string;
            if (naiveShingles(ta).size === 0 || naiveShingles(tb).size === 0) continue;
            if (naiveJaccard(ta, tb) >= 0.9) expect(found, `${ta} | ${tb}`).toContain(`${a},${b}`);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
