// ScanOrder: a stable iteration order for a keyed collection, so SCAN-family cursors keep Redis's
// guarantee: an element present for the whole scan is returned (here: exactly once), whatever is
// added or removed meanwhile. Every slot has an increasing sequence number; the cursor is the
// sequence number to resume from. Deleted slots become holes that new keys reuse (so a collection
// whose size stays bounded keeps a bounded slot array and every scan terminates, as in Redis);
// holes are compacted away once they dominate. The keyspace also keeps each key's value beside it,
// so walking every entry (SAVE, KEYS, snapshots) reads memory in the order it was filled instead
// of looking each key up.

export class ScanOrder<V = undefined> {
  private keys: (string | null)[] = [];
  private seqs: number[] = [];
  /** Values beside keys when kept (see the constructor); null otherwise. */
  private values: (V | undefined)[] | null;
  private holes = 0;
  /** Indexes of holes that new keys can take. */
  private free: number[] = [];
  private nextSeq = 1;

  /** keepValues: store a value with each key (add's second argument), handed to scan and entries. */
  constructor(private readonly keepValues = false) {
    this.values = keepValues ? [] : null;
  }

  /** Registers a new key; returns its sequence number (store it to remove the key later). */
  add(key: string, value?: V): number {
    const reuse = this.free.pop();
    if (reuse !== undefined) {
      this.keys[reuse] = key;
      if (this.values !== null) this.values[reuse] = value;
      this.holes--;
      return this.seqs[reuse];
    }
    const seq = this.nextSeq++;
    this.keys.push(key);
    this.seqs.push(seq);
    if (this.values !== null) this.values.push(value);
    return seq;
  }

  remove(seq: number): void {
    const i = this.indexOf(seq);
    if (i < this.seqs.length && this.seqs[i] === seq && this.keys[i] !== null) {
      this.keys[i] = null;
      if (this.values !== null) this.values[i] = undefined;
      this.holes++;
      this.free.push(i);
      if (this.holes > 64 && this.holes * 2 > this.keys.length) this.compact();
    }
  }

  clear(): void {
    this.keys = [];
    this.seqs = [];
    this.values = this.keepValues ? [] : null;
    this.free = [];
    this.holes = 0;
  }

  get size(): number {
    return this.keys.length - this.holes;
  }

  /**
   * Visits up to `count` slots starting at cursor; returns the cursor to continue from (0 = done).
   * Empty slots count toward `count`, as Redis's empty buckets do.
   */
  scan(cursor: number, count: number, visit: (key: string, value: V) => void): number {
    let i = cursor <= 1 ? 0 : this.indexOf(cursor);
    const end = Math.min(this.keys.length, i + Math.max(1, count));
    for (; i < end; i++) {
      const key = this.keys[i];
      if (key !== null) visit(key, this.values?.[i] as V);
    }
    return i < this.keys.length ? this.seqs[i] : 0;
  }

  /** Every key with its value, in slot order; the order must not change meanwhile. */
  *entries(): IterableIterator<[string, V]> {
    const keys = this.keys;
    const values = this.values;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key !== null) yield [key, values?.[i] as V];
    }
  }

  /** A uniformly random key, or null when empty. */
  random(): string | null {
    if (this.size === 0) return null;
    for (;;) {
      const key = this.keys[Math.floor(Math.random() * this.keys.length)];
      if (key !== null) return key;
    }
  }

  /** First index whose sequence number is >= seq. */
  private indexOf(seq: number): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): void {
    const keys: string[] = [];
    const seqs: number[] = [];
    const values: (V | undefined)[] | null = this.values !== null ? [] : null;
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i];
      if (key !== null) {
        keys.push(key);
        seqs.push(this.seqs[i]);
        values?.push(this.values![i]);
      }
    }
    this.keys = keys;
    this.seqs = seqs;
    this.values = values;
    this.free = [];
    this.holes = 0;
  }
}
