import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, type TestClient, recordEvents } from "../helpers/in-process.js";
import type { Server } from "../../src/server/server.js";
import { stringEncoding } from "../../src/engine/types/string.js";
import { parseLongDouble, addLongDouble, longDoubleToString } from "../../src/engine/long-double.js";

const WRONGTYPE = /^Error: WRONGTYPE Operation against a key holding the wrong kind of value$/;
const SYNTAX = /^Error: ERR syntax error$/;
const NOT_INT = /^Error: ERR value is not an integer or out of range$/;
const NOT_FLOAT = /^Error: ERR value is not a valid float$/;

/** Records keyspace notifications of db 0 as "class:event:key" (the database's own "new" events left out). */

function encodingOf(server: Server, key: string): string {
  const entry = server.dbs[0].peek(key)!;
  return stringEncoding(entry.value as string, entry);
}

function pttl(server: Server, key: string): number {
  const entry = server.dbs[0].peek(key);
  if (entry === undefined) return -2;
  return entry.expireAt === 0 ? -1 : entry.expireAt - Date.now();
}

test("GET and SET are binary safe", () => {
  const { client } = testServer();
  assert.equal(client.call("get", "k"), null);
  assert.equal(client.call("set", "k", "\x00\xff\r\n"), "OK");
  assert.equal(client.call("get", "k"), "\x00\xff\r\n");
  assert.equal(client.call("set", "e", ""), "OK");
  assert.equal(client.call("get", "e"), "");
});

test("GET against another type is WRONGTYPE", () => {
  const { client, server } = testServer();
  server.dbs[0].set("h", "hash", new Map());
  assert.throws(() => client.call("get", "h"), WRONGTYPE);
  assert.throws(() => client.call("strlen", "h"), WRONGTYPE);
  assert.throws(() => client.call("append", "h", "x"), WRONGTYPE);
  assert.throws(() => client.call("incr", "h"), WRONGTYPE);
  assert.throws(() => client.call("incrbyfloat", "h", "1"), WRONGTYPE);
  assert.throws(() => client.call("getrange", "h", "0", "1"), WRONGTYPE);
  assert.throws(() => client.call("setrange", "h", "0", "x"), WRONGTYPE);
  assert.throws(() => client.call("getdel", "h"), WRONGTYPE);
  assert.throws(() => client.call("getex", "h"), WRONGTYPE);
  assert.throws(() => client.call("getset", "h", "v"), WRONGTYPE);
  assert.throws(() => client.call("set", "h", "v", "get"), WRONGTYPE);
  assert.equal(server.dbs[0].peek("h")!.type, "hash");
  // Plain SET replaces any type.
  assert.equal(client.call("set", "h", "v"), "OK");
  assert.equal(client.call("get", "h"), "v");
});

test("SET NX / XX / GET combinations", () => {
  const { client } = testServer();
  assert.equal(client.call("set", "k", "1", "nx"), "OK");
  assert.equal(client.call("set", "k", "2", "NX"), null);
  assert.equal(client.call("get", "k"), "1");
  assert.equal(client.call("set", "missing", "1", "xx"), null);
  assert.equal(client.call("exists", "missing"), 0);
  assert.equal(client.call("set", "k", "3", "xx"), "OK");
  assert.equal(client.call("set", "k", "4", "get"), "3");
  assert.equal(client.call("set", "k", "5", "GET", "nx"), "4");
  assert.equal(client.call("get", "k"), "4");
  assert.equal(client.call("set", "nokey", "v", "get", "xx"), null);
  assert.equal(client.call("exists", "nokey"), 0);
  assert.equal(client.call("set", "nokey", "v", "get", "nx"), null);
  assert.equal(client.call("get", "nokey"), "v");
  assert.equal(client.call("set", "k", "v", "nx", "nx"), null);
  assert.equal(client.call("set", "k", "v", "get", "get"), "4");
});

