import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, type TestClient, recordEvents } from "../helpers/in-process.js";
import type { Server } from "../../src/server/server.js";
import { IdMap, parseStreamId, formatId, MAX_ID } from "../../src/engine/types/stream.js";
import { typeOps } from "../../src/engine/types/index.js";

const WRONGTYPE = /^Error: WRONGTYPE Operation against a key holding the wrong kind of value$/;
const SYNTAX = /^Error: ERR syntax error$/;
const INVALID_ID = /^Error: ERR Invalid stream ID specified as stream command argument$/;

/** Records keyspace notifications of db 0 as "class:event:key" ("new" events left out). */

/** XINFO STREAM (or GROUPS entries) as an object. */
function info(reply: unknown): Record<string, unknown> {
  const flat = reply as unknown[];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < flat.length; i += 2) out[flat[i] as string] = flat[i + 1];
  return out;
}

function count(reply: unknown): number {
  return (reply as unknown[]).length;
}

function addRange(client: TestClient, key: string, from: number, to: number): void {
  for (let i = from; i <= to; i++) client.call("xadd", key, `${i}-0`, "f", `v${i}`);
}

test("XADD assigns explicit, partial and automatic IDs and rejects ones not above the top", () => {
  const { client } = testServer();
  assert.equal(client.call("xadd", "s", "123-456", "a", "1"), "123-456");
  assert.equal(client.call("xadd", "s", "123-*", "a", "2"), "123-457");
  assert.equal(client.call("xadd", "s", "789-*", "a", "3"), "789-0");
  assert.equal(client.call("xadd", "s", "790", "a", "4"), "790-0");
  assert.throws(() => client.call("xadd", "s", "790", "a", "5"), /^Error: ERR The ID specified in XADD is equal or smaller than the target stream top item$/);
  assert.throws(() => client.call("xadd", "s", "42-*", "a", "5"), /equal or smaller/);
  assert.throws(() => client.call("xadd", "t", "0-0", "a", "5"), /^Error: ERR The ID specified in XADD must be greater than 0-0$/);
  assert.equal(client.call("exists", "t"), 0);
  assert.equal(client.call("xadd", "t", "0-*", "a", "5"), "0-1");
  const auto = client.call("xadd", "s", "*", "a", "6") as string;
  assert.match(auto, /^\d+-0$/);
  assert.ok(BigInt(auto.split("-")[0]) > 790n);
  assert.equal(client.call("xlen", "s"), 5);
  assert.throws(() => client.call("xadd", "s", "1-x", "a", "b"), INVALID_ID);
  assert.throws(() => client.call("xadd", "s", "*", "a"), /^Error: ERR wrong number of arguments for 'xadd' command$/);
  assert.throws(() => client.call("xadd", "s", "maxlen", "5"), /wrong number of arguments for 'xadd'/);
  client.call("set", "str", "v");
  assert.throws(() => client.call("xadd", "str", "*", "a", "b"), WRONGTYPE);
});

test("XADD IDs are exact over the whole 64-bit range of both parts", () => {
  const { client } = testServer();
  assert.equal(client.call("xadd", "s", "1-18446744073709551615", "a", "b"), "1-18446744073709551615");
  assert.throws(() => client.call("xadd", "s", "1-*", "c", "d"), /equal or smaller/);
  assert.equal(client.call("xadd", "s", "2-*", "c", "d"), "2-0");
  assert.equal(client.call("xadd", "s", "18446744073709551615-18446744073709551614", "a", "b"), "18446744073709551615-18446744073709551614");
  assert.equal(client.call("xadd", "s", "*", "a", "b"), "18446744073709551615-18446744073709551615");
  assert.throws(() => client.call("xadd", "s", "*", "a", "b"), /^Error: ERR The stream has exhausted the last possible ID, unable to add more items$/);
  // strtoull's leniency (leading spaces, '+', zeros, negation) is part of Redis's ID syntax.
  assert.deepEqual(parseStreamId(" +007-01", 0n, true), { id: (7n << 64n) | 1n, seqGiven: true });
  assert.equal(formatId(parseStreamId("5--01", 0n, true)!.id), "5-18446744073709551615");
  assert.equal(parseStreamId("-1", 0n, true), null);
  assert.equal(parseStreamId("18446744073709551616", 0n, true), null);
  assert.equal(parseStreamId("+", 0n, true), null);
  assert.equal(parseStreamId("+", 0n, false)!.id, MAX_ID);
});

