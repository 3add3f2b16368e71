// DUMP / RESTORE: Redis's checks and errors, TTL/ABSTTL/IDLETIME/FREQ, and payloads moving both
// ways between Restash and redis-server 7.0 for every type and encoding.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { testServer } from "../helpers/in-process.js";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";
import { redisServerAvailable, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { content, fill } from "./fixture.js";
import { crc64 } from "../../src/persistence/crc64.js";

test("CRC64 is Redis's Jones CRC (check value of '123456789')", () => {
  assert.equal(crc64(Buffer.from("123456789")).bytes().readBigUInt64LE(0), 0xe9c6d914c4b8d9can);
});

test("DUMP of a missing key is nil; RESTORE checks options, key, TTL and payload in Redis's order", () => {
  const { client } = testServer();
  assert.equal(client.call("dump", "nope"), null);
  client.call("set", "foo", "bar");
  const payload = client.call("dump", "foo") as string;
  assert.throws(() => client.call("restore", "foo", "0", "...", "invalid-option"), { message: "ERR syntax error" });
  assert.throws(() => client.call("restore", "foo", "0", "..."), { message: "BUSYKEY Target key name already exists." });
  assert.throws(() => client.call("restore", "new", "-1", payload), { message: "ERR Invalid TTL value, must be >= 0" });
  assert.throws(() => client.call("restore", "new", "0", "..."), { message: "ERR DUMP payload version or checksum are wrong" });
  const corrupt = payload.slice(0, 2) + "\xff" + payload.slice(3);
  assert.throws(() => client.call("restore", "new", "0", corrupt), { message: "ERR DUMP payload version or checksum are wrong" });
  assert.throws(() => client.call("restore", "new", "0", payload, "FREQ", "300"), { message: "ERR Invalid FREQ value, must be >= 0 and <= 255" });
  assert.throws(() => client.call("restore", "new", "0", payload, "IDLETIME", "-1"), { message: "ERR Invalid IDLETIME value, must be >= 0" });
  assert.throws(() => client.call("restore", "new", "0", payload, "IDLETIME", "1", "FREQ", "1"), { message: "ERR syntax error" });
  assert.equal(client.call("restore", "new", "0", payload), "OK");
  assert.equal(client.call("get", "new"), "bar");
  assert.equal(client.call("ttl", "new"), -1);
});

test("RESTORE sets relative and absolute TTLs; a past absolute TTL leaves no key", () => {
  const { client } = testServer();
  client.call("set", "foo", "bar");
  const payload = client.call("dump", "foo") as string;
  client.call("restore", "a", "5000", payload);
  const ttl = client.call("pttl", "a") as number;
  assert.ok(ttl > 3000 && ttl <= 5000);
  client.call("restore", "b", String(Date.now() + 3000), payload, "ABSTTL");
  assert.ok((client.call("pttl", "b") as number) > 2000);
  assert.equal(client.call("restore", "foo", String(Date.now() - 3000), payload, "ABSTTL", "REPLACE"), "OK");
  assert.equal(client.call("exists", "foo"), 0);
  client.call("set", "foo", "bar2");
  client.call("restore", "foo", "0", payload, "REPLACE");
  assert.equal(client.call("get", "foo"), "bar");
});

test("RESTORE IDLETIME and FREQ apply under LRU and LFU policies", () => {
  const { client } = testServer();
  client.call("set", "foo", "bar");
  const payload = client.call("dump", "foo") as string;
  client.call("config", "set", "maxmemory-policy", "allkeys-lru");
  client.call("restore", "idle", "0", payload, "IDLETIME", "1000");
  const idle = client.call("object", "idletime", "idle") as number;
  assert.ok(idle >= 1000 && idle <= 1010, String(idle));
  client.call("config", "set", "maxmemory-policy", "allkeys-lfu");
  client.call("restore", "freq", "0", payload, "FREQ", "100");
  assert.equal(client.call("object", "freq", "freq"), 100);
});

test("every type round-trips through DUMP/RESTORE with the same content and encoding", () => {
  const { client } = testServer();
  client.call("rpush", "l", "a", "1", "-2");
  client.call("sadd", "si", "1", "2");
  client.call("sadd", "ss", "x", "y");
  client.call("hset", "h", "f", "v");
  client.call("zadd", "z", "1.5", "m", "2", "n");
  client.call("xadd", "x", "1-1", "f", "v");
  for (const key of ["l", "si", "ss", "h", "z", "x"]) {
    const payload = client.call("dump", key) as string;
    client.call("restore", `${key}2`, "0", payload);
    assert.equal(client.call("object", "encoding", `${key}2`), client.call("object", "encoding", key));
    assert.equal(client.call("dump", `${key}2`), payload);
  }
  assert.deepEqual(client.call("zrange", "z2", "0", "-1", "withscores"), ["m", 1.5, "n", 2]);
});

let restash: SpawnedServer;
let redis: RedisServer | null = null;
let a: Redis;
let b: Redis;
const interop = redisServerAvailable();

before(async () => {
  if (!interop) return;
  restash = await spawnServer(["--http-port", "-1", "--save", ""]);
  redis = await startRedisServer(mkdtempSync(path.join(tmpdir(), "restash-redis-")));
  a = new Redis({ port: restash.port });
  b = new Redis({ port: redis.port });
});

after(async () => {
  if (!interop) return;
  a.disconnect();
  b.disconnect();
  await restash.stop();
  await redis!.stop();
});

async function transfer(from: Redis, to: Redis): Promise<void> {
  await to.flushall();
  for (const db of [0, 3]) {
    await from.select(db);
    await to.select(db);
    for (const key of await from.keys("*")) {
      const ttl = await from.pttl(key);
      await to.restore(key, ttl > 0 ? ttl : 0, (await from.dumpBuffer(key))!);
    }
  }
  await from.select(0);
  await to.select(0);
}

test("DUMP payloads of Restash restore into redis-server with identical content", { skip: !interop }, async () => {
  await fill(a);
  await fill(b); // same config on both
  await transfer(a, b);
  assert.deepEqual(await content(b), await content(a));
});

test("DUMP payloads of redis-server restore into Restash with identical content", { skip: !interop }, async () => {
  await fill(b);
  await fill(a);
  await transfer(b, a);
  assert.deepEqual(await content(a), await content(b));
});

test("MIGRATE moves keys between Restash and redis-server both ways (COPY, REPLACE, KEYS, NOKEY)", { skip: !interop }, async () => {
  await a.flushall();
  await b.flushall();
  await a.set("m1", "v1");
  await a.rpush("m2", "x", "y");
  await a.set("ttl", "t", "EX", 100);
  assert.equal(await a.call("MIGRATE", "127.0.0.1", String(redis!.port), "m1", "0", "5000"), "OK");
  assert.equal(await a.exists("m1"), 0);
  assert.equal(await b.get("m1"), "v1");
  assert.equal(await a.call("MIGRATE", "127.0.0.1", String(redis!.port), "", "0", "5000", "COPY", "KEYS", "m2", "ttl", "missing"), "OK");
  assert.deepEqual(await b.lrange("m2", 0, -1), ["x", "y"]);
  assert.ok((await b.pttl("ttl")) > 90000);
  assert.equal(await a.exists("m2"), 1);
  await assert.rejects(a.call("MIGRATE", "127.0.0.1", String(redis!.port), "m2", "0", "5000"), /Target instance replied with error: BUSYKEY/);
  assert.equal(await a.call("MIGRATE", "127.0.0.1", String(redis!.port), "m2", "0", "5000", "REPLACE"), "OK");
  assert.equal(await a.call("MIGRATE", "127.0.0.1", String(redis!.port), "nothing", "0", "5000"), "NOKEY");
  assert.match(await a.info("stats"), /migrate_cached_sockets:1/);
  await b.hset("back", "f", "v");
  assert.equal(await b.call("MIGRATE", "127.0.0.1", String(restash.port), "back", "2", "5000"), "OK");
  await a.select(2);
  assert.deepEqual(await a.hgetall("back"), { f: "v" });
  await a.select(0);
  await a.set("stays", "here");
  await assert.rejects(a.call("MIGRATE", "127.0.0.1", "1", "stays", "0", "100"), /IOERR error or timeout connecting to the client/);
  assert.equal(await a.get("stays"), "here");
});