test("SET option syntax errors match Redis", () => {
  const { client } = testServer();
  for (const opts of [
    ["nx", "xx"], ["xx", "nx"], ["ex", "10", "px", "100"], ["keepttl", "ex", "10"], ["ex", "10", "keepttl"],
    ["ex"], ["px"], ["exat", "5", "ex"], ["persist"], ["foo"], ["exat", "1", "pxat", "1"],
  ]) {
    assert.throws(() => client.call("set", "k", "v", ...opts), SYNTAX, opts.join(" "));
  }
  assert.equal(client.call("exists", "k"), 0);
});

test("SET expire arguments: ranges, units and overflow", () => {
  const { client, server } = testServer();
  const invalid = /^Error: ERR invalid expire time in 'set' command$/;
  assert.throws(() => client.call("set", "k", "v", "ex", "0"), invalid);
  assert.throws(() => client.call("set", "k", "v", "px", "-1"), invalid);
  assert.throws(() => client.call("set", "k", "v", "ex", "abc"), NOT_INT);
  assert.throws(() => client.call("set", "k", "v", "px", "9223372036854775807"), invalid);
  assert.throws(() => client.call("set", "k", "v", "ex", "9223372036854775"), invalid);
  assert.throws(() => client.call("set", "k", "v", "ex", "9223372036854776"), invalid);
  assert.throws(() => client.call("set", "k", "v", "exat", "9223372036854776"), invalid);
  assert.equal(client.call("exists", "k"), 0);
  assert.equal(client.call("set", "k", "v", "exat", "9223372036854775"), "OK");
  assert.equal(client.call("set", "k", "v", "pxat", "9223372036854775807"), "OK");
  assert.equal(client.call("set", "k", "v", "ex", "10", "ex", "20"), "OK");
  const ttl = pttl(server, "k");
  assert.ok(ttl > 19000 && ttl <= 20000, String(ttl));
  assert.equal(client.call("set", "k", "v", "px", "5000"), "OK");
  assert.ok(pttl(server, "k") <= 5000 && pttl(server, "k") > 4000);
  const at = Date.now() + 100000;
  assert.equal(client.call("set", "k", "v", "pxat", at), "OK");
  assert.equal(server.dbs[0].peek("k")!.expireAt, at);
  assert.equal(client.call("set", "k", "v", "exat", Math.floor(at / 1000)), "OK");
  assert.equal(server.dbs[0].peek("k")!.expireAt, Math.floor(at / 1000) * 1000);
  // A plain SET clears the TTL, KEEPTTL keeps it.
  client.call("set", "k", "v", "keepttl");
  assert.equal(server.dbs[0].peek("k")!.expireAt, Math.floor(at / 1000) * 1000);
  client.call("set", "k", "v2");
  assert.equal(pttl(server, "k"), -1);
  // An absolute time in the past leaves no key behind.
  assert.equal(client.call("set", "k", "v", "exat", "1"), "OK");
  assert.equal(client.call("get", "k"), null);
});

test("SETNX, SETEX, PSETEX and GETSET", () => {
  const { client, server } = testServer();
  assert.equal(client.call("setnx", "k", "a"), 1);
  assert.equal(client.call("setnx", "k", "b"), 0);
  assert.equal(client.call("get", "k"), "a");
  assert.equal(client.call("setex", "k", "100", "c"), "OK");
  assert.ok(pttl(server, "k") > 99000);
  assert.throws(() => client.call("setex", "k", "0", "c"), /^Error: ERR invalid expire time in 'setex' command$/);
  assert.throws(() => client.call("psetex", "k", "-5", "c"), /^Error: ERR invalid expire time in 'psetex' command$/);
  assert.throws(() => client.call("setex", "k", "x", "c"), NOT_INT);
  assert.equal(client.call("psetex", "k", "100000", "d"), "OK");
  assert.ok(pttl(server, "k") > 99000 && pttl(server, "k") <= 100000);
  assert.equal(client.call("getset", "k", "e"), "d");
  assert.equal(pttl(server, "k"), -1, "GETSET clears the TTL");
  assert.equal(client.call("getset", "new", "x"), null);
  assert.equal(client.call("get", "new"), "x");
});

