// Set commands: SADD SREM SISMEMBER SMISMEMBER SMEMBERS SCARD SPOP SRANDMEMBER SMOVE SINTER
// SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN.
// Values are SetValues; a set that becomes empty is deleted, as Redis never keeps one.

import { Errors, fail } from "../errors.js";
import { globMatch } from "../engine/glob.js";
import type { Database } from "../engine/database.js";
import { maxIntsetEntries, SetValue } from "../engine/types/set.js";
import { array, bulk, bulks, EMPTY_ARRAY, int, NIL, ONE, set as setReply, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, isInt64, parseInt64 } from "./args.js";
import { parseScanCursor, parseScanOptions, scanReply } from "./keys.js";
import type { CommandSpec } from "./types.js";

function getSet(db: Database, key: string): SetValue | undefined {
  return db.get<SetValue>(key, "set");
}

/** A positive count (SPOP, ZPOPMIN): one message for bad syntax and negatives, as Redis. */
export function parsePositive(arg: string, message = "ERR value is out of range, must be positive"): number {
  if (!isInt64(arg)) fail(message);
  const n = Number(arg);
  if (n < 0) fail(message);
  return n;
}

/** A count in -LONG_MAX..LONG_MAX (SRANDMEMBER, ZRANDMEMBER), as a bigint. */
export function parseRandomCount(arg: string): bigint {
  const n = parseInt64(arg);
  if (n === -(2n ** 63n)) {
    fail("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
  }
  return n;
}

/** After members were removed from a set or sorted set: raises event, deletes the key when empty. */
export function afterRemoval(db: Database, key: string, value: { size: number }, typeLetter: string, event: string): void {
  const emptied = value.size === 0;
  if (emptied) db.delete(key);
  else db.modified(key);
  db.notify(typeLetter, event, key);
  if (emptied) db.notify("g", "del", key);
}

/** Stores a computed collection at destination (replacing it), or deletes destination when empty. */
export function storeResult(db: Database, destination: string, type: "set" | "zset", value: { size: number }, typeLetter: string, event: string): Reply {
  if (value.size > 0) {
    db.set(destination, type, value);
    db.notify(typeLetter, event, destination);
    return int(value.size);
  }
  if (db.delete(destination)) db.notify("g", "del", destination);
  return ZERO;
}

/** Key positions for "numkeys key [key ...]" commands, after any fixed keys (ZUNIONSTORE's destination). */
export function numkeysKeys(numkeysAt: number, fixed: number[] = []): (argv: string[]) => number[] {
  return (argv) => {
    const n = isInt64(argv[numkeysAt] ?? "") ? Number(argv[numkeysAt]) : 0;
    const out = [...fixed];
    for (let i = numkeysAt + 1; i <= numkeysAt + n && i < argv.length; i++) out.push(i);
    return out;
  };
}

/** Looks up every key as a set (WRONGTYPE on any other type); missing keys are undefined. */
function loadSets(db: Database, keys: string[]): (SetValue | undefined)[] {
  return keys.map((key) => getSet(db, key));
}

/** Members present in every set, in the smallest set's order; stops after limit (0 = no limit). */
function intersect(sets: (SetValue | undefined)[], limit = 0): string[] {
  if (sets.some((s) => s === undefined)) return [];
  const sorted = (sets as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const [smallest, ...others] = sorted;
  const out: string[] = [];
  for (const member of smallest.values()) {
    if (!others.every((s) => s.has(member))) continue;
    out.push(member);
    if (out.length === limit) break;
  }
  return out;
}

/** The union of the sets, or the first set minus the others, as a new set (intset when it can be). */
function unionOrDiff(sets: (SetValue | undefined)[], diff: boolean, maxIntset: number): SetValue {
  const result = new SetValue();
  if (!diff) {
    for (const s of sets) if (s !== undefined) for (const member of s.values()) result.add(member, maxIntset);
    return result;
  }
  const [first, ...others] = sets;
  if (first === undefined) return result;
  for (const member of first.values()) {
    if (!others.some((s) => s !== undefined && s.has(member))) result.add(member, maxIntset);
  }
  return result;
}

function spopCount(ctx: Session, key: string, countArg: string): Reply {
  const count = parsePositive(countArg);
  const db = ctx.db;
  const s = getSet(db, key);
  if (s === undefined || count === 0) return setReply([]);
  if (count >= s.size) {
    const all = [...s.values()];
    db.delete(key);
    db.notify("s", "spop", key);
    db.notify("g", "del", key);
    ctx.propagateAs(["del", key]);
    return setReply(all.map(bulk));
  }
  const members: string[] = [];
  for (let i = 0; i < count; i++) members.push(s.pop());
  afterRemoval(db, key, s, "s", "spop");
  // The members chosen at random are propagated as what they are.
  ctx.propagateAs(["srem", key, ...members]);
  return setReply(members.map(bulk));
}

function srandmemberCount(ctx: Session, key: string, countArg: string): Reply {
  const n = parseRandomCount(countArg);
  const s = getSet(ctx.db, key);
  if (s === undefined || n === 0n) return EMPTY_ARRAY;
  const count = Number(n < 0n ? -n : n);
  if (n < 0n || count === 1) {
    const out: Reply[] = new Array(count);
    for (let i = 0; i < count; i++) out[i] = bulk(s.random());
    return array(out);
  }
  if (count >= s.size) return bulks(s.values());
  return bulks(s.randomDistinct(count));
}

function smove(ctx: Session, source: string, destination: string, member: string): Reply {
  const db = ctx.db;
  const src = getSet(db, source);
  if (src === undefined) return ZERO;
  const dst = getSet(db, destination);
  if (source === destination) return src.has(member) ? ONE : ZERO;
  if (!src.delete(member)) return ZERO;
  afterRemoval(db, source, src, "s", "srem");
  const max = maxIntsetEntries(ctx.server.config);
  if (dst === undefined) {
    db.set(destination, "set", SetValue.from([member], max));
  } else if (dst.add(member, max)) {
    db.modified(destination);
  } else {
    return ONE;
  }
  db.notify("s", "sadd", destination);
  return ONE;
}

function sscan(ctx: Session, [key, cursorArg, ...options]: string[]): Reply {
  const cursor = parseScanCursor(cursorArg);
  const s = getSet(ctx.db, key);
  if (s === undefined) return scanReply(0, []);
  const { count, pattern } = parseScanOptions(options, 0, false);
  const out: Reply[] = [];
  const visit = (member: string) => {
    if (pattern === null || globMatch(pattern, member)) out.push(bulk(member));
  };
  if (s.intset) {
    // An intset is answered in one call, whatever the cursor, as Redis does.
    for (const member of s.values()) visit(member);
    return scanReply(0, out);
  }
  return scanReply(s.scan(cursor, count, visit), out);
}

const KEY1 = { first: 1, last: 1, step: 1 };
const KEYS12 = { first: 1, last: 2, step: 1 };
const ALL_KEYS = { first: 1, last: -1, step: 1 };

/** A set command spec with the fields every one shares. */
function cmd(spec: Omit<CommandSpec, "categories" | "group">): CommandSpec {
  return { ...spec, categories: ["set"], group: "set" };
}

export const sets: CommandSpec[] = [
  cmd({
    name: "sadd", arity: -3, flags: ["write", "denyoom", "fast"], keys: KEY1, since: "1.0.0",
    summary: "Add one or more members to a set", syntax: "key member [member ...]",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    run(ctx, [key, ...members]) {
      const db = ctx.db;
      const existing = getSet(db, key);
      const s = existing ?? new SetValue();
      const max = maxIntsetEntries(ctx.server.config);
      let added = 0;
      for (const member of members) if (s.add(member, max)) added++;
      if (added > 0) {
        if (existing === undefined) db.set(key, "set", s);
        else db.modified(key);
        db.notify("s", "sadd", key);
      }
      return int(added);
    },
  }),
  cmd({
    name: "srem", arity: -3, flags: ["write", "fast"], keys: KEY1, since: "1.0.0",
    summary: "Remove one or more members from a set", syntax: "key member [member ...]",
    complexity: "O(N) where N is the number of members to be removed.",
    run(ctx, [key, ...members]) {
      const s = getSet(ctx.db, key);
      if (s === undefined) return ZERO;
      let removed = 0;
      for (const member of members) {
        if (s.delete(member)) removed++;
        if (s.size === 0) break;
      }
      if (removed > 0) afterRemoval(ctx.db, key, s, "s", "srem");
      return int(removed);
    },
  }),
  cmd({
    name: "sismember", arity: 3, flags: ["readonly", "fast"], keys: KEY1, since: "1.0.0",
    summary: "Determine if a given value is a member of a set", syntax: "key member", complexity: "O(1)",
    run: (ctx, [key, member]) => (getSet(ctx.db, key)?.has(member) ? ONE : ZERO),
  }),
  cmd({
    name: "smismember", arity: -3, flags: ["readonly", "fast"], keys: KEY1, since: "6.2.0",
    summary: "Returns the membership associated with the given elements for a set", syntax: "key member [member ...]",
    complexity: "O(N) where N is the number of elements being checked for membership",
    run(ctx, [key, ...members]) {
      const s = getSet(ctx.db, key);
      return array(members.map((m) => (s?.has(m) ? ONE : ZERO)));
    },
  }),
  cmd({
    name: "smembers", arity: 2, flags: ["readonly"], keys: KEY1, since: "1.0.0",
    summary: "Get all the members in a set", syntax: "key", complexity: "O(N) where N is the set cardinality.",
    run(ctx, [key]) {
      const s = getSet(ctx.db, key);
      return setReply(s === undefined ? [] : [...s.values()].map(bulk));
    },
  }),
  cmd({
    name: "scard", arity: 2, flags: ["readonly", "fast"], keys: KEY1, since: "1.0.0",
    summary: "Get the number of members in a set", syntax: "key", complexity: "O(1)",
    run: (ctx, [key]) => int(getSet(ctx.db, key)?.size ?? 0),
  }),
  cmd({
    name: "spop", arity: -2, flags: ["write", "fast"], keys: KEY1, since: "1.0.0",
    summary: "Remove and return one or multiple random members from a set", syntax: "key [count]",
    complexity: "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.",
    run(ctx, args) {
      if (args.length > 2) fail(Errors.syntax);
      if (args.length === 2) return spopCount(ctx, args[0], args[1]);
      const s = getSet(ctx.db, args[0]);
      if (s === undefined) return NIL;
      const member = s.pop();
      afterRemoval(ctx.db, args[0], s, "s", "spop");
      ctx.propagateAs(["srem", args[0], member]);
      return bulk(member);
    },
  }),
  cmd({
    name: "srandmember", arity: -2, flags: ["readonly"], keys: KEY1, since: "1.0.0",
    summary: "Get one or multiple random members from a set", syntax: "key [count]",
    complexity: "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.",
    run(ctx, args) {
      if (args.length > 2) fail(Errors.syntax);
      if (args.length === 2) return srandmemberCount(ctx, args[0], args[1]);
      const s = getSet(ctx.db, args[0]);
      return s === undefined ? NIL : bulk(s.random());
    },
  }),
  cmd({
    name: "smove", arity: 4, flags: ["write", "fast"], keys: KEYS12, since: "1.0.0",
    summary: "Move a member from one set to another", syntax: "source destination member", complexity: "O(1)",
    run: (ctx, [source, destination, member]) => smove(ctx, source, destination, member),
  }),
  cmd({
    name: "sinter", arity: -2, flags: ["readonly"], keys: ALL_KEYS, since: "1.0.0",
    summary: "Intersect multiple sets", syntax: "key [key ...]",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
    run: (ctx, keys) => setReply(intersect(loadSets(ctx.db, keys)).map(bulk)),
  }),
  cmd({
    name: "sintercard", arity: -3, flags: ["readonly"], findKeys: numkeysKeys(1), since: "7.0.0",
    summary: "Intersect multiple sets and return the cardinality of the result", syntax: "numkeys key [key ...] [LIMIT limit]",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
    run(ctx, args) {
      const numkeys = parsePositive(args[0], "ERR numkeys should be greater than 0");
      if (numkeys === 0) fail("ERR numkeys should be greater than 0");
      if (numkeys > args.length - 1) fail("ERR Number of keys can't be greater than number of args");
      let limit = 0;
      for (let i = 1 + numkeys; i < args.length; i++) {
        if (is(args[i], "limit") && i + 1 < args.length) limit = parsePositive(args[++i], "ERR LIMIT can't be negative");
        else fail(Errors.syntax);
      }
      return int(intersect(loadSets(ctx.db, args.slice(1, 1 + numkeys)), limit).length);
    },
  }),
  cmd({
    name: "sinterstore", arity: -3, flags: ["write", "denyoom"], keys: ALL_KEYS, since: "1.0.0",
    summary: "Intersect multiple sets and store the resulting set in a key", syntax: "destination key [key ...]",
    complexity: "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.",
    run(ctx, [destination, ...keys]) {
      const members = intersect(loadSets(ctx.db, keys));
      const result = SetValue.from(members, maxIntsetEntries(ctx.server.config));
      return storeResult(ctx.db, destination, "set", result, "s", "sinterstore");
    },
  }),
  cmd({
    name: "sunion", arity: -2, flags: ["readonly"], keys: ALL_KEYS, since: "1.0.0",
    summary: "Add multiple sets", syntax: "key [key ...]", complexity: "O(N) where N is the total number of elements in all given sets.",
    run: (ctx, keys) => setReply([...unionOrDiff(loadSets(ctx.db, keys), false, maxIntsetEntries(ctx.server.config)).values()].map(bulk)),
  }),
  cmd({
    name: "sunionstore", arity: -3, flags: ["write", "denyoom"], keys: ALL_KEYS, since: "1.0.0",
    summary: "Add multiple sets and store the resulting set in a key", syntax: "destination key [key ...]",
    complexity: "O(N) where N is the total number of elements in all given sets.",
    run(ctx, [destination, ...keys]) {
      const result = unionOrDiff(loadSets(ctx.db, keys), false, maxIntsetEntries(ctx.server.config));
      return storeResult(ctx.db, destination, "set", result, "s", "sunionstore");
    },
  }),
  cmd({
    name: "sdiff", arity: -2, flags: ["readonly"], keys: ALL_KEYS, since: "1.0.0",
    summary: "Subtract multiple sets", syntax: "key [key ...]", complexity: "O(N) where N is the total number of elements in all given sets.",
    run: (ctx, keys) => setReply([...unionOrDiff(loadSets(ctx.db, keys), true, maxIntsetEntries(ctx.server.config)).values()].map(bulk)),
  }),
  cmd({
    name: "sdiffstore", arity: -3, flags: ["write", "denyoom"], keys: ALL_KEYS, since: "1.0.0",
    summary: "Subtract multiple sets and store the resulting set in a key", syntax: "destination key [key ...]",
    complexity: "O(N) where N is the total number of elements in all given sets.",
    run(ctx, [destination, ...keys]) {
      const result = unionOrDiff(loadSets(ctx.db, keys), true, maxIntsetEntries(ctx.server.config));
      return storeResult(ctx.db, destination, "set", result, "s", "sdiffstore");
    },
  }),
  cmd({
    name: "sscan", arity: -3, flags: ["readonly"], keys: KEY1, since: "2.8.0",
    summary: "Incrementally iterate Set elements", syntax: "key cursor [MATCH pattern] [COUNT count]",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    run: (ctx, args) => sscan(ctx, args),
  }),
];
