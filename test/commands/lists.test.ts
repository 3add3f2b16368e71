import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, recordEvents, rng } from "../helpers/in-process.js";
import type { Server } from "../../src/server/server.js";
import { ListValue } from "../../src/engine/types/list.js";

const WRONGTYPE = /^Error: WRONGTYPE Operation against a key holding the wrong kind of value$/;
const SYNTAX = /^Error: ERR syntax error$/;
const NOT_INT = /^Error: ERR value is not an integer or out of range$/;

/** Records keyspace notifications of db 0 as "class:event:key" ("new" events left out). */


test("ListValue behaves like an array under random deque operations", () => {
  const random = rng(42);
  const list = new ListValue();
  let model: string[] = [];
  for (let step = 0; step < 20000; step++) {
    const value = String(random(20));
    switch (random(9)) {
      case 0:
      case 1:
        list.pushFront(value);
        model.unshift(value);
        break;
      case 2:
      case 3:
        list.pushBack(value);
        model.push(value);
        break;
      case 4:
        assert.equal(list.popFront(), model.shift());
        break;
      case 5:
        assert.equal(list.popBack(), model.pop());
        break;
      case 6: {
        const at = random(model.length + 1);
        list.insertAt(at, value);
        model.splice(at, 0, value);
        break;
      }
      case 7: {
        const count = random(5) - 2;
        const removed = list.removeMatches(value, count);
        let expected = 0;
        if (count >= 0) {
          model = model.filter((v) => (v === value && (count === 0 || expected < count) ? (expected++, false) : true));
        } else {
          model = model.reverse().filter((v) => (v === value && expected < -count ? (expected++, false) : true)).reverse();
        }
        assert.equal(removed, expected);
        break;
      }
      case 8:
        if (model.length > 0 && random(10) === 0) {
          const start = random(model.length);
          const stop = start + random(model.length - start);
          list.trim(start, stop);
          model = model.slice(start, stop + 1);
        }
        break;
    }
    assert.equal(list.length, model.length);
    if (step % 97 === 0) {
      assert.deepEqual([...list], model);
      if (model.length > 0) assert.deepEqual(list.range(0, model.length - 1), model);
    }
  }
  assert.deepEqual([...list.clone()], model);
});

test("ListValue shrinks after losing most elements and keeps order", () => {
  const list = new ListValue();
  for (let i = 0; i < 1000; i++) list.pushBack(String(i));
  for (let i = 0; i < 990; i++) list.popFront();
  assert.deepEqual([...list], ["990", "991", "992", "993", "994", "995", "996", "997", "998", "999"]);
  list.pushFront("x");
  assert.equal(list.at(0), "x");
  assert.equal(list.at(10), "999");
});

test("LPUSH/RPUSH are variadic and LRANGE reads them back", () => {
  const { client } = testServer();
  assert.equal(client.call("lpush", "l", "a", "b", "c", "d"), 4);
  assert.equal(client.call("rpush", "l", "0", "1", "2", "3"), 8);
  assert.deepEqual(client.call("lrange", "l", 0, -1), ["d", "c", "b", "a", "0", "1", "2", "3"]);
  assert.equal(client.call("llen", "l"), 8);
  assert.equal(client.call("llen", "missing"), 0);
  assert.equal(client.call("type", "l"), "list");
});

test("LPUSHX/RPUSHX only push to existing lists", () => {
  const { client } = testServer();
  assert.equal(client.call("lpushx", "l", "a"), 0);
  assert.equal(client.call("rpushx", "l", "a"), 0);
  assert.equal(client.call("exists", "l"), 0);
  client.call("rpush", "l", "m");
  assert.equal(client.call("rpushx", "l", "x", "y"), 3);
  assert.equal(client.call("lpushx", "l", "b", "a"), 5);
  assert.deepEqual(client.call("lrange", "l", 0, -1), ["a", "b", "m", "x", "y"]);
});

