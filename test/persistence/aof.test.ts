// The AOF: restarts (kill -9) keep every write in its deterministic form, a truncated tail is cut
// with a log line, an unfinished MULTI is reverted, corruption stops startup with the repair
// command, rewrites compact the files, and AOF directories move both ways between Restash and
// redis-server 7.0.
import { test } from "node:test";
import assert from "node:assert/strict";
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";
import { redisServerAvailable, startRedisServer } from "../helpers/redis-server.js";
import { content, fill } from "./fixture.js";

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/cli.js");
const tempDir = () => mkdtempSync(path.join(tmpdir(), "restash-aof-"));
const interop = redisServerAvailable();
const AOF_ARGS = ["--http-port", "-1", "--save", "", "--appendonly", "yes"];

async function start(dir: string, args: string[] = []): Promise<{ server: SpawnedServer; r: Redis }> {
  const server = await spawnServer([...AOF_ARGS, "--dir", dir, ...args]);
  return { server, r: new Redis({ port: server.port, retryStrategy: () => null }) };
}

async function kill9(s: { server: SpawnedServer; r: Redis }): Promise<void> {
  s.r.disconnect();
  const exited = new Promise((resolve) => s.server.process.once("exit", resolve));
  s.server.process.kill("SIGKILL");
  await exited;
}

/** Starts a server on dir (after a crash or copy), runs check against it, and stops it. */
async function restartAndCheck(dir: string, check: (r: Redis) => Promise<void>): Promise<void> {
  const s = await start(dir);
  try {
    await check(s.r);
  } finally {
    s.r.disconnect();
    await s.server.stop();
  }
}

/** Runs the CLI expecting it to fail at startup; returns its exit code and output. */
function startFailing(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, "--port", "0", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 10000);
    child.once("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const incrFile = (dir: string) => {
  const aofDir = path.join(dir, "appendonlydir");
  const name = readdirSync(aofDir).filter((f) => f.endsWith(".incr.aof")).sort().pop()!;
  return path.join(aofDir, name);
};

test("after kill -9 a restart replays the AOF: every type, expiries, random and float commands, MULTI", async () => {
  const dir = tempDir();
  const first = await start(dir);
  await fill(first.r);
  const r = first.r;
  await r.set("ex", "v", "EX", 1000);
  await r.sadd("pool", "a", "b", "c", "d");
  await r.spop("pool");
  await r.incrbyfloat("float", "0.1");
  await r.incrbyfloat("float", "0.2");
  await r.multi().set("tx1", "1").incr("tx2").exec();
  await r.getdel("str:small");
  await r.xadd("stream:auto", "*", "f", "v");
  await r.pexpire("list:small", 1);
  await new Promise((res) => setTimeout(res, 20));
  await r.exists("list:small");
  const expected = await content(r, true);
  await kill9(first);
  await restartAndCheck(dir, async (r) => {
    assert.deepEqual(await content(r, true), expected);
    // As Redis's loader, replayed commands outside MULTI do not count in the command stats.
    assert.doesNotMatch(await r.info("commandstats"), /cmdstat_sadd:/);
  });
});

test("a truncated tail is cut at the last whole command, with a log line", async () => {
  const dir = tempDir();
  const first = await start(dir);
  await first.r.set("a", "1");
  await first.r.set("b", "2");
  await kill9(first);
  const file = incrFile(dir);
  const whole = statSync(file).size;
  appendFileSync(file, "*3\r\n$3\r\nset\r\n$1\r\nc\r\n$5\r\nhel");
  const second = await start(dir, ["--loglevel", "notice"]);
  // Log lines are written asynchronously: collect the ones after the ready line too.
  let logs = second.server.output();
  second.server.process.stdout!.on("data", (d: Buffer) => (logs += d.toString()));
  try {
    for (let i = 0; i < 100 && !/loaded anyway/.test(logs); i++) await new Promise((res) => setTimeout(res, 20));
    assert.equal(await second.r.get("a"), "1");
    assert.equal(await second.r.get("b"), "2");
    assert.equal(await second.r.get("c"), null);
    assert.match(logs, /Truncating the AOF .* at offset \d+/);
    assert.match(logs, /loaded anyway because aof-load-truncated is enabled/);
    assert.equal(statSync(file).size, whole);
    await second.r.set("after", "repair");
  } finally {
    await kill9(second);
  }
  await restartAndCheck(dir, async (r) => {
    assert.equal(await r.get("after"), "repair");
  });
});

