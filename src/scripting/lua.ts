// The Lua 5.1 virtual machine (the WASM build of wasmoon-lua5.1) through its raw C API.
// Only the C API is used: the package's convenience layer is slow and converts strings through
// UTF-8, which corrupts bytes. Strings cross the boundary as latin1 byte strings, byte for byte.
// The module is compiled once per process (top-level await); states are created synchronously.

import { LuaApi } from "wasmoon-lua5.1";

/** A lua_State pointer in WASM memory. */
export type L = number;

/** The raw exports of the WASM module this file uses. */
interface Module {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  addFunction(fn: (...args: number[]) => number | void, signature: string): number;
  _luaL_newstate(): L;
  _lua_close(L: L): void;
  _luaopen_base(L: L): number;
  _luaopen_table(L: L): number;
  _luaopen_string(L: L): number;
  _luaopen_math(L: L): number;
  _luaopen_debug(L: L): number;
  _luaL_loadbuffer(L: L, buf: number, size: number, name: number): number;
  _luaL_ref(L: L, t: number): number;
  _luaL_unref(L: L, t: number, ref: number): void;
  _luaL_where(L: L, level: number): void;
  _luaL_checkinteger(L: L, arg: number): number;
  _luaL_argerror(L: L, arg: number, extramsg: number): number;
  _luaL_typerror(L: L, arg: number, tname: number): number;
  _luaL_checknumber(L: L, arg: number): number;
  _luaL_checktype(L: L, arg: number, type: number): void;
  _luaL_checklstring(L: L, arg: number, len: number): number;
  _luaL_optinteger(L: L, arg: number, def: number): number;
  _lua_newthread(L: L): L;
  _lua_resume(L: L, nargs: number): number;
  _lua_yield(L: L, nresults: number): number;
  _lua_status(L: L): number;
  _lua_pcall(L: L, nargs: number, nresults: number, errfunc: number): number;
  _lua_call(L: L, nargs: number, nresults: number): void;
  _lua_error(L: L): number;
  _lua_sethook(L: L, fn: number, mask: number, count: number): void;
  _lua_getstack(L: L, level: number, ar: number): number;
  _lua_getinfo(L: L, what: number, ar: number): number;
  _lua_gettop(L: L): number;
  _lua_settop(L: L, idx: number): void;
  _lua_insert(L: L, idx: number): void;
  _lua_remove(L: L, idx: number): void;
  _lua_replace(L: L, idx: number): void;
  _lua_pushvalue(L: L, idx: number): void;
  _lua_checkstack(L: L, n: number): number;
  _lua_xmove(from: L, to: L, n: number): void;
  _lua_type(L: L, idx: number): number;
  _lua_isnumber(L: L, idx: number): number;
  _lua_isstring(L: L, idx: number): number;
  _lua_iscfunction(L: L, idx: number): number;
  _lua_tonumber(L: L, idx: number): number;
  _lua_toboolean(L: L, idx: number): number;
  _lua_tolstring(L: L, idx: number, len: number): number;
  _lua_tothread(L: L, idx: number): L;
  _lua_topointer(L: L, idx: number): number;
  _lua_touserdata(L: L, idx: number): number;
  _lua_objlen(L: L, idx: number): number;
  _lua_pushnil(L: L): void;
  _lua_pushnumber(L: L, n: number): void;
  _lua_pushboolean(L: L, b: number): void;
  _lua_pushlstring(L: L, s: number, len: number): void;
  _lua_pushcclosure(L: L, fn: number, n: number): void;
  _lua_pushlightuserdata(L: L, p: number): void;
  _lua_createtable(L: L, narr: number, nrec: number): void;
  _lua_gettable(L: L, idx: number): void;
  _lua_getfield(L: L, idx: number, k: number): void;
  _lua_rawget(L: L, idx: number): void;
  _lua_rawgeti(L: L, idx: number, n: number): void;
  _lua_settable(L: L, idx: number): void;
  _lua_setfield(L: L, idx: number, k: number): void;
  _lua_rawset(L: L, idx: number): void;
  _lua_rawseti(L: L, idx: number, n: number): void;
  _lua_next(L: L, idx: number): number;
  _lua_getmetatable(L: L, idx: number): number;
  _lua_setmetatable(L: L, idx: number): number;
  _lua_setfenv(L: L, idx: number): number;
  _lua_concat(L: L, n: number): void;
  _lua_gc(L: L, what: number, data: number): number;
}

/**
 * Loads the WASM module and returns the raw C API. The package's `_lua_*` wrappers run debug
 * assertions (building a message string) on every call, so the instance's exports are captured
 * while the package instantiates the module, and used directly.
 */
