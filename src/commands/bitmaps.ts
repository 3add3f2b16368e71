// Bitmap commands on string values: SETBIT GETBIT BITCOUNT BITPOS BITOP (AND OR XOR NOT and Redis
// 8.2's DIFF DIFF1 ANDOR ONE) BITFIELD BITFIELD_RO. Bits are numbered from the most significant
// bit of the first byte; a missing key or a byte past the end reads as zero. Writes edit the
// value in place through the string type, so SETBIT loops on big values stay O(1) per call.

import { constants } from "node:buffer";
import { Errors, fail } from "../errors.js";
import type { Database, Entry } from "../engine/database.js";
import { stringLength, stringSlice, writeString } from "../engine/types/string.js";
import { array, int, NIL, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, isInt64, parseInt64, parseInteger } from "./args.js";
import type { CommandSpec } from "./types.js";

const BAD_OFFSET = "ERR bit offset is not an integer or out of range";
const BAD_BIT = "ERR bit is not an integer or out of range";
const BAD_TYPE = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";

/** Set bits per byte value. */
const POPCOUNT = new Uint8Array(256);
for (let i = 1; i < 256; i++) POPCOUNT[i] = (i & 1) + POPCOUNT[i >> 1];

/** The live entry of key if it holds a string; undefined if missing; WRONGTYPE otherwise. */
function stringEntry(db: Database, key: string): Entry | undefined {
  const entry = db.lookup(key);
  if (entry !== undefined && entry.type !== "string") fail(Errors.wrongType);
  return entry;
}

/** Byte i of a string entry, 0 past its end. */
function byteAt(entry: Entry, i: number): number {
  return i < stringLength(entry) ? stringSlice(entry, i, i + 1).charCodeAt(0) : 0;
}

/**
 * A bit offset argument; with `bits` set, "#n" means the n-th field of that width. Offsets whose
 * byte would reach proto-max-bulk-len (or what a string can hold) are rejected, as in Redis.
 */
function parseBitOffset(ctx: Session, arg: string, bits = 0): number {
  const hash = bits > 0 && arg.charCodeAt(0) === 35; // "#"
  const text = hash ? arg.slice(1) : arg;
  if (!isInt64(text)) fail(BAD_OFFSET);
  const offset = Number(text) * (hash ? bits : 1);
  const byte = Math.floor(offset / 8);
  if (offset < 0 || byte >= ctx.server.config.num("proto-max-bulk-len") || byte >= constants.MAX_STRING_LENGTH) fail(BAD_OFFSET);
  return offset;
}

/**
 * The string entry of key for a write reaching byte `lastByte`, created or zero-padded as needed;
 * grew tells whether that alone changed the key (new key or longer value).
 */
function stringForWrite(db: Database, key: string, lastByte: number): { entry: Entry; created: boolean; grew: boolean } {
  const existing = stringEntry(db, key);
  const entry = existing ?? db.set(key, "string", "");
  const created = existing === undefined;
  const length = stringLength(entry);
  if (length > lastByte) return { entry, created, grew: created };
  writeString(entry, length, "\0".repeat(lastByte + 1 - length));
  return { entry, created, grew: true };
}

/** Signals an in-place bit write: the key was modified `changes` times (dirty counts each). */
function bitsChanged(ctx: Session, key: string, created: boolean, changes: number): void {
  if (!created) ctx.db.modified(key);
  ctx.server.dirty += changes - 1;
  ctx.db.notify("$", "setbit", key);
}

// ---- SETBIT / GETBIT ----

function setbit(ctx: Session, [key, offsetArg, valueArg]: string[]): Reply {
  const offset = parseBitOffset(ctx, offsetArg);
  if (valueArg !== "0" && valueArg !== "1") fail(BAD_BIT);
  const byte = Math.floor(offset / 8);
  const mask = 0x80 >> (offset & 7);
  const { entry, created, grew } = stringForWrite(ctx.db, key, byte);
  const old = byteAt(entry, byte);
  const next = valueArg === "1" ? old | mask : old & ~mask;
  if (next !== old) writeString(entry, byte, String.fromCharCode(next));
  if (grew || next !== old) bitsChanged(ctx, key, created, 1);
  return (old & mask) !== 0 ? int(1) : ZERO;
}

