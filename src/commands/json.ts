// JSON commands (RedisJSON 2.x as Upstash serves it): JSON.SET GET MGET MSET MERGE DEL FORGET TYPE
// NUMINCRBY NUMMULTBY STRAPPEND STRLEN ARRAPPEND ARRINDEX ARRINSERT ARRLEN ARRPOP ARRTRIM OBJKEYS
// OBJLEN CLEAR TOGGLE RESP DEBUG. Values are ReJSON-RL documents (JsonDoc).
//
// Every path argument is JSONPath (`$...`, one reply element per match, null where a match has
// the wrong type) or legacy (`.a.b`, the first match, errors instead of nulls), and replies,
// errors and their texts follow RedisJSON's, including which errors carry no "ERR" prefix (JSON
// syntax errors are serde_json's "expected value at line 1 column 1"). JSON text arguments must be
// UTF-8; documents keep UTF-8 bytes, so they round-trip unchanged. Writes raise "d"-class keyspace
// events named after the command (json.set, json.del, ...).

import { isUtf8 } from "node:buffer";
import { Errors, fail } from "../errors.js";
import { JsonSyntaxError, parseJson } from "../engine/json/parse.js";
import { compareForEdit, outermostForEdit, PathArg, PathSyntaxError, type JsonPath } from "../engine/json/path.js";
import { toJson, toJsonObject, type JsonFormat } from "../engine/json/serialize.js";
import {
  cloneValue,
  isInt64Value,
  isNumber,
  JsonDoc,
  JsonFloat,
  jsonInt,
  JsonObject,
  memoryUsage,
  replaceAt,
  removeAt,
  strictEqual,
  toDouble,
  typeName,
  valueAt,
  type JsonValue,
  type PathKey,
} from "../engine/json/value.js";
import {
  array,
  bool,
  bulk,
  bulks,
  double,
  EMPTY_ARRAY,
  int,
  map,
  NIL,
  OK,
  ONE,
  simple,
  ZERO,
  type Reply,
} from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, isInt64 } from "./args.js";
import type { CommandSpec } from "./types.js";

const TYPE = "ReJSON-RL";
const NONEXISTENT_KEY = "ERR could not perform this operation on a key that doesn't exist";
const NOT_INTEGER = "Couldn't parse as integer";
const NOT_UTF8 = "Couldn't parse as UTF-8 string";
const WRONG_KEY_TYPE = "Existing key has wrong Redis type";
const NON_ASCII = /[\x80-\xff]/;

const pathMissing = (path: string) => `ERR Path '${path}' does not exist`;
const pathMissingOr = (path: string, or: string) => `ERR Path '${path}' does not exist or ${or}`;
const expectedType = (expected: string, found: string) =>
  `WRONGTYPE wrong type of path value - expected ${expected} but found ${found}`;

// ---------------------------------------------------------------------------------------------
// Arguments

/** A JSON argument as a value; syntax errors are serde_json's texts after `prefix`. */
function parseArg(text: string, prefix = ""): JsonValue {
  if (NON_ASCII.test(text) && !isUtf8(Buffer.from(text, "latin1"))) fail(NOT_UTF8);
  try {
    return parseJson(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) fail(prefix + e.message);
    throw e;
  }
}

/** A compiled path; a syntax error becomes the error reply. */
function compile(path: PathArg): JsonPath {
  try {
    return path.compile();
  } catch (e) {
    if (e instanceof PathSyntaxError) fail(e.message);
    throw e;
  }
}

/** The path's matches, or null when it does not compile (for commands that answer nil then). */
function trySelect(root: JsonValue, path: PathArg): JsonValue[] | null {
  try {
    return path.compile().select(root);
  } catch (e) {
    if (e instanceof PathSyntaxError) return null;
    throw e;
  }
}

/** An int64 argument as RedisModule_StringToLongLong reads it. */
function parseIndex(s: string): number {
  if (!isInt64(s)) fail(NOT_INTEGER);
  return Number(s);
}

/** FORMAT of JSON.SET / JSON.MERGE: the input format (JSON, or STRING which reads the same). */
function checkInputFormat(f: string | undefined, name: string): void {
  if (f === undefined) fail(Errors.wrongArgs(name));
  if (f !== "JSON" && f !== "STRING") fail("ERR wrong format");
}

// ---------------------------------------------------------------------------------------------
// Documents

/** key's document; another type of value is RedisJSON's "Existing key has wrong Redis type". */
function getDoc(ctx: Session, key: string): JsonDoc | undefined {
  const entry = ctx.db.lookup(key);
  if (entry === undefined) return undefined;
  if (entry.type !== TYPE) fail(WRONG_KEY_TYPE);
  return entry.value as JsonDoc;
}

