import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, type Plain, recordEvents, rng } from "../helpers/in-process.js";
import type { Server } from "../../src/server/server.js";

const WRONGTYPE = /^Error: WRONGTYPE Operation against a key holding the wrong kind of value$/;
const SYNTAX = /^Error: ERR syntax error$/;
const NOT_FLOAT = /^Error: ERR value is not a valid float$/;
const NOT_INT = /^Error: ERR value is not an integer or out of range$/;
const RANGE_NOT_FLOAT = /^Error: ERR min or max is not a float$/;
const RANGE_NOT_LEX = /^Error: ERR min or max not valid string range item$/;

/** Records keyspace notifications of db 0 as "class:event:key". */


type Client = { call(...a: (string | number)[]): Plain };

function encoding(client: Client, key: string): Plain {
  return client.call("object", "encoding", key);
}

function seed(client: Client, key = "z"): void {
  client.call("zadd", key, "-inf", "a", 1, "b", 2, "c", 3, "d", 4, "e", 5, "f", "+inf", "g");
}

test("ZADD adds and updates; ZSCORE, ZMSCORE, ZCARD", () => {
  const { client } = testServer();
  assert.equal(client.call("zadd", "z", 10, "x", 20, "y", 30, "z"), 3);
  assert.equal(client.call("zadd", "z", 1, "y", 5, "w"), 1);
  assert.deepEqual(client.call("zrange", "z", 0, -1), ["y", "w", "x", "z"]);
  assert.equal(client.call("zcard", "z"), 4);
  assert.equal(client.call("zcard", "nokey"), 0);
  assert.equal(client.call("zscore", "z", "w"), 5);
  assert.equal(client.call("zscore", "z", "nope"), null);
  assert.equal(client.call("zscore", "nokey", "a"), null);
  assert.deepEqual(client.call("zmscore", "z", "x", "nope", "y"), [10, null, 1]);
  assert.deepEqual(client.call("zmscore", "nokey", "a", "b"), [null, null]);
  assert.throws(() => client.call("zmscore", "z"), /^Error: ERR wrong number of arguments for 'zmscore' command$/);
});

test("ZADD options NX XX GT LT CH INCR and their errors", () => {
  const { client } = testServer();
  client.call("zadd", "z", 10, "x", 20, "y", 30, "z");
  assert.equal(client.call("zadd", "z", "xx", 5, "foo", 11, "x"), 0);
  assert.equal(client.call("zscore", "z", "x"), 11);
  assert.equal(client.call("zscore", "z", "foo"), null);
  assert.equal(client.call("zadd", "z", "nx", 1, "x", 100, "a"), 1);
  assert.equal(client.call("zscore", "z", "x"), 11);
  assert.equal(client.call("zadd", "z", "gt", "ch", 5, "foo", 12, "x", 19, "y"), 2);
  assert.deepEqual(client.call("zmscore", "z", "x", "y"), [12, 20]);
  assert.equal(client.call("zadd", "z", "lt", "ch", 13, "x", 19, "y"), 1);
  assert.deepEqual(client.call("zmscore", "z", "x", "y"), [12, 19]);
  assert.equal(client.call("zadd", "z", "ch", 12, "x", 30, "z"), 0);
  assert.equal(client.call("zadd", "z", "CH", "XX", "GT", 40, "z", 1, "new"), 1);
  assert.equal(client.call("zadd", "nokey", "xx", 1, "a"), 0);
  assert.equal(client.call("exists", "nokey"), 0);

  assert.equal(client.call("zadd", "z", "incr", 5, "x"), 17);
  assert.equal(client.call("zadd", "z", "nx", "incr", 5, "x"), null);
  assert.equal(client.call("zadd", "z", "xx", "incr", 5, "missing"), null);
  assert.equal(client.call("zadd", "z", "lt", "incr", 1, "x"), null);
  assert.equal(client.call("zadd", "z", "gt", "incr", -1, "x"), null);
  assert.equal(client.call("zadd", "nokey", "xx", "incr", 1, "a"), null);

  assert.throws(() => client.call("zadd", "z", "xx", "nx", 1, "a"), /^Error: ERR XX and NX options at the same time are not compatible$/);
  for (const opts of [["gt", "nx"], ["lt", "nx"], ["gt", "lt"]]) {
    assert.throws(() => client.call("zadd", "z", ...opts, 1, "a"), /^Error: ERR GT, LT, and\/or NX options at the same time are not compatible$/);
  }
  assert.throws(() => client.call("zadd", "z", "incr", 1, "a", 2, "b"), /^Error: ERR INCR option supports a single increment-element pair$/);
  assert.throws(() => client.call("zadd", "z", 1, "a", 2), SYNTAX);
  assert.throws(() => client.call("zadd", "z", "xx", "1"), SYNTAX);
  assert.throws(() => client.call("zadd", "z", "foo", 1, "a"), SYNTAX);
  assert.throws(() => client.call("zadd", "z", 1), /^Error: ERR wrong number of arguments for 'zadd' command$/);
});