test("GETEX options", () => {
  const { client, server } = testServer();
  client.call("set", "k", "v");
  assert.equal(client.call("getex", "k"), "v");
  assert.equal(pttl(server, "k"), -1);
  assert.equal(client.call("getex", "k", "ex", "100"), "v");
  assert.ok(pttl(server, "k") > 99000);
  assert.equal(client.call("getex", "k", "persist"), "v");
  assert.equal(pttl(server, "k"), -1);
  assert.equal(client.call("getex", "k", "px", "5000"), "v");
  assert.ok(pttl(server, "k") <= 5000);
  const at = Date.now() + 60000;
  assert.equal(client.call("getex", "k", "pxat", at), "v");
  assert.equal(server.dbs[0].peek("k")!.expireAt, at);
  assert.equal(client.call("getex", "k", "exat", "1"), "v");
  assert.equal(client.call("exists", "k"), 0, "a past absolute time deletes the key");
  assert.equal(client.call("getex", "missing", "ex", "abc"), null, "missing key is checked before the time");
  client.call("set", "k", "v");
  assert.throws(() => client.call("getex", "k", "ex", "abc"), NOT_INT);
  assert.throws(() => client.call("getex", "k", "ex", "0"), /^Error: ERR invalid expire time in 'getex' command$/);
  for (const opts of [["persist", "ex", "10"], ["ex", "10", "persist"], ["keepttl"], ["nx"], ["get"], ["foo"], ["ex"]]) {
    assert.throws(() => client.call("getex", "k", ...opts), SYNTAX, opts.join(" "));
  }
  assert.throws(() => client.call("getex"), /^Error: ERR wrong number of arguments for 'getex' command$/);
});

test("GETDEL", () => {
  const { client } = testServer();
  client.call("set", "k", "v");
  assert.equal(client.call("getdel", "k"), "v");
  assert.equal(client.call("getdel", "k"), null);
  assert.equal(client.call("exists", "k"), 0);
});

test("MGET, MSET and MSETNX", () => {
  const { client, server } = testServer();
  server.dbs[0].set("h", "hash", new Map());
  assert.equal(client.call("mset", "a", "1", "b", "2"), "OK");
  assert.deepEqual(client.call("mget", "a", "nokey", "b", "h"), ["1", null, "2", null]);
  assert.throws(() => client.call("mset", "a", "1", "b"), /^Error: ERR wrong number of arguments for 'mset' command$/);
  assert.throws(() => client.call("msetnx", "a", "1", "b"), /^Error: ERR wrong number of arguments for 'msetnx' command$/);
  assert.equal(client.call("msetnx", "x", "1", "a", "9"), 0);
  assert.equal(client.call("exists", "x"), 0);
  assert.equal(client.call("msetnx", "x", "1", "x", "2"), 1);
  assert.equal(client.call("get", "x"), "2");
  client.call("setex", "a", "100", "v");
  client.call("mset", "a", "w");
  assert.equal(pttl(server, "a"), -1, "MSET clears TTLs");
});

test("APPEND and STRLEN", () => {
  const { client, server } = testServer();
  assert.equal(client.call("strlen", "k"), 0);
  assert.equal(client.call("append", "k", "12"), 2);
  assert.equal(encodingOf(server, "k"), "int");
  assert.equal(client.call("append", "k", "3"), 3);
  assert.equal(encodingOf(server, "k"), "raw");
  assert.equal(client.call("append", "k", "\x00\xfe"), 5);
  assert.equal(client.call("get", "k"), "123\x00\xfe");
  assert.equal(client.call("strlen", "k"), 5);
  client.call("setex", "t", "100", "a");
  client.call("append", "t", "b");
  assert.ok(pttl(server, "t") > 0, "APPEND keeps the TTL");
});

test("APPEND and SETRANGE respect proto-max-bulk-len", () => {
  const { client } = testServer({ "proto-max-bulk-len": "1048576" });
  client.call("set", "k", "x".repeat(1048570));
  assert.throws(() => client.call("append", "k", "1234567"), /^Error: ERR string exceeds maximum allowed size \(proto-max-bulk-len\)$/);
  assert.equal(client.call("append", "k", "123456"), 1048576);
  assert.throws(() => client.call("setrange", "k", "1048576", "x"), /exceeds maximum allowed size/);
  assert.throws(() => client.call("setrange", "new", "1048576", "x"), /exceeds maximum allowed size/);
  assert.throws(() => client.call("setrange", "new", "9223372036854775807", "x"), /exceeds maximum allowed size/);
  assert.equal(client.call("exists", "new"), 0);
});