function requireDoc(ctx: Session, key: string): JsonDoc {
  return getDoc(ctx, key) ?? fail(NONEXISTENT_KEY);
}

/** Signals an edited document: WATCH, dirty, AOF and the command's keyspace event. */
function changed(ctx: Session, key: string, event: string): void {
  ctx.db.modified(key);
  ctx.db.notify("d", event, key);
}

/**
 * Runs an edit of key's document; the change is signalled once, even when the edit fails half
 * way (RedisJSON edits matches one by one, so earlier matches stay edited).
 */
function edit(ctx: Session, key: string, event: string, run: (doc: JsonDoc, touch: () => void) => Reply): Reply {
  const doc = requireDoc(ctx, key);
  let touched = false;
  try {
    return run(doc, () => (touched = true));
  } finally {
    if (touched) changed(ctx, key, event);
  }
}

/**
 * Matches of a write command's path: for JSONPath every match (its path, or null when `accept`
 * rejects its type); for a legacy path only the accepted ones, or the `or` error (naming
 * `named`) when there are none.
 */
function targets(
  doc: JsonDoc,
  path: PathArg,
  accept: (v: JsonValue) => boolean,
  or: string,
  named = path.path,
): (PathKey[] | null)[] {
  const { values, paths } = compile(path).selectWithPaths(doc.root);
  if (!path.legacy) return paths.map((p, i) => (accept(values[i]) ? p : null));
  const found = paths.filter((_, i) => accept(values[i]));
  if (found.length === 0) fail(pathMissingOr(named, or));
  return found;
}

/**
 * Applies `op` to each target, in match order or (`sorted`, for array edits that must not move
 * locations still to be edited) deepest and highest index first. Replies per match for JSONPath
 * (nil where `targets` rejected the match), the last result for a legacy path.
 */
function editTargets(path: PathArg, list: (PathKey[] | null)[], op: (p: PathKey[]) => Reply, sorted: boolean): Reply {
  const replies: Reply[] = list.map(() => NIL);
  const order = list.map((p, i) => [p, i] as const).filter((e): e is readonly [PathKey[], number] => e[0] !== null);
  if (sorted) order.sort((a, b) => compareForEdit(a[0], b[0]));
  for (const [p, i] of order) replies[i] = op(p);
  if (!path.legacy) return array(replies);
  return replies[order[order.length - 1][1]];
}

const isArray = (v: JsonValue): boolean => Array.isArray(v);
const isString = (v: JsonValue): boolean => typeof v === "string";
const isBool = (v: JsonValue): boolean => typeof v === "boolean";

// ---------------------------------------------------------------------------------------------
// Replies

/** A value in RESP3 form: scalars natively, containers expanded (EXPAND) or as JSON text (EXPAND1). */
function resp3Value(v: JsonValue, expand: boolean, format: JsonFormat): Reply {
  if (v === null) return NIL;
  if (typeof v === "boolean") return bool(v);
  if (isNumber(v)) return isInt64Value(v) ? int(v) : double(toDouble(v));
  if (!expand) return bulk(toJson(v, format));
  if (typeof v === "string") return bulk(v);
  if (Array.isArray(v)) return array(v.map((item) => resp3Value(item, true, format)));
  const obj = v as JsonObject;
  return map(obj.keys.map((k, i) => [bulk(k), resp3Value(obj.values[i], true, format)] as [Reply, Reply]));
}

/** JSON.RESP's encoding: arrays start with "[", objects with "{" then key/value pairs. */
function respValue(v: JsonValue): Reply {
  if (v === null) return NIL;
  if (typeof v === "boolean") return simple(v ? "true" : "false");
  if (typeof v === "string") return bulk(v);
  if (isNumber(v)) return isInt64Value(v) ? int(v) : double(toDouble(v));
  if (Array.isArray(v)) return array([simple("["), ...v.map(respValue)]);
  const obj = v as JsonObject;
  const out: Reply[] = [simple("{")];
  for (let i = 0; i < obj.size; i++) out.push(bulk(obj.keys[i]), respValue(obj.values[i]));
  return array(out);
}

// ---------------------------------------------------------------------------------------------
// JSON.GET / JSON.MGET

type ReplyFormat = "STRING" | "EXPAND1" | "EXPAND";

/** JSON.GET's options keywords are at most this long; longer arguments are always paths. */
const LONGEST_OPTION = "NOESCAPE".length;

