// Hash field TTLs in RDB files and DUMP payloads: Redis 7.4's listpack-ex and metadata hash types
// (RDB version 12 only when some hash has field TTLs), kept through SAVE + DEBUG RELOAD and
// DUMP/RESTORE, fields already expired dropped at load (kept for an AOF base), and the byte layout
// checked against payloads built by hand from Redis's rdb.c.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { testServer, type TestClient } from "../helpers/in-process.js";
import { crc64 } from "../../src/persistence/crc64.js";
import { loadRdbFile } from "../../src/persistence/rdb.js";
import { Config } from "../../src/config.js";
import { Server } from "../../src/server/server.js";
import type { HashValue } from "../../src/engine/types/hash.js";

const tempDir = () => mkdtempSync(path.join(tmpdir(), "restash-hfe-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A far-future base time for field expiries (ms). */
const BASE = Date.now() + 3_600_000;

/** Every field of key with its HPEXPIRETIME (-1: none), and the hash's encoding. */
function fieldTimes(client: TestClient, key: string): { fields: [string, unknown][]; encoding: unknown } {
  const names = (client.call("hkeys", key) as string[]).sort();
  const times = client.call("hpexpiretime", key, "FIELDS", names.length, ...names) as number[];
  return { fields: names.map((name, i) => [name, times[i]]), encoding: client.call("object", "encoding", key) };
}

/** A small hash (listpack-ex), a big one (metadata) with TTLs on some fields, and a plain one. */
function fillTimed(client: TestClient): void {
  client.call("hset", "small", "a", "1", "b", "2", "c", "3");
  client.call("hpexpireat", "small", BASE + 2000, "FIELDS", "1", "a");
  client.call("hpexpireat", "small", BASE + 1000, "FIELDS", "1", "b");
  for (let i = 0; i < 300; i++) client.call("hset", "big", `f${i}`, `v${i}`);
  for (let i = 0; i < 300; i += 3) client.call("hpexpireat", "big", BASE + i * 7, "FIELDS", "1", `f${i}`);
  client.call("hset", "plain", "x", "y");
}

const rdbHeader = (dir: string) => readFileSync(path.join(dir, "dump.rdb")).toString("latin1", 0, 9);
/** The RDB version in a DUMP payload's footer. */
const payloadVersion = (payload: string) => Buffer.from(payload, "latin1").readUInt16LE(payload.length - 10);

test("field TTLs survive SAVE and DEBUG RELOAD in both encodings; the file is RDB 12 only while some hash has them", () => {
  const dir = tempDir();
  const { client } = testServer({ dir, save: "", "enable-debug-command": "yes" });
  fillTimed(client);
  const before = ["small", "big", "plain"].map((key) => fieldTimes(client, key));
  assert.deepEqual(before.map((b) => b.encoding), ["listpackex", "hashtable", "listpack"]);
  assert.deepEqual(before[0].fields, [["a", BASE + 2000], ["b", BASE + 1000], ["c", -1]]);
  assert.equal(client.call("debug", "reload"), "OK");
  assert.equal(rdbHeader(dir), "REDIS0012");
  assert.deepEqual(["small", "big", "plain"].map((key) => fieldTimes(client, key)), before);
  assert.deepEqual(client.call("hget", "big", "f299"), "v299");
  // Once no hash has field TTLs, the file is Redis 7.0's again.
  client.call("hpersist", "small", "FIELDS", "2", "a", "b");
  client.call("del", "big");
  client.call("save");
  assert.equal(rdbHeader(dir), "REDIS0010");
  assert.equal(client.call("debug", "reload"), "OK");
  assert.deepEqual(client.call("hpexpiretime", "small", "FIELDS", "1", "a"), [-1]);
});

test("fields whose TTL passed are dropped at load, a hash left empty is not loaded; an AOF base keeps them", async () => {
  const dir = tempDir();
  const { client } = testServer({ dir, save: "" });
  client.call("hset", "h", "keep", "1", "soon", "2", "later", "3");
  client.call("hpexpire", "h", "40", "FIELDS", "1", "soon");
  client.call("hpexpireat", "h", BASE, "FIELDS", "1", "later");
  client.call("hset", "gone", "x", "1");
  client.call("hpexpire", "gone", "40", "FIELDS", "1", "x");
  client.call("save");
  await sleep(80);
  const file = path.join(dir, "dump.rdb");

  const loaded = new Server(new Config());
  const result = loadRdbFile(loaded, file);
  const db = loaded.dbs[0];
  const h = db.rawEntry("h")!.value as HashValue;
  assert.deepEqual([...h.fields.keys()].sort(), ["keep", "later"]);
  assert.equal(h.fieldTtl("later"), BASE);
  assert.equal(db.rawEntry("gone"), undefined);
  assert.deepEqual([result.keys, result.expired], [1, 1]);
  assert.equal(db.hashFieldExpiry.get("h"), BASE, "loaded hashes are queued for active field expiry");

  const aofBase = new Server(new Config());
  loadRdbFile(aofBase, file, { keepExpired: true });
  const kept = aofBase.dbs[0].rawEntry("h")!.value as HashValue;
  assert.deepEqual([...kept.fields.keys()].sort(), ["keep", "later", "soon"]);
  assert.ok(kept.fieldTtl("soon") > 0 && kept.fieldTtl("soon") < Date.now());
  assert.ok(aofBase.dbs[0].rawEntry("gone") !== undefined);
});

test("DUMP/RESTORE keeps field TTLs (payload version 12 only with them) and drops fields already expired", async () => {
  const { client, server } = testServer();
  fillTimed(client);
  for (const key of ["small", "big", "plain"]) {
    const payload = client.call("dump", key) as string;
    assert.equal(payloadVersion(payload), key === "plain" ? 10 : 12);
    assert.equal(client.call("restore", `${key}:copy`, "0", payload), "OK");
    assert.deepEqual(fieldTimes(client, `${key}:copy`), fieldTimes(client, key));
  }
  client.call("hset", "e", "keep", "1", "soon", "2");
  client.call("hpexpire", "e", "30", "FIELDS", "1", "soon");
  const partly = client.call("dump", "e") as string;
  client.call("hset", "all", "x", "1");
  client.call("hpexpire", "all", "30", "FIELDS", "1", "x");
  const wholly = client.call("dump", "all") as string;
  await sleep(60);
  assert.equal(client.call("restore", "e:copy", "0", partly), "OK");
  assert.deepEqual([...(server.dbs[0].rawEntry("e:copy")!.value as HashValue).fields.keys()], ["keep"]);
  assert.equal(client.call("restore", "all:copy", "0", wholly), "OK");
  assert.equal(client.call("exists", "all:copy"), 0);
  client.call("set", "old", "v");
  assert.equal(client.call("restore", "old", "0", wholly, "REPLACE"), "OK");
  assert.equal(client.call("exists", "old"), 0);
});

// ---- Byte layouts, built by hand as Redis 7.4's rdb.c writes them --------------------------------

/** An RDB length (6, 14 or 32 bits, or 64 bits for bigger values). */
function len(n: number): number[] {
  if (n < 64) return [n];
  if (n < 16384) return [0x40 | (n >> 8), n & 0xff];
  if (n <= 0xffffffff) return [0x80, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return [0x81, ...b];
}
/** A string as rdbSaveRawString writes it: small integers int-encoded (INT8 here), else length + bytes. */
const str = (s: string): number[] => (/^(0|-?[1-9]\d?)$/.test(s) ? [0xc0, Number(s) & 0xff] : [...len(s.length), ...Buffer.from(s, "latin1")]);
function millis(ms: number): number[] {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(ms));
  return [...b];
}
/** A DUMP payload: value bytes, version (2 bytes LE), CRC64 of both. */
function payload(body: number[], version: number): string {
  const data = Buffer.from([...body, version & 0xff, version >> 8]);
  return Buffer.concat([data, crc64(data).bytes()]).toString("latin1");
}

const T = 4102444800000; // 2100-01-01, in ms

test("DUMP writes Redis 7.4's listpack-ex and metadata layouts byte for byte, and RESTORE reads them", () => {
  const { client } = testServer();
  // RDB_TYPE_HASH_LISTPACK_EX: min expiry, then a listpack of field, value, TTL triples ordered by
  // TTL (fields without one last, with TTL 0).
  const lp = [
    ...[0x81, 0x62, 0x02], // "b"
    ...[0x02, 0x01], // 2
    ...[0xf4, ...millis(T), 0x09], // T as an int64 entry
    ...[0x81, 0x61, 0x02], // "a"
    ...[0x01, 0x01], // 1
    ...[0x00, 0x01], // 0: no TTL
  ];
  const total = 6 + lp.length + 1;
  const listpack = [total & 0xff, total >> 8, 0, 0, 6, 0, ...lp, 0xff];
  const listpackEx = payload([25, ...millis(T), ...len(listpack.length), ...listpack], 12);
  client.call("hset", "lp", "a", "1", "b", "2");
  client.call("hpexpireat", "lp", T, "FIELDS", "1", "b");
  assert.equal(client.call("dump", "lp"), listpackEx);
  client.call("restore", "lp:hand", "0", listpackEx);
  assert.deepEqual(fieldTimes(client, "lp:hand"), { fields: [["a", -1], ["b", T]], encoding: "listpackex" });

  // RDB_TYPE_HASH_METADATA: min expiry, field count, then per field: TTL relative to the min
  // expiry plus one (0 = none), name, value.
  const metadata = payload([24, ...millis(T), 3, 1, ...str("a"), ...str("1"), 0, ...str("b"), ...str("2"), ...len(1001), ...str("c"), ...str("3")], 12);
  client.call("config", "set", "hash-max-listpack-entries", "2");
  client.call("hset", "ht", "a", "1", "b", "2", "c", "3");
  client.call("hpexpireat", "ht", T, "FIELDS", "1", "a");
  client.call("hpexpireat", "ht", T + 1000, "FIELDS", "1", "c");
  assert.equal(client.call("dump", "ht"), metadata);
  client.call("restore", "ht:hand", "0", metadata);
  assert.deepEqual(fieldTimes(client, "ht:hand"), { fields: [["a", T], ["b", -1], ["c", T + 1000]], encoding: "hashtable" });

  // The 7.4 release candidates' layout (RDB_TYPE_HASH_METADATA_PRE_GA): no min expiry, absolute TTLs.
  const preGa = payload([22, 2, ...len(T), ...str("a"), ...str("1"), 0, ...str("b"), ...str("2")], 12);
  client.call("restore", "pre:hand", "0", preGa);
  assert.deepEqual(fieldTimes(client, "pre:hand"), { fields: [["a", T], ["b", -1]], encoding: "listpackex" });

  // A listpack-ex whose triples are incomplete is refused.
  const broken = [total - 2, 0, 0, 0, 5, 0, ...lp.slice(0, -2), 0xff];
  assert.throws(() => client.call("restore", "bad", "0", payload([25, ...millis(T), ...len(broken.length), ...broken], 12)), { message: "ERR Bad data format" });
  // Versions past 12 are refused.
  assert.throws(() => client.call("restore", "bad", "0", payload([0, ...str("x")], 13)), { message: "ERR DUMP payload version or checksum are wrong" });
});
