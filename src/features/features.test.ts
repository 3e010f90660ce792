import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CharGramIndex } from "./char-grams.js";
import { sparseDot } from "./sparse.js";
import { fitVectorizer } from "./tfidf.js";

describe("CharGramIndex", () => {
  it("finds exactly the n-grams a string-keyed map finds", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ minLength: 1, maxLength: 5 }), { maxLength: 60 }),
        fc.string({ maxLength: 30 }),
        (vocabulary, word) => {
          const grams = [...new Set(vocabulary)].map((g, i) => [g, i] as [string, number]);
          const index = new CharGramIndex(grams);
          const map = new Map(grams);
          const padded = ` ${word} `;
          const expected: number[] = [];
          for (let start = 0; start < padded.length; start++) {
            for (let n = 2; n <= 5 && start + n <= padded.length; n++) {
              const feature = map.get(padded.slice(start, start + n));
              if (feature !== undefined) expected.push(feature);
            }
          }
          const found: number[] = [];
          index.forEachGram(padded, 2, 5, (f) => found.push(f));
          expect(found.sort()).toEqual(expected.sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("fitVectorizer", () => {
  const texts = [
    "deep learning with pytorch",
    "deep reinforcement learning",
    "graph neural networks",
  ];
  const words = { min: 1, max: 1, minDf: 1 };

  it("learns smoothed IDF as scikit-learn does: ln((1 + n) / (1 + df)) + 1", () => {
    const vectorizer = fitVectorizer(texts, { words, chars: null, sublinearTf: false });
    const idf = (term: string) =>
      vectorizer.state.idf[vectorizer.state.vocabulary.indexOf(`w:${term}`)];
    expect(idf("deep")).toBeCloseTo(Math.log(4 / 3) + 1, 6);
    expect(idf("graph")).toBeCloseTo(Math.log(4 / 2) + 1, 6);
  });

  it("drops terms outside minDf and maxDf", () => {
    const vectorizer = fitVectorizer(texts, {
      words: { ...words, minDf: 2 },
      chars: null,
      sublinearTf: true,
    });
    expect(vectorizer.state.vocabulary).toEqual(["w:deep", "w:learning"]);
    const common = fitVectorizer(texts, {
      words: { ...words, maxDf: 0.5 },
      chars: null,
      sublinearTf: true,
    });
    expect(common.state.vocabulary).not.toContain("w:deep");
  });

  it("gives unit-length word and char blocks, and ignores unknown terms", () => {
    const vectorizer = fitVectorizer(texts, {
      words,
      chars: { min: 3, max: 4, minDf: 1 },
      sublinearTf: true,
    });
    const vector = vectorizer.transform("Deep learning, deep!");
    expect(sparseDot(vector, vector)).toBeCloseTo(2, 5);
    expect(vectorizer.transform("zzzz qqqq").indices.length).toBe(0);
    expect([...vector.indices]).toEqual([...vector.indices].sort((a, b) => a - b));
  });

  it("is the same vector however often it is called (the count buffer is reset)", () => {
    const vectorizer = fitVectorizer(texts);
    const once = vectorizer.transform("deep learning with pytorch");
    vectorizer.transform("graph neural networks");
    expect(vectorizer.transform("deep learning with pytorch")).toEqual(once);
  });
});
