// DEBUG: the testing and introspection subcommands Restash supports (SLEEP, LOG, OBJECT, ERROR,
// PROTOCOL, SET-ACTIVE-EXPIRE, CHANGE-REPL-ID, QUICKLIST-PACKED-THRESHOLD, RELOAD, HELP). Like
// Redis, it is refused unless enable-debug-command is yes (or local, for local clients).

import { randomBytes } from "node:crypto";
import { persistenceOf } from "../persistence/persistence.js";
import { fail } from "../errors.js";
import { parseMemory } from "../config.js";
import { ACCESS_EPOCH_SECONDS, idleSeconds } from "../engine/database.js";
import { entryMemoryUsage } from "../engine/memory-usage.js";
import { typeOps } from "../engine/types/index.js";
import { array, bignum, bool, bulk, double, error, int, map, NIL, OK, push, set, simple, verbatim, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { helpReply, enabledFor } from "./server-common.js";
import type { CommandSpec } from "./types.js";

const HELP = [
  "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CHANGE-REPL-ID",
  "    Change the replication IDs of the instance.",
  "    Dangerous: should be used only for testing the replication subsystem.",
  "ERROR <string>",
  "    Return a Redis protocol error with <string> as message. Useful for clients",
  "    unit tests to simulate Redis errors.",
  "LOG <message>",
  "    Write <message> to the server log.",
  "OBJECT <key>",
  "    Show low level info about `key` and associated value.",
  "PROTOCOL <type>",
  "    Reply with a test value of the specified type. <type> can be: string,",
  "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
  "    true, false.",
  "RELOAD [option ...]",
  "    Save the RDB on disk and reload it back to memory.",
  "SET-ACTIVE-EXPIRE <0|1>",
  "    Setting it to 0 disables expiring keys in background when they are not",
  "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
  "    default.",
  "QUICKLIST-PACKED-THRESHOLD <size>",
  "    Sets the threshold for elements to be inserted as plain vs packed nodes",
  "    Default value is 1GB, allows values up to 4GB. Setting to 0 restores to default.",
  "SLEEP <seconds>",
  "    Stop the server for <seconds>. Decimals allowed.",
  "HELP",
  "    Prints this help.",
];

const NOT_ALLOWED =
  'ERR DEBUG command not allowed. If the enable-debug-command option is set to "local", you can run it from a local connection, ' +
  "otherwise you need to set this option in the configuration file, and then restart the server.";

const DEFAULT_PACKED_THRESHOLD = 1 << 30;

/** Blocks the whole process, as Redis's DEBUG SLEEP stops the server. */
function sleepSync(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** C's strtod/atoi leniency: the leading number of s, 0 when there is none. */
function leadingNumber(s: string): number {
  const m = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(s);
  return m ? Number(m[0]) : 0;
}

/** RDB-like serialized length of a value: exact enough for strings, an estimate otherwise. */
function serializedLength(key: string, ctx: Session): number {
  const entry = ctx.db.peek(key)!;
  if (typeof entry.value === "string") {
    const s = entry.value;
    if (/^-?[1-9]\d{0,9}$|^0$/.test(s) && Math.abs(Number(s)) <= 2147483647) return Math.abs(Number(s)) < 128 ? 2 : Math.abs(Number(s)) < 32768 ? 3 : 5;
    return s.length + (s.length < 64 ? 1 : s.length < 16384 ? 2 : 5);
  }
  return entryMemoryUsage(key, entry, 0);
}

function objectLine(ctx: Session, key: string): string {
  const entry = ctx.db.peek(key);
  if (entry === undefined) fail("ERR no such key");
  const ops = typeOps(entry.type);
  const config = ctx.server.config;
  const idle = idleSeconds(entry, Date.now());
  const lruClock = (entry.lastAccess + ACCESS_EPOCH_SECONDS) & 0xffffff;
  const address = `0x7f${(0x10000000 + entry.seq * 16).toString(16)}`;
  return (
    `Value at:${address} refcount:${ops.refcount?.(entry.value, config) ?? 1} encoding:${ops.encoding(entry.value, config)} ` +
    `serializedlength:${serializedLength(key, ctx)} lru:${lruClock} lru_seconds_idle:${idle}`
  );
}

const PROTOCOL_REPLIES = new Map<string, () => Reply>(Object.entries({
  string: () => bulk("Hello World"),
  integer: () => int(12345),
  double: () => double(3.141),
  bignum: () => bignum(1234567999999999999999999999999999999n),
  null: () => NIL,
  array: () => array([int(0), int(1), int(2)]),
  set: () => set([int(0), int(1), int(2)]),
  map: () => map([[int(0), bool(false)], [int(1), bool(true)], [int(2), bool(false)]]),
  attrib: () => bulk("Some real reply following the attribute"),
  push: () => push([bulk("server-cpu-usage"), int(42)]),
  verbatim: () => verbatim("This is a verbatim\nstring"),
  true: () => bool(true),
  false: () => bool(false),
}));

/** Subcommand name → [argc including DEBUG and the subcommand (negative = at least), handler]. */
const SUBCOMMANDS = new Map<string, [number, (ctx: Session, args: string[]) => Reply]>(Object.entries({
  help: [2, () => helpReply(HELP)],
  sleep: [
    3,
    (_ctx, [seconds]) => {
      sleepSync(Math.round(leadingNumber(seconds) * 1000));
      return OK;
    },
  ],
  log: [
    3,
    (ctx, [message]) => {
      ctx.server.log.warn(`DEBUG LOG: ${message}`);
      return OK;
    },
  ],
  error: [3, (_ctx, [message]) => error(message)],
  object: [3, (ctx, [key]) => simple(objectLine(ctx, key))],
  protocol: [
    3,
    (_ctx, [type]) => {
      const make = PROTOCOL_REPLIES.get(type.toLowerCase());
      if (!make) {
        fail("ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false");
      }
      return make();
    },
  ],
  "set-active-expire": [
    3,
    (ctx, [flag]) => {
      ctx.server.activeExpireEnabled = Math.trunc(leadingNumber(flag)) !== 0;
      return OK;
    },
  ],
  "change-repl-id": [
    2,
    (ctx) => {
      ctx.server.replId = randomBytes(20).toString("hex");
      return OK;
    },
  ],
  "quicklist-packed-threshold": [
    3,
    (ctx, [size]) => {
      const bytes = parseMemory(size);
      if (bytes === null || bytes < 0 || bytes > 4 * 1024 ** 3) fail("ERR argument must be a memory value bigger than 1 and smaller than 4gb");
      ctx.server.quicklistPackedThreshold = bytes === 0 ? DEFAULT_PACKED_THRESHOLD : bytes;
      return OK;
    },
  ],
  reload: [
    -2,
    (ctx, args) => {
      const options = { save: true, flush: true };
      for (const arg of args) {
        const opt = arg.toLowerCase();
        if (opt === "nosave") options.save = false;
        else if (opt === "noflush") options.flush = false;
        else if (opt !== "merge") fail(`ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.`);
      }
      try {
        persistenceOf(ctx.server).reload(options);
      } catch (e) {
        ctx.server.log.warn({ err: e }, "DEBUG RELOAD failed");
        fail(options.save ? "ERR Error trying to save the DB" : "ERR Error trying to load the RDB dump");
      }
      return OK;
    },
  ],
}));

export const debugCommand: CommandSpec = {
  name: "debug", arity: -2, flags: ["admin", "noscript", "loading", "stale"], categories: [], group: "server", since: "1.0.0",
  summary: "A container for debugging commands.", syntax: "subcommand [argument ...]",
  run(ctx, args) {
    if (!enabledFor(ctx, "enable-debug-command")) fail(NOT_ALLOWED);
    const name = args[0].toLowerCase();
    const sub = SUBCOMMANDS.get(name);
    const argc = args.length + 1;
    if (!sub || (sub[0] > 0 ? argc !== sub[0] : argc < -sub[0])) {
      fail(`ERR unknown subcommand or wrong number of arguments for '${args[0]}'. Try DEBUG HELP.`);
    }
    return sub[1](ctx, args.slice(1));
  },
};
