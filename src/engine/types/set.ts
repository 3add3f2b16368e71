// Set values: a Map of member → scan sequence, plus what Redis 7.0's encoding implies for the
// commands: "intset" while every member is an int64 and the set is small (members come out in
// numeric order, SSCAN answers in one call), converted one way to "hashtable" on the first other
// member or past set-max-intset-entries. A ScanOrder, built on first need, gives SSCAN stable
// cursors and SPOP/SRANDMEMBER O(1) random picks.

import { isInt64 } from "../../commands/args.js";
import type { Config } from "../../config.js";
import { ScanOrder } from "../scan-order.js";
import type { TypeOps } from "./index.js";

/** Orders canonical int64 strings numerically without parsing them. */
function compareIntegers(a: string, b: string): number {
  const negA = a.charCodeAt(0) === 45;
  const negB = b.charCodeAt(0) === 45;
  if (negA !== negB) return negA ? -1 : 1;
  if (a === b) return 0;
  // Same sign: a longer number is bigger (smaller when negative), else compare digits.
  const aSmaller = a.length !== b.length ? a.length < b.length : a < b;
  return aSmaller !== negA ? -1 : 1;
}

/**
 * count distinct random items of a collection of size items (count < size), uniformly: a partial
 * shuffle of all items when count is a big share of them, else random picks until enough distinct.
 */
export function sampleDistinct<T>(size: number, count: number, all: () => T[], random: () => T, id: (item: T) => string): T[] {
  if (count * 3 > size) {
    const items = all();
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (items.length - i));
      const item = items[j];
      items[j] = items[i];
      items[i] = item;
    }
    items.length = count;
    return items;
  }
  const picked = new Map<string, T>();
  while (picked.size < count) {
    const item = random();
    picked.set(id(item), item);
  }
  return [...picked.values()];
}

export class SetValue {
  /** Member → its ScanOrder sequence number (0 until the order is built). */
  private readonly members = new Map<string, number>();
  /** True while Redis would keep this set as an intset; never becomes true again. */
  intset = true;
  private order: ScanOrder | null = null;

  /** A set holding the given members; maxIntset is set-max-intset-entries. */
  static from(members: Iterable<string>, maxIntset: number): SetValue {
    const set = new SetValue();
    for (const member of members) set.add(member, maxIntset);
    return set;
  }

  get size(): number {
    return this.members.size;
  }

  has(member: string): boolean {
    return this.members.has(member);
  }

  /** Adds member; returns true when it is new. Converts to hashtable as Redis would. */
  add(member: string, maxIntset: number): boolean {
    if (this.members.has(member)) return false;
    if (this.intset && (this.members.size >= maxIntset || !isInt64(member))) this.intset = false;
    this.members.set(member, this.order === null ? 0 : this.order.add(member));
    return true;
  }

  delete(member: string): boolean {
    const seq = this.members.get(member);
    if (seq === undefined) return false;
    this.members.delete(member);
    if (this.order !== null) this.order.remove(seq);
    return true;
  }

  /** A uniformly random member (the set must not be empty). */
  random(): string {
    return this.ensureOrder().random()!;
  }

  /** Removes and returns a uniformly random member (the set must not be empty). */
  pop(): string {
    const member = this.random();
    this.delete(member);
    return member;
  }

  /** count distinct random members (count < size). */
  randomDistinct(count: number): string[] {
    return sampleDistinct(this.members.size, count, () => [...this.members.keys()], () => this.random(), (m) => m);
  }

  /** The members in the order Redis returns them: numeric for intsets, insertion order otherwise. */
  values(): Iterable<string> {
    if (!this.intset) return this.members.keys();
    return [...this.members.keys()].sort(compareIntegers);
  }

  /** One SSCAN step over a hashtable set: visits about count members from cursor; returns the next cursor. */
  scan(cursor: number, count: number, visit: (member: string) => void): number {
    return this.ensureOrder().scan(cursor, count, visit);
  }

  clone(): SetValue {
    const copy = new SetValue();
    for (const member of this.members.keys()) copy.members.set(member, 0);
    copy.intset = this.intset;
    return copy;
  }

  private ensureOrder(): ScanOrder {
    if (this.order === null) {
      const order = new ScanOrder();
      for (const member of this.members.keys()) this.members.set(member, order.add(member));
      this.order = order;
    }
    return this.order;
  }
}

/** set-max-intset-entries, read once per command. */
export function maxIntsetEntries(config: Config): number {
  return config.num("set-max-intset-entries");
}

export const setOps: TypeOps = {
  clone: (value) => (value as SetValue).clone(),
  encoding: (value) => ((value as SetValue).intset ? "intset" : "hashtable"),
  freeEffort: (value) => ((value as SetValue).intset ? 1 : (value as SetValue).size),
};
