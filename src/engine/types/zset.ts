// Sorted set values: a Map member → score for O(1) ZSCORE, plus the members in (score, member)
// order kept as a list of sorted blocks (parallel member/score arrays of at most MAX_BLOCK) with a
// Fenwick tree of block sizes. Like Redis's skiplist, rank, access by rank and range bounds are
// O(log n); unlike a pointer-linked skiplist, searches touch few, contiguous, unboxed arrays, which
// in V8 is several times faster on large sets. "listpack" vs "skiplist" is the encoding Redis 7.0
// would report: listpack while small, converted one way past zset-max-listpack-entries/value.
// A ScanOrder, built on the first ZSCAN of a skiplist-encoded set, gives ZSCAN stable cursors.

import type { Config } from "../../config.js";
import { ScanOrder } from "../scan-order.js";
import type { TypeOps } from "./index.js";
import { sampleDistinct } from "./set.js";

/** A member with its score, as range queries and pops return them. */
export interface ZEntry {
  readonly member: string;
  readonly score: number;
}

/** A score interval; min/max may be ±Infinity, ex = exclusive bound. */
export interface ScoreRange {
  min: number;
  max: number;
  minEx: boolean;
  maxEx: boolean;
}

/** One end of a lex interval: "-" (inf -1), "+" (inf 1), or a member bound. */
export interface LexBound {
  inf: -1 | 0 | 1;
  value: string;
  ex: boolean;
}

export interface LexRange {
  min: LexBound;
  max: LexBound;
}

export interface ZSetLimits {
  maxEntries: number;
  maxValue: number;
}

export function zsetLimits(config: Config): ZSetLimits {
  return { maxEntries: config.num("zset-max-listpack-entries"), maxValue: config.num("zset-max-listpack-value") };
}

function gteMin(score: number, r: ScoreRange): boolean {
  return r.minEx ? score > r.min : score >= r.min;
}

function lteMax(score: number, r: ScoreRange): boolean {
  return r.maxEx ? score < r.max : score <= r.max;
}

function lexGteMin(member: string, r: LexRange): boolean {
  const b = r.min;
  if (b.inf !== 0) return b.inf < 0;
  return b.ex ? member > b.value : member >= b.value;
}

function lexLteMax(member: string, r: LexRange): boolean {
  const b = r.max;
  if (b.inf !== 0) return b.inf > 0;
  return b.ex ? member < b.value : member <= b.value;
}

function compareLexBounds(a: LexBound, b: LexBound): number {
  if (a.inf !== 0 || b.inf !== 0) return a.inf - b.inf;
  return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}

/** A block splits in two past this size; neighbours merge when together under half of it. */
const MAX_BLOCK = 256;

interface Block {
  members: string[];
  scores: number[];
}

/** A predicate over the order that is false for a prefix and true for the rest. */
type Bound = (score: number, member: string) => boolean;

/** The (score, member)-ordered sequence: sorted blocks, their last entries, a Fenwick tree of sizes. */
class SortedBlocks {
  length = 0;
  private blocks: Block[] = [];
  private lastScores: number[] = [];
  private lastMembers: string[] = [];
  /** Fenwick tree (1-based) over block sizes: prefix sums give ranks. */
  private tree: number[] = [0];
  /** Result of locate()/seek(): block index and offset in it. */
  private foundBlock = 0;
  private foundOffset = 0;

  /** Global rank of the first entry for which bound holds (length when none). */
  lowerBound(bound: Bound): number {
    this.locate(bound);
    return this.foundBlock === this.blocks.length ? this.length : this.prefix(this.foundBlock) + this.foundOffset;
  }

  /** Global rank of (score, member) when present, else -1. */
  rankOf(score: number, member: string): number {
    if (!this.locateEntry(score, member)) return -1;
    return this.prefix(this.foundBlock) + this.foundOffset;
  }

  insert(score: number, member: string): void {
    if (this.blocks.length === 0) {
      this.blocks.push({ members: [member], scores: [score] });
      this.length = 1;
      this.reindex();
      return;
    }
    this.locateEntry(score, member);
    let b = this.foundBlock;
    let off = this.foundOffset;
    if (b === this.blocks.length) {
      b--;
      off = this.blocks[b].scores.length;
    }
    const block = this.blocks[b];
    block.scores.splice(off, 0, score);
    block.members.splice(off, 0, member);
    this.length++;
    if (block.scores.length > MAX_BLOCK) {
      const half = block.scores.length >>> 1;
      this.blocks.splice(b + 1, 0, { members: block.members.splice(half), scores: block.scores.splice(half) });
      this.reindex();
      return;
    }
    if (off === block.scores.length - 1) this.setLast(b);
    this.bump(b, 1);
  }

