// npm run bench: the same redis-benchmark loads against redis-server and Restash in one run,
// printed as requests/s for each and the Restash/redis-server ratio. Each load runs once against
// both servers as a warm-up before the measured run.
// Loads: SET, GET, INCR with 50 clients; SET, GET with 50 clients and 16-command pipelines.

import { execFileSync, spawnSync } from "node:child_process";
import { spawnServer } from "../test/helpers/spawn-server.js";
import { startRedisServer } from "../test/helpers/redis-server.js";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 200000);

function ensureRedisServer(): void {
  if (spawnSync("redis-server", ["--version"]).status === 0) return;
  process.stdout.write("redis-server not found; installing Debian's redis-server package...\n");
  const install = ["apt-get", "install", "-y", "-qq", "redis-server", "redis-tools"];
  const [cmd, ...args] = process.getuid?.() === 0 ? install : ["sudo", ...install];
  execFileSync(cmd, args, { stdio: "inherit" });
}


/** Runs redis-benchmark and returns requests/s per test name. */
function benchmark(port: number, tests: string, pipeline: number): Map<string, number> {
  const out = execFileSync(
    "redis-benchmark",
    ["-p", String(port), "-c", "50", "-n", String(REQUESTS), "-P", String(pipeline), "-t", tests, "-r", "100000", "--csv"],
    { encoding: "utf8" },
  );
  const results = new Map<string, number>();
  for (const line of out.split("\n")) {
    const m = /^"([A-Z]+)","([\d.]+)"/.exec(line);
    if (m) results.set(m[1], Number(m[2]));
  }
  return results;
}

async function main(): Promise<void> {
  ensureRedisServer();
  const redis = await startRedisServer(mkdtempSync(path.join(tmpdir(), "restash-bench-")));
  const redisPort = redis.port;
  const restash = await spawnServer(["--http-port", "-1"]);
  const loads: [string, number][] = [
    ["set,get,incr", 1],
    ["set,get", 16],
  ];
  const rows: string[] = [];
  let ok = true;
  try {
    for (const [tests, pipeline] of loads) {
      // A warm-up run each first: a long-running server has its JIT warm, and the first load
      // of a fresh Node process measures mostly compilation.
      benchmark(redisPort, tests, pipeline);
      benchmark(restash.port, tests, pipeline);
      const base = benchmark(redisPort, tests, pipeline);
      const ours = benchmark(restash.port, tests, pipeline);
      for (const [name, rps] of base) {
        const mine = ours.get(name) ?? 0;
        const ratio = mine / rps;
        rows.push(`${`${name} -c 50 -P ${pipeline}`.padEnd(20)} redis-server ${rps.toFixed(0).padStart(9)}/s  restash ${mine.toFixed(0).padStart(9)}/s  ratio ${ratio.toFixed(2)}x`);
        if (pipeline === 1 && (name === "SET" || name === "GET") && ratio < 0.7) ok = false;
      }
    }
  } finally {
    await redis.stop();
    await restash.stop();
  }
  process.stdout.write(rows.join("\n") + "\n");
  process.stdout.write(ok ? "goal met: non-pipelined SET/GET >= 0.7x redis-server\n" : "goal missed: non-pipelined SET/GET below 0.7x redis-server\n");
}

await main();
