// Persistence and migration commands: DUMP RESTORE MIGRATE (payloads interchangeable with
// redis-server), SAVE BGSAVE BGREWRITEAOF SHUTDOWN, and the part of replication (REPLCONF, then
// SYNC or PSYNC) that `redis-cli --rdb` and replicas need to fetch a snapshot.

import { Errors, fail } from "../errors.js";
import { now } from "../engine/clock.js";
import { accessClock } from "../engine/database.js";
import { dumpPayload, readPayload, verifyPayload } from "../persistence/dump.js";
import { PersistenceError } from "../persistence/aof-load.js";
import { dropExpiredFields } from "../persistence/rdb-reader.js";
import { persistenceOf } from "../persistence/persistence.js";
import { rdbBytes, type RdbContent } from "../persistence/rdb.js";
import { migrate } from "../persistence/migrate.js";
import { bulk, NIL, NO_REPLY, OK, simple, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, parseInt64, parseInteger } from "./args.js";
import type { CommandSpec } from "./types.js";

const ONE_KEY = { first: 1, last: 1, step: 1 };

function dump(ctx: Session, [key]: string[]): Reply {
  const entry = ctx.db.lookup(key);
  if (entry === undefined) return NIL;
  return bulk(dumpPayload(entry, ctx.server.config, ctx.server.quicklistPackedThreshold).toString("latin1"));
}

interface RestoreOptions {
  replace: boolean;
  absTtl: boolean;
  idle: number;
  freq: number;
}

function parseRestoreOptions(args: string[]): RestoreOptions {
  const o: RestoreOptions = { replace: false, absTtl: false, idle: -1, freq: -1 };
  for (let i = 3; i < args.length; i++) {
    const arg = args[i];
    const more = i + 1 < args.length;
    if (is(arg, "replace")) o.replace = true;
    else if (is(arg, "absttl")) o.absTtl = true;
    else if (is(arg, "idletime") && more && o.freq === -1) {
      o.idle = parseInteger(args[++i]);
      if (o.idle < 0) fail("ERR Invalid IDLETIME value, must be >= 0");
    } else if (is(arg, "freq") && more && o.idle === -1) {
      o.freq = parseInteger(args[++i]);
      if (o.freq < 0 || o.freq > 255) fail("ERR Invalid FREQ value, must be >= 0 and <= 255");
    } else fail(Errors.syntax);
  }
  return o;
}

/** RESTORE key ttl payload [REPLACE] [ABSTTL] [IDLETIME s] [FREQ f], with Redis's checks in its order. */
function restore(ctx: Session, args: string[]): Reply {
  const [key, ttlArg, payloadArg] = args;
  const o = parseRestoreOptions(args);
  const db = ctx.db;
  if (!o.replace && db.lookup(key) !== undefined) fail("BUSYKEY Target key name already exists.");
  let ttl = parseInteger(ttlArg);
  if (ttl < 0) fail("ERR Invalid TTL value, must be >= 0");
  const payload = Buffer.from(payloadArg, "latin1");
  if (!verifyPayload(payload)) fail("ERR DUMP payload version or checksum are wrong");
  let loaded;
  try {
    loaded = readPayload(payload, ctx.server.config);
  } catch {
    fail("ERR Bad data format");
  }
  const deleted = o.replace && db.delete(key);
  if (ttl !== 0 && !o.absTtl) ttl += now();
  if (!ctx.server.loading && ((ttl !== 0 && ttl <= now()) || dropExpiredFields(loaded, now()))) {
    // Already expired (the key, or every field of a hash): the key is not created (an old one replaced is gone).
    if (deleted) {
      db.notify("g", "del", key);
      ctx.propagateAs(["del", key]);
    }
    return OK;
  }
  const entry = db.set(key, loaded.type, loaded.value, { expireAt: ttl });
  const policy = ctx.server.config.get("maxmemory-policy");
  if (o.freq >= 0 && policy.includes("lfu")) entry.freq = o.freq;
  if (o.idle >= 0 && policy.includes("lru")) entry.lastAccess = accessClock() - o.idle;
  db.notify("g", "restore", key);
  // A relative TTL is propagated as the absolute time it meant.
  if (ttl !== 0 && !o.absTtl) ctx.propagateAs(["restore", key, String(ttl), payloadArg, ...args.slice(3), "ABSTTL"]);
  return OK;
}

