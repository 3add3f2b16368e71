// LuaEngine: one sandboxed Lua state (Redis keeps one for EVAL, reset by SCRIPT FLUSH, and one
// for functions). It owns the sandbox (read-only globals and library tables, the nonexistent-global
// error, no os/io/print/loadfile/dofile/require), compiles scripts, and runs them as coroutines
// so that a script past busy-reply-threshold can be paused from the instruction-count hook and
// resumed on later event-loop turns while other clients get BUSY.

import { performance } from "node:perf_hooks";
import { countedErrors } from "../commands/dispatch.js";
import { NIL, type Reply } from "../protocol/reply.js";
import type { Server } from "../server/server.js";
import { installBit } from "./libs/bit.js";
import { installCjson } from "./libs/cjson.js";
import { installCmsgpack } from "./libs/cmsgpack.js";
import { installStruct } from "./libs/struct.js";
import { errorInfo, popReply, pushErrorTable } from "./convert.js";
import {
  canYield,
  cfunction,
  frameInfo,
  getField,
  GLOBALSINDEX,
  HookMask,
  hookFunction,
  loadBuffer,
  lua,
  LuaRaise,
  MULTRET,
  pushCFunction,
  pushString,
  rawGetField,
  rawSetField,
  REGISTRYINDEX,
  setField,
  Status,
  toString,
  Type,
  upvalueIndex,
  type L,
} from "./lua.js";
import { installRandom, pushLogAndVersion, pushRedisTable } from "./redis-api.js";
import { registerFunction } from "./register-function.js";
import { current, type ScriptRun } from "./run.js";

/** Instructions between two runs of the hook (as Redis's luaMaskCountHook). */
const HOOK_COUNT = 100000;
/** A busy script runs in slices of about this long between event-loop turns. */
const SLICE_MS = 10;
/** FUNCTION LOAD may run its top-level code this long. */
const LOAD_TIMEOUT_MS = 500;
/** Chunk name of the engine's own Lua code (skipped when reporting where an error happened). */
const INTERNAL_CHUNK = "=[restash]";

/** What the engine asks of the server around a script that runs long. */
export interface BusyHost {
  /** busy-reply-threshold in ms (0: never). */
  busyThreshold(): number;
  /** The running script passed the threshold: other clients get BUSY from now on. */
  timedOut(run: ScriptRun): void;
}

// ---- yielding from the hook -------------------------------------------------------------------

/** Threads of the running script the hook may yield: its root coroutine and pcall coroutines. */
const yieldable = new Set<L>();
/** Set when the hook yielded; the pcall wrapper passes the yield up to the root. */
let hookYielded = false;
/** Whether the lua_State layout check passed (otherwise busy scripts run to completion). */
const yieldSupported = checkYieldDetection();

/**
 * canYield() reads lua_State fields at fixed offsets: check once that it tells a plain Lua frame
 * (yieldable) from one inside pcall (not yieldable), on a scratch state.
 */
function checkYieldDetection(): boolean {
  const seen = { outside: false, inside: false };
  const probe = hookFunction((L) => {
    if (canYield(L)) seen.outside = true;
    else seen.inside = true;
  });
  const L = lua._luaL_newstate();
  try {
    lua._luaopen_base(L);
    lua._lua_settop(L, 0);
    const co = lua._lua_newthread(L);
    lua._lua_sethook(co, probe, HookMask.Count, 1);
    if (loadBuffer(co, "local n = 0 for i = 1, 50 do n = n + i end pcall(function() for i = 1, 50 do n = n + i end end)", "=probe") !== 0) return false;
    return lua._lua_resume(co, 0) === Status.Ok && seen.outside && seen.inside;
  } finally {
    lua._lua_close(L);
  }
}