test("scores parse as Redis's strtod does and reply as %.17g", () => {
  const { client } = testServer();
  for (const bad of ["nan", "", "abc", "1e400", "-1e400", "1e-400", " 1", "1 ", "1.5x"]) {
    assert.throws(() => client.call("zadd", "z", bad, "a"), NOT_FLOAT, bad);
  }
  assert.equal(client.call("exists", "z"), 0);
  assert.throws(() => client.call("zadd", "z", 1, "a", "bad", "b"), NOT_FLOAT);
  assert.equal(client.call("exists", "z"), 0);
  client.call("zadd", "z", "0x1A", "hex", "inf", "i", "-Infinity", "ni", "1e-320", "tiny", "0.1", "p");
  // In-process replies carry the double; ZSCAN shows the %.17g text.
  assert.deepEqual(client.call("zrange", "z", 0, -1, "withscores"), ["ni", -Infinity, "tiny", 1e-320, "p", 0.1, "hex", 26, "i", Infinity]);
  assert.deepEqual(client.call("zscan", "z", 0), ["0", ["ni", "-inf", "tiny", "9.9998886718268301e-321", "p", "0.10000000000000001", "hex", "26", "i", "inf"]]);
  const dblmax = "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368.00000000000000000";
  client.call("zadd", "max", dblmax, "m");
  assert.deepEqual(client.call("zscan", "max", 0), ["0", ["m", "1.7976931348623157e+308"]]);
});

test("ZINCRBY creates, increments, and refuses NaN", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  assert.equal(client.call("zincrby", "z", 1, "foo"), 1);
  assert.equal(client.call("zincrby", "z", "-5.5", "foo"), -4.5);
  assert.equal(client.call("zincrby", "z", "+inf", "foo"), Infinity);
  assert.throws(() => client.call("zincrby", "z", "-inf", "foo"), /^Error: ERR resulting score is not a number \(NaN\)$/);
  assert.equal(client.call("zscore", "z", "foo"), Infinity);
  assert.throws(() => client.call("zincrby", "z", "abc", "foo"), NOT_FLOAT);
  assert.throws(() => client.call("zincrby", "z", 1, "a", 2), /^Error: ERR wrong number of arguments for 'zincrby' command$/);
  assert.deepEqual(events, ["z:zincr:z", "z:zincr:z", "z:zincr:z"]);
});

test("listpack/skiplist encoding follows zset-max-listpack-entries/value, one way", () => {
  const { client } = testServer({ "zset-max-listpack-entries": "3", "zset-max-listpack-value": "5" });
  client.call("zadd", "z", 1, "a", 2, "b", 3, "c");
  assert.equal(encoding(client, "z"), "listpack");
  client.call("zadd", "z", 4, "d");
  assert.equal(encoding(client, "z"), "skiplist");
  client.call("zrem", "z", "a", "b", "c");
  assert.equal(encoding(client, "z"), "skiplist");
  client.call("zadd", "long", 1, "abcdef");
  assert.equal(encoding(client, "long"), "skiplist");
  client.call("config", "set", "zset-max-listpack-entries", "0");
  client.call("zadd", "zero", 1, "a");
  assert.equal(encoding(client, "zero"), "skiplist");
});

test("a listpack stores -0 as 0; a skiplist keeps -0", () => {
  const { client } = testServer();
  client.call("zadd", "lp", "-0", "a");
  assert.deepEqual(client.call("zscan", "lp", 0), ["0", ["a", "0"]]);
  assert.ok(Object.is(client.call("zincrby", "lp", "-0", "n"), -0));
  assert.ok(Object.is(client.call("zscore", "lp", "n"), 0));
  client.call("config", "set", "zset-max-listpack-entries", "0");
  client.call("zadd", "sl", "-0", "a");
  assert.ok(Object.is(client.call("zscore", "sl", "a"), -0));
});

test("ZREM, ZRANK, ZREVRANK", () => {
  const { client, server } = testServer();
  client.call("zadd", "z", 10, "x", 20, "y", 30, "z");
  const events = recordEvents(server);
  assert.deepEqual([client.call("zrank", "z", "x"), client.call("zrank", "z", "z"), client.call("zrevrank", "z", "x")], [0, 2, 2]);
  assert.equal(client.call("zrank", "z", "nope"), null);
  assert.equal(client.call("zrevrank", "nokey", "x"), null);
  assert.equal(client.call("zrem", "z", "nope"), 0);
  assert.equal(client.call("zrem", "z", "y", "nope"), 1);
  assert.equal(client.call("zrank", "z", "z"), 1);
  assert.equal(client.call("zrem", "z", "x", "z", "w"), 2);
  assert.equal(client.call("exists", "z"), 0);
  assert.deepEqual(events, ["z:zrem:z", "z:zrem:z", "g:del:z"]);
  client.call("set", "str", "x");
  for (const cmd of [["zadd", "str", 1, "a"], ["zrem", "str", "a"], ["zscore", "str", "a"], ["zrank", "str", "a"], ["zcard", "str"], ["zrange", "str", 0, -1]]) {
    assert.throws(() => client.call(...cmd), WRONGTYPE);
  }
});