test("XADD NOMKSTREAM, MAXLEN and MINID trimming", () => {
  const { client } = testServer();
  assert.equal(client.call("xadd", "s", "nomkstream", "*", "a", "b"), null);
  assert.equal(client.call("exists", "s"), 0);
  for (let i = 1; i <= 10; i++) client.call("xadd", "s", "maxlen", "3", `${i}`, "i", `${i}`);
  assert.deepEqual(client.call("xrange", "s", "-", "+"), [["8-0", ["i", "8"]], ["9-0", ["i", "9"]], ["10-0", ["i", "10"]]]);
  client.call("xadd", "s", "minid", "=", "10", "11", "i", "11");
  assert.equal(client.call("xlen", "s"), 2);
  // An empty stream stays: XADD MAXLEN 0 creates one.
  client.call("xadd", "e", "maxlen", "0", "*", "a", "b");
  assert.equal(client.call("xlen", "e"), 0);
  assert.equal(client.call("type", "e"), "stream");
  assert.throws(() => client.call("xadd", "s", "maxlen", "-1", "*", "a", "b"), /^Error: ERR The MAXLEN argument must be >= 0\.$/);
  assert.throws(() => client.call("xadd", "s", "minid", "1", "maxlen", "1", "*", "a", "b"), /^Error: ERR syntax error, MAXLEN and MINID options at the same time are not compatible$/);
  assert.throws(() => client.call("xadd", "s", "limit", "5", "*", "a", "b"), /^Error: ERR syntax error, LIMIT cannot be used without specifying a trimming strategy$/);
  assert.throws(() => client.call("xadd", "s", "maxlen", "5", "limit", "5", "*", "a", "b"), /^Error: ERR syntax error, LIMIT cannot be used without the special ~ option$/);
});

// Counts checked against redis-server 7.0.15 running the same commands.
test("approximate trimming removes whole nodes only, within LIMIT", () => {
  const { client } = testServer();
  client.call("config", "set", "stream-node-max-entries", "10");
  for (let i = 1; i <= 100; i++) client.call("xadd", "s", `${i}`, "x", "v");
  client.call("xadd", "s", "maxlen", "~", "55", "limit", "30", "101", "x", "v");
  assert.equal(client.call("xlen", "s"), 71);
  client.call("xadd", "s", "maxlen", "~", "55", "limit", "30", "102", "x", "v");
  assert.equal(client.call("xlen", "s"), 62);
  assert.equal(client.call("xtrim", "s", "maxlen", "~", "0", "limit", "5"), 0);
  assert.equal(client.call("xtrim", "s", "maxlen", "~", "55"), 0);
  assert.equal(client.call("xtrim", "s", "maxlen", "=", "55"), 7);
  assert.equal(client.call("xtrim", "s", "minid", "60"), 12);
  assert.deepEqual((client.call("xrange", "s", "-", "+", "count", "1") as unknown[][])[0][0], "60-0");
  assert.equal(info(client.call("xinfo", "stream", "s"))["recorded-first-entry-id"], "60-0");
  assert.throws(() => client.call("xtrim", "s", "foo", "bar"), SYNTAX);
  assert.throws(() => client.call("xtrim", "s", "limit", "1"), /^Error: ERR syntax error, LIMIT cannot be used without specifying a trimming strategy$/);
  assert.equal(client.call("xtrim", "missing", "maxlen", "0"), 0);
});

test("nodes fill up by entries and by listpack bytes as Redis's do", () => {
  const { client } = testServer();
  client.call("config", "set", "stream-node-max-entries", "100");
  for (let i = 1; i <= 250; i++) client.call("xadd", "s", `${i}`, "item", `${i}`);
  assert.equal(info(client.call("xinfo", "stream", "s"))["radix-tree-keys"], 3);
  client.call("config", "set", "stream-node-max-bytes", "300");
  for (let i = 1; i < 30; i++) client.call("xadd", "b", `${i}`, "a", "y".repeat(i));
  // Checked against redis-server 7.0.15 with the same entries.
  const b = info(client.call("xinfo", "stream", "b"));
  assert.equal(b["radix-tree-keys"], 3);
  assert.equal(b["radix-tree-nodes"], 8);
});

