// Transport limits over real sockets: maxclients, protocol errors (reply then close), pipelining
// in one batch, proto-max-bulk-len and client-query-buffer-limit.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";
import { RawClient } from "../helpers/raw-socket.js";

let server: SpawnedServer;
before(async () => {
  server = await spawnServer(["--maxclients", "3", "--client-query-buffer-limit", "2mb"]);
});
after(() => server.stop());

test("maxclients: the extra client gets Redis's error and is closed", async () => {
  const clients = await Promise.all([1, 2, 3].map(() => RawClient.connect(server.port)));
  for (const c of clients) {
    c.write("PING\r\n");
    await c.readUntil((d) => d === "+PONG\r\n");
  }
  const extra = await RawClient.connect(server.port);
  assert.equal(await extra.waitClosed(), "-ERR max number of clients reached\r\n");
  clients.forEach((c) => c.end());
});

test("a protocol error is answered, then the connection closes", async () => {
  await new Promise((r) => setTimeout(r, 100)); // let the previous clients go
  const c = await RawClient.connect(server.port);
  c.write("*1\r\nfoo\r\n");
  assert.equal(await c.waitClosed(), "-ERR Protocol error: expected '$', got 'f'\r\n");
});

test("pipelined commands are all answered, in order", async () => {
  const c = await RawClient.connect(server.port);
  c.write("PING\r\n".repeat(1000) + "*2\r\n$4\r\nECHO\r\n$3\r\nend\r\n");
  const out = await c.readUntil((d) => d.endsWith("$3\r\nend\r\n"));
  assert.equal(out, "+PONG\r\n".repeat(1000) + "$3\r\nend\r\n");
  c.end();
});

test("a request beyond client-query-buffer-limit closes the connection", async () => {
  const c = await RawClient.connect(server.port);
  c.write("*2\r\n$4\r\nECHO\r\n$" + 3 * 1024 * 1024 + "\r\n" + "x".repeat(3 * 1024 * 1024));
  assert.equal(await c.waitClosed(), "");
});

test("a bulk longer than proto-max-bulk-len is a protocol error", async () => {
  const c = await RawClient.connect(server.port);
  c.write("*2\r\n$4\r\nECHO\r\n$600000000\r\n");
  assert.equal(await c.waitClosed(), "-ERR Protocol error: invalid bulk length\r\n");
});
