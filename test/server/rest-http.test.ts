// The REST API over real HTTP against an in-process server: routes, auth and tokens, argument
// parsing, encodings, pipeline and multi-exec, policy, limits, CORS, sync token. A few test-only
// commands (rt.*) are added to the command table so these tests depend on no command family.

import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { Config } from "../../src/config.js";
import { Server } from "../../src/server/server.js";
import { listenHttp, type HttpListening } from "../../src/server/http.js";
import { array, bulk, bulkOrNil, double, int, map, OK } from "../../src/protocol/reply.js";
import type { CommandSpec } from "../../src/commands/types.js";
import { makeCerts } from "../helpers/certs.js";

const TEST_COMMANDS: CommandSpec[] = [
  {
    name: "rt.args", arity: -1, flags: ["readonly", "fast"], categories: ["string"], group: "string", since: "0", summary: "echo argv",
    run: (_ctx, args) => array(args.map(bulk)),
  },
  {
    name: "rt.set", arity: 3, flags: ["write", "fast"], keys: { first: 1, last: 1, step: 1 }, categories: ["string"], group: "string",
    since: "0", summary: "set",
    run(ctx, [key, value]) {
      ctx.db.set(key, "string", value);
      return OK;
    },
  },
  {
    name: "rt.get", arity: 2, flags: ["readonly", "fast"], keys: { first: 1, last: 1, step: 1 }, categories: ["string"], group: "string",
    since: "0", summary: "get",
    run: (ctx, [key]) => bulkOrNil(ctx.db.get<string>(key, "string")),
  },
  {
    name: "rt.shapes", arity: 1, flags: ["readonly"], categories: ["string"], group: "string", since: "0", summary: "RESP3 shapes",
    run: () => array([map([[bulk("f"), bulk("v")]]), double(1.5), int(7), bulkOrNil(null), OK]),
  },
  {
    name: "rt.block", arity: 1, flags: ["blocking"], categories: ["list"], group: "list", since: "0", summary: "reports canBlock",
    run: (ctx) => int(ctx.canBlock ? 1 : 0),
  },
];

interface Rest {
  server: Server;
  http: HttpListening;
  base: string;
  dir: string;
  token: string;
  readonlyToken: string;
  /** fetch with the standard token; returns status, headers and the body text. */
  call(route: string, init?: RequestInit & { token?: string | null }): Promise<{ status: number; headers: Headers; body: string }>;
  close(): Promise<void>;
}

async function rest(overrides: Record<string, string> = {}, dir = mkdtempSync(path.join(tmpdir(), "restash-http-"))): Promise<Rest> {
  const config = new Config();
  config.set("dir", dir, true);
  for (const [k, v] of Object.entries(overrides)) config.set(k, v, true);
  const server = new Server(config);
  for (const spec of TEST_COMMANDS) server.commands.add(spec);
  const http = await listenHttp(server, 0);
  const base = `http://127.0.0.1:${http.port}`;
  const token = http.api.tokens.token;
  return {
    server,
    http,
    base,
    dir,
    token,
    readonlyToken: http.api.tokens.readonlyToken,
    async call(route, init = {}) {
      const { token: given, headers, ...rest } = init;
      const auth: Record<string, string> = given === null ? {} : { authorization: `Bearer ${given ?? token}` };
      const res = await fetch(base + route, { ...rest, headers: { ...auth, ...(headers as Record<string, string>) } });
      return { status: res.status, headers: res.headers, body: await res.text() };
    },
    async close() {
      await http.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const post = (body: string | Uint8Array<ArrayBuffer> | unknown[], headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  body: typeof body === "string" ? body : body instanceof Uint8Array ? new Blob([body]) : JSON.stringify(body),
  headers,
});

test("auth: bearer header, _token parameter, 401 with Upstash's error", async () => {
  const r = await rest();
  try {
    const ok = await r.call("/echo/hi");
    assert.equal(ok.status, 200);
    assert.equal(ok.body, '{"result":"hi"}');
    assert.equal(ok.headers.get("content-type"), "application/json");
    const missing = await r.call("/echo/hi", { token: null });
    assert.equal(missing.status, 401);
    assert.equal(missing.body, '{"error":"WRONGPASS invalid or missing auth token"}');
    assert.equal((await r.call("/echo/hi", { token: "wrong" })).status, 401);
    assert.equal((await r.call(`/echo/hi?_token=${r.token}`, { token: null })).body, '{"result":"hi"}');
    const lower = await fetch(`${r.base}/echo/x`, { headers: { authorization: `bearer ${r.token}` } });
    assert.equal(await lower.text(), '{"result":"x"}');
    // _token is not an argument
    assert.equal((await r.call(`/rt.args/a?_token=${r.token}&EX=1`, { token: null })).body, '{"result":["a","EX","1"]}');
  } finally {
    await r.close();
  }
});

test("tokens are generated once, kept in the data dir, and config overrides them", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "restash-tokens-"));
  const first = await rest({}, dir);
  const saved = JSON.parse(readFileSync(path.join(dir, "rest-tokens.json"), "utf8"));
  assert.equal(saved.token, first.token);
  assert.equal(saved.readonlyToken, first.readonlyToken);
  assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(first.token, first.readonlyToken);
  await first.http.close();
  const second = await rest({}, dir);
  assert.equal(second.token, first.token);
  await second.http.close();
  const third = await rest({ "rest-token": "my-token" }, dir);
  try {
    assert.equal(third.token, "my-token");
    assert.equal((await third.call("/ping", { token: "my-token" })).body, '{"result":"PONG"}');
    assert.equal((await third.call("/ping", { token: first.token })).status, 401);
    assert.equal((await third.call("/ping", { token: "" })).status, 401);
    third.server.config.set("requirepass", "redis-password");
    assert.equal((await third.call("/ping", { token: "redis-password" })).status, 200);
    third.server.config.set("rest-token", "rotated");
    assert.equal((await third.call("/ping", { token: "rotated" })).status, 200);
    assert.equal((await third.call("/ping", { token: "my-token" })).status, 401);
  } finally {
    await third.close();
  }
});