test("XRANGE and XREVRANGE with exclusive bounds, incomplete IDs and COUNT", () => {
  const { client } = testServer();
  for (const id of ["0-1", "0-18446744073709551615", "1-0", "42-0", "42-42", "18446744073709551615-18446744073709551615"]) {
    client.call("xadd", "s", id, "f", "v");
  }
  const ids = (reply: unknown) => (reply as [string, string[]][]).map((e) => e[0]);
  assert.deepEqual(ids(client.call("xrange", "s", "(0-1", "(42-42")), ["0-18446744073709551615", "1-0", "42-0"]);
  assert.deepEqual(ids(client.call("xrange", "s", "42", "42")), ["42-0", "42-42"]);
  assert.deepEqual(ids(client.call("xrevrange", "s", "+", "-", "count", "2")), ["18446744073709551615-18446744073709551615", "42-42"]);
  assert.deepEqual(ids(client.call("xrevrange", "s", "(42-42", "1")), ["42-0", "1-0"]);
  assert.equal(client.call("xrange", "s", "-", "+", "count", "0"), null);
  assert.deepEqual(client.call("xrange", "missing", "-", "+"), []);
  assert.throws(() => client.call("xrange", "s", "(-", "+"), INVALID_ID);
  assert.throws(() => client.call("xrange", "s", "(18446744073709551615-18446744073709551615", "+"), /^Error: ERR invalid start ID for the interval$/);
  assert.throws(() => client.call("xrange", "s", "-", "(0-0"), /^Error: ERR invalid end ID for the interval$/);
  assert.throws(() => client.call("xrange", "s", "-", "+", "foo"), SYNTAX);
});

test("XDEL keeps tombstones until a node empties, and tracks the first and max deleted IDs", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  addRange(client, "s", 1, 5);
  assert.throws(() => client.call("xdel", "s", "bad"), INVALID_ID);
  assert.equal(client.call("xdel", "s", "2-0", "9-0"), 1);
  assert.equal(client.call("xdel", "s", "1-0"), 1);
  const i = info(client.call("xinfo", "stream", "s", "full"));
  assert.equal(i["recorded-first-entry-id"], "3-0");
  assert.equal(i["max-deleted-entry-id"], "2-0");
  assert.equal(i["entries-added"], 5n);
  assert.equal(client.call("xdel", "missing", "bad"), 0);
  assert.equal(client.call("xdel", "s", "3-0", "4-0", "5-0"), 3);
  assert.equal(info(client.call("xinfo", "stream", "s"))["radix-tree-keys"], 0);
  assert.deepEqual(events.filter((e) => e.includes("xdel")), ["t:xdel:s", "t:xdel:s", "t:xdel:s"]);
});

test("XREAD serves entries after the given IDs, with $ and + (Redis 7.4)", () => {
  const { client } = testServer();
  addRange(client, "a", 1, 3);
  assert.deepEqual(client.call("xread", "count", "2", "streams", "a", "nokey", "0", "0"), [["a", [["1-0", ["f", "v1"]], ["2-0", ["f", "v2"]]]]]);
  assert.equal(client.call("xread", "streams", "a", "$"), null);
  assert.deepEqual(client.call("xread", "streams", "a", "+"), [["a", [["3-0", ["f", "v3"]]]]]);
  assert.equal(client.call("xread", "streams", "nokey", "+"), null);
  assert.throws(() => client.call("xread", "streams", "a", "b", "0"), /^Error: ERR Unbalanced 'xread' list of streams: for each stream key an ID, '\+', or '\$' must be specified\.$/);
  assert.throws(() => client.call("xread", "streams", "a", ">"), /^Error: ERR The > ID can be specified only when calling XREADGROUP/);
  assert.throws(() => client.call("xread", "group", "g", "c", "streams", "a", "0"), /^Error: ERR The GROUP option is only supported by XREADGROUP\. You called XREAD instead\.$/);
  assert.throws(() => client.call("xread", "block", "-1", "streams", "a", "0"), /^Error: ERR timeout is negative$/);
  assert.throws(() => client.call("xread", "block", "x", "streams", "a", "0"), /^Error: ERR timeout is not an integer or out of range$/);
  client.call("set", "str", "v");
  assert.throws(() => client.call("xread", "streams", "str", "0"), WRONGTYPE);
  // RESP3: a map keyed by stream.
  client.call("hello", "3");
  assert.deepEqual(client.call("xread", "streams", "a", "2"), ["a", [["3-0", ["f", "v3"]]]]);
});