/** Runs a persistence action, turning its refusal (Redis's error text) into an error reply. */
function guarded(action: () => string): Reply {
  try {
    return simple(action());
  } catch (e) {
    if (e instanceof PersistenceError) fail(e.message);
    throw e;
  }
}

function save(ctx: Session): Reply {
  const p = persistenceOf(ctx.server);
  if (p.bgsaveInProgress) fail("ERR Background save already in progress");
  try {
    p.save();
  } catch (e) {
    ctx.server.log.warn({ err: e }, "SAVE failed");
    fail("ERR");
  }
  return OK;
}

function bgsave(ctx: Session, args: string[]): Reply {
  if (args.length > 1 || (args.length === 1 && !is(args[0], "schedule"))) fail(Errors.syntax);
  return guarded(() => persistenceOf(ctx.server).bgsave(args.length === 1));
}

/** SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE] [ABORT]: saves as asked, closes the AOF, then the server stops. */
function shutdown(ctx: Session, args: string[]): Reply {
  let save: boolean | null = null;
  let force = false;
  for (const arg of args) {
    if (is(arg, "nosave") && save === null) save = false;
    else if (is(arg, "save") && save === null) save = true;
    else if (is(arg, "now")) continue;
    else if (is(arg, "force")) force = true;
    else if (is(arg, "abort")) fail("ERR No shutdown in progress.");
    else fail(Errors.syntax);
  }
  const p = persistenceOf(ctx.server);
  try {
    p.shutdown(save);
  } catch (e) {
    ctx.server.log.warn({ err: e }, "Error trying to save the DB, can't exit.");
    if (!force) fail("ERR Errors trying to SHUTDOWN. Check logs.");
  }
  ctx.server.log.warn("Redis is now ready to exit, bye bye...");
  setImmediate(() => p.onShutdown());
  return NO_REPLY;
}

/** What a connection's REPLCONF rdb-filter-only asked its snapshot to hold; absent: everything. */
const requestedContent = new WeakMap<Session, RdbContent>();

/** SYNC's reply, also sent after PSYNC's +FULLRESYNC: the dataset as one RDB bulk (what `redis-cli --rdb` reads). */
function snapshotBulk(ctx: Session): Reply {
  return bulk(rdbBytes(ctx.server, requestedContent.get(ctx)).toString("latin1"));
}

/**
 * PSYNC replicationid offset: Restash keeps no replication backlog, so every request is a full
 * resynchronization: +FULLRESYNC with the replication ID and offset, then the snapshot SYNC sends.
 */
function psync(ctx: Session, [, offset]: string[]): Reply {
  parseInt64(offset);
  // Pushed during the command: the transport sends it right after the reply.
  ctx.push(snapshotBulk(ctx));
  return simple(`FULLRESYNC ${ctx.server.replId} 0`);
}

/** rdb-filter-only's value: "" (nothing: replicas in redis-cli --replica) or "functions". */
function rdbFilter(value: string): RdbContent {
  const content: RdbContent = { keys: false, functions: false };
  for (const filter of value.split(/\s+/).filter(Boolean)) {
    if (!is(filter, "functions")) fail(`ERR Unsupported rdb-filter-only option: ${filter}`);
    content.functions = true;
  }
  return content;
}

/** Longest ip-address a replica may announce (Redis's NET_HOST_STR_LEN). */
const MAX_ANNOUNCED_ADDRESS = 256;

/** REPLCONF option value ...: what replicas and redis-cli announce before SYNC / PSYNC, checked as Redis does. */
function replconf(ctx: Session, args: string[]): Reply {
  if (args.length % 2 !== 0) fail(Errors.syntax);
  for (let i = 0; i < args.length; i += 2) {
    const option = args[i];
    const value = args[i + 1];
    if (is(option, "listening-port")) parseInteger(value);
    else if (is(option, "ip-address")) {
      if (value.length >= MAX_ANNOUNCED_ADDRESS) fail(`ERR REPLCONF ip-address provided by replica instance is too long: ${value.length} bytes`);
    } else if (is(option, "capa")) continue; // eof, psync2: a length-prefixed snapshot suits both
    else if (is(option, "ack") || is(option, "getack")) return NO_REPLY; // Redis answers these with nothing
    else if (is(option, "rdb-only")) {
      const only = parseInteger(value);
      if (only < 0 || only > 1) fail("ERR value is out of range, must be between 0 and 1");
    } else if (is(option, "rdb-filter-only")) requestedContent.set(ctx, rdbFilter(value));
    else fail(`ERR Unrecognized REPLCONF option: ${option}`);
  }
  return OK;
}

