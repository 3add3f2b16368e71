// Sorted set commands: ZADD ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK ZREVRANK ZCOUNT ZLEXCOUNT, the
// ZRANGE family (ZRANGE ZRANGESTORE ZREVRANGE Z[REV]RANGEBYSCORE Z[REV]RANGEBYLEX), ZREMRANGEBY*,
// ZPOPMIN ZPOPMAX ZMPOP and the blocking BZPOPMIN BZPOPMAX BZMPOP, ZRANDMEMBER, ZUNION ZINTER ZDIFF
// (and their STORE forms) ZINTERCARD, ZSCAN.
// Values are ZSetValues; a sorted set that becomes empty is deleted, as Redis never keeps one.

import { Errors, fail } from "../errors.js";
import type { Database } from "../engine/database.js";
import { globMatch } from "../engine/glob.js";
import type { SetValue } from "../engine/types/set.js";
import { type LexBound, type LexRange, type ScoreRange, type ZEntry, ZSetValue, zsetLimits } from "../engine/types/zset.js";
import { formatDouble } from "../protocol/number-format.js";
import { array, bulk, double, EMPTY_ARRAY, int, NIL, NIL_ARRAY, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, parseDouble, parseInteger, parseTimeout } from "./args.js";
import { serveFirst, serveOrBlock, type Serve as ZSetServe } from "./blocking-pop.js";
import { parseScanCursor, parseScanOptions, scanReply } from "./keys.js";
import { afterRemoval, numkeysKeys, parsePositive, parseRandomCount, storeResult } from "./sets.js";
import type { CommandResult, CommandSpec } from "./types.js";

function getZset(db: Database, key: string): ZSetValue | undefined {
  return db.get<ZSetValue>(key, "zset");
}

// --- Arguments -------------------------------------------------------------------------------------

/** A score as Redis's strtod-based getDoubleFromObject reads it: NaN, overflow and underflow to 0 are errors. */
function parseScore(arg: string, message: string = Errors.notFloat): number {
  const d = parseDouble(arg, message);
  if (!Number.isFinite(d) && !/inf/i.test(arg)) fail(message);
  if (d === 0 && /^[^eE]*[1-9]/.test(arg)) fail(message);
  return d;
}

const RANGE_NOT_FLOAT = "ERR min or max is not a float";
const RANGE_NOT_LEX = "ERR min or max not valid string range item";

/** One end of a score range, "(" for exclusive; read with strtod's leniency ("" is 0, leading spaces pass). */
function parseScoreBound(arg: string): [number, boolean] {
  const ex = arg.charCodeAt(0) === 40; // "("
  const text = ex ? arg.slice(1) : arg;
  if (text === "") return [0, ex];
  return [parseDouble(text.replace(/^[ \t\n\v\f\r]+/, ""), RANGE_NOT_FLOAT), ex];
}

function parseScoreRange(minArg: string, maxArg: string): ScoreRange {
  const [min, minEx] = parseScoreBound(minArg);
  const [max, maxEx] = parseScoreBound(maxArg);
  return { min, max, minEx, maxEx };
}

function parseLexBound(arg: string): LexBound {
  if (arg === "+") return { inf: 1, value: "", ex: true };
  if (arg === "-") return { inf: -1, value: "", ex: true };
  const c = arg.charCodeAt(0);
  if (c === 40 || c === 91) return { inf: 0, value: arg.slice(1), ex: c === 40 }; // "(" or "["
  fail(RANGE_NOT_LEX);
}

function parseLexRange(minArg: string, maxArg: string): LexRange {
  return { min: parseLexBound(minArg), max: parseLexBound(maxArg) };
}

/** Resolves rank indexes (negative from the end) to an inclusive [start, end] within size, or null. */
function clampRanks(start: number, end: number, size: number): [number, number] | null {
  if (start < 0) start += size;
  if (end < 0) end += size;
  if (start < 0) start = 0;
  if (start > end || start >= size) return null;
  return [start, Math.min(end, size - 1)];
}

// --- Replies ---------------------------------------------------------------------------------------

/** Members, optionally with scores: flat [m, s, ...] or nested [[m, s], ...]. */
function scored(entries: ZEntry[], withScores: boolean, nested: boolean): Reply {
  const out: Reply[] = [];
  for (const n of entries) {
    if (!withScores) out.push(bulk(n.member));
    else if (nested) out.push(array([bulk(n.member), double(n.score)]));
    else out.push(bulk(n.member), double(n.score));
  }
  return array(out);
}

/** The usual member list reply: scores as nested pairs in RESP3, flat in RESP2 (client libraries keep the order). */
function membersReply(ctx: Session, entries: ZEntry[], withScores: boolean): Reply {
  return scored(entries, withScores, withScores && ctx.resp === 3);
}