test("ZRANGE / ZREVRANGE by rank", () => {
  const { client } = testServer();
  client.call("zadd", "z", 1, "a", 2, "b", 3, "c", 4, "d");
  const cases: [number, number, string[]][] = [
    [0, -1, ["a", "b", "c", "d"]], [0, -2, ["a", "b", "c"]], [1, -1, ["b", "c", "d"]], [-2, -1, ["c", "d"]],
    [-5, 2, ["a", "b", "c"]], [5, -1, []], [0, 5, ["a", "b", "c", "d"]], [0, -5, []], [2, 1, []],
  ];
  for (const [start, stop, expected] of cases) {
    assert.deepEqual(client.call("zrange", "z", start, stop), expected, `${start} ${stop}`);
    assert.deepEqual(client.call("zrevrange", "z", start, stop), expected.map((m) => "dcba"["abcd".indexOf(m)]), `rev ${start} ${stop}`);
  }
  assert.deepEqual(client.call("zrevrange", "z", 0, -1), ["d", "c", "b", "a"]);
  assert.deepEqual(client.call("zrevrange", "z", 1, 2), ["c", "b"]);
  assert.deepEqual(client.call("zrange", "z", 2, 4, "rev", "withscores"), ["b", 2, "a", 1]);
  assert.deepEqual(client.call("zrange", "nokey", 0, -1), []);
  assert.throws(() => client.call("zrange", "z", "a", 1), NOT_INT);
  assert.throws(() => client.call("zrange", "z", 0, -1, "limit", 0, 1),
    /^Error: ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX$/);
  assert.deepEqual(client.call("zrange", "z", 0, 1, "limit", 0, -1), ["a", "b"]);
  assert.throws(() => client.call("zrange", "z", 0, 1, "rev", "rev"), SYNTAX);
  assert.throws(() => client.call("zrange", "z", 0, 1, "byscore", "bylex"), SYNTAX);
  assert.throws(() => client.call("zrange", "z", 0, 1, "limit", 0), SYNTAX);
  assert.throws(() => client.call("zrevrange", "z", 0, 1, "byscore"), SYNTAX);
  assert.throws(() => client.call("zrevrange", "z", 0, 1, "rev"), SYNTAX);
});

test("ZRANGEBYSCORE / ZREVRANGEBYSCORE / ZCOUNT, exclusive bounds, LIMIT, WITHSCORES", () => {
  const { client } = testServer();
  seed(client);
  assert.deepEqual(client.call("zrangebyscore", "z", "-inf", 2), ["a", "b", "c"]);
  assert.deepEqual(client.call("zrangebyscore", "z", 0, 3), ["b", "c", "d"]);
  assert.deepEqual(client.call("zrevrangebyscore", "z", 6, 3), ["f", "e", "d"]);
  assert.deepEqual(client.call("zrangebyscore", "z", "(-inf", "(2"), ["b"]);
  assert.deepEqual(client.call("zrangebyscore", "z", "(4", "(+inf"), ["f"]);
  assert.deepEqual(client.call("zrevrangebyscore", "z", "(+inf", "(4"), ["f"]);
  assert.deepEqual(client.call("zrangebyscore", "z", "(2", 2), []);
  assert.deepEqual(client.call("zrangebyscore", "z", 4, 2), []);
  assert.deepEqual(client.call("zrangebyscore", "z", 2.4, 2.6), []);
  assert.equal(client.call("zcount", "z", 0, 3), 3);
  assert.equal(client.call("zcount", "z", "(0", "(3"), 2);
  assert.equal(client.call("zcount", "z", "-inf", "+inf"), 7);
  assert.equal(client.call("zcount", "z", 3, 0), 0);
  assert.equal(client.call("zcount", "nokey", 0, 1), 0);
  // strtod leniency of range items: "" is 0, "(" is exclusive 0, leading spaces pass.
  assert.equal(client.call("zcount", "z", "", 2), 2);
  assert.equal(client.call("zcount", "z", "(", " 2"), 2);

  assert.deepEqual(client.call("zrangebyscore", "z", 0, 3, "withscores"), ["b", 1, "c", 2, "d", 3]);
  assert.deepEqual(client.call("zrangebyscore", "z", 0, 10, "limit", 2, 3), ["d", "e", "f"]);
  assert.deepEqual(client.call("zrangebyscore", "z", 0, 10, "limit", 2, -1), ["d", "e", "f"]);
  assert.deepEqual(client.call("zrangebyscore", "z", 0, 10, "limit", 20, 10), []);
  assert.deepEqual(client.call("zrangebyscore", "z", 0, 10, "limit", -1, 10), []);
  assert.deepEqual(client.call("zrangebyscore", "z", 0, 10, "limit", 1, 0), []);
  assert.deepEqual(client.call("zrevrangebyscore", "z", 10, 0, "limit", 2, 3, "withscores"), ["d", 3, "c", 2, "b", 1]);
  assert.deepEqual(client.call("zrange", "z", 5, 0, "byscore", "rev", "limit", 0, 2, "withscores"), ["f", 5, "e", 4]);
  assert.deepEqual(client.call("zrange", "z", "(1", 3, "BYSCORE"), ["c", "d"]);

  for (const [min, max] of [["str", 1], [1, "str"], [1, "NaN"], ["((1", 2], ["1 ", 2]]) {
    assert.throws(() => client.call("zrangebyscore", "z", min, max), RANGE_NOT_FLOAT);
    assert.throws(() => client.call("zcount", "z", min, max), RANGE_NOT_FLOAT);
    assert.throws(() => client.call("zremrangebyscore", "nokey", min, max), RANGE_NOT_FLOAT);
  }
  assert.throws(() => client.call("zrangebyscore", "z", 0, 1, "rev"), SYNTAX);
  assert.throws(() => client.call("zrangebyscore", "z", 0, 1, "bylex"), SYNTAX);
});

