import { test } from "node:test";
import assert from "node:assert/strict";
import { recordEvents, testServer } from "../helpers/in-process.js";

const SYNTAX = /^Error: ERR syntax error$/;
const BAD_SCORE = /^Error: ERR One or more scores can't be converted into double$/;

test("SORT sorts lists, sets and sorted sets numerically, ASC or DESC", () => {
  const { client } = testServer();
  client.call("rpush", "l", "1.1", "5.10", "3.10", "-7", "0.25", "inf", "-inf");
  assert.deepEqual(client.call("sort", "l"), ["-inf", "-7", "0.25", "1.1", "3.10", "5.10", "inf"]);
  assert.deepEqual(client.call("sort", "l", "desc"), ["inf", "5.10", "3.10", "1.1", "0.25", "-7", "-inf"]);
  client.call("sadd", "s", 10, 2, 33, 1);
  assert.deepEqual(client.call("sort", "s"), ["1", "2", "10", "33"]);
  client.call("zadd", "z", 1, "30", 2, "4", 3, "100");
  assert.deepEqual(client.call("sort", "z"), ["4", "30", "100"]);
  assert.deepEqual(client.call("sort", "missing"), []);
});

test("SORT ALPHA compares bytes; equal scores fall back to comparing elements", () => {
  const { client } = testServer();
  client.call("rpush", "l", 2, 1, 3, 10);
  assert.deepEqual(client.call("sort", "l", "alpha"), ["1", "10", "2", "3"]);
  client.call("zadd", "z", 1, "a", 5, "b", 2, "c", 10, "d", 3, "e");
  assert.deepEqual(client.call("sort", "z", "alpha", "desc"), ["e", "d", "c", "b", "a"]);
  client.call("sadd", "ties", "b", "aa", "a", "c");
  assert.deepEqual(client.call("sort", "ties", "by", "nokey:*"), ["a", "aa", "b", "c"]);
});

test("SORT BY nosort keeps the native order of lists and sorted sets, with LIMIT", () => {
  const { client } = testServer();
  client.call("lpush", "l", 2, 1, 4, 3, 5);
  assert.deepEqual(client.call("sort", "l", "by", "nosort"), ["5", "3", "4", "1", "2"]);
  assert.deepEqual(client.call("sort", "l", "by", "nosort", "desc", "limit", 1, 2), ["1", "4"]);
  client.call("zadd", "z", 1, "a", 5, "b", 2, "c", 10, "d", 3, "e");
  assert.deepEqual(client.call("sort", "z", "by", "nosort"), ["a", "c", "e", "b", "d"]);
  assert.deepEqual(client.call("sort", "z", "by", "nosort", "desc"), ["d", "b", "e", "c", "a"]);
  assert.deepEqual(client.call("sort", "z", "by", "nosort", "desc", "limit", 0, 2), ["d", "b"]);
  assert.deepEqual(client.call("sort", "z", "by", "nosort", "limit", 5, 10), []);
  assert.deepEqual(client.call("sort", "z", "by", "nosort", "limit", -10, 100), ["a", "c", "e", "b", "d"]);
  assert.deepEqual(client.call("sort", "z", "by", "nosort", "limit", 2, "9223372036854775807"), ["e", "b", "d"]);
  assert.equal(client.call("object", "encoding", "z"), "skiplist");
});

test("SORT BY and GET patterns: keys, hash fields and #", () => {
  const { client } = testServer();
  client.call("rpush", "ids", 1, 2, 3);
  client.call("mset", "w_1", 30, "w_2", 10, "w_3", 20, "name_1", "one", "name_3", "three");
  client.call("hset", "obj_1", "weight", "3");
  client.call("hset", "obj_2", "weight", "1");
  client.call("hset", "obj_3", "weight", "2");
  assert.deepEqual(client.call("sort", "ids", "by", "w_*"), ["2", "3", "1"]);
  assert.deepEqual(client.call("sort", "ids", "by", "obj_*->weight", "desc"), ["1", "3", "2"]);
  assert.deepEqual(client.call("sort", "ids", "by", "w_*", "get", "#", "get", "name_*", "get", "obj_*->weight"), [
    "2", null, "1", "3", "three", "2", "1", "one", "3",
  ]);
  assert.deepEqual(client.call("sort", "ids", "by", "w_*", "limit", 1, 1, "get", "nostar"), [null]);
  // "->" with nothing after it is part of the key name.
  client.call("set", "x:1->", "arrow");
  assert.deepEqual(client.call("sort", "ids", "by", "nosort", "limit", 0, 1, "get", "x:*->"), ["arrow"]);
  // Values of the wrong type read as missing.
  client.call("lpush", "name_2", "x");
  assert.deepEqual(client.call("sort", "ids", "by", "w_*", "limit", 0, 1, "get", "name_*"), [null]);
  assert.deepEqual(client.call("sort", "ids", "by", "name_*", "alpha"), ["2", "1", "3"]);
});

