// List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LINDEX LINSERT LRANGE LREM LSET LTRIM LPOS
// LMOVE RPOPLPUSH LMPOP and the blocking BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP.
// Values are ListValue deques; a list that becomes empty is deleted, as Redis never keeps one.

import { Errors, fail } from "../errors.js";
import { now } from "../engine/clock.js";
import type { Database } from "../engine/database.js";
import { ListValue } from "../engine/types/list.js";
import { array, bulk, bulks, EMPTY_ARRAY, int, NIL, NIL_ARRAY, OK, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, isInt64, parseDouble, parseInteger, parseTimeout } from "./args.js";
import { serveOrBlock, type Served } from "./blocking-pop.js";
import type { CommandResult, CommandSpec } from "./types.js";

/** Which end of a list: true for the head (LEFT), false for the tail (RIGHT). */
type Left = boolean;

function getList(db: Database, key: string): ListValue | undefined {
  return db.get<ListValue>(key, "list");
}

/** LEFT or RIGHT, case-insensitively. */
function parseEnd(arg: string): Left {
  if (is(arg, "left")) return true;
  if (is(arg, "right")) return false;
  fail(Errors.syntax);
}

/** An int64 argument of at least min; the same message for bad syntax and out of range, as Redis. */
function parseAtLeast(arg: string, min: number, message: string): number {
  if (!isInt64(arg)) fail(message);
  const n = Number(arg);
  if (n < min) fail(message);
  return n;
}

/**
 * A blocking timeout in seconds, as Redis's getTimeoutFromObjectOrReply: returns milliseconds,
 * 0 for "forever". Values whose milliseconds do not fit an int64 are "negative", as the C cast makes them.
 */

/** Pushes values one at a time at one end; creates the list unless onlyExisting. Returns the new length. */
function push(db: Database, key: string, values: string[], left: Left, onlyExisting: boolean): number {
  let list = getList(db, key);
  if (list === undefined && onlyExisting) return 0;
  const created = list === undefined;
  list ??= new ListValue();
  for (const value of values) {
    if (left) list.pushFront(value);
    else list.pushBack(value);
  }
  if (created) db.set(key, "list", list);
  else db.modified(key);
  db.notify("l", left ? "lpush" : "rpush", key);
  db.signalReady(key);
  return list.length;
}

/** Deletes key if its list is now empty (with the "del" event), else signals the change. */
function afterRemoval(db: Database, key: string, list: ListValue): void {
  if (list.length === 0) {
    db.delete(key);
    db.notify("g", "del", key);
  } else {
    db.modified(key);
  }
}

/** Pops up to count elements from one end of a non-empty list, with events; deletes it when emptied. */
function pop(db: Database, key: string, list: ListValue, left: Left, count: number): string[] {
  const n = Math.min(count, list.length);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = (left ? list.popFront() : list.popBack())!;
  db.notify("l", left ? "lpop" : "rpop", key);
  afterRemoval(db, key, list);
  return out;
}

/**
 * Moves one element from source's list (non-empty) to destination, as LMOVE. Checks destination's
 * type before touching anything. Returns the element.
 */
function move(db: Database, source: string, list: ListValue, destination: string, from: Left, to: Left): string {
  const target = getList(db, destination);
  const value = (from ? list.popFront() : list.popBack())!;
  if (target === undefined) {
    db.set(destination, "list", ListValue.from([value]));
  } else {
    if (to) target.pushFront(value);
    else target.pushBack(value);
    db.modified(destination);
  }
  db.notify("l", to ? "lpush" : "rpush", destination);
  db.signalReady(destination);
  db.notify("l", from ? "lpop" : "rpop", source);
  afterRemoval(db, source, list);
  return value;
}

/** Resolves LRANGE/LTRIM style indexes to an inclusive [start, stop] within length, or null if empty. */
function clampRange(start: number, stop: number, length: number): [number, number] | null {
  if (start < 0) start += length;
  if (stop < 0) stop += length;
  if (start < 0) start = 0;
  if (start > stop || start >= length) return null;
  return [start, Math.min(stop, length - 1)];
}