test("ZRANGEBYLEX / ZREVRANGEBYLEX / ZLEXCOUNT", () => {
  const { client } = testServer();
  client.call("zadd", "z", ...["alpha", "bar", "cool", "down", "elephant", "foo", "great", "hill", "omega"].flatMap((m) => [0, m]));
  assert.deepEqual(client.call("zrangebylex", "z", "-", "[cool"), ["alpha", "bar", "cool"]);
  assert.deepEqual(client.call("zrangebylex", "z", "(bar", "(down"), ["cool"]);
  assert.deepEqual(client.call("zrangebylex", "z", "[g", "+"), ["great", "hill", "omega"]);
  assert.deepEqual(client.call("zrevrangebylex", "z", "[cool", "-"), ["cool", "bar", "alpha"]);
  assert.deepEqual(client.call("zrevrangebylex", "z", "+", "(great"), ["omega", "hill"]);
  assert.deepEqual(client.call("zrange", "z", "[down", "[bar", "bylex", "rev"), ["down", "cool", "bar"]);
  assert.deepEqual(client.call("zrangebylex", "z", "-", "[cool", "limit", 1, 2), ["bar", "cool"]);
  assert.deepEqual(client.call("zrevrangebylex", "z", "+", "[d", "limit", 0, 4), ["omega", "hill", "great", "foo"]);
  assert.deepEqual(client.call("zrangebylex", "z", "(az", "(b"), []);
  assert.deepEqual(client.call("zrangebylex", "z", "+", "-"), []);
  assert.equal(client.call("zlexcount", "z", "-", "+"), 9);
  assert.equal(client.call("zlexcount", "z", "+", "-"), 0);
  assert.equal(client.call("zlexcount", "z", "[bar", "(foo"), 4);
  assert.equal(client.call("zlexcount", "z", "(maxstring", "+"), 1);
  assert.equal(client.call("zlexcount", "z", "[cool", "(cool"), 0);
  assert.equal(client.call("zlexcount", "nokey", "-", "+"), 0);
  for (const [min, max] of [["foo", "bar"], ["[foo", "bar"], ["+x", "[bar"], ["-x", "[bar"], ["", "+"]]) {
    assert.throws(() => client.call("zrangebylex", "z", min, max), RANGE_NOT_LEX);
    assert.throws(() => client.call("zlexcount", "z", min, max), RANGE_NOT_LEX);
  }
  assert.throws(() => client.call("zrange", "z", "-", "+", "bylex", "withscores"),
    /^Error: ERR syntax error, WITHSCORES not supported in combination with BYLEX$/);
});

test("ZRANGE RESP3 WITHSCORES is nested pairs of doubles", () => {
  const { client } = testServer();
  client.call("zadd", "z", 1, "a", 2.5, "b");
  client.call("hello", "3");
  assert.deepEqual(client.call("zrange", "z", 0, -1, "withscores"), [["a", 1], ["b", 2.5]]);
  assert.deepEqual(client.reply("zscore", "z", "b"), { t: "double", v: 2.5 });
});

test("ZRANGESTORE stores, picks the encoding from the result, deletes on empty", () => {
  const { client, server } = testServer({ "zset-max-listpack-entries": "2" });
  client.call("zadd", "src", 1, "a", 2, "b", 3, "c", 4, "d");
  client.call("set", "dst", "x");
  const events = recordEvents(server);
  assert.equal(client.call("zrangestore", "dst", "src", 0, 1), 2);
  assert.deepEqual(client.call("zrange", "dst", 0, -1, "withscores"), ["a", 1, "b", 2]);
  assert.equal(encoding(client, "dst"), "listpack");
  assert.equal(client.call("zrangestore", "dst", "src", 1, 3), 3);
  assert.equal(encoding(client, "dst"), "skiplist");
  assert.equal(client.call("zrangestore", "dst", "src", "[b", "[c", "bylex"), 2);
  assert.equal(client.call("zrangestore", "dst", "src", 5, 0, "byscore", "rev", "limit", 0, 2), 2);
  assert.deepEqual(client.call("zrange", "dst", 0, -1), ["c", "d"]);
  assert.equal(client.call("zrangestore", "dst", "src", 5, 6), 0);
  assert.equal(client.call("exists", "dst"), 0);
  assert.equal(client.call("zrangestore", "dst", "nokey", 0, -1), 0);
  assert.deepEqual(events, ["z:zrangestore:dst", "z:zrangestore:dst", "z:zrangestore:dst", "z:zrangestore:dst", "g:del:dst"]);
  assert.throws(() => client.call("zrangestore", "dst", "src", 0, -1, "withscores"), SYNTAX);
  client.call("set", "str", "x");
  client.call("zadd", "keep", 1, "k");
  assert.throws(() => client.call("zrangestore", "keep", "str", 0, -1), WRONGTYPE);
  assert.deepEqual(client.call("zrange", "keep", 0, -1), ["k"]);
});

