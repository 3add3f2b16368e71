// cjson, cmsgpack, bit and struct as scripts see them; expected values are redis-server 7.0's.

import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer } from "../helpers/in-process.js";

function evaluator() {
  const { client } = testServer();
  const run = (code: string, ...args: string[]) => client.call("eval", code, "0", ...args);
  const hex = (code: string) => Buffer.from(run(code) as string, "latin1").toString("hex");
  return { run, hex };
}

test("cjson.encode: arrays, objects, escapes and %.14g numbers", () => {
  const { run } = evaluator();
  assert.equal(run("return cjson.encode({1,2,{a='x/y'}})"), '[1,2,{"a":"x\\/y"}]');
  assert.equal(run("return cjson.encode('a\\1\\127\\n')"), '"a\\u0001\\u007f\\n"');
  assert.equal(run("return cjson.encode(1/3)"), "0.33333333333333");
  assert.equal(run("return cjson.encode(1e15)"), "1e+15");
  assert.equal(run("return cjson.encode({})"), "{}");
  assert.equal(run("return cjson.encode({[1]=1,[5]=5})"), "[1,null,null,null,5]");
  assert.equal(run("return cjson.encode(cjson.null)"), "null");
  assert.equal(run("return cjson.encode({true,false})"), "[true,false]");
  // Byte strings pass through unchanged (no UTF-8 validation), as in the C library.
  assert.equal(run("return cjson.encode('\\255\\0')"), '"\xff\\u0000"');
});