/** MIGRATE's keys: the key argument, or everything after KEYS. */
function migrateKeys(argv: string[]): number[] {
  const at = argv.findIndex((a, i) => i >= 6 && is(a, "keys"));
  if (at < 0) return argv[3] ? [3] : [];
  return argv.slice(at + 1).map((_, i) => at + 1 + i);
}

export const persistence: CommandSpec[] = [
  {
    name: "dump", arity: 2, flags: ["readonly"], keys: ONE_KEY, categories: ["keyspace"], group: "generic", since: "2.6.0",
    summary: "Return a serialized version of the value stored at the specified key.", syntax: "key",
    complexity: "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).",
    run: dump,
  },
  {
    name: "restore", arity: -4, flags: ["write", "denyoom"], keys: ONE_KEY, categories: ["keyspace", "dangerous"], group: "generic", since: "2.6.0",
    summary: "Create a key using the provided serialized value, previously obtained using DUMP.",
    syntax: "key ttl serialized-value [REPLACE] [ABSTTL] [IDLETIME seconds] [FREQ frequency]",
    complexity: "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).",
    run: restore,
  },
  {
    name: "save", arity: 1, flags: ["admin", "noscript", "no_multi"], categories: ["dangerous"], group: "server", since: "1.0.0",
    summary: "Synchronously saves the database(s) to disk.", complexity: "O(N) where N is the total number of keys in all databases",
    run: save,
  },
  {
    name: "bgsave", arity: -1, flags: ["admin", "noscript"], categories: ["dangerous"], group: "server", since: "1.0.0",
    summary: "Asynchronously saves the database(s) to disk.", complexity: "O(1)", syntax: "[SCHEDULE]",
    run: bgsave,
  },
  {
    name: "bgrewriteaof", arity: 1, flags: ["admin", "noscript"], categories: ["dangerous"], group: "server", since: "1.0.0",
    summary: "Asynchronously rewrites the append-only file to disk.", complexity: "O(1)",
    run: (ctx) => guarded(() => persistenceOf(ctx.server).bgrewriteaof()),
  },
  {
    name: "shutdown", arity: -1, flags: ["admin", "noscript", "loading", "stale", "no_multi", "allow_busy"], categories: ["dangerous"], group: "server", since: "1.0.0",
    summary: "Synchronously saves the database(s) to disk and shuts down the Redis server.", syntax: "[NOSAVE | SAVE] [NOW] [FORCE] [ABORT]",
    complexity: "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
    run: shutdown,
  },
  {
    name: "sync", arity: 1, flags: ["admin", "noscript", "no_multi"], categories: ["dangerous"], group: "server", since: "1.0.0",
    summary: "An internal command used in replication.",
    run: snapshotBulk,
  },
  {
    name: "psync", arity: -3, flags: ["admin", "noscript", "no_multi"], categories: ["dangerous"], group: "server", since: "2.8.0",
    summary: "An internal command used in replication.", syntax: "replicationid offset",
    run: psync,
  },
  {
    name: "replconf", arity: -1, flags: ["admin", "noscript", "loading", "stale", "allow_busy"], categories: ["dangerous"], group: "server", since: "3.0.0",
    summary: "An internal command for configuring the replication stream.", complexity: "O(1)",
    run: replconf,
  },
  {
    name: "migrate", arity: -6, flags: ["write"], findKeys: migrateKeys, categories: ["keyspace", "dangerous"], group: "generic", since: "2.6.0",
    summary: "Atomically transfer a key from a Redis instance to another one.",
    syntax: 'host port <key | ""> destination-db timeout [COPY] [REPLACE] [AUTH password | AUTH2 username password] [KEYS key [key ...]]',
    complexity: "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.",
    run: migrate,
  },
];
