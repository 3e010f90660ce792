import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CharGramIndex } from "./char-grams.js";
import { normalizeL2 } from "./sparse.js";
import { fitVectorizer, terms, type VectorizerConfig } from "./tfidf.js";
import { WordGramIndex } from "./word-grams.js";

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
          // The word inside other text: only text[from .. to) is read, padded with spaces.
          const text = `xy${word}zw`;
          index.forEachGram(text, 2, 2 + word.length, 2, 5, (f) => found.push(f));
          expect(found.sort()).toEqual(expected.sort());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("WordGramIndex", () => {
  // Few distinct keys, so runs repeat; "a b" is a key with a space (as NFKC makes of U+037A), "" an empty part.
  const key = fc.constantFrom("a", "b", "c", "a b", "b c", " a", "");
  it("finds exactly the runs of keys whose space-joined string a map finds, in the same order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(key, { minLength: 1, maxLength: 3 }), { maxLength: 30 }),
        fc.array(key, { maxLength: 12 }),
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        (vocabulary, keys, min, extra) => {
          const max = min + extra;
          const terms = [...new Set(vocabulary.map((v) => v.join(" ")))].filter((t) => t !== "");
          const map = new Map(terms.map((t, i) => [t, i]));
          const index = new WordGramIndex(terms.map((t, i) => [t, i] as const));
          const expected: [number, number, number][] = [];
          for (let first = 0; first < keys.length; first++) {
            let gram = "";
            for (let n = 1; n <= max && first + n <= keys.length; n++) {
              gram = n === 1 ? (keys[first] as string) : `${gram} ${keys[first + n - 1]}`;
              const value = map.get(gram);
              if (n >= min && value !== undefined) expected.push([value, first, first + n - 1]);
            }
          }
          const found: [number, number, number][] = [];
          index.forEachGram(keys, min, max, (value, first, last) =>
            found.push([value, first, last]),
          );
          expect(found).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});

/** The vector transform should give, from the strings terms() makes: the reference for the typed-array path. */
function referenceTransform(
  vocabulary: string[],
  idf: Float32Array,
  config: VectorizerConfig,
  text: string,
) {
  const index = new Map(vocabulary.map((t, i) => [t, i]));
  const counts = new Map<number, number>();
  const count = (term: string) => {
    const i = index.get(term);
    if (i !== undefined) counts.set(i, (counts.get(i) ?? 0) + 1);
  };
  terms(
    text,
    config,
    (gram) => count(`w:${gram}`),
    (gram) => count(`c:${gram}`),
  );
  const indices = Int32Array.from(counts.keys()).sort();
  const values = Float32Array.from(indices, (i) => {
    const tf = counts.get(i) as number;
    return (config.sublinearTf ? 1 + Math.log(tf) : tf) * (idf[i] as number);
  });
  const split = indices.findIndex((i) => (vocabulary[i] as string).startsWith("w:"));
  const at = split === -1 ? indices.length : split;
  normalizeL2(values.subarray(0, at));
  normalizeL2(values.subarray(at));
  return { indices, values };
}

describe("Vectorizer.transform", () => {
  const unit = fc.constantFrom(
    "a",
    "b",
    "S",
    "ab",
    "+",
    " ",
    "  ",
    "\t",
    "\n",
    "\u00a0",
    "\u3000",
    "\ufeff",
    "-",
    ".",
    "\u0130",
    "\u037a",
    "\ufb01",
  );
  const text = fc.string({ unit, maxLength: 30 });
  it("gives the vector the term strings give (word trie, char hashes, whitespace found in place)", () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), text, (training, input) => {
        const config: VectorizerConfig = {
          words: { min: 1, max: 2, minDf: 1 },
          chars: { min: 2, max: 4, minDf: 1 },
          sublinearTf: true,
        };
        const vectorizer = fitVectorizer(training, config);
        const { vocabulary, idf } = vectorizer.state;
        expect(vectorizer.transform(input)).toEqual(
          referenceTransform(vocabulary, idf, config, input),
        );
      }),
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
    // Squared length 2: one unit block of chars, one of words.
    expect(vector.values.reduce((sum, v) => sum + v * v, 0)).toBeCloseTo(2, 5);
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
