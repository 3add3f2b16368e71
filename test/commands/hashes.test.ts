import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, type TestClient, recordEvents } from "../helpers/in-process.js";
import type { Server } from "../../src/server/server.js";

const WRONGTYPE = /^Error: WRONGTYPE Operation against a key holding the wrong kind of value$/;
const SYNTAX = /^Error: ERR syntax error$/;
const NOT_INT = /^Error: ERR value is not an integer or out of range$/;

/** Records keyspace notifications of db 0 as "class:event:key" ("new" events left out). */

function fill(client: TestClient, key: string, n: number): void {
  const args: string[] = [];
  for (let i = 0; i < n; i++) args.push(`f${i}`, `v${i}`);
  client.call("hset", key, ...args);
}

test("HSET/HGET/HMGET/HLEN/HEXISTS/HSTRLEN basics", () => {
  const { client } = testServer();
  assert.equal(client.call("hset", "h", "a", "1", "b", "22"), 2);
  assert.equal(client.call("hset", "h", "a", "x", "c", "333"), 1);
  assert.equal(client.call("hget", "h", "a"), "x");
  assert.equal(client.call("hget", "h", "nope"), null);
  assert.equal(client.call("hget", "missing", "a"), null);
  assert.deepEqual(client.call("hmget", "h", "a", "nope", "c"), ["x", null, "333"]);
  assert.deepEqual(client.call("hmget", "missing", "a", "b"), [null, null]);
  assert.equal(client.call("hlen", "h"), 3);
  assert.equal(client.call("hlen", "missing"), 0);
  assert.equal(client.call("hexists", "h", "b"), 1);
  assert.equal(client.call("hexists", "h", "nope"), 0);
  assert.equal(client.call("hstrlen", "h", "c"), 3);
  assert.equal(client.call("hstrlen", "h", "nope"), 0);
  assert.equal(client.call("hmset", "h", "d", "4"), "OK");
  assert.equal(client.call("type", "h"), "hash");
});

test("HSET/HMSET need field/value pairs", () => {
  const { client } = testServer();
  assert.throws(() => client.call("hset", "h", "a", "1", "b"), /^Error: ERR wrong number of arguments for 'hset' command$/);
  assert.throws(() => client.call("hmset", "h", "a", "1", "b"), /^Error: ERR wrong number of arguments for 'hmset' command$/);
  assert.throws(() => client.call("hset", "h", "a"), /^Error: ERR wrong number of arguments for 'hset' command$/);
  assert.equal(client.call("exists", "h"), 0);
});

test("HSETNX sets only missing fields", () => {
  const { client } = testServer();
  assert.equal(client.call("hsetnx", "h", "a", "foo"), 1);
  assert.equal(client.call("hsetnx", "h", "a", "bar"), 0);
  assert.equal(client.call("hget", "h", "a"), "foo");
});

