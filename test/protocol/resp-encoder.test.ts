import { test } from "node:test";
import assert from "node:assert/strict";
import { encode } from "../../src/protocol/resp-encoder.js";
import * as R from "../../src/protocol/reply.js";
import { formatDouble } from "../../src/protocol/number-format.js";

test("RESP2 encodings", () => {
  assert.equal(encode(R.OK, 2), "+OK\r\n");
  assert.equal(encode(R.error("ERR bad\r\nthing"), 2), "-ERR bad  thing\r\n");
  assert.equal(encode(R.int(-5), 2), ":-5\r\n");
  assert.equal(encode(R.int(9223372036854775807n), 2), ":9223372036854775807\r\n");
  assert.equal(encode(R.bulk("\x00\xff"), 2), "$2\r\n\x00\xff\r\n");
  assert.equal(encode(R.NIL, 2), "$-1\r\n");
  assert.equal(encode(R.NIL_ARRAY, 2), "*-1\r\n");
  assert.equal(encode(R.record({ a: R.int(1) }), 2), "*2\r\n$1\r\na\r\n:1\r\n");
  assert.equal(encode(R.double(1.5), 2), "$3\r\n1.5\r\n");
  assert.equal(encode(R.bool(true), 2), ":1\r\n");
  assert.equal(encode(R.set([R.bulk("x")]), 2), "*1\r\n$1\r\nx\r\n");
  assert.equal(encode(R.verbatim("hi"), 2), "$2\r\nhi\r\n");
  assert.equal(encode(R.NO_REPLY, 2), "");
});

test("RESP3 encodings", () => {
  assert.equal(encode(R.NIL, 3), "_\r\n");
  assert.equal(encode(R.NIL_ARRAY, 3), "_\r\n");
  assert.equal(encode(R.record({ a: R.int(1) }), 3), "%1\r\n$1\r\na\r\n:1\r\n");
  assert.equal(encode(R.double(-Infinity), 3), ",-inf\r\n");
  assert.equal(encode(R.bool(false), 3), "#f\r\n");
  assert.equal(encode(R.set([R.bulk("x")]), 3), "~1\r\n$1\r\nx\r\n");
  assert.equal(encode(R.push([R.bulk("message")]), 3), ">1\r\n$7\r\nmessage\r\n");
  assert.equal(encode(R.verbatim("hi"), 3), "=6\r\ntxt:hi\r\n");
  assert.equal(encode(R.bignum(12345678901234567890n), 3), "(12345678901234567890\r\n");
});

test("doubles print like %.17g", () => {
  assert.equal(formatDouble(1.5), "1.5");
  assert.equal(formatDouble(1.1), "1.1000000000000001");
  assert.equal(formatDouble(0), "0");
  assert.equal(formatDouble(100), "100");
  assert.equal(formatDouble(1e20), "1e+20");
  assert.equal(formatDouble(1.5e-7), "1.4999999999999999e-07");
  assert.equal(formatDouble(0.0001), "0.0001");
  assert.equal(formatDouble(123456789012345680), "1.2345678901234568e+17");
  assert.equal(formatDouble(Infinity), "inf");
});