async function load(): Promise<Module> {
  let exports: WebAssembly.Exports | null = null;
  const wasm = WebAssembly as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const originals = { instantiate: wasm.instantiate, instantiateStreaming: wasm.instantiateStreaming };
  for (const name of ["instantiate", "instantiateStreaming"] as const) {
    const original = originals[name];
    wasm[name] = async (...args: unknown[]) => {
      const result = (await original.apply(WebAssembly, args)) as { instance?: WebAssembly.Instance } & WebAssembly.Instance;
      exports = (result.instance ?? result).exports;
      return result;
    };
  }
  let module: Record<string, unknown>;
  try {
    module = (await LuaApi.initialize()).module as unknown as Record<string, unknown>;
  } finally {
    Object.assign(wasm, originals);
  }
  const raw: Record<string, unknown> = Object.create(module);
  for (const [name, fn] of Object.entries(exports ?? {})) {
    if (typeof fn === "function" && (name.startsWith("lua") || name === "malloc" || name === "free")) raw[`_${name}`] = fn;
  }
  return raw as unknown as Module;
}

const m = await load();

export const REGISTRYINDEX = -10000;
export const GLOBALSINDEX = -10002;
export const MULTRET = -1;
export const upvalueIndex = (i: number): number => GLOBALSINDEX - i;

export const enum Status { Ok = 0, Yield = 1, ErrRun = 2, ErrSyntax = 3, ErrMem = 4, ErrErr = 5 }
export const enum Type { None = -1, Nil = 0, Boolean = 1, LightUserdata = 2, Number = 3, String = 4, Table = 5, Function = 6, Userdata = 7, Thread = 8 }
export const enum HookMask { Call = 1, Return = 2, Line = 4, Count = 8 }
export const enum Gc { Collect = 2, Count = 3, CountBytes = 4, Step = 5 }

export { m as lua };

// ---- byte strings across the boundary -------------------------------------------------------

/** Node's Buffer has fast latin1 copies that its typings do not declare. */
interface HeapBuffer extends Buffer {
  latin1Write(s: string, offset: number, length: number): number;
  latin1Slice(start: number, end: number): string;
}

let heap = Buffer.from(m.HEAPU8.buffer) as HeapBuffer;

/** A Buffer view of WASM memory (re-created after the memory grew, which detaches the old one). */
function memory(): HeapBuffer {
  if (heap.length === 0) heap = Buffer.from(m.HEAPU8.buffer) as HeapBuffer;
  return heap;
}

let scratch = m._malloc(4096);
let scratchSize = 4096;
const lenSlot = m._malloc(8);

/** Copies a byte string into WASM scratch memory (valid until the next call) and returns its address. */
function toScratch(s: string): number {
  const n = s.length;
  if (n + 1 > scratchSize) {
    m._free(scratch);
    scratchSize = Math.max(n + 1, scratchSize * 2);
    scratch = m._malloc(scratchSize);
  }
  const mem = memory();
  if (n < 32) for (let i = 0; i < n; i++) mem[scratch + i] = s.charCodeAt(i);
  else mem.latin1Write(s, scratch, n);
  mem[scratch + n] = 0;
  return scratch;
}

/** Reads `len` bytes at `ptr` as a byte string. */
export function readBytes(ptr: number, len: number): string {
  const mem = memory();
  if (len < 24) {
    let s = "";
    for (let i = 0; i < len; i++) s += String.fromCharCode(mem[ptr + i]);
    return s;
  }
  return mem.latin1Slice(ptr, ptr + len);
}

/** Reads a NUL-terminated C string. */
export function readCString(ptr: number): string {
  if (ptr === 0) return "";
  const mem = memory();
  let end = ptr;
  while (mem[end] !== 0) end++;
  return mem.latin1Slice(ptr, end);
}

/** Interned C strings for field names and chunk names (allocated once, never freed). */
const cstrings = new Map<string, number>();
export function cstr(s: string): number {
  let p = cstrings.get(s);
  if (p === undefined) {
    p = m._malloc(s.length + 1);
    const mem = memory();
    mem.latin1Write(s, p, s.length);
    mem[p + s.length] = 0;
    cstrings.set(s, p);
  }
  return p;
}

export function pushString(L: L, s: string): void {
  m._lua_pushlstring(L, toScratch(s), s.length);
}

/** The string at idx (numbers are converted in place, as lua_tolstring does); null for other types. */
export function toString(L: L, idx: number): string | null {
  const p = m._lua_tolstring(L, idx, lenSlot);
  if (p === 0) return null;
  return readBytes(p, m.HEAP32[lenSlot >> 2]);
}

/** luaL_checklstring: the string argument, or a "string expected" error. */
export function checkString(L: L, idx: number): string {
  const p = m._luaL_checklstring(L, idx, lenSlot);
  return readBytes(p, m.HEAP32[lenSlot >> 2]);
}

/** luaL_argerror: raises "bad argument #idx to 'fn' (message)". */
export function argError(L: L, idx: number, message: string): never {
  pushString(L, message);
  m._luaL_argerror(L, idx, m._lua_tolstring(L, -1, 0));
  throw new Error("unreachable");
}

