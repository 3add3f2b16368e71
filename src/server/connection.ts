// Connection: one RESP client over a TCP or TLS socket. Parses requests, hands each argv to
// dispatch in order, and writes all replies of a batch with one socket write. A blocked command
// (BLPOP, ...) holds back the commands pipelined after it until it is served.

import type { Socket } from "node:net";
import { dispatch } from "../commands/dispatch.js";
import { tick } from "../engine/clock.js";
import { encode } from "../protocol/resp-encoder.js";
import { ProtocolError, RespParser } from "../protocol/resp-parser.js";
import type { Reply } from "../protocol/reply.js";
import type { Server } from "./server.js";
import { Session, type SessionTransport } from "./session.js";

export class Connection implements SessionTransport {
  readonly session: Session;
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  private readonly parser: RespParser;
  private out = "";
  /** A command of this connection is blocked: hold further input. */
  private waiting = false;
  private processing = false;
  private closed = false;

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
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("drain", () => socket.resume());
    socket.on("error", () => socket.destroy());
    socket.on("close", () => this.onClose());
    server.registerClient(session);
  }

  push(reply: Reply): void {
    if (this.closed) return;
    this.out += encode(reply, this.session.resp);
    if (!this.processing) this.flush();
  }

  close(): void {
    this.session.closing = true;
    if (!this.processing) {
      this.flush();
      this.socket.end();
    }
  }

  queryBufferSize(): number {
    return this.parser.pending;
  }

  outputBufferSize(): number {
    return this.out.length + this.socket.writableLength;
  }

  private onData(chunk: Buffer): void {
    tick();
    this.server.stats.netInputBytes += chunk.length;
    this.session.lastInteraction = Date.now();
    this.parser.feed(chunk);
    if (this.parser.pending > this.server.config.num("client-query-buffer-limit")) {
      this.server.log.warn({ client: this.addr }, "closing client that reached max query buffer length");
      this.socket.destroy();
      return;
    }
    this.process();
  }

  /** Runs every complete command received so far, then writes the batch's replies at once. */
  private process(): void {
    if (this.waiting || this.closed) return;
    this.processing = true;
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
            if (!this.closed) this.process();
          });
          break;
        }
        this.reply(result);
      }
    } finally {
      this.processing = false;
    }
    this.flush();
    if (session.closing && !this.waiting) this.socket.end();
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

  private flush(): void {
    if (this.out.length === 0 || this.closed) return;
    const data = Buffer.from(this.out, "latin1");
    this.out = "";
    this.server.stats.netOutputBytes += data.length;
    if (!this.socket.write(data)) this.socket.pause();
  }

  private onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.server.blocking.unblock(this.session.id, { t: "noreply" });
    this.server.unregisterClient(this.session);
  }
}
