// Connection: one RESP client over a TCP or TLS socket. Parses requests, hands each argv to
// dispatch in order, and writes all replies of a batch with one socket write. A blocked command
// (BLPOP, ...) holds back the commands pipelined after it until it is served.
// Out-of-band replies (Pub/Sub messages, invalidations, MONITOR lines) are batched into one
// write per event-loop turn; those caused by the client's own command, or arriving while it is
// blocked, follow that command's reply. Enforces client-output-buffer-limit and `timeout`.

import type { Socket } from "node:net";
import { dispatch } from "../commands/dispatch.js";
import { now, tick } from "../engine/clock.js";
import { encode, type RespVersion } from "../protocol/resp-encoder.js";
import { ProtocolError, RespParser } from "../protocol/resp-parser.js";
import type { Reply } from "../protocol/reply.js";
import type { ClientClass } from "./output-limits.js";
import type { Server } from "./server.js";
import { Session, type SessionTransport } from "./session.js";

/** The last pushed reply's encoding: a published message goes to many connections in a row. */
let lastPushed: { reply: Reply; resp: RespVersion; data: string } | null = null;

function encodeShared(reply: Reply, resp: RespVersion): string {
  if (lastPushed && lastPushed.reply === reply && lastPushed.resp === resp) return lastPushed.data;
  const data = encode(reply, resp);
  lastPushed = { reply, resp, data };
  return data;
}

export class Connection implements SessionTransport {
  readonly session: Session;
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  private readonly parser: RespParser;
  private out = "";
  /** Replies held until the AOF is on disk up to position (appendfsync always), in order. */
  private durableQueue: { data: string; position: number }[] = [];
  /** The connection ends once the held replies are sent. */
  private endWhenDurable = false;
  /** Out-of-band replies (encoded) waiting for the reply of the command running or blocked now. */
  private held = "";
  private flushScheduled = false;
  /** A command of this connection is blocked: hold further input. */
  private waiting = false;
  private processing = false;
  private closed = false;
  /** Query-buffer bytes when the current batch started (CLIENT LIST qbuf while it runs). */
  private batchBytes = 0;
  /** When the output buffer went over the soft limit (0 = it is not). */
  private softLimitSince = 0;

