// npm run build && node dist/bench/persistence.js: persistence figures of Restash beside
// redis-server in one run, as ratios.
//   - 1M keys (SET key:N value:N) mass-inserted with redis-cli --pipe, with the AOF on;
//   - SAVE time, BGSAVE time and the longest PING round trip while BGSAVE runs;
//   - RDB load time and AOF load time at restart (each server's own "DB loaded" log line, best
//     of three restarts);
//   - the crash test in full: 50 clients writing while the server is killed with SIGKILL,
//     20 rounds, with appendfsync always (must lose 0 acknowledged writes) and everysec.
// BENCH_KEYS / BENCH_CRASH_ROUNDS override the sizes.

import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { freePort } from "../test/helpers/redis-server.js";
import { crashRounds } from "../test/persistence/crash-harness.js";

const KEYS = Number(process.env.BENCH_KEYS ?? 1_000_000);
const CRASH_ROUNDS = Number(process.env.BENCH_CRASH_ROUNDS ?? 20);
const LOAD_RUNS = 3;
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../src/cli.js");

interface Running {
  port: number;
  child: ChildProcess;
  log(): string;
}

type Kind = "redis" | "restash";

async function start(kind: Kind, dir: string, args: string[]): Promise<Running> {
  const port = await freePort();
  let out = "";
  const child =
    kind === "redis"
      ? spawn("redis-server", ["--port", String(port), "--dir", dir, "--save", "", "--enable-debug-command", "yes", ...args], { stdio: ["ignore", "pipe", "pipe"] })
      : spawn(process.execPath, [CLI, "--port", String(port), "--http-port", "-1", "--dir", dir, "--save", "", "--loglevel", "notice", ...args], {
          stdio: ["ignore", "pipe", "pipe"],
        });
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`${kind} exited: ${out}`);
    if (spawnSync("redis-cli", ["-p", String(port), "ping"], { encoding: "utf8" }).stdout.trim() === "PONG") break;
    if (i > 2000) throw new Error(`${kind} did not start`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return { port, child, log: () => out };
}

async function kill(r: Running): Promise<void> {
  if (r.child.exitCode !== null) return;
  const exited = new Promise((res) => r.child.once("exit", res));
  r.child.kill("SIGKILL");
  await exited;
}

/** Seconds from the server's "DB loaded from ..." log line. */
async function loadSeconds(r: Running, what: "disk" | "append only file"): Promise<number> {
  const re = new RegExp(`DB loaded from ${what}: ([\\d.]+) seconds`);
  for (let i = 0; i < 500; i++) {
    const m = re.exec(r.log());
    if (m) return Number(m[1]);
    await new Promise((res) => setTimeout(res, 10));
  }
  throw new Error(`no load line in: ${r.log().slice(-500)}`);
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

interface Figures {
  pipe: number;
  save: number;
  bgsave: number;
  bgsaveMaxPingMs: number;
  rdbLoad: number;
  aofLoad: number;
  rdbBytes: number;
}

async function measure(kind: Kind, commands: string): Promise<Figures> {
  const dir = mkdtempSync(path.join(tmpdir(), `bench-persist-${kind}-`));
  const first = await start(kind, dir, ["--appendonly", "yes", "--appendfsync", "everysec"]);
  const pipe = await timed(async () => {
    const r = spawnSync("sh", ["-c", `redis-cli -p ${first.port} --pipe < ${commands}`], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (!/errors: 0/.test(r.stdout)) throw new Error(`pipe failed: ${r.stdout} ${r.stderr}`);
  });
  const c = new Redis({ port: first.port });
  if ((await c.dbsize()) !== KEYS) throw new Error("wrong key count after the mass insert");
  const save = await timed(() => c.save());
  // BGSAVE: how long, and how long a client waits at worst meanwhile.
  let maxPing = 0;
  const bgsave = await timed(async () => {
    await c.bgsave();
    for (;;) {
      const t = performance.now();
      await c.ping();
      maxPing = Math.max(maxPing, performance.now() - t);
      if (/rdb_bgsave_in_progress:0/.test(await c.info("persistence"))) break;
    }
  });
  c.disconnect();
  await kill(first);
  const rdbBytes = readFileSync(path.join(dir, "dump.rdb")).length;
  // Loads: the best of LOAD_RUNS restarts (the machine may be busy with other work).
  const restartLoad = async (appendonly: string, what: "disk" | "append only file") => {
    let best = Infinity;
    for (let i = 0; i < LOAD_RUNS; i++) {
      const r = await start(kind, dir, ["--appendonly", appendonly]);
      best = Math.min(best, await loadSeconds(r, what));
      await kill(r);
    }
    return best;
  };
  const rdbLoad = await restartLoad("no", "disk");
  const aofLoad = await restartLoad("yes", "append only file");
  return { pipe, save, bgsave, bgsaveMaxPingMs: maxPing, rdbLoad, aofLoad, rdbBytes };
}

function respCommand(argv: string[]): string {
  let out = `*${argv.length}\r\n`;
  for (const a of argv) out += `$${a.length}\r\n${a}\r\n`;
  return out;
}

async function main(): Promise<void> {
  const commands = path.join(mkdtempSync(path.join(tmpdir(), "bench-persist-")), "commands.resp");
  const parts: string[] = [];
  for (let i = 0; i < KEYS; i++) parts.push(respCommand(["SET", `key:${i}`, `value:${i}`]));
  writeFileSync(commands, parts.join(""), "latin1");
  const redis = await measure("redis", commands);
  const restash = await measure("restash", commands);
  const row = (name: string, r: number, s: number, unit = "s") =>
    process.stdout.write(`${name.padEnd(34)} ${r.toFixed(3).padStart(9)} ${unit}  ${s.toFixed(3).padStart(9)} ${unit}  ${(s / r).toFixed(2).padStart(6)}x\n`);
  process.stdout.write(`\n${KEYS} keys                             redis-server      Restash   ratio\n`);
  row("mass insert (redis-cli --pipe)", redis.pipe, restash.pipe);
  row("SAVE", redis.save, restash.save);
  row("BGSAVE (until done)", redis.bgsave, restash.bgsave);
  row("longest PING during BGSAVE", redis.bgsaveMaxPingMs, restash.bgsaveMaxPingMs, "ms");
  row("RDB load at startup", redis.rdbLoad, restash.rdbLoad);
  row("AOF load at startup (1M SETs)", redis.aofLoad, restash.aofLoad);
  row("RDB size", redis.rdbBytes / 1e6, restash.rdbBytes / 1e6, "MB");
  for (const fsync of ["always", "everysec"] as const) {
    const started = performance.now();
    const r = await crashRounds({ clients: 50, rounds: CRASH_ROUNDS, runMs: 1000, fsync });
    const secs = (performance.now() - started) / 1000;
    process.stdout.write(
      `crash test appendfsync ${fsync.padEnd(8)}: ${r.rounds} rounds x 50 clients, ${r.acknowledged} acknowledged writes, ${r.lost} lost (worst client in a round: ${r.worstClientLoss}), ${(r.acknowledged / (r.rounds * 1)).toFixed(0)} acked writes/s while writing (${secs.toFixed(0)} s total)\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
