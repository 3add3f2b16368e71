// Database: one numbered keyspace. Owns entries, expiry (lazy on access, active sampling through
// ActiveExpiry), scan order, and the signals other subsystems listen to (modified keys for WATCH
// and client-side caching, keyspace events, keys ready for blocked clients).

import { Errors, fail } from "../errors.js";
import { now } from "./clock.js";
import { ExpiryQueue } from "./expiry-queue.js";
import { KeyTable } from "./key-table.js";
import type { HashValue } from "./types/hash.js";

export type ValueType = "string" | "list" | "set" | "zset" | "hash" | "stream" | "ReJSON-RL";

export interface Entry {
  type: ValueType;
  value: unknown;
  /** Absolute expiry in ms since the epoch; 0 = no expiry. */
  expireAt: number;
  /** Scan-order sequence number. */
  seq: number;
  /** Last access time on the access clock (whole seconds; OBJECT IDLETIME, LRU eviction). */
  lastAccess: number;
  /** Logarithmic access counter (OBJECT FREQ, LFU eviction). */
  freq: number;
}

/**
 * Watches entries while a background snapshot (BGSAVE, AOF rewrite) is taken, so it can save each
 * entry's value as it was when the snapshot started: every way to read or change an entry goes
 * through lookup, peek or set (access), and every way out of the keyspace through removing.
 */
export interface SnapshotObserver {
  /** A live entry is about to be read or changed. */
  access(key: string, entry: Entry): void;
  /** A new entry was stored (it was not there when the snapshot started). */
  created(entry: Entry): void;
  /** An entry is about to leave the keyspace (delete, expiry, rename, flush). */
  removing(key: string, entry: Entry): void;
}

/** What a database tells the rest of the server about. Set by the server; no-ops by default. */
export interface DatabaseEvents {
  /** A key's value changed or it was deleted (WATCH, client tracking). */
  keyModified(db: Database, key: string): void;
  /** A keyspace event for notifications ("set", "del", "expired", ...). */
  keyspaceEvent(db: Database, type: string, event: string, key: string): void;
  /** A list/zset/stream key received data that blocked clients may be waiting for. */
  keyReady(db: Database, key: string): void;
  /** A key was removed because its TTL passed. */
  keyExpired(db: Database, key: string): void;
  /** Every key of db is about to be removed (FLUSHDB/FLUSHALL): WATCH, client tracking. */
  flushed(db: Database): void;
}

/**
 * Access times count whole seconds from 2024-01-01, as Redis's LRU clock has a one-second
 * resolution: small integers, which V8 keeps inside the entry instead of a boxed double.
 */
export const ACCESS_EPOCH_SECONDS = 1_704_067_200;

/** The access clock at time ms (now by default). */
export function accessClock(ms: number = now()): number {
  return Math.floor(ms / 1000) - ACCESS_EPOCH_SECONDS;
}

/** Seconds since the entry was last accessed, at time ms. */
export function idleSeconds(entry: Entry, ms: number = now()): number {
  return Math.max(0, accessClock(ms) - entry.lastAccess);
}

/** Every entry is made here, so all share one V8 shape; its scan-order seq is set once it is placed. */
function newEntry(type: ValueType, value: unknown, expireAt: number): Entry {
  return { type, value, expireAt, seq: 0, lastAccess: accessClock(), freq: 5 };
}

// Most keys have no TTL (expireAt 0). Once one entry stores a non-integer there, V8 would box
// that field as a heap number in every entry; a field that has held a non-number stays a plain
// tagged slot, where 0 costs nothing and only TTL'd keys hold a number object.
(newEntry("string", "", 0) as unknown as { expireAt: unknown }).expireAt = null;

const NO_EVENTS: DatabaseEvents = {
  keyModified() {},
  keyspaceEvent() {},
  keyReady() {},
  keyExpired() {},
  flushed() {},
};

export interface SetOptions {
  /** Keep the existing TTL instead of clearing it. */
  keepTtl?: boolean;
  /** New absolute expiry in ms (0 = none). Ignored when keepTtl is set. */
  expireAt?: number;
}

