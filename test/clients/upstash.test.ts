// The unmodified official @upstash/redis client against a spawned Restash over its REST API:
// once with its defaults (auto-pipelining: every call goes through /pipeline, base64 responses,
// read-your-writes) and once sending single commands to POST /. Pub/sub messages published over
// RESP reach its SSE subscriber. @upstash/ratelimit (Lua scripts over REST) limits exactly.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { readFileSync } from "node:fs";
import path from "node:path";
import { Redis } from "@upstash/redis";
import { Ratelimit } from "@upstash/ratelimit";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";

let server: SpawnedServer;
let redis: Redis;
let single: Redis;

before(async () => {
  server = await spawnServer();
  redis = new Redis({ url: server.restUrl, token: server.restToken });
  single = new Redis({ url: server.restUrl, token: server.restToken, enableAutoPipelining: false });
});

after(async () => {
  await server.stop();
});

/** Sends one command over RESP on a fresh connection and returns the raw reply text. */
function resp(...argv: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(server.port, "127.0.0.1");
    let out = "";
    socket.on("data", (d) => {
      out += d.toString("latin1");
      if (out.endsWith("\r\n")) {
        socket.end();
        resolve(out);
      }
    });
    socket.on("error", reject);
    socket.write(`*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join("")}`);
  });
}

for (const [mode, client] of [
  ["auto-pipelined", () => redis],
  ["single-command", () => single],
] as const) {
  test(`${mode}: strings with JSON values and ex, get, del, incr`, async () => {
    const r = client();
    const k = `${mode}:obj`;
    assert.equal(await r.set(k, { user: "ada", tags: ["a", "b"], n: 1 }, { ex: 100 }), "OK");
    assert.deepEqual(await r.get(k), { user: "ada", tags: ["a", "b"], n: 1 });
    const ttl = await r.ttl(k);
    assert.ok(ttl > 90 && ttl <= 100, `ttl ${ttl}`);
    assert.equal(await r.set(`${mode}:text`, "héllo ✓ \u0000"), "OK");
    assert.equal(await r.get(`${mode}:text`), "héllo ✓ \u0000");
    assert.equal(await r.del(k, `${mode}:text`, `${mode}:missing`), 2);
    assert.equal(await r.get(k), null);
    assert.equal(await r.incr(`${mode}:n`), 1);
    assert.equal(await r.incrby(`${mode}:n`, 41), 42);
    assert.equal(await r.get(`${mode}:n`), 42);
  });

  test(`${mode}: hashes, lists, sorted sets with scores`, async () => {
    const r = client();
    assert.equal(await r.hset(`${mode}:h`, { name: "ada", visits: 3, profile: { lang: "en" } }), 3);
    assert.deepEqual(await r.hgetall(`${mode}:h`), { name: "ada", visits: 3, profile: { lang: "en" } });
    assert.equal(await r.hgetall(`${mode}:none`), null);
    assert.equal(await r.lpush(`${mode}:l`, "a", "b", "c"), 3);
    assert.deepEqual(await r.lrange(`${mode}:l`, 0, -1), ["c", "b", "a"]);
    assert.equal(await r.zadd(`${mode}:z`, { score: 2.5, member: "b" }, { score: 1, member: "a" }), 2);
    assert.deepEqual(await r.zrange(`${mode}:z`, 0, -1, { withScores: true }), ["a", 1, "b", 2.5]);
    assert.equal(await r.zscore(`${mode}:z`, "b"), 2.5);
  });

  test(`${mode}: errors carry Redis's text`, async () => {
    const r = client();
    await r.set(`${mode}:str`, "x");
    await assert.rejects(r.lpush(`${mode}:str`, "y"), /WRONGTYPE Operation against a key holding the wrong kind of value/);
    await assert.rejects(r.incr(`${mode}:str`), /ERR value is not an integer or out of range/);
  });
}

test("scan with match over versioned keys", async () => {
  for (let i = 0; i < 30; i++) await single.set(`case:7:snapshot:${1000 + i}`, { i });
  await single.set("case:8:snapshot:1", "other");
  const found: string[] = [];
  let cursor: string | number = "0";
  do {
    const [next, keys]: [string | number, string[]] = await redis.scan(cursor, { match: "case:7:*", count: 7 });
    found.push(...keys);
    cursor = next;
  } while (String(cursor) !== "0");
  assert.equal(new Set(found).size, 30);
  assert.ok(found.every((k) => k.startsWith("case:7:snapshot:")));
});

test("auto-pipelining batches concurrent calls into one /pipeline request", async () => {
  // pipelineCounter is how many batches the client sent (not in its type declarations)
  const batches = () => (redis as unknown as { pipelineCounter: number }).pipelineCounter;
  const before = batches();
  const results = await Promise.all([redis.set("ap:a", 1), redis.set("ap:b", "two"), redis.incr("ap:c"), redis.set("ap:d", true)]);
  assert.deepEqual(results, ["OK", "OK", 1, "OK"]);
  assert.equal(batches() - before, 1);
  const reads = await Promise.all([redis.get("ap:a"), redis.get("ap:b"), redis.get("ap:missing"), redis.get("ap:d")]);
  assert.deepEqual(reads, [1, "two", null, true]);
  assert.equal(batches() - before, 2);
});