test("an unfinished MULTI at the end is reverted", async () => {
  const dir = tempDir();
  const first = await start(dir);
  await first.r.set("before", "1");
  await kill9(first);
  appendFileSync(incrFile(dir), "*1\r\n$5\r\nmulti\r\n*3\r\n$3\r\nset\r\n$4\r\nhalf\r\n$1\r\nx\r\n");
  await restartAndCheck(dir, async (r) => {
    assert.equal(await r.get("before"), "1");
    assert.equal(await r.get("half"), null);
  });
});

test("corruption stops startup with a clear message naming restash check-aof --fix", async () => {
  const dir = tempDir();
  const first = await start(dir);
  await first.r.set("a", "1");
  await first.r.set("b", "2");
  await kill9(first);
  const file = incrFile(dir);
  const text = readFileSync(file, "latin1");
  writeFileSync(file, text.replace("*3\r\n$3\r\nset\r\n$1\r\nb", "*3\r\n$3\r\nset\r\n!1\r\nb"), "latin1");
  const failed = await startFailing([...AOF_ARGS, "--dir", dir]);
  assert.equal(failed.code, 1);
  assert.match(failed.output, /Bad file format reading the append only file .*appendonly\.aof\.\d+\.incr\.aof/);
  assert.match(failed.output, /restash check-aof --fix .*appendonly\.aof\.manifest/);
});

test("with aof-load-truncated no, a truncated AOF stops startup", async () => {
  const dir = tempDir();
  const first = await start(dir);
  await first.r.set("a", "1");
  await kill9(first);
  appendFileSync(incrFile(dir), "*2\r\n$3\r\nget");
  const failed = await startFailing([...AOF_ARGS, "--dir", dir, "--aof-load-truncated", "no"]);
  assert.equal(failed.code, 1);
  assert.match(failed.output, /Unexpected end of file reading the append only file/);
});

test("BGREWRITEAOF compacts into a new base and incremental file; old files go", async () => {
  const dir = tempDir();
  const first = await start(dir);
  const r = first.r;
  for (let i = 0; i < 500; i++) await r.incr("counter");
  assert.equal(await r.bgrewriteaof(), "Background append only file rewriting started");
  for (let i = 0; i < 10; i++) await r.incr("counter");
  for (let i = 0; i < 100 && /aof_rewrite_in_progress:1/.test(await r.info("persistence")); i++) await new Promise((res) => setTimeout(res, 20));
  await r.incr("counter");
  const manifest = readFileSync(path.join(dir, "appendonlydir", "appendonly.aof.manifest"), "latin1");
  assert.match(manifest, /^file appendonly\.aof\.2\.base\.rdb seq 2 type b\nfile appendonly\.aof\.2\.incr\.aof seq 2 type i\n$/);
  assert.deepEqual(readdirSync(path.join(dir, "appendonlydir")).sort(), ["appendonly.aof.2.base.rdb", "appendonly.aof.2.incr.aof", "appendonly.aof.manifest"]);
  await kill9(first);
  await restartAndCheck(dir, async (r) => {
    assert.equal(await r.get("counter"), "511");
  });
});

test("CONFIG SET appendonly yes creates the AOF at runtime; auto rewrite follows growth", async () => {
  const dir = tempDir();
  const server = await spawnServer(["--http-port", "-1", "--save", "", "--dir", dir]);
  const r = new Redis({ port: server.port, retryStrategy: () => null });
  await r.set("early", "1");
  await r.config("SET", "appendonly", "yes");
  await r.config("SET", "auto-aof-rewrite-min-size", "1024");
  await r.config("SET", "auto-aof-rewrite-percentage", "100");
  for (let i = 0; i < 2000; i++) await r.set(`k${i % 10}`, "x".repeat(20));
  const info = await r.info("persistence");
  for (let i = 0; i < 100 && !/aof_rewrites:[2-9]/.test(await r.info("persistence")); i++) await new Promise((res) => setTimeout(res, 30));
  assert.match(await r.info("persistence"), /aof_rewrites:([2-9]|\d\d+)/, info);
  await kill9({ server, r });
  await restartAndCheck(dir, async (r) => {
    assert.equal(await r.get("early"), "1");
    assert.equal(await r.get("k9"), "x".repeat(20));
  });
});