const hook = hookFunction((L) => {
  const load = current.load;
  if (load !== null) {
    if (performance.now() - load.started > LOAD_TIMEOUT_MS) {
      lua._lua_sethook(L, hook, HookMask.Line, 0);
      throw new LuaRaise((L) => pushErrorTable(L, "ERR FUNCTION LOAD timeout"));
    }
    return;
  }
  const run = current.run;
  if (run === null) return;
  if (run.killed) {
    // Every line raises again, so pcall cannot swallow the kill.
    lua._lua_sethook(L, hook, HookMask.Line | HookMask.Count, HOOK_COUNT);
    throw new LuaRaise((L) => pushErrorTable(L, "ERR Script killed by user with SCRIPT KILL..."));
  }
  const now = performance.now();
  if (!run.timedOut) {
    const threshold = engineHost?.busyThreshold() ?? 0;
    if (threshold <= 0 || now - run.started < threshold) return;
    run.timedOut = true;
    engineHost?.timedOut(run);
  }
  if (run.pausable && now - run.sliceStarted >= SLICE_MS && yieldSupported && yieldable.has(L) && canYield(L)) {
    hookYielded = true;
    lua._lua_yield(L, 0);
  }
});

/** The host of the engine currently entered (set with current.run). */
let engineHost: BusyHost | null = null;

// ---- sandbox C functions ------------------------------------------------------------------------

const nonexistentGlobal = cfunction((L) => {
  if (lua._lua_gettop(L) !== 2) throw new LuaRaise("Wrong number of arguments to luaProtectedTableError");
  const t = lua._lua_type(L, 2);
  if (t !== Type.String && t !== Type.Number) throw new LuaRaise("Second argument to luaProtectedTableError must be a string or number");
  throw new LuaRaise(`Script attempted to access nonexistent global variable '${toString(L, 2)}'`);
});

const READONLY = "Attempt to modify a readonly table";
const readonlyTable = cfunction(() => {
  throw new LuaRaise(READONLY);
});

/** Whether argument 1 is a read-only view (upvalue 1: the view -> backing table map). Leaves the lookup on top. */
function lookupView(L: L): boolean {
  lua._lua_pushvalue(L, 1);
  lua._lua_rawget(L, upvalueIndex(1));
  return lua._lua_type(L, -1) !== Type.Nil;
}

/** Calls upvalue 2 (the original function) with the current arguments, returning all results. */
function callOriginal(L: L): number {
  lua._lua_pushvalue(L, upvalueIndex(2));
  lua._lua_insert(L, 1);
  lua._lua_call(L, lua._lua_gettop(L) - 1, MULTRET);
  return lua._lua_gettop(L);
}

/** setmetatable / rawset: refused on read-only tables. */
const guardWrite = cfunction((L) => {
  if (lua._lua_gettop(L) > 0) {
    if (lookupView(L)) throw new LuaRaise(READONLY, -1);
    lua._lua_settop(L, -2);
  }
  return callOriginal(L);
});

/** rawget / next: a read-only view reads its backing table. */
const readThrough = cfunction((L) => {
  if (lua._lua_gettop(L) > 0) {
    if (lookupView(L)) lua._lua_replace(L, 1);
    else lua._lua_settop(L, -2);
  }
  return callOriginal(L);
});

/** pairs(t): the guarded next (upvalue 1), t, nil. */
const pairs = cfunction((L) => {
  lua._luaL_checktype(L, 1, Type.Table);
  lua._lua_pushvalue(L, upvalueIndex(1));
  lua._lua_pushvalue(L, 1);
  lua._lua_pushnil(L);
  return 3;
});

/** getmetatable: a read-only view shows the metatable it stands for (upvalue 1: view -> shown or false). */
const getmetatableGuard = cfunction((L) => {
  if (lua._lua_gettop(L) > 0) {
    if (lookupView(L)) {
      if (lua._lua_type(L, -1) === Type.Boolean) lua._lua_pushnil(L);
      return 1;
    }
    lua._lua_settop(L, -2);
  }
  return callOriginal(L);
});

// ---- pcall that lets busy scripts pause inside it -----------------------------------------------

const isLuaFunction = cfunction((L) => {
  lua._lua_pushboolean(L, lua._lua_type(L, 1) === Type.Function && lua._lua_iscfunction(L, 1) === 0 ? 1 : 0);
  return 1;
});

/** enter(co): co may be paused by the hook if the thread calling pcall can pass the pause up. */
const enterCoroutine = cfunction((L) => {
  if (yieldable.has(L) && canYield(L)) yieldable.add(lua._lua_tothread(L, 1));
  return 0;
});

const leaveCoroutine = cfunction((L) => {
  yieldable.delete(lua._lua_tothread(L, 1));
  return 0;
});

const wasHookYield = cfunction((L) => {
  lua._lua_pushboolean(L, hookYielded ? 1 : 0);
  return 1;
});

