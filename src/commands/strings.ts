// String commands: GET SET GETEX GETDEL GETSET SETNX SETEX PSETEX MGET MSET MSETNX APPEND STRLEN
// INCR DECR INCRBY DECRBY INCRBYFLOAT GETRANGE SUBSTR SETRANGE LCS. Values are byte strings;
// counters are int64-exact and INCRBYFLOAT computes in long double, as Redis does.

import { constants } from "node:buffer";
import { Errors, fail } from "../errors.js";
import { now } from "../engine/clock.js";
import type { Database, Entry } from "../engine/database.js";
import { addLongDouble, LD_ZERO, longDoubleToString, parseLongDouble } from "../engine/long-double.js";
import { markTextValue, stringLength, stringSlice, writeString } from "../engine/types/string.js";
import { array, bulk, bulkOrNil, EMPTY_ARRAY, int, map, NIL, OK, ONE, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, isInt64, parseInt64, parseInteger } from "./args.js";
import type { CommandSpec } from "./types.js";

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const EMPTY_BULK = bulk("");
const TOO_BIG = "ERR string exceeds maximum allowed size (proto-max-bulk-len)";

/** A string-group command; the string ACL category unless stated. */
function cmd(spec: Omit<CommandSpec, "group" | "categories">): CommandSpec {
  return { group: "string", categories: ["string"], complexity: "O(1)", ...spec };
}

const ONE_KEY = { first: 1, last: 1, step: 1 };

/** The live entry of key if it holds a string; undefined if missing; WRONGTYPE otherwise. */
function stringEntry(db: Database, key: string): Entry | undefined {
  const entry = db.lookup(key);
  if (entry !== undefined && entry.type !== "string") fail(Errors.wrongType);
  return entry;
}

/** Stores a new value: in the existing entry (TTL kept, as Redis's in-place updates) or as a new key. */
function store(db: Database, key: string, entry: Entry | undefined, value: string): Entry {
  if (entry === undefined) return db.set(key, "string", value);
  db.update(key, entry, value);
  return entry;
}

/** Rejects a string that would grow past proto-max-bulk-len (or what a JS string can hold). */
function checkLength(ctx: Session, total: number): void {
  if (total > ctx.server.config.num("proto-max-bulk-len") || total > constants.MAX_STRING_LENGTH) fail(TOO_BIG);
}

// ---- SET and its options ----

type ExpireUnit = "ex" | "px" | "exat" | "pxat";

interface SetOptions {
  nx: boolean;
  xx: boolean;
  get: boolean;
  keepTtl: boolean;
  persist: boolean;
  unit: ExpireUnit | null;
  expire: string;
}

const EXPIRE_UNITS: readonly ExpireUnit[] = ["ex", "px", "exat", "pxat"];

const NO_OPTIONS: Readonly<SetOptions> = { nx: false, xx: false, get: false, keepTtl: false, persist: false, unit: null, expire: "" };

/**
 * Parses SET's (or, with forGetex, GETEX's) options from args[from..] with Redis's rules: an
 * option may repeat, but conflicting ones (NX/XX, two expire units, KEEPTTL/PERSIST with an
 * expire) are a syntax error.
 */
function parseSetOptions(args: string[], from: number, forGetex: boolean): Readonly<SetOptions> {
  if (from >= args.length) return NO_OPTIONS;
  const o = { ...NO_OPTIONS };
  for (let i = from; i < args.length; i++) {
    const opt = args[i].toLowerCase();
    const unit = EXPIRE_UNITS.find((u) => u === opt);
    if (!forGetex && opt === "nx" && !o.xx) o.nx = true;
    else if (!forGetex && opt === "xx" && !o.nx) o.xx = true;
    else if (!forGetex && opt === "get") o.get = true;
    else if (!forGetex && opt === "keepttl" && o.unit === null) o.keepTtl = true;
    else if (forGetex && opt === "persist" && o.unit === null) o.persist = true;
    else if (unit && !o.keepTtl && !o.persist && (o.unit === null || o.unit === unit) && i + 1 < args.length) {
      o.unit = unit;
      o.expire = args[++i];
    } else fail(Errors.syntax);
  }
  return o;
}

