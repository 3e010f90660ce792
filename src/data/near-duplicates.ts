// Exact and near-duplicate detection: MinHash signatures with locality-sensitive hashing, verified by exact Jaccard.
// Hand-written because it is small, must be deterministic, and no maintained npm package offers MinHash + LSH.

import { words } from "../text/index.js";

export interface DuplicatePair {
  a: number;
  b: number;
  /** Jaccard similarity of the two texts' word shingles, 0..1. */
  similarity: number;
}

const HASHES = 128;
const BANDS = 32; // 32 bands of 4 rows: pairs at Jaccard 0.9 collide in some band with probability > 0.9999
const ROWS = HASHES / BANDS;

/** Word 3-shingles of a text (word unigrams when the text is shorter), hashed to 32 bits. */
export function shingles(text: string): Uint32Array {
  const w = words(text);
  const size = w.length >= 3 ? 3 : 1;
  const set = new Set<number>();
  for (let i = 0; i + size <= w.length; i++) set.add(fnv1a(w.slice(i, i + size).join(" ")));
  return Uint32Array.from([...set].sort((x, y) => x - y));
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Fixed multipliers and offsets (from a seeded generator) so signatures are the same on every run. */
const COEFFICIENTS = (() => {
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return Array.from({ length: HASHES }, () => [next() | 1, next()] as const);
})();

function signature(set: Uint32Array): Uint32Array {
  const sig = new Uint32Array(HASHES).fill(0xffffffff);
  for (let h = 0; h < HASHES; h++) {
    const [a, b] = COEFFICIENTS[h] as readonly [number, number];
    let min = 0xffffffff;
    for (const x of set) {
      const v = (Math.imul(a, x) + b) >>> 0;
      if (v < min) min = v;
    }
    sig[h] = min;
  }
  return sig;
}

/** Exact Jaccard similarity of two sorted sets. */
export function jaccard(x: Uint32Array, y: Uint32Array): number {
  if (x.length === 0 && y.length === 0) return 1;
  let i = 0;
  let j = 0;
  let common = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      common++;
      i++;
      j++;
    } else if ((x[i] as number) < (y[j] as number)) i++;
    else j++;
  }
  return common / (x.length + y.length - common);
}

/**
 * Pairs of texts whose shingle Jaccard similarity is at least `threshold`, each pair once (a < b), sorted by index.
 * Empty texts are never paired. `allowPair` can restrict pairs (e.g. to pairs across two splits).
 */
export function nearDuplicatePairs(
  texts: readonly string[],
  threshold = 0.9,
  allowPair: (a: number, b: number) => boolean = () => true,
): DuplicatePair[] {
  const sets = texts.map(shingles);
  const buckets = new Map<string, number[]>();
  sets.forEach((set, index) => {
    if (set.length === 0) return;
    const sig = signature(set);
    for (let band = 0; band < BANDS; band++) {
      const key = `${band}:${sig.subarray(band * ROWS, (band + 1) * ROWS).join(",")}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(index);
      else buckets.set(key, [index]);
    }
  });
  const seen = new Set<number>();
  const pairs: DuplicatePair[] = [];
  for (const bucket of buckets.values()) {
    for (let i = 0; i < bucket.length; i++) {
      for (let j = i + 1; j < bucket.length; j++) {
        const a = bucket[i] as number;
        const b = bucket[j] as number;
        const key = a * texts.length + b;
        if (seen.has(key) || !allowPair(a, b)) continue;
        seen.add(key);
        const similarity = jaccard(sets[a] as Uint32Array, sets[b] as Uint32Array);
        if (similarity >= threshold) pairs.push({ a, b, similarity });
      }
    }
  }
  return pairs.sort((p, q) => p.a - q.a || p.b - q.b);
}
