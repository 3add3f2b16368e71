// ExpiryQueue: names with an absolute time (ms), the earliest found in O(log n). A binary min-heap
// with lazy removal: `times` is the truth, heap slots whose time no longer matches it are stale and
// skipped when they surface; the heap is rebuilt when stale slots outnumber live ones. Used for hash
// field TTLs (fields of one hash) and for active field expiry (hash keys by their next field expiry).

export class ExpiryQueue {
  private readonly times = new Map<string, number>();
  private ats: number[] = [];
  private names: string[] = [];

  get size(): number {
    return this.times.size;
  }

  /** name's time, undefined when it has none. */
  get(name: string): number | undefined {
    return this.times.get(name);
  }

  set(name: string, at: number): void {
    if (this.times.get(name) === at) return;
    this.times.set(name, at);
    this.push(at, name);
    if (this.ats.length > 2 * this.times.size + 32) this.rebuild();
  }

  delete(name: string): boolean {
    return this.times.delete(name);
  }

  /** The earliest time, 0 when empty. */
  peek(): number {
    this.dropStale();
    return this.ats.length === 0 ? 0 : this.ats[0];
  }

  /** Removes and returns the name with the earliest time if that time is at or before t. */
  popDue(t: number): string | undefined {
    this.dropStale();
    if (this.ats.length === 0 || this.ats[0] > t) return undefined;
    const name = this.names[0];
    this.times.delete(name);
    this.popTop();
    return name;
  }

  entries(): IterableIterator<[string, number]> {
    return this.times.entries();
  }

  clear(): void {
    this.times.clear();
    this.ats = [];
    this.names = [];
  }

  private dropStale(): void {
    while (this.ats.length > 0 && this.times.get(this.names[0]) !== this.ats[0]) this.popTop();
  }

  private rebuild(): void {
    this.ats = [];
    this.names = [];
    for (const [name, at] of this.times) this.push(at, name);
  }

  private push(at: number, name: string): void {
    const ats = this.ats;
    const names = this.names;
    let i = ats.length;
    ats.push(at);
    names.push(name);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (ats[parent] <= at) break;
      ats[i] = ats[parent];
      names[i] = names[parent];
      i = parent;
    }
    ats[i] = at;
    names[i] = name;
  }

  private popTop(): void {
    const ats = this.ats;
    const names = this.names;
    const lastAt = ats.pop()!;
    const lastName = names.pop()!;
    const n = ats.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && ats[child + 1] < ats[child]) child++;
      if (ats[child] >= lastAt) break;
      ats[i] = ats[child];
      names[i] = names[child];
      i = child;
    }
    ats[i] = lastAt;
    names[i] = lastName;
  }
}
