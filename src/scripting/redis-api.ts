// The `redis` table scripts see (redis.call/pcall, error_reply, status_reply, sha1hex, log,
// setresp, set_repl, replicate_commands, acl_check_cmd, REDIS_VERSION, ...) and Redis's
// deterministic math.random. redis.call runs commands through dispatch's execute() with the
// caller's session, after the checks Redis makes for scripts (arity, noscript, read-only).

import { execute } from "../commands/dispatch.js";
import { asciiLower } from "../commands/table.js";
import type { CommandSpec } from "../commands/types.js";
import { formatDouble } from "../protocol/number-format.js";
import type { Reply } from "../protocol/reply.js";
import type { Server } from "../server/server.js";
import { REDIS_VERSION } from "../version.js";
import { Errors } from "../errors.js";
import { pushErrorTable, pushReply, replyErrorText } from "./convert.js";
import { cfunction, cstr, lua, LuaRaise, pushCFunction, pushString, rawSetField, toString, Type, type L } from "./lua.js";
import { current, lacksGoodReplicas, NOREPLICAS, sha1hex } from "./run.js";

/** Raises an error table {err="ERR <text>"} (redis.call) or leaves it as the result (redis.pcall). */
function scriptError(L: L, text: string, raise: boolean, counted = false): number {
  pushErrorTable(L, text, counted);
  return raise ? lua._lua_error(L) : 1;
}

/** The spec that runs argv as Redis's lookupCommand finds it (container commands need a subcommand). */
function lookup(server: Server, argv: string[]): { spec: CommandSpec; parent?: CommandSpec } | null {
  const top = server.commands.get(argv[0]);
  if (!top) return null;
  if (!top.subcommands || argv.length === 1) return { spec: top };
  const name = asciiLower(argv[1]);
  const sub = top.subcommands.find((s) => s.name === name);
  return sub ? { spec: sub, parent: top } : null;
}

function arityOk(spec: CommandSpec, argc: number): boolean {
  return spec.arity > 0 ? argc === spec.arity : argc >= -spec.arity;
}

/** Reads redis.call's arguments (strings, or numbers formatted as "%.17g"); null if one is neither. */
function commandArgs(L: L): string[] | null {
  const argc = lua._lua_gettop(L);
  const argv: string[] = new Array(argc);
  for (let j = 0; j < argc; j++) {
    const t = lua._lua_type(L, j + 1);
    if (t === Type.Number) argv[j] = formatDouble(lua._lua_tonumber(L, j + 1));
    else if (t === Type.String) argv[j] = toString(L, j + 1)!;
    else return null;
  }
  return argv;
}

/** redis.call (raise = true) and redis.pcall. */
function redisCommand(L: L, raise: boolean): number {
  const run = current.run;
  if (run === null) return scriptError(L, "ERR redis.call/pcall can only be called inside a script invocation", true);
  if (lua._lua_gettop(L) === 0) return scriptError(L, "ERR Please specify at least one argument for this redis lib call", raise);
  const argv = commandArgs(L);
  lua._lua_settop(L, 0);
  if (argv === null) return scriptError(L, "ERR Lua redis lib command arguments must be strings or integers", raise);

  const session = run.session;
  const server = session.server;
  const found = lookup(server, argv);
  const statName = found ? (found.parent ? `${found.parent.name}|${found.spec.name}` : found.spec.name) : "";
  const reject = (text: string): number => {
    server.stats.error(text);
    if (found) server.stats.command(statName).rejected++;
    return scriptError(L, text, raise, true);
  };
  if (!found) return reject("ERR Unknown Redis command called from script");
  const { spec, parent } = found;
  if (!arityOk(spec, argv.length)) return reject("ERR Wrong number of args calling Redis command from script");
  const flags = spec.flags;
  if (flags.includes("noscript")) return reject("ERR This Redis command is not allowed from script");
  const writes = flags.includes("write");
  if (run.readOnly && (writes || flags.includes("may_replicate"))) {
    return reject("ERR Write commands are not allowed from read-only scripts.");
  }
  if (writes && !run.writeDirty && lacksGoodReplicas(server)) return reject(NOREPLICAS);
  if (run.oom && !run.allowOom && !run.writeDirty && flags.includes("denyoom")) return reject(Errors.oom);
  if (writes) run.writeDirty = true;

  const reply = execute(session, spec, argv, statName, parent ? 2 : 1) as Reply;
  if (reply.t === "error") return scriptError(L, replyErrorText(reply.v), raise, true);
  pushReply(L, reply, run.resp);
  return 1;
}