test("INCR family is int64-exact", () => {
  const { client, server } = testServer();
  assert.equal(client.call("incr", "n"), 1);
  assert.equal(client.call("incrby", "n", "41"), 42);
  assert.equal(client.call("decr", "n"), 41);
  assert.equal(client.call("decrby", "n", "-9"), 50);
  client.call("set", "n", "9223372036854775806");
  assert.equal(client.call("incr", "n"), 9223372036854775807n);
  assert.throws(() => client.call("incr", "n"), /^Error: ERR increment or decrement would overflow$/);
  client.call("set", "n", "-9223372036854775807");
  assert.equal(client.call("decr", "n"), -9223372036854775808n);
  assert.equal(client.call("get", "n"), "-9223372036854775808");
  assert.throws(() => client.call("decr", "n"), /^Error: ERR increment or decrement would overflow$/);
  client.call("set", "n", "9007199254740993");
  assert.equal(client.call("incrby", "n", "2"), 9007199254740995n);
  assert.equal(client.call("get", "n"), "9007199254740995");
  assert.equal(client.call("decrby", "n", "9007199254740995"), 0);
  assert.throws(() => client.call("decrby", "n", "-9223372036854775808"), /^Error: ERR decrement would overflow$/);
  assert.throws(() => client.call("incrby", "n", "1.5"), NOT_INT);
  assert.throws(() => client.call("incrby", "n", "9223372036854775808"), NOT_INT);
  for (const bad of ["+1", "01", "-0", " 1", "1 ", "", "9223372036854775808", "1e3"]) {
    client.call("set", "b", bad);
    assert.throws(() => client.call("incr", "b"), NOT_INT, JSON.stringify(bad));
  }
  client.call("setex", "t", "100", "5");
  assert.equal(client.call("incr", "t"), 6);
  assert.ok(pttl(server, "t") > 0, "INCR keeps the TTL");
  assert.equal(encodingOf(server, "t"), "int");
});

