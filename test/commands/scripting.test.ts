import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer } from "../helpers/in-process.js";
import type { Reply } from "../../src/protocol/reply.js";

const LIB = "#!lua name=lib\nredis.register_function('hello', function(KEYS, ARGV) return 'hi ' .. (ARGV[1] or '') end)";

test("EVAL converts Lua values to replies as Redis does", () => {
  const { client } = testServer();
  const run = (code: string) => client.call("eval", code, "0");
  assert.equal(run("return 'hello'"), "hello");
  assert.equal(run("return 100.5"), 100);
  assert.equal(run("return -2.9"), -2);
  assert.equal(run("return true"), 1);
  assert.equal(run("return false"), null);
  assert.equal(run("return nil"), null);
  assert.equal(run("return {ok='fine'}"), "fine");
  assert.equal(run("return {ok='a\\r\\nb'}"), "a  b");
  assert.deepEqual(run("return {1,2,3,'ciao',{1,2}}"), [1, 2, 3, "ciao", [1, 2]]);
  assert.deepEqual(run("return {1, false, 3, nil, 5}"), [1, null, 3]);
  assert.equal(run("return 1e30"), -(2n ** 63n));
  assert.throws(() => run("return {err='ERR this is an error'}"), new Error("ERR this is an error"));
  assert.throws(() => run("return {err='no code'}"), new Error("no code"));
  assert.throws(() => run("return redis.error_reply('My Error')"), new Error("My Error"));
  assert.throws(() => run("return redis.error_reply('x')"), new Error("ERR x"));
  assert.equal(run("return redis.status_reply('FINE')"), "FINE");
});

test("EVAL with RESP3 replies: doubles, maps, sets, booleans, big numbers, verbatim", () => {
  const { client } = testServer();
  const raw = (code: string) => client.reply("eval", code, "0") as Reply;
  assert.deepEqual(raw("return {double=1.5}"), { t: "double", v: 1.5 });
  assert.deepEqual(raw("return {map={a=1}}"), { t: "map", v: [{ t: "bulk", v: "a" }, { t: "int", v: 1 }] });
  assert.deepEqual(raw("return {set={a=true}}"), { t: "set", v: [{ t: "bulk", v: "a" }] });
  assert.deepEqual(raw("return {big_number='123'}"), { t: "bignum", v: 123n });
  assert.deepEqual(raw("return {verbatim_string={format='txt', string='hi'}}"), { t: "verbatim", format: "txt", v: "hi" });
  assert.deepEqual(raw("redis.setresp(3) return true"), { t: "bool", v: true });
  assert.deepEqual(raw("redis.setresp(3) return false"), { t: "bool", v: false });
  assert.deepEqual(raw("return false"), { t: "null" });
});

test("redis.call replies reach Lua per the script's RESP version", () => {
  const { client } = testServer();
  client.call("hset", "h", "f", "v");
  client.call("set", "s", "x");
  const run = (code: string) => client.call("eval", code, "0");
  assert.deepEqual(run("local r = redis.call('hgetall', 'h') return {type(r), r[1], r[2]}"), ["table", "f", "v"]);
  assert.deepEqual(run("redis.setresp(3) local r = redis.call('hgetall', 'h') return {type(r.map), r.map.f}"), ["table", "v"]);
  assert.deepEqual(run("local r = redis.call('get', 'nokey') return {type(r), r == false}"), ["boolean", 1]);
  assert.deepEqual(run("redis.setresp(3) return {type(redis.call('get', 'nokey'))}"), ["nil"]);
  assert.deepEqual(run("local r = redis.pcall('set', 'k', 'v') return {type(r), r['ok']}"), ["table", "OK"]);
  assert.deepEqual(run("local r = redis.pcall('incr', 's') return {type(r), r['err']}"), ["table", "ERR value is not an integer or out of range"]);
  assert.equal(run("return redis.call('incrbyfloat', 'f', '1.5')"), "1.5");
  assert.deepEqual(run("redis.setresp(3) return redis.call('incrbyfloat', 'f2', '2.5')"), "2.5");
  assert.equal(run("return redis.call('echo', 0.1)"), "0.10000000000000001");
  assert.throws(() => run("return redis.setresp(4)"), /^Error: ERR RESP version must be 2 or 3\. script: /);
  // The caller's protocol is untouched by the script's.
  assert.equal(client.session.resp, 2);
});

