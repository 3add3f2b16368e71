// Stream values (XADD and the X* family): entries in ID order, kept in nodes that fill up as
// Redis's listpacks do (stream-node-max-entries / stream-node-max-bytes), so approximate trimming
// (~), LIMIT and XINFO's node counts match Redis; deleted entries stay as tombstones until their
// node empties. Consumer groups keep their pending entries lists (PEL) in sorted ID maps.
// An ID is one 128-bit bigint, ms << 64 | seq: exact over both uint64 parts, ordered by <.

import { isInt64 } from "../../commands/args.js";
import type { Config } from "../../config.js";
import type { TypeOps } from "./index.js";

export type StreamId = bigint;

const U64_MAX = 0xffffffffffffffffn;
/** The largest sequence number (and millisecond time). */
export const SEQ_MAX = U64_MAX;
export const MAX_ID: StreamId = (U64_MAX << 64n) | U64_MAX;

export function makeId(ms: bigint, seq: bigint): StreamId {
  return (ms << 64n) | seq;
}

export function idMs(id: StreamId): bigint {
  return id >> 64n;
}

export function idSeq(id: StreamId): bigint {
  return id & U64_MAX;
}

export function formatId(id: StreamId): string {
  return `${id >> 64n}-${id & U64_MAX}`;
}

/** What strtoull reads in full: optional spaces and sign, then decimal digits. */
const STRTOULL = /^[\t\n\v\f\r ]*([+-]?)([0-9]+)$/;

/** A uint64 as Redis's string2ull reads it: a canonical non-negative int64, or what strtoull accepts. */
function parseU64(s: string): bigint | null {
  if (isInt64(s)) return s.charCodeAt(0) === 45 ? null : BigInt(s);
  const m = STRTOULL.exec(s);
  if (m === null) return null;
  const v = BigInt(m[2]);
  if (v > U64_MAX) return null;
  return m[1] === "-" ? (U64_MAX + 1n - v) & U64_MAX : v;
}

export interface ParsedId {
  id: StreamId;
  /** False for XADD's "<ms>-*" form (the sequence is to be generated). */
  seqGiven: boolean;
}

/**
 * Parses an ID argument as Redis does: "<ms>-<seq>", "<ms>" (sequence = missingSeq), "-" and "+"
 * (the smallest and largest IDs) unless strict, and "<ms>-*" when allowSeqStar. Null when invalid.
 */
export function parseStreamId(arg: string, missingSeq: bigint, strict: boolean, allowSeqStar = false): ParsedId | null {
  if (arg.length > 127) return null;
  // Redis parses the argument as a C string: it ends at the first NUL byte.
  const nul = arg.indexOf("\0");
  const s = nul < 0 ? arg : arg.slice(0, nul);
  if (s === "-" || s === "+") return strict ? null : { id: s === "-" ? 0n : MAX_ID, seqGiven: true };
  const dash = s.indexOf("-");
  const ms = parseU64(dash < 0 ? s : s.slice(0, dash));
  if (ms === null) return null;
  if (dash < 0) return { id: makeId(ms, missingSeq), seqGiven: true };
  const seqText = s.slice(dash + 1);
  if (allowSeqStar && seqText === "*") return { id: makeId(ms, 0n), seqGiven: false };
  const seq = parseU64(seqText);
  return seq === null ? null : { id: makeId(ms, seq), seqGiven: true };
}

// ---------------------------------------------------------------------------------------------
// Listpack sizes: how many bytes Redis's node for the same entries would take, so nodes fill up
// (stream-node-max-bytes) where Redis's do.

function backlenSize(encoded: number): number {
  if (encoded <= 127) return 1;
  if (encoded < 16383) return 2;
  if (encoded < 2097151) return 3;
  if (encoded < 268435455) return 4;
  return 5;
}

function intElementSize(v: number): number {
  let encoded = 9;
  if (v >= 0 && v <= 127) encoded = 1;
  else if (v >= -4096 && v <= 4095) encoded = 2;
  else if (v >= -32768 && v <= 32767) encoded = 3;
  else if (v >= -8388608 && v <= 8388607) encoded = 4;
  else if (v >= -2147483648 && v <= 2147483647) encoded = 5;
  return encoded + backlenSize(encoded);
}

function stringElementSize(s: string): number {
  if (s.length <= 20 && isInt64(s)) return intElementSize(Number(s));
  const n = s.length;
  const encoded = n < 64 ? 1 + n : n < 4096 ? 2 + n : 5 + n;
  return encoded + backlenSize(encoded);
}