  /** Removes (score, member); returns false when absent. */
  delete(score: number, member: string): boolean {
    if (!this.locateEntry(score, member)) return false;
    const b = this.foundBlock;
    const block = this.blocks[b];
    block.scores.splice(this.foundOffset, 1);
    block.members.splice(this.foundOffset, 1);
    this.length--;
    const size = block.scores.length;
    const neighbour = b + 1 < this.blocks.length ? b + 1 : b - 1;
    if (size === 0) {
      this.blocks.splice(b, 1);
      this.reindex();
    } else if (neighbour >= 0 && size + this.blocks[neighbour].scores.length <= MAX_BLOCK / 2) {
      const [first, second] = neighbour > b ? [block, this.blocks[neighbour]] : [this.blocks[neighbour], block];
      first.scores.push(...second.scores);
      first.members.push(...second.members);
      this.blocks.splice(Math.max(b, neighbour), 1);
      this.reindex();
    } else {
      if (this.foundOffset === size) this.setLast(b);
      this.bump(b, -1);
    }
    return true;
  }

  /** Removes the entries at ranks [start, end); calls removed with each member. */
  deleteRanks(start: number, end: number, removed: (member: string) => void): void {
    if (start >= end) return;
    this.seek(start);
    let b = this.foundBlock;
    let off = this.foundOffset;
    for (let left = end - start; left > 0; b++, off = 0) {
      const block = this.blocks[b];
      const n = Math.min(left, block.scores.length - off);
      for (const member of block.members.splice(off, n)) removed(member);
      block.scores.splice(off, n);
      left -= n;
    }
    this.length -= end - start;
    this.blocks = this.blocks.filter((block) => block.scores.length > 0);
    this.reindex();
  }

  /** count entries from rank start, going up (down when reverse); ranks must be in range. */
  slice(start: number, count: number, reverse: boolean): ZEntry[] {
    const out: ZEntry[] = new Array(count);
    if (count === 0) return out;
    this.seek(start);
    let b = this.foundBlock;
    let i = this.foundOffset;
    let block = this.blocks[b];
    for (let k = 0; k < count; k++) {
      out[k] = { member: block.members[i], score: block.scores[i] };
      if (reverse) {
        if (--i < 0 && k + 1 < count) {
          block = this.blocks[--b];
          i = block.scores.length - 1;
        }
      } else if (++i === block.scores.length && k + 1 < count) {
        block = this.blocks[++b];
        i = 0;
      }
    }
    return out;
  }

  *entries(): IterableIterator<[string, number]> {
    for (const block of this.blocks) {
      for (let i = 0; i < block.scores.length; i++) yield [block.members[i], block.scores[i]];
    }
  }

  clone(): SortedBlocks {
    const copy = new SortedBlocks();
    copy.blocks = this.blocks.map((b) => ({ members: b.members.slice(), scores: b.scores.slice() }));
    copy.length = this.length;
    copy.reindex();
    return copy;
  }

