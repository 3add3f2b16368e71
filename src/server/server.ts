// Server: the state shared by every session of one Restash process: configuration, the numbered
// databases, connected clients, statistics, blocked clients, active expiry, and the feed of
// executed write commands (AOF, MONITOR and replication subscribe to it).

import { randomBytes } from "node:crypto";
import { Config } from "../config.js";
import { Database, type DatabaseEvents } from "../engine/database.js";
import { Blocking } from "../engine/blocking.js";
import { LazyFree } from "../engine/lazyfree.js";
import { ActiveExpiry } from "../engine/active-expiry.js";
import { activeExpireFields } from "../engine/types/hash.js";
import { Stats } from "./stats.js";
import { PubSubHub } from "../engine/pubsub.js";
import { WatchedKeys } from "../engine/watch.js";
import { Tracking } from "../engine/tracking.js";
import { KeyspaceNotifications } from "../engine/notifications.js";
import { ClientPause } from "./pause.js";
import { OutputLimits } from "./output-limits.js";
import { LatencyMonitor } from "./latency.js";
import type { Session } from "./session.js";
import { createLogger, type Logger } from "./logger.js";
import { createCommandTable } from "../commands/registry.js";
import type { CommandTable } from "../commands/table.js";

/** Hash fields active expiry may remove per database and cycle (Redis's default quota is similar). */
const FIELD_EXPIRY_BUDGET = 1000;

/** Called with each write command that changed data, in execution order (AOF, replication). */
export type PropagateListener = (dbIndex: number, argv: string[]) => void;

/**
 * Where replies wait for persistence (set by the AOF while it is on): transports call position()
 * before sending replies (it writes pending AOF data) and, when it returns a position above 0
 * (appendfsync always), send them only once whenDurable calls back.
 */
export interface Durability {
  position(): number;
  whenDurable(position: number, done: () => void): void;
  /** Bytes of the AOF known to be on disk. */
  readonly synced: number;
}

/** Hooks families register to clean up per-client state (pub/sub, tracking, WATCH). */
export interface ClientHook {
  reset?(session: Session): void;
  close?(session: Session): void;
}

export class Server {
  readonly runId = randomBytes(20).toString("hex");
  /** Replication ID (INFO master_replid; DEBUG CHANGE-REPL-ID renews it). */
  replId = randomBytes(20).toString("hex");
  readonly startedAt = Date.now();
  readonly stats = new Stats();
  readonly blocking = new Blocking();
  readonly lazyfree = new LazyFree();
  /** Pub/Sub channels and patterns of every transport (RESP sessions, REST/SSE). */
  readonly pubsub = new PubSubHub();
  readonly watches = new WatchedKeys();
  /** Client-side caching (CLIENT TRACKING). */
  readonly tracking: Tracking;
  readonly notifications: KeyspaceNotifications;
  readonly pause: ClientPause;
  readonly outputLimits: OutputLimits;
  /** Sessions in MONITOR mode. */
  readonly monitors = new Set<Session>();
  /** The session whose command is executing (NOLOOP tracking); null for expiry and timers. */
  currentClient: Session | null = null;
  /** While a script runs past busy-reply-threshold: the BUSY error other clients get (else null). */
  busyReply: string | null = null;
  /** Commands propagated inside an atomic unit (EXEC), written as MULTI ... EXEC at its end. */
  private propagationBatch: [number, string[]][] | null = null;
  readonly clients = new Map<number, Session>();
  readonly clientHooks: ClientHook[] = [];
  readonly propagateListeners: PropagateListener[] = [];
  readonly dbs: Database[] = [];
  readonly commands: CommandTable = createCommandTable();
  /** The RESP port actually bound (differs from the config with port 0). */
  port = 0;
  /** Replies wait for the AOF through this while it is on (see Durability); null when off. */
  durability: Durability | null = null;
  /** True while persistence files are loaded: nothing is propagated, keys do not expire. */
  loading = false;
  /** Changes since the last save (INFO rdb_changes_since_last_save). */
  dirty = 0;
  /** Unix time (s) of the last successful save; the start time until one happens (LASTSAVE). */
  lastSave = Math.floor(Date.now() / 1000);
  readonly latency: LatencyMonitor;
  /** DEBUG SET-ACTIVE-EXPIRE: when false, keys expire only when accessed. */
  activeExpireEnabled = true;
  /** DEBUG QUICKLIST-PACKED-THRESHOLD: list elements at least this big get their own plain node. */
  quicklistPackedThreshold = 1 << 30;
  log: Logger;
  private lastClientId = 0;
  private readonly activeExpiry = new ActiveExpiry();
  private expiryTimer: NodeJS.Timeout | null = null;
  /** Extra keyspace-event listeners (notifications, tracking) set by other subsystems. */
  readonly dbEvents: DatabaseEvents;

