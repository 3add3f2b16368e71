// Hash values: a Map of field → value (byte strings), plus what Redis's encoding implies for the
// commands: "listpack" while small (HSCAN answers in one call), converted one way to "hashtable"
// past hash-max-listpack-entries/value. For big hashes a ScanOrder, built on first need, gives
// HSCAN stable cursors and HRANDFIELD O(1) random picks.
// Fields may carry a TTL (HEXPIRE, HSETEX...): an ExpiryQueue of absolute ms times. Expired fields
// read as missing; commands remove them before running (expireFields), and active expiry removes
// them from hashes nobody reads, through the database's queue of hashes by next field expiry.

import type { Config } from "../../config.js";
import { now } from "../clock.js";
import type { Database } from "../database.js";
import { ExpiryQueue } from "../expiry-queue.js";
import { ScanOrder } from "../scan-order.js";
import type { TypeOps } from "./index.js";

/** The listpack size limits, read from config once per command. */
export interface HashLimits {
  maxEntries: number;
  maxValue: number;
}

export function hashLimits(config: Config): HashLimits {
  return { maxEntries: config.num("hash-max-listpack-entries"), maxValue: config.num("hash-max-listpack-value") };
}

/** Up to this size a random field is found by walking the map instead of building an order. */
const SMALL_WALK = 64;

export class HashValue {
  readonly fields = new Map<string, string>();
  /** True while Redis would keep this hash as a listpack; never becomes true again. */
  compact = true;
  /** Stable iteration order of the fields and each field's position in it; built lazily. */
  private order: ScanOrder | null = null;
  private seqs: Map<string, number> | null = null;
  /** Field TTLs; null until a field first gets one (then the encoding is listpackex while compact). */
  private ttls: ExpiryQueue | null = null;

  get size(): number {
    return this.fields.size;
  }

  /** field's value; undefined when missing or expired (not yet removed). */
  get(field: string): string | undefined {
    const value = this.fields.get(field);
    if (value !== undefined && this.ttls !== null && this.ttls.size > 0) {
      const at = this.ttls.get(field);
      if (at !== undefined && at <= now()) return undefined;
    }
    return value;
  }

  /**
   * Sets field to value, dropping its TTL unless keepTtl; returns true when the field is new.
   * Converts to hashtable past the limits.
   */
  set(field: string, value: string, limits: HashLimits, keepTtl = false): boolean {
    if (this.compact && (field.length > limits.maxValue || value.length > limits.maxValue)) this.compact = false;
    if (!keepTtl && this.ttls !== null) this.ttls.delete(field);
    const size = this.fields.size;
    this.fields.set(field, value);
    if (this.fields.size === size) return false;
    if (this.compact && this.fields.size > limits.maxEntries) this.compact = false;
    if (this.order !== null) this.seqs!.set(field, this.order.add(field));
    return true;
  }

  delete(field: string): boolean {
    if (!this.fields.delete(field)) return false;
    if (this.ttls !== null) this.ttls.delete(field);
    if (this.order !== null) {
      this.order.remove(this.seqs!.get(field)!);
      this.seqs!.delete(field);
    }
    return true;
  }

  /** One HSCAN step over a hashtable hash: visits about count fields from cursor; returns the next cursor. */
  scan(cursor: number, count: number, visit: (field: string, value: string) => void): number {
    const found: string[] = [];
    const next = this.ensureOrder().scan(cursor, count, (field) => found.push(field));
    for (const field of found) visit(field, this.fields.get(field)!);
    return next;
  }

  /** A uniformly random field (the hash must not be empty). */
  randomField(): string {
    if (this.fields.size <= SMALL_WALK) {
      // A short walk is as cheap as keeping an order.
      let skip = Math.floor(Math.random() * this.fields.size);
      for (const field of this.fields.keys()) if (skip-- === 0) return field;
    }
    return this.ensureOrder().random()!;
  }

  /** True when some field has a TTL. */
  get hasFieldTtls(): boolean {
    return this.ttls !== null && this.ttls.size > 0;
  }

