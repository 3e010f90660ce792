// Finds word n-grams (runs of token keys) in a vocabulary by walking a trie of part ids: no gram string is built,
// flattened or hashed per lookup. Joining keys with spaces and looking the string up in a map, as the vocabulary's
// terms are written, was a tenth of a suggestion's time (and the rule matcher and keyword model did the same).
//
// Terms are split on single spaces into parts, and the trie is walked part by part. A token key almost never holds a
// space; when one does (NFKC turns a few letters, such as U+037A, into a space and a mark) its parts are walked one
// after the other, so the trie finds exactly the terms the joined string would: a string and its split on " " are
// the same thing written two ways.

const NO_NODE = -1;
/** A token whose key is in no term: every n-gram through it is unknown. */
const UNKNOWN = -1;
/** A token whose key holds a space: walked part by part. */
const SPACED = -2;
const ROOT = 0;

export class WordGramIndex {
  /** Id of each distinct part of the vocabulary's terms. */
  private readonly partIds = new Map<string, number>();
  /** Trie edges in open addressing, 3 ints a slot: parent node, part id, child node (child -1: empty slot). */
  private readonly edges: Int32Array;
  private readonly mask: number;
  /** Per node: the value of the term ending there, or -1 for a prefix of longer terms only. */
  private readonly values: Int32Array;
  /** Part ids of the keys being walked, reused across calls (lookups are synchronous). */
  private ids = new Int32Array(64);

  /** `terms`: space-joined token keys and their values (non-negative); a term given twice keeps its last value. */
  constructor(terms: Iterable<readonly [string, number]>) {
    const children = new Map<string, number>();
    const values: number[] = [NO_NODE];
    const edgeList: number[] = [];
    for (const [term, value] of terms) {
      let node = ROOT;
      for (const part of term.split(" ")) {
        let id = this.partIds.get(part);
        if (id === undefined) {
          id = this.partIds.size;
          this.partIds.set(part, id);
        }
        const edge = `${node}:${id}`;
        let child = children.get(edge);
        if (child === undefined) {
          child = values.length;
          values.push(NO_NODE);
          children.set(edge, child);
          edgeList.push(node, id, child);
        }
        node = child;
      }
      values[node] = value;
    }
    this.values = Int32Array.from(values);
    let size = 2;
    while (size < children.size * 2) size <<= 1;
    this.mask = size - 1;
    this.edges = new Int32Array(size * 3).fill(NO_NODE);
    for (let e = 0; e < edgeList.length; e += 3) {
      const node = edgeList[e];
      const part = edgeList[e + 1];
      let slot = slotOf(node, part) & this.mask;
      while (this.edges[slot * 3 + 2] !== NO_NODE) slot = (slot + 1) & this.mask;
      this.edges[slot * 3] = node;
      this.edges[slot * 3 + 1] = part;
      this.edges[slot * 3 + 2] = edgeList[e + 2];
    }
  }

  /**
   * Calls `visit(value, first, last)` for each run keys[first .. last] of min to max keys (joined by spaces) that is
   * a term, in order of first key, then length: the order of the nested loops that build the strings.
   */
  forEachGram(
    keys: readonly string[],
    min: number,
    max: number,
    visit: (value: number, first: number, last: number) => void,
  ): void {
    const count = keys.length;
    if (this.ids.length < count) this.ids = new Int32Array(Math.max(count, this.ids.length * 2));
    const { ids, values } = this;
    for (let i = 0; i < count; i++) {
      const key = keys[i];
      const id = this.partIds.get(key);
      // A miss is usually a word outside the vocabulary; only then is it worth looking for a space.
      ids[i] = id !== undefined ? id : key.includes(" ") ? SPACED : UNKNOWN;
    }
    for (let first = 0; first < count; first++) {
      let node = ROOT;
      for (let n = 1; n <= max && first + n <= count; n++) {
        const last = first + n - 1;
        node = this.step(node, ids[last], keys[last]);
        if (node === NO_NODE) break;
        if (n >= min && values[node] >= 0) visit(values[node], first, last);
      }
    }
  }

  /** The node reached from `node` through one token. */
  private step(node: number, id: number, key: string): number {
    if (id >= 0) return this.child(node, id);
    if (id === UNKNOWN) return NO_NODE;
    let at = node;
    for (const part of key.split(" ")) {
      const partId = this.partIds.get(part);
      if (partId === undefined) return NO_NODE;
      at = this.child(at, partId);
      if (at === NO_NODE) return NO_NODE;
    }
    return at;
  }

  private child(node: number, part: number): number {
    const { edges, mask } = this;
    let slot = slotOf(node, part) & mask;
    for (;;) {
      const child = edges[slot * 3 + 2];
      if (child === NO_NODE) return NO_NODE;
      if (edges[slot * 3] === node && edges[slot * 3 + 1] === part) return child;
      slot = (slot + 1) & mask;
    }
  }
}

function slotOf(node: number, part: number): number {
  let h = Math.imul(node, 0x9e3779b1) ^ part;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}
