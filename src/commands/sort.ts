// SORT and SORT_RO: sort the elements of a list, set or sorted set numerically or ALPHA, by
// themselves or BY the values of other keys/hash fields named by a pattern (a pattern without
// "*" means "nosort": native order), take a LIMIT window, GET values of related keys ("#" is the
// element itself) and return the result or STORE it as a list. Same rules as Redis's sort.c,
// including its strtod-based score parsing and its tie-breaking.

import { Errors, fail } from "../errors.js";
import type { Database } from "../engine/database.js";
import type { HashValue } from "../engine/types/hash.js";
import { ListValue } from "../engine/types/list.js";
import type { SetValue } from "../engine/types/set.js";
import type { ZSetValue } from "../engine/types/zset.js";
import { array, bulk, int, NIL, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, parseInteger } from "./args.js";
import type { CommandSpec } from "./types.js";

interface SortOptions {
  desc: boolean;
  alpha: boolean;
  limitStart: number;
  limitCount: number;
  by: string | null;
  /** BY without "*": nothing to sort by, keep the native order. */
  dontSort: boolean;
  gets: string[];
  store: string | null;
}

function parseOptions(args: string[], readOnly: boolean): SortOptions {
  const o: SortOptions = { desc: false, alpha: false, limitStart: 0, limitCount: -1, by: null, dontSort: false, gets: [], store: null };
  for (let j = 1; j < args.length; j++) {
    const arg = args[j];
    const left = args.length - j - 1;
    if (is(arg, "asc")) o.desc = false;
    else if (is(arg, "desc")) o.desc = true;
    else if (is(arg, "alpha")) o.alpha = true;
    else if (is(arg, "limit") && left >= 2) {
      o.limitStart = parseInteger(args[j + 1]);
      o.limitCount = parseInteger(args[j + 2]);
      j += 2;
    } else if (!readOnly && is(arg, "store") && left >= 1) {
      o.store = args[++j];
    } else if (is(arg, "by") && left >= 1) {
      o.by = args[++j];
      o.dontSort = !o.by.includes("*");
    } else if (is(arg, "get") && left >= 1) {
      o.gets.push(args[++j]);
    } else fail(Errors.syntax);
  }
  return o;
}

/**
 * The value a pattern names for an element: "#" is the element itself; otherwise the first "*"
 * is replaced by the element, and "key->field" (a non-empty field after the "*") reads a hash
 * field. Null when there is no "*", or the key is missing or of the wrong type.
 */
function lookupByPattern(db: Database, pattern: string, element: string): string | null {
  if (pattern === "#") return element;
  const star = pattern.indexOf("*");
  if (star < 0) return null;
  const arrow = pattern.indexOf("->", star + 1);
  const hashField = arrow >= 0 && arrow + 2 < pattern.length;
  const key = pattern.slice(0, star) + element + pattern.slice(star + 1, hashField ? arrow : pattern.length);
  const entry = db.lookup(key);
  if (entry === undefined) return null;
  if (hashField) return entry.type === "hash" ? ((entry.value as HashValue).get(pattern.slice(arrow + 2)) ?? null) : null;
  return entry.type === "string" ? (entry.value as string) : null;
}

const HEX_FLOAT = /^([+-]?)0x([0-9a-f]*)(?:\.([0-9a-f]*))?(?:p([+-]?\d+))?$/i;
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const INFINITY = /^[+-]?inf(inity)?$/i;
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * A sort score as Redis reads it with strtod: leading spaces allowed, the whole string consumed,
 * no NaN, no overflow or underflow (ERANGE). "" reads as 0 (nothing converted, nothing left).
 * Null when it is not a valid score.
 */
function parseScore(s: string): number | null {
  if (s === "") return 0;
  const text = s.replace(/^[ \t\n\v\f\r]+/, "");
  if (INFINITY.test(text)) return text.charCodeAt(0) === 45 ? -Infinity : Infinity;
  let value: number;
  let nonZero: boolean;
  const hex = HEX_FLOAT.exec(text);
  if (hex !== null) {
    const [, sign, whole, fraction = "", exponent = "0"] = hex;
    if (whole === "" && fraction === "") return null;
    const digits = whole + fraction;
    value = (sign === "-" ? -1 : 1) * parseInt(digits || "0", 16) * 2 ** (Number(exponent) - 4 * fraction.length);
    nonZero = /[1-9a-f]/i.test(digits);
  } else if (DECIMAL.test(text)) {
    value = Number(text);
    nonZero = /[1-9]/.test(text.replace(/e.*$/i, ""));
  } else {
    return null;
  }
  if (!Number.isFinite(value) || (nonZero && Math.abs(value) < MIN_NORMAL)) return null;
  return value;
}

/** An element to sort with its sort key: a numeric score, or (ALPHA BY) the value compared. */
interface Item {
  element: string;
  score: number;
  by: string | null;
}

function byteCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Redis's sortCompare: scores then elements, or ALPHA by value (missing first) or by element. */
function comparator(o: SortOptions): (a: Item, b: Item) => number {
  const sign = o.desc ? -1 : 1;
  if (!o.alpha) return (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : byteCompare(a.element, b.element));
  if (o.by === null) return (a, b) => sign * byteCompare(a.element, b.element);
  return (a, b) => sign * (a.by === null || b.by === null ? (a.by === b.by ? 0 : a.by === null ? -1 : 1) : byteCompare(a.by, b.by));
}