/** Stores a computed sorted set at destination (or deletes it when empty); wakes clients blocked on it. */
function storeZset(db: Database, destination: string, result: ZSetValue, event: string): Reply {
  const reply = storeResult(db, destination, "zset", result, "z", event);
  if (result.size > 0) db.signalReady(destination);
  return reply;
}

/** A new sorted set of the given members and scores (encoding as Redis would pick for that content). */
function zsetOf(ctx: Session, entries: Iterable<[string, number]>): ZSetValue {
  const limits = zsetLimits(ctx.server.config);
  const z = new ZSetValue();
  for (const [member, score] of entries) z.set(member, score, limits);
  return z;
}

// --- ZADD / ZINCRBY --------------------------------------------------------------------------------

/** ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [...]; ZINCRBY is ZADD with INCR forced. */
function zadd(ctx: Session, key: string, args: string[], forceIncr: boolean): Reply {
  let nx = false, xx = false, gt = false, lt = false, ch = false, incr = forceIncr;
  let i = 0;
  for (; i < args.length; i++) {
    const opt = args[i];
    if (is(opt, "nx")) nx = true;
    else if (is(opt, "xx")) xx = true;
    else if (is(opt, "ch")) ch = true;
    else if (is(opt, "incr")) incr = true;
    else if (is(opt, "gt")) gt = true;
    else if (is(opt, "lt")) lt = true;
    else break;
  }
  const rest = args.length - i;
  if (rest === 0 || rest % 2 !== 0) fail(Errors.syntax);
  if (nx && xx) fail("ERR XX and NX options at the same time are not compatible");
  if ((gt && nx) || (lt && nx) || (gt && lt)) fail("ERR GT, LT, and/or NX options at the same time are not compatible");
  if (incr && rest > 2) fail("ERR INCR option supports a single increment-element pair");
  const scores: number[] = [];
  for (let j = i; j < args.length; j += 2) scores.push(parseScore(args[j]));

  const db = ctx.db;
  const existing = getZset(db, key);
  if (existing === undefined && xx) return incr ? NIL : ZERO;
  const z = existing ?? new ZSetValue();
  const limits = zsetLimits(ctx.server.config);
  let added = 0, updated = 0, processed = 0, last = 0;
  for (let j = 0; j < scores.length; j++) {
    const member = args[i + 2 * j + 1];
    const current = z.score(member);
    let score = scores[j];
    if (current === undefined) {
      if (xx) continue;
      z.set(member, score, limits);
      added++;
    } else {
      if (nx) continue;
      if (incr) {
        score += current;
        // INCR takes a single pair, so nothing has changed yet.
        if (Number.isNaN(score)) fail("ERR resulting score is not a number (NaN)");
      }
      if ((lt && score >= current) || (gt && score <= current)) continue;
      if (score !== current) {
        z.set(member, score, limits);
        updated++;
      }
    }
    processed++;
    last = score;
  }
  if (added + updated > 0) {
    if (existing === undefined) db.set(key, "zset", z);
    else db.modified(key);
    db.notify("z", incr ? "zincr" : "zadd", key);
    db.signalReady(key);
  }
  if (incr) return processed > 0 ? double(last) : NIL;
  return int(ch ? added + updated : added);
}

// --- ZRANGE family ---------------------------------------------------------------------------------

type RangeBy = "rank" | "score" | "lex";

interface RangeQuery {
  withScores: boolean;
  select(z: ZSetValue): ZEntry[];
}

/**
 * Parses "min max [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]" as each ZRANGE variant
 * allows it: a fixed `by`/`reverse` (ZRANGEBYSCORE, ZREVRANGE, ...) makes that option a syntax error.
 */