/** The absolute expiry (ms) an expire argument means, with Redis's range checks and errors. */
function expireTime(command: string, unit: ExpireUnit, arg: string): number {
  const seconds = unit === "ex" || unit === "exat";
  const relative = unit === "ex" || unit === "px";
  if (arg.length <= 12) {
    // Fast path: every step stays far inside the exact range of a double.
    const n = parseInteger(arg);
    if (n <= 0) fail(Errors.invalidExpire(command));
    return (seconds ? n * 1000 : n) + (relative ? now() : 0);
  }
  const n = parseInt64(arg);
  if (n <= 0n || (seconds && n > INT64_MAX / 1000n)) fail(Errors.invalidExpire(command));
  const at = (seconds ? n * 1000n : n) + (relative ? BigInt(now()) : 0n);
  if (at > INT64_MAX) fail(Errors.invalidExpire(command));
  return Number(at);
}

/** SET and its variants: the options decide; okReply/abortReply are SETNX's 1/0. */
function setGeneric(ctx: Session, command: string, key: string, value: string, o: Readonly<SetOptions>, okReply = OK, abortReply = NIL): Reply {
  const expireAt = o.unit === null ? 0 : expireTime(command, o.unit, o.expire);
  const db = ctx.db;
  // A plain SET need not look the key up first: set replaces whatever is there.
  const entry = o.get ? stringEntry(db, key) : o.nx || o.xx ? db.lookup(key) : undefined;
  const old = o.get ? bulkOrNil(entry?.value as string | undefined) : null;
  if ((o.nx && entry !== undefined) || (o.xx && entry === undefined)) {
    ctx.propagateAs();
    return old ?? abortReply;
  }
  db.set(key, "string", value, { keepTtl: o.keepTtl, expireAt });
  db.notify("$", "set", key);
  if (expireAt !== 0) db.notify("g", "expire", key);
  // Propagated with an absolute expiry and without GET/NX/XX, which were settled here (a plain
  // SET key value already is that form).
  if (o !== NO_OPTIONS) {
    const ttl = expireAt !== 0 ? ["PXAT", String(expireAt)] : o.keepTtl ? ["KEEPTTL"] : [];
    ctx.propagateAs(["set", key, value, ...ttl]);
  }
  return old ?? okReply;
}

function setWithExpire(ctx: Session, command: string, unit: ExpireUnit, [key, expire, value]: string[]): Reply {
  return setGeneric(ctx, command, key, value, { ...NO_OPTIONS, unit, expire });
}

// ---- GETEX ----

function getex(ctx: Session, args: string[]): Reply {
  const o = parseSetOptions(args, 1, true);
  const key = args[0];
  const db = ctx.db;
  const entry = stringEntry(db, key);
  if (entry === undefined) return NIL;
  const expireAt = o.unit === null ? 0 : expireTime("getex", o.unit, o.expire);
  const reply = bulk(entry.value as string);
  if ((o.unit === "exat" || o.unit === "pxat") && expireAt <= now()) {
    db.delete(key);
    db.notify("g", "del", key);
    ctx.propagateAs(["del", key]);
  } else if (o.unit !== null) {
    db.setExpire(key, expireAt);
    db.notify("g", "expire", key);
    ctx.propagateAs(["pexpireat", key, String(expireAt)]);
  } else if (o.persist && entry.expireAt !== 0) {
    db.setExpire(key, 0);
    db.notify("g", "persist", key);
    ctx.propagateAs(["persist", key]);
  } else ctx.propagateAs();
  return reply;
}

// ---- MSET / MSETNX ----

function mset(ctx: Session, command: string, args: string[], onlyIfNoneExists: boolean): Reply {
  if (args.length % 2 !== 0) fail(Errors.wrongArgs(command));
  const db = ctx.db;
  if (onlyIfNoneExists) {
    for (let i = 0; i < args.length; i += 2) if (db.lookup(args[i]) !== undefined) return ZERO;
  }
  for (let i = 0; i < args.length; i += 2) {
    db.set(args[i], "string", args[i + 1]);
    db.notify("$", "set", args[i]);
  }
  return onlyIfNoneExists ? ONE : OK;
}