  /** field's absolute expiry in ms, 0 when it has none. */
  fieldTtl(field: string): number {
    return this.ttls?.get(field) ?? 0;
  }

  /** Sets field's absolute expiry in ms (the field must exist); 0 removes it. */
  setFieldTtl(field: string, at: number): void {
    if (at !== 0) (this.ttls ??= new ExpiryQueue()).set(field, at);
    else if (this.ttls !== null) this.ttls.delete(field);
  }

  /** The earliest field expiry in ms, 0 when no field has a TTL. */
  nextFieldExpiry(): number {
    return this.ttls === null ? 0 : this.ttls.peek();
  }

  /** Removes up to limit fields expired at t (earliest first) and returns them. */
  removeExpired(t: number, limit: number): string[] {
    const removed: string[] = [];
    if (this.ttls === null) return removed;
    while (removed.length < limit) {
      const field = this.ttls.popDue(t);
      if (field === undefined) break;
      this.delete(field);
      removed.push(field);
    }
    return removed;
  }

  clone(): HashValue {
    const copy = new HashValue();
    for (const [field, value] of this.fields) copy.fields.set(field, value);
    copy.compact = this.compact;
    if (this.ttls !== null) {
      copy.ttls = new ExpiryQueue();
      for (const [field, at] of this.ttls.entries()) copy.ttls.set(field, at);
    }
    return copy;
  }

  /** OBJECT ENCODING: listpackex is a listpack that has had field TTLs. */
  get encoding(): string {
    if (!this.compact) return "hashtable";
    return this.ttls === null ? "listpack" : "listpackex";
  }

  private ensureOrder(): ScanOrder {
    if (this.order === null) {
      this.order = new ScanOrder();
      this.seqs = new Map();
      for (const field of this.fields.keys()) this.seqs.set(field, this.order.add(field));
    }
    return this.order;
  }
}

export const hashOps: TypeOps = {
  clone: (value) => (value as HashValue).clone(),
  encoding: (value) => (value as HashValue).encoding,
  freeEffort: (value) => ((value as HashValue).compact ? 1 : (value as HashValue).size),
};

/** Schedules key's hash for active field expiry at its next field expiry (no-op without field TTLs). */
export function scheduleFieldExpiry(db: Database, key: string, hash: HashValue): void {
  const next = hash.nextFieldExpiry();
  if (next !== 0) db.hashFieldExpiry.set(key, next);
}

/**
 * Removes up to limit fields of key's hash expired at t: each propagated as HDEL, one "hexpired"
 * event, the key deleted ("del") once empty. Returns false when the key was deleted.
 */
export function expireFields(
  db: Database,
  key: string,
  hash: HashValue,
  t: number,
  limit: number,
  propagate: (argv: string[]) => void,
): boolean {
  const fields = hash.removeExpired(t, limit);
  if (fields.length === 0) return true;
  propagate(["hdel", key, ...fields]);
  db.notify("h", "hexpired", key);
  if (hash.size === 0) {
    db.delete(key);
    db.notify("g", "del", key);
    return false;
  }
  db.modified(key);
  return true;
}

/**
 * Active field expiry of one database: expires due fields of the hashes whose next field expiry
 * passed, up to budget fields (a hash left with due fields stays first in line). Returns how many
 * fields were removed.
 */
export function activeExpireFields(db: Database, budget: number, propagate: (argv: string[]) => void): number {
  const t = now();
  let removed = 0;
  while (removed < budget) {
    const key = db.hashFieldExpiry.popDue(t);
    if (key === undefined) break;
    // peek: a key that expired as a whole goes the usual way; a renamed or replaced one is skipped.
    const entry = db.peek(key);
    if (entry === undefined || entry.type !== "hash") continue;
    const hash = entry.value as HashValue;
    const before = hash.size;
    if (expireFields(db, key, hash, t, budget - removed, propagate)) scheduleFieldExpiry(db, key, hash);
    removed += before - hash.size;
  }
  return removed;
}
