// Server: the state shared by every session of one Restash process: configuration, the numbered
// databases, connected clients, statistics, blocked clients, active expiry, and the feed of
// executed write commands (AOF, MONITOR and replication subscribe to it).

import { randomBytes } from "node:crypto";
import { Config } from "../config.js";
import { Database, type DatabaseEvents } from "../engine/database.js";
import { Blocking } from "../engine/blocking.js";
import { ActiveExpiry } from "../engine/active-expiry.js";
import { Stats } from "./stats.js";
import type { Session } from "./session.js";
import { createLogger, type Logger } from "./logger.js";
import { createCommandTable } from "../commands/registry.js";
import type { CommandTable } from "../commands/table.js";

/** Called with each write command that changed data, in execution order (AOF, replication). */
export type PropagateListener = (dbIndex: number, argv: string[]) => void;

/** Hooks families register to clean up per-client state (pub/sub, tracking, WATCH). */
export interface ClientHook {
  reset?(session: Session): void;
  close?(session: Session): void;
}

export class Server {
  readonly runId = randomBytes(20).toString("hex");
  readonly startedAt = Date.now();
  readonly stats = new Stats();
  readonly blocking = new Blocking();
  readonly clients = new Map<number, Session>();
  readonly clientHooks: ClientHook[] = [];
  readonly propagateListeners: PropagateListener[] = [];
  readonly dbs: Database[] = [];
  readonly commands: CommandTable = createCommandTable();
  /** Changes since the last save (INFO rdb_changes_since_last_save). */
  dirty = 0;
  log: Logger;
  private lastClientId = 0;
  private readonly activeExpiry = new ActiveExpiry();
  private expiryTimer: NodeJS.Timeout | null = null;
  /** Extra keyspace-event listeners (notifications, tracking) set by other subsystems. */
  readonly dbEvents: DatabaseEvents;

  constructor(readonly config: Config = new Config()) {
    this.log = createLogger(config.get("loglevel"));
    config.onChange("loglevel", (level) => {
      this.log = createLogger(level);
    });
    const server = this;
    this.dbEvents = {
      keyModified() {
        server.dirty++;
      },
      keyspaceEvent() {},
      keyReady(db, key) {
        server.blocking.signal(db.index, key);
      },
      keyExpired() {
        server.stats.expiredKeys++;
      },
    };
    const count = config.num("databases");
    for (let i = 0; i < count; i++) {
      const db = new Database(i);
      db.events = this.dbEvents;
      this.dbs.push(db);
    }
  }

  nextClientId(): number {
    return ++this.lastClientId;
  }

  /** Starts background work (active expiry at `hz`). */
  start(): void {
    const schedule = () => {
      const hz = Math.max(1, Math.min(500, this.config.num("hz")));
      this.expiryTimer = setTimeout(() => {
        this.activeExpiry.cycle(this.dbs);
        schedule();
      }, 1000 / hz);
      this.expiryTimer.unref();
    };
    schedule();
  }

  stop(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryTimer = null;
  }

  /** SWAPDB: exchanges two databases' contents, seen at once by every client. */
  swapDatabases(a: number, b: number): void {
    const dbA = this.dbs[a];
    const dbB = this.dbs[b];
    this.dbs[a] = dbB;
    this.dbs[b] = dbA;
    dbA.index = b;
    dbB.index = a;
  }

  propagate(dbIndex: number, argv: string[]): void {
    for (const listener of this.propagateListeners) listener(dbIndex, argv);
  }

  registerClient(session: Session): void {
    this.clients.set(session.id, session);
    this.stats.totalConnections++;
  }

  unregisterClient(session: Session): void {
    this.clients.delete(session.id);
    for (const hook of this.clientHooks) hook.close?.(session);
  }
}
