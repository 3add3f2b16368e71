// The encodings inside RDB blobs: listpack integers at every width boundary and strings of every
// length class, intsets of each width, ziplists as Redis < 7 wrote them, and LZF round trips.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { ListpackBuilder, readIntset, readListpack, readZiplist, writeIntset } from "../../src/persistence/encodings.js";
import { lzfCompress, lzfDecompress } from "../../src/persistence/lzf.js";

test("listpacks keep integers at every encoding boundary and strings of every length class", () => {
  const values = ["0", "127", "128", "-1", "-4096", "4095", "4096", "-32768", "32767", "32768", "-8388608", "8388607", "8388608",
    "-2147483648", "2147483647", "2147483648", "-9223372036854775808", "9223372036854775807", "007", "+1", "-0", "",
    "a".repeat(63), "b".repeat(64), "c".repeat(4095), "d".repeat(4096), "\x00\xff"];
  const lp = new ListpackBuilder();
  for (const v of values) lp.addString(v);
  const blob = Buffer.from(lp.finish());
  assert.equal(blob.readUInt32LE(0), blob.length);
  assert.equal(blob.readUInt16LE(4), values.length);
  assert.deepEqual(readListpack(blob)!.map(String), values);
  assert.equal(readListpack(blob.subarray(0, blob.length - 1)), null);
});

test("intsets pick the narrowest width and come back sorted", () => {
  assert.equal(writeIntset(["3", "-2", "1"]).readUInt32LE(0), 2);
  assert.equal(writeIntset(["70000"]).readUInt32LE(0), 4);
  assert.equal(writeIntset(["-9223372036854775808", "1"]).readUInt32LE(0), 8);
  assert.deepEqual(readIntset(writeIntset(["5", "-9223372036854775808", "40000", "1"])), ["-9223372036854775808", "1", "5", "40000"]);
});

test("ziplists as Redis 6 wrote them are read (strings, 4-bit, 8/16/24/32/64-bit integers)", () => {
  // zlbytes, zltail, zllen, then entries: "ab", 12 (4-bit), -5 (int8), 1000 (int16), 100000 (int24), 2^31 (int64), end.
  const entries = [
    [0x00, 0x02, 0x61, 0x62],
    [0x04, 0xfd],
    [0x02, 0xfe, 0xfb],
    [0x02, 0xc0, 0xe8, 0x03],
    [0x04, 0xf0, 0xa0, 0x86, 0x01],
    [0x05, 0xe0, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00],
  ];
  const body = Buffer.from(entries.flat());
  const zl = Buffer.alloc(10 + body.length + 1);
  zl.writeUInt32LE(zl.length, 0);
  zl.writeUInt16LE(entries.length, 8);
  body.copy(zl, 10);
  zl[zl.length - 1] = 0xff;
  assert.deepEqual(readZiplist(zl)!.map(String), ["ab", "12", "-5", "1000", "100000", "2147483648"]);
});

test("LZF compresses repetitive data and round-trips random data", () => {
  const text = Buffer.from("abcabcabc".repeat(500));
  const out = Buffer.alloc(text.length);
  const n = lzfCompress(text, out);
  assert.ok(n > 0 && n < text.length / 10);
  assert.deepEqual(lzfDecompress(out.subarray(0, n), text.length), text);
  for (let i = 0; i < 200; i++) {
    const data = Buffer.concat([randomBytes(i * 3), Buffer.alloc(i * 5, i), randomBytes(i)]);
    const buf = Buffer.alloc(data.length + 64);
    const len = lzfCompress(data, buf);
    if (len > 0) assert.deepEqual(lzfDecompress(buf.subarray(0, len), data.length), data);
  }
  assert.equal(lzfDecompress(Buffer.from([0xe0, 0xff]), 10), null);
});
