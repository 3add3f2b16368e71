import { test } from "node:test";
import assert from "node:assert/strict";
import { ProtocolError, RespParser } from "../../src/protocol/resp-parser.js";

function parser(opts: { maxBulk?: number; authenticated?: boolean } = {}): RespParser {
  return new RespParser({ maxBulkLen: () => opts.maxBulk ?? 512 * 1024 * 1024, authenticated: () => opts.authenticated ?? true });
}

function parseAll(p: RespParser, input: Buffer | string): string[][] {
  p.feed(typeof input === "string" ? Buffer.from(input, "latin1") : input);
  const out: string[][] = [];
  for (let argv = p.next(); argv !== null; argv = p.next()) out.push(argv);
  return out;
}

function encodeCommand(argv: string[]): string {
  return `*${argv.length}\r\n` + argv.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
}

test("multibulk and inline commands, pipelined", () => {
  const p = parser();
  const input = encodeCommand(["SET", "k", "v"]) + "PING\r\n" + 'set "a b" \'c\'\n' + encodeCommand(["GET", "k"]);
  assert.deepEqual(parseAll(p, input), [["SET", "k", "v"], ["PING"], ["set", "a b", "c"], ["GET", "k"]]);
  assert.equal(p.pending, 0);
});

test("empty lines and non-positive multibulk counts are skipped", () => {
  assert.deepEqual(parseAll(parser(), "\r\n*0\r\n*-10\r\nPING\r\n"), [["PING"]]);
});

test("inline escapes follow redis-cli quoting", () => {
  assert.deepEqual(parseAll(parser(), 'set "\\x41\\n\\t" "q\\"uote"\r\n'), [["set", "A\n\t", 'q"uote']]);
});

test("input split at every byte boundary parses the same", () => {
  const cmds = [["SET", "key", "x".repeat(100)], ["HSET", "h", "f", "\r\n\x00\xff"], ["PING"]];
  const wire = Buffer.from(cmds.map(encodeCommand).join("") + "ECHO hi\r\n", "latin1");
  for (let split = 1; split < wire.length; split++) {
    const p = parser();
    const got = [...parseAll(p, wire.subarray(0, split)), ...parseAll(p, wire.subarray(split))];
    assert.deepEqual(got, [...cmds, ["ECHO", "hi"]], `split at ${split}`);
  }
});

test("a large bulk arriving in many chunks is assembled exactly", () => {
  const big = Buffer.alloc(3 * 1024 * 1024 + 7);
  for (let i = 0; i < big.length; i++) big[i] = (i * 31 + 7) & 0xff;
  const wire = Buffer.concat([Buffer.from(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${big.length}\r\n`), big, Buffer.from("\r\n*1\r\n$4\r\nPING\r\n")]);
  const p = parser();
  const out: string[][] = [];
  for (let i = 0; i < wire.length; i += 65536) out.push(...parseAll(p, wire.subarray(i, i + 65536)));
  assert.equal(out.length, 2);
  assert.equal(Buffer.from(out[0][2], "latin1").equals(big), true);
  assert.deepEqual(out[1], ["PING"]);
});

const errorCases: [string, string][] = [
  ["*3000000000\r\n", "Protocol error: invalid multibulk length"],
  ["*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n", "Protocol error: expected '$', got 'f'"],
  ["*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$-10\r\n", "Protocol error: invalid bulk length"],
  ["*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$blabla\r\n", "Protocol error: invalid bulk length"],
  ["*1\r\nfoo\r\n", "Protocol error: expected '$', got 'f'"],
  ['set """test-key""" test-value\r\n', "Protocol error: unbalanced quotes in request"],
  ["*abc\r\n", "Protocol error: invalid multibulk length"],
];

for (const [input, message] of errorCases) {
  test(`protocol error: ${JSON.stringify(input)}`, () => {
    assert.throws(() => parseAll(parser(), input), (e: Error) => e instanceof ProtocolError && e.message === message);
  });
}

test("too big inline request, count strings and bulks are refused", () => {
  const junk = "A".repeat(70 * 1024);
  assert.throws(() => parseAll(parser(), junk), /too big inline request/);
  assert.throws(() => parseAll(parser(), "*" + junk), /too big mbulk count string/);
  assert.throws(() => parseAll(parser(), "*1\r\n$" + junk), /too big bulk count string/);
  assert.throws(() => parseAll(parser({ maxBulk: 1024 * 1024 }), "*1\r\n$2000000\r\n"), /invalid bulk length/);
});

test("unauthenticated clients get small request limits", () => {
  assert.throws(() => parseAll(parser({ authenticated: false }), "*11\r\n"), /unauthenticated multibulk length/);
  assert.throws(() => parseAll(parser({ authenticated: false }), "*1\r\n$20000\r\n"), /unauthenticated bulk length/);
});

test("fuzz: random bytes only ever produce commands or a ProtocolError", () => {
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  const alphabet = Buffer.from("*$\r\n0123456789-abc \"'\\x\x00\xff");
  for (let round = 0; round < 3000; round++) {
    const len = Math.floor(rand() * 64);
    const buf = Buffer.alloc(len);
    for (let i = 0; i < len; i++) buf[i] = rand() < 0.8 ? alphabet[Math.floor(rand() * alphabet.length)] : Math.floor(rand() * 256);
    const p = parser();
    try {
      for (const argv of parseAll(p, buf)) assert.ok(argv.every((a) => typeof a === "string"));
    } catch (e) {
      assert.ok(e instanceof ProtocolError, `unexpected ${e} for ${buf.toString("hex")}`);
    }
  }
});

test("fuzz: valid commands split randomly round-trip", () => {
  let seed = 99;
  const rand = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  for (let round = 0; round < 200; round++) {
    const cmds: string[][] = [];
    for (let c = 0; c < 1 + Math.floor(rand() * 5); c++) {
      const argv: string[] = [];
      for (let a = 0; a < 1 + Math.floor(rand() * 4); a++) {
        let s = "";
        for (let i = Math.floor(rand() * 40); i > 0; i--) s += String.fromCharCode(Math.floor(rand() * 256));
        argv.push(s);
      }
      cmds.push(argv);
    }
    const wire = Buffer.from(cmds.map(encodeCommand).join(""), "latin1");
    const p = parser();
    const out: string[][] = [];
    let pos = 0;
    while (pos < wire.length) {
      const step = 1 + Math.floor(rand() * 20);
      out.push(...parseAll(p, wire.subarray(pos, pos + step)));
      pos += step;
    }
    assert.deepEqual(out, cmds);
  }
});