function jsonGet(ctx: Session, [key, ...args]: string[]): Reply {
  const format: JsonFormat = {};
  let replyFormat: ReplyFormat = "STRING";
  const paths: PathArg[] = [];
  const value = (i: number): string => args[i] ?? fail(Errors.wrongArgs("json.get"));
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a.length > LONGEST_OPTION) paths.push(new PathArg(a));
    else if (is(a, "indent")) format.indent = value(++i);
    else if (is(a, "newline")) format.newline = value(++i);
    else if (is(a, "space")) format.space = value(++i);
    else if (is(a, "noescape")) continue;
    else if (is(a, "format")) {
      if (ctx.resp === 2 && paths.length === 0) fail("ERR FORMAT argument is not supported on RESP2");
      const f = value(++i);
      if (f !== "STRING" && f !== "EXPAND1" && f !== "EXPAND") fail("ERR wrong reply format");
      replyFormat = f;
    } else paths.push(new PathArg(a));
  }
  if (paths.length === 0) paths.push(new PathArg("."));
  const doc = getDoc(ctx, key);
  if (doc === undefined) return NIL;
  if (ctx.resp === 3 && replyFormat !== "STRING") {
    const expand = replyFormat === "EXPAND";
    return array(paths.map((p) => array((trySelect(doc.root, p) ?? []).map((v) => resp3Value(v, expand, format)))));
  }
  if (paths.length > 1) return bulk(getMany(doc, paths, format));
  const path = paths[0];
  const values = compile(path).select(doc.root);
  if (!path.legacy) return bulk(toJson(values, format));
  if (values.length === 0) fail(pathMissing(path.path));
  return bulk(toJson(values[0], format));
}

/** Several paths: an object from each path to its matches (or first match when all are legacy). */
function getMany(doc: JsonDoc, paths: PathArg[], format: JsonFormat): string {
  const legacy = paths.every((p) => p.legacy);
  const entries: [string, JsonValue][] = [];
  for (const path of paths) {
    const values = trySelect(doc.root, path);
    if (values === null) continue;
    if (!legacy) entries.push([path.original, values]);
    else if (values.length === 0) fail(pathMissing(path.original));
    else entries.push([path.original, values[0]]);
  }
  return toJsonObject(entries, format);
}

function jsonMget(ctx: Session, args: string[]): Reply {
  const path = new PathArg(args[args.length - 1]);
  const out: Reply[] = [];
  for (const key of args.slice(0, -1)) {
    const entry = ctx.db.lookup(key);
    const values = entry?.type === TYPE ? trySelect((entry.value as JsonDoc).root, path) : null;
    if (values === null || (path.legacy && values.length === 0)) out.push(NIL);
    else out.push(bulk(toJson(path.legacy ? values[0] : values)));
  }
  return array(out);
}

// ---------------------------------------------------------------------------------------------
// JSON.SET / JSON.MSET / JSON.MERGE

type SetMode = "none" | "nx" | "xx" | "merge";
/** Where a write goes: replace the value at a path, or add a key to the object at a path. */
type Update = { readonly at: PathKey[] } | { readonly parent: PathKey[]; readonly key: string };

/** The locations a JSON.SET/MERGE of a non-root path writes to (RedisJSON's find_paths). */
function findUpdates(doc: JsonDoc, path: PathArg, mode: SetMode): Update[] {
  const q = compile(path);
  if (mode !== "nx") {
    const { paths } = q.selectWithPaths(doc.root);
    const found = mode === "merge" ? paths : outermostForEdit(paths);
    if (found.length > 0) return found.map((at) => ({ at }));
  }
  if (mode === "xx") return [];
  if (!q.isStatic) fail("Err wrong static path");
  if (q.size < 1) fail("Err path must end with object key to set");
  const { parent, last } = q.splitLast();
  if ("key" in last) {
    if (q.size === 1) return [{ parent: [], key: last.key }];
    return parent.selectWithPaths(doc.root).paths.map((p) => ({ parent: p, key: last.key }));
  }
  if (q.select(doc.root).length === 0) fail("ERR array index out of range");
  return [];
}

/** Adds key to the object at parent when it is an object without that key. */
function addKey(doc: JsonDoc, parent: PathKey[], key: string, value: JsonValue): boolean {
  const obj = valueAt(doc.root, parent);
  if (!(obj instanceof JsonObject) || obj.has(key)) return false;
  obj.set(key, value);
  return true;
}

/** Performs the updates (each gets its own copy of value); returns each one's outcome. */
function applyUpdates(doc: JsonDoc, updates: Update[], value: JsonValue, replace: (at: PathKey[], v: JsonValue) => boolean): boolean[] {
  return updates.map((u, i) => {
    const v = i === updates.length - 1 ? value : cloneValue(value);
    return "at" in u ? replace(u.at, v) : addKey(doc, u.parent, u.key, v);
  });
}

/** JSON.SET's updates succeed when the last one did (RedisJSON folds to the last outcome). */
function setUpdates(doc: JsonDoc, updates: Update[], value: JsonValue): boolean {
  const outcomes = applyUpdates(doc, updates, value, (at, v) => replaceAt(doc, at, v));
  return outcomes.length > 0 && outcomes[outcomes.length - 1];
}

