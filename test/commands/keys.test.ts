import { mock, test } from "node:test";
import assert from "node:assert/strict";
import { testServer, type TestClient } from "../helpers/in-process.js";
import type { Server } from "../../src/server/server.js";
import { now } from "../../src/engine/clock.js";
import { accessClock } from "../../src/engine/database.js";

/** Stores a string value directly (the keys family must not depend on SET). */
function put(client: TestClient, key: string, value = "v", expireAt = 0): void {
  client.session.db.set(key, "string", value, { expireAt });
}

/** Records keyspace events of the given classes as "db:class:event:key". */
function recordEvents(server: Server, classes = "g"): string[] {
  const seen: string[] = [];
  const keyspaceEvent = (d: { index: number }, type: string, event: string, key: string) => {
    if (classes.includes(type)) seen.push(`${d.index}:${type}:${event}:${key}`);
  };
  for (const db of server.dbs) db.events = { ...server.dbEvents, keyspaceEvent };
  return seen;
}

function expectError(fn: () => unknown, message: string): void {
  assert.throws(fn, (e: Error) => {
    assert.equal(e.message, message);
    return true;
  });
}

test("DEL and UNLINK count removed keys and notify", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  put(client, "a");
  put(client, "b");
  assert.equal(client.call("del", "a", "b", "c", "a"), 2);
  assert.equal(client.call("exists", "a", "b"), 0);
  put(client, "x");
  assert.equal(client.call("UNLINK", "x", "y"), 1);
  assert.deepEqual(events, ["0:g:del:a", "0:g:del:b", "0:g:del:x"]);
});

test("DEL against an expired key returns 0", () => {
  const { client } = testServer();
  put(client, "old", "v", now() - 10);
  assert.equal(client.call("del", "old"), 0);
});

test("EXISTS counts repeated keys, TYPE names types", () => {
  const { client } = testServer();
  put(client, "s");
  client.session.db.set("l", "list", null);
  assert.equal(client.call("exists", "s", "s", "nope"), 2);
  assert.equal(client.call("type", "s"), "string");
  assert.equal(client.call("type", "l"), "list");
  assert.equal(client.call("type", "nope"), "none");
});

test("RENAME moves value and TTL, replaces destination and its TTL", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  put(client, "a", "1", now() + 100_000);
  assert.equal(client.call("rename", "a", "b"), "OK");
  assert.equal(client.call("exists", "a"), 0);
  assert.equal(client.session.db.peek("b")?.value, "1");
  const ttl = client.call("ttl", "b") as number;
  assert.ok(ttl > 95 && ttl <= 100);
  put(client, "c", "2");
  put(client, "d", "3", now() + 100_000);
  client.call("rename", "c", "d");
  assert.equal(client.call("ttl", "d"), -1);
  assert.equal(client.session.db.peek("d")?.value, "2");
  assert.deepEqual(events, ["0:g:rename_from:a", "0:g:rename_to:b", "0:g:rename_from:c", "0:g:rename_to:d"]);
});

test("RENAME edge cases: missing source, same key", () => {
  const { client } = testServer();
  expectError(() => client.call("rename", "nokey", "x"), "ERR no such key");
  expectError(() => client.call("renamenx", "nokey", "nokey"), "ERR no such key");
  put(client, "k");
  assert.equal(client.call("rename", "k", "k"), "OK");
  assert.equal(client.call("renamenx", "k", "k"), 0);
  put(client, "other");
  assert.equal(client.call("renamenx", "k", "other"), 0);
  assert.equal(client.call("renamenx", "k", "fresh"), 1);
  assert.equal(client.call("exists", "k", "fresh"), 1);
});

test("RENAME, MOVE and COPY create their destination with a 'new' event first", () => {
  const { client, server } = testServer();
  put(client, "a");
  const events = recordEvents(server, "gn");
  client.call("rename", "a", "b");
  client.call("move", "b", "1");
  client.call("select", "1");
  client.call("copy", "b", "c");
  assert.deepEqual(events, [
    "0:n:new:b", "0:g:rename_from:a", "0:g:rename_to:b",
    "1:n:new:b", "0:g:move_from:b", "1:g:move_to:b",
    "1:n:new:c", "1:g:copy_to:c",
  ]);
});

test("KEYS matches glob patterns and skips expired keys", () => {
  const { client } = testServer();
  for (const k of ["key_x", "key_y", "foo_a", "foo_b"]) put(client, k);
  put(client, "foo_gone", "v", now() - 1);
  assert.deepEqual((client.call("keys", "foo*") as string[]).sort(), ["foo_a", "foo_b"]);
  assert.equal((client.call("keys", "*") as string[]).length, 4);
  assert.deepEqual(client.call("keys", "a*a*a*a*a*a*a*a*a*b"), []);
});

