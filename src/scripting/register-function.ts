// redis.register_function, available only while FUNCTION LOAD runs a library's top-level code:
// positional (name, callback) or named {function_name=, callback=, description=, flags={...}}.

import { pushErrorTable } from "./convert.js";
import { cfunction, lua, REGISTRYINDEX, toString, Type, type L } from "./lua.js";
import { current, flagBit } from "./run.js";

/** Redis's rule for library and function names. */
export function validName(name: string): boolean {
  return /^[A-Za-z0-9_]+$/.test(name);
}

export const NAME_RULES =
  "Library names can only contain letters, numbers, or underscores(_) and must be at least one character long";

class RegisterError extends Error {}

interface Registration {
  name: string;
  description: string | null;
  flags: number;
  /** Registry ref of the callback. */
  handle: number;
}

function stringAt(L: L, idx: number): string | null {
  return lua._lua_isstring(L, idx) !== 0 ? toString(L, idx) : null;
}

/** Reads the flags table at the top of the stack. */
function readFlags(L: L): number {
  let flags = 0;
  for (let j = 1; ; j++) {
    lua._lua_rawgeti(L, -1, j);
    const t = lua._lua_type(L, -1);
    if (t === Type.Nil) {
      lua._lua_settop(L, -2);
      return flags;
    }
    const bit = t === Type.String || t === Type.Number ? flagBit(toString(L, -1)!, true) : 0;
    lua._lua_settop(L, -2);
    if (bit === 0) throw new RegisterError("unknown flag given");
    flags |= bit;
  }
}

function readNamed(L: L): Registration {
  if (lua._lua_type(L, 1) !== Type.Table) {
    throw new RegisterError("calling redis.register_function with a single argument is only applicable to Lua table (representing named arguments).");
  }
  let name: string | null = null;
  let description: string | null = null;
  let flags = 0;
  let handle = 0;
  const fail = (message: string): never => {
    if (handle) lua._luaL_unref(L, REGISTRYINDEX, handle);
    throw new RegisterError(message);
  };
  lua._lua_pushnil(L);
  while (lua._lua_next(L, 1) !== 0) {
    if (lua._lua_type(L, -2) !== Type.String) fail("named argument key given to redis.register_function is not a string");
    const key = toString(L, -2)!.toLowerCase();
    if (key === "function_name") {
      name = stringAt(L, -1) ?? fail("function_name argument given to redis.register_function must be a string");
    } else if (key === "description") {
      description = stringAt(L, -1) ?? fail("description argument given to redis.register_function must be a string");
    } else if (key === "callback") {
      if (lua._lua_type(L, -1) !== Type.Function) fail("callback argument given to redis.register_function must be a function");
      if (handle) lua._luaL_unref(L, REGISTRYINDEX, handle);
      handle = lua._luaL_ref(L, REGISTRYINDEX);
      continue;
    } else if (key === "flags") {
      if (lua._lua_type(L, -1) !== Type.Table) fail("flags argument to redis.register_function must be a table representing function flags");
      try {
        flags = readFlags(L);
      } catch (e) {
        fail((e as Error).message);
      }
    } else fail("unknown argument given to redis.register_function");
    lua._lua_settop(L, -2);
  }
  if (name === null) fail("redis.register_function must get a function name argument");
  if (!handle) fail("redis.register_function must get a callback argument");
  return { name: name!, description, flags, handle };
}

function readPositional(L: L): Registration {
  const name = stringAt(L, 1);
  if (name === null) throw new RegisterError("first argument to redis.register_function must be a string");
  if (lua._lua_type(L, 2) !== Type.Function) throw new RegisterError("second argument to redis.register_function must be a function");
  lua._lua_settop(L, 2);
  return { name, description: null, flags: 0, handle: lua._luaL_ref(L, REGISTRYINDEX) };
}

export const registerFunction = cfunction((L) => {
  const load = current.load;
  let message: string;
  try {
    if (load === null) throw new RegisterError("redis.register_function can only be called on FUNCTION LOAD command");
    const argc = lua._lua_gettop(L);
    if (argc < 1 || argc > 2) throw new RegisterError("wrong number of arguments to redis.register_function");
    const reg = argc === 1 ? readNamed(L) : readPositional(L);
    const problem = !validName(reg.name) ? NAME_RULES : load.functions.has(reg.name) ? "Function already exists in the library" : null;
    if (problem) {
      lua._luaL_unref(L, REGISTRYINDEX, reg.handle);
      throw new RegisterError(problem);
    }
    load.functions.set(reg.name, reg);
    return 0;
  } catch (e) {
    if (!(e instanceof RegisterError)) throw e;
    message = e.message;
  }
  pushErrorTable(L, `ERR ${message}`);
  return lua._lua_error(L);
});