test("ZREMRANGEBYRANK / ZREMRANGEBYSCORE / ZREMRANGEBYLEX", () => {
  const { client, server } = testServer();
  const reset = () => {
    client.call("del", "z");
    client.call("zadd", "z", 1, "a", 2, "b", 3, "c", 4, "d", 5, "e");
  };
  const rank: [number, number, number, string[]][] = [[1, 3, 3, ["a", "e"]], [-10, 0, 1, ["b", "c", "d", "e"]], [10, -1, 0, ["a", "b", "c", "d", "e"]], [0, -10, 0, ["a", "b", "c", "d", "e"]], [-2, 10, 2, ["a", "b", "c"]]];
  for (const [start, stop, removed, left] of rank) {
    reset();
    assert.equal(client.call("zremrangebyrank", "z", start, stop), removed);
    assert.deepEqual(client.call("zrange", "z", 0, -1), left);
  }
  const score: [string, string, number, string[]][] = [["2", "4", 3, ["a", "e"]], ["(1", "5", 4, ["a"]], ["1", "(4", 3, ["d", "e"]], ["(1", "(5", 3, ["a", "e"]], ["4", "2", 0, ["a", "b", "c", "d", "e"]]];
  for (const [min, max, removed, left] of score) {
    reset();
    assert.equal(client.call("zremrangebyscore", "z", min, max), removed);
    assert.deepEqual(client.call("zrange", "z", 0, -1), left);
  }
  reset();
  assert.equal(client.call("zremrangebylex", "z", "[b", "(d"), 2);
  assert.deepEqual(client.call("zrange", "z", 0, -1), ["a", "d", "e"]);
  const events = recordEvents(server);
  assert.equal(client.call("zremrangebyrank", "z", 0, -1), 3);
  assert.equal(client.call("exists", "z"), 0);
  assert.equal(client.call("zremrangebyrank", "z", 0, -1), 0);
  assert.deepEqual(events, ["z:zremrangebyrank:z", "g:del:z"]);
  assert.throws(() => client.call("zremrangebyrank", "z", "a", 1), NOT_INT);
  assert.throws(() => client.call("zremrangebylex", "z", "a", "b"), RANGE_NOT_LEX);
});

test("ZPOPMIN / ZPOPMAX replies in RESP2 and RESP3", () => {
  const { client, server } = testServer();
  assert.deepEqual(client.call("zpopmin", "nokey"), []);
  assert.deepEqual(client.call("zpopmin", "nokey", 3), []);
  client.call("zadd", "z", -1, "a", 1, "b", 2, "c", 3, "d", 4, "e");
  const events = recordEvents(server);
  assert.deepEqual(client.call("zpopmin", "z"), ["a", -1]);
  assert.deepEqual(client.call("zpopmax", "z", 2), ["e", 4, "d", 3]);
  assert.deepEqual(client.call("zpopmin", "z", 0), []);
  client.call("hello", "3");
  assert.deepEqual(client.call("zpopmin", "z"), ["b", 1]);
  assert.deepEqual(client.call("zpopmax", "z", 5), [["c", 2]]);
  assert.equal(client.call("exists", "z"), 0);
  assert.deepEqual(events, ["z:zpopmin:z", "z:zpopmax:z", "z:zpopmin:z", "z:zpopmax:z", "g:del:z"]);
  client.call("set", "str", "x");
  assert.throws(() => client.call("zpopmin", "str", 0), WRONGTYPE);
  assert.throws(() => client.call("zpopmin", "str", -1), /^Error: ERR value is out of range, must be positive$/);
  assert.throws(() => client.call("zpopmax", "z", "x"), /^Error: ERR value is out of range, must be positive$/);
  assert.throws(() => client.call("zpopmax", "z", 1, 2), SYNTAX);
});

test("ZMPOP pops from the first non-empty key and checks its arguments", () => {
  const { client } = testServer();
  client.call("zadd", "b", 1, "x", 2, "y", 3, "z");
  assert.equal(client.call("zmpop", 1, "a", "min"), null);
  assert.deepEqual(client.call("zmpop", 2, "a", "b", "MIN"), ["b", [["x", 1]]]);
  assert.deepEqual(client.call("zmpop", 2, "a", "b", "max", "count", 10), ["b", [["z", 3], ["y", 2]]]);
  assert.equal(client.call("exists", "b"), 0);
  assert.throws(() => client.call("zmpop", 1, "a"), /^Error: ERR wrong number of arguments for 'zmpop' command$/);
  for (const n of [0, "a", -1]) assert.throws(() => client.call("zmpop", n, "a", "min"), /^Error: ERR numkeys should be greater than 0$/);
  for (const args of [["bad"], ["min", "bar"], ["max", "min"], ["count"], ["max", "count", 1, "count", 2]]) {
    assert.throws(() => client.call("zmpop", 1, "a", ...args), SYNTAX);
  }
  assert.throws(() => client.call("zmpop", 2, "a", "b"), SYNTAX);
  for (const c of [0, "a", -1]) assert.throws(() => client.call("zmpop", 1, "a", "min", "count", c), /^Error: ERR count should be greater than 0$/);
  client.call("set", "str", "x");
  assert.throws(() => client.call("zmpop", 2, "a", "str", "min"), WRONGTYPE);
});

