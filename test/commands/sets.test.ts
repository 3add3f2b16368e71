import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, type Plain, recordEvents } from "../helpers/in-process.js";
import type { Server } from "../../src/server/server.js";
import type { Reply } from "../../src/protocol/reply.js";

const WRONGTYPE = /^Error: WRONGTYPE Operation against a key holding the wrong kind of value$/;
const SYNTAX = /^Error: ERR syntax error$/;

/** Records keyspace notifications of db 0 as "class:event:key". */

function sorted(v: Plain): Plain[] {
  return (v as string[]).slice().sort();
}

function encoding(client: { call(...a: (string | number)[]): Plain }, key: string): Plain {
  return client.call("object", "encoding", key);
}

test("SADD, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS", () => {
  const { client } = testServer();
  assert.equal(client.call("sadd", "s", "foo", "bar", "foo"), 2);
  assert.equal(client.call("sadd", "s", "bar"), 0);
  assert.equal(client.call("scard", "s"), 2);
  assert.equal(client.call("scard", "nokey"), 0);
  assert.equal(client.call("sismember", "s", "foo"), 1);
  assert.equal(client.call("sismember", "s", "baz"), 0);
  assert.deepEqual(client.call("smismember", "s", "baz", "foo"), [0, 1]);
  assert.deepEqual(client.call("smismember", "nokey", "a", "b"), [0, 0]);
  assert.deepEqual(sorted(client.call("smembers", "s")), ["bar", "foo"]);
  assert.deepEqual(client.call("smembers", "nokey"), []);
  assert.throws(() => client.call("smismember", "s"), /^Error: ERR wrong number of arguments for 'smismember' command$/);
  client.call("set", "str", "x");
  for (const cmd of [["sadd", "str", "a"], ["srem", "str", "a"], ["sismember", "str", "a"], ["smembers", "str"], ["scard", "str"], ["spop", "str"]]) {
    assert.throws(() => client.call(...cmd), WRONGTYPE);
  }
});

test("intset encoding: integers only, up to set-max-intset-entries, one way", () => {
  const { client } = testServer({ "set-max-intset-entries": "4" });
  client.call("sadd", "s", "10", "-3", "2");
  assert.equal(encoding(client, "s"), "intset");
  // Members of an intset come out in numeric order, as Redis stores them.
  assert.deepEqual(client.call("smembers", "s"), ["-3", "2", "10"]);
  client.call("sadd", "s", "9223372036854775807");
  assert.equal(encoding(client, "s"), "intset");
  assert.equal(client.call("sadd", "s", "5"), 1);
  assert.equal(encoding(client, "s"), "hashtable");
  client.call("srem", "s", "5");
  assert.equal(encoding(client, "s"), "hashtable");

  for (const member of ["a", "9223372036854775808", "01", "+1", "-0", " 1"]) {
    client.call("del", "t");
    client.call("sadd", "t", "1", member);
    assert.equal(encoding(client, "t"), "hashtable", member);
  }
  client.call("sadd", "first-string", "a");
  assert.equal(encoding(client, "first-string"), "hashtable");
});

test("SREM removes members and deletes the emptied key", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  client.call("sadd", "s", "a", "b", "c");
  assert.equal(client.call("srem", "s", "x", "y"), 0);
  assert.equal(client.call("srem", "s", "a", "x"), 1);
  assert.equal(client.call("srem", "s", "b", "c", "d", "e"), 2);
  assert.equal(client.call("exists", "s"), 0);
  assert.equal(client.call("srem", "s", "a"), 0);
  assert.deepEqual(events, ["s:sadd:s", "s:srem:s", "s:srem:s", "g:del:s"]);
});

test("SPOP without and with count", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  assert.equal(client.call("spop", "nokey"), null);
  assert.deepEqual(client.call("spop", "nokey", 3), []);
  client.call("sadd", "s", "a", "b", "c", "d", "e");
  const one = client.call("spop", "s") as string;
  assert.ok(["a", "b", "c", "d", "e"].includes(one));
  assert.deepEqual(client.call("spop", "s", 0), []);
  const two = client.call("spop", "s", 2) as string[];
  assert.equal(two.length, 2);
  assert.equal(client.call("scard", "s"), 2);
  const rest = client.call("spop", "s", 10) as string[];
  assert.deepEqual([one, ...two, ...rest].sort(), ["a", "b", "c", "d", "e"]);
  assert.equal(client.call("exists", "s"), 0);
  assert.deepEqual(events, ["s:sadd:s", "s:spop:s", "s:spop:s", "s:spop:s", "g:del:s"]);

  assert.throws(() => client.call("spop", "s", -1), /^Error: ERR value is out of range, must be positive$/);
  assert.throws(() => client.call("spop", "s", "x"), /^Error: ERR value is out of range, must be positive$/);
  assert.throws(() => client.call("spop", "s", 1, 2), SYNTAX);
});