test("path style: percent-decoding to bytes, raw POST body as last argument, query arguments after it", async () => {
  const r = await rest();
  try {
    assert.equal((await r.call("/rt.args/a%2Fb/%C3%A9/sp%20ace/+plus")).body, '{"result":["a/b","é","sp ace","+plus"]}');
    assert.equal((await r.call("/RT.ARGS/x/")).body, '{"result":["x"]}');
    const body = await r.call("/rt.args/k?EX=100&NX&q=a+b%26c", post('{"json": "body"}'));
    assert.equal(body.body, '{"result":["k","{\\"json\\": \\"body\\"}","EX","100","NX","q","a b&c"]}');
    // binary body bytes are kept exactly (seen through base64)
    const bytes = Uint8Array.from([0, 255, 128, 10, 13]);
    await r.call("/rt.set/bin", post(bytes));
    assert.equal((await r.call("/rt.get/bin", { headers: { "Upstash-Encoding": "base64" } })).body, `{"result":"${Buffer.from(bytes).toString("base64")}"}`);
    // without base64, invalid UTF-8 becomes U+FFFD
    assert.equal(JSON.parse((await r.call("/rt.get/bin")).body).result, "\u0000\ufffd\ufffd\n\r");
    const head = await fetch(`${r.base}/rt.set/h/v`, { method: "HEAD", headers: { authorization: `Bearer ${r.token}` } });
    assert.equal(head.status, 200);
    assert.equal((await r.call("/rt.get/h")).body, '{"result":"v"}');
    assert.equal((await r.call("/rt.set/put/v", { method: "PUT" })).body, '{"result":"OK"}');
  } finally {
    await r.close();
  }
});

test("JSON body: numbers, booleans and UTF-8 as the official client sends them; bad bodies are 400", async () => {
  const r = await rest();
  try {
    assert.equal((await r.call("/", post(["rt.args", "s", 12, 1.5, 1e21, true, false, "héllo"]))).body, '{"result":["s","12","1.5","1e+21","true","false","héllo"]}');
    const bad = '{"error":"ERR Invalid command array. Expected a string array at root of the command and its arguments."}';
    for (const body of ['["set",["nested"]]', '["set",{"a":1}]', '["get",null]', "[]", '{"a":1}', "not json", ""]) {
      const res = await r.call("/", post(body));
      assert.equal(res.status, 400, body);
      assert.equal(res.body, bad, body);
    }
    const unknown = await r.call("/", post(["nope", "a"]));
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body, `{"error":"ERR unknown command 'nope', with args beginning with: 'a' "}`);
    assert.equal((await r.call("/", post(["echo"]))).body, `{"error":"ERR wrong number of arguments for 'echo' command"}`);
  } finally {
    await r.close();
  }
});