test("blocking XREAD is served by XADD, ignores deletions, and times out with nil", async () => {
  const { client, newClient } = testServer();
  const writer = newClient();
  writer.call("xadd", "s", "666", "f", "v");
  const waiting = client.callAsync("xread", "block", "0", "streams", "s", "$");
  writer.call("del", "s");
  writer.call("set", "s", "string now");
  writer.call("del", "s");
  writer.call("xadd", "s", "667", "f", "v");
  assert.deepEqual(await waiting, [["s", [["667-0", ["f", "v"]]]]]);
  assert.equal(await client.callAsync("xread", "block", "5", "streams", "s", "$"), null);
  // Inside MULTI a blocking read answers at once.
  client.call("multi");
  client.call("xread", "block", "0", "streams", "s", "$");
  assert.deepEqual(client.call("exec"), [null]);
});

test("consumer groups: XGROUP CREATE/SETID/DESTROY/CREATECONSUMER/DELCONSUMER", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  assert.throws(() => client.call("xgroup", "create", "s", "g", "$"), /^Error: ERR The XGROUP subcommand requires the key to exist\./);
  assert.equal(client.call("xgroup", "create", "s", "g", "$", "mkstream"), "OK");
  assert.throws(() => client.call("xgroup", "create", "s", "g", "$"), /^Error: BUSYGROUP Consumer Group name already exists$/);
  assert.throws(() => client.call("xgroup", "create", "s", "g2", "0", "foo"), /^Error: ERR unknown subcommand or wrong number of arguments for 'CREATE'\. Try XGROUP HELP\.$/);
  assert.throws(() => client.call("xgroup", "create", "s", "g2", "0", "entriesread", "-5"), /^Error: ERR value for ENTRIESREAD must be positive or -1$/);
  assert.throws(() => client.call("xgroup", "setid", "s", "nog", "0"), /^Error: NOGROUP No such consumer group 'nog' for key name 's'$/);
  assert.equal(client.call("xgroup", "createconsumer", "s", "g", "alice"), 1);
  assert.equal(client.call("xgroup", "createconsumer", "s", "g", "alice"), 0);
  assert.equal(client.call("xgroup", "setid", "s", "g", "-"), "OK");
  assert.equal(client.call("xgroup", "delconsumer", "s", "g", "alice"), 0);
  assert.equal(client.call("xgroup", "delconsumer", "s", "g", "bob"), 0);
  assert.equal(client.call("xgroup", "destroy", "s", "g"), 1);
  assert.equal(client.call("xgroup", "destroy", "s", "g"), 0);
  assert.throws(() => client.call("xgroup", "help", "x"), /^Error: ERR wrong number of arguments for 'xgroup\|help' command$/);
  assert.equal((client.call("xgroup", "help") as string[])[0], "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  assert.deepEqual(events, ["t:xgroup-create:s", "t:xgroup-createconsumer:s", "t:xgroup-setid:s", "t:xgroup-delconsumer:s", "t:xgroup-destroy:s"]);
});

test("XREADGROUP delivers new entries, serves history, NOACK, and tracks the PEL", () => {
  const { client } = testServer();
  addRange(client, "s", 1, 4);
  client.call("xgroup", "create", "s", "g", "0");
  assert.deepEqual(client.call("xreadgroup", "group", "g", "alice", "count", "1", "streams", "s", ">"), [["s", [["1-0", ["f", "v1"]]]]]);
  assert.deepEqual(client.call("xreadgroup", "group", "g", "bob", "count", "2", "streams", "s", ">"), [["s", [["2-0", ["f", "v2"]], ["3-0", ["f", "v3"]]]]]);
  assert.deepEqual(client.call("xreadgroup", "group", "g", "carol", "noack", "streams", "s", ">"), [["s", [["4-0", ["f", "v4"]]]]]);
  assert.equal(client.call("xreadgroup", "group", "g", "alice", "streams", "s", ">"), null);
  // History: only the consumer's own pending entries; deleted ones come with nil fields.
  client.call("xdel", "s", "2-0");
  assert.deepEqual(client.call("xreadgroup", "group", "g", "bob", "streams", "s", "0"), [["s", [["2-0", null], ["3-0", ["f", "v3"]]]]]);
  assert.deepEqual(client.call("xreadgroup", "group", "g", "carol", "streams", "s", "0"), [["s", []]]);
  const summary = client.call("xpending", "s", "g") as unknown[];
  assert.deepEqual(summary, [3, "1-0", "3-0", [["alice", "1"], ["bob", "2"]]]);
  const pending = client.call("xpending", "s", "g", "-", "+", "10", "bob") as unknown[][];
  // Re-reading history counts a delivery, except for entries no longer in the stream.
  assert.deepEqual(pending.map((p) => [p[0], p[1], p[3]]), [["2-0", "bob", 1], ["3-0", "bob", 2]]);
  assert.deepEqual(client.call("xpending", "s", "g", "(1-0", "(3-0", "10"), [pending[0]].map((p) => [p[0], p[1], p[2], p[3]]));
  assert.deepEqual(client.call("xpending", "s", "g", "idle", "99999999", "-", "+", "10"), []);
  assert.equal(client.call("xack", "s", "g", "1-0", "9-0"), 1);
  assert.equal(client.call("xack", "s", "g", "1-0"), 0);
  assert.throws(() => client.call("xack", "s", "g", "3-0", "bad"), INVALID_ID);
  assert.equal(client.call("xack", "s", "nog", "bad"), 0);
  const groups = (client.call("xinfo", "groups", "s") as unknown[]).map(info);
  assert.deepEqual(groups, [{ name: "g", consumers: 3, pending: 2, "last-delivered-id": "4-0", "entries-read": 4n, lag: 0n }]);
  assert.throws(() => client.call("xreadgroup", "group", "nog", "c", "streams", "s", ">"), /^Error: NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option$/);
  assert.throws(() => client.call("xreadgroup", "group", "g", "c", "streams", "s", "$"), /^Error: ERR The \$ ID is meaningless in the context of XREADGROUP/);
  assert.throws(() => client.call("xreadgroup", "streams", "s", ">"), /^Error: ERR wrong number of arguments for 'xreadgroup' command$/);
  assert.throws(() => client.call("xpending", "s", "nog"), /^Error: NOGROUP No such key 's' or consumer group 'nog'$/);
});