function getbit(ctx: Session, [key, offsetArg]: string[]): Reply {
  const offset = parseBitOffset(ctx, offsetArg);
  const entry = stringEntry(ctx.db, key);
  if (entry === undefined) return ZERO;
  return (byteAt(entry, Math.floor(offset / 8)) & (0x80 >> (offset & 7))) !== 0 ? int(1) : ZERO;
}

// ---- BITCOUNT / BITPOS ----

/**
 * A byte span of a string with masks for partial first/last bytes: `first` and `last` keep the
 * bits inside a BIT range (0xff for whole bytes). Empty when start > end.
 */
interface Span {
  start: number;
  end: number;
  first: number;
  last: number;
}

/**
 * Resolves start/end (negative from the end) of a BYTE or BIT range over a string of `length`
 * bytes into a byte span, with Redis's clamping.
 */
function resolveSpan(length: number, start: number, end: number, isBit: boolean): Span {
  const total = isBit ? length * 8 : length;
  if (start < 0) start = Math.max(0, total + start);
  if (end < 0) end = Math.max(0, total + end);
  if (end >= total) end = total - 1;
  if (!isBit || start > end) return { start, end, first: 0xff, last: 0xff };
  return { start: Math.floor(start / 8), end: Math.floor(end / 8), first: 0xff >> (start & 7), last: (0xff << (7 - (end & 7))) & 0xff };
}

/** BIT (true) or BYTE (false); anything else is a syntax error. */
function parseUnit(unit: string): boolean {
  if (is(unit, "bit")) return true;
  if (is(unit, "byte")) return false;
  fail(Errors.syntax);
}

function bitcount(ctx: Session, args: string[]): Reply {
  const entry = stringEntry(ctx.db, args[0]);
  if (entry === undefined) return ZERO;
  const length = stringLength(entry);
  let span: Span = { start: 0, end: length - 1, first: 0xff, last: 0xff };
  if (args.length === 3 || args.length === 4) {
    const start = parseInteger(args[1]);
    const end = parseInteger(args[2]);
    const isBit = args.length === 4 && parseUnit(args[3]);
    if (start < 0 && end < 0 && start > end) return ZERO;
    span = resolveSpan(length, start, end, isBit);
  } else if (args.length !== 1) {
    fail(Errors.syntax);
  }
  if (span.start > span.end) return ZERO;
  const bytes = stringSlice(entry, span.start, span.end + 1);
  let count = 0;
  for (let i = 0; i < bytes.length; i++) count += POPCOUNT[bytes.charCodeAt(i)];
  count -= POPCOUNT[bytes.charCodeAt(0) & ~span.first & 0xff];
  count -= POPCOUNT[bytes.charCodeAt(bytes.length - 1) & ~span.last & 0xff];
  return int(count);
}

function bitpos(ctx: Session, args: string[]): Reply {
  const bitArg = parseInteger(args[1]);
  if (bitArg !== 0 && bitArg !== 1) fail("ERR The bit argument must be 1 or 0.");
  const entry = stringEntry(ctx.db, args[0]);
  if (entry === undefined) return int(bitArg === 1 ? -1 : 0);
  const length = stringLength(entry);
  if (args.length > 5) fail(Errors.syntax);
  const endGiven = args.length >= 4;
  let span: Span = { start: 0, end: length - 1, first: 0xff, last: 0xff };
  if (args.length >= 3) {
    const start = parseInteger(args[2]);
    const isBit = args.length === 5 && parseUnit(args[4]);
    const end = endGiven ? parseInteger(args[3]) : -1;
    span = resolveSpan(length, start, end, isBit);
  }
  if (span.start > span.end) return int(-1);
  const bytes = stringSlice(entry, span.start, span.end + 1);
  // Bytes without the wanted bit: 0x00 when looking for a 1, 0xff when looking for a 0.
  const skip = bitArg === 1 ? 0 : 0xff;
  for (let i = span.start; i <= span.end; i++) {
    const c = bytes.charCodeAt(i - span.start);
    if (c === skip && i !== span.start && i !== span.end) continue;
    const hits = (bitArg === 1 ? c : ~c & 0xff) & (i === span.start ? span.first : 0xff) & (i === span.end ? span.last : 0xff);
    if (hits !== 0) return int(i * 8 + Math.clz32(hits) - 24);
  }
  // No 0 bit: without an explicit end the string counts as padded with zeros on the right.
  return int(bitArg === 1 || endGiven ? -1 : (span.end + 1) * 8);
}