test("BZPOPMIN / BZPOPMAX / BZMPOP serve at once, block, time out", async () => {
  const { client, newClient } = testServer();
  client.call("zadd", "z", 0, "a", 1, "b", 2, "c", 3, "d");
  assert.deepEqual(await client.callAsync("bzpopmin", "nokey", "z", 5), ["z", "a", 0]);
  assert.deepEqual(await client.callAsync("bzpopmax", "z", 5), ["z", "d", 3]);
  assert.deepEqual(await client.callAsync("bzmpop", 5, 2, "nokey", "z", "min", "count", 5), ["z", [["b", 1], ["c", 2]]]);

  const first = newClient().callAsync("bzpopmin", "k1", "k2", 0);
  const second = newClient().callAsync("bzmpop", 0, 1, "k2", "max", "count", 2);
  assert.equal(client.call("zadd", "k2", 1, "x", 2, "y", 3, "z"), 3);
  assert.deepEqual(await first, ["k2", "x", 1]);
  assert.deepEqual(await second, ["k2", [["z", 3], ["y", 2]]]);
  assert.equal(client.call("exists", "k2"), 0);

  assert.equal(await client.callAsync("bzpopmin", "nokey", "0.01"), null);
  assert.equal(await client.callAsync("bzmpop", "0.01", 1, "nokey", "min"), null);
});

test("a blocked BZPOPMIN ignores keys of other types and wakes on ZINCRBY and stores", async () => {
  const { client, newClient } = testServer();
  const waiter = newClient().callAsync("bzpopmax", "k", 0);
  client.call("set", "k", "x");
  client.call("del", "k");
  client.call("zincrby", "k", 5, "m");
  assert.deepEqual(await waiter, ["k", "m", 5]);
  client.call("zadd", "src", 1, "s");
  const stored = newClient().callAsync("bzpopmin", "dst", 0);
  client.call("zunionstore", "dst", 1, "src");
  assert.deepEqual(await stored, ["dst", "s", 1]);
});

test("a blocked BZPOPMIN is not woken by a ZADD that a transaction undoes", async () => {
  const { client, newClient } = testServer();
  const waiter = newClient().callAsync("bzpopmin", "z", 0);
  client.call("multi");
  client.call("zadd", "z", 0, "foo");
  client.call("del", "z");
  client.call("exec");
  client.call("zadd", "z", 1, "bar");
  assert.deepEqual(await waiter, ["z", "bar", 1]);
});

test("blocking sorted set pops inside MULTI do not block; argument errors", () => {
  const { client } = testServer();
  client.call("zadd", "z", 1, "a");
  client.call("multi");
  client.call("bzpopmin", "z", 0);
  client.call("bzpopmax", "z", 0);
  client.call("bzmpop", 0, 1, "z", "min");
  assert.deepEqual(client.call("exec"), [["z", "a", 1], null, null]);
  assert.throws(() => client.call("bzpopmin", "z", -1), /^Error: ERR timeout is negative$/);
  assert.throws(() => client.call("bzpopmin", "z", "abc"), /^Error: ERR timeout is not a float or out of range$/);
  assert.throws(() => client.call("bzmpop", -1, 1, "z", "min"), /^Error: ERR timeout is negative$/);
  assert.throws(() => client.call("bzmpop", 1, 0, "z", "min"), /^Error: ERR numkeys should be greater than 0$/);
  client.call("set", "str", "x");
  assert.throws(() => client.call("bzpopmin", "str", 1), WRONGTYPE);
  assert.throws(() => client.call("bzmpop", 1, 2, "nokey", "str", "max"), WRONGTYPE);
});

test("ZRANDMEMBER", () => {
  const { client } = testServer();
  assert.equal(client.call("zrandmember", "nokey"), null);
  assert.deepEqual(client.call("zrandmember", "nokey", 5), []);
  const members = Array.from({ length: 10 }, (_, i) => `m${i}`);
  client.call("zadd", "z", ...members.flatMap((m, i) => [i, m]));
  assert.ok(members.includes(client.call("zrandmember", "z") as string));
  assert.deepEqual(client.call("zrandmember", "z", 0), []);
  for (const count of [1, 2, 8]) {
    const got = client.call("zrandmember", "z", count, "withscores") as (string | number)[];
    assert.equal(got.length, count * 2);
    const names = got.filter((_, i) => i % 2 === 0) as string[];
    assert.equal(new Set(names).size, count);
    for (let i = 0; i < got.length; i += 2) assert.equal(got[i + 1], members.indexOf(got[i] as string));
  }
  assert.deepEqual((client.call("zrandmember", "z", 20) as string[]).slice().sort(), members.slice().sort());
  assert.equal((client.call("zrandmember", "z", -30) as string[]).length, 30);
  client.call("hello", "3");
  const nested = client.call("zrandmember", "z", -3, "withscores") as [string, number][];
  assert.equal(nested.length, 3);
  for (const [m, s] of nested) assert.equal(s, members.indexOf(m));
  assert.throws(() => client.call("zrandmember", "z", "-9223372036854775808"),
    /^Error: ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807$/);
  assert.throws(() => client.call("zrandmember", "z", "-9223372036854770000", "withscores"), /^Error: ERR value is out of range$/);
  assert.throws(() => client.call("zrandmember", "z", 1, "foo"), SYNTAX);
  assert.throws(() => client.call("zrandmember", "z", "x"), NOT_INT);
});