  constructor(
    private readonly server: Server,
    private readonly socket: Socket,
    readonly kind: "tcp" | "tls",
  ) {
    this.addr = `${socket.remoteAddress}:${socket.remotePort}`;
    this.laddr = `${socket.localAddress}:${socket.localPort}`;
    this.fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
    this.session = new Session(server, this);
    const session = this.session;
    this.parser = new RespParser({
      maxBulkLen: () => server.config.num("proto-max-bulk-len"),
      authenticated: () => session.authenticated,
    });
    socket.setNoDelay(true);
    socket.on("drain", () => socket.resume());
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.onClose());
    server.registerClient(session);
    clientsCron(server).add(this);
  }

  push(reply: Reply): void {
    if (this.closed) return;
    const data = encodeShared(reply, this.session.resp);
    // Caused by this client's running command, or arriving while it is blocked: after its reply.
    if (this.waiting || this.server.currentClient === this.session) this.held += data;
    else this.out += data;
    if (!this.processing) this.scheduleFlush();
    this.checkOutputLimit();
  }

  close(): void {
    this.session.closing = true;
    if (!this.processing) this.end();
  }

  /**
   * Closes the socket once pending output is written. Like Redis's close(), it stops reading too,
   * so a client still sending gets a reset instead of writing into a half-closed connection.
   */
  private closeSocket(): void {
    this.socket.end(() => this.socket.destroy());
  }

  /** Writes what is pending and closes; the client is gone for the server right away, as in Redis. */
  private end(): void {
    this.flush();
    // Replies still waiting for the AOF's fsync go out first; the connection ends after them.
    if (this.durableQueue.length > 0) {
      this.endWhenDurable = true;
      return;
    }
    this.closeSocket();
    this.onClose();
  }

  queryBufferSize(): number {
    return this.processing ? this.batchBytes : this.parser.pending;
  }

  outputBufferSize(): number {
    return this.out.length + this.held.length + this.socket.writableLength;
  }

  /**
   * Input from the socket. A borrowed chunk is only valid during the call (the shared buffer of
   * direct reads): what the parser has not consumed is copied before returning.
   */
  receive(chunk: Buffer, borrowed: boolean): void {
    tick();
    this.server.stats.netInputBytes += chunk.length;
    this.session.lastInteraction = now();
    this.parser.feed(chunk, borrowed);
    if (this.parser.pending > this.server.config.num("client-query-buffer-limit")) {
      this.server.log.warn({ client: this.addr }, "closing client that reached max query buffer length");
      this.socket.destroy();
      return;
    }
    this.process();
    if (borrowed) this.parser.keepPending();
  }

  /** Runs every complete command received so far, then writes the batch's replies at once. */
  private process(): void {
    if (this.waiting || this.closed) return;
    this.processing = true;
    this.batchBytes = this.parser.pending;
    const session = this.session;
    try {
      while (!session.closing) {
        let argv: string[] | null;
        try {
          argv = this.parser.next();
        } catch (e) {
          if (!(e instanceof ProtocolError)) throw e;
          this.out += `-ERR ${e.message}\r\n`;
          this.server.stats.error("ERR");
          session.closing = true;
          break;
        }
        if (argv === null) break;
        const result = dispatch(session, argv);
        if (result instanceof Promise) {
          this.waiting = true;
          result.then((reply) => {
            this.waiting = false;
            this.reply(reply);
            this.releaseHeld();
            if (!this.closed) this.process();
          });
          break;
        }
        this.reply(result);
        this.releaseHeld();
      }
    } finally {
      this.processing = false;
    }
    if (session.closing && !this.waiting) this.end();
    else this.flush();
  }

  private reply(reply: Reply): void {
    if (reply.t === "noreply") return;
    const mode = this.session.replyMode;
    if (mode !== "on") {
      if (mode === "skip") this.session.replyMode = "on";
      return;
    }
    this.out += encode(reply, this.session.resp);
  }

  /** Appends the out-of-band replies held back during the command just answered. */
  private releaseHeld(): void {
    if (this.held.length === 0) return;
    this.out += this.held;
    this.held = "";
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.processing) return;
      // Still blocked: what was held for the blocked command's reply goes out now.
      this.releaseHeld();
      this.flush();
    });
  }

  private flush(): void {
    if (this.out.length === 0 || this.closed) return;
    // With the AOF on, its pending writes reach the file first; with appendfsync always, replies
    // wait (in order) until the fsync covering them is done.
    const durability = this.server.durability;
    const position = durability !== null ? durability.position() : 0;
    if (position > 0 || this.durableQueue.length > 0) {
      this.durableQueue.push({ data: this.out, position });
      this.out = "";
      if (position > 0) durability!.whenDurable(position, () => this.releaseDurable());
      return;
    }
    this.send(this.out);
    this.out = "";
  }

  /** Sends the held replies whose AOF writes are on disk now. */
  private releaseDurable(): void {
    const synced = this.server.durability?.synced ?? Infinity;
    let data = "";
    while (this.durableQueue.length > 0 && this.durableQueue[0].position <= synced) data += this.durableQueue.shift()!.data;
    if (data.length > 0 && !this.closed) this.send(data);
    if (this.endWhenDurable && this.durableQueue.length === 0) {
      this.closeSocket();
      this.onClose();
    }
  }

  private send(text: string): void {
    // Replies are byte strings: written as latin1 they go out byte for byte, with no Buffer copy.
    this.server.stats.netOutputBytes += text.length;
    if (!this.socket.write(text, "latin1")) this.socket.pause();
  }

  /** Redis's client class for output-buffer limits (MONITOR clients count as normal). */
  private clientClass(): ClientClass {
    return this.session.subscriptionCount > 0 ? "pubsub" : "normal";
  }

  /** Disconnects the client when its pending output passed the hard limit, or the soft one for too long. */
  checkOutputLimit(): void {
    const limit = this.server.outputLimits.of(this.clientClass());
    if (limit.hard === 0 && limit.soft === 0) return;
    const used = this.outputBufferSize();
    let over = limit.hard > 0 && used >= limit.hard;
    if (!over && limit.soft > 0 && used >= limit.soft) {
      const t = Date.now();
      if (this.softLimitSince === 0) this.softLimitSince = t;
      else over = t - this.softLimitSince > limit.softSeconds * 1000;
    } else if (!over) this.softLimitSince = 0;
    if (!over) return;
    this.server.log.warn({ client: this.addr, omem: used }, "client closed for overcoming of output buffer limits");
    this.out = "";
    this.held = "";
    this.socket.destroy();
    this.onClose();
  }

  /** Closes the connection if it has been idle longer than `timeout` seconds (not Pub/Sub, blocked or MONITOR clients). */
  checkIdle(now: number, timeoutMs: number): void {
    const s = this.session;
    if (this.waiting || s.monitor || s.subscriptionCount > 0) return;
    if (now - s.lastInteraction <= timeoutMs) return;
    this.server.log.debug({ client: this.addr }, "closing idle client");
    this.socket.destroy();
    this.onClose();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    clientsCron(this.server).delete(this);
    this.server.blocking.unblock(this.session.id, { t: "noreply" });
    this.server.unregisterClient(this.session);
  }
}

/** Once a second: idle `timeout` and soft output-limit checks over every connection of a server. */
class ClientsCron {
  private readonly connections = new Set<Connection>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly server: Server) {}

  add(c: Connection): void {
    this.connections.add(c);
    if (this.timer) return;
    this.timer = setInterval(() => this.run(), 1000);
    this.timer.unref();
  }

  delete(c: Connection): void {
    this.connections.delete(c);
    if (this.connections.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private run(): void {
    const timeoutMs = this.server.config.num("timeout") * 1000;
    const now = Date.now();
    for (const c of [...this.connections]) {
      c.checkOutputLimit();
      if (timeoutMs > 0) c.checkIdle(now, timeoutMs);
    }
  }
}

const crons = new WeakMap<Server, ClientsCron>();

function clientsCron(server: Server): ClientsCron {
  let cron = crons.get(server);
  if (!cron) crons.set(server, (cron = new ClientsCron(server)));
  return cron;
}