test("redis.call errors and refusals", () => {
  const { client } = testServer();
  client.call("set", "foo", "bar");
  const run = (code: string) => client.call("eval", code, "0");
  const at = (text: string) => new RegExp(`^Error: ${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} script: [0-9a-f]{40}, on @user_script:1\\.$`);
  assert.throws(() => run("redis.call('nosuchcommand')"), at("ERR Unknown Redis command called from script"));
  assert.throws(() => run("redis.call('get','a','b','c')"), at("ERR Wrong number of args calling Redis command from script"));
  assert.throws(() => run("redis.call('lpush', 'foo', 'val')"), at("WRONGTYPE Operation against a key holding the wrong kind of value"));
  assert.throws(() => run("return redis.call()"), at("ERR Please specify at least one argument for this redis lib call"));
  assert.throws(() => run("return redis.call('get', {})"), at("ERR Lua redis lib command arguments must be strings or integers"));
  assert.throws(() => run("return redis.pcall('blpop','x',0)"), new Error("ERR This Redis command is not allowed from script"));
  assert.throws(() => run("return redis.pcall('multi')"), new Error("ERR This Redis command is not allowed from script"));
  assert.throws(() => run("return redis.call('eval', 'return 1', '0')"), at("ERR This Redis command is not allowed from script"));
  assert.throws(() => run("error('boom')"), at("ERR user_script:1: boom"));
  assert.throws(() => run("error({err='MY x'})"), at("MY x"));
});

test("read-only scripts: EVAL_RO, no-writes shebang, FCALL_RO", () => {
  const { client } = testServer();
  client.call("set", "foo", "bar");
  assert.equal(client.call("eval_ro", "return redis.call('get', KEYS[1])", "1", "foo"), "bar");
  assert.throws(() => client.call("eval_ro", "redis.call('del', KEYS[1])", "1", "foo"), /^Error: ERR Write commands are not allowed from read-only scripts\. script: /);
  assert.throws(() => client.call("eval_ro", "return redis.call('publish', 'ch', 'msg')", "0"), /Write commands are not allowed from read-only scripts/);
  assert.throws(() => client.call("eval", "#!lua flags=no-writes\nreturn redis.call('set', 'x', 'y')", "0"), /Write commands are not allowed from read-only scripts/);
  assert.throws(() => client.call("eval_ro", "#!lua\nreturn 1", "0"), new Error("ERR Can not execute a script with write flag using *_ro command."));
  assert.equal(client.call("eval", "#!lua flags=no-writes,allow-oom\nreturn 1", "0"), 1);
  // @upstash/ratelimit declares allow-key-locking, which Redis 7.0 does not know: accepted.
  assert.equal(client.call("eval", "#!lua flags=allow-key-locking\nreturn 2", "0"), 2);
  assert.throws(() => client.call("eval", "#!lua flags=bad\nreturn 1", "0"), new Error("ERR Unexpected flag in script shebang: bad"));
  assert.throws(() => client.call("eval", "#!luax\nreturn 1", "0"), new Error("ERR Unexpected engine in script shebang: #!luax"));
  assert.throws(() => client.call("eval", "#!lua foo=bar\nreturn 1", "0"), new Error("ERR Unknown lua shebang option: foo=bar"));
  assert.throws(() => client.call("eval", "#!lua", "0"), new Error("ERR Invalid script shebang"));
});

test("numkeys validation", () => {
  const { client } = testServer();
  assert.throws(() => client.call("eval", "return 1", "2", "a"), new Error("ERR Number of keys can't be greater than number of args"));
  assert.throws(() => client.call("eval", "return 1", "-1"), new Error("ERR Number of keys can't be negative"));
  assert.throws(() => client.call("eval", "return 1", "x"), new Error("ERR value is not an integer or out of range"));
  assert.throws(() => client.call("fcall", "f", "x"), new Error("ERR Function not found"));
  client.call("function", "load", LIB);
  assert.throws(() => client.call("fcall", "hello", "x"), new Error("ERR Bad number of keys provided"));
});

