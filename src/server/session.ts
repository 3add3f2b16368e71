// Session: the state of one client (a TCP/TLS connection, a REST request, a script's caller):
// selected database, authentication, RESP version, name and flags, MULTI queue, subscriptions.
// Transports create sessions and hand them argv; only dispatch runs commands.

import type { Database } from "../engine/database.js";
import type { Reply } from "../protocol/reply.js";
import type { RespVersion } from "../protocol/resp-encoder.js";
import type { Server } from "./server.js";
import type { CommandSpec } from "../commands/types.js";
import { now } from "../engine/clock.js";
import type { Subscriptions } from "../engine/pubsub.js";
import type { TrackingState } from "../engine/tracking.js";
import type { WatchedKey } from "../engine/watch.js";

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
  /** The container command when spec is a subcommand (CONFIG for CONFIG SET). */
  parent?: CommandSpec;
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
  /** True while a Lua script or function runs for this session (redis.call may not block). */
  inScript = false;
  /** Keys under WATCH, by "db\0key" (registered in server.watches); null until the first WATCH. */
  watched: Map<string, WatchedKey> | null = null;
  /** A watched key changed: EXEC must fail. */
  watchDirty = false;
  /** CLIENT TRACKING settings; null when tracking is off. */
  tracking: TrackingState | null = null;
  /** In MONITOR mode. */
  monitor = false;
  /** Keys declared by the script running for this client (tracked when the script reads). */
  scriptKeys: string[] = [];
  /**
   * What the running command propagates (AOF, replicas) instead of its argv, set by propagateAs;
   * null = its argv. Dispatch resets it around every command.
   */
  propagation: string[][] | null = null;

  /** authenticated: whether the session starts authenticated (by default: when there is no password). */
  constructor(
    readonly server: Server,
    readonly transport: SessionTransport,
    authenticated = server.config.get("requirepass") === "",
  ) {
    this.id = server.nextClientId();
    this.authenticated = authenticated;
  }

  get db(): Database {
    return this.server.dbs[this.dbIndex];
  }

  /**
   * Makes the running command propagate these commands in its place, when it changed data: the
   * deterministic form of what it did (absolute expiry times, the members SPOP chose, ...).
   * No argument propagates nothing. Each call replaces the previous one.
   */
  propagateAs(...argvs: string[][]): void {
    this.propagation = argvs;
  }

  /** Subscribed channels / patterns / shard channels (kept by the server's Pub/Sub hub). */
  get subscriptions(): Subscriptions {
    return this.server.pubsub.of(this);
  }

  get subscriptionCount(): number {
    return this.server.pubsub.count(this);
  }

  /** Delivers an out-of-band reply (Pub/Sub message, invalidation, MONITOR line). */
  push(reply: Reply): void {
    this.transport.push(reply);
  }

  /** True when blocking commands may park this session (not inside MULTI or a script). */
  get canBlock(): boolean {
    return !this.inExec && !this.inScript;
  }

  /** Resets the connection state as RESET does. */
  reset(): void {
    this.dbIndex = 0;
    this.resp = 2;
    this.name = "";
    this.replyMode = "on";
    this.noEvict = false;
    this.noTouch = false;
    this.releaseState();
    this.authenticated = this.server.config.get("requirepass") === "";
    this.user = "default";
    for (const hook of this.server.clientHooks) hook.reset?.(this);
  }

  /** Leaves the transaction and forgets watched keys (EXEC, DISCARD). */
  discardTransaction(): void {
    this.multi = null;
    this.multiDirty = false;
    this.server.watches.unwatchAll(this);
    this.watchDirty = false;
  }

  /** Leaves MULTI, WATCH, Pub/Sub, tracking and MONITOR (RESET and disconnect). */
  releaseState(): void {
    const server = this.server;
    this.discardTransaction();
    server.pubsub.unsubscribeAll(this);
    server.tracking.disable(this);
    server.monitors.delete(this);
    this.monitor = false;
  }
}