test("INCRBYFLOAT computes and prints like Redis's long double", () => {
  const { client, server } = testServer();
  const results: string[] = [];
  for (let i = 0; i < 10; i++) results.push(client.call("incrbyfloat", "f", "0.1") as string);
  assert.deepEqual(results, ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7", "0.8", "0.9", "1"]);
  assert.equal(encodingOf(server, "f"), "embstr", "INCRBYFLOAT results are never int-encoded");
  client.call("set", "f", "10.5");
  assert.equal(client.call("incrbyfloat", "f", "0.1"), "10.6");
  client.call("set", "f", "17179869184");
  assert.equal(client.call("incrbyfloat", "f", "17179869184"), "34359738368");
  assert.equal(client.call("incrbyfloat", "g", "1.23456789012345678901234567"), "1.23456789012345679");
  assert.equal(client.call("incrbyfloat", "h", "1e20"), "100000000000000000000");
  assert.equal(client.call("incrbyfloat", "i", "0x1.8p1"), "3");
  assert.equal(client.call("incrbyfloat", "j", "-1e-18"), "0");
  client.call("del", "z");
  client.call("incrbyfloat", "z", String(1 / 41));
  assert.equal(client.call("incrbyfloat", "z", String(-1 / 41)), "0", "no negative zero");
  for (const bad of [" 1", "1 ", "nan", "1e", "", "1e5000", "1e-5000", "0x", "1\x002", "abc"]) {
    assert.throws(() => client.call("incrbyfloat", "k", bad), NOT_FLOAT, JSON.stringify(bad));
  }
  client.call("set", "k", "1");
  client.call("setrange", "k", "2", "2");
  assert.throws(() => client.call("incrbyfloat", "k", "1"), NOT_FLOAT);
  client.call("set", "k", "0");
  assert.throws(() => client.call("incrbyfloat", "k", "+inf"), /^Error: ERR increment would produce NaN or Infinity$/);
  client.call("set", "k", "1.18973149535723176502e+4932");
  assert.throws(() => client.call("incrbyfloat", "k", "1.18973149535723176502e+4932"), /NaN or Infinity/, "overflow");
  client.call("setex", "t", "100", "1");
  assert.equal(client.call("incrbyfloat", "t", "1.5"), "2.5");
  assert.ok(pttl(server, "t") > 0, "INCRBYFLOAT keeps the TTL");
});

test("long double helpers round like x87 strtold and printf", () => {
  const sum = (a: string, b: string) => longDoubleToString(addLongDouble(parseLongDouble(a)!, parseLongDouble(b)!)!);
  assert.equal(sum("0.1", "0.2"), "0.3");
  assert.equal(sum("0", "0.000003814697265625"), "0.00000381469726562", "ties round to even");
  assert.equal(sum("0", "0.000011444091796875"), "0.00001144409179688");
  assert.equal(sum("-0", "-0"), "0");
  assert.equal(sum("1e400", "-1e400"), "0");
  assert.equal(parseLongDouble("1.5e-4950") === null, false, "subnormals are accepted");
  assert.equal(parseLongDouble("1e-4951"), null, "underflow to zero is rejected");
  assert.equal(sum("123456789012345678901234567890", "0"), "123456789012345678899921813504");
});

test("GETRANGE and SUBSTR", () => {
  const { client } = testServer();
  assert.equal(client.call("getrange", "k", "0", "-1"), "");
  assert.throws(() => client.call("getrange", "k", "a", "1"), NOT_INT);
  client.call("set", "k", "Hello World");
  assert.equal(client.call("getrange", "k", "0", "3"), "Hell");
  assert.equal(client.call("getrange", "k", "0", "-1"), "Hello World");
  assert.equal(client.call("getrange", "k", "-4", "-1"), "orld");
  assert.equal(client.call("getrange", "k", "5", "3"), "");
  assert.equal(client.call("getrange", "k", "-1", "-5"), "");
  assert.equal(client.call("getrange", "k", "5", "5000"), " World");
  assert.equal(client.call("getrange", "k", "-5000", "10000"), "Hello World");
  assert.equal(client.call("getrange", "k", "0", "4294967297"), "Hello World");
  assert.equal(client.call("getrange", "k", "-9223372036854775808", "9223372036854775807"), "Hello World");
  assert.equal(client.call("substr", "k", "6", "-1"), "World");
  client.call("set", "e", "");
  assert.equal(client.call("getrange", "e", "0", "-1"), "");
});

test("SETRANGE pads, keeps encodings as Redis and stays fast on big values", () => {
  const { client, server } = testServer();
  assert.equal(client.call("setrange", "k", "0", ""), 0);
  assert.equal(client.call("exists", "k"), 0);
  assert.equal(client.call("setrange", "k", "1", "foo"), 4);
  assert.equal(client.call("get", "k"), "\x00foo");
  assert.equal(encodingOf(server, "k"), "raw");
  client.call("set", "k", "foo");
  assert.equal(client.call("setrange", "k", "4", "bar"), 7);
  assert.equal(client.call("get", "k"), "foo\x00bar");
  assert.equal(client.call("setrange", "k", "1", "XY"), 7);
  assert.equal(client.call("get", "k"), "fXY\x00bar");
  client.call("set", "k", "1234");
  assert.equal(encodingOf(server, "k"), "int");
  assert.equal(client.call("setrange", "k", "0", ""), 4);
  assert.equal(encodingOf(server, "k"), "int", "nothing set, nothing changed");
  assert.equal(client.call("setrange", "k", "0", "2"), 4);
  assert.equal(client.call("get", "k"), "2234");
  assert.equal(encodingOf(server, "k"), "raw");
  client.call("set", "k", "1234");
  assert.equal(encodingOf(server, "k"), "int", "a new value clears the raw mark");
  assert.throws(() => client.call("setrange", "k", "-1", "x"), /^Error: ERR offset is out of range$/);
  assert.throws(() => client.call("setrange", "k", "x", "x"), NOT_INT);
  client.call("setex", "t", "100", "abc");
  client.call("setrange", "t", "1", "Z");
  assert.ok(pttl(server, "t") > 0, "SETRANGE keeps the TTL");

  const mb = 1 << 20;
  client.call("set", "big", "x".repeat(mb));
  for (let i = 0; i < 200; i++) {
    client.call("setrange", "big", String((i * 7919) % mb), "abc");
    client.call("append", "big", "y");
  }
  assert.equal(client.call("strlen", "big"), mb + 200);
  const value = client.call("get", "big") as string;
  assert.equal(value.slice(0, 3), "abc");
  assert.equal(value.slice(-3), "yyy");
});

test("encodings follow Redis's rules", () => {
  const { client, server } = testServer();
  const cases: [string, string][] = [
    ["123", "int"], ["-9223372036854775808", "int"], ["12345678901234567890", "embstr"], ["-0", "embstr"],
    ["a".repeat(44), "embstr"], ["a".repeat(45), "raw"],
  ];
  for (const [value, encoding] of cases) {
    client.call("set", "k", value);
    assert.equal(encodingOf(server, "k"), encoding, value);
  }
  client.call("set", "k", "5");
  client.call("incr", "k");
  assert.equal(encodingOf(server, "k"), "int");
});

test("LCS", () => {
  const { client, server } = testServer();
  client.call("set", "a", "ohmytext");
  client.call("set", "b", "mynewtext");
  assert.equal(client.call("lcs", "a", "b"), "mytext");
  assert.equal(client.call("lcs", "a", "b", "len"), 6);
  assert.deepEqual(client.call("lcs", "a", "b", "idx"), ["matches", [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], "len", 6]);
  assert.deepEqual(client.call("lcs", "a", "b", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"), ["matches", [[[4, 7], [5, 8], 4]], "len", 6]);
  assert.deepEqual(client.call("lcs", "a", "b", "idx", "minmatchlen", "-5"), ["matches", [[[4, 7], [5, 8]], [[2, 3], [0, 1]]], "len", 6]);
  assert.equal(client.call("lcs", "no1", "no2"), "");
  assert.deepEqual(client.call("lcs", "no1", "no2", "idx"), ["matches", [], "len", 0]);
  assert.throws(() => client.call("lcs", "a", "b", "len", "idx"), /^Error: ERR If you want both the length and indexes, please just use IDX.$/);
  assert.throws(() => client.call("lcs", "a", "b", "minmatchlen"), SYNTAX);
  assert.throws(() => client.call("lcs", "a", "b", "minmatchlen", "x"), NOT_INT);
  assert.throws(() => client.call("lcs", "a", "b", "foo"), SYNTAX);
  server.dbs[0].set("h", "hash", new Map());
  assert.throws(() => client.call("lcs", "a", "h", "foo"), /^Error: ERR The specified keys must contain string values$/);
  client.call("set", "bin1", "\x00\xff\x01\x02");
  client.call("set", "bin2", "\xff\x02");
  assert.equal(client.call("lcs", "bin1", "bin2"), "\xff\x02");
});

test("LCS table size is bounded by proto-max-bulk-len", () => {
  const { client } = testServer({ "proto-max-bulk-len": "1048576" });
  client.call("set", "a", "x".repeat(1000));
  client.call("set", "b", "x".repeat(1000));
  assert.throws(() => client.call("lcs", "a", "b"), /^Error: ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len$/);
});

test("keyspace notifications", () => {
  const { client, server } = testServer();
  const log = recordEvents(server);
  client.call("set", "k", "1");
  client.call("set", "k", "1", "ex", "100");
  client.call("set", "k", "2", "nx");
  client.call("incr", "k");
  client.call("incrbyfloat", "k", "1");
  client.call("append", "k", "x");
  client.call("setrange", "k", "0", "y");
  client.call("setrange", "k", "0", "");
  client.call("getex", "k", "px", "1000");
  client.call("getex", "k", "persist");
  client.call("getex", "k", "persist");
  client.call("getdel", "k");
  client.call("mset", "a", "1", "b", "2");
  assert.deepEqual(log, [
    "$:set:k", "$:set:k", "g:expire:k", "$:incrby:k", "$:incrbyfloat:k", "$:append:k", "$:setrange:k",
    "g:expire:k", "g:persist:k", "g:del:k", "$:set:a", "$:set:b",
  ]);
});

test("writes count as dirty only when they change something", () => {
  // Each change of a key counts once (the database counts its modifications).
  const { client, server } = testServer();
  const dirty = (fn: (c: TestClient) => void) => {
    const before = server.dirty;
    fn(client);
    return server.dirty - before;
  };
  assert.equal(dirty((c) => c.call("set", "k", "v")), 1);
  assert.equal(dirty((c) => c.call("incr", "n")), 1);
  assert.equal(dirty((c) => c.call("getex", "k", "persist")), 0);
  assert.equal(dirty((c) => c.call("set", "k", "v", "nx")), 0);
  assert.equal(dirty((c) => c.call("getex", "k")), 0);
  assert.equal(dirty((c) => c.call("mset", "a", "1", "b", "2")), 2);
  assert.equal(dirty((c) => c.call("msetnx", "a", "1", "c", "2")), 0);
  assert.equal(dirty((c) => c.call("setrange", "k", "0", "")), 0);
  assert.equal(dirty((c) => c.call("get", "k")), 0);
});

test("key positions in the specs", () => {
  const { server } = testServer();
  assert.deepEqual(server.commands.get("mset")!.keys, { first: 1, last: -1, step: 2 });
  assert.deepEqual(server.commands.get("mget")!.keys, { first: 1, last: -1, step: 1 });
  assert.deepEqual(server.commands.get("lcs")!.keys, { first: 1, last: 2, step: 1 });
  assert.deepEqual(server.commands.get("set")!.flags, ["write", "denyoom"]);
});

test("big values edited in place read back exactly everywhere", () => {
  const { client, server } = testServer();
  const size = 100_000;
  let model = "a".repeat(size);
  client.call("set", "big", model);
  const edits: [number, string][] = [[0, "XY"], [size - 1, "END"], [size + 10, "gap"], [50_000, "\x00\xff\x80"], [5, ""]];
  for (const [offset, bytes] of edits) {
    if (bytes.length === 0) continue;
    if (offset > model.length) model += "\0".repeat(offset - model.length);
    model = model.slice(0, offset) + bytes + model.slice(offset + bytes.length);
    assert.equal(client.call("setrange", "big", offset, bytes), model.length);
  }
  for (let i = 0; i < 50; i++) {
    const chunk = `chunk-${i}-`.repeat(i * 100);
    model += chunk;
    assert.equal(client.call("append", "big", chunk), model.length);
  }
  assert.equal(client.call("strlen", "big"), model.length);
  assert.equal(client.call("getrange", "big", "99990", "100020"), model.slice(99990, 100021));
  assert.equal(client.call("get", "big"), model);
  assert.equal(server.dbs[0].peek("big")!.value, model, "entry.value is the plain string for every reader");
  assert.equal(encodingOf(server, "big"), "raw");
  assert.equal(client.call("getrange", "big", "-3", "-1"), model.slice(-3));
  assert.deepEqual(client.call("mget", "big"), [model]);
  // Any new value replaces the edited one.
  client.call("set", "big", "12");
  assert.equal(client.call("get", "big"), "12");
  assert.equal(encodingOf(server, "big"), "int");
  assert.equal(client.call("append", "big", "3"), 3);
  assert.equal(client.call("incr", "big"), 124);
});

test("in-place edits signal the change once", () => {
  const { client, server } = testServer();
  client.call("set", "big", "x".repeat(20_000));
  const changed: string[] = [];
  const db = server.dbs[0];
  const events = Object.create(db.events);
  events.keyModified = (_db: unknown, key: string) => changed.push(key);
  db.events = events;
  client.call("setrange", "big", "5", "abc");
  client.call("append", "big", "abc");
  client.call("setrange", "new", "3", "abc");
  client.call("append", "new2", "abc");
  assert.deepEqual(changed, ["big", "big", "new", "new2"]);
  assert.equal(client.call("get", "new"), "\0\0\0abc");
});
