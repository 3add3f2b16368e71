// The `cmsgpack` library (lua-cmsgpack 0.4.0 as bundled with Redis): pack(...), unpack(s),
// unpack_one(s, offset), unpack_limit(s, limit, offset). Byte-exact with the C library: tables
// whose keys are exactly 1..n are arrays, others maps; integral numbers use the smallest integer
// encoding, others float32 when exact, else float64; nesting deeper than 16 encodes as nil.

import { argError, cfunction, checkString, GLOBALSINDEX, lua, LuaRaise, pushString, rawSetField, setField, toString, Type, type L } from "../lua.js";

const MAX_NESTING = 16;
const f32 = new Float32Array(1);
const scratch = Buffer.alloc(8);

/** Appends big-endian bytes of an unsigned value below 2^53 (or a bigint) of `size` bytes. */
function be(value: number | bigint, size: number): string {
  let v = BigInt(value);
  let out = "";
  for (let i = 0; i < size; i++) {
    out = String.fromCharCode(Number(v & 0xffn)) + out;
    v >>= 8n;
  }
  return out;
}

function header(small: number, mask: number, n: number, op16: number, op32: number): string {
  if (n <= mask) return String.fromCharCode(small | n);
  if (n <= 0xffff) return String.fromCharCode(op16) + be(n, 2);
  return String.fromCharCode(op32) + be(n, 4);
}

function encodeBytes(s: string): string {
  const n = s.length;
  let h: string;
  if (n < 32) h = String.fromCharCode(0xa0 | n);
  else if (n <= 0xff) h = "\xd9" + String.fromCharCode(n);
  else if (n <= 0xffff) h = "\xda" + be(n, 2);
  else h = "\xdb" + be(n, 4);
  return h + s;
}

function encodeInt(n: bigint): string {
  if (n >= 0n) {
    if (n <= 127n) return String.fromCharCode(Number(n));
    if (n <= 0xffn) return "\xcc" + be(n, 1);
    if (n <= 0xffffn) return "\xcd" + be(n, 2);
    if (n <= 0xffffffffn) return "\xce" + be(n, 4);
    return "\xcf" + be(n, 8);
  }
  if (n >= -32n) return String.fromCharCode(Number(n & 0xffn));
  if (n >= -128n) return "\xd0" + be(n & 0xffn, 1);
  if (n >= -32768n) return "\xd1" + be(n & 0xffffn, 2);
  if (n >= -2147483648n) return "\xd2" + be(n & 0xffffffffn, 4);
  return "\xd3" + be(BigInt.asUintN(64, n), 8);
}

/** (int64_t)d: truncation, INT64_MIN when out of range (x86). */
function toInt64(d: number): bigint {
  if (!Number.isFinite(d) || d >= 9223372036854775808 || d < -9223372036854775808) return -(2n ** 63n);
  return BigInt(Math.trunc(d));
}

function encodeNumber(d: number): string {
  const isInt64 = Number.isFinite(d) && Number(toInt64(d)) === d && d < 9223372036854775808;
  if (isInt64) return encodeInt(toInt64(d));
  f32[0] = d;
  if (f32[0] === d || (Number.isNaN(d) && false)) {
    scratch.writeFloatBE(d);
    return "\xca" + scratch.toString("latin1", 0, 4);
  }
  scratch.writeDoubleBE(d);
  return "\xcb" + scratch.toString("latin1", 0, 8);
}

/** Whether the table on top has exactly the keys 1..n (integral numbers representable as int). */
function isArray(L: L): boolean {
  let count = 0;
  let max = 0;
  const top = lua._lua_gettop(L);
  lua._lua_pushnil(L);
  while (lua._lua_next(L, -2) !== 0) {
    lua._lua_settop(L, -2);
    const n = lua._lua_tonumber(L, -1);
    if (lua._lua_type(L, -1) !== Type.Number || n <= 0 || (n | 0) !== n) {
      lua._lua_settop(L, top);
      return false;
    }
    if (n > max) max = n;
    count++;
  }
  lua._lua_settop(L, top);
  return max === count;
}