function parseRangeQuery(args: string[], store: boolean, fixedBy: RangeBy | null, fixedReverse: boolean | null): RangeQuery {
  let by = fixedBy;
  let reverse = fixedReverse;
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let i = 2; i < args.length; i++) {
    const opt = args[i];
    if (!store && is(opt, "withscores")) {
      withScores = true;
    } else if (is(opt, "limit") && i + 2 < args.length) {
      offset = parseInteger(args[i + 1]);
      limit = parseInteger(args[i + 2]);
      i += 2;
    } else if (reverse === null && is(opt, "rev")) {
      reverse = true;
    } else if (by === null && is(opt, "bylex")) {
      by = "lex";
    } else if (by === null && is(opt, "byscore")) {
      by = "score";
    } else {
      fail(Errors.syntax);
    }
  }
  const rangeBy = by ?? "rank";
  const rev = reverse ?? false;
  if (limit !== -1 && rangeBy === "rank") {
    fail("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
  }
  if (withScores && rangeBy === "lex") fail("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
  // Reversed score and lex ranges are given as max, min.
  const [minArg, maxArg] = rev && rangeBy !== "rank" ? [args[1], args[0]] : [args[0], args[1]];
  if (rangeBy === "score") {
    const r = parseScoreRange(minArg, maxArg);
    return { withScores, select: (z) => z.rangeByScore(r, rev, offset, limit) };
  }
  if (rangeBy === "lex") {
    const r = parseLexRange(minArg, maxArg);
    return { withScores, select: (z) => z.rangeByLex(r, rev, offset, limit) };
  }
  const start = parseInteger(minArg);
  const end = parseInteger(maxArg);
  return {
    withScores,
    select(z) {
      const ranks = clampRanks(start, end, z.size);
      return ranks === null ? [] : z.rangeByRank(ranks[0], ranks[1], rev);
    },
  };
}

/** Every ZRANGE variant: args are "key min max [options]"; with a destination, ZRANGESTORE. */
function zrange(ctx: Session, args: string[], by: RangeBy | null, reverse: boolean | null, destination: string | null = null): Reply {
  const query = parseRangeQuery(args.slice(1), destination !== null, by, reverse);
  const z = getZset(ctx.db, args[0]);
  const entries = z === undefined ? [] : query.select(z);
  if (destination === null) return membersReply(ctx, entries, query.withScores);
  return storeZset(ctx.db, destination, zsetOf(ctx, entries.map((n): [string, number] => [n.member, n.score])), "zrangestore");
}

const REMRANGE_EVENTS: Record<RangeBy, string> = { rank: "zremrangebyrank", score: "zremrangebyscore", lex: "zremrangebylex" };

/** ZREMRANGEBYRANK/SCORE/LEX key min max. */
function zremrange(ctx: Session, [key, minArg, maxArg]: string[], by: RangeBy): Reply {
  let remove: (z: ZSetValue) => number;
  if (by === "score") {
    const r = parseScoreRange(minArg, maxArg);
    remove = (z) => z.removeRangeByScore(r);
  } else if (by === "lex") {
    const r = parseLexRange(minArg, maxArg);
    remove = (z) => z.removeRangeByLex(r);
  } else {
    const start = parseInteger(minArg);
    const end = parseInteger(maxArg);
    remove = (z) => {
      const ranks = clampRanks(start, end, z.size);
      return ranks === null ? 0 : z.removeRangeByRank(ranks[0], ranks[1]);
    };
  }
  const z = getZset(ctx.db, key);
  if (z === undefined) return ZERO;
  const removed = remove(z);
  if (removed > 0) afterRemoval(ctx.db, key, z, "z", REMRANGE_EVENTS[by]);
  return int(removed);
}

// --- Pops ------------------------------------------------------------------------------------------

/** Pops up to count of the lowest (or highest) members of a non-empty sorted set, with events. */
function pop(db: Database, key: string, z: ZSetValue, highest: boolean, count: number): ZEntry[] {
  const out: ZEntry[] = [];
  while (out.length < count) {
    const node = z.pop(highest);
    if (node === null) break;
    out.push(node);
  }
  afterRemoval(db, key, z, "z", highest ? "zpopmax" : "zpopmin");
  return out;
}

/** ZPOPMIN/ZPOPMAX key [count]: flat pairs, nested in RESP3 when a count was given. */
function zpop(ctx: Session, args: string[], highest: boolean): Reply {
  if (args.length > 2) fail(Errors.syntax);
  const count = args.length === 2 ? parsePositive(args[1]) : -1;
  const z = getZset(ctx.db, args[0]);
  if (z === undefined || count === 0) return EMPTY_ARRAY;
  const entries = pop(ctx.db, args[0], z, highest, count === -1 ? 1 : count);
  return count === -1 ? scored(entries, true, false) : membersReply(ctx, entries, true);
}

/** Parsed "numkeys key [key ...] MIN|MAX [COUNT count]" of ZMPOP/BZMPOP. */
interface MpopArgs {
  keys: string[];
  highest: boolean;
  count: number;
}

function parseMpop(args: string[]): MpopArgs {
  const numkeys = parsePositive(args[0], "ERR numkeys should be greater than 0");
  if (numkeys === 0) fail("ERR numkeys should be greater than 0");
  const whereAt = 1 + numkeys;
  if (whereAt >= args.length) fail(Errors.syntax);
  const where = args[whereAt];
  if (!is(where, "min") && !is(where, "max")) fail(Errors.syntax);
  let count = -1;
  for (let i = whereAt + 1; i < args.length; i++) {
    if (count === -1 && is(args[i], "count") && i + 1 < args.length) {
      count = parsePositive(args[++i], "ERR count should be greater than 0");
      if (count === 0) fail("ERR count should be greater than 0");
    } else {
      fail(Errors.syntax);
    }
  }
  return { keys: args.slice(1, whereAt), highest: is(where, "max"), count: count === -1 ? 1 : count };
}


type Serve = ZSetServe<ZSetValue>;

/** ZMPOP's (and BZMPOP's) serving: [key, [[member, score], ...]], propagated as ZPOPMIN/ZPOPMAX key count. */
function mpopServe(ctx: Session, { highest, count }: MpopArgs): Serve {
  return (key, z) => {
    const entries = pop(ctx.db, key, z, highest, count);
    return {
      reply: array([bulk(key), scored(entries, true, true)]),
      effect: [highest ? "zpopmax" : "zpopmin", key, String(entries.length)],
    };
  };
}

/** BZPOPMIN/BZPOPMAX key [key ...] timeout: [key, member, score]. */
function bzpop(ctx: Session, args: string[], highest: boolean): CommandResult {
  const timeout = parseTimeout(args[args.length - 1]);
  return serveOrBlock<ZSetValue>(ctx, "zset", args.slice(0, -1), timeout, NIL_ARRAY, (key, z) => {
    const [node] = pop(ctx.db, key, z, highest, 1);
    return { reply: array([bulk(key), bulk(node.member), double(node.score)]), effect: [highest ? "zpopmax" : "zpopmin", key] };
  });
}

// --- ZRANDMEMBER -----------------------------------------------------------------------------------

const HALF_LONG_MAX = 2n ** 62n - 1n;

function zrandmember(ctx: Session, args: string[]): Reply {
  const key = args[0];
  if (args.length === 1) {
    const z = getZset(ctx.db, key);
    return z === undefined ? NIL : bulk(z.random().member);
  }
  const n = parseRandomCount(args[1]);
  if (args.length > 3 || (args.length === 3 && !is(args[2], "withscores"))) fail(Errors.syntax);
  const withScores = args.length === 3;
  if (withScores && (n < -HALF_LONG_MAX || n > HALF_LONG_MAX)) fail("ERR value is out of range");
  const z = getZset(ctx.db, key);
  if (z === undefined || n === 0n) return EMPTY_ARRAY;
  const count = Number(n < 0n ? -n : n);
  let entries: ZEntry[];
  if (n < 0n || count === 1) {
    entries = new Array<ZEntry>(count);
    for (let i = 0; i < count; i++) entries[i] = z.random();
  } else {
    entries = count >= z.size ? z.all() : z.randomDistinct(count);
  }
  return membersReply(ctx, entries, withScores);
}

// --- ZUNION / ZINTER / ZDIFF -----------------------------------------------------------------------

/** A sorted set or set as an input of the set operations (a set's members score 1). */
interface Source {
  size: number;
  weight: number;
  entries(): Iterable<[string, number]>;
  score(member: string): number | undefined;
}

function* setEntries(s: SetValue): Iterable<[string, number]> {
  for (const member of s.values()) yield [member, 1];
}

function source(db: Database, key: string): Source {
  const entry = db.lookup(key);
  if (entry === undefined) return { size: 0, weight: 1, entries: () => [], score: () => undefined };
  if (entry.type === "zset") {
    const z = entry.value as ZSetValue;
    return { size: z.size, weight: 1, entries: () => z.entries(), score: (m) => z.score(m) };
  }
  if (entry.type === "set") {
    const s = entry.value as SetValue;
    return { size: s.size, weight: 1, entries: () => setEntries(s), score: (m) => (s.has(m) ? 1 : undefined) };
  }
  fail(Errors.wrongType);
}

type Aggregate = (acc: number, value: number) => number;

/** +inf + -inf is NaN; Redis makes it 0. */
const sum: Aggregate = (acc, v) => {
  const r = acc + v;
  return Number.isNaN(r) ? 0 : r;
};

function parseAggregate(arg: string): Aggregate {
  if (is(arg, "sum")) return sum;
  if (is(arg, "min")) return (acc, v) => (v < acc ? v : acc);
  if (is(arg, "max")) return (acc, v) => (v > acc ? v : acc);
  fail(Errors.syntax);
}

type SetOp = "union" | "inter" | "diff";

/** A source's weighted score, 0 instead of NaN (inf × 0). */
function weighted(src: Source, score: number): number {
  const w = src.weight * score;
  return Number.isNaN(w) ? 0 : w;
}

/** Members in every source with aggregated scores, from the smallest source. */
function* intersection(sources: Source[], aggregate: Aggregate): Iterable<[string, number]> {
  const [first, ...others] = sources.slice().sort((a, b) => a.size - b.size);
  if (first.size === 0) return;
  next: for (const [member, s] of first.entries()) {
    let score = weighted(first, s);
    for (const other of others) {
      const v = other.score(member);
      if (v === undefined) continue next;
      score = aggregate(score, v * other.weight);
    }
    yield [member, score];
  }
}

function union(sources: Source[], aggregate: Aggregate): Iterable<[string, number]> {
  const acc = new Map<string, number>();
  for (const src of sources.slice().sort((a, b) => a.size - b.size)) {
    for (const [member, s] of src.entries()) {
      const score = weighted(src, s);
      const current = acc.get(member);
      acc.set(member, current === undefined ? score : aggregate(current, score));
    }
  }
  return acc;
}

function* difference(sources: Source[]): Iterable<[string, number]> {
  const [first, ...others] = sources;
  for (const entry of first.entries()) {
    if (!others.some((o) => o.score(entry[0]) !== undefined)) yield entry;
  }
}

/**
 * ZUNION/ZINTER/ZDIFF/ZINTERCARD and the STORE forms. args start at numkeys:
 * "numkeys key [key ...] [WEIGHTS w ...] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]" (or "[LIMIT n]" for ZINTERCARD).
 */
function setOperation(ctx: Session, name: string, op: SetOp, args: string[], destination: string | null, cardOnly = false): Reply {
  const numkeys = parseInteger(args[0]);
  if (numkeys < 1) fail(`ERR at least 1 input key is needed for '${name}' command`);
  if (numkeys > args.length - 1) fail(Errors.syntax);
  const sources = args.slice(1, 1 + numkeys).map((key) => source(ctx.db, key));
  let aggregate = sum;
  let withScores = false;
  let limit = 0;
  for (let j = 1 + numkeys; j < args.length; ) {
    const remaining = args.length - j;
    const opt = args[j];
    if (op !== "diff" && !cardOnly && remaining >= numkeys + 1 && is(opt, "weights")) {
      j++;
      for (const src of sources) src.weight = parseScore(args[j++], "ERR weight value is not a float");
    } else if (op !== "diff" && !cardOnly && remaining >= 2 && is(opt, "aggregate")) {
      aggregate = parseAggregate(args[j + 1]);
      j += 2;
    } else if (destination === null && !cardOnly && is(opt, "withscores")) {
      withScores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && is(opt, "limit")) {
      limit = parsePositive(args[j + 1], "ERR LIMIT can't be negative");
      j += 2;
    } else {
      fail(Errors.syntax);
    }
  }
  if (cardOnly) {
    let count = 0;
    for (const _ of intersection(sources, aggregate)) if (++count === limit) break;
    return int(count);
  }
  const entries = op === "inter" ? intersection(sources, aggregate) : op === "union" ? union(sources, aggregate) : difference(sources);
  const result = zsetOf(ctx, entries);
  if (destination !== null) return storeZset(ctx.db, destination, result, `z${op}store`);
  return membersReply(ctx, result.all(), withScores);
}

// --- ZSCAN -----------------------------------------------------------------------------------------

function zscan(ctx: Session, [key, cursorArg, ...options]: string[]): Reply {
  const cursor = parseScanCursor(cursorArg);
  const z = getZset(ctx.db, key);
  if (z === undefined) return scanReply(0, []);
  const { count, pattern } = parseScanOptions(options, 0, false);
  const out: Reply[] = [];
  const visit = (member: string, score: number) => {
    if (pattern === null || globMatch(pattern, member)) out.push(bulk(member), bulk(formatDouble(score)));
  };
  if (z.compact) {
    // A listpack is answered in one call, whatever the cursor, as Redis does.
    for (const [member, score] of z.entries()) visit(member, score);
    return scanReply(0, out);
  }
  return scanReply(z.scan(cursor, count, visit), out);
}

// --- Specs -----------------------------------------------------------------------------------------

const KEY1 = { first: 1, last: 1, step: 1 };
const KEYS12 = { first: 1, last: 2, step: 1 };

/** A sorted set command spec with the fields every one shares. */
function cmd(spec: Omit<CommandSpec, "categories" | "group">): CommandSpec {
  return { ...spec, categories: ["sortedset"], group: "sorted_set" };
}

const RANGE_COMPLEXITY = "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.";
const SETOP_COMPLEXITY = "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.";

export const zsets: CommandSpec[] = [
  cmd({
    name: "zadd", arity: -4, flags: ["write", "denyoom", "fast"], keys: KEY1, since: "1.2.0",
    summary: "Add one or more members to a sorted set, or update its score if it already exists",
    syntax: "key [NX | XX] [GT | LT] [CH] [INCR] score member [score member ...]",
    complexity: "O(log(N)) for each item added, where N is the number of elements in the sorted set.",
    run: (ctx, [key, ...args]) => zadd(ctx, key, args, false),
  }),
  cmd({
    name: "zincrby", arity: 4, flags: ["write", "denyoom", "fast"], keys: KEY1, since: "1.2.0",
    summary: "Increment the score of a member in a sorted set", syntax: "key increment member",
    complexity: "O(log(N)) where N is the number of elements in the sorted set.",
    run: (ctx, [key, ...args]) => zadd(ctx, key, args, true),
  }),
  cmd({
    name: "zrem", arity: -3, flags: ["write", "fast"], keys: KEY1, since: "1.2.0",
    summary: "Remove one or more members from a sorted set", syntax: "key member [member ...]",
    complexity: "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.",
    run(ctx, [key, ...members]) {
      const z = getZset(ctx.db, key);
      if (z === undefined) return ZERO;
      let removed = 0;
      for (const member of members) {
        if (z.delete(member)) removed++;
        if (z.size === 0) break;
      }
      if (removed > 0) afterRemoval(ctx.db, key, z, "z", "zrem");
      return int(removed);
    },
  }),
  cmd({
    name: "zcard", arity: 2, flags: ["readonly", "fast"], keys: KEY1, since: "1.2.0",
    summary: "Get the number of members in a sorted set", syntax: "key", complexity: "O(1)",
    run: (ctx, [key]) => int(getZset(ctx.db, key)?.size ?? 0),
  }),
  cmd({
    name: "zscore", arity: 3, flags: ["readonly", "fast"], keys: KEY1, since: "1.2.0",
    summary: "Get the score associated with the given member in a sorted set", syntax: "key member", complexity: "O(1)",
    run(ctx, [key, member]) {
      const score = getZset(ctx.db, key)?.score(member);
      return score === undefined ? NIL : double(score);
    },
  }),
  cmd({
    name: "zmscore", arity: -3, flags: ["readonly", "fast"], keys: KEY1, since: "6.2.0",
    summary: "Get the score associated with the given members in a sorted set", syntax: "key member [member ...]",
    complexity: "O(N) where N is the number of members being requested.",
    run(ctx, [key, ...members]) {
      const z = getZset(ctx.db, key);
      return array(members.map((m) => {
        const score = z?.score(m);
        return score === undefined ? NIL : double(score);
      }));
    },
  }),
  cmd({
    name: "zrank", arity: 3, flags: ["readonly", "fast"], keys: KEY1, since: "2.0.0",
    summary: "Determine the index of a member in a sorted set", syntax: "key member", complexity: "O(log(N))",
    run(ctx, [key, member]) {
      const rank = getZset(ctx.db, key)?.rank(member);
      return rank === undefined ? NIL : int(rank);
    },
  }),
  cmd({
    name: "zrevrank", arity: 3, flags: ["readonly", "fast"], keys: KEY1, since: "2.0.0",
    summary: "Determine the index of a member in a sorted set, with scores ordered from high to low", syntax: "key member",
    complexity: "O(log(N))",
    run(ctx, [key, member]) {
      const rank = getZset(ctx.db, key)?.rank(member, true);
      return rank === undefined ? NIL : int(rank);
    },
  }),
  cmd({
    name: "zcount", arity: 4, flags: ["readonly", "fast"], keys: KEY1, since: "2.0.0",
    summary: "Count the members in a sorted set with scores within the given values", syntax: "key min max",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    run(ctx, [key, min, max]) {
      const r = parseScoreRange(min, max);
      return int(getZset(ctx.db, key)?.countInRange(r) ?? 0);
    },
  }),
  cmd({
    name: "zlexcount", arity: 4, flags: ["readonly", "fast"], keys: KEY1, since: "2.8.9",
    summary: "Count the number of members in a sorted set between a given lexicographical range", syntax: "key min max",
    complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    run(ctx, [key, min, max]) {
      const r = parseLexRange(min, max);
      return int(getZset(ctx.db, key)?.countInLexRange(r) ?? 0);
    },
  }),
  cmd({
    name: "zrange", arity: -4, flags: ["readonly"], keys: KEY1, since: "1.2.0",
    summary: "Return a range of members in a sorted set",
    syntax: "key start stop [BYSCORE | BYLEX] [REV] [LIMIT offset count] [WITHSCORES]", complexity: RANGE_COMPLEXITY,
    run: (ctx, args) => zrange(ctx, args, null, null),
  }),
  cmd({
    name: "zrangestore", arity: -5, flags: ["write", "denyoom"], keys: KEYS12, since: "6.2.0",
    summary: "Store a range of members from sorted set into another key",
    syntax: "dst src min max [BYSCORE | BYLEX] [REV] [LIMIT offset count]",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.",
    run: (ctx, [destination, ...args]) => zrange(ctx, args, null, null, destination),
  }),
  cmd({
    name: "zrevrange", arity: -4, flags: ["readonly"], keys: KEY1, since: "1.2.0",
    summary: "Return a range of members in a sorted set, by index, with scores ordered from high to low",
    syntax: "key start stop [WITHSCORES]", complexity: RANGE_COMPLEXITY,
    run: (ctx, args) => zrange(ctx, args, "rank", true),
  }),
  cmd({
    name: "zrangebyscore", arity: -4, flags: ["readonly"], keys: KEY1, since: "1.0.5",
    summary: "Return a range of members in a sorted set, by score",
    syntax: "key min max [WITHSCORES] [LIMIT offset count]", complexity: RANGE_COMPLEXITY,
    run: (ctx, args) => zrange(ctx, args, "score", false),
  }),
  cmd({
    name: "zrevrangebyscore", arity: -4, flags: ["readonly"], keys: KEY1, since: "2.2.0",
    summary: "Return a range of members in a sorted set, by score, with scores ordered from high to low",
    syntax: "key max min [WITHSCORES] [LIMIT offset count]", complexity: RANGE_COMPLEXITY,
    run: (ctx, args) => zrange(ctx, args, "score", true),
  }),
  cmd({
    name: "zrangebylex", arity: -4, flags: ["readonly"], keys: KEY1, since: "2.8.9",
    summary: "Return a range of members in a sorted set, by lexicographical range",
    syntax: "key min max [LIMIT offset count]", complexity: RANGE_COMPLEXITY,
    run: (ctx, args) => zrange(ctx, args, "lex", false),
  }),
  cmd({
    name: "zrevrangebylex", arity: -4, flags: ["readonly"], keys: KEY1, since: "2.8.9",
    summary: "Return a range of members in a sorted set, by lexicographical range, ordered from higher to lower strings.",
    syntax: "key max min [LIMIT offset count]", complexity: RANGE_COMPLEXITY,
    run: (ctx, args) => zrange(ctx, args, "lex", true),
  }),
  cmd({
    name: "zremrangebyrank", arity: 4, flags: ["write"], keys: KEY1, since: "2.0.0",
    summary: "Remove all members in a sorted set within the given indexes", syntax: "key start stop",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    run: (ctx, args) => zremrange(ctx, args, "rank"),
  }),
  cmd({
    name: "zremrangebyscore", arity: 4, flags: ["write"], keys: KEY1, since: "1.2.0",
    summary: "Remove all members in a sorted set within the given scores", syntax: "key min max",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    run: (ctx, args) => zremrange(ctx, args, "score"),
  }),
  cmd({
    name: "zremrangebylex", arity: 4, flags: ["write"], keys: KEY1, since: "2.8.9",
    summary: "Remove all members in a sorted set between the given lexicographical range", syntax: "key min max",
    complexity: "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.",
    run: (ctx, args) => zremrange(ctx, args, "lex"),
  }),
  cmd({
    name: "zpopmin", arity: -2, flags: ["write", "fast"], keys: KEY1, since: "5.0.0",
    summary: "Remove and return members with the lowest scores in a sorted set", syntax: "key [count]",
    complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    run: (ctx, args) => zpop(ctx, args, false),
  }),
  cmd({
    name: "zpopmax", arity: -2, flags: ["write", "fast"], keys: KEY1, since: "5.0.0",
    summary: "Remove and return members with the highest scores in a sorted set", syntax: "key [count]",
    complexity: "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.",
    run: (ctx, args) => zpop(ctx, args, true),
  }),
  cmd({
    name: "zmpop", arity: -4, flags: ["write"], findKeys: numkeysKeys(1), since: "7.0.0",
    summary: "Remove and return members with scores in a sorted set", syntax: "numkeys key [key ...] <MIN | MAX> [COUNT count]",
    complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    run(ctx, args) {
      const parsed = parseMpop(args);
      return serveFirst(ctx, "zset", parsed.keys, mpopServe(ctx, parsed)) ?? NIL_ARRAY;
    },
  }),
  cmd({
    name: "bzpopmin", arity: -3, flags: ["write", "noscript", "blocking", "fast"], keys: { first: 1, last: -2, step: 1 }, since: "5.0.0",
    summary: "Remove and return the member with the lowest score from one or more sorted sets, or block until one is available",
    syntax: "key [key ...] timeout", complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    run: (ctx, args) => bzpop(ctx, args, false),
  }),
  cmd({
    name: "bzpopmax", arity: -3, flags: ["write", "noscript", "blocking", "fast"], keys: { first: 1, last: -2, step: 1 }, since: "5.0.0",
    summary: "Remove and return the member with the highest score from one or more sorted sets, or block until one is available",
    syntax: "key [key ...] timeout", complexity: "O(log(N)) with N being the number of elements in the sorted set.",
    run: (ctx, args) => bzpop(ctx, args, true),
  }),
  cmd({
    name: "bzmpop", arity: -5, flags: ["write", "blocking"], findKeys: numkeysKeys(2), since: "7.0.0",
    summary: "Remove and return members with scores in a sorted set or block until one is available",
    syntax: "timeout numkeys key [key ...] <MIN | MAX> [COUNT count]",
    complexity: "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.",
    run(ctx, [timeoutArg, ...args]) {
      const parsed = parseMpop(args);
      const timeout = parseTimeout(timeoutArg);
      return serveOrBlock(ctx, "zset", parsed.keys, timeout, NIL_ARRAY, mpopServe(ctx, parsed));
    },
  }),
  cmd({
    name: "zrandmember", arity: -2, flags: ["readonly"], keys: KEY1, since: "6.2.0",
    summary: "Get one or multiple random elements from a sorted set", syntax: "key [count [WITHSCORES]]",
    complexity: "O(N) where N is the number of elements returned",
    run: (ctx, args) => zrandmember(ctx, args),
  }),
  cmd({
    name: "zunion", arity: -3, flags: ["readonly"], findKeys: numkeysKeys(1), since: "6.2.0",
    summary: "Add multiple sorted sets",
    syntax: "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]", complexity: SETOP_COMPLEXITY,
    run: (ctx, args) => setOperation(ctx, "zunion", "union", args, null),
  }),
  cmd({
    name: "zinter", arity: -3, flags: ["readonly"], findKeys: numkeysKeys(1), since: "6.2.0",
    summary: "Intersect multiple sorted sets",
    syntax: "numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>] [WITHSCORES]",
    complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
    run: (ctx, args) => setOperation(ctx, "zinter", "inter", args, null),
  }),
  cmd({
    name: "zdiff", arity: -3, flags: ["readonly"], findKeys: numkeysKeys(1), since: "6.2.0",
    summary: "Subtract multiple sorted sets", syntax: "numkeys key [key ...] [WITHSCORES]",
    complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
    run: (ctx, args) => setOperation(ctx, "zdiff", "diff", args, null),
  }),
  cmd({
    name: "zunionstore", arity: -4, flags: ["write", "denyoom"], findKeys: numkeysKeys(2, [1]), since: "2.0.0",
    summary: "Add multiple sorted sets and store the resulting sorted set in a new key",
    syntax: "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]", complexity: SETOP_COMPLEXITY,
    run: (ctx, [destination, ...args]) => setOperation(ctx, "zunionstore", "union", args, destination),
  }),
  cmd({
    name: "zinterstore", arity: -4, flags: ["write", "denyoom"], findKeys: numkeysKeys(2, [1]), since: "2.0.0",
    summary: "Intersect multiple sorted sets and store the resulting sorted set in a new key",
    syntax: "destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE <SUM | MIN | MAX>]",
    complexity: "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.",
    run: (ctx, [destination, ...args]) => setOperation(ctx, "zinterstore", "inter", args, destination),
  }),
  cmd({
    name: "zdiffstore", arity: -4, flags: ["write", "denyoom"], findKeys: numkeysKeys(2, [1]), since: "6.2.0",
    summary: "Subtract multiple sorted sets and store the resulting sorted set in a new key", syntax: "destination numkeys key [key ...]",
    complexity: "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.",
    run: (ctx, [destination, ...args]) => setOperation(ctx, "zdiffstore", "diff", args, destination),
  }),
  cmd({
    name: "zintercard", arity: -3, flags: ["readonly"], findKeys: numkeysKeys(1), since: "7.0.0",
    summary: "Intersect multiple sorted sets and return the cardinality of the result", syntax: "numkeys key [key ...] [LIMIT limit]",
    complexity: "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.",
    run: (ctx, args) => setOperation(ctx, "zintercard", "inter", args, null, true),
  }),
  cmd({
    name: "zscan", arity: -3, flags: ["readonly"], keys: KEY1, since: "2.8.0",
    summary: "Incrementally iterate sorted sets elements and associated scores", syntax: "key cursor [MATCH pattern] [COUNT count]",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    run: (ctx, args) => zscan(ctx, args),
  }),
];