test("entries-read and lag follow XADD, XDEL and trimming", () => {
  const { client } = testServer();
  addRange(client, "x", 1, 5);
  client.call("xdel", "x", "3-0");
  client.call("xgroup", "create", "x", "g1", "0");
  client.call("xgroup", "create", "x", "g2", "0");
  const group = (n: number) => info((info(client.call("xinfo", "stream", "x", "full")).groups as unknown[])[n]);
  assert.equal(group(0).lag, null);
  for (let i = 0; i < 3; i++) client.call("xreadgroup", "group", "g1", "c", "count", "1", "streams", "x", ">");
  assert.equal(group(0)["entries-read"], null);
  client.call("xreadgroup", "group", "g1", "c", "count", "1", "streams", "x", ">");
  assert.equal(group(0)["entries-read"], 5n);
  assert.equal(group(0).lag, 0n);
  client.call("xadd", "x", "6-0", "f", "v");
  assert.equal(group(0).lag, 1n);
  client.call("xtrim", "x", "minid", "=", "3-0");
  assert.equal(group(1).lag, 3n);
});

test("blocked XREADGROUP: served by XADD, fails when the stream or group goes away", async () => {
  const { client, newClient } = testServer();
  const writer = newClient();
  writer.call("xgroup", "create", "s", "g", "$", "mkstream");
  const served = client.callAsync("xreadgroup", "group", "g", "alice", "block", "0", "streams", "s", ">");
  writer.call("xadd", "s", "1", "a", "b");
  assert.deepEqual(await served, [["s", [["1-0", ["a", "b"]]]]]);
  assert.equal(count(writer.call("xpending", "s", "g", "-", "+", "10", "alice")), 1);

  const destroyed = client.callAsync("xreadgroup", "group", "g", "alice", "block", "0", "streams", "s", ">");
  writer.call("xgroup", "destroy", "s", "g");
  await assert.rejects(destroyed, /^Error: NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option$/);

  writer.call("xgroup", "create", "s", "g", "$");
  const deleted = client.callAsync("xreadgroup", "group", "g", "alice", "block", "0", "streams", "s", ">");
  writer.call("del", "s");
  await assert.rejects(deleted, /^Error: UNBLOCKED the stream key no longer exists$/);

  writer.call("xgroup", "create", "s", "g", "$", "mkstream");
  const flushed = client.callAsync("xreadgroup", "group", "g", "alice", "block", "0", "streams", "s", ">");
  writer.call("flushall");
  await assert.rejects(flushed, /UNBLOCKED/);

  writer.call("xgroup", "create", "s", "g", "$", "mkstream");
  const replaced = client.callAsync("xreadgroup", "group", "g", "alice", "block", "0", "streams", "s", ">");
  writer.call("set", "s", "v");
  await assert.rejects(replaced, /UNBLOCKED/);
});