test("SCAN visits every key once across cursors, with MATCH, COUNT and TYPE", () => {
  const { client } = testServer();
  for (let i = 0; i < 300; i++) put(client, `key:${i}`);
  client.session.db.set("alist", "list", null);
  const scanAll = (...opts: string[]): string[] => {
    const seen: string[] = [];
    let cursor = "0";
    do {
      const [next, keys] = client.call("scan", cursor, ...opts) as [string, string[]];
      seen.push(...keys);
      cursor = next;
    } while (cursor !== "0");
    return seen;
  };
  assert.equal(new Set(scanAll()).size, 301);
  assert.equal(scanAll("count", "7").length, 301);
  assert.equal(scanAll("match", "key:1??").length, 100);
  assert.deepEqual(scanAll("TYPE", "LIST"), ["alist"]);
  assert.equal(scanAll("type", "string", "match", "key:*", "count", "1000").length, 300);
  assert.deepEqual(scanAll("type", "hash"), []);
});

test("SCAN keeps its guarantee while keys are added and deleted", () => {
  const { client } = testServer();
  for (let i = 0; i < 100; i++) put(client, `k${i}`);
  const seen = new Set<string>();
  let cursor = "0";
  let round = 0;
  do {
    const [next, keys] = client.call("scan", cursor, "count", "10") as [string, string[]];
    for (const k of keys) seen.add(k);
    for (let j = 0; j < 5; j++) put(client, `added:${round}:${j}`);
    for (let j = 0; j < 5; j++) client.call("del", `added:${round - 1}:${j}`);
    round++;
    cursor = next;
  } while (cursor !== "0");
  for (let i = 0; i < 100; i++) assert.ok(seen.has(`k${i}`), `k${i} missing`);
});

test("SCAN argument errors", () => {
  const { client } = testServer();
  put(client, "k");
  expectError(() => client.call("scan", "x"), "ERR invalid cursor");
  expectError(() => client.call("scan", " 1"), "ERR invalid cursor");
  expectError(() => client.call("scan", "18446744073709551616"), "ERR invalid cursor");
  assert.deepEqual(client.call("scan", ""), ["0", ["k"]]);
  assert.deepEqual(client.call("scan", "18446744073709551615"), ["0", []]);
  expectError(() => client.call("scan", "0", "count", "0"), "ERR syntax error");
  expectError(() => client.call("scan", "0", "count", "x"), "ERR value is not an integer or out of range");
  expectError(() => client.call("scan", "0", "match"), "ERR syntax error");
  expectError(() => client.call("scan", "0", "foo", "bar"), "ERR syntax error");
});

test("RANDOMKEY returns existing keys or nil", () => {
  const { client } = testServer();
  assert.equal(client.call("randomkey"), null);
  put(client, "foo");
  put(client, "bar");
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(client.call("randomkey") as string);
  assert.deepEqual([...seen].sort(), ["bar", "foo"]);
  client.call("del", "foo", "bar");
  assert.equal(client.call("randomkey"), null);
});

test("TOUCH counts existing keys and updates access time; TTL/TYPE/EXISTS do not", () => {
  const { client } = testServer();
  put(client, "k");
  const entry = client.session.db.peek("k")!;
  entry.lastAccess = accessClock() - 5;
  client.call("ttl", "k");
  client.call("type", "k");
  client.call("exists", "k");
  assert.equal(client.call("object", "idletime", "k"), 5);
  assert.equal(client.call("touch", "nokey", "k", "k"), 2);
  assert.equal(client.call("object", "idletime", "k"), 0);
});

test("COPY copies value and TTL, honours REPLACE and DB, and notifies", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  put(client, "src", "hello", now() + 100_000);
  assert.equal(client.call("copy", "src", "dst"), 1);
  const ttl = client.call("ttl", "dst") as number;
  assert.ok(ttl > 95 && ttl <= 100);
  put(client, "other", "x");
  assert.equal(client.call("copy", "other", "dst"), 0);
  assert.equal(client.call("copy", "other", "dst", "REPLACE"), 1);
  assert.equal(client.session.db.peek("dst")?.value, "x");
  assert.equal(client.call("ttl", "dst"), -1);
  assert.equal(client.call("copy", "src", "dst", "db", "3"), 1);
  assert.equal(server.dbs[3].peek("dst")?.value, "hello");
  assert.equal(client.call("copy", "nokey", "dst2"), 0);
  assert.deepEqual(events, ["0:g:copy_to:dst", "0:g:copy_to:dst", "3:g:copy_to:dst"]);
});