test("EVALSHA and SCRIPT LOAD/EXISTS/FLUSH", () => {
  const { client } = testServer();
  client.call("set", "mykey", "myval");
  assert.equal(client.call("eval", "return redis.call('get',KEYS[1])", "1", "mykey"), "myval");
  assert.equal(client.call("evalsha", "fd758d1589d044dd850a6f05d52f2eefd27f033f", "1", "mykey"), "myval");
  assert.equal(client.call("evalsha", "FD758D1589D044DD850A6F05D52F2EEFD27F033F", "1", "mykey"), "myval");
  assert.equal(client.call("evalsha_ro", "fd758d1589d044dd850a6f05d52f2eefd27f033f", "1", "mykey"), "myval");
  assert.throws(() => client.call("evalsha", "NotValidShaSUM", "0"), new Error("NOSCRIPT No matching script. Please use EVAL."));
  assert.throws(() => client.call("evalsha", "ffd632c7d33e571e9f24556ebed26c3479a87130", "0"), new Error("NOSCRIPT No matching script. Please use EVAL."));
  assert.equal(client.call("script", "load", "return 'loaded'"), "b534286061d4b9e4026607613b95c06c06015ae8");
  assert.deepEqual(client.call("script", "exists", "b534286061d4b9e4026607613b95c06c06015ae8", "B534286061D4B9E4026607613B95C06C06015AE8", "ffff"), [1, 1, 0]);
  assert.throws(() => client.call("script", "load", "return +"), /^Error: ERR Error compiling script \(new function\): user_script:1: unexpected symbol near '\+'$/);
  assert.throws(() => client.call("script", "flush", "foo"), new Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option"));
  assert.equal(client.call("script", "flush", "async"), "OK");
  assert.deepEqual(client.call("script", "exists", "b534286061d4b9e4026607613b95c06c06015ae8"), [0]);
  assert.throws(() => client.call("script", "kill"), new Error("NOTBUSY No scripts in execution right now."));
  assert.equal((client.call("script", "help") as string[])[0], "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
});

test("a script's SELECT does not change the caller's database", () => {
  const { client } = testServer();
  client.call("select", "1");
  client.call("set", "k", "db1");
  assert.equal(client.call("eval", "redis.call('select', '0') redis.call('set', 'k', 'db0') return redis.call('get', 'k')", "0"), "db0");
  assert.equal(client.call("get", "k"), "db1");
  assert.equal(client.call("eval", "return redis.call('get', 'k')", "0"), "db1");
});

test("FUNCTION LOAD, FCALL, LIST, DELETE, FLUSH", () => {
  const { client } = testServer();
  assert.equal(client.call("function", "load", LIB), "lib");
  assert.equal(client.call("fcall", "hello", "0", "you"), "hi you");
  assert.equal(client.call("fcall", "HELLO", "0"), "hi ");
  assert.throws(() => client.call("function", "load", LIB), new Error("ERR Library 'lib' already exists"));
  assert.equal(client.call("function", "load", "REPLACE", LIB.replace("'hi '", "'hey '")), "lib");
  assert.equal(client.call("fcall", "hello", "0"), "hey ");
  assert.throws(() => client.call("function", "load", "foo", LIB), new Error("ERR Unknown option given: foo"));
  assert.throws(() => client.call("function", "load", "#!lua name=other\nredis.register_function('hello', function() end)"), new Error("ERR Function hello already exists"));
  assert.throws(() => client.call("function", "load", "return 1"), new Error("ERR Missing library metadata"));
  assert.throws(() => client.call("function", "load", "#!lua name=bad-name\nreturn 1"), /Library names can only contain letters, numbers, or underscores/);
  assert.throws(() => client.call("function", "load", "#!bad_engine name=x\nreturn 1"), new Error("ERR Engine 'bad_engine' not found"));
  assert.throws(() => client.call("function", "load", "#!lua name=x\nreturn 1"), new Error("ERR No functions registered"));
  assert.throws(() => client.call("function", "load", "#!lua name=x\nbad script"), /^Error: ERR Error compiling function: user_function:2: /);
  assert.throws(() => client.call("function", "load", "#!lua name=x\nreturn math.random()"), /Error registering functions: ERR user_function:2: Script attempted to access nonexistent global variable 'math'/);
  assert.throws(() => client.call("function", "load", "#!lua name=x\nredis.register_function('f', 1)"), new Error("ERR Error registering functions: ERR second argument to redis.register_function must be a function"));
  assert.throws(() => client.call("function", "load", "#!lua name=x\na = 1"), /Attempt to modify a readonly table/);

  client.call("function", "load", "#!lua name=lib2\nredis.register_function{function_name='ro', callback=function(keys, args) return redis.call('get', keys[1]) end, description='reads', flags={'no-writes', 'allow-oom'}}");
  assert.equal(client.call("fcall_ro", "ro", "1", "nokey"), null);
  assert.deepEqual(client.call("function", "list", "libraryname", "LIB2"), [
    ["library_name", "lib2", "engine", "LUA", "functions", [["name", "ro", "description", "reads", "flags", ["no-writes", "allow-oom"]]]],
  ]);
  assert.equal((client.call("function", "list") as unknown[]).length, 2);
  const withCode = client.call("function", "list", "withcode", "libraryname", "lib") as unknown[][];
  assert.deepEqual(withCode.map((l) => l[1]), ["lib"]);
  assert.equal(withCode[0][6], "library_code");
  assert.equal(withCode[0][7], LIB.replace("'hi '", "'hey '"));
  assert.throws(() => client.call("function", "list", "x"), new Error("ERR Unknown argument x"));
  assert.throws(() => client.call("function", "list", "libraryname"), new Error("ERR library name argument was not given"));
  assert.throws(() => client.call("fcall_ro", "hello", "0"), new Error("ERR Can not execute a script with write flag using *_ro command."));

  assert.deepEqual(client.call("function", "stats"), ["running_script", null, "engines", ["LUA", ["libraries_count", 2, "functions_count", 2]]]);
  assert.equal(client.call("function", "delete", "lib"), "OK");
  assert.throws(() => client.call("function", "delete", "lib"), new Error("ERR Library not found"));
  assert.throws(() => client.call("fcall", "hello", "0"), new Error("ERR Function not found"));
  assert.throws(() => client.call("function", "flush", "x"), new Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"));
  assert.equal(client.call("function", "flush"), "OK");
  assert.deepEqual(client.call("function", "list"), []);
  assert.throws(() => client.call("function", "kill"), new Error("NOTBUSY No scripts in execution right now."));
});

test("functions see KEYS and ARGV as arguments and the runtime redis API only", () => {
  const { client } = testServer();
  client.call("function", "load", "#!lua name=lib\nlocal lib = redis\nredis.register_function('f1', function(keys, args) return {keys[1], args[1], type(redis.register_function)} end)\nredis.register_function('f2', function() lib.register_function('x', function() end) end)");
  assert.deepEqual(client.call("fcall", "f1", "1", "k", "a"), ["k", "a", "nil"]);
  assert.throws(() => client.call("fcall", "f2", "0"), /redis\.register_function can only be called on FUNCTION LOAD command/);
});

test("FUNCTION DUMP and RESTORE with FLUSH, APPEND and REPLACE", () => {
  const { client } = testServer();
  client.call("function", "load", LIB);
  const dump = client.call("function", "dump") as string;
  assert.equal(dump.charCodeAt(0), 245);
  assert.throws(() => client.call("function", "restore", dump), new Error("ERR Library lib already exists"));
  assert.equal(client.call("function", "restore", dump, "replace"), "OK");
  client.call("function", "flush");
  assert.equal(client.call("function", "restore", dump), "OK");
  assert.equal(client.call("fcall", "hello", "0"), "hi ");
  client.call("function", "load", "#!lua name=other\nredis.register_function('x', function() return 1 end)");
  assert.equal(client.call("function", "restore", dump, "FLUSH"), "OK");
  assert.deepEqual((client.call("function", "list") as unknown[][]).map((l) => l[1]), ["lib"]);
  assert.throws(() => client.call("function", "restore", "bad payload"), new Error("ERR DUMP payload version or checksum are wrong"));
  assert.throws(() => client.call("function", "restore", dump, "foo"), new Error("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE."));
  // A payload produced by redis-server 7.0.15 (its code is LZF-compressed).
  const fromRedis = Buffer.from(
    "f5c34095409d1f23216c7561206e616d653d726c69620a72656469732e72656769737465725f660d756e6374696f6e282766726f6d5f601d02272c20e0" +
      "0016186b6579732c2061726773292072657475726e2027726573746f202900204032201520501e2d7365727665722c20636f6465206c6f6e6720656e6f" +
      "75676820746f2062652016016d70203600732034066279206c7a6627201f0164290a0067d2caf62c44e554",
    "hex",
  ).toString("latin1");
  assert.equal(client.call("function", "restore", fromRedis), "OK");
  assert.equal(client.call("fcall", "from_redis", "0"), "restored from redis-server, code long enough to be compressed by lzf");
});

test("scripts propagate their writes as one MULTI/EXEC unit, and nothing for read-only scripts", () => {
  const { client, server } = testServer();
  const feed: string[][] = [];
  server.propagateListeners.push((_db, argv) => feed.push(argv));
  client.call("eval", "redis.call('set', 'a', '1') redis.call('incr', 'a') return redis.call('get', 'a')", "0");
  assert.deepEqual(feed, [["multi"], ["set", "a", "1"], ["incr", "a"], ["exec"]]);
  feed.length = 0;
  client.call("eval", "return redis.call('get', 'a')", "0");
  client.call("eval", "redis.call('set', 'b', '1')", "0");
  assert.deepEqual(feed, [["set", "b", "1"]]);
});

test("scripts do not block: blocking commands are refused, waiters are served after the script", async () => {
  const { client, newClient } = testServer();
  const waiter = newClient();
  const pending = waiter.reply("blpop", "q", "0");
  assert.ok(pending instanceof Promise);
  assert.deepEqual(client.call("eval", "redis.call('rpush', 'q', 'a') return redis.call('lpop', 'q')", "0"), "a");
  assert.equal(client.call("eval", "redis.call('rpush', 'q', 'b') return redis.call('llen', 'q')", "0"), 1);
  assert.deepEqual(await pending, { t: "array", v: [{ t: "bulk", v: "q" }, { t: "bulk", v: "b" }] });
});

test("failed redis.call errors are counted once in the error stats", () => {
  const { client, server } = testServer();
  client.call("set", "s", "x");
  assert.throws(() => client.call("eval", "return redis.call('incr', 's')", "0"));
  assert.equal(server.stats.totalErrorReplies, 1);
  assert.equal(server.stats.command("eval").failed, 1);
  assert.equal(server.stats.command("incr").failed, 1);
  assert.throws(() => client.call("eval", "return redis.pcall('nosuch')", "0"));
  assert.equal(server.stats.totalErrorReplies, 2);
});

test("COMMAND reports the scripting commands' key positions from numkeys", () => {
  const { client } = testServer();
  assert.deepEqual(client.call("command", "getkeys", "eval", "return 1", "2", "a", "b", "c"), ["a", "b"]);
  assert.deepEqual(client.call("command", "getkeys", "fcall", "f", "1", "k", "arg"), ["k"]);
});

test("a call's flags follow the flags its script declared (CLIENT PAUSE WRITE)", () => {
  const { server, client } = testServer();
  const spec = (name: string) => server.commands.get(name)!;
  const flagsOf = (name: string, ...args: string[]) => spec(name).callFlags!(client.session, args);
  assert.deepEqual(flagsOf("eval", "return 1", "0"), spec("eval").flags);
  assert.deepEqual(flagsOf("eval", "#!lua flags=no-writes\nreturn 1", "0"), ["noscript", "skip_monitor", "no_mandatory_keys"]);
  assert.deepEqual(flagsOf("eval", "#!lua\nreturn 1", "0"), ["noscript", "skip_monitor", "no_mandatory_keys", "denyoom", "write"]);
  const sha = client.call("script", "load", "#!lua flags=no-writes,allow-stale\nreturn 1") as string;
  assert.deepEqual(flagsOf("evalsha", sha, "0"), ["noscript", "skip_monitor", "no_mandatory_keys", "stale"]);
  assert.deepEqual(flagsOf("evalsha", "0".repeat(40), "0"), spec("evalsha").flags);
  client.call("function", "load", "#!lua name=lib\nredis.register_function{function_name='ro', callback=function() return 1 end, flags={'no-writes'}}");
  assert.deepEqual(flagsOf("fcall", "ro", "0"), ["noscript", "skip_monitor", "no_mandatory_keys"]);
  assert.deepEqual(flagsOf("fcall", "missing", "0"), spec("fcall").flags);
});
