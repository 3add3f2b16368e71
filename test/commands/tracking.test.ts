import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, toPlain, type TestClient } from "../helpers/in-process.js";

function received(c: TestClient): unknown[] {
  const out = c.transport.pushed.map(toPlain);
  c.transport.pushed.length = 0;
  return out;
}

const nextTurn = () => new Promise((r) => setImmediate(r));

test("RESP3 tracking: keys read are invalidated once when another client writes them", () => {
  const { client, newClient } = testServer();
  const writer = newClient();
  client.call("hello", "3");
  client.call("client", "tracking", "on");
  writer.call("set", "a", "1");
  client.call("get", "a");
  client.call("get", "b");
  writer.call("set", "a", "2");
  writer.call("set", "a", "3");
  writer.call("set", "c", "1");
  assert.deepEqual(received(client), [["invalidate", ["a"]]]);
  client.call("get", "a");
  client.call("set", "a", "4"); // its own write invalidates too (no NOLOOP)
  assert.deepEqual(received(client), [["invalidate", ["a"]]]);
});

test("NOLOOP skips the client's own writes", () => {
  const { client, newClient } = testServer();
  const writer = newClient();
  client.call("hello", "3");
  client.call("client", "tracking", "on", "noloop");
  client.call("mget", "a", "b");
  client.call("set", "a", "1");
  writer.call("set", "b", "1");
  assert.deepEqual(received(client), [["invalidate", ["b"]]]);
});

test("RESP2 redirect delivers on __redis__:invalidate to a subscribed client", () => {
  const { client, newClient } = testServer();
  const writer = newClient();
  const redir = newClient();
  redir.call("subscribe", "__redis__:invalidate");
  received(redir);
  client.call("client", "tracking", "on", "redirect", String(redir.session.id));
  client.call("get", "k");
  writer.call("set", "k", "v");
  assert.deepEqual(received(redir), [["message", "__redis__:invalidate", ["k"]]]);
  assert.equal(client.call("client", "getredir"), redir.session.id);
  assert.match(client.call("client", "info") as string, new RegExp(`flags=t .* redir=${redir.session.id} `));
});

test("a vanished redirect target is reported as tracking-redir-broken", () => {
  const { client, newClient, server } = testServer();
  const writer = newClient();
  const redir = newClient();
  client.call("hello", "3");
  client.call("client", "tracking", "on", "redirect", String(redir.session.id));
  client.call("get", "k");
  server.unregisterClient(redir.session);
  writer.call("set", "k", "v");
  assert.deepEqual(received(client), [["tracking-redir-broken", redir.session.id]]);
  assert.deepEqual(client.call("client", "trackinginfo"), ["flags", ["on", "broken_redirect"], "redirect", redir.session.id, "prefixes", []]);
});

test("OPTIN tracks only after CLIENT CACHING yes, OPTOUT skips after CLIENT CACHING no", () => {
  const { client, newClient } = testServer();
  const writer = newClient();
  client.call("hello", "3");
  client.call("client", "tracking", "on", "optin");
  client.call("get", "a");
  client.call("client", "caching", "yes");
  assert.deepEqual(client.call("client", "trackinginfo"), ["flags", ["on", "optin", "caching-yes"], "redirect", 0, "prefixes", []]);
  client.call("get", "b");
  client.call("get", "c"); // CACHING applied to one command only
  writer.call("mset", "a", "1", "b", "1", "c", "1");
  assert.deepEqual(received(client), [["invalidate", ["b"]]]);
  client.call("client", "tracking", "off");
  client.call("client", "tracking", "on", "optout");
  client.call("client", "caching", "no");
  client.call("get", "a");
  client.call("get", "b");
  writer.call("mset", "a", "2", "b", "2");
  assert.deepEqual(received(client), [["invalidate", ["b"]]]);
});

test("BCAST sends the keys modified under each prefix once per event-loop turn", async () => {
  const { client, newClient } = testServer();
  const writer = newClient();
  client.call("hello", "3");
  client.call("client", "tracking", "on", "bcast", "prefix", "a:", "prefix", "b:");
  writer.call("set", "a:1", "x");
  writer.call("set", "a:2", "x");
  writer.call("set", "b:1", "x");
  writer.call("set", "c:1", "x");
  assert.deepEqual(received(client), []);
  await nextTurn();
  assert.deepEqual(received(client), [
    ["invalidate", ["a:1", "a:2"]],
    ["invalidate", ["b:1"]],
  ]);
  const info = client.call("client", "trackinginfo") as unknown[];
  assert.deepEqual(info.slice(0, 4), ["flags", ["on", "bcast"], "redirect", 0]);
  assert.deepEqual((info[5] as string[]).sort(), ["a:", "b:"]);
});

test("CLIENT TRACKING option errors match Redis", () => {
  const { client } = testServer();
  assert.throws(() => client.call("client", "tracking", "on", "redirect", "9999"), /^Error: ERR The client ID you want redirect to does not exist$/);
  assert.throws(() => client.call("client", "tracking", "on", "prefix", "a"), /^Error: ERR PREFIX option requires BCAST mode to be enabled$/);
  assert.throws(() => client.call("client", "tracking", "on", "bcast", "optin"), /^Error: ERR OPTIN and OPTOUT are not compatible with BCAST$/);
  assert.throws(() => client.call("client", "tracking", "on", "optin", "optout"), /^Error: ERR You can't use both OPTIN and OPTOUT$/);
  assert.throws(
    () => client.call("client", "tracking", "on", "bcast", "prefix", "FOOBAR", "prefix", "FOO"),
    /^Error: ERR Prefix 'FOOBAR' overlaps with another provided prefix 'FOO'. Prefixes for a single client must not overlap.$/,
  );
  client.call("client", "tracking", "on", "bcast", "prefix", "FOO");
  assert.throws(
    () => client.call("client", "tracking", "on", "bcast", "prefix", "FO"),
    /^Error: ERR Prefix 'FO' overlaps with an existing prefix 'FOO'. Prefixes for a single client must not overlap.$/,
  );
  assert.throws(() => client.call("client", "tracking", "on"), /^Error: ERR You can't switch BCAST mode on\/off/);
  assert.throws(() => client.call("client", "tracking", "maybe"), /^Error: ERR syntax error$/);
  assert.throws(() => client.call("client", "caching", "yes"), /^Error: ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.$/);
  client.call("client", "tracking", "off");
  assert.throws(() => client.call("client", "caching", "yes"), /^Error: ERR CLIENT CACHING can be called only when the client is in tracking mode/);
  assert.equal(client.call("client", "getredir"), -1);
  assert.deepEqual(client.call("client", "trackinginfo"), ["flags", ["off"], "redirect", -1, "prefixes", []]);
});

test("FLUSHALL sends one null invalidation and empties the table", () => {
  const { client, newClient, server } = testServer();
  const writer = newClient();
  client.call("hello", "3");
  client.call("client", "tracking", "on");
  client.call("get", "a");
  client.call("get", "b");
  assert.equal(server.tracking.totalKeys, 2);
  writer.call("flushall");
  assert.deepEqual(received(client), [["invalidate", null]]);
  assert.equal(server.tracking.totalKeys, 0);
});

test("tracking-table-max-keys evicts keys with invalidations", async () => {
  const { client, newClient, server } = testServer();
  const other = newClient();
  client.call("hello", "3");
  client.call("client", "tracking", "on");
  for (let i = 0; i < 10; i++) client.call("get", `k${i}`);
  other.call("config", "set", "tracking-table-max-keys", "4");
  await nextTurn();
  assert.equal(server.tracking.totalKeys, 4);
  assert.equal(received(client).length, 6);
});
