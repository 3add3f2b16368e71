// Pub/Sub over real sockets: two ioredis subscribers (RESP3, ioredis's default) receive 100k
// messages published by redis-py, all of them and in order; and a subscriber that stops reading
// is disconnected by client-output-buffer-limit instead of making the server buffer without end.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import net from "node:net";
import { Redis } from "ioredis";
import { spawnServer } from "../helpers/spawn-server.js";

const COUNT = 100_000;

/** Publishes `count` messages "0".."count-1" on channel with redis-py; resolves with the receiver counts seen. */
function pyPublish(port: number, channel: string, count: number): Promise<string> {
  const script = `
import redis, sys
r = redis.Redis(port=${port})
seen = set()
pipe = r.pipeline(transaction=False)
for i in range(${count}):
    pipe.publish("${channel}", str(i))
    if i % 1000 == 999:
        seen.update(pipe.execute())
seen.update(pipe.execute())
print(sorted(seen))
`;
  return new Promise((resolve, reject) => {
    const py = spawn("/usr/bin/python3", ["-c", script]);
    let out = "";
    let err = "";
    py.stdout.on("data", (d) => (out += d));
    py.stderr.on("data", (d) => (err += d));
    py.on("exit", (code) => (code === 0 ? resolve(out.trim()) : reject(new Error(`redis-py publisher failed: ${err}`))));
  });
}

/** A subscriber that checks every message arrives in order; resolves when all `count` did. */
async function orderedSubscriber(port: number, channel: string, count: number): Promise<{ redis: Redis; done: Promise<number> }> {
  const redis = new Redis({ port, lazyConnect: true });
  await redis.connect();
  let next = 0;
  const done = new Promise<number>((resolve, reject) => {
    redis.on("message", (ch: string, message: string) => {
      if (ch !== channel || message !== String(next)) reject(new Error(`expected message ${next} on ${channel}, got ${message} on ${ch}`));
      if (++next === count) resolve(next);
    });
  });
  assert.equal(await redis.subscribe(channel), 1);
  return { redis, done };
}

test("100k messages reach two ioredis subscribers in order, none lost", { timeout: 120_000 }, async () => {
  const server = await spawnServer();
  try {
    const a = await orderedSubscriber(server.port, "fanout", COUNT);
    const b = await orderedSubscriber(server.port, "fanout", COUNT);
    const receivers = await pyPublish(server.port, "fanout", COUNT);
    assert.equal(receivers, "[2]"); // every PUBLISH reached both subscribers
    assert.deepEqual(await Promise.all([a.done, b.done]), [COUNT, COUNT]);
    a.redis.disconnect();
    b.redis.disconnect();
  } finally {
    await server.stop();
  }
});

test("a subscriber that stops reading is disconnected by the pubsub output-buffer limit", { timeout: 60_000 }, async () => {
  const server = await spawnServer(["--client-output-buffer-limit", "pubsub 1mb 256kb 60"]);
  const publisher = new Redis({ port: server.port, lazyConnect: true });
  try {
    await publisher.connect();
    const slow = net.connect(server.port, "127.0.0.1");
    await new Promise<void>((resolve) => slow.once("connect", () => resolve()));
    slow.write("*2\r\n$9\r\nSUBSCRIBE\r\n$4\r\nslow\r\n");
    await new Promise<void>((resolve) => slow.once("data", () => resolve()));
    slow.pause(); // never reads again: the kernel buffers fill, then the server's
    const payload = "x".repeat(64 * 1024);
    let published = 0;
    // 4000 x 64 KB = 250 MB: far beyond what socket buffers absorb, so the limit must act first.
    while (published < 4000 && (await publisher.publish("slow", payload)) === 1) published++;
    assert.ok(published < 4000, "the slow subscriber was never disconnected");
    assert.deepEqual(await publisher.pubsub("NUMSUB", "slow"), ["slow", 0]);
    // The server closed the connection: reading again drains what was sent, then it ends.
    const closed = new Promise<void>((resolve) => slow.once("close", () => resolve()));
    slow.on("error", () => {});
    slow.resume();
    await closed;
  } finally {
    publisher.disconnect();
    await server.stop();
  }
});