  /** Finds the first entry for which bound holds: blocks by their last entry, then inside the block. */
  private locate(bound: Bound): void {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bound(this.lastScores[mid], this.lastMembers[mid])) hi = mid;
      else lo = mid + 1;
    }
    this.foundBlock = lo;
    this.foundOffset = 0;
    if (lo === this.blocks.length) return;
    const { scores, members } = this.blocks[lo];
    let l = 0;
    let h = scores.length - 1;
    while (l < h) {
      const mid = (l + h) >>> 1;
      if (bound(scores[mid], members[mid])) h = mid;
      else l = mid + 1;
    }
    this.foundOffset = l;
  }

  /** locate() for "not before (score, member)", without a closure; returns whether it is that entry. */
  private locateEntry(score: number, member: string): boolean {
    const lastScores = this.lastScores;
    const lastMembers = this.lastMembers;
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = lastScores[mid];
      if (s < score || (s === score && lastMembers[mid] < member)) lo = mid + 1;
      else hi = mid;
    }
    this.foundBlock = lo;
    this.foundOffset = 0;
    if (lo === this.blocks.length) return false;
    const { scores, members } = this.blocks[lo];
    let l = 0;
    let h = scores.length - 1;
    while (l < h) {
      const mid = (l + h) >>> 1;
      const s = scores[mid];
      if (s < score || (s === score && members[mid] < member)) l = mid + 1;
      else h = mid;
    }
    this.foundOffset = l;
    return scores[l] === score && members[l] === member;
  }

  /** Block and offset of global rank (0 ≤ rank < length), by descending the Fenwick tree. */
  private seek(rank: number): void {
    const tree = this.tree;
    const n = tree.length - 1;
    let pos = 0;
    let rest = rank;
    for (let step = 1 << (31 - Math.clz32(n)); step > 0; step >>>= 1) {
      const next = pos + step;
      if (next <= n && tree[next] <= rest) {
        pos = next;
        rest -= tree[next];
      }
    }
    this.foundBlock = pos;
    this.foundOffset = rest;
  }

  /** Number of entries in blocks before block b. */
  private prefix(b: number): number {
    let sum = 0;
    for (let i = b; i > 0; i -= i & -i) sum += this.tree[i];
    return sum;
  }

  private bump(b: number, delta: number): void {
    const tree = this.tree;
    for (let i = b + 1; i < tree.length; i += i & -i) tree[i] += delta;
  }

  private setLast(b: number): void {
    const { scores, members } = this.blocks[b];
    this.lastScores[b] = scores[scores.length - 1];
    this.lastMembers[b] = members[members.length - 1];
  }

  /** Rebuilds the last-entry arrays and the Fenwick tree after blocks were added or removed. */
  private reindex(): void {
    const n = this.blocks.length;
    const tree = new Array<number>(n + 1).fill(0);
    this.lastScores = [];
    this.lastMembers = [];
    for (let i = 0; i < n; i++) {
      const { scores, members } = this.blocks[i];
      this.lastScores.push(scores[scores.length - 1]);
      this.lastMembers.push(members[members.length - 1]);
      tree[i + 1] += scores.length;
      const parent = i + 1 + ((i + 1) & -(i + 1));
      if (parent <= n) tree[parent] += tree[i + 1];
    }
    this.tree = tree;
  }
}

export class ZSetValue {
  private readonly scores = new Map<string, number>();
  private list = new SortedBlocks();
  /** True while Redis would keep this sorted set as a listpack; never becomes true again. */
  compact = true;
  /** ZSCAN's stable order and each member's place in it; built on the first ZSCAN of a skiplist. */
  private order: ScanOrder | null = null;
  private seqs: Map<string, number> | null = null;

  get size(): number {
    return this.scores.size;
  }

  score(member: string): number | undefined {
    return this.scores.get(member);
  }

  /** Adds a new member or moves an existing one to score; returns true when the member is new. */
  set(member: string, score: number, limits: ZSetLimits): boolean {
    const current = this.scores.get(member);
    if (current === undefined && this.compact && (this.scores.size >= limits.maxEntries || member.length > limits.maxValue)) {
      this.compact = false;
    }
    // A listpack keeps -0 as the integer 0; the skiplist keeps the double.
    if (this.compact && score === 0) score = 0;
    if (current !== undefined) {
      if (current !== score) {
        this.list.delete(current, member);
        this.list.insert(score, member);
        this.scores.set(member, score);
      }
      return false;
    }
    this.list.insert(score, member);
    this.scores.set(member, score);
    if (this.order !== null) this.seqs!.set(member, this.order.add(member));
    return true;
  }

  delete(member: string): boolean {
    const score = this.scores.get(member);
    if (score === undefined) return false;
    this.list.delete(score, member);
    this.forget(member);
    return true;
  }

  /** 0-based rank of member (from the highest score when reverse), or undefined. */
  rank(member: string, reverse = false): number | undefined {
    const score = this.scores.get(member);
    if (score === undefined) return undefined;
    const rank = this.list.rankOf(score, member);
    return reverse ? this.size - 1 - rank : rank;
  }

  /** Entries inside the score range from the lowest (highest when reverse), after offset, at most limit (< 0: all). */
  rangeByScore(r: ScoreRange, reverse: boolean, offset = 0, limit = -1): ZEntry[] {
    const [start, end] = this.scoreSpan(r);
    return this.window(start, end, reverse, offset, limit);
  }

  /** Like rangeByScore, for a lex range. */
  rangeByLex(r: LexRange, reverse: boolean, offset = 0, limit = -1): ZEntry[] {
    const [start, end] = this.lexSpan(r);
    return this.window(start, end, reverse, offset, limit);
  }

  /** Entries at 0-based ranks start..end (inclusive, already clamped), counted from the highest when reverse. */
  rangeByRank(start: number, end: number, reverse: boolean): ZEntry[] {
    return this.list.slice(reverse ? this.size - 1 - start : start, end - start + 1, reverse);
  }

