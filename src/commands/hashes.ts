// Hash commands: HSET HSETNX HGET HMSET HMGET HDEL HLEN HSTRLEN HEXISTS HKEYS HVALS HGETALL HINCRBY
// HINCRBYFLOAT HRANDFIELD HSCAN, HGETDEL, and field expiry (Redis 7.4 / 8.0): HEXPIRE HPEXPIRE
// HEXPIREAT HPEXPIREAT HTTL HPTTL HEXPIRETIME HPEXPIRETIME HPERSIST HGETEX HSETEX.
// Values are HashValue maps; a hash that becomes empty is deleted. Every command first removes the
// hash's expired fields (HDEL propagated, "hexpired" event), so all of them, HLEN included, see
// only live fields (Redis's HLEN may still count expired fields not yet removed).

import { Errors, fail } from "../errors.js";
import { now } from "../engine/clock.js";
import { globMatch } from "../engine/glob.js";
import { addLongDouble, longDoubleToString, parseLongDouble, type LongDouble } from "../engine/long-double.js";
import { expireFields, HashValue, hashLimits, scheduleFieldExpiry } from "../engine/types/hash.js";
import { array, bulk, bulkOrNil, bulks, EMPTY_ARRAY, int, map, NIL, OK, ONE, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, parseInt64, parseInteger } from "./args.js";
import { parseScanCursor, parseScanOptions, scanReply } from "./keys.js";
import type { CommandSpec } from "./types.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** key's hash (WRONGTYPE for other types) with its expired fields removed; undefined when none is left. */
function getHash(ctx: Session, key: string): HashValue | undefined {
  const hash = ctx.db.get<HashValue>(key, "hash");
  if (hash === undefined || !hash.hasFieldTtls) return hash;
  const live = expireFields(ctx.db, key, hash, now(), Infinity, (argv) => ctx.server.propagate(ctx.dbIndex, argv));
  return live ? hash : undefined;
}

/**
 * Sets field/value pairs (pairs[0], pairs[1], ...) in key's hash, creating it when missing; raises
 * the "hset" event. Field TTLs are dropped unless keepTtl. Returns how many fields are new.
 */
function setFields(ctx: Session, key: string, pairs: string[], event = "hset", keepTtl = false): number {
  const db = ctx.db;
  const limits = hashLimits(ctx.server.config);
  let hash = getHash(ctx, key);
  const created = hash === undefined;
  hash ??= new HashValue();
  let added = 0;
  for (let i = 0; i < pairs.length; i += 2) if (hash.set(pairs[i], pairs[i + 1], limits, keepTtl)) added++;
  if (created) db.set(key, "hash", hash);
  else db.modified(key);
  db.notify("h", event, key);
  return added;
}

/** HSET/HMSET argument check: field/value pairs must come in twos. */
function checkPairs(name: string, pairs: string[]): void {
  if (pairs.length % 2 !== 0) fail(Errors.wrongArgs(name));
}

/** HRANDFIELD's reply: the fields, or field/value pairs (flat in RESP2, pair arrays in RESP3). */
function randomReply(hash: HashValue, fields: string[], withValues: boolean, resp: number): Reply {
  const out: Reply[] = [];
  for (const field of fields) {
    if (!withValues) out.push(bulk(field));
    else if (resp === 2) out.push(bulk(field), bulk(hash.get(field)!));
    else out.push(array([bulk(field), bulk(hash.get(field)!)]));
  }
  return array(out);
}

/** Partially shuffles fields so its first n entries are a uniform random sample. */
function sample(fields: string[], n: number): string[] {
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(Math.random() * (fields.length - i));
    const t = fields[i];
    fields[i] = fields[j];
    fields[j] = t;
  }
  return fields.slice(0, n);
}

/** The fields HRANDFIELD returns for count: repeats allowed when negative, distinct otherwise. */
function randomFields(hash: HashValue, count: number): string[] {
  if (count < 0 || count === 1) {
    const out = new Array<string>(Math.abs(count));
    for (let i = 0; i < out.length; i++) out[i] = hash.randomField();
    return out;
  }
  if (count >= hash.size) return [...hash.fields.keys()];
  // Few wanted from many: distinct random picks; otherwise a partial shuffle of all fields.
  if (count * 3 <= hash.size) {
    const picked = new Set<string>();
    while (picked.size < count) picked.add(hash.randomField());
    return [...picked];
  }
  return sample([...hash.fields.keys()], count);
}