test("ZUNION / ZINTER / ZDIFF / ZINTERCARD with weights, aggregates and sets", () => {
  const { client } = testServer();
  client.call("zadd", "a", 1, "a", 2, "b", 3, "c");
  client.call("zadd", "b", 1, "b", 2, "c", 3, "d");
  client.call("sadd", "s", "a", "b", "c");
  assert.deepEqual(client.call("zunion", 2, "a", "b", "withscores"), ["a", 1, "b", 3, "d", 3, "c", 5]);
  assert.deepEqual(client.call("zinter", 2, "a", "b", "withscores"), ["b", 3, "c", 5]);
  assert.deepEqual(client.call("zdiff", 2, "a", "b", "withscores"), ["a", 1]);
  assert.deepEqual(client.call("zunion", 2, "a", "b", "weights", 2, 3, "withscores"), ["a", 2, "b", 7, "d", 9, "c", 12]);
  assert.deepEqual(client.call("zinter", 2, "a", "b", "aggregate", "min", "withscores"), ["b", 1, "c", 2]);
  assert.deepEqual(client.call("zunion", 2, "a", "b", "aggregate", "MAX", "withscores"), ["a", 1, "b", 2, "c", 3, "d", 3]);
  assert.deepEqual(client.call("zunion", 2, "s", "b", "weights", 2, 3, "withscores"), ["a", 2, "b", 5, "c", 8, "d", 9]);
  assert.deepEqual(client.call("zdiff", 2, "s", "b", "withscores"), ["a", 1]);
  assert.deepEqual(client.call("zinter", 2, "a", "nokey"), []);
  assert.deepEqual(client.call("zunion", 1, "nokey"), []);
  assert.equal(client.call("zintercard", 2, "a", "b"), 2);
  assert.equal(client.call("zintercard", 2, "a", "b", "limit", 1), 1);
  assert.equal(client.call("zintercard", 2, "a", "nokey", "limit", 0), 0);
  client.call("hello", "3");
  assert.deepEqual(client.call("zinter", 2, "a", "b", "withscores"), [["b", 3], ["c", 5]]);
  client.call("hello", "2");

  for (const cmd of ["zunion", "zinter", "zdiff", "zintercard"]) {
    assert.throws(() => client.call(cmd, 0, "a"), new RegExp(`^Error: ERR at least 1 input key is needed for '${cmd}' command$`));
    assert.throws(() => client.call(cmd, 3, "a", "b"), SYNTAX);
    assert.throws(() => client.call(cmd, "x", "a"), NOT_INT);
  }
  assert.throws(() => client.call("zunionstore", "d", 0, "a"), /^Error: ERR at least 1 input key is needed for 'zunionstore' command$/);
  assert.throws(() => client.call("zunion", 2, "a", "b", "weights", 1), SYNTAX);
  assert.throws(() => client.call("zunion", 2, "a", "b", "weights", "nan", 1), /^Error: ERR weight value is not a float$/);
  assert.throws(() => client.call("zunion", 2, "a", "b", "aggregate", "avg"), SYNTAX);
  assert.throws(() => client.call("zunion", 2, "a", "b", "aggregate"), SYNTAX);
  assert.throws(() => client.call("zdiff", 2, "a", "b", "weights", 1, 1), SYNTAX);
  assert.throws(() => client.call("zintercard", 2, "a", "b", "withscores"), SYNTAX);
  assert.throws(() => client.call("zintercard", 1, "a", "limit", -1), /^Error: ERR LIMIT can't be negative$/);
  assert.throws(() => client.call("zunionstore", "d", 2, "a", "b", "withscores"), SYNTAX);
  client.call("set", "str", "x");
  assert.throws(() => client.call("zunion", 2, "a", "str", "bad"), WRONGTYPE);
});

test("ZUNIONSTORE / ZINTERSTORE / ZDIFFSTORE: inf arithmetic, encoding, deleting the destination", () => {
  const { client, server } = testServer({ "zset-max-listpack-entries": "2" });
  client.call("zadd", "p", "+inf", "k", 1, "x");
  client.call("zadd", "n", "-inf", "k", 2, "x");
  const events = recordEvents(server);
  assert.equal(client.call("zunionstore", "d", 2, "p", "n"), 2);
  assert.deepEqual(client.call("zrange", "d", 0, -1, "withscores"), ["k", 0, "x", 3]);
  assert.equal(encoding(client, "d"), "listpack");
  assert.equal(client.call("zinterstore", "d", 2, "p", "p"), 2);
  assert.equal(client.call("zscore", "d", "k"), Infinity);
  assert.equal(client.call("zunionstore", "d", 1, "n", "weights", 0), 2);
  assert.deepEqual(client.call("zrange", "d", 0, -1, "withscores"), ["k", 0, "x", 0]);
  client.call("zadd", "three", 1, "a", 2, "b", 3, "c");
  assert.equal(client.call("zunionstore", "d", 1, "three"), 3);
  assert.equal(encoding(client, "d"), "skiplist");
  assert.equal(client.call("zdiffstore", "d", 2, "three", "three"), 0);
  assert.equal(client.call("exists", "d"), 0);
  assert.equal(client.call("zunionstore", "d", 1, "nokey"), 0);
  assert.deepEqual(events, ["z:zunionstore:d", "z:zinterstore:d", "z:zunionstore:d", "z:zadd:three", "z:zunionstore:d", "g:del:d"]);
  client.call("sadd", "s1", "a");
  client.call("sadd", "s2", "10");
  assert.equal(client.call("zinterstore", "d", 2, "s1", "s2"), 0);
});

test("ZSCAN: listpacks in one call, skiplists by cursor, scores as %.17g strings", () => {
  const { client } = testServer();
  client.call("zadd", "small", 1, "a", 1.5, "b", 2, "c");
  assert.deepEqual(client.call("zscan", "small", 0, "count", 1), ["0", ["a", "1", "b", "1.5", "c", "2"]]);
  assert.deepEqual(client.call("zscan", "small", 0, "match", "b*"), ["0", ["b", "1.5"]]);
  client.call("hello", "3");
  assert.deepEqual(client.call("zscan", "small", 0, "match", "c"), ["0", ["c", "2"]]);
  client.call("hello", "2");

  client.call("zadd", "big", ...Array.from({ length: 1000 }, (_, i) => [i, `key:${i}`]).flat());
  assert.equal(encoding(client, "big"), "skiplist");
  const seen = new Map<string, string>();
  let cursor = "0";
  let calls = 0;
  do {
    const [next, items] = client.call("zscan", "big", cursor) as [string, string[]];
    for (let i = 0; i < items.length; i += 2) seen.set(items[i], items[i + 1]);
    cursor = next;
    calls++;
  } while (cursor !== "0");
  assert.ok(calls > 1);
  assert.equal(seen.size, 1000);
  for (const [m, s] of seen) assert.equal(m, `key:${s}`);
  assert.deepEqual(client.call("zscan", "nokey", 0), ["0", []]);
  assert.throws(() => client.call("zscan", "big", "x"), /^Error: ERR invalid cursor$/);
  assert.throws(() => client.call("zscan", "big", 0, "count", 0), SYNTAX);
});

test("notifications of ZADD and ZINCRBY only when something changed", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  client.call("zadd", "z", 1, "a");
  client.call("zadd", "z", 1, "a");
  client.call("zadd", "z", "nx", 5, "a");
  client.call("zadd", "z", "incr", 0, "a");
  client.call("zadd", "z", "ch", 2, "a");
  assert.deepEqual(events, ["z:zadd:z", "z:zadd:z"]);
});

