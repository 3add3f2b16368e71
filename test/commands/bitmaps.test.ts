import { test } from "node:test";
import assert from "node:assert/strict";
import { recordEvents, rng, testServer } from "../helpers/in-process.js";

const WRONGTYPE = /^Error: WRONGTYPE Operation against a key holding the wrong kind of value$/;
const SYNTAX = /^Error: ERR syntax error$/;
const BAD_OFFSET = /^Error: ERR bit offset is not an integer or out of range$/;

/** Reference popcount of a byte string. */
function popcount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) for (let c = s.charCodeAt(i); c; c >>= 1) n += c & 1;
  return n;
}

test("SETBIT returns the old bit, grows the value with zeros and GETBIT reads past the end as 0", () => {
  const { client } = testServer();
  assert.equal(client.call("setbit", "k", 7, 1), 0);
  assert.equal(client.call("get", "k"), "\x01");
  assert.equal(client.call("setbit", "k", 7, 0), 1);
  assert.equal(client.call("setbit", "k", 17, 1), 0);
  assert.equal(client.call("get", "k"), "\x00\x00\x40");
  assert.equal(client.call("getbit", "k", 17), 1);
  assert.equal(client.call("getbit", "k", 16), 0);
  assert.equal(client.call("getbit", "k", 1000), 0);
  assert.equal(client.call("getbit", "missing", 3), 0);
  assert.equal(client.call("setbit", "new", 0, 0), 0);
  assert.equal(client.call("get", "new"), "\x00");
});

test("SETBIT and GETBIT argument errors", () => {
  const { client } = testServer();
  assert.throws(() => client.call("setbit", "k", 0, 2), /^Error: ERR bit is not an integer or out of range$/);
  assert.throws(() => client.call("setbit", "k", -1, 1), BAD_OFFSET);
  assert.throws(() => client.call("setbit", "k", 4294967296, 1), BAD_OFFSET);
  assert.throws(() => client.call("getbit", "k", "abc"), BAD_OFFSET);
  client.call("lpush", "l", "a");
  assert.throws(() => client.call("setbit", "l", 0, 1), WRONGTYPE);
  assert.throws(() => client.call("getbit", "l", 0), WRONGTYPE);
});

test("SETBIT on a large value edits it in place and reads stay consistent", () => {
  const { client } = testServer();
  client.call("set", "big", "\xff".repeat(100_000));
  assert.equal(client.call("setbit", "big", 8 * 50_000 + 3, 0), 1);
  assert.equal(client.call("getbit", "big", 8 * 50_000 + 3), 0);
  assert.equal(client.call("bitcount", "big"), 800_000 - 1);
  assert.equal(client.call("bitpos", "big", 0), 8 * 50_000 + 3);
  assert.equal(client.call("setbit", "big", 8 * 100_001, 1), 0);
  assert.equal(client.call("strlen", "big"), 100_002);
  const value = client.call("get", "big") as string;
  assert.equal(value.charCodeAt(50_000), 0xef);
  assert.equal(value.charCodeAt(100_000), 0);
  assert.equal(value.charCodeAt(100_001), 0x80);
});

test("SETBIT raises setbit events and counts a change only when the value changed", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  client.call("setbit", "k", 0, 0);
  const dirty = server.dirty;
  client.call("setbit", "k", 0, 0);
  assert.equal(server.dirty, dirty);
  client.call("setbit", "k", 0, 1);
  assert.equal(server.dirty, dirty + 1);
  client.call("setbit", "k", 90, 0);
  assert.equal(server.dirty, dirty + 2);
  assert.deepEqual(events, ["$:setbit:k", "$:setbit:k", "$:setbit:k"]);
});