/** BLPOP/BRPOP: key1 [key2 ...] timeout. */
function blockingPop(ctx: Session, args: string[], left: Left): CommandResult {
  const keys = args.slice(0, -1);
  const timeout = parseTimeout(args[args.length - 1]);
  return serveOrBlock<ListValue>(ctx, "list", keys, timeout, NIL_ARRAY, (key, list) => ({
    reply: array([bulk(key), bulk(pop(ctx.db, key, list, left, 1)[0])]),
    effect: [left ? "lpop" : "rpop", key],
  }));
}

/** LMOVE/BLMOVE's effect once an element can be moved. */
function moveServed(db: Database, source: string, list: ListValue, destination: string, from: Left, to: Left): Served {
  return {
    reply: bulk(move(db, source, list, destination, from, to)),
    effect: ["lmove", source, destination, from ? "left" : "right", to ? "left" : "right"],
  };
}

/** LMOVE/RPOPLPUSH: nil when source is missing (destination is then not checked). */
function lmove(ctx: Session, source: string, destination: string, from: Left, to: Left): Reply {
  const list = getList(ctx.db, source);
  if (list === undefined) return NIL;
  return moveServed(ctx.db, source, list, destination, from, to).reply;
}

function blmove(ctx: Session, source: string, destination: string, from: Left, to: Left, timeoutArg: string): CommandResult {
  const timeout = parseTimeout(timeoutArg);
  return serveOrBlock<ListValue>(ctx, "list", [source], timeout, NIL, (key, list) => moveServed(ctx.db, key, list, destination, from, to));
}

/** Parsed "numkeys key [key ...] LEFT|RIGHT [COUNT count]" of LMPOP/BLMPOP. */
interface MpopArgs {
  keys: string[];
  left: Left;
  count: number;
}

function parseMpop(args: string[]): MpopArgs {
  const numkeys = parseAtLeast(args[0], 1, "ERR numkeys should be greater than 0");
  const whereAt = 1 + numkeys;
  if (whereAt >= args.length) fail(Errors.syntax);
  const left = parseEnd(args[whereAt]);
  let count = -1;
  for (let i = whereAt + 1; i < args.length; i++) {
    if (count === -1 && is(args[i], "count") && i + 1 < args.length) {
      count = parseAtLeast(args[++i], 1, "ERR count should be greater than 0");
    } else {
      fail(Errors.syntax);
    }
  }
  return { keys: args.slice(1, whereAt), left, count: count === -1 ? 1 : count };
}

function mpopServed(db: Database, key: string, list: ListValue, left: Left, count: number): Served {
  const popped = pop(db, key, list, left, count);
  return { reply: array([bulk(key), bulks(popped)]), effect: [left ? "lpop" : "rpop", key, String(popped.length)] };
}

/** Keys of LMPOP (numkeys at argv[1]) and BLMPOP (numkeys at argv[2]). */
function mpopKeys(numkeysAt: number): (argv: string[]) => number[] {
  return (argv) => {
    const n = isInt64(argv[numkeysAt] ?? "") ? Number(argv[numkeysAt]) : 0;
    const out: number[] = [];
    for (let i = numkeysAt + 1; i <= numkeysAt + n && i < argv.length; i++) out.push(i);
    return out;
  };
}

/** LPOP/RPOP key [count]. */
function popCommand(ctx: Session, args: string[], left: Left): Reply {
  const [key, countArg] = args;
  if (args.length > 2) fail(Errors.wrongArgs(left ? "lpop" : "rpop"));
  const count = countArg === undefined ? -1 : parseAtLeast(countArg, 0, "ERR value is out of range, must be positive");
  const list = getList(ctx.db, key);
  if (list === undefined) return count === -1 ? NIL : NIL_ARRAY;
  if (count === -1) return bulk(pop(ctx.db, key, list, left, 1)[0]);
  if (count === 0) return EMPTY_ARRAY;
  return bulks(pop(ctx.db, key, list, left, count));
}

/** Parsed LPOS options. */
interface LposOptions {
  rank: number;
  /** -1 when COUNT was not given (reply is a single index), 0 for all matches. */
  count: number;
  /** 0 for no limit. */
  maxlen: number;
}

