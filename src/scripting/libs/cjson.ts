// The `cjson` library (Lua CJSON 2.1.0 as bundled with Redis): encode/decode with its quirks —
// "/" escaped as "\/", numbers with "%.14g", integer-keyed tables as arrays unless excessively
// sparse, cjson.null as a NULL light userdata, strtod() number syntax when decoding — and its
// configuration functions (encode_max_depth, encode_invalid_numbers, ..., new).

import {
  argError,
  cfunction,
  checkString,
  GLOBALSINDEX,
  lua,
  LuaRaise,
  pushString,
  rawSetField,
  setField,
  toString,
  Type,
  upvalueIndex,
  type L,
} from "../lua.js";
import { strtod } from "./numbers.js";

interface Config {
  sparseConvert: boolean;
  sparseRatio: number;
  sparseSafe: number;
  encodeMaxDepth: number;
  decodeMaxDepth: number;
  /** 0: error, 1: allowed, 2: encoded as null. */
  encodeInvalidNumbers: number;
  numberPrecision: number;
  keepBuffer: boolean;
  decodeInvalidNumbers: boolean;
}

const configs: Config[] = [];

function newConfig(): number {
  configs.push({
    sparseConvert: false,
    sparseRatio: 2,
    sparseSafe: 10,
    encodeMaxDepth: 1000,
    decodeMaxDepth: 1000,
    encodeInvalidNumbers: 0,
    numberPrecision: 14,
    keepBuffer: true,
    decodeInvalidNumbers: true,
  });
  return configs.length;
}

/** The configuration of the cjson instance a function belongs to (upvalue 1: its id). */
function config(L: L): Config {
  return configs[lua._lua_tonumber(L, upvalueIndex(1)) - 1];
}

