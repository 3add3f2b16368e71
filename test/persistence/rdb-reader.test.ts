// RdbInput reading strings from a file-like source that hands over a few bytes at a time: short
// strings are cut from the buffer's text, which must follow every refill; long ones are decoded
// directly. Every byte value must come back as the same char.

import { test } from "node:test";
import assert from "node:assert/strict";
import { RdbInput } from "../../src/persistence/rdb-reader.js";
import { rng } from "../helpers/in-process.js";

test("strings read through refills come back byte for byte", () => {
  const random = rng(11);
  const expected: string[] = [];
  const parts: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const n = random(60); // 6-bit lengths: short (cut) and long (decoded) strings
    const bytes = Array.from({ length: n }, () => random(256));
    expected.push(String.fromCharCode(...bytes));
    parts.push(n, ...bytes);
  }
  const data = Buffer.from(parts);
  let at = 0;
  const input = new RdbInput(Buffer.alloc(0), (buf, offset, length) => {
    const n = Math.min(length, 1 + random(9), data.length - at);
    data.copy(buf, offset, at, at + n);
    at += n;
    return n;
  });
  for (const s of expected) assert.equal(input.string(), s);
  assert.equal(at, data.length);
});
