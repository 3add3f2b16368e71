// Scripting: the scripting state of one server — the EVAL engine and its script cache by SHA1,
// the functions engine and its libraries, the script running now — and the rules Redis applies
// around a run: shebang flags, read-only and *_RO commands, the script's own RESP version and
// database, atomic propagation of its writes, busy-reply-threshold (BUSY for other clients) and
// SCRIPT KILL / FUNCTION KILL.

import { performance } from "node:perf_hooks";
import { feedMonitors } from "../commands/dispatch.js";
import { parseInteger } from "../commands/args.js";
import { Errors, fail } from "../errors.js";
import type { Reply } from "../protocol/reply.js";
import type { Server } from "../server/server.js";
import type { Session } from "../server/session.js";
import { LuaEngine, type BusyHost } from "./engine.js";
import { FunctionRegistry, libraryMetadata, type Library, type LibraryFunction } from "./functions.js";
import { NAME_RULES, validName } from "./register-function.js";
import { current, flagBit, lacksGoodReplicas, NOREPLICAS, overMaxmemory, ScriptFlag, ScriptRun, sha1hex, type LibraryLoad } from "./run.js";

export const BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
export const BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
const NOSCRIPT = "NOSCRIPT No matching script. Please use EVAL.";

/** A script in the EVAL cache. */
interface CachedScript {
  readonly body: string;
  /** Registry ref of the compiled chunk. */
  readonly ref: number;
  readonly flags: number;
}

/** Parses the `#!lua flags=...` shebang of an EVAL script; returns its flags and length, or an error. */
function shebang(body: string): { flags: number; length: number } | string {
  if (!body.startsWith("#!")) return { flags: ScriptFlag.EVAL_COMPAT, length: 0 };
  const end = body.indexOf("\n");
  if (end < 0) return "Invalid script shebang";
  const parts = body.slice(0, end).split(/\s+/).filter(Boolean);
  if (parts.length === 0) return "Invalid engine in script shebang";
  if (parts[0] !== "#!lua") return `Unexpected engine in script shebang: ${parts[0]}`;
  let flags = 0;
  for (const part of parts.slice(1)) {
    if (!part.startsWith("flags=")) return `Unknown lua shebang option: ${part}`;
    for (const name of part.slice(6).split(",")) {
      if (name === "") continue;
      const bit = flagBit(name, false);
      if (bit === 0) return `Unexpected flag in script shebang: ${name}`;
      flags |= bit;
    }
  }
  return { flags, length: end };
}

export class Scripting implements BusyHost {
  private evalEngine: LuaEngine | null = null;
  private functionEngine: LuaEngine | null = null;
  readonly scripts = new Map<string, CachedScript>();
  readonly functions = new FunctionRegistry();
  /** The script or function running now; busy once it passed busy-reply-threshold. */
  running: ScriptRun | null = null;

  constructor(readonly server: Server) {}

  private get evalLua(): LuaEngine {
    return (this.evalEngine ??= new LuaEngine(this.server, "eval", this));
  }

  private get functionLua(): LuaEngine {
    return (this.functionEngine ??= new LuaEngine(this.server, "function", this));
  }

  // ---- EVAL scripts -----------------------------------------------------------------------------

  /** Compiles and caches a script (SCRIPT LOAD, EVAL); returns its SHA1. Errors as Redis words them. */
  load(body: string): string {
    const sha = sha1hex(body);
    if (this.scripts.has(sha)) return sha;
    const parsed = shebang(body);
    if (typeof parsed === "string") fail(`ERR ${parsed}`);
    const ref = this.evalLua.compile(body.slice(parsed.length), "@user_script");
    if (typeof ref === "string") fail(`ERR Error compiling script (new function): ${ref}`);
    this.scripts.set(sha, { body, ref, flags: parsed.flags });
    return sha;
  }

  /** SCRIPT FLUSH: a fresh Lua state and an empty cache. */
  flushScripts(): void {
    this.evalEngine?.close();
    this.evalEngine = null;
    this.scripts.clear();
  }

