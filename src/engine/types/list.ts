// List values: a growable ring buffer of byte strings. Push and pop at both ends are O(1)
// (amortized), access by index is O(1), and inserting or removing in the middle moves only the
// shorter side. The buffer shrinks again when a list loses most of its elements.

import type { TypeOps } from "./index.js";

const MIN_CAPACITY = 8;

export class ListValue {
  /** Slots; capacity is a power of two so positions wrap with a mask. */
  private slots: (string | undefined)[];
  private head = 0;
  private count = 0;

  constructor(capacity = MIN_CAPACITY) {
    this.slots = new Array<string | undefined>(capacity);
  }

  static from(items: Iterable<string>): ListValue {
    const list = new ListValue();
    for (const item of items) list.pushBack(item);
    return list;
  }

  get length(): number {
    return this.count;
  }

  /** The element at index (0 ≤ index < length). */
  at(index: number): string {
    return this.slots[(this.head + index) & (this.slots.length - 1)]!;
  }

  /** Replaces the element at index (0 ≤ index < length). */
  setAt(index: number, value: string): void {
    this.slots[(this.head + index) & (this.slots.length - 1)] = value;
  }

  pushFront(value: string): void {
    if (this.count === this.slots.length) this.resize(this.slots.length * 2);
    this.head = (this.head - 1) & (this.slots.length - 1);
    this.slots[this.head] = value;
    this.count++;
  }

  pushBack(value: string): void {
    if (this.count === this.slots.length) this.resize(this.slots.length * 2);
    this.slots[(this.head + this.count) & (this.slots.length - 1)] = value;
    this.count++;
  }

  /** Removes and returns the first element (undefined when empty). */
  popFront(): string | undefined {
    if (this.count === 0) return undefined;
    const value = this.slots[this.head];
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) & (this.slots.length - 1);
    this.count--;
    this.maybeShrink();
    return value;
  }

  /** Removes and returns the last element (undefined when empty). */
  popBack(): string | undefined {
    if (this.count === 0) return undefined;
    const slot = (this.head + this.count - 1) & (this.slots.length - 1);
    const value = this.slots[slot];
    this.slots[slot] = undefined;
    this.count--;
    this.maybeShrink();
    return value;
  }

  /** Inserts value so that it ends up at index (0 ≤ index ≤ length), moving the shorter side. */
  insertAt(index: number, value: string): void {
    if (index === 0) return this.pushFront(value);
    if (index === this.count) return this.pushBack(value);
    if (this.count === this.slots.length) this.resize(this.slots.length * 2);
    const mask = this.slots.length - 1;
    if (index < this.count / 2) {
      // Open a gap by moving the first `index` elements one slot to the left.
      this.head = (this.head - 1) & mask;
      for (let i = 0; i < index; i++) {
        this.slots[(this.head + i) & mask] = this.slots[(this.head + i + 1) & mask];
      }
    } else {
      for (let i = this.count; i > index; i--) {
        this.slots[(this.head + i) & mask] = this.slots[(this.head + i - 1) & mask];
      }
    }
    this.slots[(this.head + index) & mask] = value;
    this.count++;
  }

  /** Index of the first element equal to value scanning from `from` in direction step (±1), or -1. */
  indexOf(value: string, from = 0, step: 1 | -1 = 1): number {
    const mask = this.slots.length - 1;
    for (let i = from; i >= 0 && i < this.count; i += step) {
      if (this.slots[(this.head + i) & mask] === value) return i;
    }
    return -1;
  }

  /**
   * Removes elements equal to value as LREM does: count > 0 the first count from the head,
   * count < 0 the first -count from the tail, 0 all of them. Returns how many were removed.
   */
  removeMatches(value: string, count: number): number {
    const found: number[] = [];
    const limit = count === 0 ? Infinity : Math.abs(count);
    const step = count < 0 ? -1 : 1;
    for (let i = this.indexOf(value, count < 0 ? this.count - 1 : 0, step); i >= 0; i = this.indexOf(value, i + step, step)) {
      found.push(i);
      if (found.length >= limit) break;
    }
    if (found.length === 0) return 0;
    if (step < 0) found.reverse();
    this.removeSorted(found);
    return found.length;
  }

  /** Keeps only the elements from start to stop inclusive (0 ≤ start ≤ stop < length), or none. */
  trim(start: number, stop: number): void {
    const mask = this.slots.length - 1;
    const keep = stop < start ? 0 : stop - start + 1;
    for (let i = 0; i < start && i < this.count; i++) this.slots[(this.head + i) & mask] = undefined;
    for (let i = start + keep; i < this.count; i++) this.slots[(this.head + i) & mask] = undefined;
    this.head = keep === 0 ? 0 : (this.head + start) & mask;
    this.count = keep;
    this.maybeShrink();
  }

  /** Elements from start to stop inclusive (0 ≤ start ≤ stop < length). */
  range(start: number, stop: number): string[] {
    const out = new Array<string>(stop - start + 1);
    const mask = this.slots.length - 1;
    for (let i = start; i <= stop; i++) out[i - start] = this.slots[(this.head + i) & mask]!;
    return out;
  }

  *[Symbol.iterator](): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  clone(): ListValue {
    const copy = new ListValue(capacityFor(this.count));
    for (let i = 0; i < this.count; i++) copy.slots[i] = this.at(i);
    copy.count = this.count;
    return copy;
  }

  /** Removes the elements at the given ascending indexes, compacting toward the nearer end. */
  private removeSorted(indexes: number[]): void {
    const mask = this.slots.length - 1;
    const first = indexes[0];
    const last = indexes[indexes.length - 1];
    const slot = (i: number) => (this.head + i) & mask;
    if (this.count - first <= last + 1) {
      // Close the gaps by moving later elements toward the head.
      let write = first;
      for (let read = first, k = 0; read < this.count; read++) {
        if (k < indexes.length && indexes[k] === read) k++;
        else this.slots[slot(write++)] = this.slots[slot(read)];
      }
      for (let i = write; i < this.count; i++) this.slots[slot(i)] = undefined;
      this.count = write;
    } else {
      // Close the gaps by moving earlier elements toward the tail.
      let write = last;
      for (let read = last, k = indexes.length - 1; read >= 0; read--) {
        if (k >= 0 && indexes[k] === read) k--;
        else this.slots[slot(write--)] = this.slots[slot(read)];
      }
      const removed = write + 1;
      for (let i = 0; i < removed; i++) this.slots[slot(i)] = undefined;
      this.head = slot(removed);
      this.count -= removed;
    }
    this.maybeShrink();
  }

  private maybeShrink(): void {
    const capacity = this.slots.length;
    if (capacity > MIN_CAPACITY && this.count * 4 < capacity) this.resize(capacityFor(this.count * 2));
  }

  private resize(capacity: number): void {
    const slots = new Array<string | undefined>(capacity);
    for (let i = 0; i < this.count; i++) slots[i] = this.at(i);
    this.slots = slots;
    this.head = 0;
  }
}

/** The smallest power-of-two capacity (at least MIN_CAPACITY) holding n elements. */
function capacityFor(n: number): number {
  let capacity = MIN_CAPACITY;
  while (capacity < n) capacity *= 2;
  return capacity;
}

export const listOps: TypeOps = {
  clone: (value) => (value as ListValue).clone(),
  // Redis 7.0 encodes every list as a quicklist, whatever its size.
  encoding: () => "quicklist",
  // Redis frees a quicklist node by node; nodes hold about 128 small elements (8 kB listpacks).
  freeEffort: (value) => Math.ceil((value as ListValue).length / 128),
};