/** The elements of the value to sort, in native order (reversed when desc and kept unsorted). */
function elementsOf(type: string | undefined, value: unknown, reverse: boolean): string[] {
  switch (type) {
    case "list": {
      const list = value as ListValue;
      const all = list.length === 0 ? [] : list.range(0, list.length - 1);
      return reverse ? all.reverse() : all;
    }
    case "set":
      return [...(value as SetValue).values()];
    case "zset": {
      const z = value as ZSetValue;
      return z.rangeByRank(0, z.size - 1, reverse).map((e) => e.member);
    }
    default:
      return [];
  }
}

function sort(ctx: Session, args: string[], readOnly: boolean): Reply {
  const o = parseOptions(args, readOnly);
  const db = ctx.db;
  const entry = db.lookup(args[0]);
  if (entry !== undefined && entry.type !== "list" && entry.type !== "set" && entry.type !== "zset") fail(Errors.wrongType);
  // An unsorted set has no defined order: sort it when the result is stored or seen by a script.
  if (o.dontSort && entry?.type === "set" && (o.store !== null || ctx.inScript)) {
    o.dontSort = false;
    o.alpha = true;
    o.by = null;
  }
  // Redis converts a sorted set it sorts to its skiplist encoding.
  if (entry?.type === "zset") (entry.value as ZSetValue).compact = false;

  const elements = elementsOf(entry?.type, entry?.value, o.dontSort && o.desc);
  const length = elements.length;
  let start = Math.min(Math.max(o.limitStart, 0), length);
  const count = Math.min(Math.max(o.limitCount, -1), length);
  let end = count < 0 ? length - 1 : start + count - 1;
  if (start >= length) {
    start = length - 1;
    end = length - 2;
  }
  if (end >= length) end = length - 1;

  let ordered = elements;
  if (!o.dontSort) {
    let badScore = false;
    const items: Item[] = elements.map((element) => {
      const item: Item = { element, score: 0, by: null };
      const value = o.by === null ? element : lookupByPattern(db, o.by, element);
      if (value === null) return item;
      if (o.alpha) {
        if (o.by !== null) item.by = value;
      } else {
        const score = parseScore(value);
        if (score === null) badScore = true;
        else item.score = score;
      }
      return item;
    });
    if (badScore) fail("ERR One or more scores can't be converted into double");
    ordered = items.sort(comparator(o)).map((item) => item.element);
  }

  const window = end >= start ? ordered.slice(start, end + 1) : [];
  if (o.store === null) {
    const out: Reply[] = [];
    for (const element of window) {
      if (o.gets.length === 0) out.push(bulk(element));
      for (const pattern of o.gets) {
        const value = lookupByPattern(db, pattern, element);
        out.push(value === null ? NIL : bulk(value));
      }
    }
    return array(out);
  }
  const stored = new ListValue();
  for (const element of window) {
    if (o.gets.length === 0) stored.pushBack(element);
    for (const pattern of o.gets) stored.pushBack(lookupByPattern(db, pattern, element) ?? "");
  }
  if (stored.length > 0) {
    db.set(o.store, "list", stored);
    db.notify("l", "sortstore", o.store);
    db.signalReady(o.store);
  } else if (db.delete(o.store)) {
    db.notify("g", "del", o.store);
  }
  return int(stored.length);
}

/** SORT's keys: the sorted key and the last STORE destination (skipping LIMIT/GET/BY arguments). */
function sortKeys(argv: string[]): number[] {
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    if (is(argv[i], "limit")) i += 2;
    else if (is(argv[i], "get") || is(argv[i], "by")) i += 1;
    else if (is(argv[i], "store") && i + 1 < argv.length) store = i + 1;
  }
  return store === -1 ? [1] : [1, store];
}

const SORT_SYNTAX = "key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC | DESC] [ALPHA]";
const SORT_COMPLEXITY = "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).";

export const sorting: CommandSpec[] = [
  {
    name: "sort", arity: -2, flags: ["write", "denyoom"], findKeys: sortKeys,
    categories: ["set", "sortedset", "list", "dangerous"], group: "generic", since: "1.0.0",
    syntax: `${SORT_SYNTAX} [STORE destination]`,
    summary: "Sort the elements in a list, set or sorted set",
    complexity: SORT_COMPLEXITY,
    run: (ctx, args) => sort(ctx, args, false),
  },
  {
    name: "sort_ro", arity: -2, flags: ["readonly", "movablekeys"], keys: { first: 1, last: 1, step: 1 }, // BY/GET patterns reach further keys
    categories: ["set", "sortedset", "list", "dangerous"], group: "generic", since: "7.0.0",
    syntax: SORT_SYNTAX,
    summary: "Sort the elements in a list, set or sorted set. Read-only variant of SORT.",
    complexity: SORT_COMPLEXITY,
    run: (ctx, args) => sort(ctx, args, true),
  },
];