test("a Restash AOF directory loads into redis-server with identical content", { skip: !interop }, async () => {
  const dir = tempDir();
  const first = await start(dir);
  await fill(first.r);
  await first.r.bgrewriteaof();
  await first.r.set("after-rewrite", "yes");
  await first.r.incrbyfloat("f", "1.25");
  const expected = await content(first.r, true);
  await kill9(first);
  const redis = await startRedisServer(dir, ["--appendonly", "yes", "--hash-max-listpack-entries", "128"]);
  const b = new Redis({ port: redis.port });
  try {
    assert.deepEqual(await content(b, true), expected);
  } finally {
    b.disconnect();
    await redis.stop();
  }
});

test("a redis-server AOF directory (RDB base + RESP incr) loads into Restash with identical content", { skip: !interop }, async () => {
  const dir = tempDir();
  const redis = await startRedisServer(dir, ["--appendonly", "yes", "--appendfsync", "always"]);
  const b = new Redis({ port: redis.port });
  await fill(b);
  await b.bgrewriteaof();
  for (let i = 0; i < 100 && /aof_rewrite_in_progress:1/.test(await b.info("persistence")); i++) await new Promise((res) => setTimeout(res, 20));
  await b.set("after", "rewrite");
  await b.expire("after", 5000);
  await b.spop("set:strings");
  const expected = await content(b, true);
  b.disconnect();
  await redis.stop();
  const copy = tempDir();
  cpSync(dir, copy, { recursive: true });
  await restartAndCheck(copy, async (r) => {
    assert.deepEqual(await content(r, true), expected);
  });
});

test("a pre-7.0 single-file appendonly.aof is loaded and moved into the AOF directory", async () => {
  const dir = tempDir();
  writeFileSync(path.join(dir, "appendonly.aof"), "*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$6\r\nlegacy\r\n$3\r\nyes\r\n");
  const s = await start(dir);
  try {
    assert.equal(await s.r.get("legacy"), "yes");
    assert.ok(!existsSync(path.join(dir, "appendonly.aof")));
    assert.match(readFileSync(path.join(dir, "appendonlydir", "appendonly.aof.manifest"), "latin1"), /^file appendonly\.aof seq 1 type b\n/);
  } finally {
    s.r.disconnect();
    await s.server.stop();
  }
});

test("JSON documents and hash field TTLs survive an AOF rewrite (both held by the base's RDB part)", async () => {
  const dir = tempDir();
  const first = await start(dir);
  const r = first.r;
  if ((await r.call("COMMAND", "INFO", "JSON.SET").catch(() => [null]) as unknown[])[0] === null) {
    await kill9(first);
    return; // no JSON commands in this build
  }
  await r.call("JSON.SET", "doc", "$", '{"a":[1,2,{"b":"c"}],"n":1.5}');
  await r.pexpire("doc", 3600000);
  await r.set("plain", "v");
  await r.hset("h", "keep", "1", "ttl", "2", "gone", "3");
  await r.call("HPEXPIRE", "h", "3600000", "FIELDS", "1", "ttl");
  await r.call("HPEXPIRE", "h", "1", "FIELDS", "1", "gone");
  await new Promise((res) => setTimeout(res, 5));
  await r.bgrewriteaof();
  for (let i = 0; i < 100 && /aof_rewrite_in_progress:1/.test(await r.info("persistence")); i++) await new Promise((res) => setTimeout(res, 20));
  await kill9(first);
  await restartAndCheck(dir, async (r) => {
    assert.equal(await r.call("JSON.GET", "doc"), '{"a":[1,2,{"b":"c"}],"n":1.5}');
    assert.ok((await r.pttl("doc")) > 0);
    assert.equal(await r.get("plain"), "v");
    assert.deepEqual(await r.hgetall("h"), { keep: "1", ttl: "2" });
    assert.deepEqual(await r.call("HTTL", "h", "FIELDS", "2", "keep", "ttl"), [-1, 3600]);
  });
});