function jsonSet(ctx: Session, [key, pathArg, text, ...options]: string[]): Reply {
  let mode: SetMode = "none";
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    if (is(o, "nx") && mode === "none") mode = "nx";
    else if (is(o, "xx") && mode === "none") mode = "xx";
    else if (is(o, "format")) checkInputFormat(options[++i], "json.set");
    else fail(Errors.syntax);
  }
  const path = new PathArg(pathArg);
  const doc = getDoc(ctx, key);
  const value = parseArg(text);
  if (doc === undefined) {
    if (mode === "xx") return NIL;
    if (!path.isRoot) fail("ERR new objects must be created at the root");
    ctx.db.set(key, TYPE, new JsonDoc(value));
    ctx.db.notify("d", "json.set", key);
    return OK;
  }
  if (path.isRoot) {
    if (mode === "nx") return NIL;
    doc.root = value;
  } else if (!setUpdates(doc, findUpdates(doc, path, mode), value)) {
    return NIL;
  }
  changed(ctx, key, "json.set");
  return OK;
}

/** RFC 7396 merge patch of target by patch; edits target in place when both are objects. */
function mergePatch(target: JsonValue, patch: JsonValue): JsonValue {
  if (!(patch instanceof JsonObject)) return cloneValue(patch);
  const out = target instanceof JsonObject ? target : new JsonObject();
  for (let i = 0; i < patch.size; i++) {
    const k = patch.keys[i];
    const v = patch.values[i];
    if (v === null) out.delete(k);
    else out.set(k, mergePatch(out.get(k) ?? null, v));
  }
  return out;
}

function jsonMerge(ctx: Session, [key, pathArg, text, ...options]: string[]): Reply {
  for (let i = 0; i < options.length; i++) {
    if (is(options[i], "format")) checkInputFormat(options[++i], "json.merge");
    else fail(Errors.syntax);
  }
  const path = new PathArg(pathArg);
  const doc = getDoc(ctx, key);
  const patch = parseArg(text);
  if (doc === undefined) {
    if (!path.isRoot) fail("ERR new objects must be created at the root");
    ctx.db.set(key, TYPE, new JsonDoc(patch));
    ctx.db.notify("d", "json.merge", key);
    return OK;
  }
  if (path.isRoot) {
    doc.root = mergePatch(doc.root, patch);
  } else {
    const merge = (at: PathKey[], v: JsonValue): boolean => {
      const current = valueAt(doc.root, at);
      return current !== undefined && replaceAt(doc, at, mergePatch(current, v));
    };
    if (!applyUpdates(doc, findUpdates(doc, path, "merge"), patch, merge).includes(true)) return NIL;
  }
  changed(ctx, key, "json.merge");
  return OK;
}

function jsonMset(ctx: Session, args: string[]): Reply {
  if (args.length % 3 !== 0) fail(Errors.wrongArgs("json.mset"));
  // Everything is checked before anything is written.
  const planned: { key: string; updates: Update[] | null; value: JsonValue }[] = [];
  for (let i = 0; i < args.length; i += 3) {
    const [key, pathArg, text] = args.slice(i, i + 3);
    const doc = getDoc(ctx, key);
    const path = new PathArg(pathArg);
    let updates: Update[] | null = null;
    if (!path.isRoot) {
      if (doc === undefined) fail("ERR new objects must be created at the root");
      updates = findUpdates(doc, path, "none");
    }
    planned.push({ key, updates, value: parseArg(text) });
  }
  for (const { key, updates, value } of planned) {
    const doc = getDoc(ctx, key);
    if (updates === null) {
      if (doc === undefined) ctx.db.set(key, TYPE, new JsonDoc(value));
      else {
        doc.root = value;
        ctx.db.modified(key);
      }
      ctx.db.notify("d", "json.mset", key);
    } else if (doc !== undefined && setUpdates(doc, updates, value)) {
      changed(ctx, key, "json.mset");
    }
  }
  return OK;
}

// ---------------------------------------------------------------------------------------------
// JSON.DEL / JSON.CLEAR / JSON.TYPE

function jsonDel(ctx: Session, [key, pathArg]: string[]): Reply {
  const path = new PathArg(pathArg ?? ".");
  const doc = getDoc(ctx, key);
  if (doc === undefined) return ZERO;
  if (path.isRoot) {
    ctx.db.delete(key);
    ctx.db.notify("d", "json.del", key);
    return ONE;
  }
  let deleted = 0;
  for (const p of outermostForEdit(compile(path).selectWithPaths(doc.root).paths)) {
    if (p.length > 0 && removeAt(doc, p)) deleted++;
  }
  if (deleted > 0) changed(ctx, key, "json.del");
  return int(deleted);
}

