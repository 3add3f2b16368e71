// KeyTable: the keyspace's hash table (key -> value), laid out as a compact dictionary: keys and
// values sit in a ScanOrder (dense, in the order they were added, with SCAN's sequence numbers),
// and an open-addressing index (linear probing, backward-shift deletion, no tombstones) maps a key
// to its position there. Each index slot holds the key's 32-bit hash beside the position, so a
// probe reads one small-integer array and touches a stored key only when its hash matches. (A JS
// Map reads the key string itself at every probe, a cache miss each on a large keyspace; a typed
// array would count as external memory and bring on extra full collections as the table grows.)
// Walking every entry reads the dense order in the order memory was filled. Keys are hashed with a
// per-process random seed (collisions cannot be prepared in advance).

import { randomBytes } from "node:crypto";
import { ScanOrder } from "./scan-order.js";

const SEED = randomBytes(4).readInt32LE(0);
const MIN_CAPACITY = 16;

/** Murmur3-style hash of a byte string, four chars per step; never 0 (0 marks an empty slot). */
export function hashKey(s: string): number {
  let h = SEED ^ s.length;
  const n = s.length;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    let w = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
    w = Math.imul(w, 0xcc9e2d51);
    w = (w << 15) | (w >>> 17);
    h ^= Math.imul(w, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  for (; i < n; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x5bd1e995);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 1;
}

export class KeyTable<V> {
  /** Keys and values by position; positions stay valid until the next add or delete. */
  readonly order = new ScanOrder<V>();
  /** Index slot i: the key's hash at 2i (0 = empty slot), its position at 2i + 1. */
  private index!: number[];
  private mask!: number;

  constructor() {
    this.clear();
  }

  get size(): number {
    return this.order.size;
  }

  /** Position of key in the order, or -1 when it is not there. */
  find(key: string): number {
    const i = this.probe(key, hashKey(key));
    return this.index[2 * i] === 0 ? -1 : this.index[2 * i + 1];
  }

  get(key: string): V | undefined {
    const p = this.find(key);
    return p < 0 ? undefined : this.order.valueAt(p);
  }

  /** Adds key with value unless it is there already; returns its new position, or -1. */
  add(key: string, value: V): number {
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) this.resize((this.mask + 1) * 2);
    const h = hashKey(key);
    const i = this.probe(key, h);
    if (this.index[2 * i] !== 0) return -1;
    const p = this.order.insert(key, value);
    this.index[2 * i] = h;
    this.index[2 * i + 1] = p;
    return p;
  }

  /** Removes key; returns whether it was there. */
  delete(key: string): boolean {
    const index = this.index;
    const mask = this.mask;
    let i = this.probe(key, hashKey(key));
    if (index[2 * i] === 0) return false;
    const p = index[2 * i + 1];
    // Backward shift: move up every later slot of the run whose home slot does not lie in (i, j].
    for (let j = (i + 1) & mask; index[2 * j] !== 0; j = (j + 1) & mask) {
      const home = index[2 * j] & mask;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      index[2 * i] = index[2 * j];
      index[2 * i + 1] = index[2 * j + 1];
      i = j;
    }
    index[2 * i] = 0;
    index[2 * i + 1] = 0;
    const moved = this.order.removeAt(p);
    if (moved !== null) for (let s = 0; s < index.length; s += 2) if (index[s] !== 0) index[s + 1] = moved[index[s + 1]];
    if (this.mask + 1 > MIN_CAPACITY && this.size * 8 < this.mask + 1) this.resize((this.mask + 1) / 2);
    return true;
  }

  /** The index slot holding key (hash h), or the empty slot where its probe run ends. */
  private probe(key: string, h: number): number {
    const index = this.index;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const x = index[2 * i];
      if (x === 0 || (x === h && this.order.keyAt(index[2 * i + 1]) === key)) return i;
    }
  }

  /** Grows the index at once to hold `n` keys without further growth. */
  reserve(n: number): void {
    let capacity = this.mask + 1;
    while (n * 4 > capacity * 3) capacity *= 2;
    if (capacity > this.mask + 1) this.resize(capacity);
  }

  clear(): void {
    this.order.clear();
    this.index = new Array<number>(MIN_CAPACITY * 2).fill(0);
    this.mask = MIN_CAPACITY - 1;
  }

  private resize(capacity: number): void {
    const old = this.index;
    const index = new Array<number>(capacity * 2).fill(0);
    const mask = capacity - 1;
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j];
      if (h === 0) continue;
      let i = h & mask;
      while (index[2 * i] !== 0) i = (i + 1) & mask;
      index[2 * i] = h;
      index[2 * i + 1] = old[j + 1];
    }
    this.index = index;
    this.mask = mask;
  }
}
