// String values. A string key's value is a byte string (a JS string of chars 0-255): every reader
// just reads entry.value. This module owns the two things behind that:
//
// - In-place writes (SETRANGE, APPEND, SETBIT): a big value edited in place switches to a mutable
//   Buffer with spare capacity (sds-like growth). entry.value then becomes an accessor that
//   materializes the string on first read after a write and caches it; assigning entry.value (any
//   SET, db.set/update) turns it back into a plain value. Repeated small edits of a 1 MB value cost
//   O(edit), not O(value), and readers never see the difference.
// - What Redis derives from how a string was made: OBJECT ENCODING (int / embstr / raw; values
//   edited in place are raw, INCRBYFLOAT results are never int) and OBJECT REFCOUNT.

import type { Config } from "../../config.js";
import { isInt64 } from "../../commands/args.js";
import type { Entry } from "../database.js";
import type { TypeOps } from "./index.js";

/** Strings up to this length are embstr when not integers (OBJ_ENCODING_EMBSTR_SIZE_LIMIT). */
const EMBSTR_MAX = 44;
/** Integers 0..9999 are shared objects (OBJ_SHARED_INTEGERS). */
const SHARED_INTEGERS = 10000;
/** Redis reports shared objects with refcount INT_MAX. */
const SHARED_REFCOUNT = 2147483647;
/** Values at least this long are edited in a mutable buffer; smaller ones are cheap to copy. */
const MUTABLE_MIN = 16 * 1024;
/** Growth as sds: double the size up to 1 MB, then add 1 MB. */
const GROWTH_LIMIT = 1024 * 1024;

/** A value being edited in place: bytes [0, length) of buf; text caches them as a string. */
interface Mutable {
  buf: Buffer;
  length: number;
  text: string | null;
}

const mutables = new WeakMap<Entry, Mutable>();

/**
 * Values Redis keeps in a non-integer encoding although they look like integers, per entry: a
 * small value edited in place is raw, an INCRBYFLOAT result is embstr/raw. The mark holds the value
 * it was made for, so any later write of a new value clears it.
 */
const rawValues = new WeakMap<Entry, string>();
const textValues = new WeakMap<Entry, string>();

function readMutable(this: Entry): string {
  const m = mutables.get(this)!;
  if (m.text === null) m.text = m.buf.toString("latin1", 0, m.length);
  return m.text;
}

function replaceMutable(this: Entry, value: unknown): void {
  mutables.delete(this);
  Object.defineProperty(this, "value", { value, writable: true, enumerable: true, configurable: true });
}

function capacityFor(size: number): number {
  return size < GROWTH_LIMIT ? size * 2 : size + GROWTH_LIMIT;
}

/** The mutable form of entry's value with room for size bytes, switching to it on first use. */
function mutableOf(entry: Entry, size: number): Mutable {
  let m = mutables.get(entry);
  if (m === undefined) {
    const text = entry.value as string;
    const buf = Buffer.allocUnsafe(capacityFor(Math.max(size, text.length)));
    buf.write(text, 0, "latin1");
    m = { buf, length: text.length, text };
    mutables.set(entry, m);
    Object.defineProperty(entry, "value", { get: readMutable, set: replaceMutable, enumerable: true, configurable: true });
  } else if (m.buf.length < size) {
    const buf = Buffer.allocUnsafe(capacityFor(size));
    m.buf.copy(buf, 0, 0, m.length);
    m.buf = buf;
  }
  return m;
}

/** The byte length of a string entry's value (without materializing an edited value). */
export function stringLength(entry: Entry): number {
  return mutables.get(entry)?.length ?? (entry.value as string).length;
}

/** Bytes [start, end) of a string entry's value (without materializing an edited value). */
export function stringSlice(entry: Entry, start: number, end: number): string {
  const m = mutables.get(entry);
  if (m === undefined || m.text !== null) return (entry.value as string).slice(start, end);
  return m.buf.toString("latin1", start, Math.min(end, m.length));
}

/**
 * Writes bytes at offset of a string entry's value in place, zero-padding any gap (SETRANGE,
 * APPEND, SETBIT); returns the new length. The caller signals the change (db.modified) and checks
 * size limits.
 */
export function writeString(entry: Entry, offset: number, bytes: string): number {
  const end = offset + bytes.length;
  if (!mutables.has(entry) && Math.max(end, (entry.value as string).length) < MUTABLE_MIN) {
    const next = spliceString(entry.value as string, offset, bytes);
    entry.value = next;
    rawValues.set(entry, next);
    return next.length;
  }
  const m = mutableOf(entry, end);
  if (offset > m.length) m.buf.fill(0, m.length, offset);
  m.buf.write(bytes, offset, "latin1");
  m.length = Math.max(m.length, end);
  m.text = null;
  return m.length;
}

/** s with bytes written at offset, zero-padding any gap. */
function spliceString(s: string, offset: number, bytes: string): string {
  if (offset >= s.length) return offset === s.length ? s + bytes : s + "\0".repeat(offset - s.length) + bytes;
  const end = offset + bytes.length;
  return end >= s.length ? s.slice(0, offset) + bytes : s.slice(0, offset) + bytes + s.slice(end);
}

/** Records that entry's current value was stored as text, never as an integer (INCRBYFLOAT). */
export function markTextValue(entry: Entry): void {
  textValues.set(entry, entry.value as string);
}

/** OBJECT ENCODING of a string; pass the entry so in-place edits and INCRBYFLOAT results are seen. */
export function stringEncoding(value: string, entry?: Entry): "int" | "embstr" | "raw" {
  if (entry !== undefined && (mutables.has(entry) || rawValues.get(entry) === value)) return "raw";
  const text = entry !== undefined && textValues.get(entry) === value;
  if (!text && value.length <= 20 && isInt64(value)) return "int";
  return value.length <= EMBSTR_MAX ? "embstr" : "raw";
}

/** Whether Redis would store small integers as shared objects under this config. */
function sharesIntegers(config: Config): boolean {
  if (config.num("maxmemory") === 0) return true;
  const policy = config.get("maxmemory-policy");
  return !policy.includes("lru") && !policy.includes("lfu");
}

/** COPY shares the value (a string); encoding and refcount accept the entry as an optional third argument. */
export const stringOps: TypeOps = {
  clone: (value) => value,
  encoding: (value, _config, entry?: Entry) => stringEncoding(value as string, entry),
  refcount(value, config, entry?: Entry) {
    const s = value as string;
    if (stringEncoding(s, entry) !== "int" || !sharesIntegers(config)) return 1;
    const n = Number(s);
    return n >= 0 && n < SHARED_INTEGERS ? SHARED_REFCOUNT : 1;
  },
};