/** Compiles a chunk; leaves the function (or the error message) on the stack. */
export function loadBuffer(L: L, code: string, chunkName: string): number {
  return m._luaL_loadbuffer(L, toScratch(code), code.length, cstr(chunkName));
}

export function getField(L: L, idx: number, key: string): void {
  m._lua_getfield(L, idx, cstr(key));
}

export function setField(L: L, idx: number, key: string): void {
  m._lua_setfield(L, idx, cstr(key));
}

/** t[key] = value without metamethods; t at idx (absolute or negative before the push), value on top. */
export function rawSetField(L: L, idx: number, key: string): void {
  pushString(L, key);
  m._lua_insert(L, -2);
  m._lua_rawset(L, idx < 0 ? idx - 1 : idx);
}

/** Pushes t[key] without metamethods (t at idx, absolute or negative). */
export function rawGetField(L: L, idx: number, key: string): number {
  pushString(L, key);
  m._lua_rawget(L, idx < 0 ? idx - 1 : idx);
  return m._lua_type(L, -1);
}

// ---- C functions written in JS ----------------------------------------------------------------

/** Thrown by a JS C function to raise a Lua error with this value (a string, or a table builder). */
export class LuaRaise {
  constructor(
    /** A message string, or a function pushing the error value. */
    readonly value: string | ((L: L) => void),
    /** luaL_error position prefix ("user_script:1: ") taken from this call level; -1 for none. */
    readonly level = 1,
  ) {}
}

/**
 * Registers a JS function as a Lua C function and returns its pointer. The function gets the state
 * and returns the number of results it pushed, or throws LuaRaise. Lua errors raised by nested
 * API calls (longjmp, thrown as a number) pass through untouched; any other exception becomes a
 * Lua error, never unwinding WASM frames.
 */
export function cfunction(fn: (L: L) => number): number {
  return m.addFunction((L: L) => {
    let raise: LuaRaise;
    try {
      return fn(L);
    } catch (e) {
      if (typeof e === "number") throw e;
      raise = e instanceof LuaRaise ? e : new LuaRaise(`internal error: ${(e as Error)?.message ?? String(e)}`);
    }
    return raiseError(L, raise);
  }, "ii");
}

function raiseError(L: L, raise: LuaRaise): number {
  const value = raise.value;
  if (typeof value === "string") {
    if (raise.level >= 0) {
      m._luaL_where(L, raise.level);
      pushString(L, value);
      m._lua_concat(L, 2);
    } else pushString(L, value);
  } else value(L);
  return m._lua_error(L);
}

/** Registers a hook function (lua_Hook: state, lua_Debug*). */
export function hookFunction(fn: (L: L) => void): number {
  return m.addFunction((L: L, _ar: number) => {
    let raise: LuaRaise;
    try {
      fn(L);
      return;
    } catch (e) {
      if (typeof e === "number") throw e;
      raise = e instanceof LuaRaise ? e : new LuaRaise(`internal error: ${(e as Error)?.message ?? String(e)}`);
    }
    raiseError(L, raise);
  }, "vii");
}

export function pushCFunction(L: L, fn: number): void {
  m._lua_pushcclosure(L, fn, 0);
}

// ---- debug info ---------------------------------------------------------------------------------

// struct lua_Debug on wasm32: event, name, namewhat, what, source, currentline, nups,
// linedefined, lastlinedefined, short_src[60], i_ci.
const debugInfo = m._malloc(100);
const AR_WHAT = 12;
const AR_SOURCE = 16;
const AR_CURRENTLINE = 20;

export interface FrameInfo {
  what: string;
  source: string;
  currentline: number;
}

/** lua_getstack + lua_getinfo("Sl") for a level of a thread's stack; null past the bottom. */
export function frameInfo(L: L, level: number): FrameInfo | null {
  if (m._lua_getstack(L, level, debugInfo) === 0) return null;
  m._lua_getinfo(L, cstr("Sl"), debugInfo);
  const h32 = m.HEAP32;
  return {
    what: readCString(h32[(debugInfo + AR_WHAT) >> 2]),
    source: readCString(h32[(debugInfo + AR_SOURCE) >> 2]),
    currentline: h32[(debugInfo + AR_CURRENTLINE) >> 2],
  };
}

// lua_State on wasm32 (Lua 5.1.5): nCcalls and baseCcalls are unsigned shorts at these offsets.
// lua_yield raises "attempt to yield across metamethod/C-call boundary" unless they are equal.
const NCCALLS = 52;
const BASECCALLS = 54;

/** Whether a hook running on thread L may yield it (no C call or metamethod between). */
export function canYield(L: L): boolean {
  const mem = memory();
  return mem.readUInt16LE(L + NCCALLS) === mem.readUInt16LE(L + BASECCALLS);
}