// ---- BITOP ----

type BitOp = "and" | "or" | "xor" | "not" | "diff" | "diff1" | "andor" | "one";
const BIT_OPS: readonly BitOp[] = ["and", "or", "xor", "not", "diff", "diff1", "andor", "one"];

/** dst[j] = f(dst[j], src[j]) over src's bytes (bytes past src's end are left to the caller). */
function combine(dst: Uint8Array, src: Uint8Array, f: (a: number, b: number) => number): void {
  for (let j = 0; j < src.length; j++) dst[j] = f(dst[j], src[j]);
}

/** The result of a bit operation over sources zero-padded to the longest one. */
function bitopResult(op: BitOp, sources: Uint8Array[], maxlen: number): Uint8Array {
  const res = new Uint8Array(maxlen);
  res.set(sources[0]);
  const rest = sources.slice(1);
  switch (op) {
    case "not":
      for (let j = 0; j < maxlen; j++) res[j] = ~res[j];
      break;
    case "and":
      for (const s of rest) {
        combine(res, s, (a, b) => a & b);
        res.fill(0, s.length);
      }
      break;
    case "or":
      for (const s of rest) combine(res, s, (a, b) => a | b);
      break;
    case "xor":
      for (const s of rest) combine(res, s, (a, b) => a ^ b);
      break;
    case "one": {
      // Parity of the sources, minus the bits seen in more than one of them.
      const common = new Uint8Array(maxlen);
      for (const s of rest) {
        for (let j = 0; j < s.length; j++) {
          common[j] |= res[j] & s[j];
          res[j] ^= s[j];
        }
      }
      combine(res, common, (a, c) => a & ~c);
      break;
    }
    default: {
      // DIFF, DIFF1 and ANDOR combine the first source with the union of the others.
      const others = new Uint8Array(maxlen);
      for (const s of rest) combine(others, s, (a, b) => a | b);
      const f = op === "diff" ? (x: number, y: number) => x & ~y : op === "diff1" ? (x: number, y: number) => ~x & y : (x: number, y: number) => x & y;
      combine(res, others, f);
    }
  }
  return res;
}

function bitop(ctx: Session, [opArg, dest, ...keys]: string[]): Reply {
  const op = BIT_OPS.find((o) => is(opArg, o));
  if (op === undefined) fail(Errors.syntax);
  if (op === "not" && keys.length !== 1) fail("ERR BITOP NOT must be called with a single source key.");
  if ((op === "diff" || op === "diff1" || op === "andor") && keys.length < 2) {
    fail(`ERR BITOP ${op.toUpperCase()} must be called with at least two source keys.`);
  }
  const db = ctx.db;
  const sources: Uint8Array[] = [];
  let maxlen = 0;
  for (const key of keys) {
    const entry = stringEntry(db, key);
    const bytes = entry === undefined ? new Uint8Array(0) : Buffer.from(entry.value as string, "latin1");
    sources.push(bytes);
    maxlen = Math.max(maxlen, bytes.length);
  }
  if (maxlen === 0) {
    if (db.delete(dest)) db.notify("g", "del", dest);
    return ZERO;
  }
  const result = bitopResult(op, sources, maxlen);
  db.set(dest, "string", Buffer.from(result.buffer, result.byteOffset, result.length).toString("latin1"));
  db.notify("$", "set", dest);
  return int(maxlen);
}

// ---- BITFIELD ----

type Overflow = "wrap" | "sat" | "fail";

interface FieldOp {
  kind: "get" | "set" | "incrby";
  signed: boolean;
  bits: number;
  offset: number;
  value: bigint;
  overflow: Overflow;
}

