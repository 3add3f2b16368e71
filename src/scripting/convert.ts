// Conversions between command replies and Lua values, following Redis's rules:
// replies to Lua as the RESP2/RESP3 parser of script_lua.c builds them (status -> {ok=...},
// error -> {err=...}, nil -> false in RESP2 / nil in RESP3, maps/sets/doubles as tagged tables in
// RESP3), and Lua return values to replies (numbers truncated to integers, false -> nil in RESP2,
// {err=}, {ok=}, {double=}, {map=}, {set=}, {big_number=}, {verbatim_string=} tables).

import { countedErrors } from "../commands/dispatch.js";
import { array, bignum, bool, bulk, double, error, int, map, NIL, ONE, set, simple, verbatim, type Reply } from "../protocol/reply.js";
import { formatDouble } from "../protocol/number-format.js";
import { lua, pushString, rawGetField, rawSetField, toString, Type, type L } from "./lua.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** C's (long long) cast of a Lua number (x86 gives INT64_MIN for NaN and out-of-range values). */
export function luaNumberToInteger(n: number): number | bigint {
  const t = Math.trunc(n);
  if (Number.isSafeInteger(t)) return t;
  if (!Number.isFinite(t)) return INT64_MIN;
  const b = BigInt(t);
  return b < INT64_MIN || b > INT64_MAX ? INT64_MIN : b;
}

/**
 * The "CODE message" text of an error table for an error reply's text (Redis's luaPushErrorBuff on
 * "-<text>"): a text without a space gets the generic ERR code; CR/LF at the ends are trimmed.
 */
export function replyErrorText(text: string): string {
  return trimNewlines(text.indexOf(" ") < 0 ? "ERR " + text : text);
}

function trimNewlines(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (s[start] === "\r" || s[start] === "\n")) start++;
  while (end > start && (s[end - 1] === "\r" || s[end - 1] === "\n")) end--;
  return s.slice(start, end);
}

/** Pushes an error table {err="CODE msg"} (plus ignore_error_stats_update when the error was counted). */
export function pushErrorTable(L: L, text: string, counted = false): void {
  lua._lua_createtable(L, 0, 2);
  pushString(L, text);
  rawSetField(L, -2, "err");
  if (counted) {
    lua._lua_pushboolean(L, 1);
    rawSetField(L, -2, "ignore_error_stats_update");
  }
}

/** Pushes a command reply as the Lua value a script receives from redis.call (errors excluded). */
export function pushReply(L: L, reply: Reply, resp: 2 | 3): void {
  lua._lua_checkstack(L, 4);
  switch (reply.t) {
    case "bulk":
      pushString(L, reply.v);
      return;
    case "int":
      lua._lua_pushnumber(L, Number(reply.v));
      return;
    case "simple":
      lua._lua_createtable(L, 0, 1);
      pushString(L, reply.v);
      rawSetField(L, -2, "ok");
      return;
    case "error":
      pushErrorTable(L, replyErrorText(reply.v), true);
      return;
    case "null":
    case "nullarray":
      if (resp === 2) lua._lua_pushboolean(L, 0);
      else lua._lua_pushnil(L);
      return;
    case "array":
    case "push":
      pushArray(L, reply.v, resp);
      return;
    case "set":
      if (resp === 2) pushArray(L, reply.v, resp);
      else pushTagged(L, "set", () => pushSetBody(L, reply.v, resp));
      return;
    case "map":
      if (resp === 2) pushArray(L, reply.v, resp);
      else pushTagged(L, "map", () => pushMapBody(L, reply.v, resp));
      return;
    case "double":
      if (resp === 2) pushString(L, formatDouble(reply.v));
      else pushTagged(L, "double", () => lua._lua_pushnumber(L, reply.v));
      return;
    case "bool":
      if (resp === 2) lua._lua_pushnumber(L, reply.v ? 1 : 0);
      else lua._lua_pushboolean(L, reply.v ? 1 : 0);
      return;
    case "bignum":
      if (resp === 2) pushString(L, reply.v.toString());
      else pushTagged(L, "big_number", () => pushString(L, reply.v.toString()));
      return;
    case "verbatim":
      if (resp === 2) pushString(L, reply.v);
      else {
        pushTagged(L, "verbatim_string", () => {
          lua._lua_createtable(L, 0, 2);
          pushString(L, reply.v);
          rawSetField(L, -2, "string");
          pushString(L, reply.format);
          rawSetField(L, -2, "format");
        });
      }
      return;
    case "noreply":
      lua._lua_pushnil(L);
      return;
  }
}