/** C's "%.<precision>g". */
export function formatG(n: number, precision: number): string {
  if (Number.isNaN(n)) return n < 0 ? "-nan" : "nan";
  if (!Number.isFinite(n)) return n < 0 ? "-inf" : "inf";
  if (n === 0) return Object.is(n, -0) ? "-0" : "0";
  const [mantissa, exp] = n.toExponential(precision - 1).split("e");
  const e = Number(exp);
  if (e < -4 || e >= precision) {
    return `${trimFraction(mantissa)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  }
  return trimFraction(n.toFixed(precision - 1 - e));
}

function trimFraction(s: string): string {
  if (s.indexOf(".") < 0) return s;
  return s.replace(/\.?0+$/, "");
}

// ---- encoding -----------------------------------------------------------------------------------

const ESCAPES: (string | null)[] = [];
for (let c = 0; c < 256; c++) {
  ESCAPES.push(c < 32 ? `\\u${c.toString(16).padStart(4, "0")}` : null);
}
ESCAPES[8] = "\\b";
ESCAPES[9] = "\\t";
ESCAPES[10] = "\\n";
ESCAPES[12] = "\\f";
ESCAPES[13] = "\\r";
ESCAPES[34] = '\\"';
ESCAPES[47] = "\\/";
ESCAPES[92] = "\\\\";
ESCAPES[127] = "\\u007f";

function encodeString(s: string): string {
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const esc = ESCAPES[s.charCodeAt(i)];
    if (esc !== null) {
      out += s.slice(from, i) + esc;
      from = i + 1;
    }
  }
  return out + s.slice(from) + '"';
}

function typeName(L: L, idx: number): string {
  const names = ["nil", "boolean", "userdata", "number", "string", "table", "function", "userdata", "thread"];
  return names[lua._lua_type(L, idx)] ?? "no value";
}

function encodeError(L: L, idx: number, reason: string): never {
  throw new LuaRaise(`Cannot serialise ${typeName(L, idx)}: ${reason}`);
}

function encodeNumber(L: L, cfg: Config, idx: number): string {
  const n = lua._lua_tonumber(L, idx);
  if (!Number.isFinite(n)) {
    if (cfg.encodeInvalidNumbers === 0) encodeError(L, idx, "must not be NaN or Inf");
    if (cfg.encodeInvalidNumbers === 2) return "null";
    if (Number.isNaN(n)) return "nan";
  }
  return formatG(n, cfg.numberPrecision);
}

/** The array length of the table on top, or -1 if it must be encoded as an object. */
function arrayLength(L: L, cfg: Config): number {
  let max = 0;
  let items = 0;
  lua._lua_pushnil(L);
  while (lua._lua_next(L, -2) !== 0) {
    if (lua._lua_type(L, -2) === Type.Number) {
      const k = lua._lua_tonumber(L, -2);
      if (k !== 0 && Math.floor(k) === k && k >= 1) {
        if (k > max) max = k;
        items++;
        lua._lua_settop(L, -2);
        continue;
      }
    }
    lua._lua_settop(L, -3);
    return -1;
  }
  if (cfg.sparseRatio > 0 && max > items * cfg.sparseRatio && max > cfg.sparseSafe) {
    if (!cfg.sparseConvert) encodeError(L, -1, "excessively sparse array");
    return -1;
  }
  return max;
}

/** Encodes the value on top of the stack (left there). */
function encodeValue(L: L, cfg: Config, depth: number): string {
  switch (lua._lua_type(L, -1)) {
    case Type.String:
      return encodeString(toString(L, -1)!);
    case Type.Number:
      return encodeNumber(L, cfg, -1);
    case Type.Boolean:
      return lua._lua_toboolean(L, -1) ? "true" : "false";
    case Type.Nil:
      return "null";
    case Type.Table: {
      depth++;
      if (depth > cfg.encodeMaxDepth || lua._lua_checkstack(L, 3) === 0) {
        throw new LuaRaise(`Cannot serialise, excessive nesting (${depth})`);
      }
      const len = arrayLength(L, cfg);
      return len > 0 ? encodeArray(L, cfg, depth, len) : encodeObject(L, cfg, depth);
    }
    case Type.LightUserdata:
      if (lua._lua_touserdata(L, -1) === 0) return "null";
      return encodeError(L, -1, "type not supported");
    default:
      return encodeError(L, -1, "type not supported");
  }
}

function encodeArray(L: L, cfg: Config, depth: number, len: number): string {
  const parts: string[] = [];
  for (let i = 1; i <= len; i++) {
    lua._lua_rawgeti(L, -1, i);
    parts.push(encodeValue(L, cfg, depth));
    lua._lua_settop(L, -2);
  }
  return `[${parts.join(",")}]`;
}

function encodeObject(L: L, cfg: Config, depth: number): string {
  const parts: string[] = [];
  lua._lua_pushnil(L);
  while (lua._lua_next(L, -2) !== 0) {
    const keyType = lua._lua_type(L, -2);
    let key: string;
    if (keyType === Type.Number) key = `"${encodeNumber(L, cfg, -2)}":`;
    else if (keyType === Type.String) key = `${encodeString(toString(L, -2)!)}:`;
    else encodeError(L, -2, "table key must be a number or string");
    parts.push(key! + encodeValue(L, cfg, depth));
    lua._lua_settop(L, -2);
  }
  return `{${parts.join(",")}}`;
}

const encode = cfunction((L) => {
  if (lua._lua_gettop(L) !== 1) argError(L, 1, "expected 1 argument");
  pushString(L, encodeValue(L, config(L), 0));
  return 1;
});

// ---- decoding -----------------------------------------------------------------------------------

const enum T { ObjBegin, ObjEnd, ArrBegin, ArrEnd, String, Number, Boolean, Null, Colon, Comma, End, Whitespace, Error, Unknown }
const TOKEN_NAMES = ["T_OBJ_BEGIN", "T_OBJ_END", "T_ARR_BEGIN", "T_ARR_END", "T_STRING", "T_NUMBER", "T_BOOLEAN", "T_NULL", "T_COLON", "T_COMMA", "T_END", "T_WHITESPACE", "T_ERROR", "T_UNKNOWN"];

const CH2TOKEN: T[] = new Array(256).fill(T.Error);
CH2TOKEN[123] = T.ObjBegin;
CH2TOKEN[125] = T.ObjEnd;
CH2TOKEN[91] = T.ArrBegin;
CH2TOKEN[93] = T.ArrEnd;
CH2TOKEN[44] = T.Comma;
CH2TOKEN[58] = T.Colon;
CH2TOKEN[0] = T.End;
for (const c of [32, 9, 10, 13]) CH2TOKEN[c] = T.Whitespace;
for (const c of "fiInNt\"+-0123456789") CH2TOKEN[c.charCodeAt(0)] = T.Unknown;

const ESCAPE_CHARS: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", t: "\t", n: "\n", f: "\f", r: "\r" };

interface Token {
  type: T;
  index: number;
  string?: string;
  number?: number;
  boolean?: boolean;
  error?: string;
}

class Parser {
  pos = 0;
  depth = 0;
  constructor(
    readonly L: L,
    readonly cfg: Config,
    readonly data: string,
  ) {}

  /** The byte at p, NUL past the end (the C parser reads a NUL-terminated buffer). */
  at(p: number): number {
    return p < this.data.length ? this.data.charCodeAt(p) : 0;
  }

  next(): Token {
    let type: T;
    for (;;) {
      type = CH2TOKEN[this.at(this.pos)];
      if (type !== T.Whitespace) break;
      this.pos++;
    }
    const token: Token = { type, index: this.pos };
    if (type === T.Error) return this.error(token, "invalid token");
    if (type === T.End) return token;
    if (type !== T.Unknown) {
      this.pos++;
      return token;
    }
    const ch = this.data[this.pos];
    if (ch === '"') return this.stringToken(token);
    if (ch === "-" || (ch >= "0" && ch <= "9")) {
      if (!this.cfg.decodeInvalidNumbers && this.invalidNumber()) return this.error(token, "invalid number");
      return this.numberToken(token);
    }
    for (const [word, t, value] of [["true", T.Boolean, true], ["false", T.Boolean, false], ["null", T.Null, false]] as const) {
      if (this.data.startsWith(word, this.pos)) {
        token.type = t;
        token.boolean = value;
        this.pos += word.length;
        return token;
      }
    }
    if (this.cfg.decodeInvalidNumbers && this.invalidNumber()) return this.numberToken(token);
    return this.error(token, "invalid token");
  }

  private error(token: Token, message: string): Token {
    token.type = T.Error;
    token.index = this.pos;
    token.error = message;
    return token;
  }

  /** Numbers strtod accepts but strict JSON does not: leading "+", hex, leading zeros, inf, nan. */
  private invalidNumber(): boolean {
    let p = this.pos;
    if (this.data[p] === "+") return true;
    if (this.data[p] === "-") p++;
    if (this.data[p] === "0") {
      const c2 = this.at(p + 1);
      return (c2 | 0x20) === 120 || (c2 >= 48 && c2 <= 57);
    }
    if (this.at(p) <= 57) return false;
    const word = this.data.slice(p, p + 3).toLowerCase();
    return word === "inf" || word === "nan";
  }

  private numberToken(token: Token): Token {
    const parsed = strtod(this.data, this.pos);
    if (parsed === null) return this.error(token, "invalid number");
    token.type = T.Number;
    token.number = parsed.value;
    this.pos = parsed.end;
    return token;
  }

  private stringToken(token: Token): Token {
    this.pos++;
    let out = "";
    for (;;) {
      const c = this.at(this.pos);
      if (c === 34) break;
      if (c === 0) return this.error(token, "unexpected end of string");
      if (c === 92) {
        const esc = String.fromCharCode(this.at(this.pos + 1));
        if (esc === "u") {
          const decoded = this.unicodeEscape();
          if (decoded === null) return this.error(token, "invalid unicode escape code");
          out += decoded;
          continue;
        }
        const ch = ESCAPE_CHARS[esc];
        if (ch === undefined) return this.error(token, "invalid escape code");
        out += ch;
        this.pos += 2;
        continue;
      }
      out += this.data[this.pos++];
    }
    this.pos++;
    token.type = T.String;
    token.string = out;
    return token;
  }

  private hex4(p: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.at(p + i);
      let d: number;
      if (c >= 48 && c <= 57) d = c - 48;
      else if ((c | 0x20) >= 97 && (c | 0x20) <= 102) d = (c | 0x20) - 87;
      else return -1;
      v = (v << 4) | d;
    }
    return v;
  }

  /** \uXXXX (with surrogate pairs) as UTF-8 bytes, advancing past it; null if invalid. */
  private unicodeEscape(): string | null {
    let cp = this.hex4(this.pos + 2);
    if (cp < 0) return null;
    let len = 6;
    if ((cp & 0xf800) === 0xd800) {
      if (cp & 0x400) return null;
      if (this.at(this.pos + 6) !== 92 || this.at(this.pos + 7) !== 117) return null;
      const low = this.hex4(this.pos + 8);
      if (low < 0 || (low & 0xfc00) !== 0xdc00) return null;
      cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
      len = 12;
    }
    this.pos += len;
    return Buffer.from(String.fromCodePoint(cp), "utf8").toString("latin1");
  }

  fail(expected: string, token: Token): never {
    const found = token.type === T.Error ? token.error : TOKEN_NAMES[token.type];
    throw new LuaRaise(`Expected ${expected} but found ${found} at character ${token.index + 1}`);
  }

  descend(slots: number): void {
    this.depth++;
    if (this.depth <= this.cfg.decodeMaxDepth && lua._lua_checkstack(this.L, slots) !== 0) return;
    throw new LuaRaise(`Found too many nested data structures (${this.depth}) at character ${this.pos}`);
  }

  /** Pushes the value starting with token. */
  value(token: Token): void {
    const L = this.L;
    switch (token.type) {
      case T.String:
        pushString(L, token.string!);
        return;
      case T.Number:
        lua._lua_pushnumber(L, token.number!);
        return;
      case T.Boolean:
        lua._lua_pushboolean(L, token.boolean ? 1 : 0);
        return;
      case T.ObjBegin:
        this.object();
        return;
      case T.ArrBegin:
        this.array();
        return;
      case T.Null:
        lua._lua_pushlightuserdata(L, 0);
        return;
      default:
        this.fail("value", token);
    }
  }

  private object(): void {
    const L = this.L;
    this.descend(3);
    lua._lua_createtable(L, 0, 0);
    let token = this.next();
    if (token.type === T.ObjEnd) {
      this.depth--;
      return;
    }
    for (;;) {
      if (token.type !== T.String) this.fail("object key string", token);
      pushString(L, token.string!);
      token = this.next();
      if (token.type !== T.Colon) this.fail("colon", token);
      this.value(this.next());
      lua._lua_rawset(L, -3);
      token = this.next();
      if (token.type === T.ObjEnd) {
        this.depth--;
        return;
      }
      if (token.type !== T.Comma) this.fail("comma or object end", token);
      token = this.next();
    }
  }

  private array(): void {
    const L = this.L;
    this.descend(2);
    lua._lua_createtable(L, 0, 0);
    let token = this.next();
    if (token.type === T.ArrEnd) {
      this.depth--;
      return;
    }
    for (let i = 1; ; i++) {
      this.value(token);
      lua._lua_rawseti(L, -2, i);
      token = this.next();
      if (token.type === T.ArrEnd) {
        this.depth--;
        return;
      }
      if (token.type !== T.Comma) this.fail("comma or array end", token);
      token = this.next();
    }
  }
}

const decode = cfunction((L) => {
  if (lua._lua_gettop(L) !== 1) argError(L, 1, "expected 1 argument");
  const data = checkString(L, 1);
  if (data.length >= 2 && (data.charCodeAt(0) === 0 || data.charCodeAt(1) === 0)) {
    throw new LuaRaise("JSON parser does not support UTF-16 or UTF-32");
  }
  const parser = new Parser(L, config(L), data);
  parser.value(parser.next());
  const end = parser.next();
  if (end.type !== T.End) parser.fail("the end", end);
  return 1;
});

// ---- configuration ------------------------------------------------------------------------------

/** Pads the arguments with nil up to n, refusing more (json_arg_init). */
function argInit(L: L, n: number): Config {
  if (lua._lua_gettop(L) > n) argError(L, n + 1, "found too many arguments");
  lua._lua_settop(L, n);
  return config(L);
}

function integerOption(L: L, idx: number, get: () => number, set: (v: number) => void, min: number, max: number): void {
  if (lua._lua_type(L, idx) !== Type.Nil) {
    const v = lua._luaL_checkinteger(L, idx);
    if (v < min || v > max) argError(L, 1, `expected integer between ${min} and ${max}`);
    set(v);
  }
  lua._lua_pushnumber(L, get());
}

/** An on/off (or on/off/null) option: booleans or the option names. */
function enumOption(L: L, idx: number, get: () => number, set: (v: number) => void, names = ["off", "on"]): void {
  const t = lua._lua_type(L, idx);
  if (t !== Type.Nil) {
    if (t === Type.Boolean) set(lua._lua_toboolean(L, idx));
    else {
      const name = checkString(L, idx);
      const i = names.indexOf(name);
      if (i < 0) argError(L, idx, `invalid option '${name}'`);
      set(i);
    }
  }
  const v = get();
  if (v <= 1) lua._lua_pushboolean(L, v);
  else pushString(L, names[v]);
}

const CONFIG_FUNCTIONS: [string, number][] = [
  [
    "encode_sparse_array",
    cfunction((L) => {
      const cfg = argInit(L, 3);
      enumOption(L, 1, () => Number(cfg.sparseConvert), (v) => (cfg.sparseConvert = v !== 0));
      integerOption(L, 2, () => cfg.sparseRatio, (v) => (cfg.sparseRatio = v), 0, 2147483647);
      integerOption(L, 3, () => cfg.sparseSafe, (v) => (cfg.sparseSafe = v), 0, 2147483647);
      return 3;
    }),
  ],
  [
    "encode_max_depth",
    cfunction((L) => {
      const cfg = argInit(L, 1);
      integerOption(L, 1, () => cfg.encodeMaxDepth, (v) => (cfg.encodeMaxDepth = v), 1, 2147483647);
      return 1;
    }),
  ],
  [
    "decode_max_depth",
    cfunction((L) => {
      const cfg = argInit(L, 1);
      integerOption(L, 1, () => cfg.decodeMaxDepth, (v) => (cfg.decodeMaxDepth = v), 1, 2147483647);
      return 1;
    }),
  ],
  [
    "encode_number_precision",
    cfunction((L) => {
      const cfg = argInit(L, 1);
      integerOption(L, 1, () => cfg.numberPrecision, (v) => (cfg.numberPrecision = v), 1, 14);
      return 1;
    }),
  ],
  [
    "encode_keep_buffer",
    cfunction((L) => {
      const cfg = argInit(L, 1);
      enumOption(L, 1, () => Number(cfg.keepBuffer), (v) => (cfg.keepBuffer = v !== 0));
      return 1;
    }),
  ],
  [
    "encode_invalid_numbers",
    cfunction((L) => {
      const cfg = argInit(L, 1);
      enumOption(L, 1, () => cfg.encodeInvalidNumbers, (v) => (cfg.encodeInvalidNumbers = v), ["off", "on", "null"]);
      return 1;
    }),
  ],
  [
    "decode_invalid_numbers",
    cfunction((L) => {
      const cfg = argInit(L, 1);
      enumOption(L, 1, () => Number(cfg.decodeInvalidNumbers), (v) => (cfg.decodeInvalidNumbers = v !== 0));
      return 1;
    }),
  ],
];

/** Pushes a cjson module table with its own configuration. */
function pushModule(L: L): void {
  const id = newConfig();
  lua._lua_createtable(L, 0, 13);
  for (const [name, fn] of [["encode", encode], ["decode", decode], ...CONFIG_FUNCTIONS, ["new", newModule]] as const) {
    lua._lua_pushnumber(L, id);
    lua._lua_pushcclosure(L, fn, 1);
    rawSetField(L, -2, name);
  }
  lua._lua_pushlightuserdata(L, 0);
  rawSetField(L, -2, "null");
  pushString(L, "cjson");
  rawSetField(L, -2, "_NAME");
  pushString(L, "2.1.0");
  rawSetField(L, -2, "_VERSION");
}

const newModule: number = cfunction((L) => {
  pushModule(L);
  return 1;
});

/** Creates the global `cjson` table. */
export function installCjson(L: L): void {
  pushModule(L);
  setField(L, GLOBALSINDEX, "cjson");
}