test("BITCOUNT counts whole values, BYTE and BIT ranges with negative indexes", () => {
  const { client } = testServer();
  assert.equal(client.call("bitcount", "missing"), 0);
  assert.equal(client.call("bitcount", "missing", 0, 1, "bogus"), 0);
  client.call("set", "s", "foobar");
  assert.equal(client.call("bitcount", "s"), 26);
  assert.equal(client.call("bitcount", "s", 1, -2), popcount("ooba"));
  assert.equal(client.call("bitcount", "s", -2, 1), 0);
  assert.equal(client.call("bitcount", "s", 0, 1000), 26);
  assert.equal(client.call("bitcount", "s", 0, -1, "bit"), 26);
  // "foobar" bits 10..14 are 10111 of 'o' (0x6f = 01101111).
  assert.equal(client.call("bitcount", "s", 10, 14, "BIT"), 4);
  assert.equal(client.call("bitcount", "s", 10, -34, "bit"), 4);
  assert.equal(client.call("bitcount", "s", 4, 4, "bit"), 0);
  assert.equal(client.call("bitcount", "s", 5, 5, "bit"), 1);
  assert.equal(client.call("bitcount", "s", -6, -7), 0);
  assert.throws(() => client.call("bitcount", "s", 0), SYNTAX);
  assert.throws(() => client.call("bitcount", "s", 0, 1, "hello"), SYNTAX);
  assert.throws(() => client.call("bitcount", "s", "a", 1), /^Error: ERR value is not an integer or out of range$/);
});

test("BITCOUNT agrees with a reference count on random ranges", () => {
  const { client } = testServer();
  const rand = rng(7);
  let s = "";
  for (let i = 0; i < 300; i++) s += String.fromCharCode(rand(256));
  client.call("set", "s", s);
  const bits = [...s].map((c) => c.charCodeAt(0).toString(2).padStart(8, "0")).join("");
  for (let i = 0; i < 200; i++) {
    const a = rand(bits.length);
    const b = rand(bits.length);
    const [start, end] = a <= b ? [a, b] : [b, a];
    assert.equal(client.call("bitcount", "s", start, end, "bit"), bits.slice(start, end + 1).replace(/0/g, "").length);
    const bs = start >> 3;
    const be = end >> 3;
    assert.equal(client.call("bitcount", "s", bs, be), popcount(s.slice(bs, be + 1)));
  }
});

test("BITPOS finds set and clear bits, with ranges and the implicit zero padding", () => {
  const { client } = testServer();
  assert.equal(client.call("bitpos", "missing", 0), 0);
  assert.equal(client.call("bitpos", "missing", 1, 0, -1, "bit"), -1);
  client.call("set", "s", "\xff\xf0\x00");
  assert.equal(client.call("bitpos", "s", 0), 12);
  assert.equal(client.call("bitpos", "s", 0, 1, -1, "bit"), 12);
  client.call("set", "s", "\x00\xff\x00");
  assert.equal(client.call("bitpos", "s", 1, 2, -1), -1);
  assert.equal(client.call("bitpos", "s", 0, 1, -1), 16);
  assert.equal(client.call("bitpos", "s", 1, 8, 8, "bit"), 8);
  assert.equal(client.call("bitpos", "s", 0, 8, 8, "bit"), -1);
  client.call("set", "s", "\xff\xff\xff");
  assert.equal(client.call("bitpos", "s", 0), 24);
  assert.equal(client.call("bitpos", "s", 0, 0), 24);
  assert.equal(client.call("bitpos", "s", 0, 0, -1), -1);
  client.call("set", "e", "");
  assert.equal(client.call("bitpos", "e", 0), -1);
  assert.throws(() => client.call("bitpos", "s", 2), /^Error: ERR The bit argument must be 1 or 0\.$/);
  assert.throws(() => client.call("bitpos", "s", 1, 0, 1, "x"), SYNTAX);
});