function pushArray(L: L, items: Reply[], resp: 2 | 3): void {
  lua._lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    pushReply(L, items[i], resp);
    lua._lua_rawseti(L, -2, i + 1);
  }
}

/** Pushes {tag = <value pushed by body>}. */
function pushTagged(L: L, tag: string, body: () => void): void {
  lua._lua_createtable(L, 0, 1);
  body();
  rawSetField(L, -2, tag);
}

function pushSetBody(L: L, items: Reply[], resp: 2 | 3): void {
  lua._lua_createtable(L, 0, items.length);
  for (const item of items) {
    pushReply(L, item, resp);
    lua._lua_pushboolean(L, 1);
    settable(L);
  }
}

function pushMapBody(L: L, flat: Reply[], resp: 2 | 3): void {
  lua._lua_createtable(L, 0, flat.length / 2);
  for (let i = 0; i < flat.length; i += 2) {
    pushReply(L, flat[i], resp);
    pushReply(L, flat[i + 1], resp);
    settable(L);
  }
}

/** t[k] = v for t, k, v on top (a nil key, as a RESP3 null can be, is skipped as Redis's parser would fail on it). */
function settable(L: L): void {
  if (lua._lua_type(L, -2) === Type.Nil) lua._lua_settop(L, -3);
  else lua._lua_rawset(L, -3);
}

/** Details of an error value raised by a script: Redis's {err=, source=, line=} table. */
export interface ErrorInfo {
  message: string;
  source: string | null;
  line: string | null;
  /** The error reply was already counted in the error stats (it came from redis.call). */
  counted: boolean;
}

/** Reads the error value at the top of the stack (not popped). Strings become "ERR <text>". */
export function errorInfo(L: L): ErrorInfo {
  const t = lua._lua_type(L, -1);
  if (t !== Type.Table) {
    const text = t === Type.String || t === Type.Number ? toString(L, -1)! : luaTypeText(L, t);
    return { message: `ERR ${text}`, source: null, line: null, counted: false };
  }
  const field = (name: string): string | null => {
    const ft = rawGetField(L, -1, name);
    const v = ft === Type.String || ft === Type.Number ? toString(L, -1) : null;
    lua._lua_settop(L, -2);
    return v;
  };
  const counted = rawGetField(L, -1, "ignore_error_stats_update") === Type.Boolean && lua._lua_toboolean(L, -1) !== 0;
  lua._lua_settop(L, -2);
  return { message: field("err") ?? "(null)", source: field("source"), line: field("line"), counted };
}

function luaTypeText(L: L, t: number): string {
  if (t === Type.Nil) return "nil";
  if (t === Type.Boolean) return lua._lua_toboolean(L, -1) ? "true" : "false";
  return "execution failure";
}

/** An aggregate being converted: a script's array, {map=...} or {set=...} table. */
interface Frame {
  kind: "array" | "map" | "set";
  items: Reply[];
  /** Arrays: the next index to read. */
  next: number;
  /** Maps: a key (not its value) is being converted. */
  atKey: boolean;
}

const STACK_LIMIT = error("ERR reached lua stack limit");
/**
 * Nesting depth at which a returned table becomes the stack-limit error. Redis stops where the
 * Lua stack does (about 8000 levels); replies that deep would overflow the recursive encoders.
 */
const MAX_DEPTH = 1000;

/**
 * Converts the Lua value at the top of the stack to a reply and pops it. `resp` is the script's
 * protocol (redis.setresp): it decides how booleans are returned. Nested tables are walked with
 * an explicit stack, so a self-referencing table ends in Redis's "reached lua stack limit".
 */
export function popReply(L: L, resp: 2 | 3): Reply {
  const frames: Frame[] = [];
  for (;;) {
    let reply = convertOrOpen(L, resp, frames);
    while (reply !== null) {
      const frame = frames[frames.length - 1];
      if (frame === undefined) return reply;
      frame.items.push(reply);
      reply = advance(L, frame);
      if (reply !== null) frames.pop();
    }
  }
}

