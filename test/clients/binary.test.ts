// Binary safety end to end: all 256 byte values and 1 MB random blobs round-trip unchanged
// through redis-cli, ioredis and redis-py, including written by one client and read by another.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";

let server: SpawnedServer;
let redis: Redis;
const dir = mkdtempSync(path.join(tmpdir(), "restash-binary-"));
const allBytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const blob = randomBytes(1024 * 1024);

before(async () => {
  server = await spawnServer();
  redis = new Redis({ port: server.port, lazyConnect: true });
  await redis.connect();
});
after(async () => {
  redis.disconnect();
  await server.stop();
});

function cliSet(key: string, value: Buffer): void {
  const file = path.join(dir, `${key}.in`);
  writeFileSync(file, value);
  execFileSync("sh", ["-c", `redis-cli -p ${server.port} -x set ${key} < ${file}`]);
}

function cliGet(key: string): Buffer {
  const out = execFileSync("redis-cli", ["-p", String(server.port), "--raw", "get", key], { maxBuffer: 8 * 1024 * 1024 });
  return out.subarray(0, out.length - 1); // redis-cli adds a newline
}

function pySet(key: string, value: Buffer): void {
  const file = path.join(dir, `${key}.py.in`);
  writeFileSync(file, value);
  execFileSync("/usr/bin/python3", ["-c", `import redis,sys; r=redis.Redis(port=${server.port}); r.set(sys.argv[1], open(sys.argv[2],'rb').read())`, key, file]);
}

function pyGet(key: string): Buffer {
  const file = path.join(dir, `${key}.py.out`);
  execFileSync("/usr/bin/python3", ["-c", `import redis,sys; r=redis.Redis(port=${server.port}); open(sys.argv[2],'wb').write(r.get(sys.argv[1]))`, key, file]);
  return readFileSync(file);
}

for (const [label, value] of [["all 256 byte values", allBytes], ["1 MB random blob", blob]] as const) {
  test(`${label}: redis-cli writes, everyone reads`, async () => {
    cliSet("cli", value);
    assert.ok(cliGet("cli").equals(value));
    assert.ok((await redis.getBuffer("cli"))!.equals(value));
    assert.ok(pyGet("cli").equals(value));
  });

  test(`${label}: ioredis writes, everyone reads`, async () => {
    await redis.set("io", value);
    assert.ok((await redis.getBuffer("io"))!.equals(value));
    assert.ok(cliGet("io").equals(value));
    assert.ok(pyGet("io").equals(value));
  });

  test(`${label}: redis-py writes, everyone reads`, async () => {
    pySet("py", value);
    assert.ok(pyGet("py").equals(value));
    assert.ok((await redis.getBuffer("py"))!.equals(value));
    assert.ok(cliGet("py").equals(value));
  });
}

test("binary keys and STRLEN count bytes", async () => {
  const key = Buffer.from([0, 255, 13, 10, 200]);
  await redis.set(key, allBytes);
  assert.equal(await redis.strlen(key), 256);
  assert.ok((await redis.getBuffer(key))!.equals(allBytes));
});
