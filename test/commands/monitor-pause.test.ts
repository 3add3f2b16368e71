import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, toPlain, type TestClient } from "../helpers/in-process.js";

function lines(c: TestClient): string[] {
  const out = c.transport.pushed.map((r) => toPlain(r) as string);
  c.transport.pushed.length = 0;
  return out;
}

test("MONITOR streams executed commands in Redis's line format", () => {
  const { client, newClient } = testServer();
  const mon = newClient();
  assert.equal(mon.call("monitor"), "OK");
  client.call("select", "2");
  client.call("set", "k", 'a "b"\n\x01');
  client.call("config", "get", "port"); // admin commands are not shown
  const [select, set, ...rest] = lines(mon);
  assert.match(select, /^\d+\.\d{6} \[2 127\.0\.0\.1:40000\] "select" "2"$/);
  assert.match(set, /^\d+\.\d{6} \[2 127\.0\.0\.1:40000\] "set" "k" "a \\"b\\"\\n\\x01"$/);
  assert.deepEqual(rest, []);
  assert.match(mon.call("client", "info") as string, / flags=O /);
});

test("MONITOR shows transactions in order, hides secrets, skips rejected commands", () => {
  const { client, newClient } = testServer();
  const mon = newClient();
  mon.call("monitor");
  client.call("multi");
  client.call("set", "a", "1");
  client.call("exec");
  assert.throws(() => client.call("nosuch"));
  assert.throws(() => client.call("auth", "secret"));
  assert.deepEqual(
    lines(mon).map((l) => l.replace(/^.*\] /, "")),
    ['"multi"', '"set" "a" "1"', '"exec"', '"auth" "(redacted)"'],
  );
  mon.call("reset");
  client.call("ping");
  assert.deepEqual(lines(mon), []);
});

test("CLIENT PAUSE WRITE postpones writes until UNPAUSE, in arrival order; reads go on", async () => {
  const { client, newClient, server } = testServer();
  const w1 = newClient();
  const w2 = newClient();
  client.call("set", "k", "0");
  assert.equal(client.call("client", "pause", "100000", "write"), "OK");
  assert.equal(w1.call("get", "k"), "0");
  const first = w1.callAsync("set", "k", "1");
  const second = w2.callAsync("append", "k", "2");
  assert.equal(server.blocking.blockedClients, 2);
  assert.equal(client.call("get", "k"), "0");
  // A syntax error is answered at once.
  assert.throws(() => client.call("set", "k"), /wrong number of arguments/);
  client.call("client", "unpause");
  assert.equal(await first, "OK");
  assert.equal(await second, 2);
  assert.equal(client.call("get", "k"), "12");
});

test("CLIENT PAUSE ALL holds every command; the pause ends by itself", async () => {
  const { client, newClient } = testServer();
  const other = newClient();
  client.call("client", "pause", "30", "all");
  const started = Date.now();
  const keepAlive = setTimeout(() => {}, 1000); // the pause timer does not hold the process open
  assert.equal(await other.callAsync("ping"), "PONG");
  clearTimeout(keepAlive);
  assert.ok(Date.now() - started >= 20);
});

test("EXEC is held by a write pause only when it queued writes; a pause inside EXEC starts after it", async () => {
  const { client, newClient } = testServer();
  const other = newClient();
  client.call("multi");
  client.call("get", "k");
  other.call("client", "pause", "100000", "write");
  assert.deepEqual(client.call("exec"), [null]);
  other.call("client", "unpause");
  client.call("multi");
  client.call("set", "a", "1");
  client.call("client", "pause", "100000", "write");
  client.call("set", "b", "1");
  assert.deepEqual(client.call("exec"), ["OK", "OK", "OK"]);
  const held = other.callAsync("set", "c", "1");
  client.call("client", "unpause");
  assert.equal(await held, "OK");
});

test("expired keys are not deleted while writes are paused", async () => {
  const { client, server } = testServer();
  client.call("set", "k", "v", "px", "1");
  client.call("client", "pause", "100000", "write");
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(client.call("get", "k"), null);
  assert.equal(server.stats.expiredKeys, 0);
  client.call("client", "unpause");
  assert.equal(client.call("get", "k"), null);
  assert.equal(server.stats.expiredKeys, 1);
});

test("CLIENT PAUSE argument errors", () => {
  const { client } = testServer();
  assert.throws(() => client.call("client", "pause", "abc"), /^Error: ERR timeout is not an integer or out of range$/);
  assert.throws(() => client.call("client", "pause", "-1"), /^Error: ERR timeout is negative$/);
  assert.throws(() => client.call("client", "pause", "10", "foo"), /^Error: ERR CLIENT PAUSE mode must be WRITE or ALL$/);
});