test("BITOP AND OR XOR NOT pad shorter sources with zeros", () => {
  const { client } = testServer();
  client.call("set", "a", "\x01\x02\xff\xff");
  client.call("set", "b", "\x01\x02\xff");
  assert.equal(client.call("bitop", "and", "r", "a", "b"), 4);
  assert.equal(client.call("get", "r"), "\x01\x02\xff\x00");
  client.call("bitop", "OR", "r", "a", "b", "missing");
  assert.equal(client.call("get", "r"), "\x01\x02\xff\xff");
  client.call("bitop", "xor", "r", "a", "b");
  assert.equal(client.call("get", "r"), "\x00\x00\x00\xff");
  client.call("set", "n", "\xaa\x00\xff\x55");
  client.call("bitop", "not", "n", "n");
  assert.equal(client.call("get", "n"), "\x55\xff\x00\xaa");
});

test("BITOP DIFF DIFF1 ANDOR ONE (Redis 8.2)", () => {
  const { client } = testServer();
  client.call("set", "x", "\xf0\x0f");
  client.call("set", "y", "\xcc");
  client.call("set", "z", "\x0a\x01");
  client.call("bitop", "diff", "r", "x", "y", "z");
  assert.equal(client.call("get", "r"), "\x30\x0e"); // x & ~(y | z)
  client.call("bitop", "diff1", "r", "x", "y", "z");
  assert.equal(client.call("get", "r"), "\x0e\x00"); // ~x & (y | z)
  client.call("bitop", "andor", "r", "x", "y", "z");
  assert.equal(client.call("get", "r"), "\xc0\x01"); // x & (y | z)
  client.call("bitop", "one", "r", "x", "y", "z");
  assert.equal(client.call("get", "r"), "\x36\x0e"); // bits set in exactly one source
  assert.equal(client.call("bitop", "one", "r", "x"), 2);
  assert.equal(client.call("get", "r"), "\xf0\x0f");
});

test("BITOP errors, WRONGTYPE sources and an empty result deleting the destination", () => {
  const { client, server } = testServer();
  const events = recordEvents(server);
  assert.throws(() => client.call("bitop", "not", "d", "a", "b"), /^Error: ERR BITOP NOT must be called with a single source key\.$/);
  assert.throws(() => client.call("bitop", "diff1", "d", "a"), /^Error: ERR BITOP DIFF1 must be called with at least two source keys\.$/);
  assert.throws(() => client.call("bitop", "AndOr", "d", "a"), /^Error: ERR BITOP ANDOR must be called with at least two source keys\.$/);
  assert.throws(() => client.call("bitop", "nand", "d", "a"), SYNTAX);
  client.call("lpush", "l", "x");
  assert.throws(() => client.call("bitop", "or", "d", "l"), WRONGTYPE);
  client.call("set", "d", "old");
  assert.equal(client.call("bitop", "or", "d", "missing1", "missing2"), 0);
  assert.equal(client.call("exists", "d"), 0);
  client.call("set", "a", 1);
  client.call("set", "b", 2);
  assert.equal(client.call("bitop", "xor", "d", "a", "b", "a"), 1);
  assert.equal(client.call("get", "d"), "2");
  assert.deepEqual(events, ["l:lpush:l", "$:set:d", "g:del:d", "$:set:a", "$:set:b", "$:set:d"]);
});

test("BITFIELD SET GET INCRBY with signed and unsigned fields and #n offsets", () => {
  const { client } = testServer();
  assert.deepEqual(client.call("bitfield", "bits", "set", "i8", 0, -100, "set", "i8", 0, 101, "get", "i8", 0), [0, -100, 101]);
  assert.deepEqual(client.call("bitfield", "bits", "set", "u8", 0, 255, "incrby", "u8", 0, 100, "get", "u8", 0), [101, 99, 99]);
  client.call("del", "bits");
  client.call("bitfield", "bits", "set", "u8", "#0", 65, "set", "u8", "#1", 66, "set", "u8", "#2", 67);
  assert.equal(client.call("get", "bits"), "ABC");
  assert.deepEqual(client.call("bitfield", "bits", "get", "u4", 0, "get", "i4", 4, "get", "u16", "#1"), [4, 1, 0x4300]);
  assert.deepEqual(client.call("bitfield", "bits"), []);
  assert.deepEqual(client.call("bitfield", "missing", "get", "i64", 100), [0]);
  assert.deepEqual(client.call("bitfield", "w", "set", "i64", 3, "-9223372036854775808", "get", "i64", 3, "get", "u63", 3), [0, -(2n ** 63n), 2n ** 62n]);
  assert.deepEqual(client.call("bitfield", "mystring", "SET", "i8", 0, 10, "SET", "i8", 64, 10, "INCRBY", "i8", 10, 99900), [0, 0, 60]);
});