export class Database {
  /**
   * Keys with their entries, in scan order. A string key loaded from a persistence file without a
   * TTL or access hints is held as the bare string until something first reads or changes it (see
   * entryAt): a large load then makes two heap objects per key instead of three.
   */
  private readonly table = new KeyTable<Entry | string>();
  /** The table's scan order: its entries by position. */
  private readonly order = this.table.order;
  /** The access clock when the bare strings were loaded (their OBJECT IDLETIME counts from it). */
  private loadedAccess = 0;
  /** Shows a bare string to snapshot walks without making its entry (see scanEntries). */
  private readonly bareView = newEntry("string", "", 0);
  /** Keys with a TTL, iterated by active expiry. */
  readonly volatile = new Set<string>();
  /** Hash keys whose fields have TTLs, by their next field expiry (active field expiry; may be stale). */
  readonly hashFieldExpiry = new ExpiryQueue();
  events: DatabaseEvents = NO_EVENTS;
  /** When true, reads do not update access time (CLIENT NO-TOUCH, OBJECT). Set by dispatch. */
  noTouch = false;
  /** While CLIENT PAUSE holds writes, expired keys read as missing but are not deleted. */
  expiryPaused = false;
  /** Keys removed by expiry so far (INFO expired_keys counts across databases). */
  expiredKeys = 0;
  /** While persistence files load, no key counts as expired (as Redis's keyIsExpired when loading). */
  loading = false;
  /** Set while a background snapshot (BGSAVE, AOF rewrite) is taken. */
  snapshot: SnapshotObserver | null = null;

  /** Index is reassigned when SWAPDB swaps two databases. */
  constructor(public index: number) {}

  get size(): number {
    return this.table.size;
  }

  /** The live entry for key (expired keys are deleted on access), updating its access time. */
  lookup(key: string): Entry | undefined {
    const entry = this.peek(key);
    if (entry !== undefined && !this.noTouch) this.touchEntry(entry);
    return entry;
  }

  /** Like lookup but does not count as an access (TYPE-like inspection, OBJECT, TTL). */
  peek(key: string): Entry | undefined {
    const p = this.livePosition(key);
    if (p < 0) return undefined;
    const entry = this.entryAt(p);
    if (this.snapshot !== null) this.snapshot.access(key, entry);
    return entry;
  }

  has(key: string): boolean {
    return this.peek(key) !== undefined;
  }

  /** The value of key if it holds `type`; undefined if missing; WRONGTYPE otherwise. */
  get<T>(key: string, type: ValueType): T | undefined {
    const entry = this.lookup(key);
    if (entry === undefined) return undefined;
    if (entry.type !== type) fail(Errors.wrongType);
    return entry.value as T;
  }

  /**
   * Stores a key read from a persistence file (RDB, AOF base) into a database that was empty when
   * the load began: the fast path of set, without keyspace events (nothing can watch a database
   * being loaded). lastAccess and freq are the file's LRU/LFU hints (-1: none). Returns false,
   * storing nothing, when the key is already there (a duplicate).
   */
  load(key: string, type: ValueType, value: unknown, expireAt: number, lastAccess = -1, freq = -1): boolean {
    if (type === "string" && expireAt === 0 && lastAccess < 0 && freq < 0) {
      this.loadedAccess = accessClock();
      return this.table.add(key, value as string) >= 0;
    }
    const entry = newEntry(type, value, expireAt);
    const p = this.table.add(key, entry);
    if (p < 0) return false;
    entry.seq = this.order.seqAt(p);
    if (lastAccess >= 0) entry.lastAccess = lastAccess;
    if (freq >= 0) entry.freq = freq;
    if (expireAt !== 0) this.volatile.add(key);
    if (type === "hash" && (value as HashValue).hasFieldTtls) this.hashFieldExpiry.set(key, (value as HashValue).nextFieldExpiry());
    return true;
  }

  /** Sizes the keyspace for about `keys` keys in all (a persistence file says how many follow). */
  reserve(keys: number): void {
    this.table.reserve(keys);
  }

  /** Creates or replaces key's value. Clears the TTL unless options keep or set one. */
  set(key: string, type: ValueType, value: unknown, options?: SetOptions): Entry {
    const p = this.table.find(key);
    let entry = p < 0 ? undefined : this.entryAt(p);
    if (entry !== undefined && entry.expireAt !== 0 && entry.expireAt <= this.expiryClock()) {
      this.expire(key);
      entry = undefined;
    }
    if (entry === undefined) {
      entry = newEntry(type, value, 0);
      entry.seq = this.order.seqAt(this.table.add(key, entry));
      if (this.snapshot !== null) this.snapshot.created(entry);
      this.events.keyspaceEvent(this, "n", "new", key);
    } else {
      if (this.snapshot !== null) this.snapshot.access(key, entry);
      this.signalStreamGone(key, entry);
      entry.type = type;
      entry.value = value;
      entry.lastAccess = accessClock();
    }
    if (!options?.keepTtl) this.applyExpire(key, entry, options?.expireAt ?? 0);
    if (type === "hash" && (value as HashValue).hasFieldTtls) this.hashFieldExpiry.set(key, (value as HashValue).nextFieldExpiry());
    this.events.keyModified(this, key);
    return entry;
  }

