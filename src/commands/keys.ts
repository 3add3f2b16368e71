// Generic key commands (Redis's db.c / expire.c / object.c): DEL UNLINK EXISTS TYPE RENAME RENAMENX
// KEYS SCAN RANDOMKEY TOUCH COPY MOVE OBJECT, the EXPIRE family (EXPIRE PEXPIRE EXPIREAT PEXPIREAT
// EXPIRETIME PEXPIRETIME TTL PTTL PERSIST) and WAIT. Also the SCAN cursor/option parsing that
// SSCAN, HSCAN and ZSCAN share.

import { Errors, fail } from "../errors.js";
import { now } from "../engine/clock.js";
import { idleSeconds, type Database, type Entry } from "../engine/database.js";
import { globMatch } from "../engine/glob.js";
import { typeOps } from "../engine/types/index.js";
import { array, bulk, bulkOrNil, int, NIL, OK, ONE, simple, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import type { Config } from "../config.js";
import { is, parseInt64, parseInteger } from "./args.js";
import type { CommandSpec, KeyPositions } from "./types.js";

const FIRST_KEY: KeyPositions = { first: 1, last: 1, step: 1 };
const ALL_KEYS: KeyPositions = { first: 1, last: -1, step: 1 };
const TWO_KEYS: KeyPositions = { first: 1, last: 2, step: 1 };
const SAME_OBJECT = "ERR source and destination objects are the same";

/** A generic-group keyspace command; complexity O(1) unless stated. */
function generic(spec: Omit<CommandSpec, "group" | "categories">): CommandSpec {
  return { group: "generic", categories: ["keyspace"], complexity: "O(1)", ...spec };
}

/** A database index argument of COPY DB / MOVE, checked as Redis's getIntFromObject + selectDb. */
function targetDb(ctx: Session, arg: string): Database {
  const index = parseInteger(arg);
  if (index < -2147483648 || index > 2147483647) fail("ERR value is out of range, value must between -2147483648 and 2147483647");
  if (index < 0 || index >= ctx.server.dbs.length) fail(Errors.dbIndexOutOfRange);
  return ctx.server.dbs[index];
}

// --- Deleting, inspecting, renaming --------------------------------------------------------------

function deleteKeys(ctx: Session, keys: string[], lazy: boolean): Reply {
  const db = ctx.db;
  let deleted = 0;
  for (const key of keys) {
    // peek first so an expired key is expired (with its event) rather than counted as deleted.
    const entry = db.peek(key);
    if (entry === undefined || !db.delete(key)) continue;
    if (lazy) ctx.server.lazyfree.release(entry);
    db.notify("g", "del", key);
    deleted++;
  }
  return int(deleted);
}

/** RENAME/RENAMENX: gives `from`'s value and TTL to `to`; false when NX finds `to` taken. */
function renameKey(db: Database, from: string, to: string, nx: boolean): boolean {
  if (db.lookup(from) === undefined) fail(Errors.noSuchKey);
  if (from === to) return !nx;
  if (db.peek(to) !== undefined && nx) return false;
  db.attach(to, db.detach(from)!);
  db.signalReady(to);
  db.notify("g", "rename_from", from);
  db.notify("g", "rename_to", to);
  return true;
}

function copyKey(ctx: Session, source: string, destination: string, options: string[]): Reply {
  const src = ctx.db;
  let dst = src;
  let replace = false;
  for (let i = 0; i < options.length; i++) {
    if (is(options[i], "replace")) replace = true;
    else if (is(options[i], "db") && i + 1 < options.length) dst = targetDb(ctx, options[++i]);
    else fail(Errors.syntax);
  }
  if (src === dst && source === destination) fail(SAME_OBJECT);
  const entry = src.lookup(source);
  if (entry === undefined) return ZERO;
  if (dst.peek(destination) !== undefined) {
    if (!replace) return ZERO;
    dst.delete(destination);
  }
  dst.set(destination, entry.type, typeOps(entry.type).clone(entry.value), { expireAt: entry.expireAt });
  dst.signalReady(destination);
  dst.notify("g", "copy_to", destination);
  return ONE;
}

function moveKey(ctx: Session, key: string, dbArg: string): Reply {
  const src = ctx.db;
  const dst = targetDb(ctx, dbArg);
  if (src === dst) fail(SAME_OBJECT);
  if (src.lookup(key) === undefined || dst.peek(key) !== undefined) return ZERO;
  dst.attach(key, src.detach(key)!);
  dst.signalReady(key);
  src.notify("g", "move_from", key);
  dst.notify("g", "move_to", key);
  return ONE;
}

function keysMatching(db: Database, pattern: string): Reply {
  const all = pattern === "*";
  const out: Reply[] = [];
  for (const key of db.keys()) if (all || globMatch(pattern, key)) out.push(bulk(key));
  return array(out);
}

// --- SCAN ------------------------------------------------------------------------------------------

const CURSOR = /^[+-]?[0-9]+$/;
const ULONG_MAX = 2n ** 64n - 1n;

/**
 * A SCAN-family cursor as Redis's strtoul-based parsing reads it: optional sign (negative values
 * wrap), no spaces, at most 2^64-1; "" reads as 0. Errors "ERR invalid cursor".
 */
export function parseScanCursor(arg: string): number {
  if (arg === "") return 0;
  if (!CURSOR.test(arg)) fail("ERR invalid cursor");
  if (arg.length > 19) {
    const n = BigInt(arg);
    if (n > ULONG_MAX || n < -ULONG_MAX) fail("ERR invalid cursor");
  }
  const n = Number(arg);
  return n < 0 ? 2 ** 64 + n : n;
}

export interface ScanOptions {
  count: number;
  /** Glob for MATCH; null when absent or "*". */
  pattern: string | null;
  /** TYPE filter (SCAN only), compared case-insensitively with the type name. */
  type: string | null;
}

/** Parses [MATCH pattern] [COUNT count] (and [TYPE type] for SCAN) from args[from]. */
export function parseScanOptions(args: string[], from: number, allowType: boolean): ScanOptions {
  const options: ScanOptions = { count: 10, pattern: null, type: null };
  for (let i = from; i < args.length; i += 2) {
    const hasValue = i + 1 < args.length;
    if (hasValue && is(args[i], "count")) {
      options.count = parseInteger(args[i + 1]);
      if (options.count < 1) fail(Errors.syntax);
    } else if (hasValue && is(args[i], "match")) {
      options.pattern = args[i + 1] === "*" ? null : args[i + 1];
    } else if (hasValue && allowType && is(args[i], "type")) {
      options.type = args[i + 1].toLowerCase();
    } else {
      fail(Errors.syntax);
    }
  }
  return options;
}

/** A SCAN-family reply: the next cursor and the elements found. */
export function scanReply(cursor: number, items: Reply[]): Reply {
  return array([bulk(String(cursor)), array(items)]);
}

function scanKeys(ctx: Session, args: string[]): Reply {
  const cursor = parseScanCursor(args[0]);
  const { count, pattern, type } = parseScanOptions(args, 1, true);
  const out: Reply[] = [];
  const next = ctx.db.scan(cursor, count, (key, entry) => {
    if (pattern !== null && !globMatch(pattern, key)) return;
    if (type !== null && entry.type.toLowerCase() !== type) return;
    out.push(bulk(key));
  });
  return scanReply(next, out);
}

// --- Expiry ----------------------------------------------------------------------------------------

const NX = 1;
const XX = 2;
const GT = 4;
const LT = 8;
const LLONG_MAX = 2n ** 63n - 1n;
const SECONDS_LIMIT = LLONG_MAX / 1000n;

function parseExpireFlags(options: string[]): number {
  let flags = 0;
  for (const option of options) {
    if (is(option, "nx")) flags |= NX;
    else if (is(option, "xx")) flags |= XX;
    else if (is(option, "gt")) flags |= GT;
    else if (is(option, "lt")) flags |= LT;
    else fail(`ERR Unsupported option ${option}`);
  }
  if (flags & NX && flags & (XX | GT | LT)) fail("ERR NX and XX, GT or LT options at the same time are not compatible");
  if (flags & GT && flags & LT) fail("ERR GT and LT options at the same time are not compatible");
  return flags;
}

/** The absolute expiry in ms an EXPIRE-family argument means, with Redis's int64 overflow checks. */
function absoluteExpiry(arg: string, unitMs: 1 | 1000, baseMs: number, command: string): number {
  let when = parseInt64(arg);
  if (unitMs === 1000) {
    if (when > SECONDS_LIMIT || when < -SECONDS_LIMIT) fail(Errors.invalidExpire(command));
    when *= 1000n;
  }
  const base = BigInt(baseMs);
  if (when > LLONG_MAX - base) fail(Errors.invalidExpire(command));
  return Number(when + base);
}

/** Whether NX/XX/GT/LT allow replacing the current expiry (0 = none, i.e. infinite) with `at`. */
function expireAllowed(flags: number, current: number, at: number): boolean {
  if (flags & NX) return current === 0;
  if (flags & XX && current === 0) return false;
  if (flags & GT) return current !== 0 && at > current;
  if (flags & LT) return current === 0 || at < current;
  return true;
}

/** EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT: a time in seconds or ms, relative to now or absolute. */
function expireCommand(name: string, since: string, summary: string, unitMs: 1 | 1000, relative: boolean, unitName: string): CommandSpec {
  return generic({
    name, arity: -3, flags: ["write", "fast"], keys: FIRST_KEY, since, summary,
    syntax: `key ${unitName} [NX | XX | GT | LT]`,
    run(ctx, [key, time, ...options]) {
      const flags = parseExpireFlags(options);
      const at = absoluteExpiry(time, unitMs, relative ? now() : 0, name);
      const db = ctx.db;
      const entry = db.lookup(key);
      if (entry === undefined || !expireAllowed(flags, entry.expireAt, at)) {
        ctx.propagateAs();
        return ZERO;
      }
      // While an AOF loads, a time already past is kept (the key may still be written before its DEL).
      if (at <= now() && !ctx.server.loading) {
        db.delete(key);
        db.notify("g", "del", key);
        ctx.propagateAs(["del", key]);
      } else {
        db.setExpire(key, at);
        db.notify("g", "expire", key);
        ctx.propagateAs(["pexpireat", key, String(at)]);
      }
      return ONE;
    },
  });
}

/** TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 missing key, -1 no expiry; seconds are rounded. */
function ttlCommand(name: string, since: string, summary: string, inMs: boolean, absolute: boolean): CommandSpec {
  return generic({
    name, arity: 2, flags: ["readonly", "fast"], keys: FIRST_KEY, since, summary, syntax: "key",
    run(ctx, [key]) {
      const entry = ctx.db.peek(key);
      if (entry === undefined) return int(-2);
      if (entry.expireAt === 0) return int(-1);
      const ms = Math.max(0, absolute ? entry.expireAt : entry.expireAt - now());
      return int(inMs ? ms : Math.floor((ms + 500) / 1000));
    },
  });
}

// --- OBJECT ----------------------------------------------------------------------------------------

const POLICY_NOTE = "Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.";

const OBJECT_HELP = [
  "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "ENCODING <key>",
  "    Return the kind of internal representation used in order to store the value",
  "    associated with a <key>.",
  "FREQ <key>",
  "    Return the access frequency index of the <key>. The returned integer is",
  "    proportional to the logarithm of the recent access frequency of the key.",
  "IDLETIME <key>",
  "    Return the idle time of the <key>, that is the approximated number of",
  "    seconds elapsed since the last access to the key.",
  "REFCOUNT <key>",
  "    Return the number of references of the value associated with the specified",
  "    <key>.",
  "HELP",
  "    Prints this help.",
];

function lfuPolicy(config: Config): boolean {
  return config.get("maxmemory-policy").endsWith("lfu");
}

/** The LFU counter after Redis's decay: one step per lfu-decay-time minutes since the last access. */
function lfuCounter(entry: Entry, config: Config): number {
  const decayMinutes = config.num("lfu-decay-time");
  const periods = decayMinutes > 0 ? Math.floor(idleSeconds(entry) / 60 / decayMinutes) : 0;
  return Math.max(0, entry.freq - periods);
}

/** An OBJECT subcommand on one key: nil when the key is missing; never touches the key. */
function objectInspect(name: string, since: string, summary: string, describe: (entry: Entry, config: Config) => Reply): CommandSpec {
  return generic({
    name, arity: 3, flags: ["readonly"], keys: { first: 2, last: 2, step: 1 }, since, summary, syntax: "key",
    run(ctx, [key]) {
      const entry = ctx.db.peek(key);
      return entry === undefined ? NIL : describe(entry, ctx.server.config);
    },
  });
}

const objectSubcommands: CommandSpec[] = [
  objectInspect("encoding", "2.2.3", "Inspect the internal encoding of a Redis object", (entry, config) =>
    bulk(typeOps(entry.type).encoding(entry.value, config, entry)),
  ),
  objectInspect("freq", "4.0.0", "Get the logarithmic access frequency counter of a Redis object", (entry, config) => {
    if (!lfuPolicy(config)) fail(`ERR An LFU maxmemory policy is not selected, access frequency not tracked. ${POLICY_NOTE}`);
    return int(lfuCounter(entry, config));
  }),
  objectInspect("idletime", "2.2.3", "Get the time since a Redis object was last accessed", (entry, config) => {
    if (lfuPolicy(config)) fail(`ERR An LFU maxmemory policy is selected, idle time not tracked. ${POLICY_NOTE}`);
    return int(idleSeconds(entry));
  }),
  objectInspect("refcount", "2.2.3", "Get the number of references to the value of the key", (entry, config) =>
    int(typeOps(entry.type).refcount?.(entry.value, config, entry) ?? 1),
  ),
  generic({
    name: "help", arity: 2, flags: ["loading", "stale"], since: "6.2.0", summary: "Show helpful text about the different subcommands",
    run: () => array(OBJECT_HELP.map(simple)),
  }),
];

// --- The table -------------------------------------------------------------------------------------

export const keys: CommandSpec[] = [
  generic({
    name: "del", arity: -2, flags: ["write"], keys: ALL_KEYS, since: "1.0.0", summary: "Delete a key", syntax: "key [key ...]",
    complexity: "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).",
    run: (ctx, keys) => deleteKeys(ctx, keys, ctx.server.config.bool("lazyfree-lazy-user-del")),
  }),
  generic({
    name: "unlink", arity: -2, flags: ["write", "fast"], keys: ALL_KEYS, since: "4.0.0", syntax: "key [key ...]",
    summary: "Delete a key asynchronously in another thread. Otherwise it is just as DEL, but non blocking.",
    complexity: "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.",
    run: (ctx, keys) => deleteKeys(ctx, keys, true),
  }),
  generic({
    name: "exists", arity: -2, flags: ["readonly", "fast"], keys: ALL_KEYS, since: "1.0.0", summary: "Determine if a key exists",
    syntax: "key [key ...]", complexity: "O(N) where N is the number of keys to check.",
    run(ctx, names) {
      let found = 0;
      for (const key of names) if (ctx.db.has(key)) found++;
      return int(found);
    },
  }),
  generic({
    name: "touch", arity: -2, flags: ["readonly", "fast"], keys: ALL_KEYS, since: "3.2.1", syntax: "key [key ...]",
    summary: "Alters the last access time of a key(s). Returns the number of existing keys specified.",
    complexity: "O(N) where N is the number of keys that will be touched.",
    run(ctx, names) {
      let found = 0;
      for (const key of names) if (ctx.db.lookup(key) !== undefined) found++;
      return int(found);
    },
  }),
  generic({
    name: "type", arity: 2, flags: ["readonly", "fast"], keys: FIRST_KEY, since: "1.0.0", summary: "Determine the type stored at key",
    syntax: "key",
    run: (ctx, [key]) => simple(ctx.db.peek(key)?.type ?? "none"),
  }),
  generic({
    name: "rename", arity: 3, flags: ["write"], keys: TWO_KEYS, since: "1.0.0", summary: "Rename a key", syntax: "key newkey",
    run(ctx, [key, newkey]) {
      renameKey(ctx.db, key, newkey, false);
      return OK;
    },
  }),
  generic({
    name: "renamenx", arity: 3, flags: ["write", "fast"], keys: TWO_KEYS, since: "1.0.0", syntax: "key newkey",
    summary: "Rename a key, only if the new key does not exist",
    run: (ctx, [key, newkey]) => (renameKey(ctx.db, key, newkey, true) ? ONE : ZERO),
  }),
  generic({
    name: "copy", arity: -3, flags: ["write", "denyoom"], keys: TWO_KEYS, since: "6.2.0", summary: "Copy a key",
    syntax: "source destination [DB destination-db] [REPLACE]",
    complexity: "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.",
    run: (ctx, [source, destination, ...options]) => copyKey(ctx, source, destination, options),
  }),
  generic({
    name: "move", arity: 3, flags: ["write", "fast"], keys: FIRST_KEY, since: "1.0.0", summary: "Move a key to another database",
    syntax: "key db",
    run: (ctx, [key, db]) => moveKey(ctx, key, db),
  }),
  {
    name: "keys", arity: 2, flags: ["readonly"], categories: ["keyspace", "dangerous"], group: "generic", since: "1.0.0",
    summary: "Find all keys matching the given pattern", syntax: "pattern",
    complexity: "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.",
    run: (ctx, [pattern]) => keysMatching(ctx.db, pattern),
  },
  generic({
    name: "scan", arity: -2, flags: ["readonly"], since: "2.8.0", summary: "Incrementally iterate the keys space",
    syntax: "cursor [MATCH pattern] [COUNT count] [TYPE type]",
    complexity: "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.",
    run: scanKeys,
  }),
  generic({
    name: "randomkey", arity: 1, flags: ["readonly"], since: "1.0.0", summary: "Return a random key from the keyspace",
    run: (ctx) => bulkOrNil(ctx.db.randomKey()),
  }),
  {
    name: "object", arity: -2, flags: [], categories: [], group: "generic", since: "2.2.3",
    summary: "A container for object introspection commands", complexity: "Depends on subcommand.",
    subcommands: objectSubcommands,
  },
  expireCommand("expire", "1.0.0", "Set a key's time to live in seconds", 1000, true, "seconds"),
  expireCommand("pexpire", "2.6.0", "Set a key's time to live in milliseconds", 1, true, "milliseconds"),
  expireCommand("expireat", "1.2.0", "Set the expiration for a key as a UNIX timestamp", 1000, false, "unix-time-seconds"),
  expireCommand("pexpireat", "2.6.0", "Set the expiration for a key as a UNIX timestamp specified in milliseconds", 1, false, "unix-time-milliseconds"),
  ttlCommand("ttl", "1.0.0", "Get the time to live for a key in seconds", false, false),
  ttlCommand("pttl", "2.6.0", "Get the time to live for a key in milliseconds", true, false),
  ttlCommand("expiretime", "7.0.0", "Get the expiration Unix timestamp for a key", false, true),
  ttlCommand("pexpiretime", "7.0.0", "Get the expiration Unix timestamp for a key in milliseconds", true, true),
  generic({
    name: "persist", arity: 2, flags: ["write", "fast"], keys: FIRST_KEY, since: "2.2.0", summary: "Remove the expiration from a key",
    syntax: "key",
    run(ctx, [key]) {
      const entry = ctx.db.lookup(key);
      if (entry === undefined || entry.expireAt === 0) return ZERO;
      ctx.db.setExpire(key, 0);
      ctx.db.notify("g", "persist", key);
      return ONE;
    },
  }),
  {
    name: "wait", arity: 3, flags: ["noscript"], categories: ["connection"], group: "generic", since: "3.0.0", complexity: "O(1)",
    summary: "Wait for the synchronous replication of all the write commands sent in the context of the current connection",
    syntax: "numreplicas timeout",
    run(ctx, [numreplicas, timeout]) {
      const wanted = parseInteger(numreplicas);
      const timeoutMs = parseInteger(timeout, "ERR timeout is not an integer or out of range");
      if (timeoutMs < 0) fail("ERR timeout is negative");
      // A master without replicas: no replica ever acknowledges, so WAIT answers 0 (after the timeout).
      if (wanted <= 0 || !ctx.canBlock) return ZERO;
      return ctx.server.blocking.wait({ clientId: ctx.id, dbIndex: ctx.dbIndex, keys: [], timeoutMs, attempt: () => null, onTimeout: ZERO });
    },
  },
];