/** The difference of two uint64 parts as the int64 Redis stores. */
function delta(a: bigint, b: bigint): number {
  return Number(BigInt.asIntN(64, a - b));
}

/** Listpack header (6 bytes) and terminator (1 byte). */
const LISTPACK_OVERHEAD = 7;
/** Redis never lets a listpack grow past 1 GB, whatever stream-node-max-bytes says. */
const LISTPACK_MAX_SIZE = 1 << 30;

/** Node limits, read from config once per command. */
export interface NodeLimits {
  maxBytes: number;
  maxEntries: number;
}

export function nodeLimits(config: Config): NodeLimits {
  const maxBytes = config.num("stream-node-max-bytes");
  return {
    maxBytes: maxBytes === 0 || maxBytes > LISTPACK_MAX_SIZE ? LISTPACK_MAX_SIZE : maxBytes,
    maxEntries: config.num("stream-node-max-entries"),
  };
}

/** What persistence reads of a node. */
export interface PersistedNode {
  readonly masterFields: string[];
  readonly ids: StreamId[];
  readonly items: (string[] | null)[];
  readonly live: number;
}

/** One node: a run of consecutive entries, as one of Redis's listpacks. */
class StreamNode {
  /** The entries' IDs, tombstones included; ids[0] (the first entry ever added) keys the node. */
  ids: StreamId[] = [];
  /** Each entry's field/value pairs (never changed once added); null once deleted. */
  items: (string[] | null)[] = [];
  live = 0;
  /** Listpack bytes, without the live/deleted counters (their size changes with their values). */
  private baseBytes: number;

  /** masterFields: the fields of the first entry, which later entries with the same fields share. */
  constructor(readonly masterFields: string[]) {
    let bytes = LISTPACK_OVERHEAD + intElementSize(masterFields.length) + intElementSize(0);
    for (const field of masterFields) bytes += stringElementSize(field);
    this.baseBytes = bytes;
  }

  get bytes(): number {
    return this.baseBytes + intElementSize(this.live) + intElementSize(this.ids.length - this.live);
  }

  append(id: StreamId, pairs: string[]): void {
    const master = this.ids.length === 0 ? id : this.ids[0];
    const fields = this.masterFields;
    let same = pairs.length === fields.length * 2;
    for (let i = 0; same && i < fields.length; i++) {
      if (pairs[i * 2] === fields[i]) pairs[i * 2] = fields[i];
      else same = false;
    }
    let bytes = intElementSize(0) + intElementSize(delta(id >> 64n, master >> 64n)) + intElementSize(delta(id & U64_MAX, master & U64_MAX));
    const count = pairs.length / 2;
    if (!same) bytes += intElementSize(count);
    for (let i = same ? 1 : 0; i < pairs.length; i += same ? 2 : 1) bytes += stringElementSize(pairs[i]);
    bytes += intElementSize(same ? count + 3 : count * 2 + 4);
    this.baseBytes += bytes;
    this.ids.push(id);
    this.items.push(pairs);
    this.live++;
  }

  /** Index of the first entry with ID >= id (ids.length if none). */
  lowerBound(id: StreamId): number {
    const ids = this.ids;
    let lo = 0;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Turns the entry at index into a tombstone; false if it already is one. */
  kill(index: number): boolean {
    if (this.items[index] === null) return false;
    this.items[index] = null;
    this.live--;
    return true;
  }

  clone(): StreamNode {
    const copy = new StreamNode(this.masterFields);
    copy.baseBytes = this.baseBytes;
    copy.live = this.live;
    copy.ids = this.ids.slice();
    copy.items = this.items.slice();
    return copy;
  }
}

// ---------------------------------------------------------------------------------------------
// Sorted ID maps (PELs).

const CHUNK_SIZE = 128;

interface Chunk<V> {
  keys: StreamId[];
  values: V[];
}

function lowerBound(keys: StreamId[], id: StreamId): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A map from IDs to values kept in ID order: chunks of sorted arrays, O(log n) operations. */
export class IdMap<V> {
  private chunks: Chunk<V>[] = [];
  size = 0;

