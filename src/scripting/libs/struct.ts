// The `struct` library (Roberto Ierusalimschy's struct, as bundled with Redis): pack, unpack and
// size of binary records, with the sizes and alignment of Redis's x86_64 build (long and size_t
// are 8 bytes, int 4, native order little-endian, maximum alignment 8).

import { argError, cfunction, checkString, GLOBALSINDEX, lua, LuaRaise, pushCFunction, pushString, rawSetField, setField, type L } from "../lua.js";

const MAXINTSIZE = 32;
const MAXALIGN = 8;
const SIZES: Record<string, number> = { b: 1, B: 1, h: 2, H: 2, l: 8, L: 8, T: 8, f: 4, d: 8, x: 1 };
const MASK64 = (1n << 64n) - 1n;

interface Header {
  little: boolean;
  align: number;
}

/** A format string being read. */
class Format {
  pos = 0;
  constructor(readonly text: string) {}

  get done(): boolean {
    return this.pos >= this.text.length;
  }

  next(): string {
    return this.text[this.pos++];
  }

  /** A decimal number at the current position, or the default. */
  number(def: number): number {
    if (!isDigit(this.text[this.pos])) return def;
    let a = 0;
    do {
      const d = this.text.charCodeAt(this.pos) - 48;
      if (a > Math.floor(2147483647 / 10) || a * 10 > 2147483647 - d) throw new LuaRaise("integral size overflow");
      a = a * 10 + d;
      this.pos++;
    } while (isDigit(this.text[this.pos]));
    return a;
  }
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

function optSize(opt: string, fmt: Format): number {
  const fixed = SIZES[opt];
  if (fixed !== undefined) return fixed;
  if (opt === "c") return fmt.number(1);
  if (opt === "i" || opt === "I") {
    const size = fmt.number(4);
    if (size > MAXINTSIZE) throw new LuaRaise(`integral size ${size} is larger than limit of ${MAXINTSIZE}`);
    return size;
  }
  return 0;
}

function toAlign(len: number, h: Header, opt: string, size: number): number {
  if (size === 0 || opt === "c") return 0;
  const a = Math.min(size, h.align);
  return (a - (len & (a - 1))) & (a - 1);
}

function controlOption(L: L, opt: string, fmt: Format, h: Header): void {
  switch (opt) {
    case " ":
      return;
    case ">":
      h.little = false;
      return;
    case "<":
      h.little = true;
      return;
    case "!": {
      const a = fmt.number(MAXALIGN);
      if (a <= 0 || (a & (a - 1)) !== 0) throw new LuaRaise(`alignment ${a} is not a power of 2`);
      h.align = a;
      return;
    }
    default:
      argError(L, 1, `invalid format option '${opt}'`);
  }
}

const isInteger = (opt: string): boolean => "bBhHlLTiI".includes(opt);

function integerBytes(n: number, size: number, little: boolean): string {
  // (unsigned long)(long)n for negatives, (unsigned long)n otherwise: 64-bit two's complement.
  let value = BigInt(Math.trunc(Number.isFinite(n) ? n : 0)) & MASK64;
  const bytes: number[] = new Array(size);
  for (let i = 0; i < size; i++) {
    bytes[little ? i : size - 1 - i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return String.fromCharCode(...bytes);
}

function floatBytes(n: number, size: number, little: boolean): string {
  const buf = Buffer.alloc(size);
  if (size === 4) {
    if (little) buf.writeFloatLE(n);
    else buf.writeFloatBE(n);
  } else if (little) buf.writeDoubleLE(n);
  else buf.writeDoubleBE(n);
  return buf.toString("latin1");
}

const pack = cfunction((L) => {
  const fmt = new Format(checkString(L, 1));
  const h: Header = { little: true, align: 1 };
  let arg = 2;
  let out = "";
  while (!fmt.done) {
    const opt = fmt.next();
    let size = optSize(opt, fmt);
    const pad = toAlign(out.length, h, opt, size);
    out += "\0".repeat(pad);
    if (isInteger(opt)) out += integerBytes(lua._luaL_checknumber(L, arg++), size, h.little);
    else if (opt === "x") out += "\0";
    else if (opt === "f" || opt === "d") out += floatBytes(lua._luaL_checknumber(L, arg++), size, h.little);
    else if (opt === "c" || opt === "s") {
      const s = checkString(L, arg++);
      if (size === 0) size = s.length;
      if (s.length < size) argError(L, arg, "string too short");
      out += s.slice(0, size);
      if (opt === "s") out += "\0";
    } else controlOption(L, opt, fmt, h);
  }
  pushString(L, out);
  return 1;
});

function readInteger(data: string, pos: number, size: number, little: boolean, signed: boolean): number {
  let l = 0n;
  for (let i = 0; i < size; i++) {
    const byte = data.charCodeAt(little ? pos + size - 1 - i : pos + i);
    l = ((l << 8n) | BigInt(byte)) & MASK64;
  }
  if (!signed) return Number(l);
  const bits = size * 8 - 1;
  const mask = bits < 64 ? (MASK64 << BigInt(bits)) & MASK64 : 0n;
  if (l & mask) l |= mask;
  return Number(BigInt.asIntN(64, l));
}

function readFloat(data: string, pos: number, size: number, little: boolean): number {
  const buf = Buffer.from(data.slice(pos, pos + size), "latin1");
  if (size === 4) return little ? buf.readFloatLE() : buf.readFloatBE();
  return little ? buf.readDoubleLE() : buf.readDoubleBE();
}

const unpack = cfunction((L) => {
  const fmt = new Format(checkString(L, 1));
  const data = checkString(L, 2);
  const ld = data.length;
  let pos = lua._luaL_optinteger(L, 3, 1);
  if (pos <= 0) argError(L, 3, "offset must be 1 or greater");
  pos--;
  const h: Header = { little: true, align: 1 };
  let n = 0;
  while (!fmt.done) {
    const opt = fmt.next();
    let size = optSize(opt, fmt);
    pos += toAlign(pos, h, opt, size);
    if (!(size <= ld && pos <= ld - size)) argError(L, 2, "data string too short");
    lua._lua_checkstack(L, 2);
    if (isInteger(opt)) {
      lua._lua_pushnumber(L, readInteger(data, pos, size, h.little, opt === opt.toLowerCase()));
      n++;
    } else if (opt === "f" || opt === "d") {
      lua._lua_pushnumber(L, readFloat(data, pos, size, h.little));
      n++;
    } else if (opt === "c") {
      if (size === 0) {
        if (n === 0 || lua._lua_isnumber(L, -1) === 0) throw new LuaRaise("format 'c0' needs a previous size");
        size = Math.trunc(lua._lua_tonumber(L, -1));
        lua._lua_settop(L, -2);
        n--;
        if (!(size <= ld && pos <= ld - size)) argError(L, 2, "data string too short");
      }
      pushString(L, data.slice(pos, pos + size));
      n++;
    } else if (opt === "s") {
      const end = data.indexOf("\0", pos);
      if (end < 0) throw new LuaRaise("unfinished string in data");
      size = end - pos + 1;
      pushString(L, data.slice(pos, end));
      n++;
    } else if (opt !== "x") controlOption(L, opt, fmt, h);
    pos += size;
  }
  lua._lua_pushnumber(L, pos + 1);
  return n + 1;
});

const size = cfunction((L) => {
  const fmt = new Format(checkString(L, 1));
  const h: Header = { little: true, align: 1 };
  let pos = 0;
  while (!fmt.done) {
    const opt = fmt.next();
    const sz = optSize(opt, fmt);
    pos += toAlign(pos, h, opt, sz);
    if (opt === "s") argError(L, 1, "option 's' has no fixed size");
    else if (opt === "c" && sz === 0) argError(L, 1, "option 'c0' has no fixed size");
    if (!/[A-Za-z0-9]/.test(opt)) controlOption(L, opt, fmt, h);
    pos += sz;
  }
  lua._lua_pushnumber(L, pos);
  return 1;
});

/** Creates the global `struct` table. */
export function installStruct(L: L): void {
  lua._lua_createtable(L, 0, 3);
  for (const [name, fn] of [["pack", pack], ["unpack", unpack], ["size", size]] as const) {
    pushCFunction(L, fn);
    rawSetField(L, -2, name);
  }
  setField(L, GLOBALSINDEX, "struct");
}
