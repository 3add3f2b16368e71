// Scripts past busy-reply-threshold: they keep running in slices while other clients get BUSY,
// and SCRIPT KILL / FUNCTION KILL stop them (also inside pcall) unless they already wrote.

import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, type TestClient } from "../helpers/in-process.js";
import type { Reply } from "../../src/protocol/reply.js";

const BUSY_EVAL = "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
const BUSY_FUNCTION = "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until `other` gets BUSY, i.e. the running script passed the threshold. */
async function waitBusy(other: TestClient): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = other.reply("ping") as Reply;
    if (r.t === "error" && r.v.startsWith("BUSY")) return;
    await pause(5);
  }
  throw new Error("script never became busy");
}

function busyServer() {
  const { client, newClient, server } = testServer({ "busy-reply-threshold": "20" });
  return { client, other: newClient(), server };
}

test("a long EVAL makes other clients get BUSY until SCRIPT KILL stops it", async () => {
  const { client, other } = busyServer();
  const pending = client.reply("eval", "local i = 0 while true do i = i + 1 end", "0");
  assert.ok(pending instanceof Promise);
  await waitBusy(other);
  assert.throws(() => other.call("get", "x"), new Error(BUSY_EVAL));
  assert.throws(() => other.call("function", "kill"), new Error(BUSY_EVAL));
  assert.throws(() => other.call("function", "stats"), new Error(BUSY_EVAL));
  assert.equal(other.call("script", "kill"), "OK");
  const reply = (await pending) as Reply;
  assert.equal(reply.t, "error");
  assert.match((reply as { v: string }).v, /^ERR Script killed by user with SCRIPT KILL\.\.\. script: [0-9a-f]{40}, on @user_script:1\.$/);
  assert.equal(other.call("ping"), "PONG");
  assert.throws(() => other.call("script", "kill"), new Error("NOTBUSY No scripts in execution right now."));
});

test("SCRIPT KILL works while the script loops inside pcall", async () => {
  const { client, other } = busyServer();
  const pending = client.reply("eval", "local f = function() while 1 do redis.call('ping') end end while 1 do pcall(f) end", "0");
  await waitBusy(other);
  assert.equal(other.call("script", "kill"), "OK");
  assert.match((await pending as { v: string }).v, /Script killed by user with SCRIPT KILL/);
});

test("a script that wrote cannot be killed; it finishes and its result arrives", async () => {
  const { client, other } = busyServer();
  const pending = client.reply("eval", "redis.call('set', 'x', 'y') local t = redis.call('time') while redis.call('time')[1] - t[1] < 1 do end return 'done'", "0");
  await waitBusy(other);
  assert.throws(() => other.call("script", "kill"), /^Error: UNKILLABLE Sorry the script already executed write commands against the dataset\./);
  assert.deepEqual(await pending, { t: "bulk", v: "done" });
  assert.equal(other.call("get", "x"), "y");
});

test("FUNCTION KILL stops a busy function; FUNCTION STATS shows it running", async () => {
  const { client, other } = busyServer();
  client.call("function", "load", "#!lua name=lib\nredis.register_function('spin', function() local a = 1 while true do a = a + 1 end end)");
  const pending = client.reply("fcall", "spin", "0");
  await waitBusy(other);
  assert.throws(() => other.call("ping"), new Error(BUSY_FUNCTION));
  assert.throws(() => other.call("script", "kill"), new Error(BUSY_FUNCTION));
  const stats = other.call("function", "stats") as unknown[];
  assert.equal(stats[0], "running_script");
  const running = stats[1] as unknown[];
  assert.deepEqual(running.slice(0, 4), ["name", "spin", "command", ["fcall", "spin", "0"]]);
  assert.equal(running[4], "duration_ms");
  assert.ok((running[5] as number) >= 20);
  assert.equal(other.call("function", "kill"), "OK");
  assert.match((await pending as { v: string }).v, /^ERR Script killed by user with SCRIPT KILL\.\.\. script: spin, on @user_function:2\.$/);
});

test("a busy script that ends by itself returns its value; the server is usable again", async () => {
  const { client, other } = busyServer();
  const pending = client.reply("eval", "local t = redis.call('time') local n = 0 while redis.call('time')[1] - t[1] < 1 do n = n + 1 end return 'finished'", "0");
  await waitBusy(other);
  assert.deepEqual(await pending, { t: "bulk", v: "finished" });
  assert.equal(other.call("ping"), "PONG");
  assert.equal(client.call("eval", "return 1", "0"), 1);
});

test("FUNCTION LOAD stops top-level code running longer than 500 ms", () => {
  const { client } = testServer();
  assert.throws(
    () => client.call("function", "load", "#!lua name=lib\nlocal a = 1\nwhile 1 do a = a + 1 end"),
    new Error("ERR Error registering functions: ERR FUNCTION LOAD timeout"),
  );
});
