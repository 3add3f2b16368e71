import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { recordEvents, testServer, type TestClient } from "../helpers/in-process.js";

// Reference bytes and counts below were taken from redis-server 7.0.15 after the same commands.

const INVALID_HLL = /^Error: WRONGTYPE Key is not a valid HyperLogLog string value\.$/;
const CORRUPT = /^Error: INVALIDOBJ Corrupted HLL object detected$/;

function hex(client: TestClient, key: string): string {
  return Buffer.from(client.call("get", key) as string, "latin1").toString("hex");
}

function sha256(client: TestClient, key: string): string {
  return createHash("sha256").update(Buffer.from(client.call("get", key) as string, "latin1")).digest("hex");
}

function range(prefix: string, n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

test("PFADD writes Redis's sparse bytes, with a stale cached count", () => {
  const { client } = testServer();
  assert.equal(client.call("pfadd", "h"), 1);
  assert.equal(hex(client, "h"), "48594c4c010000000000000000000080" + "7fff");
  assert.equal(client.call("pfcount", "h"), 0);
  assert.equal(hex(client, "h"), "48594c4c010000000000000000000000" + "7fff");
  client.call("del", "h");
  assert.equal(client.call("pfadd", "h", "a", "b", "c"), 1);
  assert.equal(hex(client, "h"), "48594c4c01000000000000000000008060f38050b1844bfb80425a");
  assert.equal(client.call("pfadd", "h", "a", "b", "c"), 0);
  assert.equal(client.call("pfdebug", "decode", "h"), "Z:8436 v:1,1 Z:4274 v:2,1 Z:3068 v:1,1 Z:603");
  assert.equal(client.call("pfcount", "h"), 3);
  assert.equal(client.call("getrange", "h", 8, 15), "\x03\x00\x00\x00\x00\x00\x00\x00");
});

test("PFADD hashes binary, empty and block-sized elements as Redis (MurmurHash64A)", () => {
  const { client } = testServer();
  client.call("pfadd", "bin", "", "", "abcdefgh", "abcdefghi");
  assert.equal(hex(client, "bin"), "48594c4c01000000000000000000008045668051c98443c3806507");
});

test("sparse HLLs match Redis byte for byte, then promote to dense", () => {
  const { client } = testServer();
  assert.equal(client.call("pfadd", "s", ...range("e", 200)), 1);
  assert.equal(client.call("pfdebug", "encoding", "s"), "sparse");
  assert.equal(sha256(client, "s"), "48e2bfbe29cb081e284a0f7f41ab64b276f3e06f682a30ea27ea8666fd92730c");
  assert.equal(client.call("pfcount", "s"), 200);

  assert.equal(client.call("pfadd", "d", ...range("e", 5000)), 1);
  assert.equal(client.call("pfdebug", "encoding", "d"), "dense");
  assert.equal(client.call("strlen", "d"), 12304);
  assert.equal(sha256(client, "d"), "0a4b61a05c269540574e1293e6e18e69a4e9cb96ade9ecb5b7ff490debf31722");
  assert.equal(client.call("pfcount", "d"), 4968);
  assert.equal(sha256(client, "d"), "bd470063c39f632ff0572b22d3ae558cdc523a5ae6f47e7324ed636dcc84e2ec");
});

test("PFMERGE and multi-key PFCOUNT take the union", () => {
  const { client } = testServer();
  client.call("pfadd", "s", ...range("e", 200));
  client.call("pfadd", "s2", ...range("x", 100));
  client.call("pfadd", "d", ...range("e", 5000));
  assert.equal(client.call("pfmerge", "m", "s", "s2"), "OK");
  assert.equal(sha256(client, "m"), "4425ea530ef9b5b23b568fc360b8e19d01c813d91cceeca01d61ce1e6057f847");
  assert.equal(client.call("pfcount", "m"), 299);
  client.call("pfmerge", "m2", "s", "d");
  assert.equal(sha256(client, "m2"), "0a4b61a05c269540574e1293e6e18e69a4e9cb96ade9ecb5b7ff490debf31722");
  assert.equal(client.call("pfcount", "s", "d", "s2"), 5075);
  assert.equal(client.call("pfcount", "s", "missing"), 200);
});

test("PFADD and PFMERGE raise pfadd events, keep the TTL and count changed registers", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  client.call("pfadd", "h", "a");
  client.call("expire", "h", 100);
  const dirty = server.dirty;
  client.call("pfadd", "h", "b", "c", "d");
  assert.equal(server.dirty, dirty + 3);
  assert.ok((client.call("ttl", "h") as number) > 0);
  client.call("pfmerge", "m", "h");
  assert.deepEqual(events, ["$:pfadd:h", "g:expire:h", "$:pfadd:h", "$:pfadd:m"]);
});