test("SPOP with count replies with a set in RESP3; SRANDMEMBER with an array", () => {
  const { client } = testServer();
  client.call("sadd", "s", "a", "b", "c");
  client.call("hello", "3");
  assert.equal((client.reply("spop", "s", "1") as Reply).t, "set");
  assert.equal((client.reply("spop", "nokey", "1") as Reply).t, "set");
  assert.equal((client.reply("srandmember", "s", "5") as Reply).t, "array");
  assert.equal((client.reply("smembers", "s") as Reply).t, "set");
  assert.equal((client.reply("sinter", "s", "nokey") as Reply).t, "set");
});

test("SRANDMEMBER: single, distinct positive counts, repeating negative counts", () => {
  const { client } = testServer();
  assert.equal(client.call("srandmember", "nokey"), null);
  assert.deepEqual(client.call("srandmember", "nokey", 5), []);
  const members = Array.from({ length: 50 }, (_, i) => `m${i}`);
  client.call("sadd", "s", ...members);
  assert.ok(members.includes(client.call("srandmember", "s") as string));
  assert.deepEqual(client.call("srandmember", "s", 0), []);
  for (const count of [1, 5, 45, 49]) {
    const got = client.call("srandmember", "s", count) as string[];
    assert.equal(got.length, count);
    assert.equal(new Set(got).size, count);
    for (const m of got) assert.ok(members.includes(m));
  }
  assert.deepEqual(sorted(client.call("srandmember", "s", 100)), members.slice().sort());
  const repeated = client.call("srandmember", "s", -200) as string[];
  assert.equal(repeated.length, 200);
  for (const m of repeated) assert.ok(members.includes(m));
  assert.equal(client.call("scard", "s"), 50);

  client.call("sadd", "i", "1", "2", "3");
  assert.equal((client.call("srandmember", "i", -3) as string[]).length, 3);
  assert.throws(() => client.call("srandmember", "s", "-9223372036854775808"),
    /^Error: ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807$/);
  assert.throws(() => client.call("srandmember", "s", "x"), /^Error: ERR value is not an integer or out of range$/);
  assert.throws(() => client.call("srandmember", "s", 1, 2), SYNTAX);
});

test("SMOVE", () => {
  const { client, server } = testServer();
  client.call("sadd", "src", "1", "a", "b");
  client.call("sadd", "dst", "2", "3");
  const events = recordEvents(server);
  assert.equal(client.call("smove", "src", "dst", "a"), 1);
  assert.deepEqual(sorted(client.call("smembers", "src")), ["1", "b"]);
  assert.deepEqual(sorted(client.call("smembers", "dst")), ["2", "3", "a"]);
  assert.equal(encoding(client, "dst"), "hashtable");
  assert.equal(client.call("smove", "src", "dst", "nope"), 0);
  assert.equal(client.call("smove", "nokey", "dst", "a"), 0);
  assert.equal(client.call("smove", "src", "src", "b"), 1);
  assert.equal(client.call("smove", "src", "src", "zzz"), 0);
  assert.equal(client.call("smove", "src", "new", "1"), 1);
  assert.equal(encoding(client, "new"), "intset");
  assert.equal(client.call("smove", "src", "new", "b"), 1);
  assert.equal(client.call("exists", "src"), 0);
  assert.deepEqual(events, ["s:srem:src", "s:sadd:dst", "s:srem:src", "s:sadd:new", "s:srem:src", "g:del:src", "s:sadd:new"]);

  client.call("set", "str", "x");
  assert.throws(() => client.call("smove", "str", "dst", "a"), WRONGTYPE);
  assert.throws(() => client.call("smove", "dst", "str", "a"), WRONGTYPE);
  assert.equal(client.call("smove", "nokey", "str", "a"), 0);
});

