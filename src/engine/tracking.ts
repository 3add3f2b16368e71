// Client-side caching (CLIENT TRACKING): remembers which clients read which keys and sends them
// invalidation messages when those keys change — RESP3 "invalidate" pushes, or, for a RESP2
// client redirecting to a subscribed connection, messages on the __redis__:invalidate channel.
// Default mode tracks keys per client (one message per modified key, as Redis sends them);
// BCAST mode tracks key prefixes and sends the keys modified under each prefix once per
// event-loop turn. Like Redis, the key table ignores database numbers.

import { array, bulk, bulks, int, NIL, push, type Reply } from "../protocol/reply.js";

/** A tracking client, as the tracking table sees it (a Session). */
export interface TrackingClient {
  readonly id: number;
  readonly resp: 2 | 3;
  tracking: TrackingState | null;
  push(reply: Reply): void;
  /** Subscribed to anything (a RESP2 redirect target must be in Pub/Sub mode). */
  readonly subscriptionCount: number;
}

/** One client's CLIENT TRACKING settings; null on the session when tracking is off. */
export interface TrackingState {
  /** Client id receiving the invalidations; 0 = this client. */
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  /** CLIENT CACHING yes/no was given for the next command. */
  caching: boolean;
  /** The redirect target disconnected. */
  brokenRedirect: boolean;
  /** BCAST prefixes. */
  prefixes: Set<string>;
}

export interface TrackingOptions {
  redirect: number;
  bcast: boolean;
  optin: boolean;
  optout: boolean;
  noloop: boolean;
  prefixes: string[];
}

interface PrefixState {
  clients: Set<TrackingClient>;
  /** Keys modified under the prefix since the last broadcast → the client that modified them. */
  keys: Map<string, TrackingClient | null>;
}

const INVALIDATE = bulk("invalidate");
const MESSAGE = bulk("message");
const CHANNEL = bulk("__redis__:invalidate");
const REDIR_BROKEN = bulk("tracking-redir-broken");

export class Tracking {
  /** key → ids of the clients that may cache it. */
  private readonly table = new Map<string, Set<number>>();
  private items = 0;
  private readonly prefixes = new Map<string, PrefixState>();
  private broadcastScheduled = false;
  private flushNoticeSent = false;
  /** Number of clients with tracking on. */
  clients = 0;

  constructor(
    private readonly lookupClient: (id: number) => TrackingClient | undefined,
    private readonly maxKeys: () => number,
  ) {}

  /** Nothing to do on writes when no client tracks anything. */
  get idle(): boolean {
    return this.clients === 0 && this.table.size === 0;
  }

  get totalKeys(): number {
    return this.table.size;
  }

  get totalItems(): number {
    return this.items;
  }

  get totalPrefixes(): number {
    return this.prefixes.size;
  }

  /** CLIENT TRACKING ON (options already validated). */
  enable(c: TrackingClient, o: TrackingOptions): void {
    if (c.tracking === null) this.clients++;
    const prefixes = c.tracking?.prefixes ?? new Set<string>();
    c.tracking = { redirect: o.redirect, bcast: o.bcast, optin: o.optin, optout: o.optout, noloop: o.noloop, caching: false, brokenRedirect: false, prefixes };
    if (!o.bcast) return;
    for (const p of o.prefixes.length === 0 ? [""] : o.prefixes) {
      let state = this.prefixes.get(p);
      if (!state) this.prefixes.set(p, (state = { clients: new Set(), keys: new Map() }));
      state.clients.add(c);
      prefixes.add(p);
    }
  }

  /** CLIENT TRACKING OFF, RESET, disconnect. Keys it read stay in the table until they change. */
  disable(c: TrackingClient): void {
    const t = c.tracking;
    if (t === null) return;
    for (const p of t.prefixes) {
      const state = this.prefixes.get(p);
      if (!state) continue;
      state.clients.delete(c);
      if (state.clients.size === 0) this.prefixes.delete(p);
    }
    c.tracking = null;
    this.clients--;
  }

  /** After a read-only command: remember the keys it read for this client (default mode). */
  remember(c: TrackingClient, keys: string[]): void {
    const t = c.tracking!;
    if ((t.optin && !t.caching) || (t.optout && t.caching)) return;
    for (const key of keys) {
      let ids = this.table.get(key);
      if (!ids) this.table.set(key, (ids = new Set()));
      if (!ids.has(c.id)) {
        ids.add(c.id);
        this.items++;
      }
    }
  }

  /** A key changed; `by` is the client whose command changed it (null for expiry, eviction). */
  invalidate(key: string, by: TrackingClient | null): void {
    if (this.prefixes.size > 0) this.rememberForBroadcast(key, by);
    const ids = this.table.get(key);
    if (!ids) return;
    this.table.delete(key);
    this.items -= ids.size;
    const keys = array([bulk(key)]);
    for (const id of ids) {
      const target = this.lookupClient(id);
      const t = target?.tracking;
      if (!target || !t || t.bcast) continue;
      if (t.noloop && target === by) continue;
      this.send(target, keys);
    }
  }

  /**
   * FLUSHDB/FLUSHALL: every tracking client is told to drop its whole cache (a null key list),
   * once per command even though FLUSHALL empties each database in turn.
   */
  flush(clients: Iterable<TrackingClient>): void {
    if (!this.flushNoticeSent && this.clients > 0) {
      this.flushNoticeSent = true;
      queueMicrotask(() => (this.flushNoticeSent = false));
      for (const c of clients) if (c.tracking) this.send(c, NIL);
    }
    this.table.clear();
    this.items = 0;
  }

  /** Evicts tracked keys (sending invalidations) while the table is over tracking-table-max-keys. */
  enforceLimit(): void {
    const max = this.maxKeys();
    if (max === 0) return;
    for (const key of this.table.keys()) {
      if (this.table.size <= max) return;
      this.invalidate(key, null);
    }
  }

  /** Sends one invalidation (keys array, or NIL for a flush) to c or its redirect target. */
  private send(c: TrackingClient, keys: Reply): void {
    const t = c.tracking!;
    let target = c;
    if (t.redirect !== 0) {
      const redir = this.lookupClient(t.redirect);
      if (!redir) {
        t.brokenRedirect = true;
        if (c.resp === 3) c.push(push([REDIR_BROKEN, int(t.redirect)]));
        return;
      }
      target = redir;
    }
    if (target.resp === 3) target.push(push([INVALIDATE, keys]));
    else if (t.redirect !== 0 && target.subscriptionCount > 0) target.push(push([MESSAGE, CHANNEL, keys]));
  }

  private rememberForBroadcast(key: string, by: TrackingClient | null): void {
    for (const [prefix, state] of this.prefixes) {
      if (!key.startsWith(prefix)) continue;
      state.keys.set(key, by);
      this.scheduleBroadcast();
    }
  }

  private scheduleBroadcast(): void {
    if (this.broadcastScheduled) return;
    this.broadcastScheduled = true;
    setImmediate(() => {
      this.broadcastScheduled = false;
      this.broadcast();
    });
  }

  /** Sends each BCAST client the keys modified under its prefixes (Redis does it before sleeping). */
  broadcast(): void {
    for (const state of this.prefixes.values()) {
      if (state.keys.size === 0) continue;
      const all = bulks(state.keys.keys());
      for (const c of state.clients) {
        if (!c.tracking) continue;
        if (c.tracking.noloop) {
          const own: string[] = [];
          for (const [key, by] of state.keys) if (by !== c) own.push(key);
          if (own.length > 0) this.send(c, bulks(own));
        } else this.send(c, all);
      }
      state.keys.clear();
    }
  }
}