test("random operations agree with a sorted model (ranks, ranges, pops)", () => {
  for (const entries of ["128", "0"]) {
    const { client } = testServer({ "zset-max-listpack-entries": entries });
    const model = new Map<string, number>();
    const rand = rng(11);
    const ordered = () => [...model].sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    // Enough members for the ordered list to split into several blocks and merge them back.
    for (let i = 0; i < 8000; i++) {
      const m = `e${rand(1500)}`;
      const op = rand(10);
      if (op < 5) {
        const score = rand(200);
        client.call("zadd", "z", score, m);
        model.set(m, score);
      } else if (op < 7) {
        assert.equal(client.call("zrem", "z", m), model.delete(m) ? 1 : 0);
      } else if (op === 7) {
        const popped = client.call("zpopmin", "z") as (string | number)[];
        const first = ordered()[0];
        if (first === undefined) assert.deepEqual(popped, []);
        else {
          assert.deepEqual(popped, [first[0], first[1]]);
          model.delete(first[0]);
        }
      } else {
        const rank = client.call("zrank", "z", m);
        const expected = ordered().findIndex(([k]) => k === m);
        assert.equal(rank, expected === -1 ? null : expected);
      }
      if (i % 500 === 0) {
        const all = ordered();
        assert.deepEqual(client.call("zrange", "z", 0, -1, "withscores"), all.flat());
        assert.deepEqual(client.call("zrevrange", "z", 0, -1), all.map(([k]) => k).reverse());
        const lo = rand(200), hi = lo + rand(50);
        const inRange = all.filter(([, v]) => v >= lo && v <= hi);
        assert.deepEqual(client.call("zrangebyscore", "z", lo, hi), inRange.map(([k]) => k));
        assert.equal(client.call("zcount", "z", lo, `(${hi}`), inRange.filter(([, v]) => v < hi).length);
        const at = rand(Math.max(1, all.length));
        assert.deepEqual(client.call("zrange", "z", at, at + 3), all.slice(at, at + 4).map(([k]) => k));
      }
    }
    const all = ordered();
    assert.equal(client.call("zremrangebyrank", "z", 3, 700), Math.max(0, Math.min(all.length, 701) - 3));
    assert.deepEqual(client.call("zrange", "z", 0, -1), [...all.slice(0, 3), ...all.slice(701)].map(([k]) => k));
  }
});