test("BITFIELD overflow modes WRAP SAT FAIL", () => {
  const { client } = testServer();
  client.call("bitfield", "b", "set", "u8", 0, 100);
  assert.deepEqual(client.call("bitfield", "b", "overflow", "wrap", "incrby", "u8", 0, 257), [101]);
  assert.deepEqual(client.call("bitfield", "b", "overflow", "sat", "incrby", "u8", 0, 257, "incrby", "u8", 0, -300), [255, 0]);
  assert.deepEqual(client.call("bitfield", "b", "overflow", "sat", "incrby", "i8", 0, 257, "incrby", "i8", 0, -300), [127, -128]);
  assert.deepEqual(client.call("bitfield", "b", "overflow", "fail", "incrby", "i8", 0, -1, "get", "i8", 0), [null, -128]);
  // An unsigned SET takes the argument's 64-bit pattern: -1 is out of range, saturating at the max.
  assert.deepEqual(client.call("bitfield", "b", "overflow", "sat", "set", "u4", 0, -1, "get", "u4", 0), [8, 15]);
  assert.deepEqual(client.call("bitfield", "b", "overflow", "wrap", "set", "i64", 0, "9223372036854775807", "incrby", "i64", 0, 1), [-(2n ** 60n), -(2n ** 63n)]);
});

test("BITFIELD errors and BITFIELD_RO", () => {
  const { client } = testServer();
  const badType = /^Error: ERR Invalid bitfield type\. Use something like i16 u8\. Note that u64 is not supported but i64 is\.$/;
  assert.throws(() => client.call("bitfield", "k", "get", "u64", 0), badType);
  assert.throws(() => client.call("bitfield", "k", "get", "I8", 0), badType);
  assert.throws(() => client.call("bitfield", "k", "get", "i0", 0), badType);
  assert.throws(() => client.call("bitfield", "k", "overflow", "foo"), /^Error: ERR Invalid OVERFLOW type specified$/);
  assert.throws(() => client.call("bitfield", "k", "get", "u8"), SYNTAX);
  assert.throws(() => client.call("bitfield", "k", "set", "u8", 0, "x"), /^Error: ERR value is not an integer or out of range$/);
  assert.throws(() => client.call("bitfield", "k", "get", "u8", "#"), BAD_OFFSET);
  client.call("set", "k", "\xff");
  assert.deepEqual(client.call("bitfield_ro", "k", "get", "u8", 0), [255]);
  assert.throws(() => client.call("bitfield_ro", "k", "set", "u8", 0, 1), /^Error: ERR BITFIELD_RO only supports the GET subcommand$/);
  assert.equal(client.call("get", "k"), "\xff");
  client.call("lpush", "l", "x");
  assert.throws(() => client.call("bitfield", "l", "get", "u8", 0), WRONGTYPE);
});

test("BITFIELD counts a change per modifying subcommand", () => {
  const { client, server } = testServer();
  client.call("bitfield", "f", "set", "i5", 0, 0);
  let dirty = server.dirty;
  client.call("bitfield", "f", "set", "i5", 0, 0);
  assert.equal(server.dirty, dirty);
  client.call("bitfield", "f", "incrby", "i5", 0, 1, "incrby", "i5", 0, 1);
  assert.equal(server.dirty, dirty + 2);
  dirty = server.dirty;
  client.call("bitfield", "f", "set", "i5", 90, 0);
  assert.equal(server.dirty, dirty + 1);
});
