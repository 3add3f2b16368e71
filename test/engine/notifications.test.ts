import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, toPlain, type TestClient } from "../helpers/in-process.js";

function received(c: TestClient): unknown[] {
  const out = c.transport.pushed.map(toPlain);
  c.transport.pushed.length = 0;
  return out;
}

function setup(flags: string) {
  const { client, newClient, server } = testServer({ "notify-keyspace-events": flags });
  const sub = newClient();
  sub.call("psubscribe", "*");
  received(sub);
  return { client, sub, server };
}

test("no notifications by default", () => {
  const { client, newClient } = testServer();
  const sub = newClient();
  sub.call("psubscribe", "*");
  received(sub);
  client.call("set", "foo", "bar");
  assert.deepEqual(received(sub), []);
});

test("K and E publish on __keyspace@db__ and __keyevent@db__", () => {
  const { client, sub } = setup("KEA");
  client.call("select", "3");
  client.call("set", "foo", "bar");
  assert.deepEqual(received(sub), [
    ["pmessage", "*", "__keyspace@3__:foo", "set"],
    ["pmessage", "*", "__keyevent@3__:set", "foo"],
  ]);
});

test("class letters mask events", () => {
  const { client, sub } = setup("Kg");
  client.call("set", "foo", "bar");
  client.call("expire", "foo", "100");
  client.call("del", "foo");
  assert.deepEqual(received(sub), [
    ["pmessage", "*", "__keyspace@0__:foo", "expire"],
    ["pmessage", "*", "__keyspace@0__:foo", "del"],
  ]);
});

test("expired events come from lazy and active expiry", async () => {
  const { client, sub, server } = setup("Ex");
  client.call("set", "lazy", "1", "px", "1");
  client.call("set", "active", "1", "px", "1");
  await new Promise((r) => setTimeout(r, 10));
  assert.equal(client.call("get", "lazy"), null);
  assert.deepEqual(received(sub), [["pmessage", "*", "__keyevent@0__:expired", "lazy"]]);
  server.start();
  try {
    for (let i = 0; i < 50 && server.dbs[0].size > 0; i++) await new Promise((r) => setTimeout(r, 20));
  } finally {
    server.stop();
  }
  assert.deepEqual(received(sub), [["pmessage", "*", "__keyevent@0__:expired", "active"]]);
});

test("n announces new keys only", () => {
  const { client, sub } = setup("En");
  client.call("set", "foo", "bar");
  client.call("set", "foo", "baz");
  client.call("set", "bar", "x");
  assert.deepEqual(received(sub), [
    ["pmessage", "*", "__keyevent@0__:new", "foo"],
    ["pmessage", "*", "__keyevent@0__:new", "bar"],
  ]);
});

test("CONFIG SET notify-keyspace-events takes effect at once", () => {
  const { client, sub } = setup("");
  client.call("config", "set", "notify-keyspace-events", "K$");
  client.call("set", "foo", "bar");
  assert.deepEqual(received(sub), [["pmessage", "*", "__keyspace@0__:foo", "set"]]);
  client.call("config", "set", "notify-keyspace-events", "");
  client.call("set", "foo", "bar");
  assert.deepEqual(received(sub), []);
});
