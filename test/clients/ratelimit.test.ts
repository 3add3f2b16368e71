// Unmodified @upstash/ratelimit (Lua scripts through EVALSHA/EVAL over the REST API) against a
// spawned Restash: fixed window, sliding window and token bucket limit exactly.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { Ratelimit } from "@upstash/ratelimit";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";

let server: SpawnedServer;
let redis: Redis;

before(async () => {
  server = await spawnServer();
  redis = new Redis({ url: server.restUrl, token: server.restToken });
});

after(async () => {
  await server.stop();
});

async function successes(ratelimit: Ratelimit, id: string, requests: number): Promise<boolean[]> {
  const out: boolean[] = [];
  for (let i = 0; i < requests; i++) out.push((await ratelimit.limit(id)).success);
  return out;
}

test("fixed window allows exactly the limit per identifier", async () => {
  const ratelimit = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(5, "60 s"), prefix: "rl-fixed" });
  assert.deepEqual(await successes(ratelimit, "a", 8), [true, true, true, true, true, false, false, false]);
  const other = await ratelimit.limit("b");
  assert.equal(other.success, true);
  assert.equal(other.limit, 5);
  assert.equal(other.remaining, 4);
  assert.ok(other.reset > Date.now());
});

test("sliding window allows exactly the limit", async () => {
  const ratelimit = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(3, "60 s"), prefix: "rl-sliding" });
  assert.deepEqual(await successes(ratelimit, "a", 5), [true, true, true, false, false]);
  const remaining = await ratelimit.getRemaining("a");
  assert.equal(typeof remaining === "number" ? remaining : remaining.remaining, 0);
});

test("token bucket spends its tokens, then refuses", async () => {
  const ratelimit = new Ratelimit({ redis, limiter: Ratelimit.tokenBucket(1, "60 s", 4), prefix: "rl-bucket" });
  assert.deepEqual(await successes(ratelimit, "a", 6), [true, true, true, true, false, false]);
});

test("resetUsedTokens starts the window again", async () => {
  const ratelimit = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(2, "60 s"), prefix: "rl-reset" });
  assert.deepEqual(await successes(ratelimit, "a", 3), [true, true, false]);
  await ratelimit.resetUsedTokens("a");
  assert.deepEqual(await successes(ratelimit, "a", 3), [true, true, false]);
});