test("COPY argument errors", () => {
  const { client } = testServer();
  put(client, "k");
  expectError(() => client.call("copy", "k", "k"), "ERR source and destination objects are the same");
  expectError(() => client.call("copy", "k", "k", "db", "0"), "ERR source and destination objects are the same");
  expectError(() => client.call("copy", "k", "d", "db", "notanumber"), "ERR value is not an integer or out of range");
  expectError(() => client.call("copy", "k", "d", "db", "16"), "ERR DB index is out of range");
  expectError(() => client.call("copy", "k", "d", "db", "2147483648"), "ERR value is out of range, value must between -2147483648 and 2147483647");
  expectError(() => client.call("copy", "k", "d", "db"), "ERR syntax error");
  expectError(() => client.call("copy", "k", "d", "foo"), "ERR syntax error");
});

test("MOVE moves the key with its TTL unless the target has it", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  put(client, "k", "v", now() + 100_000);
  assert.equal(client.call("move", "k", "10"), 1);
  assert.equal(client.call("exists", "k"), 0);
  client.call("select", "10");
  assert.equal(client.session.db.peek("k")?.value, "v");
  const ttl = client.call("ttl", "k") as number;
  assert.ok(ttl > 95 && ttl <= 100);
  client.call("select", "0");
  put(client, "k", "again");
  assert.equal(client.call("move", "k", "10"), 0);
  assert.equal(client.call("move", "nokey", "10"), 0);
  expectError(() => client.call("move", "k", "0"), "ERR source and destination objects are the same");
  expectError(() => client.call("move", "k", "notanumber"), "ERR value is not an integer or out of range");
  expectError(() => client.call("move", "k", "99"), "ERR DB index is out of range");
  assert.deepEqual(events, ["0:g:move_from:k", "10:g:move_to:k"]);
});

test("EXPIRE family sets, replaces and removes TTLs", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  put(client, "x");
  assert.equal(client.call("expire", "x", "5"), 1);
  assert.equal(client.call("ttl", "x"), 5);
  assert.equal(client.call("pexpire", "x", "10000"), 1);
  const pttl = client.call("pttl", "x") as number;
  assert.ok(pttl > 9000 && pttl <= 10000);
  const at = Math.floor(now() / 1000) + 100;
  assert.equal(client.call("expireat", "x", at), 1);
  assert.equal(client.call("expiretime", "x"), at);
  assert.equal(client.call("pexpireat", "x", at * 1000 + 7), 1);
  assert.equal(client.call("pexpiretime", "x"), at * 1000 + 7);
  assert.equal(client.call("persist", "x"), 1);
  assert.equal(client.call("persist", "x"), 0);
  assert.equal(client.call("persist", "nokey"), 0);
  assert.deepEqual([client.call("ttl", "x"), client.call("pttl", "x"), client.call("expiretime", "x"), client.call("pexpiretime", "x")], [-1, -1, -1, -1]);
  assert.equal(client.call("expire", "nokey", "10"), 0);
  assert.equal(client.call("expire", "x", "-1"), 1);
  assert.deepEqual([client.call("ttl", "x"), client.call("pttl", "x"), client.call("expiretime", "x"), client.call("pexpiretime", "x")], [-2, -2, -2, -2]);
  assert.deepEqual(events, ["0:g:expire:x", "0:g:expire:x", "0:g:expire:x", "0:g:expire:x", "0:g:persist:x", "0:g:del:x"]);
});

test("EXPIRE NX XX GT LT", () => {
  const { client } = testServer();
  const withTtl = (secs: number) => put(client, "foo", "bar", now() + secs * 1000);
  withTtl(100);
  assert.equal(client.call("expire", "foo", "200", "NX"), 0);
  assert.equal(client.call("ttl", "foo"), 100);
  put(client, "foo");
  assert.equal(client.call("expire", "foo", "200", "nx"), 1);
  withTtl(100);
  assert.equal(client.call("expire", "foo", "200", "XX"), 1);
  assert.equal(client.call("ttl", "foo"), 200);
  put(client, "foo");
  assert.equal(client.call("expire", "foo", "200", "XX"), 0);
  withTtl(100);
  assert.equal(client.call("expire", "foo", "200", "GT"), 1);
  assert.equal(client.call("expire", "foo", "100", "GT"), 0);
  put(client, "foo");
  assert.equal(client.call("expire", "foo", "200", "GT"), 0);
  withTtl(100);
  assert.equal(client.call("expire", "foo", "200", "LT"), 0);
  assert.equal(client.call("expire", "foo", "50", "LT"), 1);
  assert.equal(client.call("ttl", "foo"), 50);
  put(client, "foo");
  assert.equal(client.call("expire", "foo", "100", "LT"), 1);
  put(client, "foo");
  assert.equal(client.call("expire", "foo", "200", "LT", "XX"), 0);
  withTtl(200);
  assert.equal(client.call("expire", "foo", "100", "LT", "XX"), 1);
  assert.equal(client.call("expire", "foo", "-10", "LT"), 1);
  assert.equal(client.call("ttl", "foo"), -2);
  for (const opt of ["NX", "XX", "GT", "LT"]) assert.equal(client.call("expire", "none", "100", opt), 0);
});