/** Redis's pcall for C functions: an error table is returned as its err string. */
const cPcall = cfunction((L) => {
  const argc = lua._lua_gettop(L);
  if (argc === 0) throw new LuaRaise("bad argument #1 to 'pcall' (value expected)");
  lua._lua_pushboolean(L, 1);
  lua._lua_insert(L, 1);
  if (lua._lua_pcall(L, argc - 1, MULTRET, 0) !== 0) {
    lua._lua_remove(L, 1);
    if (lua._lua_type(L, -1) === Type.Table) {
      getField(L, -1, "err");
      if (lua._lua_isstring(L, -1) !== 0) lua._lua_replace(L, -2);
      else lua._lua_settop(L, -2);
    }
    lua._lua_pushboolean(L, 0);
    lua._lua_insert(L, 1);
  }
  return lua._lua_gettop(L);
});

/**
 * Lua-level replacements: pcall, and loadstring/load that never load binary chunks (Redis's Lua
 * always parses text, so a chunk starting with ESC fails to compile, with the same message as
 * here). pcall runs a Lua function in a coroutine so that a pause requested by the hook inside it
 * can be passed up to the script's root coroutine (a C pcall frame would forbid it); errors come
 * back as Redis returns them: an error table becomes its err string.
 */
const BOOTSTRAP_SOURCE = `
local is_lua, enter, leave, hook_yielded, cpcall = ...
local create, resume, status, yield, type = coroutine.create, coroutine.resume, coroutine.status, coroutine.yield, type
local byte, raw_loadstring, raw_load = string.byte, loadstring, load
local finish
finish = function(co, ok, ...)
  if status(co) == "suspended" then
    if hook_yielded() then
      yield()
      return finish(co, resume(co))
    end
    leave(co)
    return false, "attempt to yield across metamethod/C-call boundary"
  end
  leave(co)
  if ok then return true, ... end
  local e = ...
  if type(e) == "table" then
    local m = e.err
    if type(m) == "string" or type(m) == "number" then e = m end
  end
  return false, e
end
local pcall = function(f, ...)
  if not is_lua(f) then return cpcall(f, ...) end
  local co = create(f)
  enter(co)
  return finish(co, resume(co, ...))
end
local loadstring = function(s, name)
  if type(s) == "string" and byte(s, 1) == 27 then return raw_loadstring(" " .. s, name or s) end
  return raw_loadstring(s, name)
end
local load = function(reader, name)
  local first = true
  return raw_load(function()
    local piece = reader()
    if first then
      first = false
      if type(piece) == "string" and byte(piece, 1) == 27 then piece = " " .. piece end
    end
    return piece
  end, name)
end
return pcall, loadstring, load
`;

// ---- the engine -----------------------------------------------------------------------------------

export type EngineKind = "eval" | "function";

/** Library tables scripts see read-only. */
const LIBRARIES = ["string", "math", "table", "coroutine", "cjson", "cmsgpack", "bit", "struct", "redis"];

export class LuaEngine {
  readonly L: L;
  /** Registry refs: the backing globals table, the globals view's metatable, FUNCTION LOAD's globals. */
  private readonly globalsRef: number;
  private readonly envMetaRef: number;
  private readonly loadGlobalsRef: number;
  /** The coroutine scripts run in, reused after each successful run. */
  private thread: L = 0;
  private threadRef = 0;

