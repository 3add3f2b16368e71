// The script sandbox: protected globals and library tables, removed globals, text-only loading,
// pcall semantics, and values crossing between Lua and replies byte for byte.

import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer } from "../helpers/in-process.js";

const SCRIPT_SUFFIX = String.raw` script: [0-9a-f]{40}, on @user_script:1\.$`;

function evaluator() {
  const { client, server } = testServer();
  return { client, server, run: (code: string, ...args: string[]) => client.call("eval", code, "0", ...args) };
}

test("reading an undeclared global raises Redis's error, with the script location", () => {
  const { run } = evaluator();
  assert.throws(() => run("return a"), new RegExp(`^Error: ERR user_script:1: Script attempted to access nonexistent global variable 'a'${SCRIPT_SUFFIX}`));
  for (const name of ["print", "dofile", "loadfile", "require", "module", "os", "io", "debug", "getfenv", "setfenv", "newproxy"]) {
    assert.throws(() => run(`return ${name}`), new RegExp(`nonexistent global variable '${name}'`));
  }
});

test("globals and library tables are read-only", () => {
  const { run } = evaluator();
  assert.throws(() => run("a = 10"), new RegExp(`^Error: ERR user_script:1: Attempt to modify a readonly table${SCRIPT_SUFFIX}`));
  // Raised from C functions in Redis: no position prefix.
  assert.throws(() => run("setmetatable(_G, {})"), new RegExp(`^Error: ERR Attempt to modify a readonly table${SCRIPT_SUFFIX}`));
  assert.throws(() => run("rawset(_G, 'a', 1)"), new RegExp(`^Error: ERR Attempt to modify a readonly table${SCRIPT_SUFFIX}`));
  for (const code of ["local g = getmetatable(_G); g.__index = {}", "_G = {}", "redis = 1", "redis.call = 1", "cjson.encode = 1", "cmsgpack.pack = 1", "bit.lshift = 1", "struct.pack = 1", "string.x = 1", "math.random = 1", "table.x = 1"]) {
    assert.throws(() => run(code), /user_script:1: Attempt to modify a readonly table/, code);
  }
  // Read access behaves as on plain tables, without exposing what backs them.
  assert.deepEqual(run("return {rawget(redis, 'call') ~= nil, next(redis) ~= nil, type(getmetatable(redis)), type(getmetatable(_G))}"), [1, 1, "nil", "table"]);
  assert.equal(run("local n = 0 for k in pairs(redis) do n = n + 1 end return n"), 23);
  assert.equal(run("local f, t = pairs(_G) return tostring(t == _G)"), "true");
  assert.equal(run("local t = {} for k in pairs(_G) do t[#t + 1] = k end table.sort(t) return table.concat(t, ' ')"),
    "ARGV KEYS _G _VERSION assert bit cjson cmsgpack collectgarbage coroutine error gcinfo getmetatable ipairs load loadstring math next pairs pcall rawequal rawget rawset redis select setmetatable string struct table tonumber tostring type unpack xpcall");
});

test("KEYS and ARGV are fresh per call and writable", () => {
  const { run, client } = evaluator();
  assert.deepEqual(client.call("eval", "return {KEYS[1], ARGV[1], #KEYS, #ARGV}", "1", "k\x00\xff", "a\xff"), ["k\x00\xff", "a\xff", 1, 1]);
  assert.equal(run("KEYS[1] = 'x' return KEYS[1]"), "x");
  assert.equal(run("return #KEYS + #ARGV"), 0);
});

test("binary chunks never load", () => {
  const { run, client } = evaluator();
  assert.throws(() => run("return loadstring(string.dump(function() return 1 end))()"), /ERR user_script:1: attempt to call a nil value/);
  assert.equal(run("local f, e = loadstring('\\27abc', 'name') return e"), `[string "name"]:1: unexpected symbol near 'char(27)'`);
  assert.equal(
    run("local s = string.dump(function() return 1 end) local i = 0 local f, e = load(function() i = i + 1 if i == 1 then return s end end) return e"),
    "(load):1: unexpected symbol near 'char(27)'",
  );
  assert.throws(() => client.call("eval", "\x1bLuaQ", "0"), /^Error: ERR Error compiling script \(new function\): user_script:1: unexpected symbol near 'char\(27\)'$/);
  assert.equal(run("return loadstring('return 1 + 1')()"), 2);
});

test("pcall returns error tables as their message and keeps all results", () => {
  const { run } = evaluator();
  assert.equal(run("local ok, e = pcall(error, {err='X y'}) return e"), "X y");
  assert.equal(run("local ok, e = pcall(function() error({err='X y'}) end) return e"), "X y");
  assert.equal(run("local ok, e = pcall(function() local x = nil; return x.y end) return e"), "user_script:1: attempt to index local 'x' (a nil value)");
  assert.deepEqual(run("return {pcall(function(...) return select('#', ...) end, 1, nil, 3)}"), [1, 3]);
  assert.deepEqual(run("return {pcall(redis.call, 'incr')}"), [null, "ERR Wrong number of args calling Redis command from script"]);
  assert.equal(run("local co = coroutine.wrap(function() local ok, e = pcall(function() coroutine.yield(1) end) return e end) return co()"), "attempt to yield across metamethod/C-call boundary");
  assert.deepEqual(run("local co = coroutine.create(function(a) local b = coroutine.yield(a + 1) return b * 2 end) local _, x = coroutine.resume(co, 1) local _, y = coroutine.resume(co, 10) return {x, y}"), [2, 20]);
  assert.throws(() => run("coroutine.yield()"), /^Error: ERR attempt to yield across metamethod\/C-call boundary script: [0-9a-f]{40}, on @user_script:1\.$/);
});

test("Lua 5.1 number formatting and library functions", () => {
  const { run } = evaluator();
  assert.deepEqual(run("return {tostring(10/2), tostring(1e15), tostring(0.1), tostring(2^53), table.getn({1,2,3})}"), ["5", "1e+15", "0.1", "9.007199254741e+15", 3]);
  assert.deepEqual(run("return {unpack({1,2,3})}"), [1, 2, 3]);
  assert.equal(run("return string.format('%5.2f|%d|%q', 3.14159, 42, 'a\\nb')"), ' 3.14|42|"a\\\nb"');
});

test("bytes \\0 and >= 0x80 survive both directions", () => {
  const { client } = evaluator();
  const value = "\x00\x01\x7f\x80\xfe\xff";
  assert.equal(client.call("eval", "return redis.call('set', KEYS[1], ARGV[1])", "1", "bin\x00\xff", value), "OK");
  assert.equal(client.call("get", "bin\x00\xff"), value);
  assert.equal(client.call("eval", "return redis.call('get', KEYS[1])", "1", "bin\x00\xff"), value);
  assert.deepEqual(client.call("eval", "return {string.byte(ARGV[1], 1, -1)}", "0", value), [0, 1, 127, 128, 254, 255]);
  assert.equal(client.call("eval", "return string.char(0, 200, 255)", "0"), "\x00\xc8\xff");
  const long = "\xff\x00".repeat(50000);
  assert.equal(client.call("eval", "return ARGV[1]", "0", long), long);
});