  /** Index of the first chunk whose last key is >= id (chunks.length if none). */
  private chunkFor(id: StreamId): number {
    const chunks = this.chunks;
    let lo = 0;
    let hi = chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const keys = chunks[mid].keys;
      if (keys[keys.length - 1] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get(id: StreamId): V | undefined {
    const ci = this.chunkFor(id);
    if (ci === this.chunks.length) return undefined;
    const chunk = this.chunks[ci];
    const i = lowerBound(chunk.keys, id);
    return chunk.keys[i] === id ? chunk.values[i] : undefined;
  }

  set(id: StreamId, value: V): void {
    const chunks = this.chunks;
    const ci = this.chunkFor(id);
    if (ci === chunks.length) {
      // Past the last key: the common case (PELs grow in ID order); keeps chunks full.
      const last = chunks[chunks.length - 1];
      if (last === undefined || last.keys.length >= CHUNK_SIZE) chunks.push({ keys: [id], values: [value] });
      else {
        last.keys.push(id);
        last.values.push(value);
      }
      this.size++;
      return;
    }
    const chunk = chunks[ci];
    const i = lowerBound(chunk.keys, id);
    if (chunk.keys[i] === id) {
      chunk.values[i] = value;
      return;
    }
    chunk.keys.splice(i, 0, id);
    chunk.values.splice(i, 0, value);
    this.size++;
    if (chunk.keys.length > CHUNK_SIZE) {
      const half = chunk.keys.length >>> 1;
      chunks.splice(ci + 1, 0, { keys: chunk.keys.splice(half), values: chunk.values.splice(half) });
    }
  }

  delete(id: StreamId): boolean {
    const ci = this.chunkFor(id);
    if (ci === this.chunks.length) return false;
    const chunk = this.chunks[ci];
    const i = lowerBound(chunk.keys, id);
    if (chunk.keys[i] !== id) return false;
    chunk.keys.splice(i, 1);
    chunk.values.splice(i, 1);
    if (chunk.keys.length === 0) this.chunks.splice(ci, 1);
    this.size--;
    return true;
  }

  /** The smallest key >= id. */
  ceiling(id: StreamId): StreamId | undefined {
    const ci = this.chunkFor(id);
    if (ci === this.chunks.length) return undefined;
    const keys = this.chunks[ci].keys;
    return keys[lowerBound(keys, id)];
  }

  first(): StreamId | undefined {
    return this.chunks[0]?.keys[0];
  }

  last(): StreamId | undefined {
    const keys = this.chunks[this.chunks.length - 1]?.keys;
    return keys?.[keys.length - 1];
  }

  /** Entries with key >= start in ID order; the map must not change while iterating. */
  *entries(start: StreamId = 0n): Generator<[StreamId, V]> {
    const chunks = this.chunks;
    for (let ci = this.chunkFor(start); ci < chunks.length; ci++) {
      const { keys, values } = chunks[ci];
      for (let i = lowerBound(keys, start); i < keys.length; i++) yield [keys[i], values[i]];
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Consumer groups.

/** A delivered, not yet acknowledged entry. */
export interface PendingEntry {
  consumer: Consumer;
  /** Last delivery time (ms). */
  deliveryTime: number;
  deliveryCount: number;
}

export class Consumer {
  /** Last time the consumer tried to read or claim (ms). */
  seenTime: number;
  /** Last time the consumer got entries (ms); -1 until then. */
  activeTime = -1;
  readonly pel = new IdMap<PendingEntry>();

  constructor(
    readonly name: string,
    now: number,
  ) {
    this.seenTime = now;
  }
}

/** entriesRead when the group's read counter is unknown. */
export const UNKNOWN_READS = -1n;

export class ConsumerGroup {
  readonly pel = new IdMap<PendingEntry>();
  readonly consumers = new Map<string, Consumer>();

  constructor(
    /** The last delivered ID. */
    public lastId: StreamId,
    /** How many entries the group has read (its logical position), or UNKNOWN_READS. */
    public entriesRead: bigint,
  ) {}

  /** Adds a consumer; null if one by that name exists. */
  createConsumer(name: string, now: number): Consumer | null {
    if (this.consumers.has(name)) return null;
    const consumer = new Consumer(name, now);
    this.consumers.set(name, consumer);
    return consumer;
  }

  /** Removes a consumer and its pending entries; returns how many it had. */
  deleteConsumer(consumer: Consumer): number {
    for (const [id] of consumer.pel.entries()) this.pel.delete(id);
    this.consumers.delete(consumer.name);
    return consumer.pel.size;
  }

  /** Acknowledges id: removes it from the PELs. False if it was not pending. */
  ack(id: StreamId): boolean {
    const pending = this.pel.get(id);
    if (pending === undefined) return false;
    this.pel.delete(id);
    pending.consumer.pel.delete(id);
    return true;
  }

  /** Records a first delivery of id to consumer (taking it over if another consumer had it). */
  deliver(id: StreamId, consumer: Consumer, now: number): void {
    const pending = this.pel.get(id);
    if (pending === undefined) {
      const created: PendingEntry = { consumer, deliveryTime: now, deliveryCount: 1 };
      this.pel.set(id, created);
      consumer.pel.set(id, created);
      return;
    }
    this.transfer(id, pending, consumer);
    pending.deliveryTime = now;
    pending.deliveryCount = 1;
  }

  /** Makes consumer the owner of a pending entry. */
  transfer(id: StreamId, pending: PendingEntry, consumer: Consumer): void {
    if (pending.consumer === consumer) return;
    pending.consumer.pel.delete(id);
    consumer.pel.set(id, pending);
    pending.consumer = consumer;
  }

  clone(): ConsumerGroup {
    const copy = new ConsumerGroup(this.lastId, this.entriesRead);
    const consumers = new Map<Consumer, Consumer>();
    for (const [name, consumer] of this.consumers) {
      const c = new Consumer(name, consumer.seenTime);
      c.activeTime = consumer.activeTime;
      copy.consumers.set(name, c);
      consumers.set(consumer, c);
    }
    for (const [id, pending] of this.pel.entries()) {
      const consumer = consumers.get(pending.consumer)!;
      const entry: PendingEntry = { consumer, deliveryTime: pending.deliveryTime, deliveryCount: pending.deliveryCount };
      copy.pel.set(id, entry);
      consumer.pel.set(id, entry);
    }
    return copy;
  }
}

/** What trimming does with entries that consumer groups still reference (Redis 8.2). */
export type RefPolicy = "keepref" | "delref" | "acked";

export interface TrimOptions {
  /** Keep at most maxlen entries (when minId is null), or drop entries below minId. */
  maxlen: number;
  minId: StreamId | null;
  /** Only drop whole nodes (~). */
  approx: boolean;
  /** At most this many entries are dropped; 0 = no limit. */
  limit: number;
  policy: RefPolicy;
}

// ---------------------------------------------------------------------------------------------
// The stream.

export class Stream {
  /** Nodes in ID order. */
  private nodes: StreamNode[] = [];
  length = 0;
  /** The last ID ever added (or set by XSETID). */
  lastId: StreamId = 0n;
  /** The first live entry's ID (recorded-first-entry-id); 0-0 when empty. */
  firstId: StreamId = 0n;
  /** The largest ID ever deleted by XDEL & co. */
  maxDeletedId: StreamId = 0n;
  /** Entries ever added. */
  entriesAdded = 0n;
  readonly groups = new Map<string, ConsumerGroup>();

  /** Number of nodes (XINFO radix-tree-keys). */
  get nodeCount(): number {
    return this.nodes.length;
  }

  /** The ID XADD * gives at time now (ms): now-0, or the last ID's successor. Null if IDs are exhausted. */
  nextId(now: number): StreamId | null {
    const ms = BigInt(now);
    if (ms > this.lastId >> 64n) return makeId(ms, 0n);
    return this.lastId === MAX_ID ? null : this.lastId + 1n;
  }

  /** Adds an entry; id must be greater than lastId. Keeps pairs (field, value, ...), which the caller gives up. */
  append(id: StreamId, pairs: string[], limits: NodeLimits): void {
    let node: StreamNode | undefined = this.nodes[this.nodes.length - 1];
    if (node !== undefined) {
      let size = 0;
      for (const s of pairs) size += s.length;
      if (node.bytes + size >= limits.maxBytes || (limits.maxEntries > 0 && node.ids.length >= limits.maxEntries)) node = undefined;
    }
    if (node === undefined) {
      const fields: string[] = [];
      for (let i = 0; i < pairs.length; i += 2) fields.push(pairs[i]);
      node = new StreamNode(fields);
      this.nodes.push(node);
    }
    node.append(id, pairs);
    this.length++;
    this.entriesAdded++;
    this.lastId = id;
    if (this.length === 1) this.firstId = id;
  }

  /** Index of the node that would hold id: the last one keyed <= id (0 if none). */
  private nodeIndex(id: StreamId): number {
    const nodes = this.nodes;
    let lo = 0;
    let hi = nodes.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (nodes[mid].ids[0] <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : lo - 1;
  }

  /** The fields of a live entry. */
  get(id: StreamId): string[] | undefined {
    const node = this.nodes[this.nodeIndex(id)];
    if (node === undefined) return undefined;
    const i = node.lowerBound(id);
    return node.ids[i] === id ? (node.items[i] ?? undefined) : undefined;
  }

  /** Live entries with start <= ID <= end, in ID order (reversed when rev). */
  *range(start: StreamId, end: StreamId, rev = false): Generator<[StreamId, string[]]> {
    const nodes = this.nodes;
    if (!rev) {
      for (let n = this.nodeIndex(start); n < nodes.length; n++) {
        const { ids, items } = nodes[n];
        for (let i = ids[0] < start ? nodes[n].lowerBound(start) : 0; i < ids.length; i++) {
          if (ids[i] > end) return;
          const item = items[i];
          if (item !== null) yield [ids[i], item];
        }
      }
    } else {
      for (let n = this.nodeIndex(end); n >= 0 && n < nodes.length; n--) {
        const { ids, items } = nodes[n];
        let i = nodes[n].lowerBound(end);
        if (i === ids.length || ids[i] > end) i--;
        for (; i >= 0; i--) {
          if (ids[i] < start) return;
          const item = items[i];
          if (item !== null) yield [ids[i], item];
        }
      }
    }
  }

  /** The first or last live entry's ID. */
  edgeId(last: boolean): StreamId | undefined {
    for (const [id] of this.range(0n, MAX_ID, last)) return id;
    return undefined;
  }

  /** Deletes a live entry (XDEL): records it as a tombstone, dropping its node once all are. */
  delete(id: StreamId): boolean {
    const n = this.nodeIndex(id);
    const node = this.nodes[n];
    if (node === undefined) return false;
    const i = node.lowerBound(id);
    if (node.ids[i] !== id || !node.kill(i)) return false;
    if (node.live === 0) this.nodes.splice(n, 1);
    this.length--;
    if (id > this.maxDeletedId) this.maxDeletedId = id;
    if (this.length === 0) this.firstId = 0n;
    else if (id === this.firstId) this.firstId = this.edgeId(false)!;
    return true;
  }

  /** Trims from the oldest entries as XTRIM / XADD MAXLEN|MINID do; returns how many were removed. */
  trim(options: TrimOptions): number {
    const { maxlen, minId, approx, limit, policy } = options;
    const nodes = this.nodes;
    let removed = 0;
    let n = 0;
    while (n < nodes.length) {
      if (minId === null && this.length <= maxlen) break;
      const node = nodes[n];
      const entries = node.live;
      if (limit > 0 && removed + entries > limit) break;
      const wholeNode = minId === null ? this.length - entries >= maxlen : node.ids[node.ids.length - 1] < minId;
      if (wholeNode && policy === "keepref") {
        nodes.splice(n, 1);
        this.length -= entries;
        removed += entries;
        continue;
      }
      if (approx && policy === "keepref") break;
      let killed = 0;
      for (let i = 0; i < node.ids.length; i++) {
        const id = node.ids[i];
        if (minId === null ? this.length <= maxlen : id >= minId) break;
        if (node.items[i] === null) continue;
        if (policy === "acked" && this.isReferenced(id)) continue;
        if (policy === "delref") this.dropReferences(id);
        node.kill(i);
        killed++;
        this.length--;
      }
      removed += killed;
      if (wholeNode && killed === entries) {
        nodes.splice(n, 1);
        continue;
      }
      if (!wholeNode) break;
      n++;
    }
    if (this.length === 0) this.firstId = 0n;
    else if (removed > 0) this.firstId = this.edgeId(false)!;
    return removed;
  }

  /** True when a tombstone may lie in [start, end]: the largest deleted ID does. */
  private rangeHasTombstones(start: StreamId, end: StreamId): boolean {
    if (this.length === 0 || this.maxDeletedId === 0n) return false;
    return start <= this.maxDeletedId && this.maxDeletedId <= end;
  }

  /**
   * How many entries were added up to id (a group's entries-read at id), when it can be known:
   * UNKNOWN_READS if tombstones or an ID between the live entries make it unknowable.
   */
  entriesUpTo(id: StreamId): bigint {
    if (this.entriesAdded === 0n) return 0n;
    if (this.length === 0 && id <= this.lastId) return this.entriesAdded;
    if (id !== 0n && id < this.maxDeletedId) return UNKNOWN_READS;
    if (id === this.lastId) return this.entriesAdded;
    if (id > this.lastId) return UNKNOWN_READS;
    if (this.maxDeletedId === 0n || this.maxDeletedId < this.firstId) {
      if (id < this.firstId) return this.entriesAdded - BigInt(this.length);
      if (id === this.firstId) return this.entriesAdded - BigInt(this.length) + 1n;
    }
    return UNKNOWN_READS;
  }

  /** Entries the group has yet to read, or null when that cannot be known (XINFO lag). */
  lag(group: ConsumerGroup): bigint | null {
    if (this.entriesAdded === 0n || this.length === 0) return 0n;
    if (group.lastId < this.firstId && this.maxDeletedId < this.firstId) return BigInt(this.length);
    if (group.entriesRead !== UNKNOWN_READS && !this.rangeHasTombstones(group.lastId, MAX_ID)) {
      return this.entriesAdded - group.entriesRead;
    }
    const read = this.entriesUpTo(group.lastId);
    return read === UNKNOWN_READS ? null : this.entriesAdded - read;
  }

  /** Moves a group's last delivered ID forward to id, keeping its read counter when possible. */
  advanceGroup(group: ConsumerGroup, id: StreamId): void {
    if (group.entriesRead !== UNKNOWN_READS && group.lastId >= this.firstId && !this.rangeHasTombstones(group.lastId, MAX_ID)) {
      group.entriesRead++;
    } else if (this.entriesAdded > 0n) {
      group.entriesRead = this.entriesUpTo(id);
    }
    group.lastId = id;
  }

  /** Whether a group still needs the entry: one has yet to read it, or has it pending. */
  isReferenced(id: StreamId): boolean {
    for (const group of this.groups.values()) {
      if (group.lastId < id || group.pel.get(id) !== undefined) return true;
    }
    return false;
  }

  /** Removes the entry from every group's PEL; true if one had it. */
  dropReferences(id: StreamId): boolean {
    let dropped = false;
    for (const group of this.groups.values()) dropped = group.ack(id) || dropped;
    return dropped;
  }

  /**
   * Node count of Redis's radix tree keyed by the nodes' 128-bit IDs (XINFO radix-tree-nodes):
   * one node per branching point and per key end, plus one per compressed run of single bytes.
   */
  radixTreeNodes(): number {
    const keys = this.nodes.map((node) => {
      const bytes = new Uint8Array(16);
      let v = node.ids[0];
      for (let i = 15; i >= 0; i--, v >>= 8n) bytes[i] = Number(v & 0xffn);
      return bytes;
    });
    if (keys.length === 0) return 1;
    const count = (lo: number, hi: number, depth: number): number => {
      if (depth === 16) return 1;
      let common = depth;
      if (hi - lo === 1) common = 16;
      else while (keys[lo][common] === keys[hi - 1][common]) common++;
      if (common > depth) return 1 + count(lo, hi, common);
      let total = 1;
      for (let i = lo; i < hi; ) {
        let j = i + 1;
        while (j < hi && keys[j][depth] === keys[i][depth]) j++;
        total += count(i, j, depth + 1);
        i = j;
      }
      return total;
    };
    return count(0, keys.length, 0);
  }

  /** The nodes as persistence (RDB, DUMP) writes them, in ID order. */
  persistedNodes(): readonly PersistedNode[] {
    return this.nodes;
  }

  /**
   * Appends a node read from an RDB file or DUMP payload: its entries in ID order with their
   * fields, null (or the fields Redis kept) for deleted ones. The caller sets length, lastId,
   * firstId, maxDeletedId and entriesAdded from the same source.
   */
  restoreNode(masterFields: string[], ids: StreamId[], items: (string[] | null)[], deleted: boolean[]): void {
    const node = new StreamNode(masterFields);
    for (let i = 0; i < ids.length; i++) {
      node.append(ids[i], items[i] ?? []);
      if (deleted[i]) node.kill(i);
    }
    this.nodes.push(node);
  }

  clone(): Stream {
    const copy = new Stream();
    copy.nodes = this.nodes.map((node) => node.clone());
    copy.length = this.length;
    copy.lastId = this.lastId;
    copy.firstId = this.firstId;
    copy.maxDeletedId = this.maxDeletedId;
    copy.entriesAdded = this.entriesAdded;
    for (const [name, group] of this.groups) copy.groups.set(name, group.clone());
    return copy;
  }
}

export const streamOps: TypeOps = {
  clone: (value) => (value as Stream).clone(),
  encoding: () => "stream",
  // As Redis estimates it: one allocation per node, and per group its PEL (the first group's size).
  freeEffort(value) {
    const stream = value as Stream;
    const first = stream.groups.values().next().value;
    return stream.nodeCount + (first ? stream.groups.size * (1 + first.pel.size) : 0);
  },
};