test("results are RESP2-shaped; base64 mode encodes every string but a top-level OK", async () => {
  const r = await rest();
  try {
    assert.equal((await r.call("/rt.shapes")).body, '{"result":[["f","v"],"1.5",7,null,"OK"]}');
    const b64 = { "Upstash-Encoding": "base64" };
    assert.equal((await r.call("/rt.shapes", { headers: b64 })).body, '{"result":[["Zg==","dg=="],"MS41",7,null,"T0s="]}');
    assert.equal((await r.call("/rt.set/k/v", { headers: b64 })).body, '{"result":"OK"}');
    assert.equal((await r.call("/ping", { headers: b64 })).body, '{"result":"UE9ORw=="}');
    assert.equal((await r.call("/rt.get/missing", { headers: b64 })).body, '{"result":null}');
    const err = await r.call("/echo", { headers: b64 });
    assert.equal(err.body, `{"error":"ERR wrong number of arguments for 'echo' command"}`);
  } finally {
    await r.close();
  }
});

test("Upstash-Response-Format: resp2 answers raw RESP2", async () => {
  const r = await rest();
  try {
    const res = await r.call("/rt.shapes", { headers: { "Upstash-Response-Format": "resp2" } });
    assert.equal(res.headers.get("content-type"), "application/octet-stream");
    assert.equal(res.body, "*5\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$3\r\n1.5\r\n:7\r\n$-1\r\n+OK\r\n");
    const both = await r.call("/ping", { headers: { "Upstash-Response-Format": "resp2", "Upstash-Encoding": "base64" } });
    assert.equal(both.status, 400);
    assert.equal((await r.call("/ping", { headers: { "Upstash-Response-Format": "xml" } })).status, 400);
    const pipe = await r.call("/pipeline", post([["ping"], ["echo", "x"]], { "Upstash-Response-Format": "resp2" }));
    assert.equal(pipe.body, "+PONG\r\n$1\r\nx\r\n");
  } finally {
    await r.close();
  }
});

test("/pipeline: per-command results and errors with HTTP 200; bad bodies are 400", async () => {
  const r = await rest();
  try {
    const res = await r.call("/pipeline", post([["rt.set", "a", "1"], ["rt.get", "a"], ["nope"], ["echo", 5], ["select", "1"]]));
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), [
      { result: "OK" },
      { result: "1" },
      { error: "ERR unknown command 'nope', with args beginning with: " },
      { result: "5" },
      { error: "ERR Command is not allowed: select" },
    ]);
    const b64 = await r.call("/pipeline", post([["rt.set", "a", "1"], ["rt.get", "a"]], { "Upstash-Encoding": "base64" }));
    assert.equal(b64.body, '[{"result":"OK"},{"result":"MQ=="}]');
    assert.equal((await r.call("/pipeline", post([]))).body, "[]");
    for (const body of ['["get","a"]', '[["get","a"],"x"]', "{}", "nope"]) {
      const bad = await r.call("/pipeline", post(body));
      assert.equal(bad.status, 400, body);
      assert.equal(bad.body, '{"error":"ERR Invalid command array. Expected an array of string arrays at root."}');
    }
  } finally {
    await r.close();
  }
});

test("/multi-exec runs the commands as one transaction", async (t) => {
  const r = await rest();
  try {
    if (!r.server.commands.get("exec")) return t.skip("MULTI/EXEC not implemented yet");
    const res = await r.call("/multi-exec", post([["rt.set", "a", "1"], ["echo", "x"], ["rt.get", "a"]], { "Upstash-Encoding": "base64" }));
    assert.equal(res.status, 200);
    assert.equal(res.body, '[{"result":"OK"},{"result":"eA=="},{"result":"MQ=="}]');
    // a command rejected while queuing discards everything
    const discarded = await r.call("/multi-exec", post([["rt.set", "b", "1"], ["nope"]]));
    assert.equal(discarded.status, 400);
    assert.equal(discarded.body, `{"error":"ERR unknown command 'nope', with args beginning with: "}`);
    assert.equal((await r.call("/rt.get/b")).body, '{"result":null}');
    for (const nested of [["multi"], ["exec"], ["watch", "a"], ["discard"]]) {
      const bad = await r.call("/multi-exec", post([["rt.set", "b", "1"], nested]));
      assert.equal(bad.status, 400);
      assert.equal(JSON.parse(bad.body).error, `ERR Command is not allowed: ${nested[0]}`);
    }
    assert.equal((await r.call("/rt.get/b")).body, '{"result":null}');
  } finally {
    await r.close();
  }
});

