// KeyTable: the keyspace's hash table (key -> value), open addressing with linear probing.
// A JS Map compares a probed key by reading the key string itself, a cache miss per step on a
// large keyspace; here each slot's 32-bit hash sits in an array of small integers, so a probe
// reads only that array and touches a stored key when its hash matches. (A typed array would
// count as external memory and bring on extra full collections as the table grows.) Keys are
// hashed with a per-process random seed (collisions cannot be prepared in advance). Deletion
// shifts the following run of entries back, so there are no tombstones. It is only a lookup
// structure: the database walks its entries through its scan order.

import { randomBytes } from "node:crypto";

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
  private hashes!: number[];
  /** Key of slot i at 2i, its value at 2i + 1. */
  private slots!: (string | V | undefined)[];
  private mask!: number;
  private count!: number;

  constructor() {
    this.clear();
  }

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    const h = hashKey(key);
    const hashes = this.hashes;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const x = hashes[i];
      if (x === 0) return undefined;
      if (x === h && this.slots[2 * i] === key) return this.slots[2 * i + 1] as V;
    }
  }

  set(key: string, value: V): void {
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) this.resize((this.mask + 1) * 2);
    const h = hashKey(key);
    const hashes = this.hashes;
    const mask = this.mask;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const x = hashes[i];
      if (x === 0) {
        hashes[i] = h;
        this.slots[2 * i] = key;
        this.slots[2 * i + 1] = value;
        this.count++;
        return;
      }
      if (x === h && this.slots[2 * i] === key) {
        this.slots[2 * i + 1] = value;
        return;
      }
    }
  }

  /** Removes key; returns whether it was there. */
  delete(key: string): boolean {
    const h = hashKey(key);
    const hashes = this.hashes;
    const slots = this.slots;
    const mask = this.mask;
    let i = h & mask;
    for (; ; i = (i + 1) & mask) {
      const x = hashes[i];
      if (x === 0) return false;
      if (x === h && slots[2 * i] === key) break;
    }
    // Backward shift: move up every later entry of the run whose home slot does not lie in (i, j].
    for (let j = (i + 1) & mask; hashes[j] !== 0; j = (j + 1) & mask) {
      const home = hashes[j] & mask;
      const stays = i <= j ? i < home && home <= j : i < home || home <= j;
      if (stays) continue;
      hashes[i] = hashes[j];
      slots[2 * i] = slots[2 * j];
      slots[2 * i + 1] = slots[2 * j + 1];
      i = j;
    }
    hashes[i] = 0;
    slots[2 * i] = undefined;
    slots[2 * i + 1] = undefined;
    this.count--;
    if (this.mask + 1 > MIN_CAPACITY && this.count * 8 < this.mask + 1) this.resize((this.mask + 1) / 2);
    return true;
  }

  /** Grows the table at once to hold `n` entries without further growth. */
  reserve(n: number): void {
    let capacity = this.mask + 1;
    while (n * 4 > capacity * 3) capacity *= 2;
    if (capacity > this.mask + 1) this.resize(capacity);
  }

  clear(): void {
    this.hashes = new Array<number>(MIN_CAPACITY).fill(0);
    this.slots = new Array(MIN_CAPACITY * 2).fill(undefined);
    this.mask = MIN_CAPACITY - 1;
    this.count = 0;
  }

  private resize(capacity: number): void {
    const oldHashes = this.hashes;
    const oldSlots = this.slots;
    const hashes = new Array<number>(capacity).fill(0);
    const slots: (string | V | undefined)[] = new Array(capacity * 2).fill(undefined);
    const mask = capacity - 1;
    for (let j = 0; j < oldHashes.length; j++) {
      const h = oldHashes[j];
      if (h === 0) continue;
      let i = h & mask;
      while (hashes[i] !== 0) i = (i + 1) & mask;
      hashes[i] = h;
      slots[2 * i] = oldSlots[2 * j];
      slots[2 * i + 1] = oldSlots[2 * j + 1];
    }
    this.hashes = hashes;
    this.slots = slots;
    this.mask = mask;
  }
}