  /**
   * The flags a script declared, for the flags of one EVAL/EVALSHA/FCALL call (CLIENT PAUSE WRITE):
   * a cached script's, a new script's shebang, a function's. Null when unknown or undeclared.
   */
  declaredFlags(kind: "eval" | "evalsha" | "fcall", arg: string): number | null {
    let flags: number | null;
    if (kind === "fcall") flags = this.functions.get(arg)?.flags ?? null;
    else if (kind === "evalsha") flags = arg.length === 40 ? (this.scripts.get(arg.toLowerCase())?.flags ?? null) : null;
    else {
      const cached = this.scripts.get(sha1hex(arg));
      const parsed = cached ? cached.flags : shebang(arg);
      flags = typeof parsed === "number" ? parsed : typeof parsed === "string" ? null : parsed.flags;
    }
    return flags === null || flags & ScriptFlag.EVAL_COMPAT ? null : flags;
  }

  /** EVAL / EVALSHA / EVAL_RO / EVALSHA_RO. */
  eval(ctx: Session, argv: string[], isSha: boolean, readOnly: boolean): Reply | Promise<Reply> {
    const script = argv[1];
    if (isSha && script.length !== 40) fail(NOSCRIPT);
    const { keys, args } = splitKeys(argv, Errors.notInteger);
    let sha: string;
    if (isSha) {
      sha = this.scripts.has(script) ? script : script.toLowerCase();
      if (!this.scripts.has(sha)) fail(NOSCRIPT);
    } else sha = this.load(script);
    const cached = this.scripts.get(sha)!;
    const run = this.prepare(ctx, sha, true, argv, cached.flags, readOnly);
    return this.execute(run, this.evalLua, cached.ref, keys, args);
  }

  // ---- functions --------------------------------------------------------------------------------

  /** FUNCTION LOAD: compiles a library, runs its registrations, links it; returns its name. */
  loadLibrary(code: string, replace: boolean): string {
    const registry = this.functions;
    const library = this.buildLibrary(code, registry, replace);
    const old = registry.remove(library.name);
    const clash = registry.clash(library);
    if (clash !== null) {
      if (old) registry.add(old);
      this.releaseLibrary(library);
      fail(`ERR Function ${clash} already exists`);
    }
    registry.add(library);
    if (old) this.releaseLibrary(old);
    this.server.dirty++;
    return library.name;
  }

  /**
   * Compiles a library and collects the functions its code registers, without linking it.
   * A library of the same name in `registry` is an error unless `replace`.
   */
  private buildLibrary(code: string, registry: FunctionRegistry, replace: boolean): Library {
    const meta = libraryMetadata(code);
    if (typeof meta === "string") fail(`ERR ${meta}`);
    if (!validName(meta.name)) fail(`ERR ${NAME_RULES}`);
    if (meta.engine.toUpperCase() !== "LUA") fail(`ERR Engine '${meta.engine}' not found`);
    if (!replace && registry.libraries.has(meta.name)) fail(`ERR Library '${meta.name}' already exists`);
    const engine = this.functionLua;
    const chunk = engine.compile(meta.body, "@user_function");
    if (typeof chunk === "string") fail(`ERR Error compiling function: ${chunk}`);
    const load: LibraryLoad = { functions: new Map(), started: performance.now() };
    current.load = load;
    let error: string | null;
    try {
      error = engine.runLoad(chunk);
    } finally {
      current.load = null;
      engine.release(chunk);
    }
    const functions = new Map<string, LibraryFunction>();
    const library: Library = { name: meta.name, engine: "LUA", code, functions };
    for (const fn of load.functions.values()) functions.set(fn.name, { ...fn, library });
    if (error !== null || functions.size === 0) {
      this.releaseLibrary(library);
      fail(error !== null ? `ERR Error registering functions: ${error}` : "ERR No functions registered");
    }
    return library;
  }

  private releaseLibrary(library: Library): void {
    const engine = this.functionEngine;
    if (engine) for (const fn of library.functions.values()) engine.release(fn.handle);
  }

  deleteLibrary(name: string): void {
    const library = this.functions.remove(name);
    if (!library) fail("ERR Library not found");
    this.releaseLibrary(library);
    this.server.dirty++;
  }