test("EXPIRE option and overflow errors", () => {
  const { client } = testServer();
  put(client, "foo");
  expectError(() => client.call("expire", "foo", "200", "LT", "GT"), "ERR GT and LT options at the same time are not compatible");
  for (const opt of ["GT", "LT", "XX"]) {
    expectError(() => client.call("expire", "foo", "200", "NX", opt), "ERR NX and XX, GT or LT options at the same time are not compatible");
  }
  expectError(() => client.call("expire", "foo", "200", "XX", "AB"), "ERR Unsupported option AB");
  expectError(() => client.call("expire", "foo", ""), "ERR value is not an integer or out of range");
  for (const big of ["9223370399119966", "9223372036854776", "10000000000000000", "-9223372036854776"]) {
    expectError(() => client.call("expire", "foo", big), "ERR invalid expire time in 'expire' command");
  }
  expectError(() => client.call("pexpire", "foo", "9223372036854770000"), "ERR invalid expire time in 'pexpire' command");
  assert.equal(client.call("ttl", "foo"), -1);
  assert.equal(client.call("pexpireat", "foo", "9223372036854770000"), 1);
  assert.equal(client.call("pexpireat", "foo", "-9223372036854770000"), 1);
  assert.equal(client.call("ttl", "foo"), -2);
});

test("TTL rounds to the nearest second", () => {
  const frozen = Date.now();
  mock.method(Date, "now", () => frozen);
  try {
    const { client } = testServer();
    put(client, "k", "v", frozen + 1499);
    assert.equal(client.call("ttl", "k"), 1);
    assert.equal(client.call("pttl", "k"), 1499);
    put(client, "k", "v", frozen + 1500);
    assert.equal(client.call("ttl", "k"), 2);
    assert.equal(client.call("expiretime", "k"), Math.floor((frozen + 2000) / 1000));
  } finally {
    mock.restoreAll();
  }
});

test("OBJECT subcommands", () => {
  const { client, server } = testServer();
  put(client, "k");
  assert.equal(client.call("object", "encoding", "nokey"), null);
  put(client, "n", "1");
  assert.equal(client.call("object", "encoding", "n"), "int");
  assert.equal(client.call("object", "encoding", "k"), "embstr");
  assert.equal(client.call("object", "refcount", "n"), 2147483647);
  assert.equal(client.call("object", "refcount", "k"), 1);
  assert.equal(client.call("object", "refcount", "nokey"), null);
  assert.equal(client.call("object", "idletime", "k"), 0);
  expectError(
    () => client.call("object", "freq", "k"),
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
  );
  server.config.set("maxmemory-policy", "allkeys-lfu");
  assert.equal(client.call("object", "freq", "k"), 5);
  expectError(
    () => client.call("object", "idletime", "k"),
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.",
  );
  client.session.db.peek("k")!.lastAccess = accessClock() - 3 * 60;
  assert.equal(client.call("object", "freq", "k"), 2);
  assert.equal(client.call("object", "freq", "nokey"), null);
  const help = client.call("object", "help") as string[];
  assert.equal(help[0], "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  assert.equal(help.length, 15);
  expectError(() => client.call("object", "foo", "k"), "ERR unknown subcommand 'foo'. Try OBJECT HELP.");
  expectError(() => client.call("object", "encoding"), "ERR wrong number of arguments for 'object|encoding' command");
});

test("WAIT answers 0 replicas", async () => {
  const { client } = testServer();
  assert.equal(client.call("wait", "0", "0"), 0);
  assert.equal(await client.callAsync("wait", "1", "10"), 0);
  expectError(() => client.call("wait", "x", "0"), "ERR value is not an integer or out of range");
  expectError(() => client.call("wait", "0", "-1"), "ERR timeout is negative");
  expectError(() => client.call("wait", "0", "x"), "ERR timeout is not an integer or out of range");
});

test("key positions come from the specs", () => {
  const { server } = testServer();
  const keysOf = (name: string) => server.commands.get(name)!.keys;
  assert.deepEqual(keysOf("rename"), { first: 1, last: 2, step: 1 });
  assert.deepEqual(keysOf("copy"), { first: 1, last: 2, step: 1 });
  assert.deepEqual(keysOf("del"), { first: 1, last: -1, step: 1 });
  assert.deepEqual(keysOf("move"), { first: 1, last: 1, step: 1 });
  assert.equal(keysOf("scan"), undefined);
  const encoding = server.commands.get("object")!.subcommands!.find((s) => s.name === "encoding")!;
  assert.deepEqual(encoding.keys, { first: 2, last: 2, step: 1 });
});