  /** Number of members inside the score range. */
  countInRange(r: ScoreRange): number {
    const [start, end] = this.scoreSpan(r);
    return end - start;
  }

  countInLexRange(r: LexRange): number {
    const [start, end] = this.lexSpan(r);
    return end - start;
  }

  removeRangeByScore(r: ScoreRange): number {
    return this.removeRanks(...this.scoreSpan(r));
  }

  removeRangeByLex(r: LexRange): number {
    return this.removeRanks(...this.lexSpan(r));
  }

  /** Removes the members at 0-based ranks start..end (inclusive, already clamped to the set). */
  removeRangeByRank(start: number, end: number): number {
    return this.removeRanks(start, end + 1);
  }

  /** Removes and returns the lowest (or highest) member, or null when empty. */
  pop(highest: boolean): ZEntry | null {
    if (this.size === 0) return null;
    const [entry] = this.list.slice(highest ? this.size - 1 : 0, 1, false);
    this.delete(entry.member);
    return entry;
  }

  /** A uniformly random entry (the set must not be empty). */
  random(): ZEntry {
    return this.list.slice(Math.floor(Math.random() * this.size), 1, false)[0];
  }

  /** count distinct random entries (count < size). */
  randomDistinct(count: number): ZEntry[] {
    return sampleDistinct(this.size, count, () => this.all(), () => this.random(), (e) => e.member);
  }

  /** All entries in ascending order. */
  all(): ZEntry[] {
    return this.list.slice(0, this.size, false);
  }

  /** Members and scores in ascending order. */
  entries(): IterableIterator<[string, number]> {
    return this.list.entries();
  }

  /** One ZSCAN step over a skiplist-encoded set: visits about count members; returns the next cursor. */
  scan(cursor: number, count: number, visit: (member: string, score: number) => void): number {
    if (this.order === null) {
      const order = new ScanOrder();
      const seqs = new Map<string, number>();
      for (const member of this.scores.keys()) seqs.set(member, order.add(member));
      this.order = order;
      this.seqs = seqs;
    }
    return this.order.scan(cursor, count, (member) => visit(member, this.scores.get(member)!));
  }

  clone(): ZSetValue {
    const copy = new ZSetValue();
    for (const [member, score] of this.scores) copy.scores.set(member, score);
    copy.list = this.list.clone();
    copy.compact = this.compact;
    return copy;
  }

  /** Drops a member already removed from the ordered list from the score map and scan order. */
  private forget(member: string): void {
    this.scores.delete(member);
    if (this.order !== null) {
      this.order.remove(this.seqs!.get(member)!);
      this.seqs!.delete(member);
    }
  }

  private removeRanks(start: number, end: number): number {
    this.list.deleteRanks(start, end, (member) => this.forget(member));
    return end - start;
  }

  /** Ranks [start, end) of the members inside a score range. */
  private scoreSpan(r: ScoreRange): [number, number] {
    if (r.min > r.max || (r.min === r.max && (r.minEx || r.maxEx))) return [0, 0];
    const start = this.list.lowerBound((s) => gteMin(s, r));
    const end = this.list.lowerBound((s) => !lteMax(s, r));
    return [start, Math.max(start, end)];
  }

  /** Ranks [start, end) of the members inside a lex range (meaningful when all scores are equal). */
  private lexSpan(r: LexRange): [number, number] {
    const cmp = compareLexBounds(r.min, r.max);
    if (cmp > 0 || (cmp === 0 && (r.min.ex || r.max.ex))) return [0, 0];
    const start = this.list.lowerBound((_, m) => lexGteMin(m, r));
    const end = this.list.lowerBound((_, m) => !lexLteMax(m, r));
    return [start, Math.max(start, end)];
  }

  /**
   * The entries of ranks [start, end) after skipping offset of them from the low end (the high
   * end when reverse), at most limit (< 0: all). A negative offset selects nothing, as in Redis.
   */
  private window(start: number, end: number, reverse: boolean, offset: number, limit: number): ZEntry[] {
    if (offset < 0) return [];
    const available = end - start - offset;
    const count = limit < 0 ? available : Math.min(limit, available);
    if (count <= 0) return [];
    return this.list.slice(reverse ? end - 1 - offset : start + offset, count, reverse);
  }
}

export const zsetOps: TypeOps = {
  clone: (value) => (value as ZSetValue).clone(),
  encoding: (value) => ((value as ZSetValue).compact ? "listpack" : "skiplist"),
  freeEffort: (value) => ((value as ZSetValue).compact ? 1 : (value as ZSetValue).size),
};