test("explicit pipeline() and multi()", async () => {
  const p = single.pipeline();
  p.set("pl:k", { v: 1 });
  p.get("pl:k");
  p.incr("pl:n");
  p.hset("pl:h", { f: "v" });
  p.hget("pl:h", "f");
  assert.deepEqual(await p.exec(), ["OK", { v: 1 }, 1, 1, "v"]);
  const failing = single.pipeline();
  failing.set("pl:s", "text");
  failing.incr("pl:s");
  await assert.rejects(failing.exec(), /ERR value is not an integer or out of range/);
  const kept = single.pipeline();
  kept.get("pl:s");
  kept.incr("pl:s");
  const withErrors = await kept.exec({ keepErrors: true });
  assert.deepEqual(withErrors[0], { result: "text", error: undefined });
  assert.match(String(withErrors[1].error), /ERR value is not an integer/);

  const tx = single.multi();
  tx.set("tx:a", 10);
  tx.incrby("tx:a", 5);
  tx.get("tx:a");
  tx.lpush("tx:l", "x");
  assert.deepEqual(await tx.exec(), ["OK", 15, 15, 1]);
});

test("read-your-writes: the sync token changes after writes", async () => {
  const r = new Redis({ url: server.restUrl, token: server.restToken, enableAutoPipelining: false });
  await r.get("ryw:k");
  const first = r.readYourWritesSyncToken;
  assert.ok(first, "a token is returned");
  await r.set("ryw:k", "v");
  assert.notEqual(r.readYourWritesSyncToken, first);
});

test("a read-only token can read but not write", async () => {
  const ro = new Redis({ url: server.restUrl, token: readonlyToken(), enableAutoPipelining: false });
  await single.set("ro:k", "v");
  assert.equal(await ro.get("ro:k"), "v");
  await assert.rejects(ro.set("ro:k", "w"), /NOPERM this user has no permissions to run the 'set' command/);
  if (await hasScripting()) {
    await assert.rejects(ro.eval("return 1", [], []), /NOPERM this user has no permissions to run the 'eval' command/);
    assert.equal(await ro.evalRo("return redis.call('get', KEYS[1])", ["ro:k"], []), "v");
  }
  const wrong = new Redis({ url: server.restUrl, token: "wrong", enableAutoPipelining: false });
  await assert.rejects(wrong.get("ro:k"), /WRONGPASS invalid or missing auth token/);
});

/** The read-only token, from the tokens file in the spawned server's data dir. */
function readonlyToken(): string {
  const dir = /--dir (\S+)/.exec(server.process.spawnargs.join(" "))![1];
  return JSON.parse(readFileSync(path.join(dir, "rest-tokens.json"), "utf8")).readonlyToken;
}

test("eval, evalsha and scripts", async (t) => {
  if (!(await hasScripting())) return t.skip("scripting not implemented yet");
  await assert.rejects(single.eval("return ARGV[1] .. redis.call('get', KEYS[1])", ["ev:k"], ["x-"]));
  await single.set("ev:k", "v");
  assert.equal(await single.eval("return ARGV[1] .. redis.call('get', KEYS[1])", ["ev:k"], ["x-"]), "x-v");
  const script = single.createScript<number>("return redis.call('incrby', KEYS[1], ARGV[1])");
  assert.equal(await script.exec(["ev:n"], ["5"]), 5);
  assert.equal(await script.exec(["ev:n"], ["5"]), 10);
  const sha = await single.scriptLoad("return 42");
  assert.equal(await single.evalsha(sha, [], []), 42);
});

/** Whether EVAL works on the server (scripting may not be built yet). */
async function hasScripting(): Promise<boolean> {
  const probe = await single.eval("return 1", [], []).catch((e: Error) => e);
  return !(probe instanceof Error && /unknown command/.test(probe.message));
}

test("@upstash/ratelimit sliding window allows exactly 10 of 15 requests", async (t) => {
  if (!(await hasScripting())) return t.skip("scripting not implemented yet");
  const ratelimit = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(10, "60 s"), prefix: "rl-test" });
  const results = [];
  for (let i = 0; i < 15; i++) results.push(await ratelimit.limit("user:1"));
  assert.equal(results.filter((r) => r.success).length, 10);
  assert.deepEqual(results.map((r) => r.success), [...Array(10).fill(true), ...Array(5).fill(false)]);
  assert.equal(results[0].limit, 10);
  assert.equal(results[0].remaining, 9);
});

test("a subscriber receives messages published over RESP and over REST", async () => {
  const subscriber = redis.subscribe<unknown>(["room:1"]);
  const patterns = redis.psubscribe<unknown>(["room:*"]);
  const received: unknown[] = [];
  const matched: unknown[] = [];
  const subscribed = new Promise<number>((resolve) => subscriber.on("subscribe", resolve));
  const psubscribed = new Promise<number>((resolve) => patterns.on("psubscribe", resolve));
  subscriber.on("message", ({ message }) => received.push(message));
  patterns.on("pmessage", ({ pattern, channel, message }) => matched.push([pattern, channel, message]));
  assert.equal(await subscribed, 1);
  assert.equal(await psubscribed, 1);
  assert.equal(await resp("PUBLISH", "room:1", JSON.stringify({ from: "resp", text: "hi, all" })), ":2\r\n");
  assert.equal(await single.publish("room:1", { from: "rest" }), 2);
  for (let i = 0; i < 100 && (received.length < 2 || matched.length < 2); i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(received, [{ from: "resp", text: "hi, all" }, { from: "rest" }]);
  assert.deepEqual(matched, [
    ["room:*", "room:1", { from: "resp", text: "hi, all" }],
    ["room:*", "room:1", { from: "rest" }],
  ]);
  await subscriber.unsubscribe();
  await patterns.unsubscribe();
  let count = 1;
  for (let i = 0; i < 100 && count !== 0; i++) {
    await new Promise((r) => setTimeout(r, 20));
    count = Number((await resp("PUBLISH", "room:1", "late")).slice(1, -2));
  }
  assert.equal(count, 0);
});