/** What JSON.CLEAR resets: non-empty containers and non-zero numbers. */
function clearable(v: JsonValue): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof JsonObject) return v.size > 0;
  return isNumber(v) && toDouble(v) !== 0;
}

function jsonClear(ctx: Session, [key, pathArg]: string[]): Reply {
  // RedisJSON reads only the first path.
  const path = new PathArg(pathArg ?? ".");
  return edit(ctx, key, "json.clear", (doc, touch) => {
    const { values, paths } = compile(path).selectWithPaths(doc.root);
    let cleared = 0;
    paths.forEach((p, i) => {
      if (!clearable(values[i])) return;
      const v = valueAt(doc.root, p);
      if (Array.isArray(v)) v.length = 0;
      else if (v instanceof JsonObject) v.clear();
      else if (v !== undefined && isNumber(v)) replaceAt(doc, p, 0);
      else return;
      cleared++;
      touch();
    });
    return int(cleared);
  });
}

function jsonType(ctx: Session, [key, pathArg]: string[]): Reply {
  const path = new PathArg(pathArg ?? ".");
  const doc = getDoc(ctx, key);
  let reply: Reply;
  if (doc === undefined) reply = NIL;
  else if (path.legacy) {
    const first = trySelect(doc.root, path)?.[0];
    reply = first === undefined ? NIL : bulk(typeName(first));
  } else reply = bulks(compile(path).select(doc.root).map(typeName));
  return ctx.resp === 3 ? array([reply]) : reply;
}

// ---------------------------------------------------------------------------------------------
// Numbers, booleans, strings

type NumOp = (a: bigint, b: bigint) => bigint;

/**
 * NUMINCRBY / NUMMULTBY: int64 arithmetic wraps; anything with a float is a double. RESP3 answers
 * per match (legacy paths included) with numbers; RESP2 with JSON text.
 */
function numOp(ctx: Session, [key, pathArg, numArg]: string[], event: string, intOp: NumOp, floatOp: (a: number, b: number) => number): Reply {
  const given = new PathArg(pathArg);
  const path = ctx.resp === 3 ? new PathArg(given.path) : given;
  let operand: JsonValue | undefined;
  const compute = (current: number | bigint | JsonFloat): JsonValue => {
    operand ??= parseArg(numArg, "ERR ");
    if (!isNumber(operand)) fail("bad input number");
    if (typeof current === "number" && typeof operand === "number") {
      const exact = floatOp(current, operand); // exact while the result is a safe integer
      if (Number.isSafeInteger(exact)) return exact === 0 ? 0 : exact;
    }
    if (isInt64Value(current) && isInt64Value(operand)) return jsonInt(BigInt.asIntN(64, intOp(BigInt(current), BigInt(operand))));
    const f = floatOp(toDouble(current), toDouble(operand));
    if (!Number.isFinite(f)) fail("result is not a number");
    return new JsonFloat(f);
  };
  return edit(ctx, key, event, (doc, touch) => {
    const results = targets(doc, path, isNumber, "does not contains a number").map((at) => {
      if (at === null) return null;
      const next = compute(valueAt(doc.root, at) as number | bigint | JsonFloat);
      replaceAt(doc, at, next);
      touch();
      return next;
    });
    if (ctx.resp === 3) return array(results.map((v) => (v === null ? NIL : resp3Value(v, false, {}))));
    return bulk(toJson(path.legacy ? results[results.length - 1] : results));
  });
}

function jsonToggle(ctx: Session, [key, pathArg]: string[]): Reply {
  const path = new PathArg(pathArg);
  return edit(ctx, key, "json.toggle", (doc, touch) =>
    editTargets(path, targets(doc, path, isBool, "not a bool"), (p) => {
      const next = !valueAt(doc.root, p);
      replaceAt(doc, p, next);
      touch();
      return path.legacy ? bulk(String(next)) : int(next ? 1 : 0);
    }, false),
  );
}

function jsonStrappend(ctx: Session, [key, a, b]: string[]): Reply {
  const path = new PathArg(b === undefined ? "." : a);
  const text = b ?? a;
  let suffix: string | undefined;
  return edit(ctx, key, "json.strappend", (doc, touch) =>
    editTargets(path, targets(doc, path, isString, "not a string"), (p) => {
      if (suffix === undefined) {
        const v = parseArg(text, "ERR ");
        if (typeof v !== "string") fail(expectedType("string", text));
        suffix = v;
      }
      const next = (valueAt(doc.root, p) as string) + suffix;
      replaceAt(doc, p, next);
      touch();
      return int(next.length);
    }, false),
  );
}