test("XCLAIM moves pending entries, honours options and drops deleted ones", () => {
  const { client } = testServer();
  addRange(client, "s", 1, 3);
  client.call("xgroup", "create", "s", "g", "0");
  client.call("xreadgroup", "group", "g", "alice", "streams", "s", ">");
  assert.deepEqual(client.call("xclaim", "s", "g", "bob", "0", "1-0"), [["1-0", ["f", "v1"]]]);
  assert.deepEqual(client.call("xclaim", "s", "g", "bob", "0", "2-0", "justid", "retrycount", "7"), ["2-0"]);
  assert.deepEqual(client.call("xclaim", "s", "g", "bob", "99999999", "3-0"), []);
  const pending = (client.call("xpending", "s", "g", "-", "+", "10") as unknown[][]).map((p) => [p[0], p[1], p[3]]);
  assert.deepEqual(pending, [["1-0", "bob", 2], ["2-0", "bob", 7], ["3-0", "alice", 1]]);
  client.call("xdel", "s", "3-0");
  assert.deepEqual(client.call("xclaim", "s", "g", "bob", "0", "3-0"), []);
  assert.equal(count(client.call("xpending", "s", "g", "-", "+", "10", "alice")), 0);
  client.call("xadd", "s", "4", "f", "v4");
  assert.deepEqual(client.call("xclaim", "s", "g", "carol", "0", "4-0", "force", "justid", "lastid", "4-0"), ["4-0"]);
  assert.equal((info((client.call("xinfo", "groups", "s") as unknown[])[0]))["last-delivered-id"], "4-0");
  assert.throws(() => client.call("xclaim", "s", "g", "bob", "0", "1-0", "foo"), /^Error: ERR Unrecognized XCLAIM option 'foo'$/);
  assert.throws(() => client.call("xclaim", "s", "g", "bob", "x", "1-0"), /^Error: ERR Invalid min-idle-time argument for XCLAIM$/);
  assert.throws(() => client.call("xclaim", "s", "nog", "bob", "0", "1-0"), /^Error: NOGROUP No such key 's' or consumer group 'nog'$/);
});

test("XAUTOCLAIM iterates the PEL with a cursor and reports deleted entries", () => {
  const { client } = testServer();
  addRange(client, "x", 1, 3);
  client.call("xgroup", "create", "x", "grp", "0");
  client.call("xreadgroup", "group", "grp", "alice", "streams", "x", ">");
  client.call("xdel", "x", "1-0", "2-0");
  assert.deepEqual(client.call("xautoclaim", "x", "grp", "bob", "0", "0-0", "count", "1"), ["2-0", [], ["1-0"]]);
  assert.deepEqual(client.call("xautoclaim", "x", "grp", "bob", "0", "2-0", "count", "1"), ["3-0", [], ["2-0"]]);
  assert.deepEqual(client.call("xautoclaim", "x", "grp", "bob", "0", "3-0", "count", "1"), ["0-0", [["3-0", ["f", "v3"]]], []]);
  assert.deepEqual(client.call("xautoclaim", "x", "grp", "carol", "0", "-", "justid"), ["0-0", ["3-0"], []]);
  assert.throws(() => client.call("xautoclaim", "x", "grp", "bob", "0", "0", "count", "0"), /^Error: ERR COUNT must be > 0$/);
  assert.throws(() => client.call("xautoclaim", "x", "grp", "bob", "0", "0", "count", "8070450532247928833"), /^Error: ERR COUNT must be > 0$/);
  assert.throws(() => client.call("xautoclaim", "x", "nog", "bob", "0", "0"), /^Error: NOGROUP/);
});