/** "i1".."i64" or "u1".."u63". */
function parseFieldType(arg: string): { signed: boolean; bits: number } {
  const c = arg.charCodeAt(0);
  const text = arg.slice(1);
  if ((c !== 105 && c !== 117) || !isInt64(text)) fail(BAD_TYPE); // "i" or "u"
  const signed = c === 105;
  const bits = Number(text);
  if (bits < 1 || bits > (signed ? 64 : 63)) fail(BAD_TYPE);
  return { signed, bits };
}

/** Parses BITFIELD's subcommands in order; OVERFLOW changes the mode of the ones after it. */
function parseFieldOps(ctx: Session, args: string[]): FieldOp[] {
  const ops: FieldOp[] = [];
  let overflow: Overflow = "wrap";
  for (let j = 0; j < args.length; j++) {
    const remaining = args.length - j - 1;
    const sub = args[j];
    let kind: FieldOp["kind"];
    if (is(sub, "get") && remaining >= 2) kind = "get";
    else if (is(sub, "set") && remaining >= 3) kind = "set";
    else if (is(sub, "incrby") && remaining >= 3) kind = "incrby";
    else if (is(sub, "overflow") && remaining >= 1) {
      const mode = args[++j].toLowerCase();
      if (mode !== "wrap" && mode !== "sat" && mode !== "fail") fail("ERR Invalid OVERFLOW type specified");
      overflow = mode;
      continue;
    } else fail(Errors.syntax);
    const { signed, bits } = parseFieldType(args[j + 1]);
    const offset = parseBitOffset(ctx, args[j + 2], bits);
    const value = kind === "get" ? 0n : parseInt64(args[j + 3]);
    ops.push({ kind, signed, bits, offset, value, overflow });
    j += kind === "get" ? 2 : 3;
  }
  return ops;
}

/** The up to 72 bits of the 9 bytes starting at the field's first byte, as one big-endian number. */
function fieldWindow(entry: Entry | undefined, offset: number): bigint {
  const byte = Math.floor(offset / 8);
  const bytes = entry === undefined ? "" : stringSlice(entry, byte, byte + 9);
  let window = 0n;
  for (let i = 0; i < 9; i++) window = (window << 8n) | BigInt(i < bytes.length ? bytes.charCodeAt(i) : 0);
  return window;
}

/** The shift that moves a field of `bits` at `offset` to the low end of its window. */
function fieldShift(offset: number, bits: number): bigint {
  return BigInt(72 - (offset & 7) - bits);
}

function readField(entry: Entry | undefined, op: FieldOp): bigint {
  const raw = (fieldWindow(entry, op.offset) >> fieldShift(op.offset, op.bits)) & ((1n << BigInt(op.bits)) - 1n);
  return op.signed ? BigInt.asIntN(op.bits, raw) : raw;
}

function writeField(entry: Entry, op: FieldOp, value: bigint): void {
  const shift = fieldShift(op.offset, op.bits);
  const mask = ((1n << BigInt(op.bits)) - 1n) << shift;
  let window = (fieldWindow(entry, op.offset) & ~mask) | ((BigInt.asUintN(op.bits, value) << shift) & mask);
  const first = Math.floor(op.offset / 8);
  const count = Math.floor((op.offset + op.bits - 1) / 8) - first + 1;
  const bytes = new Array<number>(9);
  for (let i = 8; i >= 0; i--) {
    bytes[i] = Number(window & 0xffn);
    window >>= 8n;
  }
  writeString(entry, first, String.fromCharCode(...bytes.slice(0, count)));
}

/**
 * The value a SET/INCRBY stores: the exact result when it fits the field, else per the overflow
 * mode (WRAP modulo 2^bits, SAT clamped), or null for FAIL.
 */
function fitField(op: FieldOp, exact: bigint): bigint | null {
  const width = BigInt(op.bits);
  const min = op.signed ? -(1n << (width - 1n)) : 0n;
  const max = op.signed ? (1n << (width - 1n)) - 1n : (1n << width) - 1n;
  if (exact >= min && exact <= max) return exact;
  if (op.overflow === "fail") return null;
  if (op.overflow === "sat") return exact > max ? max : min;
  return op.signed ? BigInt.asIntN(op.bits, exact) : BigInt.asUintN(op.bits, exact);
}

function intReply(n: bigint): Reply {
  return int(n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n);
}

