import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer, toPlain, type TestClient } from "../helpers/in-process.js";
import type { Reply } from "../../src/protocol/reply.js";
import { encode } from "../../src/protocol/resp-encoder.js";

/** The pushes a client received since the last call, as plain values. */
function received(c: TestClient): unknown[] {
  const out = c.transport.pushed.map(toPlain);
  c.transport.pushed.length = 0;
  return out;
}

test("SUBSCRIBE confirms each channel with a push and has no reply of its own", () => {
  const { client } = testServer();
  const reply = client.reply("subscribe", "a", "b", "a");
  assert.deepEqual(reply, { t: "noreply" });
  assert.deepEqual(received(client), [
    ["subscribe", "a", 1],
    ["subscribe", "b", 2],
    ["subscribe", "a", 2],
  ]);
});

test("PUBLISH reaches channel then pattern subscribers and counts receivers", () => {
  const { client, newClient } = testServer();
  const sub1 = newClient();
  const sub2 = newClient();
  sub1.call("subscribe", "news.tech");
  sub2.call("psubscribe", "news.*", "*tech");
  received(sub1);
  received(sub2);
  assert.equal(client.call("publish", "news.tech", "hello\x00\xff"), 3);
  assert.deepEqual(received(sub1), [["message", "news.tech", "hello\x00\xff"]]);
  assert.deepEqual(received(sub2), [
    ["pmessage", "news.*", "news.tech", "hello\x00\xff"],
    ["pmessage", "*tech", "news.tech", "hello\x00\xff"],
  ]);
  assert.equal(client.call("publish", "other", "x"), 0);
  assert.equal(client.call("publish", "newsXtech", "x"), 1);
});

test("UNSUBSCRIBE and PUNSUBSCRIBE without arguments leave everything, and always reply", () => {
  const { client } = testServer();
  client.call("subscribe", "a", "b");
  client.call("psubscribe", "p*");
  received(client);
  client.call("unsubscribe");
  assert.deepEqual(received(client), [
    ["unsubscribe", "a", 2],
    ["unsubscribe", "b", 1],
  ]);
  client.call("punsubscribe");
  assert.deepEqual(received(client), [["punsubscribe", "p*", 0]]);
  client.call("unsubscribe");
  client.call("punsubscribe", "nope");
  assert.deepEqual(received(client), [
    ["unsubscribe", null, 0],
    ["punsubscribe", "nope", 0],
  ]);
});

test("RESP2 subscribed mode allows only (P|S)(UN)SUBSCRIBE, PING, QUIT and RESET", () => {
  const { client } = testServer();
  client.call("subscribe", "a");
  assert.throws(
    () => client.call("get", "k"),
    /^Error: ERR Can't execute 'get': only \(P\|S\)SUBSCRIBE \/ \(P\|S\)UNSUBSCRIBE \/ PING \/ QUIT \/ RESET are allowed in this context$/,
  );
  assert.deepEqual(client.call("ping"), ["pong", ""]);
  assert.deepEqual(client.call("ping", "x"), ["pong", "x"]);
  client.call("unsubscribe");
  assert.equal(client.call("ping"), "PONG");
});

test("RESP3 clients keep running commands while subscribed; messages are push replies", () => {
  const { client, newClient } = testServer();
  const pub = newClient();
  client.call("hello", "3");
  client.call("subscribe", "a");
  assert.equal(client.call("set", "k", "v"), "OK");
  assert.equal(client.call("ping"), "PONG");
  client.transport.pushed.length = 0;
  pub.call("publish", "a", "m");
  const [message] = client.transport.pushed as Reply[];
  assert.equal(encode(message, 3), ">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n");
  assert.equal(encode(message, 2), "*3\r\n$7\r\nmessage\r\n$1\r\na\r\n$1\r\nm\r\n");
});