test("policy: connection-bound commands are refused; blocking commands answer at once", async () => {
  const r = await rest();
  try {
    for (const cmd of ["select/1", "auth/x", "hello/3", "quit", "reset", "client/setname/x", "client/id"]) {
      const res = await r.call(`/${cmd}`);
      assert.equal(res.status, 400, cmd);
      assert.match(JSON.parse(res.body).error, /^ERR Command is not allowed: /);
    }
    assert.equal((await r.call("/client/setinfo/lib-name/x")).body, '{"result":"OK"}');
    assert.equal((await r.call("/ping/x")).body, '{"result":"x"}');
    assert.equal((await r.call("/rt.block")).body, '{"result":0}');
    if (r.server.commands.get("blpop")) {
      assert.equal((await r.call("/blpop/queue/0")).body, '{"result":null}');
      await r.call("/rpush/queue/job1");
      assert.equal((await r.call("/blpop/queue/0")).body, '{"result":["queue","job1"]}');
    }
  } finally {
    await r.close();
  }
});

test("read-only token: reads work; writes, dangerous and replicating commands and SCAN are refused", async () => {
  const r = await rest();
  try {
    await r.call("/rt.set/k/v");
    const ro = { token: r.readonlyToken };
    assert.equal((await r.call("/rt.get/k", ro)).body, '{"result":"v"}');
    const write = await r.call("/rt.set/k/x", ro);
    assert.equal(write.status, 400);
    assert.equal(write.body, `{"error":"NOPERM this user has no permissions to run the 'rt.set' command"}`);
    for (const cmd of ["keys", "scan"]) {
      if (!r.server.commands.get(cmd)) continue;
      assert.equal((await r.call(`/${cmd}/0`, ro)).body, `{"error":"NOPERM this user has no permissions to run the '${cmd}' command"}`);
    }
    const piped = await r.call("/pipeline", post([["rt.get", "k"], ["rt.set", "k", "y"]]));
    assert.equal(piped.status, 200);
    const roPipe = await r.call("/pipeline", { ...post([["rt.get", "k"], ["rt.set", "k", "z"]]), token: r.readonlyToken });
    assert.deepEqual(JSON.parse(roPipe.body), [{ result: "y" }, { error: "NOPERM this user has no permissions to run the 'rt.set' command" }]);
  } finally {
    await r.close();
  }
});

test("limits: request size (413), key size and record size with Upstash's texts", async () => {
  const r = await rest({ "rest-max-request-size": "1000", "rest-max-key-size": "10", "rest-max-record-size": "100" });
  try {
    const big = await r.call("/rt.set/k", post("x".repeat(1001)));
    assert.equal(big.status, 413);
    assert.equal(big.body, '{"error":"ERR max request size exceeded"}');
    const key = await r.call("/", post(["rt.set", "k".repeat(11), "v"]));
    assert.equal(key.status, 400);
    assert.equal(key.body, '{"error":"ERR max key size exceeded. Limit: 10 bytes, Actual: 11 bytes"}');
    assert.equal((await r.call("/", post(["rt.set", "k".repeat(10), "v"]))).body, '{"result":"OK"}');
    const record = await r.call("/", post(["rt.set", "k", "v".repeat(101)]));
    assert.equal(record.body, '{"error":"ERR max single record size exceeded"}');
    assert.equal((await r.call("/", post(["rt.set", "k", "v".repeat(100)]))).body, '{"result":"OK"}');
  } finally {
    await r.close();
  }
});

