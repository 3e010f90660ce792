// Finds the character n-grams of a word in the vocabulary by hashing their character codes in place. The plain way,
// one substring and one string-keyed map lookup per n-gram, was a quarter of a suggestion's time: a text has
// hundreds of n-grams, and each new substring must be allocated and hashed.

/** Two independent 32-bit hashes of s[start .. start + length), extended one character at a time. */
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const MIX_SEED = 0x9e3779b9;
const MIX_PRIME = 0x5bd1e995;
const SPACE = 32;
/** Ints per table slot: feature (-1: empty), first hash, second hash, unused (keeps slots 16-byte aligned). */
const SLOT = 4;

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
  /**
   * One array with the three fields of a slot side by side: a probe that hits reads one cache line, not three (the
   * table is a few hundred KB, so most probes miss the cache).
   */
  private readonly slots: Int32Array;
  private readonly mask: number;
  /** Set only if two vocabulary n-grams share both hashes (never seen; kept so lookups stay exact regardless). */
  private readonly exact: Map<string, number> | undefined;

  constructor(grams: Iterable<[string, number]>) {
    const entries = [...grams];
    let size = 1;
    while (size < entries.length * 2) size <<= 1;
    this.mask = size - 1;
    this.slots = new Int32Array(size * SLOT);
    for (let slot = 0; slot < size; slot++) this.slots[slot * SLOT] = -1;
    let collided = false;
    for (const [gram, index] of entries) {
      const [h1, h2] = hashPair(gram);
      let slot = h1 & this.mask;
      while (this.slots[slot * SLOT] !== -1) {
        if (this.slots[slot * SLOT + 1] === h1 && this.slots[slot * SLOT + 2] === h2)
          collided = true;
        slot = (slot + 1) & this.mask;
      }
      this.slots[slot * SLOT] = index;
      this.slots[slot * SLOT + 1] = h1;
      this.slots[slot * SLOT + 2] = h2;
    }
    this.exact = collided ? new Map(entries) : undefined;
  }

  /**
   * Calls `visit` with the feature index of each n-gram (min <= n <= max) in the vocabulary of the word
   * text[from .. to) padded with a space on each side; the padded word is never built.
   */
  forEachGram(
    text: string,
    from: number,
    to: number,
    min: number,
    max: number,
    visit: (feature: number) => void,
  ): void {
    if (this.exact) {
      this.forEachGramExact(` ${text.slice(from, to)} `, min, max, visit, this.exact);
      return;
    }
    const { slots, mask } = this;
    const length = to - from + 2;
    // Character k of the padded word: the spaces at either end, else text[from + k - 1].
    const charAt = (k: number) =>
      k === 0 || k === length - 1 ? SPACE : text.charCodeAt(from + k - 1);
    for (let start = 0; start + min <= length; start++) {
      let h1 = FNV_OFFSET;
      let h2 = MIX_SEED;
      for (let n = 1; n <= max && start + n <= length; n++) {
        const c = charAt(start + n - 1);
        h1 = Math.imul(h1 ^ c, FNV_PRIME);
        h2 = Math.imul(h2 ^ c, MIX_PRIME) ^ (h2 >>> 13);
        if (n < min) continue;
        const a = h1 | 0;
        const b = h2 | 0;
        let slot = a & mask;
        for (;;) {
          const feature = slots[slot * SLOT];
          if (feature === -1) break;
          if (slots[slot * SLOT + 1] === a && slots[slot * SLOT + 2] === b) {
            visit(feature);
            break;
          }
          slot = (slot + 1) & mask;
        }
      }
    }
  }

  private forEachGramExact(
    padded: string,
    min: number,
    max: number,
    visit: (feature: number) => void,
    exact: Map<string, number>,
  ): void {
    for (let start = 0; start + min <= padded.length; start++) {
      for (let n = min; n <= max && start + n <= padded.length; n++) {
        const index = exact.get(padded.slice(start, start + n));
        if (index !== undefined) visit(index);
      }
    }
  }
}