  constructor(
    readonly server: Server,
    readonly kind: EngineKind,
    private readonly host: BusyHost,
  ) {
    const L = (this.L = lua._luaL_newstate());
    for (const open of [lua._luaopen_base, lua._luaopen_table, lua._luaopen_string, lua._luaopen_math]) {
      open(L);
      lua._lua_settop(L, 0);
    }
    // Weak-keyed maps of the read-only views: view -> backing table, view -> shown metatable.
    const views = { ro: newWeakTable(L), shown: newWeakTable(L) };
    this.installGlobals(views.ro, views.shown);
    // The real globals back everything scripts read; a missing name raises the nonexistent-global error.
    lua._lua_pushvalue(L, GLOBALSINDEX);
    const globals = lua._lua_gettop(L);
    setErrorMetatable(L);
    for (const name of LIBRARIES) {
      rawGetField(L, globals, name);
      this.makeView(views, lua._lua_gettop(L), 0);
      rawSetField(L, globals, name);
      lua._lua_settop(L, globals);
    }
    // Scripts see an empty read-only view of the globals; getmetatable(_G) shows a read-only
    // copy of the protective metatable.
    lua._lua_getmetatable(L, globals);
    this.makeView(views, lua._lua_gettop(L), 0);
    this.makeView(views, globals, lua._lua_gettop(L));
    const env = lua._lua_gettop(L);
    lua._lua_getmetatable(L, env);
    this.envMetaRef = lua._luaL_ref(L, REGISTRYINDEX);
    lua._lua_pushvalue(L, env);
    rawSetField(L, globals, "_G");
    // Everything compiled from now on (and every coroutine) has the view as its globals.
    lua._lua_pushvalue(L, env);
    lua._lua_replace(L, GLOBALSINDEX);
    lua._lua_pushvalue(L, globals);
    this.globalsRef = lua._luaL_ref(L, REGISTRYINDEX);
    this.loadGlobalsRef = kind === "function" ? this.createLoadGlobals(views) : 0;
    lua._lua_settop(L, 0);
  }

  /** Fills the real globals: libraries, the redis table, the guarded builtins, Redis's pcall. */
  private installGlobals(ro: number, shown: number): void {
    const L = this.L;
    const base = lua._lua_gettop(L);
    for (const name of ["print", "dofile", "loadfile", "module", "require", "getfenv", "setfenv", "newproxy"]) {
      lua._lua_pushnil(L);
      setField(L, GLOBALSINDEX, name);
    }
    getField(L, GLOBALSINDEX, "math");
    installRandom(L);
    lua._lua_settop(L, -2);
    for (const install of [installCjson, installCmsgpack, installBit, installStruct]) {
      install(L);
      lua._lua_settop(L, base);
    }
    pushRedisTable(L, this.kind === "eval");
    setField(L, GLOBALSINDEX, "redis");
    wrapGlobal(L, "setmetatable", guardWrite, ro);
    wrapGlobal(L, "rawset", guardWrite, ro);
    for (const name of ["rawget", "next"]) wrapGlobal(L, name, readThrough, ro);
    // pairs() returns the guarded next and the table itself, never a view's backing table.
    getField(L, GLOBALSINDEX, "next");
    lua._lua_pushcclosure(L, pairs, 1);
    setField(L, GLOBALSINDEX, "pairs");
    wrapGlobal(L, "getmetatable", getmetatableGuard, shown);
    // Redis's pcall and text-only loaders, compiled while the real libraries are still at hand.
    if (loadBuffer(L, BOOTSTRAP_SOURCE, INTERNAL_CHUNK) !== 0) throw new Error(toString(L, -1) ?? "bootstrap");
    for (const fn of [isLuaFunction, enterCoroutine, leaveCoroutine, wasHookYield, cPcall]) pushCFunction(L, fn);
    lua._lua_call(L, 5, 3);
    for (const name of ["load", "loadstring", "pcall"]) setField(L, GLOBALSINDEX, name);
  }

  /**
   * Pushes a read-only view of the table at `backing`: an empty table reading through to it,
   * refusing writes. `shownIdx` is the metatable getmetatable() reports (0: none).
   */
  private makeView(views: { ro: number; shown: number }, backing: number, shownIdx: number): void {
    const L = this.L;
    lua._lua_createtable(L, 0, 0);
    lua._lua_createtable(L, 0, 3);
    lua._lua_pushvalue(L, backing);
    rawSetField(L, -2, "__index");
    pushCFunction(L, readonlyTable);
    rawSetField(L, -2, "__newindex");
    lua._lua_pushboolean(L, 0);
    rawSetField(L, -2, "__metatable");
    lua._lua_setmetatable(L, -2);
    lua._lua_pushvalue(L, -1);
    lua._lua_pushvalue(L, backing);
    lua._lua_rawset(L, views.ro);
    lua._lua_pushvalue(L, -1);
    if (shownIdx) lua._lua_pushvalue(L, shownIdx);
    else lua._lua_pushboolean(L, 0);
    lua._lua_rawset(L, views.shown);
  }

