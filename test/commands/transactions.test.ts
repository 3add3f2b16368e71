import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer } from "../helpers/in-process.js";

test("MULTI queues, EXEC runs in order and returns every reply", () => {
  const { client } = testServer();
  assert.equal(client.call("multi"), "OK");
  assert.equal(client.call("set", "k", "1"), "QUEUED");
  assert.equal(client.call("incr", "k"), "QUEUED");
  assert.equal(client.call("get", "k"), "QUEUED");
  assert.deepEqual(client.call("exec"), ["OK", 2, "2"]);
  assert.equal(client.session.multi, null);
});

test("runtime errors inside EXEC do not abort the transaction", () => {
  const { client } = testServer();
  client.call("set", "s", "text");
  client.call("multi");
  client.call("incr", "s");
  client.call("set", "t", "1");
  const reply = client.reply("exec");
  assert.ok(!(reply instanceof Promise) && reply.t === "array");
  assert.deepEqual(reply.v[0], { t: "error", v: "ERR value is not an integer or out of range" });
  assert.equal(client.call("get", "t"), "1");
});

test("queueing errors abort EXEC with EXECABORT and nothing runs", () => {
  const { client } = testServer();
  client.call("multi");
  client.call("set", "a", "1");
  assert.throws(() => client.call("nosuchcommand"), /^Error: ERR unknown command 'nosuchcommand'/);
  assert.throws(() => client.call("get"), /ERR wrong number of arguments for 'get' command/);
  assert.throws(() => client.call("exec"), /^Error: EXECABORT Transaction discarded because of previous errors.$/);
  assert.equal(client.call("get", "a"), null);
  assert.equal(client.call("ping"), "PONG");
});

test("MULTI/EXEC/DISCARD/WATCH misuse errors", () => {
  const { client } = testServer();
  assert.throws(() => client.call("exec"), /^Error: ERR EXEC without MULTI$/);
  assert.throws(() => client.call("discard"), /^Error: ERR DISCARD without MULTI$/);
  client.call("multi");
  assert.throws(() => client.call("multi"), /^Error: ERR MULTI calls can not be nested$/);
  assert.throws(() => client.call("watch", "x"), /^Error: ERR WATCH inside MULTI is not allowed$/);
  // Neither error dirties the transaction.
  assert.deepEqual(client.call("exec"), []);
  client.call("multi");
  client.call("set", "x", "1");
  assert.equal(client.call("discard"), "OK");
  assert.equal(client.call("get", "x"), null);
});

test("no-multi commands are refused and abort the transaction", () => {
  const { client, server } = testServer();
  server.commands.add({
    name: "nomulti", arity: 1, flags: ["no_multi"], categories: ["server"], group: "server", since: "7.0.0", summary: "test",
    run: () => ({ t: "simple", v: "OK" }),
  });
  client.call("multi");
  assert.throws(() => client.call("nomulti"), /^Error: ERR Command not allowed inside a transaction$/);
  assert.throws(() => client.call("exec"), /EXECABORT/);
});

test("WATCH: a modification by another client fails EXEC with a null reply", () => {
  const { client, newClient } = testServer();
  const other = newClient();
  client.call("set", "x", "1");
  client.call("watch", "x");
  other.call("set", "x", "2");
  client.call("multi");
  client.call("set", "x", "3");
  assert.equal(client.call("exec"), null);
  assert.equal(client.call("get", "x"), "2");
  // After EXEC nothing is watched any more.
  other.call("set", "x", "4");
  client.call("multi");
  client.call("get", "x");
  assert.deepEqual(client.call("exec"), ["4"]);
});

test("WATCH: unmodified keys, UNWATCH and DISCARD", () => {
  const { client, newClient } = testServer();
  const other = newClient();
  client.call("watch", "a", "b");
  client.call("multi");
  client.call("ping");
  assert.deepEqual(client.call("exec"), ["PONG"]);
  client.call("watch", "a");
  other.call("set", "a", "1");
  assert.equal(client.call("unwatch"), "OK");
  client.call("multi");
  client.call("ping");
  assert.deepEqual(client.call("exec"), ["PONG"]);
  client.call("watch", "a");
  other.call("set", "a", "2");
  client.call("multi");
  client.call("discard");
  client.call("multi");
  client.call("incr", "a");
  assert.deepEqual(client.call("exec"), [3]);
});