const call = cfunction((L) => redisCommand(L, true));
const pcall = cfunction((L) => redisCommand(L, false));

const sha1hexFunction = cfunction((L) => {
  if (lua._lua_gettop(L) !== 1) return scriptError(L, "ERR wrong number of arguments", true);
  pushString(L, sha1hex(toString(L, 1) ?? ""));
  return 1;
});

/** redis.error_reply / redis.status_reply: one string argument, else an error table is returned. */
function singleString(L: L): string | null {
  if (lua._lua_gettop(L) !== 1 || lua._lua_type(L, -1) !== Type.String) return null;
  return toString(L, -1);
}

const errorReply = cfunction((L) => {
  const text = singleString(L);
  if (text === null) return scriptError(L, "ERR wrong number or type of arguments", false);
  pushErrorTable(L, replyErrorText(text.startsWith("-") ? text.slice(1) : text));
  return 1;
});

const statusReply = cfunction((L) => {
  const text = singleString(L);
  if (text === null) return scriptError(L, "ERR wrong number or type of arguments", false);
  lua._lua_createtable(L, 0, 1);
  pushString(L, text);
  rawSetField(L, -2, "ok");
  return 1;
});

/** Redis log levels as redis.log numbers them (LL_DEBUG .. LL_WARNING). */
const LOG_LEVELS = ["debug", "verbose", "notice", "warning"];

const log = cfunction((L) => {
  const argc = lua._lua_gettop(L);
  if (argc < 2) return scriptError(L, "ERR redis.log() requires two arguments or more.", true);
  if (lua._lua_isnumber(L, 1) === 0) return scriptError(L, "ERR First argument must be a number (log level).", true);
  const level = Math.trunc(lua._lua_tonumber(L, 1));
  if (level < 0 || level > 3) return scriptError(L, "ERR Invalid debug level.", true);
  const server = current.server;
  if (!server || level < LOG_LEVELS.indexOf(server.config.get("loglevel"))) return 0;
  const parts: string[] = [];
  for (let j = 2; j <= argc; j++) {
    const t = lua._lua_type(L, j);
    if (t === Type.String || t === Type.Number) parts.push(toString(L, j)!);
  }
  const text = parts.join(" ");
  if (level === 3) server.log.warn(text);
  else if (level === 2) server.log.info(text);
  else server.log.debug(text);
  return 0;
});

const setresp = cfunction((L) => {
  const run = current.run;
  if (run === null) return scriptError(L, "ERR redis.setresp can only be called inside a script invocation", true);
  if (lua._lua_gettop(L) !== 1) return scriptError(L, "ERR redis.setresp() requires one argument.", true);
  const resp = Math.trunc(lua._lua_tonumber(L, 1));
  if (resp !== 2 && resp !== 3) return scriptError(L, "ERR RESP version must be 2 or 3.", true);
  run.resp = resp;
  run.session.resp = resp;
  return 0;
});

/** REPL_* flags: PROPAGATE_AOF = 1, PROPAGATE_REPL = 2. */
const setRepl = cfunction((L) => {
  if (current.run === null) return scriptError(L, "ERR redis.set_repl can only be called inside a script invocation", true);
  if (lua._lua_gettop(L) !== 1) return scriptError(L, "ERR redis.set_repl() requires two arguments.", true);
  const flags = Math.trunc(lua._lua_tonumber(L, -1));
  if ((flags & ~3) !== 0) {
    return scriptError(L, "ERR Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or REPL_NONE.", true);
  }
  return 0;
});

const aclCheckCmd = cfunction((L) => {
  const run = current.run;
  if (run === null) return scriptError(L, "ERR redis.acl_check_cmd can only be called inside a script invocation", true);
  if (lua._lua_gettop(L) === 0) return scriptError(L, "ERR Please specify at least one argument for this redis lib call", true);
  const argv = commandArgs(L);
  if (argv === null) return scriptError(L, "ERR Lua redis lib command arguments must be strings or integers", true);
  if (!lookup(run.session.server, argv)) return scriptError(L, "ERR Invalid command passed to redis.acl_check_cmd()", true);
  lua._lua_pushboolean(L, 1);
  return 1;
});

