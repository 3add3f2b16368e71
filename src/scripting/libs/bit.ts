// The `bit` library (LuaBitOp 1.0 as bundled with Redis): 32-bit operations on Lua numbers.
// Arguments are normalised as LuaBitOp does (add 2^52+2^51, take the low 32 bits: rounding to
// nearest, modulo 2^32); results are signed 32-bit numbers.

import { cfunction, cstr, GLOBALSINDEX, lua, pushCFunction, pushString, rawSetField, setField, type L } from "../lua.js";

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** LuaBitOp's barg(): argument idx as unsigned 32 bits (a non-number raises "number expected"). */
function barg(L: L, idx: number): number {
  f64[0] = lua._lua_tonumber(L, idx) + 6755399441055744.0;
  const b = u32[0];
  if (b === 0 && lua._lua_isnumber(L, idx) === 0) lua._luaL_typerror(L, idx, cstr("number"));
  return b;
}

function ret(L: L, b: number): number {
  lua._lua_pushnumber(L, b | 0);
  return 1;
}

function fold(op: (a: number, b: number) => number): number {
  return cfunction((L) => {
    let b = barg(L, 1);
    for (let i = lua._lua_gettop(L); i > 1; i--) b = op(b, barg(L, i));
    return ret(L, b);
  });
}

function shift(op: (b: number, n: number) => number): number {
  return cfunction((L) => ret(L, op(barg(L, 1), barg(L, 2) & 31)));
}

const FUNCTIONS: [string, number][] = [
  ["tobit", cfunction((L) => ret(L, barg(L, 1)))],
  ["bnot", cfunction((L) => ret(L, ~barg(L, 1)))],
  ["band", fold((a, b) => a & b)],
  ["bor", fold((a, b) => a | b)],
  ["bxor", fold((a, b) => a ^ b)],
  ["lshift", shift((b, n) => b << n)],
  ["rshift", shift((b, n) => b >>> n)],
  ["arshift", shift((b, n) => (b | 0) >> n)],
  ["rol", shift((b, n) => (b << n) | (b >>> (32 - n)))],
  ["ror", shift((b, n) => (b << (32 - n)) | (b >>> n))],
  [
    "bswap",
    cfunction((L) => {
      const b = barg(L, 1);
      return ret(L, (b >>> 24) | ((b >>> 8) & 0xff00) | ((b & 0xff00) << 8) | (b << 24));
    }),
  ],
  [
    "tohex",
    cfunction((L) => {
      let b = barg(L, 1);
      let n = lua._lua_type(L, 2) === -1 ? 8 : barg(L, 2) | 0;
      let digits = "0123456789abcdef";
      if (n < 0) {
        n = -n;
        digits = "0123456789ABCDEF";
      }
      if (n > 8) n = 8;
      let out = "";
      for (let i = 0; i < n; i++) {
        out = digits[b & 15] + out;
        b >>>= 4;
      }
      pushString(L, out);
      return 1;
    }),
  ],
];

/** Creates the global `bit` table. */
export function installBit(L: L): void {
  lua._lua_createtable(L, 0, FUNCTIONS.length);
  for (const [name, fn] of FUNCTIONS) {
    pushCFunction(L, fn);
    rawSetField(L, -2, name);
  }
  setField(L, GLOBALSINDEX, "bit");
}