test("WATCH remembers the database of the key", () => {
  const { client, newClient } = testServer();
  const other = newClient();
  client.call("select", "5");
  client.call("watch", "x");
  other.call("select", "1");
  other.call("set", "x", "1");
  client.call("multi");
  client.call("ping");
  assert.deepEqual(client.call("exec"), ["PONG"]);
  client.call("watch", "x");
  other.call("select", "5");
  other.call("set", "x", "1");
  client.call("multi");
  client.call("ping");
  assert.equal(client.call("exec"), null);
});

test("WATCH is invalidated by EXPIRE, DEL, FLUSHDB, FLUSHALL and SWAPDB", () => {
  const { client, newClient } = testServer();
  const other = newClient();
  const failsAfter = (...argv: string[]) => {
    other.call("flushall");
    client.call("set", "x", "1");
    client.call("watch", "x");
    other.call(...argv);
    client.call("multi");
    client.call("ping");
    return client.call("exec");
  };
  assert.equal(failsAfter("expire", "x", "100"), null);
  assert.equal(failsAfter("del", "x"), null);
  assert.equal(failsAfter("flushdb"), null);
  assert.equal(failsAfter("flushall"), null);
  assert.equal(failsAfter("swapdb", "0", "1"), null);
  // FLUSHALL leaves a watched key that does not exist untouched.
  other.call("flushall");
  client.call("watch", "missing");
  other.call("flushall");
  client.call("multi");
  client.call("ping");
  assert.deepEqual(client.call("exec"), ["PONG"]);
  // SWAPDB touches a missing watched key that the other database has.
  other.call("select", "1");
  other.call("set", "y", "1");
  client.call("watch", "y");
  other.call("swapdb", "0", "1");
  client.call("multi");
  client.call("ping");
  assert.equal(client.call("exec"), null);
});

test("WATCH is invalidated when a watched key expires", async () => {
  const { client } = testServer();
  client.call("set", "x", "1", "px", "5");
  client.call("watch", "x");
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(client.call("get", "x"), null); // lazy expiry deletes it
  client.call("multi");
  client.call("ping");
  assert.equal(client.call("exec"), null);
});

test("blocking commands inside MULTI return at once", () => {
  const { client } = testServer();
  client.call("multi");
  client.call("blpop", "empty", "0");
  client.call("brpop", "empty", "0");
  assert.deepEqual(client.call("exec"), [null, null]);
});

test("EXEC propagates its writes as MULTI ... EXEC, a single write alone", () => {
  const { client, server } = testServer();
  const feed: string[][] = [];
  server.propagateListeners.push((_db, argv) => feed.push(argv));
  client.call("multi");
  client.call("set", "a", "1");
  client.call("get", "a");
  client.call("set", "b", "2");
  client.call("exec");
  assert.deepEqual(feed, [["multi"], ["set", "a", "1"], ["set", "b", "2"], ["exec"]]);
  feed.length = 0;
  client.call("multi");
  client.call("set", "c", "3");
  client.call("get", "c");
  client.call("exec");
  assert.deepEqual(feed, [["set", "c", "3"]]);
  feed.length = 0;
  client.call("multi");
  client.call("get", "c");
  client.call("exec");
  assert.deepEqual(feed, []);
});

test("WAITAOF answers as a server without replicas", async () => {
  const { client } = testServer();
  assert.throws(() => client.call("waitaof", "1", "0", "0"), /^Error: ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.$/);
  assert.deepEqual(client.call("waitaof", "0", "0", "0"), [0, 0]);
  assert.throws(() => client.call("waitaof", "0", "0", "-1"), /^Error: ERR timeout is negative$/);
  assert.deepEqual(await client.callAsync("waitaof", "0", "1", "10"), [0, 0]);
});