test("SMOVE of a member the destination already has leaves the destination untouched (WATCH)", () => {
  const { client, newClient } = testServer();
  client.call("sadd", "src", "a", "b");
  client.call("sadd", "dst", "a");
  client.call("watch", "dst");
  client.call("multi");
  client.call("sadd", "dst", "c");
  assert.equal(newClient().call("smove", "src", "dst", "a"), 1);
  assert.deepEqual(client.call("exec"), [1]);
  assert.deepEqual(client.call("smembers", "src"), ["b"]);
});

test("SINTER, SUNION, SDIFF and missing keys", () => {
  const { client } = testServer();
  client.call("sadd", "a", "1", "2", "3", "x");
  client.call("sadd", "b", "2", "3", "4", "x");
  client.call("sadd", "c", "3", "x", "y");
  assert.deepEqual(sorted(client.call("sinter", "a", "b", "c")), ["3", "x"]);
  assert.deepEqual(client.call("sinter", "a", "nokey"), []);
  assert.deepEqual(sorted(client.call("sunion", "a", "nokey", "c")), ["1", "2", "3", "x", "y"]);
  assert.deepEqual(sorted(client.call("sdiff", "a", "b")), ["1"]);
  assert.deepEqual(sorted(client.call("sdiff", "a", "nokey")), ["1", "2", "3", "x"]);
  assert.deepEqual(client.call("sdiff", "nokey", "a"), []);
  assert.deepEqual(client.call("sdiff", "a", "a"), []);
  assert.deepEqual(sorted(client.call("sinter", "a", "a")), ["1", "2", "3", "x"]);

  client.call("set", "str", "x");
  for (const cmd of ["sinter", "sunion", "sdiff"]) {
    assert.throws(() => client.call(cmd, "str", "nokey"), WRONGTYPE);
    assert.throws(() => client.call(cmd, "nokey", "str"), WRONGTYPE);
    assert.throws(() => client.call(cmd, "a", "str"), WRONGTYPE);
  }
});

test("SINTERSTORE, SUNIONSTORE, SDIFFSTORE store, replace, or delete the destination", () => {
  const { client, server } = testServer();
  client.call("sadd", "a", "1", "2", "3");
  client.call("sadd", "b", "2", "3", "4");
  client.call("sadd", "w", "a", "2");
  client.call("set", "dst", "old");
  client.call("expire", "dst", 100);
  const events = recordEvents(server);
  assert.equal(client.call("sinterstore", "dst", "a", "b"), 2);
  assert.deepEqual(client.call("smembers", "dst"), ["2", "3"]);
  assert.equal(encoding(client, "dst"), "intset");
  assert.equal(client.call("ttl", "dst"), -1);
  assert.equal(client.call("sunionstore", "dst", "a", "w"), 4);
  assert.equal(encoding(client, "dst"), "hashtable");
  assert.equal(client.call("sdiffstore", "dst", "a", "b"), 1);
  assert.deepEqual(client.call("smembers", "dst"), ["1"]);
  assert.equal(client.call("sinterstore", "dst", "a", "nokey"), 0);
  assert.equal(client.call("exists", "dst"), 0);
  assert.equal(client.call("sunionstore", "dst", "nokey"), 0);
  assert.deepEqual(events, ["s:sinterstore:dst", "s:sunionstore:dst", "s:sdiffstore:dst", "g:del:dst"]);

  client.call("set", "str", "x");
  client.call("sadd", "keep", "e");
  assert.throws(() => client.call("sinterstore", "keep", "nokey", "str"), WRONGTYPE);
  assert.throws(() => client.call("sunionstore", "keep", "a", "str"), WRONGTYPE);
  assert.throws(() => client.call("sdiffstore", "keep", "str", "a"), WRONGTYPE);
  assert.deepEqual(client.call("smembers", "keep"), ["e"]);
  // The destination may be one of the sources.
  assert.equal(client.call("sunionstore", "a", "a", "b"), 4);
  assert.deepEqual(client.call("smembers", "a"), ["1", "2", "3", "4"]);
});

