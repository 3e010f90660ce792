// TF-IDF features from word n-grams and character n-grams within words, as sparse unit vectors.
// Written here rather than taken from a library: no maintained npm package gives sklearn-equivalent TF-IDF on typed
// arrays, and the suggestion hot path needs allocation-light code.

import { tokenize } from "../text/index.js";
import { CharGramIndex } from "./char-grams.js";
import { normalizeL2, type SparseVector } from "./sparse.js";
import { WordGramIndex } from "./word-grams.js";

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

export const DEFAULT_WORD_NGRAMS: NgramConfig = { min: 1, max: 2, minDf: 2 };
// 3- to 5-grams seen in 3 or more texts: as good as 2- to 5-grams on the benchmark split, with fewer features
// (faster training and suggestions).
export const DEFAULT_CHAR_NGRAMS: NgramConfig = { min: 3, max: 5, minDf: 3 };

export const DEFAULT_VECTORIZER: VectorizerConfig = {
  words: DEFAULT_WORD_NGRAMS,
  chars: DEFAULT_CHAR_NGRAMS,
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

// Per UTF-16 code unit: 0 not yet tested, 1 matched by /\s/ (a separator of paddedWords), 2 not. Filled as code
// units are met, so words are found without splitting the text yet exactly where /\s+/ would split it.
const WHITESPACE = new Uint8Array(65536);
function isWhitespace(c: number): boolean {
  let known = WHITESPACE[c];
  if (known === 0) {
    known = /\s/.test(String.fromCharCode(c)) ? 1 : 2;
    WHITESPACE[c] = known;
  }
  return known === 1;
}

export interface VectorizerState {
  config: VectorizerConfig;
  /** Terms in feature-index order. */
  vocabulary: string[];
  idf: Float32Array;
}

export class Vectorizer {
  private readonly wordIndex: WordGramIndex;
  private readonly charIndex: CharGramIndex;
  /** Vocabulary is sorted, so char terms ("c:") come first: feature indices from here on are word terms. */
  private readonly firstWordFeature: number;
  /**
   * Term counts of the text being transformed and the features counted so far, reused across calls (transform is
   * synchronous): a text's few hundred terms cost no allocation each.
   */
  private readonly counts: Uint16Array;
  private readonly seen: Int32Array;
  private seenCount = 0;
  private readonly count = (feature: number): void => {
    const { counts } = this;
    if (counts[feature] === 0) this.seen[this.seenCount++] = feature;
    if (counts[feature] < 65535) counts[feature]++;
  };

  constructor(readonly state: VectorizerState) {
    const wordGrams: [string, number][] = [];
    const charGrams: [string, number][] = [];
    state.vocabulary.forEach((term, i) => {
      if (term.startsWith(WORD)) wordGrams.push([term.slice(WORD.length), i]);
      else charGrams.push([term.slice(CHARS.length), i]);
    });
    this.wordIndex = new WordGramIndex(wordGrams);
    this.charIndex = new CharGramIndex(charGrams);
    const first = state.vocabulary.findIndex((term) => term.startsWith(WORD));
    this.firstWordFeature = first === -1 ? state.vocabulary.length : first;
    this.counts = new Uint16Array(state.vocabulary.length);
    this.seen = new Int32Array(state.vocabulary.length);
  }

  get size(): number {
    return this.state.vocabulary.length;
  }

  /**
   * The TF-IDF vector of a text, L2-normalised per block (chars, words) as two stacked unit vectors. `keys` are the
   * text's token keys (tokenize(text), keys only) when the caller has them already.
   */
  transform(text: string, keys?: readonly string[]): SparseVector {
    const { counts, count } = this;
    const { config } = this.state;
    this.seenCount = 0;
    if (config.words) {
      const { min, max } = config.words;
      this.wordIndex.forEachGram(keys ?? tokenize(text).map((t) => t.key), min, max, count);
    }
    if (config.chars) {
      const { min, max } = config.chars;
      // The words of paddedWords(text), as ranges of the lower-cased text.
      const lower = text.toLowerCase();
      let start = -1;
      for (let i = 0; i <= lower.length; i++) {
        if (i < lower.length && !isWhitespace(lower.charCodeAt(i))) {
          if (start === -1) start = i;
        } else if (start !== -1) {
          this.charIndex.forEachGram(lower, start, i, min, max, count);
          start = -1;
        }
      }
    }
    // Indices and values in one buffer: a typed array over 64 bytes costs an off-heap allocation (about 1 us).
    const n = this.seenCount;
    const buffer = new ArrayBuffer(n * 8);
    const indices = new Int32Array(buffer, 0, n);
    const values = new Float32Array(buffer, n * 4, n);
    indices.set(this.seen.subarray(0, n));
    indices.sort();
    const { idf } = this.state;
    let split = indices.length;
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      const tf = counts[index];
      counts[index] = 0;
      // Most terms occur once, and 1 + log(1) is exactly 1: skipping the logarithm saves hundreds of calls a text.
      const weight = config.sublinearTf ? (tf === 1 ? 1 : 1 + Math.log(tf)) : tf;
      values[i] = weight * idf[index];
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