/** HRANDFIELD key count [WITHVALUES]. */
function hrandfieldWithCount(ctx: Session, key: string, countArg: string, rest: string[]): Reply {
  const exact = parseInt64(countArg);
  if (exact < -INT64_MAX) fail("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
  if (rest.length > 1 || (rest.length === 1 && !is(rest[0], "withvalues"))) fail(Errors.syntax);
  const withValues = rest.length === 1;
  // Redis bounds the count so that count * 2 replies still fit a long.
  if (withValues && (exact < -INT64_MAX / 2n || exact > INT64_MAX / 2n)) fail("ERR value is out of range");
  const count = Number(exact);
  const hash = getHash(ctx, key);
  if (hash === undefined || count === 0) return EMPTY_ARRAY;
  return randomReply(hash, randomFields(hash, count), withValues, ctx.resp);
}

/** HSCAN: a listpack-sized hash answers in one call (cursor 0), a big one walks its stable order. */
function hscan(ctx: Session, [key, cursorArg, ...options]: string[]): Reply {
  const cursor = parseScanCursor(cursorArg);
  const hash = getHash(ctx, key);
  if (hash === undefined) return scanReply(0, []);
  const { count, pattern } = parseScanOptions(options, 0, false);
  const out: Reply[] = [];
  const visit = (field: string, value: string) => {
    if (pattern === null || globMatch(pattern, field)) out.push(bulk(field), bulk(value));
  };
  if (hash.compact) {
    for (const [field, value] of hash.fields) visit(field, value);
    return scanReply(0, out);
  }
  return scanReply(hash.scan(cursor, count, visit), out);
}

function hincrby(ctx: Session, [key, field, incrArg]: string[]): Reply {
  const incr = parseInt64(incrArg);
  const current = getHash(ctx, key)?.get(field);
  const value = (current === undefined ? 0n : parseInt64(current, "ERR hash value is not an integer")) + incr;
  if (value < INT64_MIN || value > INT64_MAX) fail(Errors.overflow);
  setFields(ctx, key, [field, String(value)], "hincrby", true);
  const small = Number(value);
  return int(Number.isSafeInteger(small) ? small : value);
}

function hincrbyfloat(ctx: Session, [key, field, incrArg]: string[]): Reply {
  const incr = parseLongDouble(incrArg);
  if (incr === null) fail(Errors.notFloat);
  if (incr.exp === Infinity) fail("ERR value is NaN or Infinity");
  const current = getHash(ctx, key)?.get(field);
  let sum: LongDouble | null = incr;
  if (current !== undefined) {
    const base = parseLongDouble(current);
    if (base === null) fail("ERR hash value is not a float");
    sum = addLongDouble(base, incr);
    if (sum === null) fail("ERR increment would produce NaN or Infinity");
  }
  const text = longDoubleToString(sum);
  setFields(ctx, key, [field, text], "hincrbyfloat", true);
  const keepTtl = getHash(ctx, key)!.fieldTtl(field) !== 0;
  ctx.propagateAs(keepTtl ? ["hsetex", key, "KEEPTTL", "FIELDS", "1", field, text] : ["hset", key, field, text]);
  return bulk(text);
}

// --- Field expiry ---------------------------------------------------------------------------------

/** Largest absolute field expiry Redis accepts, in ms (EB_EXPIRE_TIME_MAX >> 2). */
const MAX_FIELD_EXPIRE_MS = 2 ** 46 - 1;
const NUMFIELDS_POSITIVE = "ERR Number of fields must be a positive integer";
const NUMFIELDS_GT0 = "ERR Parameter `numFields` should be greater than 0";

/** An expiry argument as an absolute ms time: seconds or ms, relative to base (0 for absolute forms). */
function parseExpireTime(command: string, arg: string, seconds: boolean, base: number): number {
  const value = parseInt64(arg);
  if (value < 0n) fail("ERR invalid expire time, must be >= 0");
  const invalid = `ERR invalid expire time in '${command}' command`;
  if (seconds && value > BigInt(Math.floor(MAX_FIELD_EXPIRE_MS / 1000))) fail(invalid);
  const ms = Number(value) * (seconds ? 1000 : 1);
  if (ms > MAX_FIELD_EXPIRE_MS - base) fail(invalid);
  return ms + base;
}

/** The fields of "FIELDS numfields field ..." starting at args[at] (the FIELDS word); numfields must match. */
function parseFields(args: string[], at: number, countMessage: string): string[] {
  if (!is(args[at], "fields")) fail("ERR Mandatory argument FIELDS is missing or not at the right position");
  const count = parseInteger(args[at + 1], countMessage);
  if (count < 1) fail(countMessage);
  if (count !== args.length - at - 2) fail("ERR The `numfields` parameter must match the number of arguments");
  return args.slice(at + 2);
}

/** An integer per field, for a missing key (-2: no such field). */
function noFields(fields: string[], code: Reply): Reply {
  return array(fields.map(() => code));
}

/**
 * After fields of key's hash were deleted (past expiry, HGETDEL) or got new TTLs: the key deleted
 * with "del" once empty, else marked modified and scheduled for active field expiry.
 */
function finishFieldChanges(ctx: Session, key: string, hash: HashValue): void {
  const db = ctx.db;
  if (hash.size === 0) {
    db.delete(key);
    db.notify("g", "del", key);
    return;
  }
  db.modified(key);
  scheduleFieldExpiry(db, key, hash);
}

type ExpireCondition = "nx" | "xx" | "gt" | "lt" | null;

/** Whether NX/XX/GT/LT allow replacing a field's TTL previous (0: none, which counts as infinite) by at. */
function conditionMet(condition: ExpireCondition, previous: number, at: number): boolean {
  if (previous === 0) return condition !== "xx" && condition !== "gt";
  switch (condition) {
    case "nx":
      return false;
    case "gt":
      return at > previous;
    case "lt":
      return at < previous;
    default:
      return true;
  }
}

/** HEXPIRE's per-field reply: -2 no field, 0 condition not met, 1 set, 2 deleted (time in the past). */
function expireField(hash: HashValue, field: string, at: number, condition: ExpireCondition, t: number): number {
  if (hash.get(field) === undefined) return -2;
  if (!conditionMet(condition, hash.fieldTtl(field), at)) return 0;
  if (at <= t) {
    hash.delete(field);
    return 2;
  }
  hash.setFieldTtl(field, at);
  return 1;
}

/** HEXPIRE HPEXPIRE HEXPIREAT HPEXPIREAT key time [NX|XX|GT|LT] FIELDS numfields field ... */
function hexpire(command: string, seconds: boolean, relative: boolean) {
  return (ctx: Session, [key, timeArg, ...rest]: string[]): Reply => {
    const hash = getHash(ctx, key);
    const t = now();
    const at = parseExpireTime(command, timeArg, seconds, relative ? t : 0);
    const word = rest[0].toLowerCase();
    const condition = word === "nx" || word === "xx" || word === "gt" || word === "lt" ? word : null;
    const fields = parseFields(rest, condition === null ? 0 : 1, NUMFIELDS_GT0);
    if (hash === undefined) return noFields(fields, int(-2));
    const codes: Reply[] = [];
    const updated: string[] = [];
    const deleted: string[] = [];
    for (const field of fields) {
      const code = expireField(hash, field, at, condition, t);
      if (code === 1) updated.push(field);
      else if (code === 2) deleted.push(field);
      codes.push(int(code));
    }
    if (updated.length + deleted.length > 0) {
      ctx.db.notify("h", deleted.length > 0 ? "hdel" : "hexpire", key);
      finishFieldChanges(ctx, key, hash);
    }
    const forms: string[][] = [];
    if (deleted.length > 0) forms.push(["hdel", key, ...deleted]);
    if (updated.length > 0) forms.push(["hpexpireat", key, String(at), "FIELDS", String(updated.length), ...updated]);
    ctx.propagateAs(...forms);
    return array(codes);
  };
}

/** HTTL HPTTL HEXPIRETIME HPEXPIRETIME key FIELDS numfields field ...: -2 no field, -1 no TTL. */
function httl(seconds: boolean, relative: boolean) {
  return (ctx: Session, [key, ...rest]: string[]): Reply => {
    const hash = getHash(ctx, key);
    const fields = parseFields(rest, 0, NUMFIELDS_POSITIVE);
    if (hash === undefined) return noFields(fields, int(-2));
    const base = relative ? now() : 0;
    return array(
      fields.map((field) => {
        if (hash.get(field) === undefined) return int(-2);
        const at = hash.fieldTtl(field);
        if (at === 0) return int(-1);
        return int(seconds ? Math.floor((at + 999 - base) / 1000) : at - base);
      }),
    );
  };
}

function hpersist(ctx: Session, [key, ...rest]: string[]): Reply {
  const hash = getHash(ctx, key);
  const fields = parseFields(rest, 0, NUMFIELDS_POSITIVE);
  if (hash === undefined) return noFields(fields, int(-2));
  let changed = false;
  const codes = fields.map((field) => {
    if (hash.get(field) === undefined) return int(-2);
    if (hash.fieldTtl(field) === 0) return int(-1);
    hash.setFieldTtl(field, 0);
    changed = true;
    return ONE;
  });
  if (changed) {
    ctx.db.notify("h", "hpersist", key);
    ctx.db.modified(key);
  }
  return array(codes);
}

/** HGETEX key [EX s | PX ms | EXAT s | PXAT ms | PERSIST] FIELDS numfields field ... */
function hgetex(ctx: Session, [key, option, ...rest]: string[]): Reply {
  const hash = getHash(ctx, key);
  const word = option.toLowerCase();
  const t = now();
  let at = -1; // -1: no expiry change, 0: PERSIST
  let fieldsAt = 0;
  if (word === "ex" || word === "px" || word === "exat" || word === "pxat") {
    at = parseExpireTime("hgetex", rest[0], word === "ex" || word === "exat", word === "ex" || word === "px" ? t : 0);
    fieldsAt = 1;
  } else if (word === "persist") {
    at = 0;
  } else {
    rest.unshift(option);
  }
  // (Redis 8.0 reads past its arguments here; Restash answers as for too few arguments.)
  if (rest.length < fieldsAt + 2) fail(Errors.wrongArgs("hgetex"));
  const fields = parseFields(rest, fieldsAt, NUMFIELDS_POSITIVE);
  if (hash === undefined) return noFields(fields, NIL);
  const values: Reply[] = [];
  const changed: string[] = [];
  let deleted = false;
  for (const field of fields) {
    const value = hash.get(field);
    values.push(bulkOrNil(value));
    if (value === undefined || at === -1) continue;
    if (at === 0) {
      if (hash.fieldTtl(field) === 0) continue;
      hash.setFieldTtl(field, 0);
    } else if (at <= t) {
      hash.delete(field);
      deleted = true;
    } else {
      hash.setFieldTtl(field, at);
    }
    changed.push(field);
  }
  if (changed.length === 0) return array(values);
  const counted = ["FIELDS", String(changed.length), ...changed];
  if (deleted) {
    ctx.db.notify("h", "hdel", key);
    ctx.propagateAs(["hdel", key, ...changed]);
  } else if (at === 0) {
    ctx.db.notify("h", "hpersist", key);
    ctx.propagateAs(["hpersist", key, ...counted]);
  } else {
    ctx.db.notify("h", "hexpire", key);
    ctx.propagateAs(["hpexpireat", key, String(at), ...counted]);
  }
  finishFieldChanges(ctx, key, hash);
  return array(values);
}

interface HsetexOptions {
  condition: "fnx" | "fxx" | null;
  /** Absolute expiry in ms; -1 none (TTLs dropped), -2 KEEPTTL. */
  at: number;
  pairs: string[];
}

/** HSETEX's options, parsed as Redis 8.0 does (left to right, up to FIELDS). */
function parseHsetex(args: string[]): HsetexOptions {
  const options: HsetexOptions = { condition: null, at: -1, pairs: [] };
  const t = now();
  for (let i = 1; i < args.length; i++) {
    const word = args[i].toLowerCase();
    if (word === "fields") {
      if (i >= args.length - 3) fail(Errors.wrongArgs("hsetex"));
      const count = parseInteger(args[i + 1], "ERR invalid number of fields");
      if (count < 1 || count > 2 ** 31 - 1) fail("ERR invalid number of fields");
      const remaining = args.length - i - 2;
      if (remaining % 2 !== 0 || count !== remaining / 2) fail(Errors.wrongArgs("hsetex"));
      options.pairs = args.slice(i + 2);
      return options;
    }
    if (word === "fnx" || word === "fxx") {
      if (options.condition !== null) fail("ERR Only one of FXX or FNX arguments can be specified");
      options.condition = word;
    } else if (word === "ex" || word === "px" || word === "exat" || word === "pxat" || word === "keepttl") {
      if (options.at !== -1) fail("ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified");
      if (word === "keepttl") {
        options.at = -2;
        continue;
      }
      if (i >= args.length - 1) fail("ERR missing expire time");
      const seconds = word === "ex" || word === "exat";
      options.at = parseExpireTime("hsetex", args[++i], seconds, word === "ex" || word === "px" ? t : 0);
    } else {
      fail(`ERR unknown argument: ${args[i]}`);
    }
  }
  return fail(Errors.wrongArgs("hsetex"));
}

/** HSETEX key [FNX|FXX] [EX|PX|EXAT|PXAT time | KEEPTTL] FIELDS numfields field value ...: 1 set, 0 not. */
function hsetex(ctx: Session, args: string[]): Reply {
  const { condition, at, pairs } = parseHsetex(args);
  const key = args[0];
  const db = ctx.db;
  let hash = getHash(ctx, key);
  if (condition !== null) {
    let found = 0;
    if (hash !== undefined) for (let i = 0; i < pairs.length; i += 2) if (hash.get(pairs[i]) !== undefined) found++;
    if (condition === "fnx" ? found > 0 : found < pairs.length / 2) return ZERO;
  }
  if (hash === undefined) {
    hash = new HashValue();
    db.set(key, "hash", hash);
  }
  const limits = hashLimits(ctx.server.config);
  const t = now();
  const expired = at >= 0 && at <= t;
  for (let i = 0; i < pairs.length; i += 2) {
    hash.set(pairs[i], pairs[i + 1], limits, at !== -1);
    if (expired) hash.delete(pairs[i]);
    else if (at >= 0) hash.setFieldTtl(pairs[i], at);
  }
  db.notify("h", "hset", key);
  if (at >= 0) db.notify("h", expired ? "hdel" : "hexpire", key);
  finishFieldChanges(ctx, key, hash);
  if (expired) {
    const fields: string[] = [];
    for (let i = 0; i < pairs.length; i += 2) fields.push(pairs[i]);
    ctx.propagateAs(["hdel", key, ...fields]);
  } else if (at >= 0) {
    ctx.propagateAs(["hsetex", key, ...(condition === null ? [] : [condition.toUpperCase()]), "PXAT", String(at), "FIELDS", String(pairs.length / 2), ...pairs]);
  }
  return ONE;
}

/** HGETDEL key FIELDS numfields field ...: the values (nil when missing), then the fields deleted. */
function hgetdel(ctx: Session, [key, ...rest]: string[]): Reply {
  const hash = getHash(ctx, key);
  const fields = parseFields(rest, 0, NUMFIELDS_POSITIVE);
  if (hash === undefined) return noFields(fields, NIL);
  const deleted: string[] = [];
  const values = fields.map((field) => {
    const value = hash.get(field);
    if (value !== undefined) {
      hash.delete(field);
      deleted.push(field);
    }
    return bulkOrNil(value);
  });
  if (deleted.length > 0) {
    ctx.db.notify("h", "hdel", key);
    ctx.propagateAs(["hdel", key, ...deleted]);
    finishFieldChanges(ctx, key, hash);
  }
  return array(values);
}

const KEY1 = { first: 1, last: 1, step: 1 };

/** A hash command spec with the fields every one shares. */
function cmd(spec: Omit<CommandSpec, "categories" | "group" | "keys">): CommandSpec {
  return { ...spec, keys: KEY1, categories: ["hash"], group: "hash" };
}

/** HEXPIRE and its variants: seconds or ms, relative or absolute. */
function expireSpec(name: string, summary: string, seconds: boolean, relative: boolean): CommandSpec {
  const time = relative ? (seconds ? "seconds" : "milliseconds") : seconds ? "unix-time-seconds" : "unix-time-milliseconds";
  return cmd({
    name, arity: -6, flags: ["write", "denyoom", "fast"], since: "7.4.0", summary,
    syntax: `key ${time} [NX | XX | GT | LT] FIELDS numfields field [field ...]`,
    complexity: "O(N) where N is the number of specified fields",
    run: hexpire(name, seconds, relative),
  });
}

/** HTTL and its variants: seconds or ms, remaining or absolute. */
function ttlSpec(name: string, summary: string, seconds: boolean, relative: boolean): CommandSpec {
  return cmd({
    name, arity: -5, flags: ["readonly", "fast"], since: "7.4.0", summary, syntax: "key FIELDS numfields field [field ...]",
    complexity: "O(N) where N is the number of specified fields",
    run: httl(seconds, relative),
  });
}

export const hashes: CommandSpec[] = [
  cmd({
    name: "hset", arity: -4, flags: ["write", "denyoom", "fast"], since: "2.0.0",
    summary: "Set the string value of a hash field", syntax: "key field value [field value ...]",
    complexity: "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.",
    run(ctx, [key, ...pairs]) {
      checkPairs("hset", pairs);
      return int(setFields(ctx, key, pairs));
    },
  }),
  cmd({
    name: "hsetnx", arity: 4, flags: ["write", "denyoom", "fast"], since: "2.0.0",
    summary: "Set the value of a hash field, only if the field does not exist", syntax: "key field value", complexity: "O(1)",
    run(ctx, [key, field, value]) {
      if (getHash(ctx, key)?.get(field) !== undefined) return ZERO;
      setFields(ctx, key, [field, value]);
      return ONE;
    },
  }),
  cmd({
    name: "hget", arity: 3, flags: ["readonly", "fast"], since: "2.0.0",
    summary: "Get the value of a hash field", syntax: "key field", complexity: "O(1)",
    run: (ctx, [key, field]) => bulkOrNil(getHash(ctx, key)?.get(field)),
  }),
  cmd({
    name: "hmset", arity: -4, flags: ["write", "denyoom", "fast"], since: "2.0.0",
    summary: "Set multiple hash fields to multiple values", syntax: "key field value [field value ...]",
    complexity: "O(N) where N is the number of fields being set.",
    run(ctx, [key, ...pairs]) {
      checkPairs("hmset", pairs);
      setFields(ctx, key, pairs);
      return OK;
    },
  }),
  cmd({
    name: "hmget", arity: -3, flags: ["readonly", "fast"], since: "2.0.0",
    summary: "Get the values of all the given hash fields", syntax: "key field [field ...]",
    complexity: "O(N) where N is the number of fields being requested.",
    run(ctx, [key, ...fields]) {
      const hash = getHash(ctx, key);
      return array(fields.map((field) => bulkOrNil(hash?.get(field))));
    },
  }),
  cmd({
    name: "hdel", arity: -3, flags: ["write", "fast"], since: "2.0.0",
    summary: "Delete one or more hash fields", syntax: "key field [field ...]",
    complexity: "O(N) where N is the number of fields to be removed.",
    run(ctx, [key, ...fields]) {
      const db = ctx.db;
      const hash = getHash(ctx, key);
      if (hash === undefined) return ZERO;
      let deleted = 0;
      for (const field of fields) if (hash.delete(field)) deleted++;
      if (deleted > 0) {
        db.notify("h", "hdel", key);
        if (hash.size === 0) {
          db.delete(key);
          db.notify("g", "del", key);
        } else {
          db.modified(key);
        }
      }
      return int(deleted);
    },
  }),
  cmd({
    name: "hlen", arity: 2, flags: ["readonly", "fast"], since: "2.0.0",
    summary: "Get the number of fields in a hash", syntax: "key", complexity: "O(1)",
    run: (ctx, [key]) => int(getHash(ctx, key)?.size ?? 0),
  }),
  cmd({
    name: "hstrlen", arity: 3, flags: ["readonly", "fast"], since: "3.2.0",
    summary: "Get the length of the value of a hash field", syntax: "key field", complexity: "O(1)",
    run: (ctx, [key, field]) => int(getHash(ctx, key)?.get(field)?.length ?? 0),
  }),
  cmd({
    name: "hexists", arity: 3, flags: ["readonly", "fast"], since: "2.0.0",
    summary: "Determine if a hash field exists", syntax: "key field", complexity: "O(1)",
    run: (ctx, [key, field]) => (getHash(ctx, key)?.get(field) !== undefined ? ONE : ZERO),
  }),
  cmd({
    name: "hkeys", arity: 2, flags: ["readonly"], since: "2.0.0",
    summary: "Get all the fields in a hash", syntax: "key", complexity: "O(N) where N is the size of the hash.",
    run: (ctx, [key]) => bulks(getHash(ctx, key)?.fields.keys() ?? []),
  }),
  cmd({
    name: "hvals", arity: 2, flags: ["readonly"], since: "2.0.0",
    summary: "Get all the values in a hash", syntax: "key", complexity: "O(N) where N is the size of the hash.",
    run: (ctx, [key]) => bulks(getHash(ctx, key)?.fields.values() ?? []),
  }),
  cmd({
    name: "hgetall", arity: 2, flags: ["readonly"], since: "2.0.0",
    summary: "Get all the fields and values in a hash", syntax: "key", complexity: "O(N) where N is the size of the hash.",
    run(ctx, [key]) {
      const out: Reply[] = [];
      for (const [field, value] of getHash(ctx, key)?.fields ?? []) out.push(bulk(field), bulk(value));
      return map(out);
    },
  }),
  cmd({
    name: "hincrby", arity: 4, flags: ["write", "denyoom", "fast"], since: "2.0.0",
    summary: "Increment the integer value of a hash field by the given number", syntax: "key field increment", complexity: "O(1)",
    run: hincrby,
  }),
  cmd({
    name: "hincrbyfloat", arity: 4, flags: ["write", "denyoom", "fast"], since: "2.6.0",
    summary: "Increment the float value of a hash field by the given amount", syntax: "key field increment", complexity: "O(1)",
    run: hincrbyfloat,
  }),
  cmd({
    name: "hrandfield", arity: -2, flags: ["readonly"], since: "6.2.0",
    summary: "Get one or multiple random fields from a hash", syntax: "key [count [WITHVALUES]]",
    complexity: "O(N) where N is the number of fields returned",
    run(ctx, [key, countArg, ...rest]) {
      if (countArg !== undefined) return hrandfieldWithCount(ctx, key, countArg, rest);
      const hash = getHash(ctx, key);
      return hash === undefined ? NIL : bulk(hash.randomField());
    },
  }),
  cmd({
    name: "hscan", arity: -3, flags: ["readonly"], since: "2.8.0",
    summary: "Incrementally iterate hash fields and associated values", syntax: "key cursor [MATCH pattern] [COUNT count]",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    run: hscan,
  }),
  cmd({
    name: "hgetdel", arity: -5, flags: ["write", "fast"], since: "8.0.0",
    summary: "Returns the value of a field and deletes it from the hash", syntax: "key FIELDS numfields field [field ...]",
    complexity: "O(N) where N is the number of specified fields",
    run: hgetdel,
  }),
  expireSpec("hexpire", "Set expiry for hash field using relative time to expire (seconds)", true, true),
  expireSpec("hpexpire", "Set expiry for hash field using relative time to expire (milliseconds)", false, true),
  expireSpec("hexpireat", "Set expiry for hash field using an absolute Unix timestamp (seconds)", true, false),
  expireSpec("hpexpireat", "Set expiry for hash field using an absolute Unix timestamp (milliseconds)", false, false),
  ttlSpec("httl", "Returns the TTL in seconds of a hash field.", true, true),
  ttlSpec("hpttl", "Returns the TTL in milliseconds of a hash field.", false, true),
  ttlSpec("hexpiretime", "Returns the expiration time of a hash field as a Unix timestamp, in seconds.", true, false),
  ttlSpec("hpexpiretime", "Returns the expiration time of a hash field as a Unix timestamp, in msec.", false, false),
  cmd({
    name: "hpersist", arity: -5, flags: ["write", "fast"], since: "7.4.0",
    summary: "Removes the expiration time for each specified field", syntax: "key FIELDS numfields field [field ...]",
    complexity: "O(N) where N is the number of specified fields",
    run: hpersist,
  }),
  cmd({
    name: "hgetex", arity: -5, flags: ["write", "fast"], since: "8.0.0",
    summary: "Get the value of one or more fields of a given hash key, and optionally set their expiration.",
    syntax: "key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST] FIELDS numfields field [field ...]",
    complexity: "O(N) where N is the number of specified fields",
    run: hgetex,
  }),
  cmd({
    name: "hsetex", arity: -6, flags: ["write", "denyoom", "fast"], since: "8.0.0",
    summary: "Set the value of one or more fields of a given hash key, and optionally set their expiration.",
    syntax: "key [FNX | FXX] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL] FIELDS numfields field value [field value ...]",
    complexity: "O(N) where N is the number of fields being set.",
    run: hsetex,
  }),
];
