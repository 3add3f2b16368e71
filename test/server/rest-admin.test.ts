// REST admin endpoints on a spawned server: /admin/export streams JSONL by key pattern and type
// (the records `restash export` writes), /admin/import stores JSONL records (kept by the AOF like
// any write), and only the full-access token may use them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/cli.js");

/** fetch on the server's REST API with the full-access token unless another is given (null: none). */
async function call(server: SpawnedServer, route: string, init: RequestInit & { token?: string | null } = {}) {
  const { token, ...rest } = init;
  const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token ?? server.restToken}` };
  const res = await fetch(server.restUrl + route, { ...rest, headers });
  return { status: res.status, type: res.headers.get("content-type"), body: await res.text() };
}

const lines = (body: string) => body.split("\n").filter(Boolean).sort();

test("GET /admin/export streams JSONL by pattern and type, the records `restash export` writes", async () => {
  const server = await spawnServer(["--save", ""]);
  const r = new Redis({ port: server.port });
  try {
    await r.set("snapshot:1", "text");
    await r.hset("snapshot:2", "role", "user", "n", "3");
    await r.rpush("snapshot:3", "a", "b");
    await r.pexpire("snapshot:3", 600000);
    await r.set("snapshot:bin", Buffer.from([0xff, 0x00]));
    await r.set("other", "x");
    const all = await call(server, "/admin/export?match=snapshot:*");
    assert.equal(all.status, 200);
    assert.equal(all.type, "application/x-ndjson");
    const records = lines(all.body).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(records.map((x) => x.key).sort(), ["c25hcHNob3Q6Ymlu", "snapshot:1", "snapshot:2", "snapshot:3"]);
    assert.deepEqual(records.find((x) => x.key === "snapshot:2"), { key: "snapshot:2", type: "hash", value: { role: "user", n: "3" } });
    const list = records.find((x) => x.key === "snapshot:3")!;
    assert.ok((list.ttl_ms as number) > 590000 && (list.ttl_ms as number) <= 600000);
    assert.deepEqual(records.find((x) => x.encoding === "base64"), { key: "c25hcHNob3Q6Ymlu", type: "string", value: "/wA=", encoding: "base64" });
    const hashes = await call(server, "/admin/export?match=snapshot:*&type=hash");
    assert.deepEqual(lines(hashes.body), ['{"key":"snapshot:2","type":"hash","value":{"role":"user","n":"3"}}']);
    // The same records as the CLI (TTLs aside, which tick between the two).
    const cli = spawnSync(process.execPath, [CLI, "export", "--port", String(server.port), "--match", "snapshot:*"], { encoding: "utf8" });
    const withoutTtl = (body: string) => lines(body).map((l) => JSON.stringify({ ...JSON.parse(l), ttl_ms: undefined }));
    assert.deepEqual(withoutTtl(all.body).sort(), withoutTtl(cli.stdout).sort());
    assert.equal((await call(server, "/admin/export?match=nothing:*")).body, "");
  } finally {
    r.disconnect();
    await server.stop();
  }
});

test("a big export arrives in many chunks with every key once", async () => {
  const server = await spawnServer(["--save", ""]);
  const r = new Redis({ port: server.port });
  try {
    const pipe = r.pipeline();
    for (let i = 0; i < 20000; i++) pipe.set(`big:${i}`, `value-${i}-${"x".repeat(50)}`);
    await pipe.exec();
    const res = await fetch(`${server.restUrl}/admin/export?match=big:*`, { headers: { authorization: `Bearer ${server.restToken}` } });
    assert.equal(res.headers.get("transfer-encoding"), "chunked");
    let chunks = 0;
    let text = "";
    const decoder = new TextDecoder();
    for await (const chunk of res.body!) {
      chunks++;
      text += decoder.decode(chunk, { stream: true });
    }
    const keys = new Set(lines(text).map((l) => JSON.parse(l).key));
    assert.equal(keys.size, 20000);
    assert.ok(chunks > 1, `${chunks} chunks`);
  } finally {
    r.disconnect();
    await server.stop();
  }
});

test("POST /admin/import stores JSONL records (the AOF keeps them across a restart); ?replace=1 replaces existing keys", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "restash-admin-"));
  const args = ["--dir", dir, "--save", "", "--appendonly", "yes"];
  const server = await spawnServer(args);
  let r = new Redis({ port: server.port });
  let restarted: SpawnedServer | null = null;
  try {
    await r.set("imported:existing", "before");
    const body = [
      '{"key":"imported:s","type":"string","value":"héllo","ttl_ms":600000}',
      '{"key":"imported:z","type":"zset","value":[["a",1],["b","inf"]]}',
      "",
      '{"key":"imported:existing","type":"string","value":"after"}',
      "not json",
      '{"key":"aW1wb3J0ZWQ6Yg==","type":"list","value":["/w==","AA=="],"encoding":"base64"}',
    ].join("\n");
    const res = await call(server, "/admin/import", { method: "POST", body });
    assert.equal(res.status, 200);
    assert.equal(res.body, '{"result":{"imported":3,"existing":1,"errors":1}}');
    assert.equal(await r.get("imported:s"), "héllo");
    assert.ok((await r.pttl("imported:s")) > 590000);
    assert.deepEqual(await r.zrange("imported:z", "0", "-1", "WITHSCORES"), ["a", "1", "b", "inf"]);
    assert.deepEqual(await r.lrangeBuffer("imported:b", 0, -1), [Buffer.from([0xff]), Buffer.from([0])]);
    assert.equal(await r.get("imported:existing"), "before");
    const replaced = await call(server, "/admin/import?replace=1", { method: "POST", body: '{"key":"imported:existing","type":"string","value":"after"}\n' });
    assert.equal(replaced.body, '{"result":{"imported":1,"existing":0,"errors":0}}');
    assert.equal(await r.get("imported:existing"), "after");
    r.disconnect();
    await server.stop();
    restarted = await spawnServer(args);
    r = new Redis({ port: restarted.port });
    assert.equal(await r.get("imported:s"), "héllo");
    assert.equal(await r.get("imported:existing"), "after");
  } finally {
    r.disconnect();
    await restarted?.stop();
    await server.stop();
  }
});

test("the admin endpoints: 401 without a valid token, refused to the read-only token, 404/405 for other routes", async () => {
  const server = await spawnServer(["--save", "", "--rest-readonly-token", "read-only-secret"]);
  try {
    const missing = await call(server, "/admin/export", { token: null });
    assert.deepEqual([missing.status, missing.body], [401, '{"error":"WRONGPASS invalid or missing auth token"}']);
    assert.equal((await call(server, "/admin/import", { method: "POST", body: "", token: "wrong" })).status, 401);
    const ro = await call(server, "/admin/export?match=*", { token: "read-only-secret" });
    assert.deepEqual([ro.status, ro.type, ro.body], [403, "application/json", '{"error":"NOPERM this user has no permissions to use /admin/export"}']);
    const roImport = await call(server, "/admin/import", { method: "POST", body: '{"key":"k","type":"string","value":"v"}', token: "read-only-secret" });
    assert.deepEqual([roImport.status, roImport.body], [403, '{"error":"NOPERM this user has no permissions to use /admin/import"}']);
    assert.equal((await call(server, "/get/k")).body, '{"result":null}');
    assert.equal((await call(server, "/admin/other")).status, 404);
    assert.equal((await call(server, "/admin/export", { method: "POST", body: "" })).status, 405);
    assert.equal((await call(server, "/admin/import")).status, 405);
  } finally {
    await server.stop();
  }
});