function bitfield(ctx: Session, [key, ...args]: string[], readOnly: boolean): Reply {
  const ops = parseFieldOps(ctx, args);
  const writes = ops.filter((op) => op.kind !== "get");
  const db = ctx.db;
  if (writes.length === 0) {
    const entry = stringEntry(db, key);
    return array(ops.map((op) => intReply(readField(entry, op))));
  }
  if (readOnly) fail("ERR BITFIELD_RO only supports the GET subcommand");
  const lastByte = Math.max(...writes.map((op) => Math.floor((op.offset + op.bits - 1) / 8)));
  const { entry, created, grew } = stringForWrite(db, key, lastByte);
  let changes = 0;
  const replies = ops.map((op) => {
    const old = readField(entry, op);
    if (op.kind === "get") return intReply(old);
    // An unsigned SET takes the argument as the 64-bit pattern Redis casts it to.
    const exact = op.kind === "incrby" ? old + op.value : op.signed ? op.value : BigInt.asUintN(64, op.value);
    const next = fitField(op, exact);
    if (next === null) return NIL;
    writeField(entry, op, next);
    if (grew || next !== old) changes++;
    return intReply(op.kind === "incrby" ? next : old);
  });
  if (changes > 0) bitsChanged(ctx, key, created, changes);
  return array(replies);
}

// ---- The command table ----

const ONE_KEY = { first: 1, last: 1, step: 1 };

/** A bitmap-group command. */
function cmd(spec: Omit<CommandSpec, "group" | "categories">): CommandSpec {
  return { group: "bitmap", categories: ["bitmap"], ...spec };
}

export const bitmaps: CommandSpec[] = [
  cmd({
    name: "setbit", arity: 4, flags: ["write", "denyoom"], keys: ONE_KEY, since: "2.2.0", syntax: "key offset value",
    summary: "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.",
    complexity: "O(1)",
    run: setbit,
  }),
  cmd({
    name: "getbit", arity: 3, flags: ["readonly", "fast"], keys: ONE_KEY, since: "2.2.0", syntax: "key offset",
    summary: "Returns a bit value by offset.",
    complexity: "O(1)",
    run: getbit,
  }),
  cmd({
    name: "bitcount", arity: -2, flags: ["readonly"], keys: ONE_KEY, since: "2.6.0", syntax: "key [start end [BYTE | BIT]]",
    summary: "Counts the number of set bits (population counting) in a string.",
    complexity: "O(N)",
    run: bitcount,
  }),
  cmd({
    name: "bitpos", arity: -3, flags: ["readonly"], keys: ONE_KEY, since: "2.8.7", syntax: "key bit [start [end [BYTE | BIT]]]",
    summary: "Finds the first set (1) or clear (0) bit in a string.",
    complexity: "O(N)",
    run: bitpos,
  }),
  cmd({
    name: "bitop", arity: -4, flags: ["write", "denyoom"], keys: { first: 2, last: -1, step: 1 }, since: "2.6.0",
    syntax: "<AND | OR | XOR | NOT | DIFF | DIFF1 | ANDOR | ONE> destkey key [key ...]",
    summary: "Performs bitwise operations on multiple strings, and stores the result.",
    complexity: "O(N)",
    run: bitop,
  }),
  cmd({
    name: "bitfield", arity: -2, flags: ["write", "denyoom"], keys: ONE_KEY, since: "3.2.0",
    syntax: "key [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> [GET encoding offset | [OVERFLOW <WRAP | SAT | FAIL>] <SET encoding offset value | INCRBY encoding offset increment> ...]]",
    summary: "Performs arbitrary bitfield integer operations on strings.",
    complexity: "O(1) for each subcommand specified",
    run: (ctx, args) => bitfield(ctx, args, false),
  }),
  cmd({
    name: "bitfield_ro", arity: -2, flags: ["readonly", "fast"], keys: ONE_KEY, since: "6.0.0",
    syntax: "key [GET encoding offset [GET encoding offset ...]]",
    summary: "Performs arbitrary read-only bitfield integer operations on strings.",
    complexity: "O(1) for each subcommand specified",
    run: (ctx, args) => bitfield(ctx, args, true),
  }),
];