  constructor(readonly config: Config = new Config()) {
    this.log = createLogger(config.get("loglevel"));
    this.latency = new LatencyMonitor(config);
    config.onChange("dir", (dir) => process.chdir(dir));
    config.onChange("loglevel", (level) => {
      this.log = createLogger(level);
    });
    const server = this;
    this.tracking = new Tracking(
      (id) => this.clients.get(id),
      () => config.num("tracking-table-max-keys"),
    );
    config.onChange("tracking-table-max-keys", () => setImmediate(() => this.tracking.enforceLimit()));
    this.notifications = new KeyspaceNotifications(config, this.pubsub);
    this.pause = new ClientPause(this.blocking, (paused) => {
      for (const db of this.dbs) db.expiryPaused = paused;
    });
    this.outputLimits = new OutputLimits(config);
    this.clientHooks.push({ close: (session) => session.releaseState() });
    this.dbEvents = {
      keyModified(db, key) {
        server.dirty++;
        server.keyChanged(db, key);
      },
      keyspaceEvent(db, type, event, key) {
        server.notifications.notify(db, type, event, key);
      },
      keyReady(db, key) {
        server.blocking.signal(db.index, key);
      },
      keyExpired(db, key) {
        server.stats.expiredKeys++;
        server.keyChanged(db, key);
        server.propagate(db.index, ["del", key]);
      },
      flushed(db) {
        server.watches.touchDatabase(db, null);
        if (!server.tracking.idle) server.tracking.flush(server.clients.values());
        // Readers blocked by XREADGROUP on a stream of db fail once it is gone.
        if (server.blocking.blockedClients > 0) {
          for (const [key, entry] of db.liveEntries()) if (entry.type === "stream") server.blocking.signal(db.index, key);
        }
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
        if (this.activeExpireEnabled && !this.pause.writesPaused && this.busyReply === null) {
          const started = performance.now();
          this.activeExpiry.cycle(this.dbs);
          for (const db of this.dbs) activeExpireFields(db, FIELD_EXPIRY_BUDGET, (argv) => this.propagate(db.index, argv));
          this.latency.addSampleIfNeeded("expire-cycle", performance.now() - started);
        }
        this.stats.sampleRates(Date.now());
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
    this.watches.touchDatabase(dbA, dbB);
    this.watches.touchDatabase(dbB, dbA);
    this.dbs[a] = dbB;
    this.dbs[b] = dbA;
    dbA.index = b;
    dbB.index = a;
  }

  propagate(dbIndex: number, argv: string[]): void {
    if (this.loading) return;
    if (this.propagationBatch) this.propagationBatch.push([dbIndex, argv]);
    else for (const listener of this.propagateListeners) listener(dbIndex, argv);
  }

  /**
   * Runs fn as one atomic unit for the AOF and replicas (EXEC, scripts): the write commands it
   * propagates are written together, wrapped in MULTI ... EXEC when there is more than one.
   */
  atomically<T>(fn: () => T): T {
    if (this.propagationBatch) return fn();
    const batch: [number, string[]][] = (this.propagationBatch = []);
    try {
      return fn();
    } finally {
      this.propagationBatch = null;
      if (batch.length > 1) {
        this.propagate(batch[0][0], ["multi"]);
        for (const [db, argv] of batch) this.propagate(db, argv);
        this.propagate(batch[batch.length - 1][0], ["exec"]);
      } else if (batch.length === 1) this.propagate(batch[0][0], batch[0][1]);
    }
  }

  /** A key was modified or expired: WATCH and client-side caching react. */
  private keyChanged(db: Database, key: string): void {
    if (!this.watches.empty) this.watches.touch(db, key);
    if (!this.tracking.idle) this.tracking.invalidate(key, this.currentClient);
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
