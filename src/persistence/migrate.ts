// MIGRATE: moves (or copies) keys to another Redis or Restash as DUMP payloads sent with RESTORE,
// over connections cached per target for 10 seconds of idleness (INFO migrate_cached_sockets),
// with Redis's replies and errors. Runs asynchronously: the client waits as for a blocking command.

import { Errors, fail } from "../errors.js";
import { now } from "../engine/clock.js";
import { error, OK, simple, type Reply } from "../protocol/reply.js";
import type { Server } from "../server/server.js";
import type { Session } from "../server/session.js";
import { is, parseInteger } from "../commands/args.js";
import { dumpPayload } from "./dump.js";
import { RespClient, RespError } from "./resp-client.js";

const CACHE_IDLE_MS = 10000;

interface Cached {
  client: RespClient;
  /** The database last selected on it (-1: none yet). */
  db: number;
}

class MigrateCache {
  readonly sockets = new Map<string, Cached>();
  private timer: NodeJS.Timeout | null = null;

  get(host: string, port: number, timeoutMs: number): Cached {
    const name = `${host}:${port}`;
    let cached = this.sockets.get(name);
    if (cached && cached.client.broken) {
      cached.client.close();
      cached = undefined;
    }
    if (!cached) {
      cached = { client: new RespClient({ host, port, timeoutMs }), db: -1 };
      this.sockets.set(name, cached);
    }
    if (!this.timer) {
      this.timer = setInterval(() => this.closeIdle(), 1000);
      this.timer.unref();
    }
    return cached;
  }

  drop(host: string, port: number): void {
    const name = `${host}:${port}`;
    this.sockets.get(name)?.client.close();
    this.sockets.delete(name);
  }

  private closeIdle(): void {
    const t = Date.now();
    for (const [name, cached] of this.sockets) {
      if (t - cached.client.lastUse > CACHE_IDLE_MS) {
        cached.client.close();
        this.sockets.delete(name);
      }
    }
    if (this.sockets.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

const caches = new WeakMap<Server, MigrateCache>();

function cacheOf(server: Server): MigrateCache {
  let c = caches.get(server);
  if (!c) caches.set(server, (c = new MigrateCache()));
  return c;
}

/** INFO stats migrate_cached_sockets. */
export function migrateCachedSockets(server: Server): number {
  return caches.get(server)?.sockets.size ?? 0;
}

interface MigrateArgs {
  host: string;
  port: number;
  db: number;
  timeout: number;
  copy: boolean;
  replace: boolean;
  auth: string[] | null;
  keys: string[];
}

function parseMigrate(args: string[]): MigrateArgs {
  const [host, portArg, key, dbArg, timeoutArg] = args;
  const m: MigrateArgs = { host, port: 0, db: 0, timeout: 0, copy: false, replace: false, auth: null, keys: [key] };
  for (let j = 5; j < args.length; j++) {
    const more = args.length - 1 - j;
    const opt = args[j];
    if (is(opt, "copy")) m.copy = true;
    else if (is(opt, "replace")) m.replace = true;
    else if (is(opt, "auth")) {
      if (more < 1) fail(Errors.syntax);
      m.auth = [args[++j]];
    } else if (is(opt, "auth2")) {
      if (more < 2) fail(Errors.syntax);
      m.auth = [args[j + 1], args[j + 2]];
      j += 2;
    } else if (is(opt, "keys")) {
      if (key.length !== 0) fail("ERR When using MIGRATE KEYS option, the key argument must be set to the empty string");
      m.keys = args.slice(j + 1);
      break;
    } else fail(Errors.syntax);
  }
  m.timeout = parseInteger(timeoutArg);
  m.db = parseInteger(dbArg);
  if (m.timeout <= 0) m.timeout = 1000;
  m.port = parseInteger(portArg);
  return m;
}

/** MIGRATE host port key|"" destination-db timeout [COPY] [REPLACE] [AUTH pw | AUTH2 user pw] [KEYS key ...]. */
export function migrate(ctx: Session, args: string[]): Reply | Promise<Reply> {
  const m = parseMigrate(args);
  const db = ctx.db;
  const found: { key: string; payload: string; ttl: number }[] = [];
  for (const key of m.keys) {
    const entry = db.lookup(key);
    if (entry === undefined) continue;
    const ttl = entry.expireAt === 0 ? 0 : Math.max(1, entry.expireAt - now());
    found.push({ key, payload: dumpPayload(entry, ctx.server.config, ctx.server.quicklistPackedThreshold).toString("latin1"), ttl });
  }
  if (found.length === 0) return simple("NOKEY");
  if (!ctx.canBlock) fail("ERR MIGRATE cannot be used inside MULTI or scripts on this server");
  return send(ctx, m, found);
}

async function send(ctx: Session, m: MigrateArgs, found: { key: string; payload: string; ttl: number }[]): Promise<Reply> {
  const cache = cacheOf(ctx.server);
  const cached = cache.get(m.host, m.port, m.timeout);
  const client = cached.client;
  try {
    await client.connected();
  } catch {
    cache.drop(m.host, m.port);
    return error("IOERR error or timeout connecting to the client");
  }
  const calls: Promise<unknown>[] = [];
  if (m.auth) calls.push(client.call(["AUTH", ...m.auth]));
  const selecting = cached.db !== m.db;
  if (selecting) calls.push(client.call(["SELECT", String(m.db)]));
  const restores = found.map(({ key, payload, ttl }) => {
    const argv = ["RESTORE", key, String(ttl), payload];
    if (m.replace) argv.push("REPLACE");
    return client.call(argv);
  });
  let replies: unknown[];
  try {
    replies = await Promise.all([...calls, ...restores]);
  } catch {
    cache.drop(m.host, m.port);
    return error("IOERR error or timeout reading to target instance");
  }
  const setup = replies.slice(0, calls.length);
  for (const reply of setup) {
    if (reply instanceof RespError) {
      cached.db = -1;
      return error(`ERR Target instance replied with error: ${reply.message.replace(/^ERR /, "")}`);
    }
  }
  if (selecting) cached.db = m.db;
  const migrated: string[] = [];
  let failure: string | null = null;
  replies.slice(calls.length).forEach((reply, i) => {
    if (reply instanceof RespError) failure ??= reply.message;
    else migrated.push(found[i].key);
  });
  if (!m.copy && migrated.length > 0) {
    // The moved keys are gone here: deleted and propagated as DEL, as Redis rewrites MIGRATE.
    const db = ctx.db;
    const deleted = migrated.filter((key) => db.delete(key));
    for (const key of deleted) db.notify("g", "del", key);
    if (deleted.length > 0) ctx.server.propagate(ctx.dbIndex, ["del", ...deleted]);
  }
  if (failure !== null) return error(`ERR Target instance replied with error: ${(failure as string).replace(/^ERR /, "")}`);
  return OK;
}
