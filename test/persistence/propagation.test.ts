// What write commands feed the AOF and replicas: deterministic forms (absolute expiry times,
// resolved random choices, results instead of float increments), nothing for commands that
// changed nothing, and DEL for keys that expired.
import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer } from "../helpers/in-process.js";
import { now } from "../../src/engine/clock.js";

function recorder() {
  const { server, client, newClient } = testServer();
  const fed: string[][] = [];
  server.propagateListeners.push((db, argv) => fed.push([String(db), ...argv]));
  return { server, client, newClient, fed, take: () => fed.splice(0).map((a) => a.join(" ")) };
}

test("SET with a relative expiry propagates PXAT, without GET/NX/XX", () => {
  const { client, take } = recorder();
  client.call("set", "k", "v", "EX", "100", "GET", "NX");
  const [line] = take();
  const m = /^0 set k v PXAT (\d+)$/.exec(line);
  assert.ok(m, line);
  assert.ok(Math.abs(Number(m[1]) - (now() + 100000)) < 2000);
  client.call("set", "k", "v2", "GET");
  assert.deepEqual(take(), ["0 set k v2"]);
  client.call("set", "k", "v3", "KEEPTTL");
  assert.deepEqual(take(), ["0 set k v3 KEEPTTL"]);
  client.call("set", "k", "v4", "NX");
  assert.deepEqual(take(), []);
  client.call("set", "plain", "x");
  assert.deepEqual(take(), ["0 set plain x"]);
});

test("SETEX, PSETEX and GETEX become absolute times; GETEX PERSIST becomes PERSIST", () => {
  const { client, take } = recorder();
  client.call("setex", "a", "10", "v");
  client.call("psetex", "b", "5000", "v");
  const lines = take();
  assert.match(lines[0], /^0 set a v PXAT \d+$/);
  assert.match(lines[1], /^0 set b v PXAT \d+$/);
  client.call("getex", "a", "PX", "200000");
  assert.match(take()[0], /^0 pexpireat a \d+$/);
  client.call("getex", "a", "PERSIST");
  assert.deepEqual(take(), ["0 persist a"]);
  client.call("getex", "a");
  assert.deepEqual(take(), []);
  client.call("getex", "b", "PXAT", "1");
  assert.deepEqual(take(), ["0 del b"]);
});

test("GETDEL becomes DEL; INCRBYFLOAT and HINCRBYFLOAT their results", () => {
  const { client, take } = recorder();
  client.call("set", "s", "x");
  client.call("getdel", "s");
  client.call("incrbyfloat", "f", "0.1");
  client.call("incrbyfloat", "f", "0.2");
  client.call("hincrbyfloat", "h", "g", "1.5e1");
  assert.deepEqual(take(), ["0 set s x", "0 del s", "0 set f 0.1 KEEPTTL", "0 set f 0.3 KEEPTTL", "0 hset h g 15"]);
});

test("EXPIRE family becomes PEXPIREAT, or DEL for a time already past; failures propagate nothing", () => {
  const { client, take } = recorder();
  client.call("set", "k", "v");
  take();
  client.call("expire", "k", "100");
  assert.match(take()[0], /^0 pexpireat k \d+$/);
  client.call("expire", "k", "50", "GT");
  assert.deepEqual(take(), []);
  client.call("expireat", "k", "1");
  assert.deepEqual(take(), ["0 del k"]);
  client.call("expire", "missing", "10");
  assert.deepEqual(take(), []);
});

test("SPOP propagates SREM of the members it chose, or DEL when it took them all", () => {
  const { client, take } = recorder();
  client.call("sadd", "s", "a", "b", "c", "d");
  take();
  const one = client.call("spop", "s") as string;
  assert.deepEqual(take(), [`0 srem s ${one}`]);
  const two = client.call("spop", "s", "2") as string[];
  const [line] = take();
  assert.deepEqual(line.split(" ").slice(3).sort(), [...two].sort());
  client.call("spop", "s", "10");
  assert.deepEqual(take(), ["0 del s"]);
});

test("XADD * propagates the ID it generated", () => {
  const { client, take } = recorder();
  const id = client.call("xadd", "st", "*", "f", "v") as string;
  assert.deepEqual(take(), [`0 xadd st ${id} f v`]);
});

test("blocking pops served at once or later propagate the non-blocking command", async () => {
  const { client, newClient, take } = recorder();
  client.call("rpush", "l", "a");
  client.call("blpop", "l", "0");
  assert.deepEqual(take(), ["0 rpush l a", "0 lpop l"]);
  const waiter = newClient();
  const pending = waiter.callAsync("brpop", "q", "0");
  client.call("lpush", "q", "x");
  assert.deepEqual(await pending, ["q", "x"]);
  assert.deepEqual(take(), ["0 lpush q x", "0 rpop q"]);
});

test("a key that expires is propagated as DEL", () => {
  const { server, client, take } = recorder();
  client.call("set", "k", "v", "PX", "1");
  take();
  const entry = server.dbs[0].rawEntry("k")!;
  entry.expireAt = now() - 1;
  assert.equal(client.call("get", "k"), null);
  assert.deepEqual(take(), ["0 del k"]);
});

test("MULTI/EXEC propagates its writes wrapped in MULTI ... EXEC, in their deterministic forms", () => {
  const { client, take } = recorder();
  client.call("multi");
  client.call("set", "a", "1", "EX", "10");
  client.call("incrbyfloat", "b", "2.5");
  client.call("exec");
  const lines = take();
  assert.equal(lines.length, 4);
  assert.equal(lines[0], "0 multi");
  assert.match(lines[1], /^0 set a 1 PXAT \d+$/);
  assert.equal(lines[2], "0 set b 2.5 KEEPTTL");
  assert.equal(lines[3], "0 exec");
});

test("RESTORE with a relative TTL propagates the absolute time and ABSTTL", () => {
  const { client, take } = recorder();
  client.call("set", "k", "v");
  const payload = client.call("dump", "k") as string;
  take();
  client.call("restore", "k2", "5000", payload);
  const [line] = take();
  assert.ok(line.startsWith("0 restore k2 "), line);
  assert.ok(line.endsWith(" ABSTTL"));
});

test("EVAL propagates the effects of the commands it ran (deterministic forms), not the script", () => {
  const { client, take } = recorder();
  client.call("sadd", "s", "only");
  take();
  client.call("eval", "redis.call('set', KEYS[1], 'v', 'EX', '10'); redis.call('incrbyfloat', 'f', '1.5'); return redis.call('spop', 's')", "1", "k");
  const lines = take();
  assert.equal(lines[0], "0 multi");
  assert.match(lines[1], /^0 set k v PXAT \d+$/);
  assert.deepEqual(lines.slice(2), ["0 set f 1.5 KEEPTTL", "0 srem s only", "0 exec"]);
});