test("cjson.encode errors", () => {
  const { run } = evaluator();
  assert.throws(() => run("return cjson.encode({[20]=1})"), /^Error: ERR user_script:1: Cannot serialise table: excessively sparse array script: [0-9a-f]{40}, on @user_script:1\.$/);
  assert.throws(() => run("return cjson.encode(1/0)"), /Cannot serialise number: must not be NaN or Inf/);
  assert.throws(() => run("return cjson.encode(function() end)"), /Cannot serialise function: type not supported/);
  assert.throws(() => run("local t = {} t[false] = 1 return cjson.encode(t)"), /Cannot serialise boolean: table key must be a number or string/);
  assert.throws(() => run("local t = {} t.x = t return cjson.encode(t)"), /Cannot serialise, excessive nesting \(1001\)/);
  assert.throws(() => run("return cjson.encode()"), /bad argument #1 to 'encode' \(expected 1 argument\)/);
});

test("cjson.decode: values, \\u escapes to UTF-8, strtod numbers, errors with positions", () => {
  const { run } = evaluator();
  assert.deepEqual(run("return cjson.decode('[1,2,3]')"), [1, 2, 3]);
  assert.equal(run("return cjson.decode('{\"a\":[1,2,{\"b\":null}]}').a[2]"), 2);
  assert.equal(run("return cjson.decode('\"\\\\u00e9\"')"), "\xc3\xa9");
  assert.equal(run("return cjson.decode('\"\\\\ud83d\\\\ude00\"')"), "\xf0\x9f\x98\x80");
  assert.equal(run("return cjson.decode('0x10')"), 16);
  assert.equal(run("return cjson.decode('  1e3  ')"), 1000);
  assert.equal(run("return table.concat(cjson.decode('[0.0, -5e3, -1, 0.3e-3, 1023.2, 0e10]'), ' ')"), "0 -5000 -1 0.0003 1023.2 0");
  assert.equal(run("return tostring(cjson.decode('-inf'))"), "-inf");
  assert.throws(() => run("return cjson.decode('[1,]')"), /Expected value but found T_ARR_END at character 4/);
  assert.throws(() => run("return cjson.decode('{\"a\" 1}')"), /Expected colon but found T_NUMBER at character 6/);
  assert.throws(() => run("return cjson.decode('\"abc')"), /Expected value but found unexpected end of string at character 5/);
  assert.throws(() => run("return cjson.decode('tru')"), /Expected value but found invalid token at character 1/);
  assert.throws(() => run("cjson.decode_max_depth(2) return cjson.decode('[[[1]]]')"), /Found too many nested data structures \(3\) at character 3/);
});

test("cjson configuration functions", () => {
  const { run } = evaluator();
  assert.deepEqual(run("return {cjson.encode_max_depth(), cjson.decode_max_depth(), cjson.encode_number_precision()}"), [1000, 1000, 14]);
  assert.equal(run("cjson.encode_number_precision(3) return cjson.encode(1/3)"), "0.333");
  assert.equal(run("cjson.encode_invalid_numbers(true) return cjson.encode(1/0)"), "inf");
  assert.equal(run("cjson.encode_invalid_numbers('null') return cjson.encode(1/0)"), "null");
  assert.throws(() => run("return cjson.encode_number_precision(20)"), /bad argument #1 to 'encode_number_precision' \(expected integer between 1 and 14\)/);
  assert.equal(run("return cjson.new().encode_number_precision()"), 14);
});

test("cmsgpack.pack is byte-exact", () => {
  const { hex } = evaluator();
  assert.equal(
    hex("return cmsgpack.pack(1,127,128,255,256,65535,65536,4294967295,4294967296,-1,-32,-33,-128,-129,-32768,-32769,-2147483648,-2147483649)"),
    "017fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000ffe0d0dfd080d1ff7fd18000d2ffff7fffd280000000d3ffffffff7fffffff",
  );
  assert.equal(hex("return cmsgpack.pack({1,2,3},{a=1},{},true,false,'x')"), "9301020381a1610190c3c2a178");
  assert.equal(hex("return cmsgpack.pack(1.5, 0.1, 1/0)"), "ca3fc00000cb3fb999999999999aca7f800000");
  assert.equal(hex("return cmsgpack.pack(-1099511627776)"), "d3ffffff0000000000");
  assert.equal(hex("return cmsgpack.pack(string.rep('x', 40))").slice(0, 4), "d928");
});

test("cmsgpack.unpack, unpack_one, unpack_limit and errors", () => {
  const { run } = evaluator();
  assert.deepEqual(run("return {cmsgpack.unpack(cmsgpack.pack(1,'a',{1,2}))}"), [1, "a", [1, 2]]);
  assert.deepEqual(run("local t = cmsgpack.unpack(cmsgpack.pack({x='y', [1]=2})) return {t.x, t[1]}"), ["y", 2]);
  assert.deepEqual(run("return {cmsgpack.unpack_one(cmsgpack.pack(1,2,3), 0)}"), [1, 1]);
  assert.deepEqual(run("return {cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 2, 1)}"), [-1, 2, 3]);
  assert.deepEqual(run("return {cmsgpack.unpack_limit(cmsgpack.pack(1,2,3), 5, 2)}"), [-1, 3]);
  assert.equal(run("return cmsgpack.unpack(cmsgpack.pack(-1099511627776))"), -1099511627776);
  assert.throws(() => run("return cmsgpack.unpack('\\193')"), /Bad data format in input\./);
  assert.throws(() => run("return cmsgpack.unpack('\\205\\1')"), /Missing bytes in input\./);
  assert.throws(() => run("return cmsgpack.pack()"), /bad argument #0 to 'pack' \(MessagePack pack needs input\.\)/);
});

test("bit operations on 32-bit values", () => {
  const { run } = evaluator();
  assert.deepEqual(
    run("return {bit.tobit(2^32+5), bit.tobit(-1), bit.bnot(0), bit.band(0xff, 0x0f), bit.lshift(1, 31), bit.rshift(-1, 28), bit.arshift(-256, 4), bit.rol(0x12345678, 8), bit.ror(0x12345678, 8), bit.bswap(0x12345678)}"),
    [5, -1, -1, 15, -2147483648, 15, -16, 878082066, 2014458966, 2018915346],
  );
  assert.deepEqual(run("return {bit.tohex(255), bit.tohex(255, 2), bit.tohex(-1, -4)}"), ["000000ff", "ff", "FFFF"]);
  assert.equal(run("return bit.bor(1,2,4,8,16,32,64,128)"), 255);
  assert.equal(run("return bit.tobit(2.5) .. ' ' .. bit.tobit(3.5)"), "2 4");
  assert.throws(() => run("return bit.band('a')"), /bad argument #1 to 'band' \(number expected, got string\)/);
});

test("struct pack, unpack and size", () => {
  const { run, hex } = evaluator();
  assert.equal(hex("return struct.pack('>I2<i4bB', 258, -2, -1, 255)"), "0102feffffffffff");
  assert.equal(hex("return struct.pack('!4 b d', 1, 1.5)"), "01000000000000000000f83f");
  assert.deepEqual(run("return {struct.unpack('>I2<i4', struct.pack('>I2<i4', 258, -2))}"), [258, -2, 7]);
  assert.deepEqual(run("return {struct.unpack('s', 'abc\\0def')}"), ["abc", 5]);
  assert.deepEqual(run("return {struct.unpack('bc0', '\\3abcd')}"), ["abc", 5]);
  assert.deepEqual(run("return {struct.unpack('>l', '\\255\\255\\255\\255\\255\\255\\255\\254')}"), [-2, 9]);
  assert.equal(run("return struct.size('>!4 i b d')"), 16);
  assert.throws(() => run("return struct.size('s')"), /bad argument #1 to 'size' \(option 's' has no fixed size\)/);
  assert.throws(() => run("return struct.pack('q', 1)"), /bad argument #1 to 'pack' \(invalid format option 'q'\)/);
  assert.throws(() => run("return struct.pack('i40', 1)"), /integral size 40 is larger than limit of 32/);
  assert.throws(() => run("return {struct.unpack('i', 'ab')}"), /bad argument #2 to 'unpack' \(data string too short\)/);
});

test("math.random is Redis's deterministic generator and can be seeded", () => {
  const { run } = evaluator();
  const a = run("math.randomseed(10) return tostring(math.random())");
  const b = run("math.randomseed(10) return tostring(math.random())");
  const c = run("math.randomseed(20) return tostring(math.random())");
  assert.equal(a, b);
  assert.notEqual(a, c);
  assert.notEqual(run("return tostring(math.random())"), run("return tostring(math.random())"));
  assert.deepEqual(run("return {math.random(10) <= 10, math.random(3, 4) >= 3}"), [1, 1]);
  assert.throws(() => run("return math.random(0)"), /bad argument #1 to 'random' \(interval is empty\)/);
});