/** Encodes the value on top of the stack and pops it. */
function encodeValue(L: L, level: number, out: string[]): void {
  let t = lua._lua_type(L, -1);
  if (t === Type.Table && level === MAX_NESTING) t = Type.Nil;
  switch (t) {
    case Type.String:
      out.push(encodeBytes(toString(L, -1)!));
      break;
    case Type.Boolean:
      out.push(lua._lua_toboolean(L, -1) ? "\xc3" : "\xc2");
      break;
    case Type.Number:
      out.push(encodeNumber(lua._lua_tonumber(L, -1)));
      break;
    case Type.Table:
      lua._lua_checkstack(L, 3);
      if (isArray(L)) {
        const len = lua._lua_objlen(L, -1);
        out.push(header(0x90, 15, len, 0xdc, 0xdd));
        for (let j = 1; j <= len; j++) {
          lua._lua_pushnumber(L, j);
          lua._lua_gettable(L, -2);
          encodeValue(L, level + 1, out);
        }
      } else {
        let len = 0;
        lua._lua_pushnil(L);
        while (lua._lua_next(L, -2) !== 0) {
          lua._lua_settop(L, -2);
          len++;
        }
        out.push(header(0x80, 15, len, 0xde, 0xdf));
        lua._lua_pushnil(L);
        while (lua._lua_next(L, -2) !== 0) {
          lua._lua_pushvalue(L, -2);
          encodeValue(L, level + 1, out);
          encodeValue(L, level + 1, out);
        }
      }
      break;
    default:
      out.push("\xc0");
  }
  lua._lua_settop(L, -2);
}

const pack = cfunction((L) => {
  const nargs = lua._lua_gettop(L);
  if (nargs === 0) argError(L, 0, "MessagePack pack needs input.");
  const out: string[] = [];
  for (let i = 1; i <= nargs; i++) {
    lua._lua_checkstack(L, 1);
    lua._lua_pushvalue(L, i);
    encodeValue(L, 0, out);
  }
  pushString(L, out.join(""));
  return 1;
});

// ---- decoding -----------------------------------------------------------------------------------

const enum Err { None, Eof, BadFormat }

class Cursor {
  err = Err.None;
  constructor(
    readonly data: string,
    public pos: number,
  ) {}

  get left(): number {
    return this.data.length - this.pos;
  }

  need(n: number): boolean {
    if (this.left < n) {
      this.err = Err.Eof;
      return false;
    }
    return true;
  }

  byte(i: number): number {
    return this.data.charCodeAt(this.pos + i);
  }

  /** Big-endian unsigned value of n bytes at offset 1. */
  uint(n: number): number {
    let v = 0;
    for (let i = 1; i <= n; i++) v = v * 256 + this.byte(i);
    return v;
  }
}

function decodeArray(L: L, c: Cursor, len: number): void {
  lua._lua_createtable(L, 0, 0);
  lua._lua_checkstack(L, 1);
  for (let i = 1; i <= len; i++) {
    lua._lua_pushnumber(L, i);
    decodeValue(L, c);
    if (c.err) return;
    lua._lua_settable(L, -3);
  }
}

function decodeMap(L: L, c: Cursor, len: number): void {
  lua._lua_createtable(L, 0, 0);
  for (let i = 0; i < len; i++) {
    decodeValue(L, c);
    if (c.err) return;
    decodeValue(L, c);
    if (c.err) return;
    lua._lua_settable(L, -3);
  }
}

function decodeString(L: L, c: Cursor, headerLen: number, len: number): void {
  if (!c.need(headerLen + len)) return;
  pushString(L, c.data.slice(c.pos + headerLen, c.pos + headerLen + len));
  c.pos += headerLen + len;
}

/** A decoded 64-bit integer as lua_pushinteger / lua_pushnumber of an int64 gives it. */
function int64At(c: Cursor): number {
  let v = 0n;
  for (let i = 1; i <= 8; i++) v = (v << 8n) | BigInt(c.byte(i));
  return Number(BigInt.asIntN(64, v));
}

