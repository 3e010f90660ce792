// TF-IDF features from word n-grams and character n-grams within words, as sparse unit vectors.
// Written here rather than taken from a library: no maintained npm package gives sklearn-equivalent TF-IDF on typed
// arrays, and the suggestion hot path needs allocation-light code.

import { tokenize } from "../text/index.js";
import { CharGramIndex } from "./char-grams.js";
import { normalizeL2, type SparseVector } from "./sparse.js";

export interface NgramConfig {
  /** Smallest and largest n. */
  min: number;
  max: number;
  /** Terms in fewer training texts than this are dropped. */
  minDf: number;
  /** Terms in more than this share of training texts are dropped (stop words, for the nearest-neighbour index). */
  maxDf?: number;
}

export interface VectorizerConfig {
  words: NgramConfig | null;
  chars: NgramConfig | null;
  /** 1 + log(tf) instead of raw counts. */
  sublinearTf: boolean;
}

export const DEFAULT_VECTORIZER: VectorizerConfig = {
  words: { min: 1, max: 2, minDf: 2 },
  // 3- to 5-grams seen in 3 or more texts: as good as 2- to 5-grams on the benchmark split, with fewer features
  // (faster training and suggestions).
  chars: { min: 3, max: 5, minDf: 3 },
  sublinearTf: true,
};

/**
 * The terms of a text with repeats: word n-grams (of matching keys: lower case, plurals folded) and character n-grams
 * within whitespace-separated words padded with spaces, as scikit-learn's char_wb analyzer makes them.
 */
export function terms(
  text: string,
  config: VectorizerConfig,
  emitWord: (gram: string) => void,
  emitChars: (gram: string) => void,
): void {
  if (config.words) {
    const words = tokenize(text).map((t) => t.key);
    const { min, max } = config.words;
    for (let i = 0; i < words.length; i++) {
      let gram = "";
      for (let n = 1; n <= max && i + n <= words.length; n++) {
        gram = n === 1 ? words[i] : `${gram} ${words[i + n - 1]}`;
        if (n >= min) emitWord(gram);
      }
    }
  }
  if (config.chars) {
    const { min, max } = config.chars;
    for (const padded of paddedWords(text)) {
      for (let n = min; n <= max; n++) {
        if (padded.length < n) break;
        for (let i = 0; i + n <= padded.length; i++) emitChars(padded.slice(i, i + n));
      }
    }
  }
}

/** Whitespace-separated words, lower-cased and padded with a space on each side (the char n-gram units). */
function paddedWords(text: string): string[] {
  return text
    .toLowerCase()
    .split(/\s+/)
    .filter((word) => word !== "")
    .map((word) => ` ${word} `);
}

// Vocabulary entries carry a prefix so word and character terms never collide: "w:deep learning", "c:dee".
const WORD = "w:";
const CHARS = "c:";

export interface VectorizerState {
  config: VectorizerConfig;
  /** Terms in feature-index order. */
  vocabulary: string[];
  idf: Float32Array;
}

export class Vectorizer {
  private readonly wordIndex = new Map<string, number>();
  private readonly charIndex: CharGramIndex;
  /** Vocabulary is sorted, so char terms ("c:") come first: feature indices from here on are word terms. */
  private readonly firstWordFeature: number;
  /** Term counts of the text being transformed, reused across calls (transform is synchronous). */
  private readonly counts: Uint16Array;

  constructor(readonly state: VectorizerState) {
    const charGrams: [string, number][] = [];
    state.vocabulary.forEach((term, i) => {
      if (term.startsWith(WORD)) this.wordIndex.set(term.slice(WORD.length), i);
      else charGrams.push([term.slice(CHARS.length), i]);
    });
    this.charIndex = new CharGramIndex(charGrams);
    const first = state.vocabulary.findIndex((term) => term.startsWith(WORD));
    this.firstWordFeature = first === -1 ? state.vocabulary.length : first;
    this.counts = new Uint16Array(state.vocabulary.length);
  }

  get size(): number {
    return this.state.vocabulary.length;
  }

  /** The TF-IDF vector of a text, L2-normalised per block (chars, words) as two stacked unit vectors. */
  transform(text: string): SparseVector {
    const { counts } = this;
    const seen: number[] = [];
    const count = (index: number | undefined) => {
      if (index === undefined) return;
      if (counts[index] === 0) seen.push(index);
      if (counts[index] < 65535) counts[index]++;
    };
    const { config } = this.state;
    terms(
      text,
      { ...config, chars: null },
      (gram) => count(this.wordIndex.get(gram)),
      () => {},
    );
    if (config.chars) {
      const { min, max } = config.chars;
      for (const padded of paddedWords(text)) this.charIndex.forEachGram(padded, min, max, count);
    }
    const indices = Int32Array.from(seen).sort();
    const values = new Float32Array(indices.length);
    const { idf } = this.state;
    let split = indices.length;
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      const tf = counts[index];
      counts[index] = 0;
      values[i] = (config.sublinearTf ? 1 + Math.log(tf) : tf) * idf[index];
      if (index >= this.firstWordFeature && split === indices.length) split = i;
    }
    normalizeL2(values.subarray(0, split));
    normalizeL2(values.subarray(split));
    return { indices, values };
  }
}

/** Learns the vocabulary (terms meeting minDf) and smoothed IDF, as scikit-learn's TfidfVectorizer does. */
export function fitVectorizer(
  texts: readonly string[],
  config: VectorizerConfig = DEFAULT_VECTORIZER,
): Vectorizer {
  const documentFrequency = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    terms(
      text,
      config,
      (gram) => seen.add(WORD + gram),
      (gram) => seen.add(CHARS + gram),
    );
    for (const term of seen) documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
  }
  const n = texts.length;
  const keep = (term: string, df: number) => {
    const ngrams = term.startsWith(WORD) ? config.words : config.chars;
    return df >= (ngrams?.minDf ?? 1) && df <= (ngrams?.maxDf ?? 1) * n;
  };
  // Sorted, so the vocabulary (hence the model file) is the same on every run and each block is contiguous.
  const vocabulary = [...documentFrequency]
    .filter(([term, df]) => keep(term, df))
    .map(([term]) => term)
    .sort();
  const idf = Float32Array.from(
    vocabulary,
    (term) => Math.log((1 + n) / (1 + (documentFrequency.get(term) as number))) + 1,
  );
  return new Vectorizer({ config, vocabulary, idf });
}
