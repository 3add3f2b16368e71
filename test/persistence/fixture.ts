// A dataset with every value type and encoding (small and big, integers, binary, expiries,
// streams with deleted entries and consumer groups), written through a client, and a
// comparable description of a server's content, for round trips between Restash and redis-server.

import type { Redis } from "ioredis";

/** The encoding thresholds both servers use in these tests (the installed redis-server's defaults differ). */
export const SAME_ENCODINGS = ["hash-max-listpack-entries", "128", "set-max-intset-entries", "512", "zset-max-listpack-entries", "128"];

export async function fill(r: Redis): Promise<void> {
  await r.flushall();
  for (let i = 0; i < SAME_ENCODINGS.length; i += 2) await r.config("SET", SAME_ENCODINGS[i], SAME_ENCODINGS[i + 1]);
  const p = r.pipeline();
  p.set("str:small", "hello");
  p.set("str:int", "12345");
  p.set("str:neg", "-7");
  p.set("str:bigint", "9223372036854775807");
  p.set("str:long", "x".repeat(5000));
  p.set("str:compressible", "abc".repeat(1000) + "tail");
  p.set("str:binary", Buffer.from([0, 1, 2, 13, 10, 255, 254, 128]));
  p.set("str:empty", "");
  p.set("str:ttl", "soon", "PX", 3600000);
  p.rpush("list:small", "a", "b", "1", "2", "-300000", "999999999999", "");
  for (let i = 0; i < 3000; i++) p.rpush("list:big", i % 3 === 0 ? String(i) : `item-${i}-${"y".repeat(i % 50)}`);
  p.rpush("list:huge-element", "z".repeat(20000), "small");
  p.sadd("set:intset", 1, 2, 3, -5, 100000, "-9223372036854775808");
  p.sadd("set:strings", "a", "b", "c");
  for (let i = 0; i < 700; i++) p.sadd("set:big-ints", i * 7);
  p.hset("hash:small", "f1", "v1", "f2", "22", "f3", "");
  for (let i = 0; i < 300; i++) p.hset("hash:big", `field${i}`, `value${i}`);
  p.hset("hash:long-value", "f", "v".repeat(100));
  p.zadd("zset:small", 1, "a", 2.5, "b", -3, "c", "inf", "d", "-inf", "e", 0, "zero", 1e20, "huge");
  for (let i = 0; i < 200; i++) p.zadd("zset:big", i * 1.5, `m${i}`);
  p.pexpire("hash:small", 7200000);
  p.xadd("stream:groups", "1-1", "a", "1", "b", "2");
  p.xadd("stream:groups", "1-2", "a", "3", "b", "4");
  p.xadd("stream:groups", "2-0", "c", "5");
  for (let i = 0; i < 250; i++) p.xadd("stream:big", `${1000 + i}-${i % 3}`, "f", `v${i}`, "n", String(i));
  await p.exec();
  await r.xdel("stream:big", "1001-1", "1100-1");
  await r.xgroup("CREATE", "stream:groups", "g1", "0");
  await r.xreadgroup("GROUP", "g1", "c1", "COUNT", "2", "STREAMS", "stream:groups", ">");
  await r.xgroup("CREATE", "stream:groups", "g2", "$");
  await r.xgroup("CREATECONSUMER", "stream:groups", "g2", "c9");
  await r.select(3);
  await r.set("db3:key", "in db 3");
  await r.select(0);
}

/**
 * Every key of every database with type, value, TTL presence and encoding, as comparable text.
 * replayed: the data went through an AOF replay, which (in Redis too) gives consumers the replay
 * time as their seen-time, so that field is left out.
 */
export async function content(r: Redis, replayed = false, dbs = [0, 3]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const db of dbs) {
    await r.select(db);
    for (const key of (await r.keys("*")).sort()) {
      const type = await r.type(key);
      let value: unknown;
      if (type === "string") value = (await r.getBuffer(key))!.toString("hex");
      else if (type === "list") value = await r.lrange(key, 0, -1);
      else if (type === "set") value = (await r.smembers(key)).sort();
      else if (type === "hash") value = Object.entries(await r.hgetall(key)).sort();
      else if (type === "zset") value = await r.call("ZRANGE", key, "0", "-1", "WITHSCORES");
      else if (type === "stream") {
        const info = (await r.call("XINFO", "STREAM", key, "FULL")) as unknown[];
        value = [await r.xrange(key, "-", "+"), without(info, replayed ? ["active-time", "seen-time"] : ["active-time"])];
      }
      const ttl = await r.pttl(key);
      out[`${db}/${key}`] = { type, value, ttl: ttl > 0 ? "yes" : String(ttl), encoding: await r.object("ENCODING", key) };
    }
  }
  await r.select(0);
  return out;
}

/** XINFO STREAM FULL without some fields (active-time is a Redis 7.2 field Redis 7.0 lacks). */
function without(value: unknown, fields: string[]): unknown {
  if (!Array.isArray(value)) return value;
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) {
    if (fields.includes(value[i] as string)) {
      i++;
      continue;
    }
    out.push(without(value[i], fields));
  }
  return out;
}