// ---- Counters ----

/** A stored value as an int64 (number when exactly representable), or null if it is not one. */
function toInt64(s: string): number | bigint | null {
  if (!isInt64(s)) return null;
  return s.length < 16 ? Number(s) : BigInt(s);
}

/** a + b in int64, or null on overflow. */
function addInt64(a: number | bigint, b: number | bigint): number | bigint | null {
  if (typeof a === "number" && typeof b === "number") {
    const sum = a + b;
    if (Number.isSafeInteger(sum)) return sum;
  }
  const sum = BigInt(a) + BigInt(b);
  if (sum > INT64_MAX || sum < INT64_MIN) return null;
  return sum >= BigInt(Number.MIN_SAFE_INTEGER) && sum <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(sum) : sum;
}

function parseIncrement(arg: string): number | bigint {
  const n = toInt64(arg);
  if (n === null) fail(Errors.notInteger);
  return n;
}

/** INCR/DECR/INCRBY/DECRBY: the key keeps its TTL. */
function incrBy(ctx: Session, key: string, delta: number | bigint): Reply {
  const db = ctx.db;
  const entry = stringEntry(db, key);
  let current: number | bigint = 0;
  if (entry !== undefined) {
    const n = toInt64(entry.value as string);
    if (n === null) fail(Errors.notInteger);
    current = n;
  }
  const next = addInt64(current, delta);
  if (next === null) fail(Errors.overflow);
  store(db, key, entry, String(next));
  db.notify("$", "incrby", key);
  return int(next);
}

function incrByFloat(ctx: Session, [key, increment]: string[]): Reply {
  const db = ctx.db;
  const entry = stringEntry(db, key);
  const current = entry === undefined ? LD_ZERO : parseLongDouble(entry.value as string);
  const delta = parseLongDouble(increment);
  if (current === null || delta === null) fail(Errors.notFloat);
  const sum = addLongDouble(current, delta);
  if (sum === null) fail("ERR increment would produce NaN or Infinity");
  const text = longDoubleToString(sum);
  markTextValue(store(db, key, entry, text));
  db.notify("$", "incrbyfloat", key);
  // The result, not the increment: float arithmetic need not give the same digits on replay.
  ctx.propagateAs(["set", key, text, "KEEPTTL"]);
  return bulk(text);
}

// ---- Ranges ----

function getrange(ctx: Session, [key, startArg, endArg]: string[]): Reply {
  let start = parseInteger(startArg);
  let end = parseInteger(endArg);
  const entry = stringEntry(ctx.db, key);
  if (entry === undefined) return EMPTY_BULK;
  const length = stringLength(entry);
  if (start < 0 && end < 0 && start > end) return EMPTY_BULK;
  if (start < 0) start = Math.max(0, length + start);
  if (end < 0) end = Math.max(0, length + end);
  if (end >= length) end = length - 1;
  if (start > end || length === 0) return EMPTY_BULK;
  return bulk(stringSlice(entry, start, end + 1));
}

function setrange(ctx: Session, [key, offsetArg, value]: string[]): Reply {
  const offset = parseInteger(offsetArg);
  if (offset < 0) fail("ERR offset is out of range");
  const db = ctx.db;
  const entry = stringEntry(db, key);
  if (value.length === 0) return int(entry === undefined ? 0 : stringLength(entry));
  checkLength(ctx, offset + value.length);
  const length = writeString(entry ?? db.set(key, "string", ""), offset, value);
  if (entry !== undefined) db.modified(key);
  db.notify("$", "setrange", key);
  return int(length);
}