test("limits: commands per second (429) and daily budget, counted per command", async () => {
  const r = await rest({ "rest-max-commands-per-second": "3" });
  try {
    const res = await r.call("/pipeline", post([["ping"], ["ping"], ["ping"], ["ping"]]));
    assert.equal(res.status, 429);
    assert.equal(res.body, '{"error":"ERR max commands per second limit exceeded. Limit: 3"}');
  } finally {
    await r.close();
  }
  const d = await rest({ "rest-max-daily-commands": "3" });
  try {
    assert.equal((await d.call("/pipeline", post([["ping"], ["ping"]]))).status, 200);
    const over = await d.call("/pipeline", post([["ping"], ["ping"]]));
    assert.equal(over.status, 400);
    assert.equal(
      over.body,
      '{"error":"ERR max daily request limit exceeded. Limit: 3, Usage: 4. See https://upstash.com/docs/redis/troubleshooting/max_daily_request_limit for details"}',
    );
    assert.equal((await d.call("/ping")).status, 200);
    assert.equal((await d.call("/ping")).status, 400);
  } finally {
    await d.close();
  }
  const m = await rest({ "rest-max-monthly-commands": "1" });
  try {
    assert.equal((await m.call("/ping")).status, 200);
    assert.equal((await m.call("/ping")).body, '{"error":"ERR max requests limit exceeded."}');
  } finally {
    await m.close();
  }
});

test("upstash-sync-token changes after writes only", async () => {
  const r = await rest();
  try {
    const first = (await r.call("/rt.get/k")).headers.get("upstash-sync-token");
    assert.match(first ?? "", /^[0-9a-f]{8}-\d+$/);
    assert.equal((await r.call("/rt.get/k")).headers.get("upstash-sync-token"), first);
    const afterWrite = (await r.call("/rt.set/k/v")).headers.get("upstash-sync-token");
    assert.notEqual(afterWrite, first);
    const afterPipe = (await r.call("/pipeline", post([["rt.set", "k", "w"]]))).headers.get("upstash-sync-token");
    assert.notEqual(afterPipe, afterWrite);
    // inbound tokens are accepted whatever they hold
    assert.equal((await r.call("/ping", { headers: { "upstash-sync-token": "garbage" } })).status, 200);
  } finally {
    await r.close();
  }
});

test("CORS: any origin by default, a configured list, preflight without a token", async () => {
  const r = await rest();
  try {
    assert.equal((await r.call("/ping")).headers.get("access-control-allow-origin"), null);
    const res = await r.call("/ping", { headers: { origin: "http://a" } });
    assert.equal(res.headers.get("access-control-allow-origin"), "*");
    assert.equal(res.headers.get("access-control-expose-headers"), "upstash-sync-token");
    const pre = await fetch(`${r.base}/`, { method: "OPTIONS", headers: { origin: "http://a", "access-control-request-headers": "authorization,upstash-encoding" } });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get("access-control-allow-headers"), "authorization,upstash-encoding");
    assert.match(pre.headers.get("access-control-allow-methods") ?? "", /POST/);
  } finally {
    await r.close();
  }
  const listed = await rest({ "rest-cors-origins": "https://app.example http://localhost:3000" });
  try {
    const ok = await listed.call("/ping", { headers: { origin: "http://localhost:3000" } });
    assert.equal(ok.headers.get("access-control-allow-origin"), "http://localhost:3000");
    assert.equal(ok.headers.get("vary"), "Origin");
    const other = await listed.call("/ping", { headers: { origin: "http://evil" } });
    assert.equal(other.headers.get("access-control-allow-origin"), null);
    const pre = await fetch(`${listed.base}/`, { method: "OPTIONS", headers: { origin: "http://evil" } });
    assert.equal(pre.status, 405);
  } finally {
    await listed.close();
  }
});

test("methods, mount prefix and unknown routes", async () => {
  const r = await rest({ "rest-path-prefix": "/redis/" });
  try {
    assert.equal((await r.call("/redis/ping")).body, '{"result":"PONG"}');
    assert.equal((await r.call("/redis", post(["echo", "x"]))).body, '{"result":"x"}');
    assert.equal((await r.call("/redis/pipeline", post([["echo", "y"]]))).body, '[{"result":"y"}]');
    const outside = await r.call("/ping");
    assert.equal(outside.status, 404);
    assert.equal(outside.body, '{"error":"ERR not found"}');
    const del = await r.call("/redis/ping", { method: "DELETE" });
    assert.equal(del.status, 405);
    assert.equal(del.body, '{"error":"ERR method DELETE not allowed"}');
    assert.equal(r.http.api.prefix, "/redis");
  } finally {
    await r.close();
  }
});