test("SORT reads scores with strtod rules and rejects the rest", () => {
  const { client } = testServer();
  client.call("rpush", "l", "a", "b", "c");
  const sortWith = (score: string) => {
    client.call("set", "s_b", score);
    return client.call("sort", "l", "by", "s_*");
  };
  assert.deepEqual(sortWith(" 12"), ["a", "c", "b"]);
  assert.deepEqual(sortWith("-0x10"), ["b", "a", "c"]);
  assert.deepEqual(sortWith(""), ["a", "b", "c"]);
  assert.deepEqual(sortWith("1e3"), ["a", "c", "b"]);
  for (const bad of ["12 ", "nan", "1e", "abc", "  ", "1e400", "1e-400"]) assert.throws(() => sortWith(bad), BAD_SCORE, bad);
  client.call("sadd", "set", 1, 2, "not-a-double");
  assert.throws(() => client.call("sort", "set"), BAD_SCORE);
});

test("SORT STORE writes a list, replaces or deletes the destination", () => {
  const { client, server } = testServer();
  client.call("rpush", "l", 3, 1, 2);
  const events = recordEvents(server);
  assert.equal(client.call("sort", "l", "store", "out"), 3);
  assert.deepEqual(client.call("lrange", "out", 0, -1), ["1", "2", "3"]);
  assert.equal(client.call("sort", "l", "get", "#", "get", "missing_*", "store", "out"), 6);
  assert.deepEqual(client.call("lrange", "out", 0, -1), ["1", "", "2", "", "3", ""]);
  assert.equal(client.call("sort", "l", "limit", 10, 10, "store", "out"), 0);
  assert.equal(client.call("exists", "out"), 0);
  assert.equal(client.call("sort", "missing", "store", "out"), 0);
  assert.deepEqual(events, ["l:sortstore:out", "l:sortstore:out", "g:del:out"]);
  // An unsorted set is stored sorted (ALPHA), so the result does not depend on set internals.
  client.call("sadd", "set", "b", "c", "a");
  client.call("sort", "set", "by", "nosort", "store", "out");
  assert.deepEqual(client.call("lrange", "out", 0, -1), ["a", "b", "c"]);
});

test("SORT errors, SORT_RO and key extraction", () => {
  const { client } = testServer();
  client.call("set", "str", "x");
  assert.throws(() => client.call("sort", "str"), /^Error: WRONGTYPE/);
  client.call("rpush", "l", 1);
  assert.throws(() => client.call("sort", "l", "foo"), SYNTAX);
  assert.throws(() => client.call("sort", "l", "limit", 1), SYNTAX);
  assert.throws(() => client.call("sort", "l", "limit", "x", 1), /^Error: ERR value is not an integer or out of range$/);
  assert.throws(() => client.call("sort_ro", "l", "store", "x"), SYNTAX);
  assert.deepEqual(client.call("sort_ro", "l", "desc"), ["1"]);
  assert.deepEqual(client.call("command", "getkeys", "sort", "abc", "store", "def"), ["abc", "def"]);
  assert.deepEqual(client.call("command", "getkeys", "sort", "abc", "store", "invalid", "store", "stillbad", "store", "def"), ["abc", "def"]);
  assert.deepEqual(client.call("command", "getkeys", "sort", "abc", "get", "store", "limit", "store", "x"), ["abc"]);
  assert.deepEqual(client.call("command", "getkeys", "sort_ro", "abc"), ["abc"]);
});

test("SORT BY nosort on a set inside a script sorts ALPHA", () => {
  const { client } = testServer();
  client.call("sadd", "set", "b", "c", "a");
  assert.deepEqual(client.call("eval", "return redis.call('sort', KEYS[1], 'by', 'nosort')", 1, "set"), ["a", "b", "c"]);
});
