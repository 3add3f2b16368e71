// The unmodified official @upstash/redis client's redis.json.* methods against a spawned Restash
// over its REST API, once auto-pipelined (its default) and once sending single commands: documents
// round-trip (UTF-8 included), JSONPath replies come back per match, errors carry RedisJSON's texts.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Redis } from "@upstash/redis";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";

let server: SpawnedServer;
let redis: Redis;
let single: Redis;

before(async () => {
  server = await spawnServer();
  redis = new Redis({ url: server.restUrl, token: server.restToken });
  single = new Redis({ url: server.restUrl, token: server.restToken, enableAutoPipelining: false });
});

after(async () => {
  await server.stop();
});

const product = {
  name: "Wireless earbuds",
  connection: { wireless: true, type: "Bluetooth" },
  price: 64.99,
  stock: 17,
  colors: ["black", "white"],
  max_level: [60, 70, 80],
};

for (const [mode, client] of [
  ["auto-pipelined", () => redis],
  ["single-command", () => single],
] as const) {
  test(`${mode}: set and get documents, paths and formatting`, async () => {
    const r = client();
    const k = `${mode}:product`;
    assert.equal(await r.json.set(k, "$", product), "OK");
    assert.deepEqual(await r.json.get(k), product);
    assert.deepEqual(await r.json.get(k, "$"), [product]);
    assert.deepEqual(await r.json.get(k, "$.colors[*]"), ["black", "white"]);
    assert.deepEqual(await r.json.get(k, "$.max_level[-1]"), [80]);
    assert.deepEqual(await r.json.get(k, "$..type", "$.stock"), { "$..type": ["Bluetooth"], "$.stock": [17] });
    assert.deepEqual(await r.json.get(k, "$.missing"), []);
    assert.equal(await r.json.get(`${mode}:none`), null);
    assert.deepEqual(await r.json.get(k, { indent: "  ", newline: "\n", space: " " }, "$.connection"), [product.connection]);
    assert.equal(await r.json.set(k, "$.stock", 20, { nx: true }), null);
    assert.equal(await r.json.set(k, "$.sku", '"A-1"', { nx: true }), "OK");
    assert.equal(await r.json.set(k, "$.discount", 5, { xx: true }), null);
    assert.equal(await r.json.set(k, "$.price", 59.5, { xx: true }), "OK");
    assert.deepEqual(await r.json.get(k, "$.sku", "$.price"), { "$.sku": ["A-1"], "$.price": [59.5] });
    assert.deepEqual(await r.json.type(k, "$..*"), [
      ...["string", "object", "number", "integer", "array", "array", "string"], // the top level
      ...["boolean", "string", "string", "string", "integer", "integer", "integer"], // then depth first
    ]);
    assert.deepEqual(await r.json.type(k, "$.price"), ["number"]);
    assert.deepEqual(await r.json.type(k, "$.stock"), ["integer"]);
  });

  test(`${mode}: numbers, strings and booleans`, async () => {
    const r = client();
    const k = `${mode}:counters`;
    await r.json.set(k, "$", { a: 1, b: [{ a: 2 }, { a: 5.5 }, { a: "c" }], s: "héllo ✓ 😀", ok: false });
    assert.deepEqual(await r.json.numincrby(k, "$..a", 2), [3, 4, 7.5, null]);
    assert.deepEqual(await r.json.nummultby(k, "$.a", 3), [9]);
    assert.deepEqual(await r.json.strlen(k, "$.s"), [Buffer.byteLength("héllo ✓ 😀")]);
    assert.deepEqual(await r.json.strappend(k, "$.s", '" wörld"'), [Buffer.byteLength("héllo ✓ 😀 wörld")]);
    assert.deepEqual(await r.json.get(k, "$.s"), ["héllo ✓ 😀 wörld"]);
    assert.deepEqual(await r.json.toggle(k, "$.ok"), [1]);
    assert.deepEqual(await r.json.toggle(k, "$.ok"), [0]);
    assert.deepEqual(await r.json.get(k, "$.ok", "$.a"), { "$.ok": [false], "$.a": [9] });
  });

  test(`${mode}: arrays`, async () => {
    const r = client();
    const k = `${mode}:arrays`;
    await r.json.set(k, "$", { list: [1, 2, 3], nested: { list: ["x"] }, empty: [] });
    assert.deepEqual(await r.json.arrappend(k, "$..list", '"y"', { z: 1 }), [5, 3]);
    assert.deepEqual(await r.json.arrlen(k, "$..list"), [5, 3]);
    assert.deepEqual(await r.json.arrindex(k, "$.list", 2), [1]);
    assert.deepEqual(await r.json.arrindex(k, "$.list", '"y"', 0, -1), [3]);
    assert.deepEqual(await r.json.arrinsert(k, "$.list", 0, "0", "0.5"), [7]);
    assert.deepEqual(await r.json.get(k, "$.list"), [[0, 0.5, 1, 2, 3, "y", { z: 1 }]]);
    assert.deepEqual(await r.json.arrpop(k, "$.list"), [{ z: 1 }]);
    assert.deepEqual(await r.json.arrpop(k, "$.list", 0), [0]);
    assert.deepEqual(await r.json.arrpop(k, "$.empty"), [null]);
    assert.deepEqual(await r.json.arrtrim(k, "$.list", 1, 2), [2]);
    assert.deepEqual(await r.json.get(k, "$.list"), [[1, 2]]);
    assert.deepEqual(await r.json.arrlen(k, "$.nested"), [null]);
  });

  test(`${mode}: objects, clear, del, forget, merge, resp`, async () => {
    const r = client();
    const k = `${mode}:objects`;
    await r.json.set(k, "$", { a: { x: 1, y: [1, 2] }, b: { x: 2 }, n: 7 });
    assert.deepEqual(await r.json.objkeys(k, "$.a"), [["x", "y"]]);
    assert.deepEqual(await r.json.objlen(k, "$..*"), [2, 1, null, null, null, null, null, null]);
    assert.equal(await r.json.clear(k, "$.a.y"), 1);
    assert.equal(await r.json.clear(k, "$.n"), 1);
    assert.deepEqual(await r.json.get(k, "$.a.y", "$.n"), { "$.a.y": [[]], "$.n": [0] });
    assert.equal(await r.json.merge(k, "$", { a: null, b: { z: [3] }, c: "new" }), "OK");
    assert.deepEqual(await r.json.get(k), { b: { x: 2, z: [3] }, n: 0, c: "new" });
    assert.equal(await r.json.merge(k, "$.b.x", 5), "OK");
    assert.equal(await r.json.del(k, "$..z"), 1);
    assert.equal(await r.json.forget(k, "$.n"), 1);
    assert.deepEqual(await r.json.get(k), { b: { x: 5 }, c: "new" });
    // Removing a key moves the last key into its place, as RedisJSON's objects do.
    assert.deepEqual(await r.json.resp(k), ["{", "c", "new", "b", ["{", "x", 5]]);
    assert.equal(await r.json.del(k), 1);
    assert.equal(await r.exists(k), 0);
  });

  test(`${mode}: mset and mget across keys`, async () => {
    const r = client();
    const [k1, k2, k3] = [`${mode}:m1`, `${mode}:m2`, `${mode}:m3`];
    assert.equal(
      await r.json.mset(
        { key: k1, path: "$", value: { name: "ada", tags: ["a"] } },
        { key: k2, path: "$", value: { name: "bob" } },
      ),
      "OK",
    );
    assert.equal(await r.json.mset({ key: k1, path: "$.name", value: '"eve"' }), "OK");
    assert.deepEqual(await r.json.mget([k1, k2, k3], "$.name"), [["eve"], ["bob"], null]);
  });

  test(`${mode}: errors carry RedisJSON's texts`, async () => {
    const r = client();
    const k = `${mode}:errors`;
    await assert.rejects(r.json.set(`${mode}:fresh`, "$.a", 1), /ERR new objects must be created at the root/);
    await assert.rejects(r.json.set(k, "$", "not json"), /expected ident at line 1 column 2/);
    await assert.rejects(r.json.numincrby(`${mode}:none`, "$.a", 1), /ERR could not perform this operation on a key that doesn't exist/);
    await r.json.set(k, "$", { a: 1 });
    await assert.rejects(r.json.arrappend(k, ".a", 1), /ERR Path '.a' does not exist or not an array/);
    await assert.rejects(r.json.get(k, ".b"), /ERR Path '\$.b' does not exist/);
    await r.set(`${mode}:plain`, "x");
    await assert.rejects(r.json.get(`${mode}:plain`), /Existing key has wrong Redis type/);
    await assert.rejects(r.get(k), /WRONGTYPE Operation against a key holding the wrong kind of value/);
    assert.equal(await r.type(k), "ReJSON-RL");
  });
}

test("json commands in an explicit pipeline and transaction", async () => {
  const p = single.pipeline();
  p.json.set("pj:doc", "$", { n: 1, list: [] });
  p.json.numincrby("pj:doc", "$.n", 1);
  p.json.arrappend("pj:doc", "$.list", '"a"');
  p.json.get("pj:doc", "$");
  assert.deepEqual(await p.exec(), ["OK", [2], [1], [{ n: 2, list: ["a"] }]]);
  const tx = single.multi();
  tx.json.set("pj:doc", "$.n", 10);
  tx.json.get("pj:doc", "$.n");
  assert.deepEqual(await tx.exec(), ["OK", [10]]);
});
