import { test } from "node:test";
import assert from "node:assert/strict";
import { testServer } from "../helpers/in-process.js";

test("PING and ECHO", () => {
  const { client } = testServer();
  assert.equal(client.call("PING"), "PONG");
  assert.equal(client.call("ping", "hi"), "hi");
  assert.throws(() => client.call("ping", "a", "b"), /^Error: ERR wrong number of arguments for 'ping' command$/);
  assert.equal(client.call("ECHO", "\x00\xff"), "\x00\xff");
});

test("SELECT checks the index", () => {
  const { client } = testServer();
  assert.equal(client.call("select", "15"), "OK");
  assert.equal(client.session.dbIndex, 15);
  assert.throws(() => client.call("select", "16"), /ERR DB index is out of range/);
  assert.throws(() => client.call("select", "x"), /ERR value is not an integer or out of range/);
});

test("unknown command and subcommand errors match Redis", () => {
  const { client } = testServer();
  assert.throws(() => client.call("foo", "a", "b"), /^Error: ERR unknown command 'foo', with args beginning with: 'a' 'b' $/);
  assert.throws(() => client.call("client", "nope"), /^Error: ERR unknown subcommand 'nope'. Try CLIENT HELP.$/);
  assert.throws(() => client.call("client"), /ERR wrong number of arguments for 'client' command/);
});

test("AUTH, NOAUTH and WRONGPASS", () => {
  const { client } = testServer({ requirepass: "secret" });
  assert.throws(() => client.call("echo", "x"), /^Error: NOAUTH Authentication required.$/);
  assert.throws(() => client.call("auth", "wrong"), /^Error: WRONGPASS invalid username-password pair or user is disabled.$/);
  assert.throws(() => client.call("auth", "bob", "secret"), /WRONGPASS/);
  assert.equal(client.call("auth", "default", "secret"), "OK");
  assert.equal(client.call("echo", "x"), "x");
});

test("AUTH without a configured password", () => {
  const { client } = testServer();
  assert.throws(() => client.call("auth", "x"), /ERR AUTH <password> called without any password configured/);
  assert.equal(client.call("auth", "default", "anything"), "OK");
});

test("HELLO switches protocol, authenticates and names the client", () => {
  const { client } = testServer({ requirepass: "pw" });
  assert.throws(() => client.call("hello", "3"), /NOAUTH HELLO must be called/);
  const reply = client.call("hello", "3", "auth", "default", "pw", "setname", "worker") as unknown[];
  assert.deepEqual(reply.slice(0, 6), ["server", "redis", "version", "7.0.15", "proto", 3]);
  assert.equal(client.session.resp, 3);
  assert.equal(client.session.name, "worker");
  assert.throws(() => client.call("hello", "4"), /NOPROTO unsupported protocol version/);
});

test("CLIENT SETNAME/GETNAME/ID and REPLY modes", () => {
  const { client } = testServer();
  assert.equal(client.call("client", "getname"), null);
  assert.equal(client.call("client", "setname", "app"), "OK");
  assert.equal(client.call("client", "getname"), "app");
  assert.throws(() => client.call("client", "setname", "a b"), /Client names cannot contain spaces/);
  assert.equal(client.call("client", "id"), client.session.id);
  assert.match(client.call("client", "info") as string, /^id=\d+ addr=.* name=app .* cmd=client\|info .*resp=2/);
});

test("SWAPDB swaps contents for every client", () => {
  const { client, newClient } = testServer();
  const other = newClient();
  other.call("select", "1");
  client.call("client", "setname", "x");
  assert.equal(client.call("swapdb", "0", "1"), "OK");
  assert.throws(() => client.call("swapdb", "0", "99"), /ERR DB index is out of range/);
  assert.throws(() => client.call("swapdb", "a", "1"), /ERR invalid first DB index/);
});
