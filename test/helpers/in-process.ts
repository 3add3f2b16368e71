// In-process test harness: a Server and Sessions driven through dispatch, no sockets.
// call() returns plain JS values (bulk/simple -> string, int -> number|bigint, nil -> null,
// arrays -> arrays, maps -> flattened arrays) and throws an Error carrying the error reply text.

import { Config } from "../../src/config.js";
import { Server } from "../../src/server/server.js";
import { Session, type SessionTransport } from "../../src/server/session.js";
import { dispatch } from "../../src/commands/dispatch.js";
import { tick } from "../../src/engine/clock.js";
import type { Reply } from "../../src/protocol/reply.js";

export class ReplyError extends Error {}

export type Plain = string | number | bigint | boolean | null | Plain[];

export function toPlain(reply: Reply): Plain {
  switch (reply.t) {
    case "simple":
    case "bulk":
    case "verbatim":
      return reply.v;
    case "int":
      return reply.v;
    case "double":
      return reply.v;
    case "bool":
      return reply.v;
    case "bignum":
      return reply.v;
    case "null":
    case "nullarray":
      return null;
    case "array":
    case "map":
    case "set":
    case "push":
      return reply.v.map(toPlain);
    case "error":
      throw new ReplyError(reply.v);
    case "noreply":
      return null;
  }
}

export class FakeTransport implements SessionTransport {
  readonly kind = "internal" as const;
  readonly addr = "127.0.0.1:40000";
  readonly laddr = "127.0.0.1:6379";
  readonly fd = -1;
  pushed: Reply[] = [];
  closed = false;
  push(reply: Reply): void {
    this.pushed.push(reply);
  }
  close(): void {
    this.closed = true;
  }
  queryBufferSize(): number {
    return 0;
  }
  outputBufferSize(): number {
    return 0;
  }
}

export class TestClient {
  readonly transport = new FakeTransport();
  readonly session: Session;
  constructor(readonly server: Server) {
    this.session = new Session(server, this.transport);
    server.registerClient(this.session);
  }

  /** Runs a command and returns the raw Reply (or a Promise of it for blocking commands). */
  reply(...argv: string[]): Reply | Promise<Reply> {
    tick();
    return dispatch(this.session, argv);
  }

  /** Runs a non-blocking command and returns its plain value; error replies throw ReplyError. */
  call(...argv: (string | number)[]): Plain {
    const r = this.reply(...argv.map(String));
    if (r instanceof Promise) throw new Error("command blocked; use callAsync");
    return toPlain(r);
  }

  /** Runs a possibly blocking command. */
  async callAsync(...argv: (string | number)[]): Promise<Plain> {
    return toPlain(await this.reply(...argv.map(String)));
  }
}

/** A fresh server (with optional config overrides) and one client on it. */
export function testServer(overrides: Record<string, string> = {}): { server: Server; client: TestClient; newClient(): TestClient } {
  const config = new Config();
  for (const [k, v] of Object.entries(overrides)) config.set(k, v, true);
  const server = new Server(config);
  return { server, client: new TestClient(server), newClient: () => new TestClient(server) };
}

/** Records db 0's keyspace events as "type:event:key" (new-key "n" events left out). */
export function recordEvents(server: Server): string[] {
  const log: string[] = [];
  const db = server.dbs[0];
  const events = Object.create(db.events);
  events.keyspaceEvent = (_db: unknown, type: string, event: string, key: string) => {
    if (type !== "n") log.push(`${type}:${event}:${key}`);
  };
  db.events = events;
  return log;
}

/** A seeded pseudo-random generator (mulberry32): rng(seed)(n) gives an integer in [0, n). */
export function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}
