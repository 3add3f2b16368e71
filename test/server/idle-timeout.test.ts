// `timeout`: idle clients are closed after that many seconds; Pub/Sub subscribers are not.
import { test } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { spawnServer } from "../helpers/spawn-server.js";

function connect(port: number): Promise<net.Socket> {
  return new Promise((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => resolve(s));
    s.on("error", () => {});
  });
}

function closedWithin(s: net.Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    s.once("close", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

test("idle clients are disconnected after `timeout` seconds, subscribers stay", { timeout: 20_000 }, async () => {
  const server = await spawnServer(["--timeout", "1"]);
  try {
    const idle = await connect(server.port);
    const subscriber = await connect(server.port);
    subscriber.write("*2\r\n$9\r\nSUBSCRIBE\r\n$1\r\nc\r\n");
    subscriber.resume();
    const [idleClosed, subscriberClosed] = await Promise.all([closedWithin(idle, 4000), closedWithin(subscriber, 4000)]);
    assert.equal(idleClosed, true);
    assert.equal(subscriberClosed, false);
    subscriber.destroy();
  } finally {
    await server.stop();
  }
});