test("list commands against a string are WRONGTYPE", () => {
  const { client } = testServer();
  client.call("set", "s", "v");
  for (const argv of [
    ["lpush", "s", "a"], ["rpush", "s", "a"], ["lpushx", "s", "a"], ["lpop", "s"], ["rpop", "s", "2"], ["llen", "s"],
    ["lindex", "s", "0"], ["linsert", "s", "before", "a", "b"], ["lrange", "s", "0", "1"], ["lrem", "s", "0", "a"],
    ["lset", "s", "0", "a"], ["ltrim", "s", "0", "1"], ["lpos", "s", "a"], ["lmove", "s", "d", "left", "left"],
    ["lmpop", "1", "s", "left"], ["blpop", "s", "0"], ["blmpop", "0", "1", "s", "left"],
  ]) {
    assert.throws(() => client.call(...argv), WRONGTYPE, argv.join(" "));
  }
});

test("LPOP/RPOP with and without count", () => {
  const { client } = testServer();
  client.call("lpush", "l", "aa", "bb", "cc", "dd", "ee", "ff", "gg");
  assert.equal(client.call("lpop", "l"), "gg");
  assert.deepEqual(client.call("lpop", "l", 2), ["ff", "ee"]);
  assert.deepEqual(client.call("rpop", "l", 2), ["aa", "bb"]);
  assert.deepEqual(client.call("lpop", "l", 0), []);
  assert.deepEqual(client.call("rpop", "l", 123), ["cc", "dd"]);
  assert.equal(client.call("exists", "l"), 0);
  assert.equal(client.call("lpop", "l"), null);
  assert.equal(client.call("lpop", "l", 0), null);
  assert.throws(() => client.call("lpop", "l", -1), /^Error: ERR value is out of range, must be positive$/);
  assert.throws(() => client.call("lpop", "l", "x"), /^Error: ERR value is out of range, must be positive$/);
  assert.throws(() => client.call("lpop", "l", 1, 1), /^Error: ERR wrong number of arguments for 'lpop' command$/);
  assert.throws(() => client.call("rpop", "l", 1, 1), /^Error: ERR wrong number of arguments for 'rpop' command$/);
});

test("LPOP with count distinguishes a null array from an empty one in RESP3", () => {
  const { client } = testServer();
  client.call("hello", 3);
  assert.deepEqual(client.reply("lpop", "missing", "1"), { t: "nullarray" });
  assert.deepEqual(client.reply("lpop", "missing"), { t: "null" });
  client.call("rpush", "l", "a");
  assert.deepEqual(client.reply("lpop", "l", "0"), { t: "array", v: [] });
});

test("LINDEX with positive and negative indexes", () => {
  const { client } = testServer();
  client.call("rpush", "l", "a", "b", "c");
  assert.equal(client.call("lindex", "l", 0), "a");
  assert.equal(client.call("lindex", "l", -1), "c");
  assert.equal(client.call("lindex", "l", -3), "a");
  assert.equal(client.call("lindex", "l", 3), null);
  assert.equal(client.call("lindex", "l", -4), null);
  assert.equal(client.call("lindex", "missing", "x"), null);
  assert.throws(() => client.call("lindex", "l", "x"), NOT_INT);
});

test("LINSERT before and after a pivot", () => {
  const { client } = testServer();
  client.call("rpush", "l", "a", "b", "c", "d");
  assert.equal(client.call("linsert", "l", "before", "c", "zz"), 5);
  assert.equal(client.call("linsert", "l", "AFTER", "c", "yy"), 6);
  assert.equal(client.call("linsert", "l", "after", "d", "dd"), 7);
  assert.equal(client.call("linsert", "l", "before", "a", "aa"), 8);
  assert.equal(client.call("linsert", "l", "after", "bad", "x"), -1);
  assert.deepEqual(client.call("lrange", "l", 0, -1), ["aa", "a", "b", "zz", "c", "yy", "d", "dd"]);
  assert.equal(client.call("linsert", "missing", "after", "a", "x"), 0);
  assert.throws(() => client.call("linsert", "l", "aft3r", "a", "x"), SYNTAX);
});

