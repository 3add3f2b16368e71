// Everyday commands through real clients over real sockets: node-redis (RESP2 and RESP3),
// ioredis (which opens with HELLO 3) and redis-py, against a spawned Restash.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createClient } from "redis";
import { Redis } from "ioredis";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";

let server: SpawnedServer;
before(async () => {
  server = await spawnServer();
});
after(() => server.stop());

for (const RESP of [2, 3] as const) {
  test(`node-redis with RESP${RESP}`, async () => {
    const client = createClient({ url: `redis://127.0.0.1:${server.port}`, RESP });
    await client.connect();
    try {
      const k = `nr${RESP}`;
      assert.equal(await client.set(`${k}:s`, "v", { EX: 100 }), "OK");
      assert.equal(await client.get(`${k}:s`), "v");
      assert.ok((await client.ttl(`${k}:s`)) > 90);
      assert.equal(await client.hSet(`${k}:h`, { a: "1", b: "2" }), 2);
      assert.deepEqual({ ...(await client.hGetAll(`${k}:h`)) }, { a: "1", b: "2" });
      assert.equal(await client.rPush(`${k}:l`, ["x", "y", "z"]), 3);
      assert.deepEqual(await client.lRange(`${k}:l`, 0, -1), ["x", "y", "z"]);
      await client.zAdd(`${k}:z`, [{ score: 2, value: "b" }, { score: 1.5, value: "a" }]);
      const withScores = await client.zRangeWithScores(`${k}:z`, 0, -1);
      assert.deepEqual(withScores.map((e) => [e.value, e.score]), [["a", 1.5], ["b", 2]]);
      const results = await client.multi().incr(`${k}:n`).incrBy(`${k}:n`, 9).get(`${k}:n`).exec();
      assert.deepEqual(results, [1, 10, "10"]);
    } finally {
      await client.quit();
    }
  });
}

test("ioredis: pipeline with INCR+EXPIRE rate limiting and a BRPOP job queue", async () => {
  const redis = new Redis({ port: server.port, lazyConnect: true });
  const worker = new Redis({ port: server.port, lazyConnect: true });
  await Promise.all([redis.connect(), worker.connect()]);
  try {
    const results = await redis.pipeline().incr("rate:ip").expire("rate:ip", 60).incr("rate:ip").exec();
    assert.deepEqual(results, [[null, 1], [null, 1], [null, 2]]);
    const job = worker.brpop("jobs", 5);
    await redis.lpush("jobs", JSON.stringify({ id: 1 }));
    assert.deepEqual(await job, ["jobs", '{"id":1}']);
    assert.equal(await redis.llen("jobs"), 0);
    await redis.zadd("prio", 5, "low", 1, "high");
    assert.deepEqual(await redis.zpopmin("prio"), ["high", "1"]);
  } finally {
    redis.disconnect();
    worker.disconnect();
  }
});

test("redis-py: snapshots with TTLs listed by SCAN MATCH", () => {
  const script = `
import redis, json
r = redis.Redis(port=${server.port}, decode_responses=True)
for i in range(30):
    r.set(f"case:7:snapshot:{i}", json.dumps({"i": i}), ex=30*24*3600)
r.set("case:8:snapshot:0", "other")
keys = sorted(r.scan_iter(match="case:7:*", count=7))
print(len(keys), keys[0], r.ttl(keys[0]) > 2590000, json.loads(r.get("case:7:snapshot:3"))["i"])
`;
  const out = execFileSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" }).trim();
  assert.equal(out, "30 case:7:snapshot:0 True 3");
});
