// Unit tests of the REST edges: Reply → Upstash JSON (text and base64 modes), URL decoding and
// command parsing, SSE event payloads.

import { test } from "node:test";
import assert from "node:assert/strict";
import { bytesToText, errorJson, replyJson, repliesJson } from "../../src/protocol/upstash-json.js";
import { rng } from "../helpers/in-process.js";
import { array, bignum, bool, bulk, bulks, double, error, int, map, NIL_ARRAY, OK, push, set, simple, verbatim } from "../../src/protocol/reply.js";
import { decodeComponent, header, jsonCommand, jsonCommands, parseUrl, pathCommand, RestError } from "../../src/server/rest/request.js";
import { eventPayload } from "../../src/server/rest/sse.js";

test("replyJson: RESP2 shapes and UTF-8 text", () => {
  assert.equal(replyJson(OK, false), '{"result":"OK"}');
  assert.equal(replyJson(simple("PONG"), false), '{"result":"PONG"}');
  assert.equal(replyJson(int(-3), false), '{"result":-3}');
  assert.equal(replyJson(int(2n ** 63n - 1n), false), '{"result":9223372036854775807}');
  assert.equal(replyJson(bulk("caf\xc3\xa9 \"q\"\n"), false), '{"result":"café \\"q\\"\\n"}');
  assert.equal(replyJson(bulk("\xff"), false), '{"result":"\ufffd"}');
  assert.equal(replyJson(NIL_ARRAY, false), '{"result":null}');
  assert.equal(replyJson(map([[bulk("a"), int(1)]]), false), '{"result":["a",1]}');
  assert.equal(replyJson(array([bulk("0"), bulks(["k1", "k2"])]), false), '{"result":["0",["k1","k2"]]}');
  assert.equal(replyJson(set([bulk("m")]), false), '{"result":["m"]}');
  assert.equal(replyJson(double(Infinity), false), '{"result":"inf"}');
  assert.equal(replyJson(double(0.1), false), '{"result":"0.10000000000000001"}');
  assert.equal(replyJson(bool(true), false), '{"result":1}');
  assert.equal(replyJson(bignum(12345678901234567890n), false), '{"result":"12345678901234567890"}');
  assert.equal(replyJson(verbatim("id=1\n"), false), '{"result":"id=1\\n"}');
  assert.equal(replyJson(push([bulk("x")]), false), '{"result":["x"]}');
});

test("replyJson writes plain strings as they are and escapes the rest as JSON.stringify does", () => {
  const random = rng(5);
  for (let i = 0; i < 2000; i++) {
    const bytes = String.fromCharCode(...Array.from({ length: random(12) }, () => (random(4) === 0 ? random(256) : 32 + random(95))));
    assert.equal(replyJson(bulk(bytes), false), `{"result":${JSON.stringify(bytesToText(bytes))}}`, JSON.stringify(bytes));
  }
});

test("replyJson base64: all strings encoded, except a top-level OK; never errors", () => {
  assert.equal(replyJson(OK, true), '{"result":"OK"}');
  assert.equal(replyJson(bulk("OK"), true), '{"result":"T0s="}');
  assert.equal(replyJson(bulk("\x00\xff"), true), '{"result":"AP8="}');
  assert.equal(replyJson(array([OK, int(1), bulk("ab"), array([bulk("")])]), true), '{"result":["T0s=",1,"YWI=",[""]]}');
  assert.equal(replyJson(error("ERR bad \xc3\xa9"), true), '{"error":"ERR bad é"}');
  assert.equal(errorJson("WRONGTYPE x"), '{"error":"WRONGTYPE x"}');
  assert.equal(repliesJson([OK, error("ERR e"), bulk("v")], true), '[{"result":"OK"},{"error":"ERR e"},{"result":"dg=="}]');
  assert.equal(repliesJson([], false), "[]");
});

test("URL parsing: segments, query parameters, _token, prefix", () => {
  assert.deepEqual(parseUrl("/", ""), { segments: [], query: [], token: undefined });
  assert.deepEqual(parseUrl("/set/a%2Fb/%zz?EX=1&NX&_token=t%2B1&x=a+b", ""), {
    segments: ["set", "a/b", "%zz"],
    query: [["EX", "1"], ["NX", null], ["x", "a b"]],
    token: "t+1",
  });
  assert.deepEqual(parseUrl("/db/get/k", "/db")?.segments, ["get", "k"]);
  assert.equal(parseUrl("/dbx/get/k", "/db"), null);
  assert.deepEqual(parseUrl("/db", "/db")?.segments, []);
  assert.equal(decodeComponent("%C3%A9", false), "\xc3\xa9");
  assert.equal(decodeComponent("\xe9", false), "\xe9");
  assert.equal(decodeComponent("a+b", false), "a+b");
  assert.equal(decodeComponent("\u20ac", false), "\xe2\x82\xac");
});

test("headers are read from the raw list: any case, first one wins", () => {
  const raw = ["Host", "h", "AUTHORIZATION", "Bearer a", "Upstash-Encoding", "base64", "authorization", "Bearer b"];
  assert.equal(header(raw, "authorization"), "Bearer a");
  assert.equal(header(raw, "upstash-encoding"), "base64");
  assert.equal(header(raw, "origin"), undefined);
  assert.equal(header([], "host"), undefined);
});

test("commands from the path, the raw body and JSON", () => {
  const url = parseUrl("/set/k?EX=10", "")!;
  assert.deepEqual(pathCommand(url, Buffer.from([0xff, 0x00])), ["set", "k", "\xff\x00", "EX", "10"]);
  assert.deepEqual(pathCommand(url, Buffer.alloc(0)), ["set", "k", "EX", "10"]);
  assert.deepEqual(jsonCommand(Buffer.from('["SET","k","\u20ac",1,false]')), ["SET", "k", "\xe2\x82\xac", "1", "false"]);
  assert.deepEqual(jsonCommands(Buffer.from('[["a"],["b",2]]')), [["a"], ["b", "2"]]);
  assert.throws(() => jsonCommand(null), (e: unknown) => e instanceof RestError && e.status === 400);
  assert.throws(() => jsonCommands(Buffer.from("[[]]")), /Expected an array of string arrays/);
});

test("SSE payloads are comma-joined raw bytes", () => {
  assert.equal(eventPayload(array([bulk("subscribe"), bulk("chat"), int(1)])), "subscribe,chat,1");
  assert.equal(eventPayload(push([bulk("message"), bulk("chat"), bulk('{"a":1,"b":2}')])), 'message,chat,{"a":1,"b":2}');
  assert.equal(eventPayload(push([bulk("pmessage"), bulk("u:*"), bulk("u:1"), bulk("x")])), "pmessage,u:*,u:1,x");
  assert.equal(eventPayload(OK), '"OK"');
  assert.equal(eventPayload(simple('1721284005.242090 [0 127.0.0.1:1] "GET" "k"')), '1721284005.242090 [0 127.0.0.1:1] "GET" "k"');
});