test("XINFO STREAM, GROUPS, CONSUMERS and their errors", () => {
  const { client } = testServer();
  for (let i = 100; i <= 104; i++) client.call("xadd", "x", `${i}`, "k", `${i}`);
  client.call("xgroup", "create", "x", "g1", "0");
  client.call("xreadgroup", "group", "g1", "alice", "count", "1", "streams", "x", ">");
  const plain = info(client.call("xinfo", "stream", "x"));
  assert.equal(plain.length, 5);
  assert.equal(plain.groups, 1);
  assert.deepEqual(plain["first-entry"], ["100-0", ["k", "100"]]);
  assert.deepEqual(plain["last-entry"], ["104-0", ["k", "104"]]);
  const full = info(client.call("xinfo", "stream", "x", "full", "count", "1"));
  assert.deepEqual(Object.keys(full), ["length", "radix-tree-keys", "radix-tree-nodes", "last-generated-id", "max-deleted-entry-id", "entries-added", "recorded-first-entry-id", "entries", "groups"]);
  assert.deepEqual(full.entries, [["100-0", ["k", "100"]]]);
  const g1 = info((full.groups as unknown[])[0]);
  assert.deepEqual(Object.keys(g1), ["name", "last-delivered-id", "entries-read", "lag", "pel-count", "pending", "consumers"]);
  const alice = info((g1.consumers as unknown[])[0]);
  assert.deepEqual(Object.keys(alice), ["name", "seen-time", "active-time", "pel-count", "pending"]);
  const consumers = (client.call("xinfo", "consumers", "x", "g1") as unknown[]).map(info);
  assert.deepEqual(Object.keys(consumers[0]), ["name", "pending", "idle", "inactive"]);
  assert.equal(consumers[0].pending, 1);
  assert.throws(() => client.call("xinfo", "stream", "nokey"), /^Error: ERR no such key$/);
  assert.throws(() => client.call("xinfo", "stream", "x", "foo"), /^Error: ERR unknown subcommand or wrong number of arguments for 'STREAM'\. Try XINFO HELP\.$/);
  assert.throws(() => client.call("xinfo", "consumers", "x", "nog"), /^Error: NOGROUP No such consumer group 'nog' for key name 'x'$/);
  assert.throws(() => client.call("xinfo", "help", "x"), /^Error: ERR wrong number of arguments for 'xinfo\|help' command$/);
});

test("XSETID sets the last ID, entries added and max deleted ID with Redis's checks", () => {
  const { client } = testServer();
  client.call("xadd", "x", "1-0", "a", "b");
  assert.throws(() => client.call("xsetid", "x", "0-5"), /^Error: ERR The ID specified in XSETID is smaller than the target stream top item$/);
  assert.throws(() => client.call("xsetid", "x", "1-0", "entriesadded", "0", "maxdeletedid", "0-0"), /^Error: ERR The entries_added specified in XSETID is smaller than the target stream length$/);
  assert.throws(() => client.call("xsetid", "x", "1-0", "entriesadded", "1", "maxdeletedid", "2-0"), /^Error: ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id$/);
  assert.throws(() => client.call("xsetid", "nokey", "1-1"), /^Error: ERR no such key$/);
  assert.throws(() => client.call("xsetid", "x", "1-1", "0"), SYNTAX);
  assert.throws(() => client.call("xsetid", "x", "1-1", "entriesadded", "-1", "maxdeletedid", "0-0"), /^Error: ERR entries_added must be positive$/);
  assert.equal(client.call("xsetid", "x", "200-0", "entriesadded", "9", "maxdeletedid", "150-0"), "OK");
  const i = info(client.call("xinfo", "stream", "x"));
  assert.equal(i["last-generated-id"], "200-0");
  assert.equal(i["entries-added"], 9n);
  assert.equal(i["max-deleted-entry-id"], "150-0");
  assert.throws(() => client.call("xadd", "x", "199", "a", "b"), /equal or smaller/);
});

test("XDELEX and XACKDEL apply KEEPREF, DELREF and ACKED (Redis 8.2)", () => {
  const { client } = testServer();
  addRange(client, "s", 1, 4);
  client.call("xgroup", "create", "s", "g1", "0");
  client.call("xgroup", "create", "s", "g2", "0");
  client.call("xreadgroup", "group", "g1", "c", "count", "3", "streams", "s", ">");
  client.call("xreadgroup", "group", "g2", "c", "count", "1", "streams", "s", ">");
  // ACKED: entries still pending somewhere or not yet read by a group stay.
  assert.deepEqual(client.call("xdelex", "s", "acked", "ids", "2", "1-0", "9-0"), [2, 2]);
  assert.deepEqual(client.call("xackdel", "s", "g1", "acked", "ids", "2", "2-0", "4-0"), [2, -1]);
  client.call("xack", "s", "g2", "1-0");
  assert.deepEqual(client.call("xackdel", "s", "g1", "acked", "ids", "1", "1-0"), [1]);
  // KEEPREF (default) deletes but leaves other groups' PEL entries; DELREF clears them too.
  assert.deepEqual(client.call("xackdel", "s", "g1", "ids", "1", "3-0"), [1]);
  assert.equal(count(client.call("xpending", "s", "g2", "-", "+", "10")), 0);
  client.call("xreadgroup", "group", "g2", "c", "streams", "s", ">");
  assert.deepEqual(client.call("xdelex", "s", "delref", "ids", "2", "2-0", "4-0"), [1, 1]);
  assert.equal(count(client.call("xpending", "s", "g2", "-", "+", "10")), 0);
  assert.equal(client.call("xlen", "s"), 0);
  assert.deepEqual(client.call("xdelex", "nokey", "ids", "1", "1-0"), [-1]);
  assert.deepEqual(client.call("xackdel", "s", "nog", "ids", "1", "1-0"), [-1]);
  assert.throws(() => client.call("xdelex", "s", "ids", "0", "1-0"), /^Error: ERR Number of IDs must be a positive integer$/);
  assert.throws(() => client.call("xdelex", "s", "ids", "3", "1-0"), /^Error: ERR The `numids` parameter must match the number of arguments$/);
  assert.throws(() => client.call("xdelex", "s", "keepref", "keepref", "ids", "1", "1-0"), SYNTAX);
  assert.throws(() => client.call("xdelex", "s", "keepref", "1-0", "2-0"), SYNTAX);
  assert.throws(() => client.call("xdelex", "s", "ids", "1", "bad"), INVALID_ID);
});

