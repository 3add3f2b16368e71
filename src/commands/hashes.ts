// Hash commands: HSET HSETNX HGET HMSET HMGET HDEL HLEN HSTRLEN HEXISTS HKEYS HVALS HGETALL HINCRBY
// HINCRBYFLOAT HRANDFIELD HSCAN. Values are HashValue maps; a hash that becomes empty is deleted.

import { Errors, fail } from "../errors.js";
import type { Database } from "../engine/database.js";
import { globMatch } from "../engine/glob.js";
import { addLongDouble, longDoubleToString, parseLongDouble, type LongDouble } from "../engine/long-double.js";
import { HashValue, hashLimits } from "../engine/types/hash.js";
import { array, bulk, bulkOrNil, bulks, EMPTY_ARRAY, int, map, NIL, OK, ONE, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, parseInt64 } from "./args.js";
import { parseScanCursor, parseScanOptions, scanReply } from "./keys.js";
import type { CommandSpec } from "./types.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function getHash(db: Database, key: string): HashValue | undefined {
  return db.get<HashValue>(key, "hash");
}

/**
 * Sets field/value pairs (pairs[0], pairs[1], ...) in key's hash, creating it when missing; raises
 * the "hset" event. Returns how many fields are new.
 */
function setFields(ctx: Session, key: string, pairs: string[], event = "hset"): number {
  const db = ctx.db;
  const limits = hashLimits(ctx.server.config);
  let hash = getHash(db, key);
  const created = hash === undefined;
  hash ??= new HashValue();
  let added = 0;
  for (let i = 0; i < pairs.length; i += 2) if (hash.set(pairs[i], pairs[i + 1], limits)) added++;
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
  const hash = getHash(ctx.db, key);
  if (hash === undefined || count === 0) return EMPTY_ARRAY;
  return randomReply(hash, randomFields(hash, count), withValues, ctx.resp);
}

/** HSCAN: a listpack-sized hash answers in one call (cursor 0), a big one walks its stable order. */
function hscan(ctx: Session, [key, cursorArg, ...options]: string[]): Reply {
  const cursor = parseScanCursor(cursorArg);
  const hash = getHash(ctx.db, key);
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
  const current = getHash(ctx.db, key)?.get(field);
  const value = (current === undefined ? 0n : parseInt64(current, "ERR hash value is not an integer")) + incr;
  if (value < INT64_MIN || value > INT64_MAX) fail(Errors.overflow);
  setFields(ctx, key, [field, String(value)], "hincrby");
  const small = Number(value);
  return int(Number.isSafeInteger(small) ? small : value);
}

function hincrbyfloat(ctx: Session, [key, field, incrArg]: string[]): Reply {
  const incr = parseLongDouble(incrArg);
  if (incr === null) fail(Errors.notFloat);
  if (incr.exp === Infinity) fail("ERR value is NaN or Infinity");
  const current = getHash(ctx.db, key)?.get(field);
  let sum: LongDouble | null = incr;
  if (current !== undefined) {
    const base = parseLongDouble(current);
    if (base === null) fail("ERR hash value is not a float");
    sum = addLongDouble(base, incr);
    if (sum === null) fail("ERR increment would produce NaN or Infinity");
  }
  const text = longDoubleToString(sum);
  setFields(ctx, key, [field, text], "hincrbyfloat");
  ctx.propagateAs(["hset", key, field, text]);
  return bulk(text);
}

const KEY1 = { first: 1, last: 1, step: 1 };

/** A hash command spec with the fields every one shares. */
function cmd(spec: Omit<CommandSpec, "categories" | "group" | "keys">): CommandSpec {
  return { ...spec, keys: KEY1, categories: ["hash"], group: "hash" };
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
      if (getHash(ctx.db, key)?.get(field) !== undefined) return ZERO;
      setFields(ctx, key, [field, value]);
      return ONE;
    },
  }),
  cmd({
    name: "hget", arity: 3, flags: ["readonly", "fast"], since: "2.0.0",
    summary: "Get the value of a hash field", syntax: "key field", complexity: "O(1)",
    run: (ctx, [key, field]) => bulkOrNil(getHash(ctx.db, key)?.get(field)),
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
      const hash = getHash(ctx.db, key);
      return array(fields.map((field) => bulkOrNil(hash?.get(field))));
    },
  }),
  cmd({
    name: "hdel", arity: -3, flags: ["write", "fast"], since: "2.0.0",
    summary: "Delete one or more hash fields", syntax: "key field [field ...]",
    complexity: "O(N) where N is the number of fields to be removed.",
    run(ctx, [key, ...fields]) {
      const db = ctx.db;
      const hash = getHash(db, key);
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
    run: (ctx, [key]) => int(getHash(ctx.db, key)?.size ?? 0),
  }),
  cmd({
    name: "hstrlen", arity: 3, flags: ["readonly", "fast"], since: "3.2.0",
    summary: "Get the length of the value of a hash field", syntax: "key field", complexity: "O(1)",
    run: (ctx, [key, field]) => int(getHash(ctx.db, key)?.get(field)?.length ?? 0),
  }),
  cmd({
    name: "hexists", arity: 3, flags: ["readonly", "fast"], since: "2.0.0",
    summary: "Determine if a hash field exists", syntax: "key field", complexity: "O(1)",
    run: (ctx, [key, field]) => (getHash(ctx.db, key)?.get(field) !== undefined ? ONE : ZERO),
  }),
  cmd({
    name: "hkeys", arity: 2, flags: ["readonly"], since: "2.0.0",
    summary: "Get all the fields in a hash", syntax: "key", complexity: "O(N) where N is the size of the hash.",
    run: (ctx, [key]) => bulks(getHash(ctx.db, key)?.fields.keys() ?? []),
  }),
  cmd({
    name: "hvals", arity: 2, flags: ["readonly"], since: "2.0.0",
    summary: "Get all the values in a hash", syntax: "key", complexity: "O(N) where N is the size of the hash.",
    run: (ctx, [key]) => bulks(getHash(ctx.db, key)?.fields.values() ?? []),
  }),
  cmd({
    name: "hgetall", arity: 2, flags: ["readonly"], since: "2.0.0",
    summary: "Get all the fields and values in a hash", syntax: "key", complexity: "O(N) where N is the size of the hash.",
    run(ctx, [key]) {
      const out: Reply[] = [];
      for (const [field, value] of getHash(ctx.db, key)?.fields ?? []) out.push(bulk(field), bulk(value));
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
      const hash = getHash(ctx.db, key);
      return hash === undefined ? NIL : bulk(hash.randomField());
    },
  }),
  cmd({
    name: "hscan", arity: -3, flags: ["readonly"], since: "2.8.0",
    summary: "Incrementally iterate hash fields and associated values", syntax: "key cursor [MATCH pattern] [COUNT count]",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..",
    run: hscan,
  }),
];