function jsonStrlen(ctx: Session, [key, pathArg]: string[]): Reply {
  const path = new PathArg(pathArg ?? ".");
  if (path.legacy) {
    const doc = getDoc(ctx, key);
    if (doc === undefined) return NIL;
    const first = compile(path).select(doc.root)[0];
    if (first === undefined) fail(pathMissing(path.path));
    if (typeof first !== "string") fail(expectedType("string", typeName(first)));
    return int(first.length);
  }
  const doc = requireDoc(ctx, key);
  return array(compile(path).select(doc.root).map((v) => (typeof v === "string" ? int(v.length) : NIL)));
}

// ---------------------------------------------------------------------------------------------
// Arrays

function jsonArrappend(ctx: Session, [key, pathArg, ...texts]: string[]): Reply {
  const path = new PathArg(pathArg);
  const items = texts.map((t) => parseArg(t));
  return edit(ctx, key, "json.arrappend", (doc, touch) =>
    // Unlike the others, the legacy error names the path as given.
    editTargets(path, targets(doc, path, isArray, "not an array", path.original), (p) => {
      const arr = valueAt(doc.root, p) as JsonValue[];
      for (const item of items) arr.push(cloneValue(item));
      touch();
      return int(arr.length);
    }, false),
  );
}

/** JSON.ARRINDEX's range: start clamps into the array, stop 0 means the end. */
function indexOf(arr: JsonValue[], needle: JsonValue, start: number, stop: number): number {
  const len = arr.length;
  if (len === 0) return -1;
  const from = start < 0 ? Math.max(0, len + start) : Math.min(start, len - 1);
  const to = stop === 0 ? len : stop < 0 ? Math.max(0, len + stop) : Math.min(stop, len);
  for (let i = from; i < to; i++) if (strictEqual(arr[i], needle)) return i;
  return -1;
}

function jsonArrindex(ctx: Session, [key, pathArg, text, startArg, stopArg, ...extra]: string[]): Reply {
  const path = new PathArg(pathArg);
  const start = startArg === undefined ? 0 : parseIndex(startArg);
  const stop = stopArg === undefined ? 0 : parseIndex(stopArg);
  if (extra.length > 0) fail(Errors.wrongArgs("json.arrindex"));
  const needle = parseArg(text, "ERR ");
  const doc = getDoc(ctx, key);
  if (doc === undefined) fail(pathMissing(path.original));
  const values = compile(path).select(doc.root);
  if (!path.legacy) return array(values.map((v) => (Array.isArray(v) ? int(indexOf(v, needle, start, stop)) : NIL)));
  const first = values[0];
  if (first === undefined) fail(pathMissing(path.path));
  if (!Array.isArray(first)) fail(expectedType("array", typeName(first)));
  return int(indexOf(first, needle, start, stop));
}

function jsonArrinsert(ctx: Session, [key, pathArg, indexArg, ...texts]: string[]): Reply {
  const path = new PathArg(pathArg);
  const index = parseIndex(indexArg);
  const items = texts.map((t) => parseArg(t));
  return edit(ctx, key, "json.arrinsert", (doc, touch) =>
    editTargets(path, targets(doc, path, isArray, "not an array"), (p) => {
      const arr = valueAt(doc.root, p) as JsonValue[];
      const at = index < 0 ? arr.length + index : index;
      if (at < 0 || at > arr.length) fail("ERR index out of bounds");
      arr.splice(at, 0, ...items.map(cloneValue));
      touch();
      return int(arr.length);
    }, true),
  );
}

function jsonArrlen(ctx: Session, [key, pathArg]: string[]): Reply {
  const path = new PathArg(pathArg ?? ".");
  const doc = getDoc(ctx, key);
  if (doc === undefined) {
    if (path.legacy) return NIL;
    fail(NONEXISTENT_KEY);
  }
  const values = compile(path).select(doc.root);
  if (!path.legacy) return array(values.map((v) => (Array.isArray(v) ? int(v.length) : NIL)));
  if (values.length === 0) fail(pathMissing(path.original));
  if (!Array.isArray(values[0])) fail(pathMissingOr(path.original, "not an array"));
  return int(values[0].length);
}

/** An index into an array of len items: negatives from the end, both ends clamped. */
function clampIndex(i: number, len: number): number {
  if (i < 0) return len - Math.min(len, -i);
  return len > 0 ? Math.min(len - 1, i) : 0;
}