test("XTRIM ACKED keeps entries groups still need; DELREF clears their PEL entries", () => {
  const { client } = testServer();
  addRange(client, "s", 1, 6);
  client.call("xgroup", "create", "s", "g", "0");
  client.call("xreadgroup", "group", "g", "c", "count", "2", "streams", "s", ">");
  client.call("xack", "s", "g", "1-0");
  assert.equal(client.call("xtrim", "s", "maxlen", "0", "acked"), 1);
  assert.equal(client.call("xlen", "s"), 5);
  assert.equal(client.call("xtrim", "s", "minid", "4", "delref"), 2);
  assert.equal(count(client.call("xpending", "s", "g", "-", "+", "10")), 0);
  assert.deepEqual((client.call("xrange", "s", "-", "+") as unknown[][]).map((e) => e[0]), ["4-0", "5-0", "6-0"]);
});

test("keyspace events, OBJECT ENCODING and COPY of streams with groups", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  client.call("xadd", "s", "maxlen", "1", "1", "a", "b");
  client.call("xadd", "s", "maxlen", "1", "2", "a", "b");
  client.call("xtrim", "s", "maxlen", "0");
  client.call("xsetid", "s", "5-0");
  assert.deepEqual(events, ["t:xadd:s", "t:xadd:s", "t:xtrim:s", "t:xtrim:s", "t:xsetid:s"]);
  assert.equal(client.call("object", "encoding", "s"), "stream");
  addRange(client, "x", 1, 3);
  client.call("xgroup", "create", "x", "g", "0");
  client.call("xreadgroup", "group", "g", "alice", "count", "2", "streams", "x", ">");
  const copy = typeOps("stream").clone(server.dbs[0].peek("x")!.value);
  server.dbs[0].set("y", "stream", copy);
  assert.deepEqual(client.call("xinfo", "stream", "y", "full"), client.call("xinfo", "stream", "x", "full"));
  client.call("xack", "y", "g", "1-0");
  client.call("xadd", "y", "9", "a", "b");
  assert.equal(count(client.call("xpending", "x", "g", "-", "+", "10")), 2);
  assert.equal(client.call("xlen", "x"), 3);
});

test("IdMap keeps IDs sorted through inserts and deletes in any order", () => {
  const map = new IdMap<number>();
  const model = new Map<bigint, number>();
  let seed = 7;
  const next = (n: number) => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  for (let step = 0; step < 20000; step++) {
    const id = BigInt(next(3000));
    if (next(3) === 0) assert.equal(map.delete(id), model.delete(id));
    else {
      map.set(id, step);
      model.set(id, step);
    }
  }
  const sorted = [...model.keys()].sort((a, b) => (a < b ? -1 : 1));
  assert.equal(map.size, model.size);
  assert.deepEqual([...map.entries()].map(([k]) => k), sorted);
  assert.deepEqual([...map.entries(1500n)].map(([k]) => k), sorted.filter((k) => k >= 1500n));
  assert.equal(map.first(), sorted[0]);
  assert.equal(map.last(), sorted[sorted.length - 1]);
  assert.equal(map.ceiling(1500n), sorted.find((k) => k >= 1500n));
  for (const k of sorted) assert.equal(map.get(k), model.get(k));
});