test("LRANGE index clamping", () => {
  const { client } = testServer();
  client.call("rpush", "l", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
  assert.deepEqual(client.call("lrange", "l", 1, -2), ["1", "2", "3", "4", "5", "6", "7", "8"]);
  assert.deepEqual(client.call("lrange", "l", -3, -1), ["7", "8", "9"]);
  assert.deepEqual(client.call("lrange", "l", 6, 2), []);
  assert.equal((client.call("lrange", "l", -1000, 1000) as string[]).length, 10);
  assert.deepEqual(client.call("lrange", "l", 0, -10), ["0"]);
  assert.deepEqual(client.call("lrange", "l", 0, -11), []);
  assert.deepEqual(client.call("lrange", "l", 10, 20), []);
  assert.deepEqual(client.call("lrange", "missing", 0, 1), []);
  assert.throws(() => client.call("lrange", "l", "a", 1), NOT_INT);
});

test("LREM from the head, from the tail and all", () => {
  const { client } = testServer();
  client.call("rpush", "l", "x", "foo", "bar", "foobar", "zap", "bar", "test", "foo", "foo");
  assert.equal(client.call("lrem", "l", -1, "bar"), 1);
  assert.deepEqual(client.call("lrange", "l", 0, -1), ["x", "foo", "bar", "foobar", "zap", "test", "foo", "foo"]);
  assert.equal(client.call("lrem", "l", -2, "foo"), 2);
  assert.equal(client.call("lrem", "l", 1, "foo"), 1);
  assert.equal(client.call("lrem", "l", 0, "nothing"), 0);
  assert.deepEqual(client.call("lrange", "l", 0, -1), ["x", "bar", "foobar", "zap", "test"]);
  client.call("rpush", "k", "a", "a");
  assert.equal(client.call("lrem", "k", 0, "a"), 2);
  assert.equal(client.call("exists", "k"), 0);
  assert.equal(client.call("lrem", "missing", 0, "a"), 0);
});

test("LSET replaces by index with Redis's errors", () => {
  const { client } = testServer();
  client.call("rpush", "l", "99", "98", "97", "96", "95");
  assert.equal(client.call("lset", "l", 1, "foo"), "OK");
  assert.equal(client.call("lset", "l", -1, "bar"), "OK");
  assert.deepEqual(client.call("lrange", "l", 0, -1), ["99", "foo", "97", "96", "bar"]);
  assert.throws(() => client.call("lset", "l", 10, "x"), /^Error: ERR index out of range$/);
  assert.throws(() => client.call("lset", "missing", 0, "x"), /^Error: ERR no such key$/);
  assert.throws(() => client.call("lset", "missing", "x", "x"), NOT_INT);
});

test("LTRIM keeps the range and deletes an emptied list", () => {
  const { client } = testServer();
  const trim = (start: number, stop: number) => {
    client.call("del", "l");
    client.call("rpush", "l", "1", "2", "3", "4", "5");
    client.call("ltrim", "l", start, stop);
    return client.call("lrange", "l", 0, -1);
  };
  assert.deepEqual(trim(0, 0), ["1"]);
  assert.deepEqual(trim(1, 2), ["2", "3"]);
  assert.deepEqual(trim(1, -2), ["2", "3", "4"]);
  assert.deepEqual(trim(-2, -1), ["4", "5"]);
  assert.deepEqual(trim(-10, 10), ["1", "2", "3", "4", "5"]);
  assert.deepEqual(trim(0, -5), ["1"]);
  assert.deepEqual(trim(0, -6), []);
  assert.equal(client.call("exists", "l"), 0);
  assert.equal(client.call("ltrim", "missing", 0, 1), "OK");
});

test("LPOS with RANK, COUNT and MAXLEN", () => {
  const { client } = testServer();
  client.call("rpush", "l", "a", "b", "c", "1", "2", "3", "c", "c");
  assert.equal(client.call("lpos", "l", "a"), 0);
  assert.equal(client.call("lpos", "l", "c"), 2);
  assert.equal(client.call("lpos", "l", "c", "rank", 2), 6);
  assert.equal(client.call("lpos", "l", "c", "rank", 4), null);
  assert.equal(client.call("lpos", "l", "c", "rank", -1), 7);
  assert.equal(client.call("lpos", "l", "c", "rank", -2), 6);
  assert.deepEqual(client.call("lpos", "l", "c", "count", 0), [2, 6, 7]);
  assert.deepEqual(client.call("lpos", "l", "c", "count", 2), [2, 6]);
  assert.deepEqual(client.call("lpos", "l", "c", "count", 0, "rank", 2), [6, 7]);
  assert.deepEqual(client.call("lpos", "l", "c", "count", 2, "rank", -1), [7, 6]);
  assert.deepEqual(client.call("lpos", "l", "c", "count", 0, "maxlen", 1), []);
  assert.deepEqual(client.call("lpos", "l", "c", "count", 0, "maxlen", 3, "rank", -1), [7, 6]);
  assert.deepEqual(client.call("lpos", "l", "c", "count", 0, "maxlen", 7, "rank", 2), [6]);
  assert.deepEqual(client.call("lpos", "l", "x", "count", 2), []);
  assert.equal(client.call("lpos", "l", "x"), null);
  assert.deepEqual(client.call("lpos", "missing", "c", "count", 0), []);
  assert.equal(client.call("lpos", "missing", "c"), null);
  assert.throws(
    () => client.call("lpos", "l", "c", "rank", 0),
    /^Error: ERR RANK can't be zero: use 1 to start from the first match, 2 from the second \.\.\. or use negative to start from the end of the list$/,
  );
  assert.throws(() => client.call("lpos", "l", "c", "count", -1), /^Error: ERR COUNT can't be negative$/);
  assert.throws(() => client.call("lpos", "l", "c", "count", "x"), /^Error: ERR COUNT can't be negative$/);
  assert.throws(() => client.call("lpos", "l", "c", "maxlen", -1), /^Error: ERR MAXLEN can't be negative$/);
  assert.throws(() => client.call("lpos", "l", "c", "rank", "x"), NOT_INT);
  assert.throws(() => client.call("lpos", "l", "c", "rank"), SYNTAX);
  assert.throws(() => client.call("lpos", "l", "c", "foo", 1), SYNTAX);
});

test("LMOVE in every direction, including onto the same list", () => {
  const { client } = testServer();
  client.call("rpush", "src", "a", "b", "c", "d");
  assert.equal(client.call("lmove", "src", "dst", "left", "right"), "a");
  assert.equal(client.call("lmove", "src", "dst", "RIGHT", "left"), "d");
  assert.equal(client.call("lmove", "src", "dst", "left", "left"), "b");
  assert.equal(client.call("lmove", "src", "dst", "right", "right"), "c");
  assert.deepEqual(client.call("lrange", "dst", 0, -1), ["b", "d", "a", "c"]);
  assert.equal(client.call("exists", "src"), 0);
  assert.equal(client.call("lmove", "dst", "dst", "left", "right"), "b");
  assert.deepEqual(client.call("lrange", "dst", 0, -1), ["d", "a", "c", "b"]);
  assert.equal(client.call("rpoplpush", "dst", "dst"), "b");
  assert.deepEqual(client.call("lrange", "dst", 0, -1), ["b", "d", "a", "c"]);
  client.call("rpush", "one", "x");
  assert.equal(client.call("rpoplpush", "one", "one"), "x");
  assert.deepEqual(client.call("lrange", "one", 0, -1), ["x"]);
  assert.throws(() => client.call("lmove", "dst", "x", "up", "left"), SYNTAX);
});

test("LMOVE checks the destination type before popping; a missing source is nil", () => {
  const { client } = testServer();
  client.call("rpush", "src", "a", "b");
  client.call("set", "str", "x");
  assert.throws(() => client.call("rpoplpush", "src", "str"), WRONGTYPE);
  assert.deepEqual(client.call("lrange", "src", 0, -1), ["a", "b"]);
  assert.equal(client.call("rpoplpush", "missing", "str"), null);
  assert.equal(client.call("exists", "missing"), 0);
});

test("LMPOP pops from the first non-empty list", () => {
  const { client } = testServer();
  client.call("rpush", "b", "1", "2", "3", "4", "5");
  assert.deepEqual(client.call("lmpop", 2, "a", "b", "left"), ["b", ["1"]]);
  assert.deepEqual(client.call("lmpop", 2, "a", "b", "right", "count", 2), ["b", ["5", "4"]]);
  assert.deepEqual(client.call("lmpop", 2, "b", "b", "left", "count", 10), ["b", ["2", "3"]]);
  assert.equal(client.call("exists", "b"), 0);
  assert.equal(client.call("lmpop", 2, "a", "b", "left"), null);
});

test("LMPOP argument errors", () => {
  const { client } = testServer();
  const numkeys = /^Error: ERR numkeys should be greater than 0$/;
  const count = /^Error: ERR count should be greater than 0$/;
  assert.throws(() => client.call("lmpop", 1, "l"), /^Error: ERR wrong number of arguments for 'lmpop' command$/);
  assert.throws(() => client.call("lmpop", 0, "l", "left"), numkeys);
  assert.throws(() => client.call("lmpop", "a", "l", "left"), numkeys);
  assert.throws(() => client.call("lmpop", -1, "l", "left"), numkeys);
  assert.throws(() => client.call("lmpop", 1, "l", "bad_where"), SYNTAX);
  assert.throws(() => client.call("lmpop", 1, "l", "left", "bar_arg"), SYNTAX);
  assert.throws(() => client.call("lmpop", 1, "l", "right", "left"), SYNTAX);
  assert.throws(() => client.call("lmpop", 1, "l", "count"), SYNTAX);
  assert.throws(() => client.call("lmpop", 1, "l", "left", "count", 1, "count", 2), SYNTAX);
  assert.throws(() => client.call("lmpop", 5, "l", "left"), SYNTAX);
  assert.throws(() => client.call("lmpop", 1, "l", "left", "count", 0), count);
  assert.throws(() => client.call("lmpop", 1, "l", "left", "count", "a"), count);
  assert.throws(() => client.call("blmpop", 0, 0, "l", "left"), numkeys);
  assert.throws(() => client.call("blmpop", -1, 1, "l", "left"), /^Error: ERR timeout is negative$/);
});

test("COMMAND GETKEYS-style key positions of LMPOP and BLMPOP", async () => {
  const { server } = testServer();
  const { commandKeys } = await import("../../src/commands/table.js");
  assert.deepEqual(commandKeys(server.commands.get("lmpop")!, ["lmpop", "2", "a", "b", "left"]), ["a", "b"]);
  assert.deepEqual(commandKeys(server.commands.get("blmpop")!, ["blmpop", "0", "1", "a", "left"]), ["a"]);
  assert.deepEqual(commandKeys(server.commands.get("blpop")!, ["blpop", "a", "b", "0"]), ["a", "b"]);
});

test("list events for pushes, pops, edits and deletion", () => {
  const { server, client } = testServer();
  const events = recordEvents(server);
  client.call("rpush", "l", "a", "b", "c");
  client.call("lpush", "l", "z");
  client.call("linsert", "l", "after", "a", "x");
  client.call("lset", "l", 0, "y");
  client.call("lrem", "l", 1, "x");
  client.call("lrem", "l", 1, "nothing");
  client.call("ltrim", "l", 0, 1);
  client.call("lmove", "l", "m", "left", "right");
  client.call("rpop", "l");
  assert.deepEqual(events, [
    "l:rpush:l", "l:lpush:l", "l:linsert:l", "l:lset:l", "l:lrem:l", "l:ltrim:l",
    "l:rpush:m", "l:lpop:l", "l:rpop:l", "g:del:l",
  ]);
});

test("OBJECT ENCODING of a list is quicklist, as in Redis 7.0", () => {
  const { client } = testServer();
  client.call("rpush", "l", "a");
  assert.equal(client.call("object", "encoding", "l"), "quicklist");
});

test("COPY of a list is independent of the original", () => {
  const { client } = testServer();
  client.call("rpush", "l", "a", "b");
  assert.equal(client.call("copy", "l", "c"), 1);
  client.call("rpush", "c", "x");
  assert.deepEqual(client.call("lrange", "l", 0, -1), ["a", "b"]);
  assert.deepEqual(client.call("lrange", "c", 0, -1), ["a", "b", "x"]);
});

// --- Blocking ----------------------------------------------------------------------------------

test("BLPOP/BRPOP serve at once when a list has data, the first key in order first", async () => {
  const { client } = testServer();
  client.call("rpush", "b", "1", "2");
  client.call("rpush", "c", "3");
  assert.deepEqual(await client.callAsync("blpop", "a", "b", "c", 0), ["b", "1"]);
  assert.deepEqual(await client.callAsync("brpop", "c", "b", 0), ["c", "3"]);
});

test("BLPOP blocks until a push, FIFO among clients", async () => {
  const { client, newClient } = testServer();
  const first = newClient();
  const second = newClient();
  const p1 = first.callAsync("blpop", "l", 0);
  const p2 = second.callAsync("blpop", "other", "l", 0);
  assert.equal(client.call("rpush", "l", "a", "b"), 2);
  assert.deepEqual(await p1, ["l", "a"]);
  assert.deepEqual(await p2, ["l", "b"]);
  assert.equal(client.call("exists", "l"), 0);
});

test("a client blocked on several keys is served by the key that got data", async () => {
  const { client, newClient } = testServer();
  const waiter = newClient();
  const p = waiter.callAsync("brpop", "a", "b", 0);
  client.call("lpush", "b", "x");
  assert.deepEqual(await p, ["b", "x"]);
});

test("blocking pops time out with a null array", async () => {
  const { client } = testServer();
  assert.equal(await client.callAsync("blpop", "l", "0.01"), null);
  assert.equal(await client.callAsync("blmpop", "0.01", 1, "l", "left"), null);
  assert.equal(await client.callAsync("brpoplpush", "l", "d", "0.01"), null);
});

test("blocking timeouts are parsed as Redis does", () => {
  const { client } = testServer();
  assert.throws(() => client.call("blpop", "l", -1), /^Error: ERR timeout is negative$/);
  assert.throws(() => client.call("blpop", "l", "abc"), /^Error: ERR timeout is not a float or out of range$/);
  assert.throws(() => client.call("blpop", "l", "1e30"), /^Error: ERR timeout is negative$/);
  assert.throws(() => client.call("blpop", "l", "inf"), /^Error: ERR timeout is negative$/);
  assert.throws(() => client.call("blmove", "l", "d", "left", "left", "x"), /^Error: ERR timeout is not a float or out of range$/);
});

test("blocking commands inside MULTI do not block", () => {
  const { client } = testServer();
  client.call("rpush", "l", "a");
  client.call("multi");
  client.call("blpop", "l", 0);
  client.call("blpop", "l", 0);
  client.call("brpoplpush", "l", "d", 0);
  client.call("blmpop", 0, 1, "l", "left");
  assert.deepEqual(client.call("exec"), [["l", "a"], null, null, null]);
});

test("BLMOVE pushing to a list serves a client blocked on that list", async () => {
  const { client, newClient } = testServer();
  const popper = newClient();
  const mover = newClient();
  const pop = popper.callAsync("blpop", "target", 0);
  const move = mover.callAsync("blmove", "src", "target", "right", "left", 0);
  client.call("rpush", "src", "foo");
  assert.equal(await move, "foo");
  assert.deepEqual(await pop, ["target", "foo"]);
  assert.equal(client.call("exists", "target"), 0);
});

test("circular BRPOPLPUSH ends with the element back in the first list", async () => {
  const { client, newClient } = testServer();
  const a = newClient().callAsync("brpoplpush", "l1", "l2", 0);
  const b = newClient().callAsync("brpoplpush", "l2", "l1", 0);
  client.call("rpush", "l1", "foo");
  assert.equal(await a, "foo");
  assert.equal(await b, "foo");
  assert.deepEqual(client.call("lrange", "l1", 0, -1), ["foo"]);
  assert.equal(client.call("exists", "l2"), 0);
});

test("a blocked BRPOPLPUSH with a wrong destination type gets WRONGTYPE and pops nothing", async () => {
  const { client, newClient } = testServer();
  client.call("set", "t1", "x");
  const failing = newClient().callAsync("brpoplpush", "l", "t1", 0);
  const served = newClient().callAsync("brpoplpush", "l", "t2", 0);
  client.call("rpush", "l", "foo");
  await assert.rejects(failing, WRONGTYPE);
  assert.equal(await served, "foo");
  assert.deepEqual(client.call("lrange", "t2", 0, -1), ["foo"]);
});

test("a key of another type does not wake a blocked pop", async () => {
  const { client, newClient } = testServer();
  const waiter = newClient();
  const p = waiter.callAsync("blpop", "l", 0);
  client.call("set", "l", "x");
  client.call("del", "l");
  client.call("rpush", "l", "b");
  assert.deepEqual(await p, ["l", "b"]);
});

test("BLMPOP serves count elements from the key that has data", async () => {
  const { client, newClient } = testServer();
  const first = newClient().callAsync("blmpop", 0, 2, "a", "b", "left", "count", 1);
  const second = newClient().callAsync("blmpop", 0, 2, "a", "b", "right", "count", 10);
  client.call("lpush", "b", "1", "2", "3");
  assert.deepEqual(await first, ["b", ["3"]]);
  assert.deepEqual(await second, ["b", ["1", "2"]]);
});

test("CLIENT UNBLOCK ends a blocked pop with nil or an error", async () => {
  const { client, newClient } = testServer();
  const waiter = newClient();
  const p = waiter.callAsync("blpop", "l", 0);
  assert.equal(client.call("client", "unblock", waiter.session.id), 1);
  assert.equal(await p, null);
  const q = waiter.callAsync("blpop", "l", 0);
  client.call("client", "unblock", waiter.session.id, "error");
  await assert.rejects(q, /^Error: UNBLOCKED client unblocked via CLIENT UNBLOCK$/);
});

test("a served blocked pop raises its events and is propagated as the non-blocking command", async () => {
  const { server, client, newClient } = testServer();
  const propagated: string[] = [];
  server.propagateListeners.push((_db, argv) => propagated.push(argv.join(" ")));
  const events = recordEvents(server);
  const p = newClient().callAsync("brpop", "l", 0);
  const m = newClient().callAsync("blmove", "s", "d", "left", "right", 0);
  const n = newClient().callAsync("blmpop", 0, 1, "k", "right", "count", 5);
  client.call("lpush", "l", "a");
  client.call("lpush", "s", "b");
  client.call("rpush", "k", "1", "2");
  assert.deepEqual(await p, ["l", "a"]);
  assert.equal(await m, "b");
  assert.deepEqual(await n, ["k", ["2", "1"]]);
  assert.deepEqual(propagated, ["lpush l a", "rpop l", "lpush s b", "lmove s d left right", "rpush k 1 2", "rpop k 2"]);
  assert.deepEqual(events, [
    "l:lpush:l", "l:rpop:l", "g:del:l",
    "l:lpush:s", "l:rpush:d", "l:lpop:s", "g:del:s",
    "l:rpush:k", "l:rpop:k", "g:del:k",
  ]);
});
