// A small pipelining RESP2 client for the tools that talk to a server: `restash import` /
// `restash export` (to a running Restash or Redis) and MIGRATE. Commands are byte-string argv;
// replies come back in order as plain values (errors as RespError, not thrown).

import { connect, type Socket } from "node:net";
import { respCommand } from "./aof-reader.js";

export class RespError {
  constructor(readonly message: string) {}
}

export type RespValue = string | number | null | RespError | RespValue[];

export interface ClientOptions {
  host: string;
  port: number;
  /** Connect / reply timeout in ms (0 = none). */
  timeoutMs?: number;
}

interface Waiting {
  resolve: (v: RespValue) => void;
  reject: (e: Error) => void;
}

export class RespClient {
  private readonly socket: Socket;
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private readonly waiting: Waiting[] = [];
  private failure: Error | null = null;
  private readonly ready: Promise<void>;
  /** When the client last sent a command (MIGRATE closes idle cached connections). */
  lastUse = Date.now();

  constructor(options: ClientOptions) {
    this.socket = connect({ host: options.host, port: options.port });
    this.socket.setNoDelay(true);
    if (options.timeoutMs) this.socket.setTimeout(options.timeoutMs, () => this.fail(new Error("timeout")));
    this.ready = new Promise((resolve, reject) => {
      this.socket.once("connect", () => resolve());
      this.socket.once("error", reject);
    });
    this.socket.on("data", (chunk: Buffer) => this.onData(chunk));
    this.socket.on("error", (e) => this.fail(e));
    this.socket.on("close", () => this.fail(new Error("connection closed")));
  }

  connected(): Promise<void> {
    return this.ready;
  }

  get pending(): number {
    return this.waiting.length;
  }

  get broken(): boolean {
    return this.failure !== null;
  }

  /** Sends a command (pipelined) and resolves with its reply. */
  call(argv: string[]): Promise<RespValue> {
    this.lastUse = Date.now();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.socket.write(Buffer.from(respCommand(argv), "latin1"));
    });
  }

  /** Resolves once the socket's write buffer has drained (backpressure for big imports). */
  drained(): Promise<void> {
    if (this.socket.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => this.socket.once("drain", () => resolve()));
  }

  close(): void {
    this.socket.destroy();
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const w of this.waiting.splice(0)) w.reject(e);
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    for (;;) {
      const start = this.pos;
      const value = this.parse();
      if (value === undefined) {
        this.pos = start;
        return;
      }
      this.waiting.shift()?.resolve(value);
    }
  }

  /** One reply at pos, or undefined when incomplete. */
  private parse(): RespValue | undefined {
    const line = this.line();
    if (line === null) return undefined;
    const type = line[0];
    const rest = line.slice(1);
    if (type === "+") return rest;
    if (type === "-") return new RespError(rest);
    if (type === ":") return Number(rest);
    if (type === "$") {
      const n = Number(rest);
      if (n < 0) return null;
      if (this.buf.length - this.pos < n + 2) return undefined;
      const s = this.buf.toString("latin1", this.pos, this.pos + n);
      this.pos += n + 2;
      return s;
    }
    if (type === "*") {
      const n = Number(rest);
      if (n < 0) return null;
      const items: RespValue[] = [];
      for (let i = 0; i < n; i++) {
        const item = this.parse();
        if (item === undefined) return undefined;
        items.push(item);
      }
      return items;
    }
    this.fail(new Error(`protocol error: unexpected reply type '${type}'`));
    return undefined;
  }

  private line(): string | null {
    const end = this.buf.indexOf("\r\n", this.pos, "latin1");
    if (end < 0) return null;
    const s = this.buf.toString("latin1", this.pos, end);
    this.pos = end + 2;
    return s;
  }
}