function parseLposOptions(args: string[]): LposOptions {
  const options: LposOptions = { rank: 1, count: -1, maxlen: 0 };
  for (let i = 0; i < args.length; i++) {
    const hasValue = i + 1 < args.length;
    if (is(args[i], "rank") && hasValue) {
      options.rank = parseInteger(args[++i]);
      if (options.rank === 0) {
        fail("ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
      }
    } else if (is(args[i], "count") && hasValue) {
      options.count = parseAtLeast(args[++i], 0, "ERR COUNT can't be negative");
    } else if (is(args[i], "maxlen") && hasValue) {
      options.maxlen = parseAtLeast(args[++i], 0, "ERR MAXLEN can't be negative");
    } else {
      fail(Errors.syntax);
    }
  }
  return options;
}

/** Indexes of the matches LPOS reports, scanning from the head (rank > 0) or the tail. */
function lposMatches(list: ListValue, element: string, { rank, count, maxlen }: LposOptions): number[] {
  const step = rank > 0 ? 1 : -1;
  const wanted = count === -1 ? 1 : count === 0 ? Infinity : count;
  let skip = Math.abs(rank) - 1;
  const found: number[] = [];
  const last = maxlen === 0 ? list.length : Math.min(list.length, maxlen);
  for (let scanned = 0, i = step > 0 ? 0 : list.length - 1; scanned < last; scanned++, i += step) {
    if (list.at(i) !== element) continue;
    if (skip > 0) {
      skip--;
      continue;
    }
    found.push(i);
    if (found.length >= wanted) break;
  }
  return found;
}

const KEY1 = { first: 1, last: 1, step: 1 };
const KEYS12 = { first: 1, last: 2, step: 1 };

/** A list command spec with the fields every one shares. */
function cmd(spec: Omit<CommandSpec, "categories" | "group">): CommandSpec {
  return { ...spec, categories: ["list"], group: "list" };
}

export const lists: CommandSpec[] = [
  cmd({
    name: "lpush", arity: -3, flags: ["write", "denyoom", "fast"], keys: KEY1, since: "1.0.0",
    summary: "Prepend one or multiple elements to a list", syntax: "key element [element ...]",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    run: (ctx, [key, ...values]) => int(push(ctx.db, key, values, true, false)),
  }),
  cmd({
    name: "rpush", arity: -3, flags: ["write", "denyoom", "fast"], keys: KEY1, since: "1.0.0",
    summary: "Append one or multiple elements to a list", syntax: "key element [element ...]",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    run: (ctx, [key, ...values]) => int(push(ctx.db, key, values, false, false)),
  }),
  cmd({
    name: "lpushx", arity: -3, flags: ["write", "denyoom", "fast"], keys: KEY1, since: "2.2.0",
    summary: "Prepend an element to a list, only if the list exists", syntax: "key element [element ...]",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    run: (ctx, [key, ...values]) => int(push(ctx.db, key, values, true, true)),
  }),
  cmd({
    name: "rpushx", arity: -3, flags: ["write", "denyoom", "fast"], keys: KEY1, since: "2.2.0",
    summary: "Append an element to a list, only if the list exists", syntax: "key element [element ...]",
    complexity: "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.",
    run: (ctx, [key, ...values]) => int(push(ctx.db, key, values, false, true)),
  }),
  cmd({
    name: "lpop", arity: -2, flags: ["write", "fast"], keys: KEY1, since: "1.0.0",
    summary: "Remove and get the first elements in a list", syntax: "key [count]",
    complexity: "O(N) where N is the number of elements returned",
    run: (ctx, args) => popCommand(ctx, args, true),
  }),
  cmd({
    name: "rpop", arity: -2, flags: ["write", "fast"], keys: KEY1, since: "1.0.0",
    summary: "Remove and get the last elements in a list", syntax: "key [count]",
    complexity: "O(N) where N is the number of elements returned",
    run: (ctx, args) => popCommand(ctx, args, false),
  }),
  cmd({
    name: "llen", arity: 2, flags: ["readonly", "fast"], keys: KEY1, since: "1.0.0",
    summary: "Get the length of a list", syntax: "key", complexity: "O(1)",
    run: (ctx, [key]) => int(getList(ctx.db, key)?.length ?? 0),
  }),
  cmd({
    name: "lindex", arity: 3, flags: ["readonly"], keys: KEY1, since: "1.0.0",
    summary: "Get an element from a list by its index", syntax: "key index", complexity: "O(1)",
    run(ctx, [key, indexArg]) {
      const list = getList(ctx.db, key);
      if (list === undefined) return NIL;
      let index = parseInteger(indexArg);
      if (index < 0) index += list.length;
      return index >= 0 && index < list.length ? bulk(list.at(index)) : NIL;
    },
  }),
  cmd({
    name: "linsert", arity: 5, flags: ["write", "denyoom"], keys: KEY1, since: "2.2.0",
    summary: "Insert an element before or after another element in a list", syntax: "key <BEFORE | AFTER> pivot element",
    complexity: "O(N) where N is the number of elements to traverse before seeing the value pivot.",
    run(ctx, [key, where, pivot, element]) {
      let after: boolean;
      if (is(where, "after")) after = true;
      else if (is(where, "before")) after = false;
      else fail(Errors.syntax);
      const list = getList(ctx.db, key);
      if (list === undefined) return ZERO;
      const at = list.indexOf(pivot);
      if (at < 0) return int(-1);
      list.insertAt(after ? at + 1 : at, element);
      ctx.db.modified(key);
      ctx.db.notify("l", "linsert", key);
      return int(list.length);
    },
  }),
  cmd({
    name: "lrange", arity: 4, flags: ["readonly"], keys: KEY1, since: "1.0.0",
    summary: "Get a range of elements from a list", syntax: "key start stop",
    complexity: "O(S+N) where S is the distance of start offset from HEAD and N is the number of elements in the specified range.",
    run(ctx, [key, startArg, stopArg]) {
      const start = parseInteger(startArg);
      const stop = parseInteger(stopArg);
      const list = getList(ctx.db, key);
      const range = list && clampRange(start, stop, list.length);
      return range ? bulks(list!.range(range[0], range[1])) : EMPTY_ARRAY;
    },
  }),
  cmd({
    name: "lrem", arity: 4, flags: ["write"], keys: KEY1, since: "1.0.0",
    summary: "Remove elements from a list", syntax: "key count element",
    complexity: "O(N+M) where N is the length of the list and M is the number of elements removed.",
    run(ctx, [key, countArg, element]) {
      const count = parseInteger(countArg);
      const list = getList(ctx.db, key);
      if (list === undefined) return ZERO;
      const removed = list.removeMatches(element, count);
      if (removed > 0) {
        ctx.db.notify("l", "lrem", key);
        afterRemoval(ctx.db, key, list);
      }
      return int(removed);
    },
  }),
  cmd({
    name: "lset", arity: 4, flags: ["write", "denyoom"], keys: KEY1, since: "1.0.0",
    summary: "Set the value of an element in a list by its index", syntax: "key index element", complexity: "O(1)",
    run(ctx, [key, indexArg, element]) {
      let index = parseInteger(indexArg);
      const list = getList(ctx.db, key);
      if (list === undefined) fail(Errors.noSuchKey);
      if (index < 0) index += list.length;
      if (index < 0 || index >= list.length) fail(Errors.outOfRangeIndex);
      list.setAt(index, element);
      ctx.db.modified(key);
      ctx.db.notify("l", "lset", key);
      return OK;
    },
  }),
  cmd({
    name: "ltrim", arity: 4, flags: ["write"], keys: KEY1, since: "1.0.0",
    summary: "Trim a list to the specified range", syntax: "key start stop",
    complexity: "O(N) where N is the number of elements to be removed by the operation.",
    run(ctx, [key, startArg, stopArg]) {
      const start = parseInteger(startArg);
      const stop = parseInteger(stopArg);
      const list = getList(ctx.db, key);
      if (list === undefined) return OK;
      const range = clampRange(start, stop, list.length);
      if (range) list.trim(range[0], range[1]);
      else list.trim(0, -1);
      ctx.db.notify("l", "ltrim", key);
      afterRemoval(ctx.db, key, list);
      return OK;
    },
  }),
  cmd({
    name: "lpos", arity: -3, flags: ["readonly"], keys: KEY1, since: "6.0.6",
    summary: "Return the index of matching elements on a list", syntax: "key element [RANK rank] [COUNT num-matches] [MAXLEN len]",
    complexity: "O(N) where N is the number of elements in the list, for the average case.",
    run(ctx, [key, element, ...rest]) {
      const options = parseLposOptions(rest);
      const list = getList(ctx.db, key);
      const found = list === undefined ? [] : lposMatches(list, element, options);
      if (options.count !== -1) return array(found.map((i) => int(i)));
      return found.length > 0 ? int(found[0]) : NIL;
    },
  }),
  cmd({
    name: "lmove", arity: 5, flags: ["write", "denyoom"], keys: KEYS12, since: "6.2.0",
    summary: "Pop an element from a list, push it to another list and return it", syntax: "source destination <LEFT | RIGHT> <LEFT | RIGHT>",
    complexity: "O(1)",
    run: (ctx, [source, destination, from, to]) => lmove(ctx, source, destination, parseEnd(from), parseEnd(to)),
  }),
  cmd({
    name: "rpoplpush", arity: 3, flags: ["write", "denyoom"], keys: KEYS12, since: "1.2.0",
    summary: "Remove the last element in a list, prepend it to another list and return it", syntax: "source destination",
    complexity: "O(1)",
    run: (ctx, [source, destination]) => lmove(ctx, source, destination, false, true),
  }),
  cmd({
    name: "lmpop", arity: -4, flags: ["write"], findKeys: mpopKeys(1), since: "7.0.0",
    summary: "Pop elements from a list", syntax: "numkeys key [key ...] <LEFT | RIGHT> [COUNT count]",
    complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
    run(ctx, args) {
      const { keys, left, count } = parseMpop(args);
      for (const key of keys) {
        const list = getList(ctx.db, key);
        if (list !== undefined) return mpopServed(ctx.db, key, list, left, count).reply;
      }
      return NIL_ARRAY;
    },
  }),
  cmd({
    name: "blpop", arity: -3, flags: ["write", "noscript", "blocking"], keys: { first: 1, last: -2, step: 1 }, since: "2.0.0",
    summary: "Remove and get the first element in a list, or block until one is available", syntax: "key [key ...] timeout",
    complexity: "O(N) where N is the number of provided keys.",
    run: (ctx, args) => blockingPop(ctx, args, true),
  }),
  cmd({
    name: "brpop", arity: -3, flags: ["write", "noscript", "blocking"], keys: { first: 1, last: -2, step: 1 }, since: "2.0.0",
    summary: "Remove and get the last element in a list, or block until one is available", syntax: "key [key ...] timeout",
    complexity: "O(N) where N is the number of provided keys.",
    run: (ctx, args) => blockingPop(ctx, args, false),
  }),
  cmd({
    name: "blmove", arity: 6, flags: ["write", "denyoom", "noscript", "blocking"], keys: KEYS12, since: "6.2.0",
    summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
    syntax: "source destination <LEFT | RIGHT> <LEFT | RIGHT> timeout", complexity: "O(1)",
    run: (ctx, [source, destination, from, to, timeout]) => blmove(ctx, source, destination, parseEnd(from), parseEnd(to), timeout),
  }),
  cmd({
    name: "brpoplpush", arity: 4, flags: ["write", "denyoom", "noscript", "blocking"], keys: KEYS12, since: "2.2.0",
    summary: "Pop an element from a list, push it to another list and return it; or block until one is available",
    syntax: "source destination timeout", complexity: "O(1)",
    run: (ctx, [source, destination, timeout]) => blmove(ctx, source, destination, false, true, timeout),
  }),
  cmd({
    name: "blmpop", arity: -5, flags: ["write", "blocking"], findKeys: mpopKeys(2), since: "7.0.0",
    summary: "Pop elements from a list, or block until one is available", syntax: "timeout numkeys key [key ...] <LEFT | RIGHT> [COUNT count]",
    complexity: "O(N+M) where N is the number of provided keys and M is the number of elements returned.",
    run(ctx, [timeoutArg, ...args]) {
      const { keys, left, count } = parseMpop(args);
      const timeout = parseTimeout(timeoutArg);
      return serveOrBlock<ListValue>(ctx, "list", keys, timeout, NIL_ARRAY, (key, list) => mpopServed(ctx.db, key, list, left, count));
    },
  }),
];
