// Plain-TCP connections read into one buffer shared by all clients: commands split across reads,
// with other clients' reads landing in that buffer in between, must arrive intact, and a client
// that stops reading (backpressure) must still get every reply.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";
import { RawClient } from "../helpers/raw-socket.js";

let server: SpawnedServer;

before(async () => {
  server = await spawnServer([]);
});

after(async () => {
  await server.stop();
});

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function command(...args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${a.length}\r\n${a}\r\n`).join("");
}

test("commands split across reads survive other clients' reads in between", async () => {
  const clients = await Promise.all([0, 1, 2].map(() => RawClient.connect(server.port)));
  // Every byte value, so a stale or overwritten byte cannot go unnoticed.
  const values = clients.map((_, i) => Array.from({ length: 3000 }, (_, j) => String.fromCharCode((i * 7 + j) % 256)).join(""));
  const requests = clients.map((_, i) => command("SET", `direct:${i}`, values[i]));
  // Each request goes out in 5 pieces, the clients taking turns, so each piece's read reuses the
  // buffer the previous client's piece was read into.
  for (let piece = 0; piece < 5; piece++) {
    for (let i = 0; i < clients.length; i++) {
      const size = Math.ceil(requests[i].length / 5);
      clients[i].write(requests[i].slice(piece * size, (piece + 1) * size));
      await pause(5);
    }
  }
  for (const c of clients) await c.readUntil((d) => d === "+OK\r\n");
  for (let i = 0; i < clients.length; i++) {
    clients[i].write(command("GET", `direct:${i}`));
    const expected = `+OK\r\n$${values[i].length}\r\n${values[i]}\r\n`;
    const got = await clients[i].readUntil((d) => d.length >= expected.length);
    assert.equal(got, expected);
    clients[i].end();
  }
});

test("a pipeline far larger than one read is answered in full", async () => {
  const client = await RawClient.connect(server.port);
  const n = 20000;
  let batch = "";
  for (let i = 0; i < n; i++) batch += command("INCR", "direct:counter");
  client.write(batch);
  const got = await client.readUntil((d) => d.endsWith(`:${n}\r\n`), 20000);
  assert.equal(got.split("\r\n").length - 1, n);
  client.end();
});