function decodeValue(L: L, c: Cursor): void {
  if (!c.need(1)) return;
  if (lua._lua_checkstack(L, 1) === 0) throw new LuaRaise("stack overflow (too many return values at once; use unpack_one or unpack_limit instead.)");
  const b = c.byte(0);
  const number = (n: number, size: number): void => {
    if (!c.need(size)) return;
    lua._lua_pushnumber(L, n);
    c.pos += size;
  };
  switch (b) {
    case 0xcc:
      if (c.need(2)) number(c.byte(1), 2);
      return;
    case 0xd0:
      if (c.need(2)) number((c.byte(1) << 24) >> 24, 2);
      return;
    case 0xcd:
      if (c.need(3)) number(c.uint(2), 3);
      return;
    case 0xd1:
      if (c.need(3)) number((c.uint(2) << 16) >> 16, 3);
      return;
    case 0xce:
      if (c.need(5)) number(c.uint(4), 5);
      return;
    case 0xd2:
      if (c.need(5)) number(c.uint(4) | 0, 5);
      return;
    case 0xcf:
    case 0xd3:
      if (c.need(9)) number(int64At(c), 9);
      return;
    case 0xc0:
      lua._lua_pushnil(L);
      c.pos++;
      return;
    case 0xc3:
    case 0xc2:
      lua._lua_pushboolean(L, b === 0xc3 ? 1 : 0);
      c.pos++;
      return;
    case 0xca:
      if (c.need(5)) number(Buffer.from(c.data.slice(c.pos + 1, c.pos + 5), "latin1").readFloatBE(), 5);
      return;
    case 0xcb:
      if (c.need(9)) number(Buffer.from(c.data.slice(c.pos + 1, c.pos + 9), "latin1").readDoubleBE(), 9);
      return;
    case 0xd9:
      if (c.need(2)) decodeString(L, c, 2, c.byte(1));
      return;
    case 0xda:
      if (c.need(3)) decodeString(L, c, 3, c.uint(2));
      return;
    case 0xdb:
      if (c.need(5)) decodeString(L, c, 5, c.uint(4));
      return;
    case 0xdc:
    case 0xdd:
    case 0xde:
    case 0xdf: {
      const size = b === 0xdc || b === 0xde ? 2 : 4;
      if (!c.need(1 + size)) return;
      const len = c.uint(size);
      c.pos += 1 + size;
      if (b === 0xdc || b === 0xdd) decodeArray(L, c, len);
      else decodeMap(L, c, len);
      return;
    }
  }
  if ((b & 0x80) === 0) number(b, 1);
  else if ((b & 0xe0) === 0xe0) number((b << 24) >> 24, 1);
  else if ((b & 0xe0) === 0xa0) decodeString(L, c, 1, b & 0x1f);
  else if ((b & 0xf0) === 0x90) {
    c.pos++;
    decodeArray(L, c, b & 0xf);
  } else if ((b & 0xf0) === 0x80) {
    c.pos++;
    decodeMap(L, c, b & 0xf);
  } else c.err = Err.BadFormat;
}

function unpackFull(L: L, limit: number, offset: number): number {
  const s = checkString(L, 1);
  const len = s.length;
  if (offset < 0 || limit < 0) throw new LuaRaise(`Invalid request to unpack with offset of ${offset} and limit of ${len}.`);
  if (offset > len) throw new LuaRaise(`Start offset ${offset} greater than input length ${len}.`);
  const decodeAll = limit === 0 && offset === 0;
  const max = decodeAll ? 2147483647 : limit;
  const c = new Cursor(s, offset);
  let count = 0;
  for (; c.left > 0 && count < max; count++) {
    decodeValue(L, c);
    if (c.err === Err.Eof) throw new LuaRaise("Missing bytes in input.");
    if (c.err === Err.BadFormat) throw new LuaRaise("Bad data format in input.");
  }
  if (decodeAll) return count;
  lua._lua_pushnumber(L, c.left === 0 ? -1 : c.pos);
  lua._lua_insert(L, 2);
  return count + 1;
}

const unpack = cfunction((L) => unpackFull(L, 0, 0));

const unpackOne = cfunction((L) => {
  const offset = lua._luaL_optinteger(L, 2, 0);
  lua._lua_settop(L, 1);
  return unpackFull(L, 1, offset);
});

const unpackLimit = cfunction((L) => {
  const limit = lua._luaL_checkinteger(L, 2);
  const offset = lua._luaL_optinteger(L, 3, 0);
  lua._lua_settop(L, 1);
  return unpackFull(L, limit, offset);
});

/** Creates the global `cmsgpack` table. */
export function installCmsgpack(L: L): void {
  lua._lua_createtable(L, 0, 8);
  for (const [name, fn] of [["pack", pack], ["unpack", unpack], ["unpack_one", unpackOne], ["unpack_limit", unpackLimit]] as const) {
    lua._lua_pushcclosure(L, fn, 0);
    rawSetField(L, -2, name);
  }
  for (const [name, value] of [
    ["_NAME", "cmsgpack"],
    ["_VERSION", "lua-cmsgpack 0.4.0"],
    ["_COPYRIGHT", "Copyright (C) 2012, Salvatore Sanfilippo"],
    ["_DESCRIPTION", "MessagePack C implementation for Lua"],
  ]) {
    pushString(L, value);
    rawSetField(L, -2, name);
  }
  setField(L, GLOBALSINDEX, "cmsgpack");
}