const returnsTrue = cfunction((L) => {
  lua._lua_pushboolean(L, 1);
  return 1;
});
const returnsFalse = cfunction((L) => {
  lua._lua_pushboolean(L, 0);
  return 1;
});
const nothing = cfunction(() => 0);

function setFunction(L: L, name: string, fn: number): void {
  pushCFunction(L, fn);
  rawSetField(L, -2, name);
}

function setNumber(L: L, name: string, n: number): void {
  lua._lua_pushnumber(L, n);
  rawSetField(L, -2, name);
}

/** Pushes the runtime `redis` table; eval scripts also get breakpoint/debug/replicate_commands. */
export function pushRedisTable(L: L, forEval: boolean): void {
  lua._lua_createtable(L, 0, 32);
  setFunction(L, "call", call);
  setFunction(L, "pcall", pcall);
  pushLogAndVersion(L);
  setFunction(L, "setresp", setresp);
  setFunction(L, "sha1hex", sha1hexFunction);
  setFunction(L, "error_reply", errorReply);
  setFunction(L, "status_reply", statusReply);
  setFunction(L, "set_repl", setRepl);
  setNumber(L, "REPL_NONE", 0);
  setNumber(L, "REPL_AOF", 1);
  setNumber(L, "REPL_SLAVE", 2);
  setNumber(L, "REPL_REPLICA", 2);
  setNumber(L, "REPL_ALL", 3);
  setFunction(L, "acl_check_cmd", aclCheckCmd);
  if (forEval) {
    setFunction(L, "breakpoint", returnsFalse);
    setFunction(L, "debug", nothing);
    setFunction(L, "replicate_commands", returnsTrue);
  }
}

/** Adds redis.log, the LOG_* levels and REDIS_VERSION(_NUM) to the table on top. */
export function pushLogAndVersion(L: L): void {
  setFunction(L, "log", log);
  LOG_LEVELS.forEach((level, i) => setNumber(L, `LOG_${level.toUpperCase()}`, i));
  const [major, minor, patch] = REDIS_VERSION.split(".").map(Number);
  setNumber(L, "REDIS_VERSION_NUM", (major << 16) | (minor << 8) | patch);
  pushString(L, REDIS_VERSION);
  rawSetField(L, -2, "REDIS_VERSION");
}

// ---- math.random: redisLrand48, the 48-bit linear congruential generator of drand48 ------------

const LRAND48_MAX = 2147483647;
let seed = 0x1234abcd330en;

function lrand48(): number {
  seed = (0x5deece66dn * seed + 0xbn) & 0xffffffffffffn;
  return Number(seed >> 17n);
}

function checkInt(L: L, arg: number): number {
  return lua._luaL_checkinteger(L, arg);
}

const random = cfunction((L) => {
  const r = (lrand48() % LRAND48_MAX) / LRAND48_MAX;
  switch (lua._lua_gettop(L)) {
    case 0:
      lua._lua_pushnumber(L, r);
      return 1;
    case 1: {
      const u = checkInt(L, 1);
      if (u < 1) lua._luaL_argerror(L, 1, cstr("interval is empty"));
      lua._lua_pushnumber(L, Math.floor(r * u) + 1);
      return 1;
    }
    case 2: {
      const l = checkInt(L, 1);
      const u = checkInt(L, 2);
      if (l > u) lua._luaL_argerror(L, 2, cstr("interval is empty"));
      lua._lua_pushnumber(L, Math.floor(r * (u - l + 1)) + l);
      return 1;
    }
    default:
      throw new LuaRaise("wrong number of arguments");
  }
});

const randomseed = cfunction((L) => {
  const s = checkInt(L, 1) | 0;
  seed = (BigInt(s >>> 0) << 16n) | 0x330en;
  return 0;
});

/** Replaces math.random and math.randomseed in the math table on top of the stack. */
export function installRandom(L: L): void {
  setFunction(L, "random", random);
  setFunction(L, "randomseed", randomseed);
}