  flushFunctions(): void {
    for (const library of this.functions.flush()) this.releaseLibrary(library);
    this.server.dirty++;
  }

  /**
   * FUNCTION RESTORE: the libraries of a dump, with policy FLUSH (replace everything), APPEND
   * (an existing library name is an error) or REPLACE. All or nothing.
   */
  restoreLibraries(codes: string[], policy: "flush" | "append" | "replace"): void {
    const restored = new FunctionRegistry();
    try {
      for (const code of codes) {
        const library = this.buildLibrary(code, restored, false);
        const clash = restored.clash(library);
        if (clash !== null) {
          this.releaseLibrary(library);
          fail(`ERR Function ${clash} already exists`);
        }
        restored.add(library);
      }
      if (policy !== "flush") this.join(restored, policy === "replace");
    } catch (e) {
      for (const library of restored.libraries.values()) this.releaseLibrary(library);
      throw e;
    }
    if (policy === "flush") {
      this.flushFunctions();
      for (const library of restored.libraries.values()) this.functions.add(library);
    }
    this.server.dirty++;
  }

  /** Links every library of `src`, replacing same-named ones if allowed; refuses function name clashes. */
  private join(src: FunctionRegistry, replace: boolean): void {
    const registry = this.functions;
    const replaced: Library[] = [];
    const undo = () => replaced.forEach((old) => registry.add(old));
    for (const name of src.libraries.keys()) {
      if (!registry.libraries.has(name)) continue;
      if (!replace) {
        undo();
        fail(`ERR Library ${name} already exists`);
      }
      replaced.push(registry.remove(name)!);
    }
    for (const library of src.libraries.values()) {
      const clash = registry.clash(library);
      if (clash !== null) {
        undo();
        fail(`ERR Function ${clash} already exists`);
      }
    }
    for (const library of src.libraries.values()) registry.add(library);
    for (const old of replaced) this.releaseLibrary(old);
  }

  /** FCALL / FCALL_RO. */
  fcall(ctx: Session, argv: string[], readOnly: boolean): Reply | Promise<Reply> {
    const fn = this.functions.get(argv[1]);
    if (!fn) fail("ERR Function not found");
    const { keys, args } = splitKeys(argv, "ERR Bad number of keys provided");
    const run = this.prepare(ctx, fn.name, false, argv, fn.flags, readOnly);
    return this.execute(run, this.functionLua, fn.handle, keys, args);
  }

  // ---- running --------------------------------------------------------------------------------

  /** Redis's scriptPrepareForRun checks, and the run context. */
  private prepare(ctx: Session, name: string, evalMode: boolean, argv: string[], flags: number, readOnlyCommand: boolean): ScriptRun {
    const server = this.server;
    const compat = (flags & ScriptFlag.EVAL_COMPAT) !== 0;
    const oom = overMaxmemory(server);
    if (!compat) {
      if (!(flags & ScriptFlag.NO_WRITES)) {
        if (readOnlyCommand) fail("ERR Can not execute a script with write flag using *_ro command.");
        if (lacksGoodReplicas(server)) fail(NOREPLICAS);
        if (oom && !(flags & ScriptFlag.ALLOW_OOM)) fail(Errors.oom);
      }
    }
    const readOnly = readOnlyCommand || (!compat && (flags & ScriptFlag.NO_WRITES) !== 0);
    const allowOom = !compat && (flags & ScriptFlag.ALLOW_OOM) !== 0;
    return new ScriptRun(ctx, name, evalMode, argv, readOnly, allowOom, oom);
  }

  /**
   * Runs a script for its caller's session: commands see the script's RESP version (2 unless
   * redis.setresp) and a database the script may SELECT without affecting the caller; blocking
   * commands do not block; writes propagate as one atomic unit.
   */
  private execute(run: ScriptRun, engine: LuaEngine, ref: number, keys: string[], args: string[]): Reply | Promise<Reply> {
    const session = run.session;
    const server = this.server;
    if (server.monitors.size > 0) feedMonitors(session, run.argv);
    const dbIndex = session.dbIndex;
    const resp = session.resp;
    session.inScript = true;
    session.resp = 2;
    this.running = run;
    const done = (reply: Reply): Reply => {
      session.inScript = false;
      session.dbIndex = dbIndex;
      session.resp = resp;
      this.running = null;
      if (run.timedOut) {
        server.busyReply = null;
        server.blocking.serveReady();
      }
      return reply;
    };
    let result: Reply | Promise<Reply>;
    try {
      result = server.atomically(() => engine.run(run, ref, keys, args));
    } catch (e) {
      done({ t: "null" });
      throw e;
    }
    return result instanceof Promise ? result.then(done) : done(result);
  }