function append(ctx: Session, [key, value]: string[]): Reply {
  const db = ctx.db;
  const entry = stringEntry(db, key);
  let length = value.length;
  if (entry === undefined) {
    db.set(key, "string", value);
  } else {
    const current = stringLength(entry);
    checkLength(ctx, current + value.length);
    length = writeString(entry, current, value);
    db.modified(key);
  }
  db.notify("$", "append", key);
  return int(length);
}

// ---- LCS ----

interface LcsOptions {
  len: boolean;
  idx: boolean;
  withMatchLen: boolean;
  minMatchLen: number;
}

function parseLcsOptions(args: string[]): LcsOptions {
  const o: LcsOptions = { len: false, idx: false, withMatchLen: false, minMatchLen: 0 };
  for (let i = 2; i < args.length; i++) {
    const opt = args[i];
    if (is(opt, "idx")) o.idx = true;
    else if (is(opt, "len")) o.len = true;
    else if (is(opt, "withmatchlen")) o.withMatchLen = true;
    else if (is(opt, "minmatchlen") && i + 1 < args.length) o.minMatchLen = Math.max(0, parseInteger(args[++i]));
    else fail(Errors.syntax);
  }
  if (o.idx && o.len) fail("ERR If you want both the length and indexes, please just use IDX.");
  return o;
}

/** The DP table: cell (i, j) holds the LCS length of a[0..i) and b[0..j), row-major with width b.length + 1. */
function lcsTable(ctx: Session, a: string, b: string): Uint32Array {
  const cells = (a.length + 1) * (b.length + 1);
  if (cells * 4 > ctx.server.config.num("proto-max-bulk-len")) {
    fail("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
  }
  let table: Uint32Array;
  try {
    table = new Uint32Array(cells);
  } catch {
    fail("ERR Insufficient memory, failed allocating transient memory for LCS");
  }
  const width = b.length + 1;
  for (let i = 1; i <= a.length; i++) {
    const c = a.charCodeAt(i - 1);
    const row = i * width;
    const above = row - width;
    for (let j = 1; j <= b.length; j++) {
      if (c === b.charCodeAt(j - 1)) table[row + j] = table[above + j - 1] + 1;
      else {
        const up = table[above + j];
        const left = table[row + j - 1];
        table[row + j] = up > left ? up : left;
      }
    }
  }
  return table;
}

/**
 * Walks the table back from the end as Redis does, collecting the LCS bytes and the matching
 * ranges (latest first), each as [aStart, aEnd, bStart, bEnd].
 */
function lcsWalk(a: string, b: string, table: Uint32Array): { text: string; ranges: number[][] } {
  const width = b.length + 1;
  let k = table[a.length * width + b.length];
  const out = Buffer.allocUnsafe(k);
  const ranges: number[][] = [];
  let aStart = -1;
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = a.length;
  let j = b.length;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      out[--k] = a.charCodeAt(i - 1);
      if (aStart === -1) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else emit = true;
      if (aStart === 0 || bStart === 0) emit = true;
      i--;
      j--;
    } else {
      if (table[(i - 1) * width + j] > table[i * width + j - 1]) i--;
      else j--;
      if (aStart !== -1) emit = true;
    }
    if (emit) {
      ranges.push([aStart, aEnd, bStart, bEnd]);
      aStart = -1;
    }
  }
  return { text: out.toString("latin1"), ranges };
}

function lcs(ctx: Session, args: string[]): Reply {
  const db = ctx.db;
  const first = db.lookup(args[0]);
  const second = db.lookup(args[1]);
  if ((first && first.type !== "string") || (second && second.type !== "string")) {
    fail("ERR The specified keys must contain string values");
  }
  const o = parseLcsOptions(args);
  const a = (first?.value as string | undefined) ?? "";
  const b = (second?.value as string | undefined) ?? "";
  const table = lcsTable(ctx, a, b);
  const length = table[table.length - 1];
  if (o.len) return int(length);
  const { text, ranges } = lcsWalk(a, b, table);
  if (!o.idx) return bulk(text);
  const matches: Reply[] = [];
  for (const [as, ae, bs, be] of ranges) {
    const matchLen = ae - as + 1;
    if (o.minMatchLen !== 0 && matchLen < o.minMatchLen) continue;
    const item = [array([int(as), int(ae)]), array([int(bs), int(be)])];
    if (o.withMatchLen) item.push(int(matchLen));
    matches.push(array(item));
  }
  return map([bulk("matches"), matches.length === 0 ? EMPTY_ARRAY : array(matches), bulk("len"), int(length)]);
}

