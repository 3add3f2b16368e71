// Hash values: a Map of field → value (byte strings), plus what Redis's encoding implies for the
// commands: "listpack" while small (HSCAN answers in one call), converted one way to "hashtable"
// past hash-max-listpack-entries/value. For big hashes a ScanOrder, built on first need, gives
// HSCAN stable cursors and HRANDFIELD O(1) random picks.

import type { Config } from "../../config.js";
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

  get size(): number {
    return this.fields.size;
  }

  get(field: string): string | undefined {
    return this.fields.get(field);
  }

  /** Sets field to value; returns true when the field is new. Converts to hashtable past the limits. */
  set(field: string, value: string, limits: HashLimits): boolean {
    if (this.compact && (field.length > limits.maxValue || value.length > limits.maxValue)) this.compact = false;
    const size = this.fields.size;
    this.fields.set(field, value);
    if (this.fields.size === size) return false;
    if (this.compact && this.fields.size > limits.maxEntries) this.compact = false;
    if (this.order !== null) this.seqs!.set(field, this.order.add(field));
    return true;
  }

  delete(field: string): boolean {
    if (!this.fields.delete(field)) return false;
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

  clone(): HashValue {
    const copy = new HashValue();
    for (const [field, value] of this.fields) copy.fields.set(field, value);
    copy.compact = this.compact;
    return copy;
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
  encoding: (value) => ((value as HashValue).compact ? "listpack" : "hashtable"),
  freeEffort: (value) => ((value as HashValue).compact ? 1 : (value as HashValue).size),
};
