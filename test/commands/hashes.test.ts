import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, type TestClient, recordEvents } from "../helpers/in-process.js";
import type { Server } from "../../src/server/server.js";
import { activeExpireFields } from "../../src/engine/types/hash.js";
import { tick } from "../../src/engine/clock.js";

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Records what the server propagates to the AOF, as space-joined argv. */
function recordPropagation(server: Server): string[] {
  const log: string[] = [];
  server.propagateListeners.push((_db, argv) => log.push(argv.join(" ")));
  return log;
}

test("HEXPIRE family: per-field codes and NX XX GT LT", () => {
  const { client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2", "c", "3");
  assert.deepEqual(client.call("hexpire", "h", 100, "FIELDS", 2, "a", "nope"), [1, -2]);
  assert.deepEqual(client.call("hexpire", "missing", 100, "FIELDS", 2, "a", "b"), [-2, -2]);
  assert.deepEqual(client.call("hexpire", "h", 200, "nx", "FIELDS", 2, "a", "b"), [0, 1]);
  assert.deepEqual(client.call("hexpire", "h", 300, "xx", "FIELDS", 2, "a", "c"), [1, 0]);
  assert.deepEqual(client.call("hexpire", "h", 250, "gt", "FIELDS", 3, "a", "b", "c"), [0, 1, 0]);
  assert.deepEqual(client.call("hexpire", "h", 50, "lt", "FIELDS", 3, "a", "b", "c"), [1, 1, 1]);
  assert.deepEqual(client.call("httl", "h", "FIELDS", 4, "a", "b", "c", "nope"), [50, 50, 50, -2]);
  assert.deepEqual(client.call("hpexpire", "h", 1500, "FIELDS", 1, "a"), [1]);
  assert.deepEqual(client.call("httl", "h", "FIELDS", 1, "a"), [2]); // rounded up
  const pttl = client.call("hpttl", "h", "FIELDS", 1, "a") as number[];
  assert.ok(pttl[0] > 1000 && pttl[0] <= 1500);
  assert.deepEqual(client.call("hexpireat", "h", 4000000000, "FIELDS", 1, "b"), [1]);
  assert.deepEqual(client.call("hexpiretime", "h", "FIELDS", 1, "b"), [4000000000]);
  assert.deepEqual(client.call("hpexpireat", "h", 4000000000123, "FIELDS", 1, "b"), [1]);
  assert.deepEqual(client.call("hpexpiretime", "h", "FIELDS", 1, "b"), [4000000000123]);
  assert.deepEqual(client.call("hexpiretime", "h", "FIELDS", 1, "b"), [4000000001]);
  assert.deepEqual(client.call("hpersist", "h", "FIELDS", 3, "a", "nope", "b"), [1, -2, 1]);
  assert.deepEqual(client.call("hpersist", "h", "FIELDS", 1, "a"), [-1]);
  assert.deepEqual(client.call("httl", "h", "FIELDS", 1, "a"), [-1]);
  assert.deepEqual(client.call("hpersist", "missing", "FIELDS", 1, "a"), [-2]);
});

test("HEXPIRE with a past time deletes the fields, and the key with the last one", () => {
  const { server, client } = testServer();
  const events = recordEvents(server);
  client.call("hset", "h", "a", "1", "b", "2");
  assert.deepEqual(client.call("hexpire", "h", 0, "FIELDS", 1, "a"), [2]);
  assert.deepEqual(client.call("hgetall", "h"), ["b", "2"]);
  assert.deepEqual(client.call("hpexpireat", "h", 1, "FIELDS", 2, "b", "b"), [2, -2]);
  assert.equal(client.call("exists", "h"), 0);
  assert.deepEqual(events, ["h:hset:h", "h:hdel:h", "h:hdel:h", "g:del:h"]);
});

test("field expiry errors", () => {
  const { client } = testServer();
  client.call("hset", "h", "a", "1");
  client.call("set", "s", "x");
  assert.throws(() => client.call("hexpire", "s", 10, "FIELDS", 1, "a"), WRONGTYPE);
  assert.throws(() => client.call("httl", "s", "FIELDS", 1, "a"), WRONGTYPE);
  assert.throws(() => client.call("hexpire", "h", 10, "FIELDS", 0, "a"), /^Error: ERR Parameter `numFields` should be greater than 0$/);
  assert.throws(() => client.call("hexpire", "h", 10, "FIELDS", "x", "a"), /^Error: ERR Parameter `numFields` should be greater than 0$/);
  assert.throws(() => client.call("hexpire", "h", 10, "FIELDS", 2, "a"), /^Error: ERR The `numfields` parameter must match the number of arguments$/);
  assert.throws(() => client.call("hexpire", "h", 10, "NX", "XX", "FIELDS", 1, "a"), /^Error: ERR Mandatory argument FIELDS is missing or not at the right position$/);
  assert.throws(() => client.call("hexpire", "h", -1, "FIELDS", 1, "a"), /^Error: ERR invalid expire time, must be >= 0$/);
  assert.throws(() => client.call("hexpire", "h", "x", "FIELDS", 1, "a"), NOT_INT);
  assert.throws(() => client.call("hexpireat", "h", 70368744177664, "FIELDS", 1, "a"), /^Error: ERR invalid expire time in 'hexpireat' command$/);
  assert.throws(() => client.call("hpexpireat", "h", 70368744177664, "FIELDS", 1, "a"), /^Error: ERR invalid expire time in 'hpexpireat' command$/);
  assert.throws(() => client.call("httl", "h", "FIELDS", 0, "a"), /^Error: ERR Number of fields must be a positive integer$/);
  assert.throws(() => client.call("hpersist", "h", "FIELDZ", 1, "a"), /^Error: ERR Mandatory argument FIELDS is missing or not at the right position$/);
  assert.throws(() => client.call("hexpire", "h", 10, "FIELDS", 1), /^Error: ERR wrong number of arguments for 'hexpire' command$/);
});

test("expired fields are invisible, removed on access, and the key goes with the last one", async () => {
  const { server, client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2", "c", "3");
  client.call("hpexpire", "h", 1, "FIELDS", 2, "a", "b");
  const events = recordEvents(server);
  const aof = recordPropagation(server);
  await sleep(10);
  assert.equal(client.call("hget", "h", "a"), null);
  assert.deepEqual(events, ["h:hexpired:h"]);
  assert.deepEqual(aof, ["hdel h a b"]);
  assert.equal(client.call("hlen", "h"), 1);
  assert.deepEqual(client.call("hgetall", "h"), ["c", "3"]);
  assert.equal(client.call("hexists", "h", "b"), 0);
  client.call("hpexpire", "h", 1, "FIELDS", 1, "c");
  await sleep(10);
  assert.equal(client.call("hlen", "h"), 0);
  assert.equal(client.call("exists", "h"), 0);
  assert.deepEqual(events, ["h:hexpired:h", "h:hexpire:h", "h:hexpired:h", "g:del:h"]);
});

test("active expiry removes expired fields nobody reads", async () => {
  const { server, client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2");
  client.call("hset", "h2", "a", "1");
  client.call("hpexpire", "h", 1, "FIELDS", 1, "a");
  client.call("hpexpire", "h2", 1, "FIELDS", 1, "a");
  client.call("hpexpire", "h", 100000, "FIELDS", 1, "b");
  const events = recordEvents(server);
  const aof = recordPropagation(server);
  await sleep(10);
  tick();
  const db = server.dbs[0];
  assert.equal(activeExpireFields(db, 1000, (argv) => server.propagate(0, argv)), 2);
  assert.equal(db.rawEntry("h2"), undefined);
  assert.deepEqual(client.call("hgetall", "h"), ["b", "2"]);
  assert.deepEqual(events.sort(), ["g:del:h2", "h:hexpired:h", "h:hexpired:h2"]);
  assert.deepEqual(aof.sort(), ["hdel h a", "hdel h2 a"]);
  assert.equal(activeExpireFields(db, 1000, () => {}), 0);
});

test("HSET drops a field's TTL, HINCRBY keeps it; HINCRBYFLOAT propagates HSETEX KEEPTTL", () => {
  const { server, client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2", "c", "3");
  client.call("hexpire", "h", 100, "FIELDS", 3, "a", "b", "c");
  client.call("hset", "h", "a", "9");
  client.call("hincrby", "h", "b", 1);
  const aof = recordPropagation(server);
  client.call("hincrbyfloat", "h", "c", "0.5");
  client.call("hincrbyfloat", "h", "a", "0.5");
  assert.deepEqual(client.call("httl", "h", "FIELDS", 3, "a", "b", "c"), [-1, 100, 100]);
  assert.deepEqual(aof, ["hsetex h KEEPTTL FIELDS 1 c 3.5", "hset h a 9.5"]);
});

test("HEXPIRE propagates HPEXPIREAT for the fields it set, HDEL for those it deleted", () => {
  const { server, client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2");
  const aof = recordPropagation(server);
  client.call("hexpireat", "h", 4000000000, "FIELDS", 3, "a", "nope", "b");
  client.call("hexpire", "h", 10, "NX", "FIELDS", 1, "a");
  client.call("hexpireat", "h", 1, "FIELDS", 1, "b");
  assert.deepEqual(aof, ["hpexpireat h 4000000000000 FIELDS 2 a b", "hdel h b"]);
});

test("OBJECT ENCODING of hashes with field TTLs", () => {
  const { client } = testServer({ "hash-max-listpack-entries": "4" });
  client.call("hset", "h", "a", "1");
  assert.equal(client.call("object", "encoding", "h"), "listpack");
  client.call("hexpire", "h", 100, "FIELDS", 1, "a");
  assert.equal(client.call("object", "encoding", "h"), "listpackex");
  client.call("hpersist", "h", "FIELDS", 1, "a");
  assert.equal(client.call("object", "encoding", "h"), "listpackex");
  fill(client, "h", 5);
  assert.equal(client.call("object", "encoding", "h"), "hashtable");
});

test("COPY and RENAME keep field TTLs, and active expiry follows them", async () => {
  const { server, client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2");
  client.call("hexpire", "h", 100, "FIELDS", 1, "a");
  client.call("copy", "h", "h2");
  client.call("hexpire", "h", 200, "FIELDS", 1, "a");
  assert.deepEqual(client.call("httl", "h2", "FIELDS", 2, "a", "b"), [100, -1]);
  client.call("rename", "h2", "h3");
  assert.deepEqual(client.call("httl", "h3", "FIELDS", 1, "a"), [100]);
  client.call("hpexpire", "h3", 1, "FIELDS", 1, "b");
  client.call("rename", "h3", "h4");
  await sleep(10);
  tick();
  activeExpireFields(server.dbs[0], 1000, () => {});
  const h4 = server.dbs[0].rawEntry("h4")!.value as { size: number };
  assert.equal(h4.size, 1);
  assert.deepEqual(client.call("httl", "h", "FIELDS", 1, "a"), [200]);
});

test("HGETEX reads fields and sets or removes their TTLs", () => {
  const { server, client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2", "c", "3");
  const events = recordEvents(server);
  const aof = recordPropagation(server);
  assert.deepEqual(client.call("hgetex", "h", "FIELDS", 2, "a", "nope"), ["1", null]);
  assert.deepEqual(client.call("hgetex", "h", "EX", 100, "FIELDS", 2, "a", "nope"), ["1", null]);
  assert.deepEqual(client.call("httl", "h", "FIELDS", 1, "a"), [100]);
  assert.deepEqual(client.call("hgetex", "h", "PXAT", 4000000000000, "FIELDS", 1, "b"), ["2"]);
  assert.deepEqual(client.call("hpexpiretime", "h", "FIELDS", 1, "b"), [4000000000000]);
  assert.deepEqual(client.call("hgetex", "h", "PERSIST", "FIELDS", 3, "a", "b", "c"), ["1", "2", "3"]);
  assert.deepEqual(client.call("httl", "h", "FIELDS", 2, "a", "b"), [-1, -1]);
  assert.deepEqual(client.call("hgetex", "h", "EXAT", 1, "FIELDS", 2, "a", "a"), ["1", null]);
  assert.deepEqual(client.call("hgetex", "missing", "EX", 10, "FIELDS", 1, "a"), [null]);
  assert.equal(aof[0].replace(/ \d{13} /, " T "), "hpexpireat h T FIELDS 1 a");
  assert.deepEqual(aof.slice(1), ["hpexpireat h 4000000000000 FIELDS 1 b", "hpersist h FIELDS 2 a b", "hdel h a"]);
  assert.deepEqual(events, ["h:hexpire:h", "h:hexpire:h", "h:hpersist:h", "h:hdel:h"]);
  assert.throws(() => client.call("hgetex", "h", "EX", -1, "FIELDS", 1, "a"), /^Error: ERR invalid expire time, must be >= 0$/);
  assert.throws(() => client.call("hgetex", "h", "FIELDS", 0, "a"), /^Error: ERR Number of fields must be a positive integer$/);
  assert.throws(() => client.call("hgetex", "h", "EX", 10, "a"), /^Error: ERR wrong number of arguments for 'hgetex' command$/);
  assert.throws(() => client.call("hgetex", "h", "XX", "FIELDS", 1, "a"), /^Error: ERR Mandatory argument FIELDS is missing or not at the right position$/);
});

test("HSETEX sets fields with FNX/FXX conditions and TTL options", () => {
  const { server, client } = testServer();
  const events = recordEvents(server);
  const aof = recordPropagation(server);
  assert.equal(client.call("hsetex", "h", "FXX", "FIELDS", 1, "a", "1"), 0);
  assert.equal(client.call("exists", "h"), 0);
  assert.equal(client.call("hsetex", "h", "FNX", "PXAT", 4000000000000, "FIELDS", 2, "a", "1", "b", "2"), 1);
  assert.equal(client.call("hsetex", "h", "FNX", "FIELDS", 2, "b", "x", "c", "3"), 0);
  assert.equal(client.call("hsetex", "h", "FXX", "KEEPTTL", "FIELDS", 1, "a", "10"), 1);
  assert.deepEqual(client.call("hpexpiretime", "h", "FIELDS", 1, "a"), [4000000000000]);
  assert.equal(client.call("hsetex", "h", "FIELDS", 1, "a", "11"), 1);
  assert.deepEqual(client.call("hpexpiretime", "h", "FIELDS", 2, "a", "b"), [-1, 4000000000000]);
  assert.equal(client.call("hsetex", "h", "EX", 100, "FIELDS", 1, "c", "3"), 1);
  assert.deepEqual(client.call("httl", "h", "FIELDS", 1, "c"), [100]);
  assert.equal(client.call("hsetex", "h", "EXAT", 1, "FIELDS", 3, "a", "1", "b", "2", "c", "3"), 1);
  assert.equal(client.call("exists", "h"), 0);
  assert.deepEqual(events, [
    "h:hset:h", "h:hexpire:h", "h:hset:h", "h:hset:h", "h:hset:h", "h:hexpire:h", "h:hset:h", "h:hdel:h", "g:del:h",
  ]);
  assert.equal(aof[3].replace(/ \d{13} /, " T "), "hsetex h PXAT T FIELDS 1 c 3");
  assert.deepEqual([aof[0], aof[1], aof[2], aof[4]], [
    "hsetex h FNX PXAT 4000000000000 FIELDS 2 a 1 b 2",
    "hsetex h FXX KEEPTTL FIELDS 1 a 10",
    "hsetex h FIELDS 1 a 11",
    "hdel h a b c",
  ]);
  assert.throws(() => client.call("hsetex", "h", "FNX", "FXX", "FIELDS", 1, "a", "1"), /^Error: ERR Only one of FXX or FNX arguments can be specified$/);
  assert.throws(() => client.call("hsetex", "h", "EX", 1, "KEEPTTL", "FIELDS", 1, "a", "1"), /^Error: ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified$/);
  assert.throws(() => client.call("hsetex", "h", "FIELDS", 2, "a", "1"), /^Error: ERR wrong number of arguments for 'hsetex' command$/);
  assert.throws(() => client.call("hsetex", "h", "FIELDS", 0, "a", "1"), /^Error: ERR invalid number of fields$/);
  assert.throws(() => client.call("hsetex", "h", "FOO", "FIELDS", 1, "a", "1"), /^Error: ERR unknown argument: FOO$/);
  assert.throws(() => client.call("hsetex", "h", "PX", -5, "FIELDS", 1, "a", "1"), /^Error: ERR invalid expire time, must be >= 0$/);
});

test("HGETDEL returns values and deletes the fields", () => {
  const { server, client } = testServer();
  client.call("hset", "h", "a", "1", "b", "2");
  const events = recordEvents(server);
  const aof = recordPropagation(server);
  assert.deepEqual(client.call("hgetdel", "h", "FIELDS", 3, "a", "nope", "a"), ["1", null, null]);
  assert.deepEqual(client.call("hgetdel", "h", "FIELDS", 1, "nope"), [null]);
  assert.deepEqual(client.call("hgetdel", "h", "FIELDS", 1, "b"), ["2"]);
  assert.equal(client.call("exists", "h"), 0);
  assert.deepEqual(client.call("hgetdel", "h", "FIELDS", 1, "b"), [null]);
  assert.deepEqual(events, ["h:hdel:h", "h:hdel:h", "g:del:h"]);
  assert.deepEqual(aof, ["hdel h a", "hdel h b"]);
  assert.throws(() => client.call("hgetdel", "h", "FIELDS", 2, "a"), /^Error: ERR The `numfields` parameter must match the number of arguments$/);
});
