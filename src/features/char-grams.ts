// Finds the character n-grams of a word in the vocabulary by hashing their character codes in place. The plain way,
// one substring and one string-keyed map lookup per n-gram, was a quarter of a suggestion's time: a text has
// hundreds of n-grams, and each new substring must be allocated and hashed.

/** Two independent 32-bit hashes of s[start .. start + length), extended one character at a time. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MIX_SEED = 0x9e3779b9;
const MIX_PRIME = 0x5bd1e995;

function hashPair(text: string): [number, number] {
  let h1 = FNV_OFFSET;
  let h2 = MIX_SEED;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, FNV_PRIME);
    h2 = Math.imul(h2 ^ c, MIX_PRIME) ^ (h2 >>> 13);
  }
  return [h1 | 0, h2 | 0];
}

export class CharGramIndex {
  private readonly first: Int32Array;
  private readonly second: Int32Array;
  private readonly feature: Int32Array;
  private readonly mask: number;
  /** Set only if two vocabulary n-grams share both hashes (never seen; kept so lookups stay exact regardless). */
  private readonly exact: Map<string, number> | undefined;

  constructor(grams: Iterable<[string, number]>) {
    const entries = [...grams];
    let size = 1;
    while (size < entries.length * 2) size <<= 1;
    this.mask = size - 1;
    this.first = new Int32Array(size);
    this.second = new Int32Array(size);
    this.feature = new Int32Array(size).fill(-1);
    let collided = false;
    for (const [gram, index] of entries) {
      const [h1, h2] = hashPair(gram);
      let slot = h1 & this.mask;
      while (this.feature[slot] !== -1) {
        if (this.first[slot] === h1 && this.second[slot] === h2) collided = true;
        slot = (slot + 1) & this.mask;
      }
      this.first[slot] = h1;
      this.second[slot] = h2;
      this.feature[slot] = index;
    }
    this.exact = collided ? new Map(entries) : undefined;
  }

  /** Calls `visit` with the feature index of each n-gram (min <= n <= max) of `padded` that is in the vocabulary. */
  forEachGram(padded: string, min: number, max: number, visit: (feature: number) => void): void {
    const length = padded.length;
    for (let start = 0; start + min <= length; start++) {
      let h1 = FNV_OFFSET;
      let h2 = MIX_SEED;
      for (let n = 1; n <= max && start + n <= length; n++) {
        const c = padded.charCodeAt(start + n - 1);
        h1 = Math.imul(h1 ^ c, FNV_PRIME);
        h2 = Math.imul(h2 ^ c, MIX_PRIME) ^ (h2 >>> 13);
        if (n < min) continue;
        if (this.exact) {
          const index = this.exact.get(padded.slice(start, start + n));
          if (index !== undefined) visit(index);
          continue;
        }
        const a = h1 | 0;
        const b = h2 | 0;
        let slot = a & this.mask;
        while (this.feature[slot] !== -1) {
          if (this.first[slot] === a && this.second[slot] === b) {
            visit(this.feature[slot]);
            break;
          }
          slot = (slot + 1) & this.mask;
        }
      }
    }
  }
}