  /** FUNCTION LOAD's globals: only a `redis` table with register_function, log and the version. */
  private createLoadGlobals(views: { ro: number; shown: number }): number {
    const L = this.L;
    lua._lua_createtable(L, 0, 1);
    const globals = lua._lua_gettop(L);
    lua._lua_createtable(L, 0, 8);
    pushCFunction(L, registerFunction);
    rawSetField(L, -2, "register_function");
    pushLogAndVersion(L);
    setErrorMetatable(L);
    this.makeView(views, lua._lua_gettop(L), 0);
    rawSetField(L, globals, "redis");
    lua._lua_settop(L, globals);
    setErrorMetatable(L);
    return lua._luaL_ref(L, REGISTRYINDEX);
  }

  /** Compiles a chunk; returns its registry ref, or the compiler's error message. */
  compile(code: string, chunkName: string): number | string {
    const L = this.L;
    // Never a binary chunk: with a leading space it fails as Redis's text-only parser fails.
    if (code.charCodeAt(0) === 27) code = " " + code;
    if (loadBuffer(L, code, chunkName) !== 0) {
      const message = toString(L, -1) ?? "unknown error";
      lua._lua_settop(L, 0);
      return message;
    }
    return lua._luaL_ref(L, REGISTRYINDEX);
  }

  release(ref: number): void {
    lua._luaL_unref(this.L, REGISTRYINDEX, ref);
  }

  /** Bytes used by the Lua heap (INFO used_memory_lua). */
  memory(): number {
    return lua._lua_gc(this.L, 3, 0) * 1024 + lua._lua_gc(this.L, 4, 0);
  }

  close(): void {
    lua._lua_close(this.L);
  }

  /**
   * Runs a FUNCTION LOAD chunk (ref) with the load globals, under the load timeout. Returns null,
   * or the error text ("ERR ...") if it raised.
   */
  runLoad(ref: number): string | null {
    const L = this.L;
    this.setGlobalsIndex(this.loadGlobalsRef);
    current.server = this.server;
    lua._lua_sethook(L, hook, HookMask.Count, HOOK_COUNT);
    lua._lua_rawgeti(L, REGISTRYINDEX, ref);
    const status = lua._lua_pcall(L, 0, 0, 0);
    lua._lua_sethook(L, 0, 0, 0);
    this.setGlobalsIndex(this.globalsRef);
    current.server = null;
    const error = status === 0 ? null : errorInfo(L).message;
    lua._lua_settop(L, 0);
    return error;
  }

  /** Points the globals view's __index at another backing table (FUNCTION LOAD swaps them). */
  private setGlobalsIndex(ref: number): void {
    const L = this.L;
    lua._lua_rawgeti(L, REGISTRYINDEX, this.envMetaRef);
    lua._lua_rawgeti(L, REGISTRYINDEX, ref);
    rawSetField(L, -2, "__index");
    lua._lua_settop(L, -2);
  }

  /**
   * Runs a compiled script or function. EVAL scripts get KEYS and ARGV as globals, functions as
   * arguments. Returns the reply, or a Promise of it when the script passed busy-reply-threshold
   * and continues on later event-loop turns.
   */
  run(run: ScriptRun, ref: number, keys: string[], args: string[]): Reply | Promise<Reply> {
    const co = this.coroutine();
    lua._lua_rawgeti(co, REGISTRYINDEX, ref);
    if (this.kind === "eval") {
      lua._lua_rawgeti(co, REGISTRYINDEX, this.globalsRef);
      pushStrings(co, keys);
      setField(co, -2, "KEYS");
      pushStrings(co, args);
      setField(co, -2, "ARGV");
      lua._lua_settop(co, -2);
    } else {
      pushStrings(co, keys);
      pushStrings(co, args);
    }
    yieldable.add(co);
    const status = this.resume(run, co, this.kind === "eval" ? 0 : 2);
    if (status === Status.Yield && hookYielded) {
      hookYielded = false;
      return new Promise((resolve) => setImmediate(() => this.continueBusy(run, co, resolve)));
    }
    return this.finish(run, co, status);
  }

  private resume(run: ScriptRun, co: L, nargs: number): number {
    current.run = run;
    current.server = this.server;
    engineHost = this.host;
    try {
      return lua._lua_resume(co, nargs);
    } finally {
      current.run = null;
      current.server = null;
      engineHost = null;
    }
  }