function jsonArrpop(ctx: Session, [key, ...args]: string[]): Reply {
  let expand: boolean | null = null;
  let rest = args;
  if (args.length > 1 && is(args[0], "format")) {
    const f = args[1];
    if (f !== "STRINGS" && f !== "EXPAND1" && f !== "EXPAND") fail("ERR wrong reply format");
    if (ctx.resp === 2) fail("ERR FORMAT argument is not supported on RESP2");
    if (f !== "STRINGS") expand = f === "EXPAND";
    rest = args.slice(2);
  }
  const path = new PathArg(rest[0] ?? ".");
  // No path pops the last element; an index that does not parse means -1.
  const index = rest[0] === undefined ? Infinity : rest[1] !== undefined && isInt64(rest[1]) ? Number(rest[1]) : -1;
  if (path.legacy && expand !== null) fail("Legacy paths are supported only with FORMAT STRINGS");
  return edit(ctx, key, "json.arrpop", (doc, touch) => {
    // A legacy pop counts as a change even from an empty array; JSONPath only when it popped.
    const list = targets(doc, path, isArray, "not an array");
    if (path.legacy) touch();
    return editTargets(path, list, (p) => {
      const arr = valueAt(doc.root, p) as JsonValue[];
      if (arr.length === 0) return NIL;
      const [v] = arr.splice(clampIndex(index, arr.length), 1);
      touch();
      return expand === null ? bulk(toJson(v)) : resp3Value(v, expand, {});
    }, true);
  });
}

function jsonArrtrim(ctx: Session, [key, pathArg, startArg, stopArg]: string[]): Reply {
  const path = new PathArg(pathArg);
  const start = parseIndex(startArg);
  const stop = parseIndex(stopArg);
  return edit(ctx, key, "json.arrtrim", (doc, touch) =>
    editTargets(path, targets(doc, path, isArray, "not an array"), (p) => {
      const arr = valueAt(doc.root, p) as JsonValue[];
      const len = arr.length;
      const last = clampIndex(stop, len);
      const first = start < 0 || start < len ? clampIndex(start, len) : last + 1;
      if (first > last || len === 0) arr.length = 0;
      else {
        arr.splice(last + 1);
        arr.splice(0, first);
      }
      touch();
      return int(arr.length);
    }, true),
  );
}

// ---------------------------------------------------------------------------------------------
// Objects, RESP, DEBUG

function jsonObjkeys(ctx: Session, [key, pathArg]: string[]): Reply {
  const path = new PathArg(pathArg ?? ".");
  if (path.legacy) {
    const doc = getDoc(ctx, key);
    const first = doc === undefined ? undefined : trySelect(doc.root, path)?.[0];
    if (first === undefined) return NIL;
    if (!(first instanceof JsonObject)) fail(pathMissingOr(path.path, "not an object"));
    return bulks(first.keys);
  }
  const doc = requireDoc(ctx, key);
  return array(compile(path).select(doc.root).map((v) => (v instanceof JsonObject ? bulks(v.keys) : NIL)));
}

function jsonObjlen(ctx: Session, [key, pathArg]: string[]): Reply {
  const path = new PathArg(pathArg ?? ".");
  const doc = getDoc(ctx, key);
  if (path.legacy) {
    const first = doc === undefined ? undefined : trySelect(doc.root, path)?.[0];
    if (first === undefined) return NIL;
    if (!(first instanceof JsonObject)) fail(expectedType("object", typeName(first)));
    return int(first.size);
  }
  if (doc === undefined) fail(pathMissingOr(path.path, "not an object"));
  return array(compile(path).select(doc.root).map((v) => (v instanceof JsonObject ? int(v.size) : NIL)));
}

function jsonResp(ctx: Session, [key, pathArg]: string[]): Reply {
  const path = new PathArg(pathArg ?? ".");
  const doc = getDoc(ctx, key);
  if (doc === undefined) return NIL;
  const values = compile(path).select(doc.root);
  if (!path.legacy) return array(values.map(respValue));
  if (values.length === 0) fail(pathMissing(path.path));
  return respValue(values[0]);
}

const DEBUG_HELP = ["MEMORY <key> [path] - reports memory usage", "HELP                - this message"];

function jsonDebug(ctx: Session, [sub, key, pathArg]: string[]): Reply {
  switch (sub.toUpperCase()) {
    case "MEMORY": {
      if (key === undefined) fail(Errors.wrongArgs("json.debug"));
      const path = new PathArg(pathArg ?? ".");
      const doc = getDoc(ctx, key);
      if (!path.legacy) return doc === undefined ? EMPTY_ARRAY : array(compile(path).select(doc.root).map((v) => int(memoryUsage(v))));
      if (doc === undefined) return ZERO;
      const first = compile(path).select(doc.root)[0];
      if (first === undefined) fail(pathMissing(path.path));
      return int(memoryUsage(first));
    }
    case "HELP":
      return bulks(DEBUG_HELP);
    default:
      fail("ERR unknown subcommand - try `JSON.DEBUG HELP`");
  }
}

// ---------------------------------------------------------------------------------------------
// The table

