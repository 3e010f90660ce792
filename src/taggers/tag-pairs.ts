// How many training items carry two tags together: counted when an ensemble is trained, stored as the pairs that
// occur, and looked up per candidate tag when suggesting.

/**
 * The counts of the pairs of distinct tags that occur: row a lists tags b (ascending) tags[offsets[a] ..
 * offsets[a + 1]) with their counts. Sparse because a dense tags x tags matrix is mostly zeros: trained on all
 * 2,319 Made With ML labels, it was 21.5 MB of a 25.5 MB model, for 46k pairs that occur.
 */
export interface TagPairCounts {
  offsets: Int32Array;
  tags: Int32Array;
  counts: Int32Array;
}

/** Counts the pairs of distinct tags of each item; `goldIndices` hold each item's tag indices, each once. */
export function countTagPairs(
  goldIndices: readonly (readonly number[])[],
  size: number,
): TagPairCounts {
  const rows = Array.from({ length: size }, () => new Map<number, number>());
  for (const gold of goldIndices) {
    for (const a of gold) {
      const row = rows[a];
      for (const b of gold) if (a !== b) row.set(b, (row.get(b) ?? 0) + 1);
    }
  }
  const offsets = new Int32Array(size + 1);
  rows.forEach((row, a) => {
    offsets[a + 1] = offsets[a] + row.size;
  });
  const tags = new Int32Array(offsets[size]);
  const counts = new Int32Array(offsets[size]);
  rows.forEach((row, a) => {
    let at = offsets[a];
    for (const b of [...row.keys()].sort((x, y) => x - y)) {
      tags[at] = b;
      counts[at] = row.get(b) as number;
      at++;
    }
  });
  return { offsets, tags, counts };
}

/** The non-zero pairs of a dense size x size matrix (dense[a * size + b]), as older model files hold them. */
export function pairsFromDense(dense: Int32Array, size: number): TagPairCounts {
  const offsets = new Int32Array(size + 1);
  for (let a = 0; a < size; a++) {
    let nonZero = 0;
    for (let b = 0; b < size; b++) if (dense[a * size + b] !== 0) nonZero++;
    offsets[a + 1] = offsets[a] + nonZero;
  }
  const tags = new Int32Array(offsets[size]);
  const counts = new Int32Array(offsets[size]);
  let at = 0;
  for (let a = 0; a < size; a++) {
    for (let b = 0; b < size; b++) {
      const count = dense[a * size + b];
      if (count === 0) continue;
      tags[at] = b;
      counts[at] = count;
      at++;
    }
  }
  return { offsets, tags, counts };
}

/** Training items carrying both tag a and tag b, by pair; 0 for a pair never seen together. */
export interface TagPairLookup {
  count(a: number, b: number): number;
}

/**
 * Up to this many pairs (2,048 tags), counts are looked up in a dense matrix built at load, 16 MB at most: the Made
 * With ML model (287 tags) then suggests as fast as when its file held the matrix, where the hash table made a
 * suggestion 1% slower (1.5 us of 155). Above, the matrix would cost memory the file no longer does (21.5 MB for all
 * 2,319 Made With ML labels), and the hash table is worth its microseconds.
 */
const MAX_DENSE_PAIRS = 2 ** 22;

/**
 * The counts by pair, each found in one step (binary search of the rows took 2.6 us a suggestion, and spreading the
 * anchors' rows into a scratch array 4.1 us, 31 us on all 2,319 labels: rows of common tags are long).
 */
export function tagPairLookup(
  pairs: TagPairCounts,
  maxDensePairs = MAX_DENSE_PAIRS,
): TagPairLookup {
  const size = pairs.offsets.length - 1;
  return size * size <= maxDensePairs ? new DensePairs(pairs) : new HashedPairs(pairs);
}

class DensePairs implements TagPairLookup {
  private readonly size: number;
  private readonly dense: Int32Array;

  constructor({ offsets, tags, counts }: TagPairCounts) {
    const size = offsets.length - 1;
    this.size = size;
    this.dense = new Int32Array(size * size);
    for (let a = 0; a < size; a++) {
      for (let k = offsets[a]; k < offsets[a + 1]; k++) this.dense[a * size + tags[k]] = counts[k];
    }
  }

  count(a: number, b: number): number {
    return this.dense[a * this.size + b];
  }
}

/** Open addressing with linear probing. */
class HashedPairs implements TagPairLookup {
  private readonly size: number;
  /** a * size + b of the pair in each slot, -1 in an empty one. */
  private readonly keys: Float64Array;
  private readonly counts: Int32Array;
  private readonly mask: number;

  constructor({ offsets, tags, counts }: TagPairCounts) {
    const size = offsets.length - 1;
    this.size = size;
    // At most half full, so a probe sequence is short and always reaches an empty slot.
    let capacity = 1;
    while (capacity < 2 * tags.length) capacity *= 2;
    this.mask = capacity - 1;
    this.keys = new Float64Array(capacity).fill(-1);
    this.counts = new Int32Array(capacity);
    for (let a = 0; a < size; a++) {
      for (let k = offsets[a]; k < offsets[a + 1]; k++) {
        let slot = this.slot(a, tags[k]);
        while (this.keys[slot] !== -1) slot = (slot + 1) & this.mask;
        this.keys[slot] = a * size + tags[k];
        this.counts[slot] = counts[k];
      }
    }
  }

  count(a: number, b: number): number {
    const key = a * this.size + b;
    for (let slot = this.slot(a, b); ; slot = (slot + 1) & this.mask) {
      const found = this.keys[slot];
      if (found === key) return this.counts[slot];
      if (found === -1) return 0;
    }
  }

  private slot(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) + Math.imul(b, 0x85ebca6b)) & this.mask;
  }
}
