// Session: the state of one client (a TCP/TLS connection, a REST request, a script's caller):
// selected database, authentication, RESP version, name and flags, MULTI queue, subscriptions.
// Transports create sessions and hand them argv; only dispatch runs commands.

import type { Database } from "../engine/database.js";
import type { Reply } from "../protocol/reply.js";
import type { RespVersion } from "../protocol/resp-encoder.js";
import type { Server } from "./server.js";
import type { CommandSpec } from "../commands/types.js";
import { now } from "../engine/clock.js";

/** How a session's transport delivers out-of-band replies (pub/sub pushes, MONITOR) and closes. */
export interface SessionTransport {
  /** Writes a reply outside the request/response flow. */
  push(reply: Reply): void;
  /** Closes the connection after pending output is flushed. */
  close(): void;
  readonly kind: "tcp" | "tls" | "http" | "internal";
  readonly addr: string;
  readonly laddr: string;
  readonly fd: number;
  /** Bytes waiting in the query buffer (CLIENT LIST qbuf). */
  queryBufferSize(): number;
  /** Bytes queued for output (CLIENT LIST omem). */
  outputBufferSize(): number;
}

export interface QueuedCommand {
  spec: CommandSpec;
  argv: string[];
}

export type ReplyMode = "on" | "off" | "skip";

export class Session {
  readonly id: number;
  readonly createdAt = now();
  lastInteraction = now();
  dbIndex = 0;
  resp: RespVersion = 2;
  authenticated: boolean;
  user = "default";
  name = "";
  libName = "";
  libVer = "";
  /** Last command run, as "name" or "name|sub" (CLIENT LIST cmd=). */
  lastCommand = "NULL";
  replyMode: ReplyMode = "on";
  noEvict = false;
  noTouch = false;
  /** Set when the client asked to close (QUIT) or was killed: no further commands run. */
  closing = false;
  /** MULTI queue; null outside a transaction. */
  multi: QueuedCommand[] | null = null;
  /** A command failed to queue: EXEC must abort. */
  multiDirty = false;
  /** True while EXEC runs the queue (blocking commands must not block). */
  inExec = false;
  /** Keys under WATCH as "db\0key" → version seen; any change makes EXEC fail. */
  watched = new Map<string, number>();
  /** Subscribed channels / patterns / shard channels. */
  channels = new Set<string>();
  patterns = new Set<string>();
  shardChannels = new Set<string>();

  constructor(
    readonly server: Server,
    readonly transport: SessionTransport,
  ) {
    this.id = server.nextClientId();
    this.authenticated = server.config.get("requirepass") === "";
  }

  get db(): Database {
    return this.server.dbs[this.dbIndex];
  }

  get subscriptionCount(): number {
    return this.channels.size + this.patterns.size + this.shardChannels.size;
  }

  /** True when blocking commands may park this session (not inside MULTI or a script). */
  get canBlock(): boolean {
    return !this.inExec;
  }

  /** Resets the connection state as RESET does. */
  reset(): void {
    this.dbIndex = 0;
    this.resp = 2;
    this.name = "";
    this.replyMode = "on";
    this.noEvict = false;
    this.noTouch = false;
    this.multi = null;
    this.multiDirty = false;
    this.watched.clear();
    this.authenticated = this.server.config.get("requirepass") === "";
    this.user = "default";
    for (const hook of this.server.clientHooks) hook.reset?.(this);
  }
}