const KEY = { first: 1, last: 1, step: 1 };

function spec(
  name: string,
  arity: number,
  flags: CommandSpec["flags"],
  since: string,
  syntax: string,
  summary: string,
  run: CommandSpec["run"],
): CommandSpec {
  return { name, arity, flags, keys: KEY, categories: ["json"], group: "json", since, syntax, summary, run };
}

const del = spec("json.del", -2, ["write"], "1.0.0", "key [path]", "Deletes a value.", jsonDel);

export const json: CommandSpec[] = [
  spec("json.set", -4, ["write", "denyoom"], "1.0.0", "key path value [NX | XX]", "Sets or updates the JSON value at a path.", jsonSet),
  spec("json.get", -2, ["readonly"], "1.0.0", "key [INDENT indent] [NEWLINE newline] [SPACE space] [path [path ...]]", "Gets the value at one or more paths in JSON serialized form.", jsonGet),
  { ...spec("json.mget", -3, ["readonly"], "1.0.0", "key [key ...] path", "Returns the values at a path from one or more keys.", jsonMget), keys: { first: 1, last: -2, step: 1 } },
  { ...spec("json.mset", -4, ["write", "denyoom"], "2.6.0", "key path value [key path value ...]", "Sets or updates the JSON value of one or more keys.", jsonMset), keys: { first: 1, last: -1, step: 3 } },
  spec("json.merge", -4, ["write", "denyoom"], "2.6.0", "key path value", "Merges a given JSON value into matching paths (RFC 7396).", jsonMerge),
  del,
  { ...del, name: "json.forget", summary: "Deletes a value (an alias of JSON.DEL)." },
  spec("json.clear", -2, ["write"], "2.0.0", "key [path]", "Clears all values from an array or an object and sets numeric values to 0.", jsonClear),
  spec("json.type", -2, ["readonly"], "1.0.0", "key [path]", "Returns the type of the JSON value at a path.", jsonType),
  spec("json.numincrby", -4, ["write"], "1.0.0", "key path value", "Increments the numeric value at a path by a value.", (ctx, args) =>
    numOp(ctx, args, "json.numincrby", (a, b) => a + b, (a, b) => a + b),
  ),
  spec("json.nummultby", -4, ["write"], "1.0.0", "key path value", "Multiplies the numeric value at a path by a value.", (ctx, args) =>
    numOp(ctx, args, "json.nummultby", (a, b) => a * b, (a, b) => a * b),
  ),
  spec("json.toggle", -3, ["write", "denyoom"], "2.0.0", "key path", "Toggles a boolean value.", jsonToggle),
  spec("json.strappend", -3, ["write", "denyoom"], "1.0.0", "key [path] value", "Appends a string to a JSON string value at a path.", jsonStrappend),
  spec("json.strlen", -2, ["readonly"], "1.0.0", "key [path]", "Returns the length of the JSON string at a path.", jsonStrlen),
  spec("json.arrappend", -4, ["write", "denyoom"], "1.0.0", "key path value [value ...]", "Appends one or more JSON values to the array at a path.", jsonArrappend),
  spec("json.arrindex", -4, ["readonly"], "1.0.0", "key path value [start [stop]]", "Returns the index of the first occurrence of a JSON scalar value in the array at a path.", jsonArrindex),
  spec("json.arrinsert", -5, ["write", "denyoom"], "1.0.0", "key path index value [value ...]", "Inserts JSON values into the array at a path before an index.", jsonArrinsert),
  spec("json.arrlen", -2, ["readonly"], "1.0.0", "key [path]", "Returns the length of the array at a path.", jsonArrlen),
  spec("json.arrpop", -2, ["write"], "1.0.0", "key [path [index]]", "Removes and returns the element at an index in the array at a path.", jsonArrpop),
  spec("json.arrtrim", -5, ["write"], "1.0.0", "key path start stop", "Trims the array at a path to contain only the given inclusive range of indices.", jsonArrtrim),
  spec("json.objkeys", -2, ["readonly"], "1.0.0", "key [path]", "Returns the keys of the object at a path.", jsonObjkeys),
  spec("json.objlen", -2, ["readonly"], "1.0.0", "key [path]", "Returns the number of keys of the object at a path.", jsonObjlen),
  spec("json.resp", -2, ["readonly"], "1.0.0", "key [path]", "Returns the JSON value at a path in Redis Serialization Protocol (RESP).", jsonResp),
  {
    ...spec("json.debug", -2, ["readonly"], "1.0.0", "MEMORY key [path] | HELP", "Debugging: memory usage of a JSON value.", jsonDebug),
    keys: undefined,
    findKeys: (argv) => (argv.length > 2 && is(argv[1], "memory") ? [2] : []),
  },
];