test("SINTERCARD counts, with LIMIT, and its argument errors", () => {
  const { client } = testServer();
  client.call("sadd", "a", "1", "2", "3", "4");
  client.call("sadd", "b", "2", "3", "4", "5");
  assert.equal(client.call("sintercard", 2, "a", "b"), 3);
  assert.equal(client.call("sintercard", 2, "a", "b", "limit", 0), 3);
  assert.equal(client.call("sintercard", 2, "a", "b", "LIMIT", 2), 2);
  assert.equal(client.call("sintercard", 1, "nokey"), 0);
  assert.equal(client.call("sintercard", 2, "a", "nokey", "limit", 10), 0);
  assert.throws(() => client.call("sintercard", 0, "a"), /^Error: ERR numkeys should be greater than 0$/);
  assert.throws(() => client.call("sintercard", "x", "a"), /^Error: ERR numkeys should be greater than 0$/);
  assert.throws(() => client.call("sintercard", 3, "a", "b"), /^Error: ERR Number of keys can't be greater than number of args$/);
  assert.throws(() => client.call("sintercard", 1, "a", "b"), SYNTAX);
  assert.throws(() => client.call("sintercard", 1, "a", "limit"), SYNTAX);
  assert.throws(() => client.call("sintercard", 1, "a", "limit", -1), /^Error: ERR LIMIT can't be negative$/);
  assert.throws(() => client.call("sintercard", 1, "a", "limit", "x"), /^Error: ERR LIMIT can't be negative$/);
  client.call("set", "str", "x");
  assert.throws(() => client.call("sintercard", 2, "str", "nokey"), WRONGTYPE);
});

test("SSCAN: intsets in one call, hashtables by cursor, MATCH and COUNT", () => {
  const { client } = testServer();
  client.call("sadd", "ints", ...Array.from({ length: 100 }, (_, i) => String(i)));
  const [cursor, items] = client.call("sscan", "ints", 0, "count", 5) as [string, string[]];
  assert.equal(cursor, "0");
  assert.equal(items.length, 100);
  assert.deepEqual(client.call("sscan", "ints", 0, "match", "9*"), ["0", ["9", "90", "91", "92", "93", "94", "95", "96", "97", "98", "99"]]);

  const members = Array.from({ length: 300 }, (_, i) => `m:${i}`);
  client.call("sadd", "big", ...members);
  const seen = new Set<string>();
  let next = "0";
  let calls = 0;
  do {
    const [c, batch] = client.call("sscan", "big", next, "COUNT", 20) as [string, string[]];
    for (const m of batch) seen.add(m);
    next = c;
    // Members removed mid-scan never reappear; those kept are all reported.
    if (++calls === 3) client.call("srem", "big", ...members.slice(200));
  } while (next !== "0");
  for (const m of members.slice(0, 200)) assert.ok(seen.has(m), m);
  assert.ok(calls > 3);

  assert.deepEqual(client.call("sscan", "nokey", 0), ["0", []]);
  assert.deepEqual(client.call("sscan", "nokey", 0, "count", 0), ["0", []]);
  assert.throws(() => client.call("sscan", "big", 0, "count", 0), SYNTAX);
  assert.throws(() => client.call("sscan", "big", 0, "type", "set"), SYNTAX);
  assert.throws(() => client.call("sscan", "big", "x"), /^Error: ERR invalid cursor$/);
});

test("random operations agree with a model", () => {
  const { client } = testServer({ "set-max-intset-entries": "16" });
  const model = new Map<string, Set<string>>([["a", new Set()], ["b", new Set()]]);
  let state = 7;
  // mulberry32: a seeded generator, so a failing model test can be replayed.
  const rand = (n: number) => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
  const member = () => (rand(3) === 0 ? `x${rand(30)}` : String(rand(40)));
  for (let i = 0; i < 3000; i++) {
    const key = rand(2) === 0 ? "a" : "b";
    const set = model.get(key)!;
    const m = member();
    switch (rand(4)) {
      case 0:
        assert.equal(client.call("sadd", key, m), set.has(m) ? 0 : 1);
        set.add(m);
        break;
      case 1:
        assert.equal(client.call("srem", key, m), set.delete(m) ? 1 : 0);
        break;
      case 2: {
        const popped = client.call("spop", key) as string | null;
        if (set.size === 0) assert.equal(popped, null);
        else assert.ok(set.delete(popped!));
        break;
      }
      default:
        assert.equal(client.call("sismember", key, m), set.has(m) ? 1 : 0);
    }
    assert.equal(client.call("scard", key), set.size);
  }
  const [a, b] = [model.get("a")!, model.get("b")!];
  assert.deepEqual(sorted(client.call("sinter", "a", "b")), [...a].filter((m) => b.has(m)).sort());
  assert.deepEqual(sorted(client.call("sunion", "a", "b")), [...new Set([...a, ...b])].sort());
  assert.deepEqual(sorted(client.call("sdiff", "a", "b")), [...a].filter((m) => !b.has(m)).sort());
});