// ---- The command table ----

/** GETRANGE and its old name SUBSTR. */
function rangeCommand(name: string, since: string): CommandSpec {
  return cmd({
    name, arity: 4, flags: ["readonly"], keys: ONE_KEY, since, syntax: "key start end",
    summary: "Get a substring of the string stored at a key",
    complexity: "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.",
    run: getrange,
  });
}

export const strings: CommandSpec[] = [
  cmd({
    name: "get", arity: 2, flags: ["readonly", "fast"], keys: ONE_KEY, since: "1.0.0", syntax: "key",
    summary: "Get the value of a key",
    run: (ctx, [key]) => bulkOrNil(stringEntry(ctx.db, key)?.value as string | undefined),
  }),
  cmd({
    name: "set", arity: -3, flags: ["write", "denyoom"], keys: ONE_KEY, since: "1.0.0",
    syntax: "key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]",
    summary: "Set the string value of a key",
    run: (ctx, args) => setGeneric(ctx, "set", args[0], args[1], parseSetOptions(args, 2, false)),
  }),
  cmd({
    name: "getex", arity: -2, flags: ["write", "fast"], keys: ONE_KEY, since: "6.2.0",
    syntax: "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]",
    summary: "Get the value of a key and optionally set its expiration",
    run: getex,
  }),
  cmd({
    name: "getdel", arity: 2, flags: ["write", "fast"], keys: ONE_KEY, since: "6.2.0", syntax: "key",
    summary: "Get the value of a key and delete the key",
    run(ctx, [key]) {
      const entry = stringEntry(ctx.db, key);
      if (entry === undefined) return NIL;
      ctx.db.delete(key);
      ctx.db.notify("g", "del", key);
      ctx.propagateAs(["del", key]);
      return bulk(entry.value as string);
    },
  }),
  cmd({
    name: "getset", arity: 3, flags: ["write", "denyoom", "fast"], keys: ONE_KEY, since: "1.0.0", syntax: "key value",
    summary: "Set the string value of a key and return its old value",
    run: (ctx, [key, value]) => setGeneric(ctx, "getset", key, value, { ...NO_OPTIONS, get: true }),
  }),
  cmd({
    name: "setnx", arity: 3, flags: ["write", "denyoom", "fast"], keys: ONE_KEY, since: "1.0.0", syntax: "key value",
    summary: "Set the value of a key, only if the key does not exist",
    run: (ctx, [key, value]) => setGeneric(ctx, "setnx", key, value, { ...NO_OPTIONS, nx: true }, ONE, ZERO),
  }),
  cmd({
    name: "setex", arity: 4, flags: ["write", "denyoom"], keys: ONE_KEY, since: "2.0.0", syntax: "key seconds value",
    summary: "Set the value and expiration of a key",
    run: (ctx, args) => setWithExpire(ctx, "setex", "ex", args),
  }),
  cmd({
    name: "psetex", arity: 4, flags: ["write", "denyoom"], keys: ONE_KEY, since: "2.6.0", syntax: "key milliseconds value",
    summary: "Set the value and expiration in milliseconds of a key",
    run: (ctx, args) => setWithExpire(ctx, "psetex", "px", args),
  }),
  cmd({
    name: "mget", arity: -2, flags: ["readonly", "fast"], keys: { first: 1, last: -1, step: 1 }, since: "1.0.0",
    syntax: "key [key ...]", summary: "Get the values of all the given keys",
    complexity: "O(N) where N is the number of keys to retrieve.",
    run(ctx, keys) {
      const db = ctx.db;
      const out: Reply[] = new Array(keys.length);
      for (let i = 0; i < keys.length; i++) {
        const entry = db.lookup(keys[i]);
        out[i] = entry !== undefined && entry.type === "string" ? bulk(entry.value as string) : NIL;
      }
      return array(out);
    },
  }),
  cmd({
    name: "mset", arity: -3, flags: ["write", "denyoom"], keys: { first: 1, last: -1, step: 2 }, since: "1.0.1",
    syntax: "key value [key value ...]", summary: "Set multiple keys to multiple values",
    complexity: "O(N) where N is the number of keys to set.",
    run: (ctx, args) => mset(ctx, "mset", args, false),
  }),
  cmd({
    name: "msetnx", arity: -3, flags: ["write", "denyoom"], keys: { first: 1, last: -1, step: 2 }, since: "1.0.1",
    syntax: "key value [key value ...]", summary: "Set multiple keys to multiple values, only if none of the keys exist",
    complexity: "O(N) where N is the number of keys to set.",
    run: (ctx, args) => mset(ctx, "msetnx", args, true),
  }),
  cmd({
    name: "append", arity: 3, flags: ["write", "denyoom", "fast"], keys: ONE_KEY, since: "2.0.0", syntax: "key value",
    summary: "Append a value to a key",
    complexity: "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.",
    run: append,
  }),
  cmd({
    name: "strlen", arity: 2, flags: ["readonly", "fast"], keys: ONE_KEY, since: "2.2.0", syntax: "key",
    summary: "Get the length of the value stored in a key",
    run(ctx, [key]) {
      const entry = stringEntry(ctx.db, key);
      return int(entry === undefined ? 0 : stringLength(entry));
    },
  }),
  cmd({
    name: "incr", arity: 2, flags: ["write", "denyoom", "fast"], keys: ONE_KEY, since: "1.0.0", syntax: "key",
    summary: "Increment the integer value of a key by one",
    run: (ctx, [key]) => incrBy(ctx, key, 1),
  }),
  cmd({
    name: "decr", arity: 2, flags: ["write", "denyoom", "fast"], keys: ONE_KEY, since: "1.0.0", syntax: "key",
    summary: "Decrement the integer value of a key by one",
    run: (ctx, [key]) => incrBy(ctx, key, -1),
  }),
  cmd({
    name: "incrby", arity: 3, flags: ["write", "denyoom", "fast"], keys: ONE_KEY, since: "1.0.0", syntax: "key increment",
    summary: "Increment the integer value of a key by the given amount",
    run: (ctx, [key, increment]) => incrBy(ctx, key, parseIncrement(increment)),
  }),
  cmd({
    name: "decrby", arity: 3, flags: ["write", "denyoom", "fast"], keys: ONE_KEY, since: "1.0.0", syntax: "key decrement",
    summary: "Decrement the integer value of a key by the given number",
    run(ctx, [key, decrement]) {
      const n = parseIncrement(decrement);
      if (n === INT64_MIN) fail("ERR decrement would overflow");
      return incrBy(ctx, key, typeof n === "number" ? 0 - n : -n);
    },
  }),
  cmd({
    name: "incrbyfloat", arity: 3, flags: ["write", "denyoom", "fast"], keys: ONE_KEY, since: "2.6.0", syntax: "key increment",
    summary: "Increment the float value of a key by the given amount",
    run: incrByFloat,
  }),
  rangeCommand("getrange", "2.4.0"),
  rangeCommand("substr", "1.0.0"),
  cmd({
    name: "setrange", arity: 4, flags: ["write", "denyoom"], keys: ONE_KEY, since: "2.2.0", syntax: "key offset value",
    summary: "Overwrite part of a string at key starting at the specified offset",
    complexity: "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.",
    run: setrange,
  }),
  cmd({
    name: "lcs", arity: -3, flags: ["readonly"], keys: { first: 1, last: 2, step: 1 }, since: "7.0.0",
    syntax: "key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]",
    summary: "Find longest common substring",
    complexity: "O(N*M) where N and M are the lengths of s1 and s2, respectively",
    run: lcs,
  }),
];
