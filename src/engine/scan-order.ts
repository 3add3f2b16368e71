// ScanOrder: a stable iteration order for a keyed collection, so SCAN-family cursors keep Redis's
// guarantee: an element present for the whole scan is returned (here: exactly once), whatever is
// added or removed meanwhile. Keys sit in a dense array of positions, each with an increasing
// sequence number; the cursor is the sequence number to resume from. Deleted positions become
// holes that new keys reuse (so a collection whose size stays bounded keeps a bounded array and
// every scan terminates, as in Redis); holes are compacted away once they dominate. A value may
// sit beside each key: the keyspace's KeyTable keeps its entries here, so walking every entry
// (SAVE, KEYS, snapshots) reads memory in the order it was filled.

/** Holes are compacted away once there are more than this many and they are half the positions. */
const MIN_HOLES_TO_COMPACT = 64;

export class ScanOrder<V = undefined> {
  /** Position p: its key at 2p (null for a hole), its value at 2p + 1. */
  private items: (string | V | null)[] = [];
  /** Sequence number of each position (increasing; a reused hole keeps its number). */
  private seqs: number[] = [];
  /** Holes new keys can take. */
  private free: number[] = [];
  private count = 0;
  private nextSeq = 1;

  get size(): number {
    return this.count;
  }

  /** Registers a new key; returns its sequence number (store it to remove the key later). */
  add(key: string): number {
    return this.seqs[this.insert(key, undefined as V)];
  }

  /** Places a new key with its value; returns its position (valid until a removal compacts). */
  insert(key: string, value: V): number {
    this.count++;
    const p = this.free.pop();
    if (p === undefined) {
      this.seqs.push(this.nextSeq++);
      this.items.push(key, value);
      return this.seqs.length - 1;
    }
    this.items[2 * p] = key;
    this.items[2 * p + 1] = value;
    return p;
  }

  remove(seq: number): void {
    const p = this.positionOf(seq);
    if (p < this.seqs.length && this.seqs[p] === seq && this.items[2 * p] !== null) this.removeAt(p);
  }

  /**
   * Makes position p a hole. When that compacts the order, returns where every old position went
   * (holders of positions must update them); null otherwise.
   */
  removeAt(p: number): Int32Array | null {
    this.items[2 * p] = null;
    this.items[2 * p + 1] = null;
    this.free.push(p);
    this.count--;
    const holes = this.seqs.length - this.count;
    return holes > MIN_HOLES_TO_COMPACT && holes * 2 > this.seqs.length ? this.compact() : null;
  }

  keyAt(p: number): string {
    return this.items[2 * p] as string;
  }

  valueAt(p: number): V {
    return this.items[2 * p + 1] as V;
  }

  setValueAt(p: number, value: V): void {
    this.items[2 * p + 1] = value;
  }

  seqAt(p: number): number {
    return this.seqs[p];
  }

  clear(): void {
    this.items = [];
    this.seqs = [];
    this.free = [];
    this.count = 0;
  }

  /**
   * Visits up to `count` positions starting at cursor; returns the cursor to continue from
   * (0 = done). Holes count toward `count`, as Redis's empty buckets do. The order must not change
   * during the walk.
   */
  scan(cursor: number, count: number, visit: (key: string, value: V, position: number) => void): number {
    const seqs = this.seqs;
    let p = cursor <= 1 ? 0 : this.positionOf(cursor);
    const end = Math.min(seqs.length, p + Math.max(1, count));
    for (; p < end; p++) {
      const key = this.items[2 * p];
      if (key !== null) visit(key as string, this.items[2 * p + 1] as V, p);
    }
    return p < seqs.length ? seqs[p] : 0;
  }

  /** Every occupied position, in order; the order must not change meanwhile. */
  *positions(): IterableIterator<number> {
    const items = this.items;
    for (let p = 0; 2 * p < items.length; p++) if (items[2 * p] !== null) yield p;
  }

  /** A uniformly random key, or null when empty. */
  random(): string | null {
    if (this.count === 0) return null;
    for (;;) {
      const key = this.items[2 * Math.floor(Math.random() * this.seqs.length)];
      if (key !== null) return key as string;
    }
  }

  /** First position whose sequence number is >= seq. */
  private positionOf(seq: number): number {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid] < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private compact(): Int32Array {
    const items: (string | V | null)[] = [];
    const seqs: number[] = [];
    const moved = new Int32Array(this.seqs.length);
    for (let p = 0; p < this.seqs.length; p++) {
      if (this.items[2 * p] === null) continue;
      moved[p] = seqs.length;
      seqs.push(this.seqs[p]);
      items.push(this.items[2 * p], this.items[2 * p + 1]);
    }
    this.items = items;
    this.seqs = seqs;
    this.free = [];
    return moved;
  }
}