  /** Replaces the value of an existing entry in place (TTL untouched) and signals the change. */
  update(key: string, entry: Entry, value: unknown): void {
    entry.value = value;
    this.events.keyModified(this, key);
  }

  /** Signals that key's value was mutated in place (list push, hash set, ...). */
  modified(key: string): void {
    this.events.keyModified(this, key);
  }

  /** Signals that key received data blocked clients may be waiting for (list push, ZADD, XADD). */
  signalReady(key: string): void {
    this.events.keyReady(this, key);
  }

  /** Raises a keyspace notification (event class letter as in notify-keyspace-events). */
  notify(type: string, event: string, key: string): void {
    this.events.keyspaceEvent(this, type, event, key);
  }

  delete(key: string): boolean {
    const p = this.table.find(key);
    if (p < 0) return false;
    const live = this.isLive(this.order.valueAt(p), this.expiryClock());
    this.remove(key, p);
    if (!live) {
      this.expiredKeys++;
      this.events.keyExpired(this, key);
      return false;
    }
    this.events.keyModified(this, key);
    return true;
  }

  /** Removes a live key and returns its entry, to be stored again by attach (RENAME, MOVE). */
  detach(key: string): Entry | undefined {
    const p = this.livePosition(key);
    if (p < 0) return undefined;
    const entry = this.entryAt(p);
    this.remove(key, p);
    this.events.keyModified(this, key);
    return entry;
  }

  /**
   * Stores a detached entry under key, replacing any value there, keeping the entry's TTL, access
   * time and frequency, as Redis moves the same object (RENAME, MOVE).
   */
  attach(key: string, entry: Entry): void {
    const old = this.table.find(key);
    if (old >= 0) this.remove(key, old);
    entry.seq = this.order.seqAt(this.table.add(key, entry));
    if (this.snapshot !== null) this.snapshot.created(entry);
    if (entry.expireAt !== 0) this.volatile.add(key);
    if (entry.type === "hash" && (entry.value as HashValue).hasFieldTtls) {
      this.hashFieldExpiry.set(key, (entry.value as HashValue).nextFieldExpiry());
    }
    this.events.keyspaceEvent(this, "n", "new", key);
    this.events.keyModified(this, key);
  }

  /** Sets the absolute expiry (ms) of an existing key; 0 removes it. Returns false if key is missing. */
  setExpire(key: string, at: number): boolean {
    const entry = this.peek(key);
    if (entry === undefined) return false;
    this.applyExpire(key, entry, at);
    this.events.keyModified(this, key);
    return true;
  }


  /** Removes every key. */
  flush(): void {
    this.events.flushed(this);
    const snapshot = this.snapshot;
    if (snapshot !== null) for (const p of this.order.positions()) snapshot.removing(this.order.keyAt(p), this.entryAt(p));
    this.table.clear();
    this.volatile.clear();
    this.hashFieldExpiry.clear();
  }

  /** Live keys (expired ones skipped, not removed). */
  *keys(): IterableIterator<string> {
    const t = now();
    for (const p of this.order.positions()) if (this.isLive(this.order.valueAt(p), t)) yield this.order.keyAt(p);
  }

  /** Live entries (expired ones skipped, not removed). */
  *liveEntries(): IterableIterator<[string, Entry]> {
    const t = now();
    for (const p of this.order.positions()) if (this.isLive(this.order.valueAt(p), t)) yield [this.order.keyAt(p), this.entryAt(p)];
  }

  /** One SCAN step: visits about `count` slots from cursor, calling visit for live keys. */
  scan(cursor: number, count: number, visit: (key: string, entry: Entry) => void): number {
    const found: string[] = [];
    const next = this.order.scan(cursor, count, (key) => found.push(key));
    // Expired keys are deleted only after the walk: a deletion may compact the order under it.
    for (const key of found) {
      const entry = this.peek(key);
      if (entry !== undefined) visit(key, entry);
    }
    return next;
  }