/** Converts and pops the value on top, or opens a frame for an aggregate (leaving its first element on top). */
function convertOrOpen(L: L, resp: 2 | 3, frames: Frame[]): Reply | null {
  let reply: Reply;
  switch (lua._lua_type(L, -1)) {
    case Type.String:
      reply = bulk(toString(L, -1)!);
      break;
    case Type.Boolean: {
      const b = lua._lua_toboolean(L, -1) !== 0;
      reply = resp === 2 ? (b ? ONE : NIL) : bool(b);
      break;
    }
    case Type.Number:
      reply = int(luaNumberToInteger(lua._lua_tonumber(L, -1)));
      break;
    case Type.Table: {
      if (frames.length >= MAX_DEPTH || lua._lua_checkstack(L, 4) === 0) {
        reply = STACK_LIMIT;
        break;
      }
      const tagged = taggedReply(L);
      if (tagged !== null) {
        reply = tagged;
        break;
      }
      return openAggregate(L, frames);
    }
    default:
      reply = NIL;
  }
  lua._lua_settop(L, -2);
  return reply;
}

/** Starts converting an array, {map=} or {set=} table; completes empty ones at once. */
function openAggregate(L: L, frames: Frame[]): Reply | null {
  for (const kind of ["map", "set"] as const) {
    if (rawGetField(L, -1, kind) === Type.Table) {
      lua._lua_pushnil(L);
      if (lua._lua_next(L, -2) === 0) {
        lua._lua_settop(L, -3);
        return kind === "map" ? map([]) : set([]);
      }
      if (kind === "set") lua._lua_settop(L, -2);
      lua._lua_pushvalue(L, kind === "map" ? -2 : -1);
      frames.push({ kind, items: [], next: 0, atKey: true });
      return null;
    }
    lua._lua_settop(L, -2);
  }
  lua._lua_rawgeti(L, -1, 1);
  if (lua._lua_type(L, -1) === Type.Nil) {
    lua._lua_settop(L, -3);
    return array([]);
  }
  frames.push({ kind: "array", items: [], next: 2, atKey: false });
  return null;
}

/** After an element was converted: puts the next one on top (null), or completes the aggregate. */
function advance(L: L, frame: Frame): Reply | null {
  if (frame.kind === "array") {
    lua._lua_rawgeti(L, -1, frame.next++);
    if (lua._lua_type(L, -1) !== Type.Nil) return null;
    lua._lua_settop(L, -3);
    return array(frame.items);
  }
  if (frame.kind === "map" && frame.atKey) {
    frame.atKey = false;
    return null;
  }
  if (lua._lua_next(L, -2) === 0) {
    lua._lua_settop(L, -3);
    return frame.kind === "map" ? map(frame.items) : set(frame.items);
  }
  if (frame.kind === "set") lua._lua_settop(L, -2);
  lua._lua_pushvalue(L, frame.kind === "map" ? -2 : -1);
  frame.atKey = true;
  return null;
}

/** {err=}, {ok=}, {double=}, {big_number=}, {verbatim_string=} tables (the table stays); null for others. */
function taggedReply(L: L): Reply | null {
  if (rawGetField(L, -1, "err") === Type.String) {
    lua._lua_settop(L, -2);
    const info = errorInfo(L);
    const reply = error(info.message);
    if (info.counted) countedErrors.add(reply);
    return reply;
  }
  lua._lua_settop(L, -2);
  const ok = stringField(L, "ok");
  if (ok !== null) return simple(ok.replace(/[\r\n]/g, " "));
  if (rawGetField(L, -1, "double") === Type.Number) {
    const d = lua._lua_tonumber(L, -1);
    lua._lua_settop(L, -2);
    return double(d);
  }
  lua._lua_settop(L, -2);
  const big = stringField(L, "big_number");
  if (big !== null) {
    const text = big.replace(/[\r\n]/g, " ");
    return /^-?\d+$/.test(text) ? bignum(BigInt(text)) : bulk(text);
  }
  return verbatimField(L);
}

/** A string field of the table at the top (raw access), or null. */
function stringField(L: L, name: string): string | null {
  const v = rawGetField(L, -1, name) === Type.String ? toString(L, -1) : null;
  lua._lua_settop(L, -2);
  return v;
}

/** {verbatim_string={format=, string=}} as a verbatim reply, or null. */
function verbatimField(L: L): Reply | null {
  let reply: Reply | null = null;
  if (rawGetField(L, -1, "verbatim_string") === Type.Table) {
    const format = stringField(L, "format");
    const text = stringField(L, "string");
    if (format !== null && text !== null) reply = verbatim(text, format);
  }
  lua._lua_settop(L, -2);
  return reply;
}