test("PFCOUNT caches the count and PFADD invalidates it only on change", () => {
  const { client } = testServer();
  client.call("pfadd", "h", "a", "b", "c");
  client.call("pfcount", "h");
  assert.equal(client.call("getrange", "h", 15, 15), "\x00");
  client.call("pfadd", "h", "a", "b", "c");
  assert.equal(client.call("getrange", "h", 15, 15), "\x00");
  client.call("pfadd", "h", 1, 2, 3);
  assert.equal(client.call("getrange", "h", 15, 15), "\x80");
  assert.equal(client.call("pfcount", "missing"), 0);
});

test("type checks and corrupted HLLs", () => {
  const { client } = testServer();
  client.call("set", "str", "bar");
  client.call("lpush", "list", "x");
  assert.throws(() => client.call("pfadd", "str", 1), INVALID_HLL);
  assert.throws(() => client.call("pfcount", "str"), INVALID_HLL);
  assert.throws(() => client.call("pfmerge", "str", "h"), INVALID_HLL);
  assert.throws(() => client.call("pfadd", "list", 1), /^Error: WRONGTYPE Operation against a key holding the wrong kind of value$/);
  client.call("pfadd", "h", "a", "b", "c");
  client.call("append", "h", "hello");
  assert.throws(() => client.call("pfcount", "h"), CORRUPT);
  assert.throws(() => client.call("pfcount", "h", "h"), CORRUPT);
  assert.throws(() => client.call("pfmerge", "m", "h"), CORRUPT);
  client.call("del", "h");
  client.call("pfadd", "h", "a");
  client.call("setrange", "h", 4, "\x00");
  assert.throws(() => client.call("pfcount", "h"), INVALID_HLL);
  client.call("setrange", "h", 0, "0123");
  assert.throws(() => client.call("pfadd", "h", "x"), INVALID_HLL);
});

test("PFDEBUG GETREG ENCODING TODENSE DECODE and PFSELFTEST", () => {
  const { client } = testServer();
  client.call("pfadd", "h", "a", "b", "c");
  assert.equal(client.call("pfdebug", "encoding", "h"), "sparse");
  const registers = client.call("pfdebug", "getreg", "h") as number[];
  assert.equal(registers.length, 16384);
  assert.deepEqual([registers[8436], registers[8437 + 4274], registers[8437 + 4274 + 1 + 3068]], [1, 2, 1]);
  assert.equal(registers.reduce((a, b) => a + b, 0), 4);
  assert.equal(client.call("pfdebug", "encoding", "h"), "dense");
  assert.equal(client.call("pfdebug", "todense", "h"), 0);
  assert.throws(() => client.call("pfdebug", "decode", "h"), /^Error: ERR HLL encoding is not sparse$/);
  assert.equal(client.call("pfcount", "h"), 3);
  client.call("pfadd", "h2", "x");
  assert.equal(client.call("pfdebug", "todense", "h2"), 1);
  assert.throws(() => client.call("pfdebug", "getreg", "nokey"), /^Error: ERR The specified key does not exist$/);
  assert.throws(() => client.call("pfdebug", "foo", "h"), /^Error: ERR Unknown PFDEBUG subcommand 'foo'$/);
  assert.equal(client.call("pfselftest"), "OK");
});

test("sparse and dense representations count alike", () => {
  const { client } = testServer();
  for (let round = 0; round < 20; round++) {
    const elements = range(`r${round}:`, 1 + round * 37);
    client.call("del", "a", "b");
    client.call("pfadd", "b");
    client.call("pfdebug", "todense", "b");
    client.call("pfadd", "a", ...elements);
    client.call("pfadd", "b", ...elements);
    assert.equal(client.call("pfdebug", "encoding", "a"), "sparse");
    assert.equal(client.call("pfcount", "a"), client.call("pfcount", "b"));
  }
});

test("hll-sparse-max-bytes bounds the sparse form", () => {
  const { client } = testServer({ "hll-sparse-max-bytes": "30" });
  client.call("pfadd", "h", ...range("e", 20));
  assert.equal(client.call("pfdebug", "encoding", "h"), "dense");
  assert.equal(client.call("pfcount", "h"), 20);
});