  randomKey(): string | null {
    // Bounded retries over expired keys, as Redis gives up and may return an expired key's name.
    for (let tries = 0; tries < 100; tries++) {
      const key = this.order.random();
      if (key === null) return null;
      if (this.peek(key) !== undefined) return key;
    }
    return this.order.random();
  }

  /**
   * One step over the scan order without expiry checks or other side effects: visits about count
   * slots from cursor with every entry there (expired ones too); returns the next cursor, 0 at the
   * end. Slots come in increasing entry.seq order (persistence snapshots rely on it). A string
   * still held bare is shown through one shared view, valid only during its visit.
   */
  scanEntries(cursor: number, count: number, visit: (key: string, entry: Entry) => void): number {
    return this.order.scan(cursor, count, (key, value, p) => {
      visit(key, typeof value === "string" ? this.asBare(this.bareView, value, p) : value);
    });
  }

  /** Raw entry without expiry checks (persistence, active expiry). */
  rawEntry(key: string): Entry | undefined {
    const p = this.table.find(key);
    return p < 0 ? undefined : this.entryAt(p);
  }

  /** Number of keys with a TTL (INFO keyspace "expires"). */
  get volatileCount(): number {
    return this.volatile.size;
  }

  /** Deletes key as expired: counts it and raises the "expired" event. */
  expire(key: string): void {
    const p = this.table.find(key);
    if (p < 0) return;
    this.remove(key, p);
    this.expiredKeys++;
    this.events.keyExpired(this, key);
    this.events.keyspaceEvent(this, "x", "expired", key);
    this.events.keyModified(this, key);
  }

  /** The time expiry compares with: 0 while loading, when no key expires. */
  private expiryClock(): number {
    return this.loading ? 0 : now();
  }

  /** Position of key if it is live; an expired key is deleted (unless expiry is paused). -1 if none. */
  private livePosition(key: string): number {
    const p = this.table.find(key);
    if (p < 0 || this.isLive(this.order.valueAt(p), this.expiryClock())) return p;
    if (!this.expiryPaused) this.expire(key);
    return -1;
  }

  private isLive(value: Entry | string, t: number): boolean {
    return typeof value === "string" || value.expireAt === 0 || value.expireAt > t;
  }

  /** The entry at position p, made now for a string held bare since it was loaded. */
  private entryAt(p: number): Entry {
    const value = this.order.valueAt(p);
    if (typeof value !== "string") return value;
    const entry = this.asBare(newEntry("string", "", 0), value, p);
    this.order.setValueAt(p, entry);
    return entry;
  }

  /** Fills entry as the bare string `value` at position p stands for (no TTL, loaded access time). */
  private asBare(entry: Entry, value: string, p: number): Entry {
    entry.value = value;
    entry.seq = this.order.seqAt(p);
    entry.lastAccess = this.loadedAccess;
    return entry;
  }

  private touchEntry(entry: Entry): void {
    entry.lastAccess = accessClock();
    if (entry.freq < 255) {
      // Redis's logarithmic counter: the higher it is, the less likely an increment.
      const base = entry.freq - 5;
      if (base <= 0 || Math.random() < 1 / (base * 10 + 1)) entry.freq++;
    }
  }

  private applyExpire(key: string, entry: Entry, at: number): void {
    const before = entry.expireAt;
    entry.expireAt = at;
    // The volatile set changes only when the key gains or loses its TTL.
    if (at === 0) {
      if (before !== 0) this.volatile.delete(key);
    } else if (before === 0) this.volatile.add(key);
  }

  /** Removes the key at position p (a snapshot in progress is shown its entry first). */
  private remove(key: string, p: number): void {
    const value = this.order.valueAt(p);
    if (this.snapshot !== null) this.snapshot.removing(key, this.entryAt(p));
    this.table.delete(key);
    if (typeof value === "string") return;
    if (value.expireAt !== 0) this.volatile.delete(key);
    this.signalStreamGone(key, value);
  }

  /** A stream was deleted or replaced: readers blocked on it by XREADGROUP must fail (its groups went too). */
  private signalStreamGone(key: string, entry: Entry): void {
    if (entry.type === "stream") this.events.keyReady(this, key);
  }
}