test("HDEL returns the number removed and deletes an emptied hash", () => {
  const { client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2", "c", "3");
  assert.equal(client.call("hdel", "h", "x", "y"), 0);
  assert.equal(client.call("hdel", "h", "a", "a", "b"), 2);
  assert.equal(client.call("hdel", "h", "c"), 1);
  assert.equal(client.call("exists", "h"), 0);
  assert.equal(client.call("hdel", "missing", "a"), 0);
});

test("HKEYS/HVALS/HGETALL, and HGETALL is a map in RESP3", () => {
  const { client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2");
  assert.deepEqual(client.call("hkeys", "h"), ["a", "b"]);
  assert.deepEqual(client.call("hvals", "h"), ["1", "2"]);
  assert.deepEqual(client.call("hgetall", "h"), ["a", "1", "b", "2"]);
  assert.deepEqual(client.call("hgetall", "missing"), []);
  assert.equal((client.reply("hgetall", "h") as { t: string }).t, "map");
});

test("hash commands against a string are WRONGTYPE", () => {
  const { client } = testServer();
  client.call("set", "s", "v");
  for (const argv of [
    ["hset", "s", "a", "1"], ["hsetnx", "s", "a", "1"], ["hget", "s", "a"], ["hmset", "s", "a", "1"], ["hmget", "s", "a"],
    ["hdel", "s", "a"], ["hlen", "s"], ["hstrlen", "s", "a"], ["hexists", "s", "a"], ["hkeys", "s"], ["hvals", "s"],
    ["hgetall", "s"], ["hincrby", "s", "a", "1"], ["hincrbyfloat", "s", "a", "1"], ["hrandfield", "s"],
    ["hrandfield", "s", "2"], ["hscan", "s", "0"],
  ]) {
    assert.throws(() => client.call(...argv), WRONGTYPE, argv.join(" "));
  }
});

test("HINCRBY with int64 bounds and Redis's errors", () => {
  const { client } = testServer();
  assert.equal(client.call("hincrby", "h", "n", 2), 2);
  assert.equal(client.call("hincrby", "h", "n", -5), -3);
  client.call("hset", "h", "big", "17179869184");
  assert.equal(client.call("hincrby", "h", "big", "17179869184"), 34359738368);
  client.call("hset", "h", "edge", "-9223372036854775484");
  assert.equal(client.call("hincrby", "h", "edge", -1), -9223372036854775485n);
  assert.throws(() => client.call("hincrby", "h", "edge", -10000), /^Error: ERR increment or decrement would overflow$/);
  client.call("hset", "h", "str", " 11");
  assert.throws(() => client.call("hincrby", "h", "str", 1), /^Error: ERR hash value is not an integer$/);
  assert.throws(() => client.call("hincrby", "h", "n", "x"), NOT_INT);
  assert.equal(client.call("hget", "h", "n"), "-3");
});

test("HINCRBYFLOAT adds as long doubles and prints like Redis", () => {
  const { client } = testServer();
  assert.equal(client.call("hincrbyfloat", "h", "f", "1.23"), "1.23");
  assert.equal(client.call("hincrbyfloat", "h", "f", "0.77"), "2");
  assert.equal(client.call("hincrbyfloat", "h", "f", "-0.1"), "1.9");
  assert.equal(client.call("hincrbyfloat", "h", "g", "0.1"), "0.1");
  assert.equal(client.call("hincrbyfloat", "h", "g", "0.2"), "0.3");
  assert.equal(client.call("hincrbyfloat", "h", "z", "0.0000005"), "0.0000005");
  client.call("hset", "h", "i", "17179869184");
  assert.equal(client.call("hincrbyfloat", "h", "i", "1"), "17179869185");
  assert.equal(client.call("hget", "h", "g"), "0.3");
});

test("HINCRBYFLOAT errors", () => {
  const { client } = testServer();
  client.call("hset", "h", "str", "11 ", "nul", "1\x002", "inf", "inf");
  assert.throws(() => client.call("hincrbyfloat", "h", "str", 1), /^Error: ERR hash value is not a float$/);
  assert.throws(() => client.call("hincrbyfloat", "h", "nul", 1), /^Error: ERR hash value is not a float$/);
  assert.throws(() => client.call("hincrbyfloat", "h", "inf", 1), /^Error: ERR increment would produce NaN or Infinity$/);
  assert.throws(() => client.call("hincrbyfloat", "h", "x", "abc"), /^Error: ERR value is not a valid float$/);
  assert.throws(() => client.call("hincrbyfloat", "other", "x", "+inf"), /^Error: ERR value is NaN or Infinity$/);
  assert.equal(client.call("exists", "other"), 0);
});

test("encoding: listpack while small, hashtable past either limit, and never back", () => {
  const { client } = testServer();
  client.call("config", "set", "hash-max-listpack-entries", "4");
  client.call("config", "set", "hash-max-listpack-value", "8");
  fill(client, "h", 4);
  assert.equal(client.call("object", "encoding", "h"), "listpack");
  client.call("hset", "h", "one-more", "x");
  assert.equal(client.call("object", "encoding", "h"), "hashtable");
  client.call("hdel", "h", "f0", "f1", "f2", "f3");
  assert.equal(client.call("object", "encoding", "h"), "hashtable");

  client.call("hset", "v", "f", "12345678");
  assert.equal(client.call("object", "encoding", "v"), "listpack");
  client.call("hset", "v", "f", "123456789");
  assert.equal(client.call("object", "encoding", "v"), "hashtable");

  client.call("hincrbyfloat", "small", "tmp", "0.000005");
  client.call("hincrbyfloat", "big", "tmp", "0.0000005");
  client.call("hincrbyfloat", "bigfield", "abcdefghi", "1");
  assert.equal(client.call("object", "encoding", "small"), "listpack");
  assert.equal(client.call("object", "encoding", "big"), "hashtable");
  assert.equal(client.call("object", "encoding", "bigfield"), "hashtable");
});

test("COPY keeps the encoding and shares nothing", () => {
  const { client } = testServer();
  client.call("config", "set", "hash-max-listpack-entries", "2");
  fill(client, "h", 3);
  client.call("copy", "h", "c");
  client.call("hset", "c", "new", "1");
  assert.equal(client.call("hlen", "h"), 3);
  assert.equal(client.call("hlen", "c"), 4);
  assert.equal(client.call("object", "encoding", "c"), "hashtable");
});

test("HRANDFIELD without count, with positive and negative counts", () => {
  const { client } = testServer();
  assert.equal(client.call("hrandfield", "missing"), null);
  assert.deepEqual(client.call("hrandfield", "missing", 5), []);
  fill(client, "h", 10);
  const fields = new Set(client.call("hkeys", "h") as string[]);
  assert.ok(fields.has(client.call("hrandfield", "h") as string));
  assert.deepEqual(client.call("hrandfield", "h", 0), []);

  const all = client.call("hrandfield", "h", 20) as string[];
  assert.deepEqual([...all].sort(), [...fields].sort());
  for (const size of [2, 8]) {
    const some = client.call("hrandfield", "h", size) as string[];
    assert.equal(some.length, size);
    assert.equal(new Set(some).size, size);
    for (const f of some) assert.ok(fields.has(f));
  }
  const repeated = client.call("hrandfield", "h", -50) as string[];
  assert.equal(repeated.length, 50);
  for (const f of repeated) assert.ok(fields.has(f));

  const pairs = client.call("hrandfield", "h", -5, "withvalues") as string[];
  assert.equal(pairs.length, 10);
  for (let i = 0; i < pairs.length; i += 2) assert.equal(pairs[i + 1], pairs[i].replace("f", "v"));
});

test("HRANDFIELD returns every field eventually, for big hashes too", () => {
  const { client } = testServer();
  fill(client, "h", 300);
  const seen = new Set<string>();
  for (let i = 0; i < 100 && seen.size < 300; i++) for (const f of client.call("hrandfield", "h", -100) as string[]) seen.add(f);
  assert.equal(seen.size, 300);
  client.call("hdel", "h", "f0");
  for (let i = 0; i < 200; i++) assert.notEqual(client.call("hrandfield", "h"), "f0");
});

test("HRANDFIELD WITHVALUES is an array of pairs in RESP3", () => {
  const { client } = testServer();
  fill(client, "h", 5);
  client.call("hello", 3);
  const res = client.call("hrandfield", "h", 3, "withvalues") as string[][];
  assert.equal(res.length, 3);
  for (const pair of res) assert.equal(pair.length, 2);
  const plain = client.call("hrandfield", "h", 3) as string[];
  for (const f of plain) assert.equal(typeof f, "string");
});

test("HRANDFIELD argument errors", () => {
  const { client } = testServer();
  client.call("hset", "h", "a", "1");
  assert.throws(() => client.call("hrandfield", "h", "-9223372036854770000", "withvalues"), /^Error: ERR value is out of range$/);
  assert.throws(
    () => client.call("hrandfield", "h", "-9223372036854775808"),
    /^Error: ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807$/,
  );
  assert.throws(() => client.call("hrandfield", "h", "x"), NOT_INT);
  assert.throws(() => client.call("hrandfield", "h", 1, "withvaluesx"), SYNTAX);
  assert.throws(() => client.call("hrandfield", "h", 1, "withvalues", "x"), SYNTAX);
});

test("HSCAN of a small hash returns everything with cursor 0", () => {
  const { client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2", "c", "3");
  assert.deepEqual(client.call("hscan", "h", 0, "count", 1), ["0", ["a", "1", "b", "2", "c", "3"]]);
  assert.deepEqual(client.call("hscan", "h", 0, "match", "[ab]"), ["0", ["a", "1", "b", "2"]]);
  assert.deepEqual(client.call("hscan", "missing", 0), ["0", []]);
  assert.throws(() => client.call("hscan", "h", "abc"), /^Error: ERR invalid cursor$/);
  assert.throws(() => client.call("hscan", "h", 0, "count", 0), SYNTAX);
  assert.throws(() => client.call("hscan", "h", 0, "match"), SYNTAX);
});

test("HSCAN of a big hash visits every stable field exactly once despite changes", () => {
  const { client } = testServer();
  fill(client, "h", 1000);
  const seen = new Map<string, number>();
  let cursor = "0";
  let round = 0;
  do {
    const [next, items] = client.call("hscan", "h", cursor, "count", 50) as [string, string[]];
    for (let i = 0; i < items.length; i += 2) seen.set(items[i], (seen.get(items[i]) ?? 0) + 1);
    // Churn: delete fields not yet seen far ahead and add new ones.
    client.call("hset", "h", `new${round}`, "x");
    client.call("hdel", "h", `f${999 - round}`);
    round++;
    cursor = next;
  } while (cursor !== "0");
  for (let i = 0; i < 1000 - round; i++) assert.equal(seen.get(`f${i}`), 1, `f${i}`);
  for (const count of seen.values()) assert.equal(count, 1);
});

test("HSCAN MATCH on a big hash filters fields", () => {
  const { client } = testServer();
  fill(client, "h", 200);
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, items] = client.call("hscan", "h", cursor, "match", "f1?") as [string, string[]];
    found.push(...items);
    cursor = next;
  } while (cursor !== "0");
  assert.deepEqual(found, ["f10", "v10", "f11", "v11", "f12", "v12", "f13", "v13", "f14", "v14", "f15", "v15", "f16", "v16", "f17", "v17", "f18", "v18", "f19", "v19"]);
});

test("hash events", () => {
  const { server, client } = testServer();
  const events = recordEvents(server);
  client.call("hset", "h", "a", "1");
  client.call("hsetnx", "h", "b", "2");
  client.call("hsetnx", "h", "b", "3");
  client.call("hincrby", "h", "a", 1);
  client.call("hincrbyfloat", "h", "a", "1.5");
  client.call("hdel", "h", "nothing");
  client.call("hdel", "h", "a");
  client.call("hdel", "h", "b");
  assert.deepEqual(events, ["h:hset:h", "h:hset:h", "h:hincrby:h", "h:hincrbyfloat:h", "h:hdel:h", "h:hdel:h", "g:del:h"]);
});
