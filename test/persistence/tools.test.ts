// The data tools: `restash check-aof [--fix]`, `restash import` of RDB / AOF / JSONL files,
// `restash export` as JSONL (and its import), `restash restore`, and `redis-cli --pipe`.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { spawnServer } from "../helpers/spawn-server.js";
import { content, fill } from "./fixture.js";
import { respCommand } from "../../src/persistence/aof-reader.js";

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/cli.js");
const tempDir = () => mkdtempSync(path.join(tmpdir(), "restash-tools-"));
const SERVER_ARGS = ["--http-port", "-1", "--save", ""];

function restash(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("check-aof reports a valid file, and --fix cuts a truncated tail", () => {
  const dir = tempDir();
  const file = path.join(dir, "appendonly.aof");
  writeFileSync(file, respCommand(["SELECT", "0"]) + respCommand(["SET", "a", "1"]));
  const whole = statSync(file).size;
  let r = restash("check-aof", file);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /is valid/);
  appendFileSync(file, "*3\r\n$3\r\nSET\r\n$1\r\nb");
  r = restash("check-aof", file);
  assert.equal(r.status, 1);
  assert.match(r.stdout, /is not valid \(truncated at offset \d+\)\. Use the --fix option/);
  r = restash("check-aof", "--fix", file);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Successfully truncated AOF/);
  assert.equal(statSync(file).size, whole);
});

test("import loads an RDB and an AOF directory into a running server; export/import JSONL round-trips", async () => {
  const source = await spawnServer([...SERVER_ARGS, "--appendonly", "yes"]);
  const a = new Redis({ port: source.port });
  await fill(a);
  const expected = await content(a, true);
  await a.save();
  const target = await spawnServer(SERVER_ARGS);
  const b = new Redis({ port: target.port });
  const sourceDir = (await a.config("GET", "dir"))[1] as string;
  try {
    let r = restash("import", path.join(sourceDir, "dump.rdb"), "--port", String(target.port));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(await content(b, true), expected);

    await b.flushall();
    r = restash("import", path.join(sourceDir, "appendonlydir"), "--port", String(target.port));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.deepEqual(await content(b, true), expected);

    const jsonl = path.join(tempDir(), "out.jsonl");
    r = restash("export", "--port", String(source.port), "--match", "*", "--output", jsonl);
    assert.equal(r.status, 0, r.stderr);
    const lines = readFileSync(jsonl, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(lines.find((l) => l.key === "str:small"), { key: "str:small", type: "string", value: "hello" });
    // A record with bytes that are not UTF-8 has all its byte strings (the key too) in base64.
    const binary = lines.find((l) => l.key === Buffer.from("str:binary").toString("base64"));
    assert.deepEqual(binary, { key: Buffer.from("str:binary").toString("base64"), type: "string", value: Buffer.from([0, 1, 2, 13, 10, 255, 254, 128]).toString("base64"), encoding: "base64" });
    assert.deepEqual(lines.find((l) => l.key === "hash:small").value, { f1: "v1", f2: "22", f3: "" });
    assert.ok(lines.find((l) => l.key === "hash:small").ttl_ms > 0);
    await b.flushall();
    r = restash("import", jsonl, "--port", String(target.port));
    assert.equal(r.status, 0, r.stdout + r.stderr);
    const exported = await content(b, true, [0]);
    for (const [key, value] of Object.entries(exported)) {
      // JSONL keeps values, types and TTLs; streams lose their consumer groups.
      if (key.startsWith("0/stream")) continue;
      assert.deepEqual(value, expected[key], key);
    }

    r = restash("export", "--port", String(source.port), "--match", "zset:*", "--type", "zset");
    assert.deepEqual(r.stdout.trim().split("\n").map((l) => JSON.parse(l).key).sort(), ["zset:big", "zset:small"]);
    assert.deepEqual(JSON.parse(r.stdout.split("\n").find((l) => l.includes('"zset:small"'))!).value.slice(0, 2), [["e", "-inf"], ["c", -3]]);
  } finally {
    a.disconnect();
    b.disconnect();
    await source.stop();
    await target.stop();
  }
});

test("restore makes a snapshot the data of a stopped server, keeping the old data aside", async () => {
  const snapDir = tempDir();
  const first = await spawnServer([...SERVER_ARGS, "--dir", snapDir]);
  const a = new Redis({ port: first.port });
  await a.set("from", "snapshot");
  await a.save();
  a.disconnect();
  await first.stop();
  const dir = tempDir();
  writeFileSync(path.join(dir, "dump.rdb"), "old");
  const r = restash("restore", path.join(snapDir, "dump.rdb"), "--dir", dir);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /restored 1 keys/);
  assert.ok(readFileSync(path.join(dir, "dump.rdb")).toString("latin1").startsWith("REDIS"));
  const server = await spawnServer([...SERVER_ARGS, "--dir", dir]);
  const b = new Redis({ port: server.port });
  assert.equal(await b.get("from"), "snapshot");
  b.disconnect();
  await server.stop();
  assert.ok(existsSync(dir));
});

test("redis-cli --pipe mass-inserts into Restash", async () => {
  const server = await spawnServer(SERVER_ARGS);
  const file = path.join(tempDir(), "cmds.txt");
  let text = "";
  for (let i = 0; i < 5000; i++) text += respCommand(["SET", `pipe:${i}`, "x".repeat(i % 100)]);
  text += respCommand(["INCR", "pipe:counter"]);
  writeFileSync(file, text, "latin1");
  const r = spawnSync("sh", ["-c", `redis-cli -p ${server.port} --pipe < ${file}`], { encoding: "utf8" });
  assert.match(r.stdout, /errors: 0, replies: 5001/);
  const c = new Redis({ port: server.port });
  assert.equal(await c.dbsize(), 5001);
  assert.equal(await c.get("pipe:4999"), "x".repeat(99));
  c.disconnect();
  await server.stop();
});