  busyThreshold(): number {
    return this.server.config.num("busy-reply-threshold");
  }

  timedOut(run: ScriptRun): void {
    const server = this.server;
    server.log.warn(
      `Slow script detected: still in execution after ${Math.round(run.elapsedMs)} milliseconds. ` +
        `You can try killing the script using the ${run.evalMode ? "SCRIPT KILL" : "FUNCTION KILL"} command. Script name is: ${run.name}.`,
    );
    server.busyReply = run.evalMode ? BUSY_EVAL : BUSY_FUNCTION;
  }

  /** SCRIPT KILL (evalMode) / FUNCTION KILL. */
  kill(evalMode: boolean): void {
    const run = this.running;
    if (!run) fail("NOTBUSY No scripts in execution right now.");
    if (run.writeDirty) {
      fail(
        "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the " +
          "script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
      );
    }
    if (evalMode && !run.evalMode) fail(BUSY_FUNCTION);
    if (!evalMode && run.evalMode) fail(BUSY_EVAL);
    (run.evalMode ? this.evalEngine : this.functionEngine)?.kill(run);
  }

  /** The scripting fields of INFO memory in Redis's order; `human` formats bytes as INFO does. */
  memoryInfo(human: (bytes: number) => string): [string, string | number][] {
    let scriptsEval = 0;
    for (const [sha, s] of this.scripts) scriptsEval += sha.length + s.body.length + 64;
    let functionsBytes = 0;
    for (const library of this.functions.libraries.values()) functionsBytes += library.name.length + library.code.length + 64;
    const vmEval = this.evalEngine?.memory() ?? 0;
    const vmFunctions = this.functionEngine?.memory() ?? 0;
    return [
      ["used_memory_lua", vmEval],
      ["used_memory_vm_eval", vmEval],
      ["used_memory_lua_human", human(vmEval)],
      ["used_memory_scripts_eval", scriptsEval],
      ["number_of_cached_scripts", this.scripts.size],
      ["number_of_functions", this.functions.functions.size],
      ["number_of_libraries", this.functions.libraries.size],
      ["used_memory_vm_functions", vmFunctions],
      ["used_memory_vm_total", vmEval + vmFunctions],
      ["used_memory_vm_total_human", human(vmEval + vmFunctions)],
      ["used_memory_functions", functionsBytes],
      ["used_memory_scripts", scriptsEval + functionsBytes],
      ["used_memory_scripts_human", human(scriptsEval + functionsBytes)],
    ];
  }
}

/** KEYS and ARGV of EVAL/FCALL argv (name, script, numkeys, keys..., args...). */
function splitKeys(argv: string[], notInteger: string): { keys: string[]; args: string[] } {
  const numkeys = parseInteger(argv[2], notInteger);
  if (numkeys > argv.length - 3) fail("ERR Number of keys can't be greater than number of args");
  if (numkeys < 0) fail("ERR Number of keys can't be negative");
  return { keys: argv.slice(3, 3 + numkeys), args: argv.slice(3 + numkeys) };
}

/** Key positions of EVAL/FCALL-style commands (numkeys at argv[2]), for COMMAND GETKEYS and routing. */
export function numkeysKeys(argv: string[]): number[] {
  const n = Number(argv[2]);
  if (!Number.isInteger(n) || n <= 0 || n > argv.length - 3) return [];
  return Array.from({ length: n }, (_, i) => 3 + i);
}

const instances = new WeakMap<Server, Scripting>();

/** The scripting state of a server (created on first use). */
export function scriptingOf(server: Server): Scripting {
  let s = instances.get(server);
  if (!s) instances.set(server, (s = new Scripting(server)));
  return s;
}