test("PUBSUB CHANNELS, NUMSUB, NUMPAT and HELP", () => {
  const { client, newClient } = testServer();
  const s1 = newClient();
  const s2 = newClient();
  s1.call("subscribe", "chan1", "chan2");
  s2.call("subscribe", "chan1", "other");
  s1.call("psubscribe", "foo*");
  s2.call("psubscribe", "foo*", "bar*");
  assert.deepEqual((client.call("pubsub", "channels") as string[]).sort(), ["chan1", "chan2", "other"]);
  assert.deepEqual((client.call("pubsub", "channels", "chan*") as string[]).sort(), ["chan1", "chan2"]);
  assert.deepEqual(client.call("pubsub", "numsub", "chan1", "chan2", "none"), ["chan1", 2, "chan2", 1, "none", 0]);
  assert.deepEqual(client.call("pubsub", "numsub"), []);
  assert.equal(client.call("pubsub", "numpat"), 2);
  assert.throws(
    () => client.call("pubsub", "channels", "a", "b"),
    /^Error: ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.$/,
  );
  assert.throws(() => client.call("pubsub", "numpat", "x"), /^Error: ERR wrong number of arguments for 'pubsub\|numpat' command$/);
  assert.equal((client.call("pubsub", "help") as string[])[0], "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
});

test("sharded Pub/Sub: SSUBSCRIBE, SPUBLISH, SUNSUBSCRIBE, SHARDCHANNELS, SHARDNUMSUB", () => {
  const { client, newClient } = testServer();
  const sub = newClient();
  sub.call("ssubscribe", "s1", "s2");
  sub.call("subscribe", "s1");
  assert.deepEqual(received(sub), [
    ["ssubscribe", "s1", 1],
    ["ssubscribe", "s2", 2],
    ["subscribe", "s1", 1],
  ]);
  assert.equal(client.call("spublish", "s1", "hi"), 1);
  assert.deepEqual(received(sub), [["smessage", "s1", "hi"]]);
  assert.equal(client.call("publish", "s1", "plain"), 1);
  assert.deepEqual(received(sub), [["message", "s1", "plain"]]);
  assert.deepEqual((client.call("pubsub", "shardchannels") as string[]).sort(), ["s1", "s2"]);
  assert.deepEqual(client.call("pubsub", "shardchannels", "*2"), ["s2"]);
  assert.deepEqual(client.call("pubsub", "shardnumsub", "s1", "x"), ["s1", 1, "x", 0]);
  sub.call("sunsubscribe", "s1");
  assert.deepEqual(received(sub), [["sunsubscribe", "s1", 1]]);
  assert.equal(client.call("spublish", "s1", "hi"), 0);
  sub.call("sunsubscribe");
  assert.deepEqual(received(sub), [["sunsubscribe", "s2", 0]]);
  sub.call("sunsubscribe");
  assert.deepEqual(received(sub), [["sunsubscribe", null, 0]]);
});

test("the hub serves non-RESP subscribers (REST/SSE) alongside sessions", () => {
  const { client, server } = testServer();
  const got: Reply[] = [];
  const sse = { push: (r: Reply) => got.push(r) };
  assert.equal(server.pubsub.subscribe(sse, "chat"), true);
  assert.equal(server.pubsub.subscribe(sse, "chat"), false);
  assert.equal(client.call("publish", "chat", "hi"), 1);
  assert.deepEqual(got.map(toPlain), [["message", "chat", "hi"]]);
  assert.deepEqual(client.call("pubsub", "numsub", "chat"), ["chat", 1]);
  server.pubsub.unsubscribeAll(sse);
  assert.equal(client.call("publish", "chat", "hi"), 0);
});

test("disconnect and RESET drop subscriptions; CLIENT LIST shows them", () => {
  const { client, newClient, server } = testServer();
  const sub = newClient();
  sub.call("subscribe", "a", "b");
  sub.call("psubscribe", "x*");
  sub.call("ssubscribe", "s");
  const line = client.call("client", "list") as string;
  assert.match(line, new RegExp(`id=${sub.session.id} .* flags=P db=0 sub=2 psub=1 ssub=1 `));
  server.unregisterClient(sub.session);
  assert.equal(client.call("publish", "a", "m"), 0);
  assert.equal(client.call("pubsub", "numpat"), 0);
  const other = newClient();
  other.call("subscribe", "a");
  assert.equal(other.call("reset"), "RESET");
  assert.equal(client.call("publish", "a", "m"), 0);
});

test("SUBSCRIBE inside MULTI answers within EXEC's reply", () => {
  const { client } = testServer();
  client.call("multi");
  client.call("subscribe", "a");
  assert.deepEqual(client.call("exec"), [["subscribe", "a", 1]]);
  assert.deepEqual(client.transport.pushed, []);
});
