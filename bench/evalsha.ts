// EVALSHA throughput of redis-server and Restash in one run (node dist/bench/evalsha.js):
// redis-benchmark runs EVALSHA of a loaded script against each, 50 clients, without and with
// pipelining; printed as requests/s and the Restash/redis-server ratio.

import { execFileSync, spawnSync } from "node:child_process";
import { spawnServer } from "../test/helpers/spawn-server.js";
import { startRedisServer } from "../test/helpers/redis-server.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200000);

const SCRIPTS: [string, string][] = [
  ["GET", "return redis.call('GET', KEYS[1])"],
  ["INCR", "return redis.call('INCR', KEYS[1])"],
  ["SET+GET", "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[1])"],
];

function cli(port: number, ...args: string[]): string {
  return spawnSync("redis-cli", ["-p", String(port), ...args], { encoding: "utf8" }).stdout.trim();
}


/** requests/s of `EVALSHA sha 1 key:<rand> value` on the server at port. */
function evalshaRate(port: number, sha: string, pipeline: number): number {
  const out = execFileSync(
    "redis-benchmark",
    ["-p", String(port), "-c", "50", "-n", String(REQUESTS), "-P", String(pipeline), "-r", "100000", "--csv", "evalsha", sha, "1", "key:__rand_int__", "value"],
    { encoding: "utf8" },
  );
  const m = /^"[^"]*","([\d.]+)"/m.exec(out);
  if (!m) throw new Error(`unexpected redis-benchmark output: ${out}`);
  return Number(m[1]);
}

async function main(): Promise<void> {
  const redis = await startRedisServer(mkdtempSync(path.join(tmpdir(), "restash-bench-")));
  const redisPort = redis.port;
  const restash = await spawnServer(["--http-port", "-1"]);
  const rows: string[] = [];
  try {
    for (const [name, script] of SCRIPTS) {
      const sha = cli(redisPort, "script", "load", script);
      if (cli(restash.port, "script", "load", script) !== sha) throw new Error(`SCRIPT LOAD differs for ${name}`);
      for (const pipeline of [1, 16]) {
        const base = evalshaRate(redisPort, sha, pipeline);
        const ours = evalshaRate(restash.port, sha, pipeline);
        rows.push(
          `${`EVALSHA ${name} -c 50 -P ${pipeline}`.padEnd(30)} redis-server ${base.toFixed(0).padStart(9)}/s  ` +
            `restash ${ours.toFixed(0).padStart(9)}/s  ratio ${(ours / base).toFixed(2)}x`,
        );
      }
    }
  } finally {
    await redis.stop();
    await restash.stop();
  }
  process.stdout.write(rows.join("\n") + "\n");
}

await main();