/** Opens an SSE stream and collects its `data:` lines. */
async function events(r: Rest, route: string, token = r.token) {
  const controller = new AbortController();
  const res = await fetch(r.base + route, {
    method: "POST",
    body: "[]",
    headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" },
    signal: controller.signal,
  });
  const lines: string[] = [];
  const waiters: (() => void)[] = [];
  if (res.ok) {
    const reader = res.body!.getReader();
    (async () => {
      let buffer = "";
      const decoder = new TextDecoder();
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          const parts = buffer.split("\n");
          buffer = parts.pop()!;
          for (const line of parts) if (line.startsWith("data: ")) lines.push(line.slice(6));
          waiters.splice(0).forEach((w) => w());
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    res,
    lines,
    /** Resolves once `n` data lines arrived. */
    async until(n: number): Promise<string[]> {
      while (lines.length < n) await new Promise<void>((resolve) => waiters.push(resolve));
      return lines;
    },
    close: () => controller.abort(),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

test("SSE: subscribe and psubscribe get messages published over REST; closing unsubscribes", async (t) => {
  const r = await rest();
  try {
    if (!r.server.commands.get("subscribe")) return t.skip("pub/sub not implemented yet");
    const sub = await events(r, "/subscribe/chat");
    assert.equal(sub.res.status, 200);
    assert.equal(sub.res.headers.get("content-type"), "text/event-stream");
    const psub = await events(r, "/psubscribe/user:*");
    assert.deepEqual(await sub.until(1), ["subscribe,chat,1"]);
    assert.deepEqual(await psub.until(1), ["psubscribe,user:*,1"]);
    assert.equal((await r.call("/", post(["publish", "chat", '{"user":"a","text":"hi, there"}']))).body, '{"result":1}');
    assert.equal((await r.call("/publish/user:42/caf%C3%A9")).body, '{"result":1}');
    assert.deepEqual(await sub.until(2), ["subscribe,chat,1", 'message,chat,{"user":"a","text":"hi, there"}']);
    assert.deepEqual(await psub.until(2), ["psubscribe,user:*,1", "pmessage,user:*,user:42,café"]);
    sub.close();
    psub.close();
    await settle();
    assert.equal((await r.call("/publish/chat/x")).body, '{"result":0}');
    assert.equal((await r.call("/pubsub/numpat")).body, '{"result":0}');
  } finally {
    await r.close();
  }
});

test("SSE: monitor streams commands; read-only tokens may subscribe but not monitor", async (t) => {
  const r = await rest();
  try {
    if (!r.server.commands.get("monitor")) return t.skip("MONITOR not implemented yet");
    const mon = await events(r, "/monitor");
    assert.deepEqual(await mon.until(1), ['"OK"']);
    await r.call("/echo/hello");
    const [, line] = await mon.until(2);
    assert.match(line, /^\d+\.\d{6} \[0 127\.0\.0\.1:\d+\] "echo" "hello"$/);
    mon.close();
    const roMon = await events(r, "/monitor", r.readonlyToken);
    assert.equal(roMon.res.status, 400);
    assert.equal(await roMon.res.text(), `{"error":"NOPERM this user has no permissions to run the 'monitor' command"}`);
    const roSub = await events(r, "/subscribe/a", r.readonlyToken);
    assert.deepEqual(await roSub.until(1), ["subscribe,a,1"]);
    roSub.close();
    const plain = await r.call("/", post(["subscribe", "a"]));
    assert.equal(plain.body, '{"error":"ERR Command is not allowed: subscribe"}');
  } finally {
    await r.close();
  }
});

test("HTTPS when TLS is configured (rest-tls auto)", async () => {
  const certs = makeCerts();
  const r = await rest({ "tls-cert-file": certs.cert, "tls-key-file": certs.key });
  try {
    assert.equal(r.http.secure, true);
    const body = await new Promise<string>((resolve, reject) => {
      const req = https.request(
        { host: "127.0.0.1", port: r.http.port, path: "/echo/secure", ca: readFileSync(certs.ca), headers: { authorization: `Bearer ${r.token}` } },
        (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve(text));
        },
      );
      req.on("error", reject);
      req.end();
    });
    assert.equal(body, '{"result":"secure"}');
  } finally {
    await r.close();
    rmSync(certs.dir, { recursive: true, force: true });
  }
  const plain = await rest({ "tls-cert-file": certs.cert, "tls-key-file": certs.key, "rest-tls": "no" });
  try {
    assert.equal(plain.http.secure, false);
    assert.equal((await plain.call("/echo/plain")).body, '{"result":"plain"}');
  } finally {
    await plain.close();
  }
});