  /** Runs the next slice of a busy script. */
  private continueBusy(run: ScriptRun, co: L, resolve: (reply: Reply) => void): void {
    const server = this.server;
    const caller = server.currentClient;
    server.currentClient = run.session;
    run.sliceStarted = performance.now();
    const status = this.resume(run, co, 0);
    server.currentClient = caller;
    if (status === Status.Yield && hookYielded) {
      hookYielded = false;
      setImmediate(() => this.continueBusy(run, co, resolve));
      return;
    }
    resolve(this.finish(run, co, status));
  }

  /** SCRIPT KILL / FUNCTION KILL: the paused script raises at its next line, wherever it is. */
  kill(run: ScriptRun): void {
    run.killed = true;
    for (const thread of yieldable) lua._lua_sethook(thread, hook, HookMask.Line | HookMask.Count, HOOK_COUNT);
  }

  /** The reply of a finished run; the coroutine is reused after success, dropped after an error. */
  private finish(run: ScriptRun, co: L, status: number): Reply {
    yieldable.clear();
    if (status === Status.Ok) {
      let reply: Reply = NIL;
      try {
        if (lua._lua_gettop(co) > 0) {
          lua._lua_settop(co, 1);
          reply = popReply(co, run.resp);
        }
      } finally {
        lua._lua_settop(co, 0);
      }
      if (run.killed) lua._lua_sethook(co, hook, HookMask.Count, HOOK_COUNT);
      return reply;
    }
    const reply = status === Status.Yield ? failure(run, co, "ERR attempt to yield across metamethod/C-call boundary", false) : failureFromStack(run, co);
    this.dropCoroutine();
    return reply;
  }

  /** The reusable coroutine (created with the count hook). */
  private coroutine(): L {
    if (this.thread === 0) {
      this.thread = lua._lua_newthread(this.L);
      this.threadRef = lua._luaL_ref(this.L, REGISTRYINDEX);
      lua._lua_sethook(this.thread, hook, HookMask.Count, HOOK_COUNT);
    }
    return this.thread;
  }

  private dropCoroutine(): void {
    lua._luaL_unref(this.L, REGISTRYINDEX, this.threadRef);
    this.thread = 0;
    this.threadRef = 0;
  }
}

/** An error reply for a script that raised: "<err> script: <name>, on <source>:<line>." */
function failureFromStack(run: ScriptRun, co: L): Reply {
  const info = errorInfo(co);
  return failure(run, co, info.message, info.counted);
}

function failure(run: ScriptRun, co: L, message: string, counted: boolean): Reply {
  const where = errorLocation(co);
  const text = where ? `${message} script: ${run.name}, on ${where.source}:${where.currentline}.` : message;
  return scriptFailure(text, counted);
}

/** Where a dead coroutine raised: the erroring function, or its Lua caller when it is a C function. */
function errorLocation(co: L): { source: string; currentline: number } | null {
  let level = 0;
  let info = frameInfo(co, level);
  if (info && info.what === "C") info = frameInfo(co, ++level);
  while (info && info.source === INTERNAL_CHUNK) info = frameInfo(co, ++level);
  return info;
}

function scriptFailure(text: string, counted: boolean): Reply {
  const reply: Reply = { t: "error", v: text };
  if (counted) countedErrors.add(reply);
  return reply;
}

function pushStrings(L: L, items: string[]): void {
  lua._lua_createtable(L, items.length, 0);
  for (let i = 0; i < items.length; i++) {
    pushString(L, items[i]);
    lua._lua_rawseti(L, -2, i + 1);
  }
}

function newWeakTable(L: L): number {
  lua._lua_createtable(L, 0, 0);
  lua._lua_createtable(L, 0, 1);
  pushString(L, "k");
  rawSetField(L, -2, "__mode");
  lua._lua_setmetatable(L, -2);
  return lua._lua_gettop(L);
}

/** Replaces global `name` with a C closure (upvalues: map, original function). */
function wrapGlobal(L: L, name: string, fn: number, map: number): void {
  lua._lua_pushvalue(L, map);
  getField(L, GLOBALSINDEX, name);
  lua._lua_pushcclosure(L, fn, 2);
  setField(L, GLOBALSINDEX, name);
}

/** Gives the table on top a metatable whose __index raises the nonexistent-global error. */
function setErrorMetatable(L: L): void {
  lua._lua_createtable(L, 0, 1);
  pushCFunction(L, nonexistentGlobal);
  rawSetField(L, -2, "__index");
  lua._lua_setmetatable(L, -2);
}
