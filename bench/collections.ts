// npm run bench:collections: operations on single 1M-element keys against redis-server and Restash
// in one run, printed as ops/s for each and the Restash/redis-server ratio (goal >= 0.5x).
// A small ioredis driver preloads a zset, a list and a hash of 1M elements each, then runs each
// load as pipelined batches from a few connections: ZADD of new members, ZRANGE of 10 elements at
// random offsets, LPUSH, LPOP, HSET of new fields.

import { Redis } from "ioredis";
import { spawnServer } from "../test/helpers/spawn-server.js";
import { startRedisServer } from "../test/helpers/redis-server.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const SIZE = Number(process.env.BENCH_SIZE ?? 1_000_000);
const OPS = Number(process.env.BENCH_OPS ?? 200_000);
const CONNECTIONS = 4;
const PIPELINE = 50;

type Command = [string, ...(string | number)[]];

interface Load {
  name: string;
  /** The i-th command of the load. */
  command(i: number): Command;
}

const run = Math.floor(Math.random() * 1e9);
const LOADS: Load[] = [
  { name: "ZADD new member", command: (i) => ["zadd", "z", i, `new:${run}:${i}`] },
  {
    name: "ZRANGE 10 at random",
    command: () => {
      const start = Math.floor(Math.random() * (SIZE - 10));
      return ["zrange", "z", start, start + 9];
    },
  },
  { name: "LPUSH", command: (i) => ["lpush", "l", `v${i}`] },
  { name: "LPOP", command: () => ["lpop", "l"] },
  { name: "HSET new field", command: (i) => ["hset", "h", `new:${run}:${i}`, "v"] },
];


/** Sends commands(i) for i in [0, count) in pipelines of PIPELINE from each connection. */
async function drive(clients: Redis[], count: number, command: (i: number) => Command): Promise<void> {
  let next = 0;
  await Promise.all(
    clients.map(async (client) => {
      while (next < count) {
        const pipeline = client.pipeline();
        for (let n = 0; n < PIPELINE && next < count; n++) {
          const [name, ...args] = command(next++);
          pipeline.call(name, ...args);
        }
        await pipeline.exec();
      }
    }),
  );
}

/** Fills z, l and h with SIZE elements each, 1000 per command. */
async function preload(clients: Redis[]): Promise<void> {
  const batches = Math.ceil(SIZE / 1000);
  const range = (b: number) => Array.from({ length: Math.min(1000, SIZE - b * 1000) }, (_, k) => b * 1000 + k);
  await clients[0].del("z", "l", "h");
  await drive(clients, batches, (b) => ["zadd", "z", ...range(b).flatMap((n) => [n, `m${n}`])]);
  await drive(clients, batches, (b) => ["rpush", "l", ...range(b).map((n) => `e${n}`)]);
  await drive(clients, batches, (b) => ["hset", "h", ...range(b).flatMap((n) => [`f${n}`, `v${n}`])]);
}

/** ops/s of each load against the server on port. */
async function measure(port: number): Promise<number[]> {
  const clients = Array.from({ length: CONNECTIONS }, () => new Redis({ port, lazyConnect: false }));
  try {
    await preload(clients);
    const rates: number[] = [];
    for (const load of LOADS) {
      const started = performance.now();
      await drive(clients, OPS, load.command);
      rates.push(OPS / ((performance.now() - started) / 1000));
    }
    return rates;
  } finally {
    for (const client of clients) client.disconnect();
  }
}

async function main(): Promise<void> {
  const redis = await startRedisServer(mkdtempSync(path.join(tmpdir(), "restash-bench-")));
  const redisPort = redis.port;
  const restash = await spawnServer(["--http-port", "-1"]);
  const rows: string[] = [];
  let ok = true;
  try {
    const base = await measure(redisPort);
    const ours = await measure(restash.port);
    LOADS.forEach((load, i) => {
      const ratio = ours[i] / base[i];
      if (ratio < 0.5) ok = false;
      rows.push(`${load.name.padEnd(20)} redis-server ${base[i].toFixed(0).padStart(9)}/s  restash ${ours[i].toFixed(0).padStart(9)}/s  ratio ${ratio.toFixed(2)}x`);
    });
  } finally {
    await redis.stop();
    await restash.stop();
  }
  process.stdout.write(`${SIZE} elements per key, ${OPS} ops per load, ${CONNECTIONS} connections x pipelines of ${PIPELINE}\n`);
  process.stdout.write(rows.join("\n") + "\n");
  process.stdout.write(ok ? "goal met: every load >= 0.5x redis-server\n" : "goal missed: some load below 0.5x redis-server\n");
}

await main();
