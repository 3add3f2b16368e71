// Server commands: FLUSHALL FLUSHDB DBSIZE TIME LASTSAVE CONFIG INFO SLOWLOG LATENCY MEMORY DEBUG.
// COMMAND lives in command-docs.ts, INFO's text in info.ts, CONFIG REWRITE in config-rewrite.ts.

import { ConfigError } from "../config.js";
import { Errors, fail } from "../errors.js";
import { array, bulk, bulks, int, map, OK, verbatim, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is } from "./args.js";
import type { CommandSpec } from "./types.js";
import { enabledFor, helpReply, serverSub } from "./server-common.js";
import { commandCommand } from "./command-docs.js";
import { infoText } from "./info.js";
import { rewriteConfigFile } from "./config-rewrite.js";
import { latencyCommand } from "./latency.js";
import { memoryCommand } from "./memory.js";
import { debugCommand } from "./debug.js";

/** Parses FLUSHALL/FLUSHDB's optional ASYNC|SYNC; true when the memory is to be freed lazily. */
function lazyFlush(ctx: Session, args: string[]): boolean {
  if (args.length > 1 || (args.length === 1 && !is(args[0], "async") && !is(args[0], "sync"))) fail(Errors.syntax);
  return args.length === 0 ? ctx.server.config.bool("lazyfree-lazy-user-flush") : is(args[0], "async");
}

/** Empties one database; returns the number of keys removed. */
function flushDb(ctx: Session, index: number, lazy: boolean): number {
  const db = ctx.server.dbs[index];
  const removed = db.size;
  db.flush();
  if (lazy) ctx.server.lazyfree.releaseDatabase(removed);
  return removed;
}

/** Redis's CONFIG SET error text for a ConfigError. */
function configSetError(e: ConfigError): string {
  return e.param ? `ERR CONFIG SET failed (possibly related to argument '${e.param}') - ${e.message}` : `ERR ${e.message}`;
}

const CONFIG_HELP = [
  "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET <pattern>",
  "    Return parameters matching the glob-like <pattern> and their values.",
  "SET <directive> <value>",
  "    Set the configuration <directive> to <value>.",
  "RESETSTAT",
  "    Reset statistics reported by the INFO command.",
  "REWRITE",
  "    Rewrite the configuration file.",
  "HELP",
  "    Prints this help.",
];

const SLOWLOG_HELP = [
  "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "GET [<count>]",
  "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
  "    Entries are made of:",
  "    id, timestamp, time in microseconds, arguments array, client IP and port,",
  "    client name",
  "LEN",
  "    Return the length of the slowlog.",
  "RESET",
  "    Reset the slowlog.",
  "HELP",
  "    Prints this help.",
];

const config: CommandSpec = {
  name: "config", arity: -2, flags: [], categories: [], group: "server", since: "2.0.0",
  summary: "A container for server configuration commands.",
  subcommands: [
    serverSub("2.0.0", {
      name: "get", arity: -3, flags: ["admin", "noscript", "loading", "stale"], summary: "Returns the effective values of configuration parameters.",
      syntax: "parameter [parameter ...]",
      run(ctx, patterns) {
        const pairs = ctx.server.config.match(patterns);
        return map(pairs.map(([name, value]): [Reply, Reply] => [bulk(name), bulk(value)]));
      },
    }),
    serverSub("2.0.0", {
      name: "set", arity: -4, flags: ["admin", "noscript", "loading", "stale"], summary: "Sets configuration parameters in-flight.",
      syntax: "parameter value [parameter value ...]",
      run(ctx, args) {
        if (args.length % 2 !== 0) fail(Errors.syntax);
        const pairs: [string, string][] = [];
        for (let i = 0; i < args.length; i += 2) pairs.push([args[i], args[i + 1]]);
        try {
          ctx.server.config.setMany(pairs, false, enabledFor(ctx, "enable-protected-configs"));
        } catch (e) {
          if (e instanceof ConfigError) fail(configSetError(e));
          throw e;
        }
        return OK;
      },
    }),
    serverSub("2.0.0", {
      name: "resetstat", arity: 2, flags: ["admin", "noscript", "loading", "stale"], summary: "Resets the server's statistics.",
      run(ctx) {
        ctx.server.stats.reset();
        ctx.server.lazyfree.resetStats();
        return OK;
      },
    }),
    serverSub("2.8.0", {
      name: "rewrite", arity: 2, flags: ["admin", "noscript", "loading", "stale"], summary: "Persists the effective configuration to file.",
      run(ctx) {
        const file = ctx.server.config.file;
        if (file === null) fail("ERR The server is running without a config file");
        try {
          rewriteConfigFile(ctx.server.config, file);
        } catch (e) {
          ctx.server.log.warn({ err: e }, "CONFIG REWRITE failed");
          fail(`ERR Rewriting config file: ${(e as Error).message}`);
        }
        ctx.server.log.info("CONFIG REWRITE executed with success.");
        return OK;
      },
    }),
    serverSub("5.0.0", { name: "help", arity: 2, flags: ["loading", "stale"], summary: "Returns helpful text about the different subcommands.", run: () => helpReply(CONFIG_HELP) }),
  ],
};

const slowlog: CommandSpec = {
  name: "slowlog", arity: -2, flags: [], categories: [], group: "server", since: "2.2.12",
  summary: "A container for slow log commands.",
  subcommands: [
    serverSub("2.2.12", {
      name: "get", arity: -2, flags: ["admin", "loading", "stale"], summary: "Returns the slow log's entries.", syntax: "[count]",
      run(ctx, args) {
        const log = ctx.server.stats.slowlog;
        let count = 10;
        if (args.length === 1) {
          const n = /^-?\d+$/.test(args[0]) ? Number(args[0]) : NaN;
          if (!Number.isSafeInteger(n) || n < -1) fail("ERR count should be greater than or equal to -1");
          count = n === -1 ? log.length : n;
        } else if (args.length > 1) fail(Errors.wrongArgs("slowlog|get"));
        return array(
          log.slice(0, count).map((e) => array([int(e.id), int(e.time), int(e.durationUs), bulks(e.argv), bulk(e.addr), bulk(e.name)])),
        );
      },
    }),
    serverSub("2.2.12", { name: "len", arity: 2, flags: ["admin", "loading", "stale"], summary: "Returns the number of entries in the slow log.", run: (ctx) => int(ctx.server.stats.slowlog.length) }),
    serverSub("2.2.12", {
      name: "reset", arity: 2, flags: ["admin", "loading", "stale"], summary: "Clears all entries from the slow log.",
      run(ctx) {
        ctx.server.stats.resetSlowLog();
        return OK;
      },
    }),
    serverSub("6.2.0", { name: "help", arity: 2, flags: ["loading", "stale"], summary: "Show helpful text about the different subcommands", run: () => helpReply(SLOWLOG_HELP) }),
  ],
};

export const server: CommandSpec[] = [
  {
    name: "flushall", arity: -1, flags: ["write"], categories: ["keyspace", "dangerous"], group: "server", since: "1.0.0",
    summary: "Removes all keys from all databases.", syntax: "[ASYNC | SYNC]", complexity: "O(N) where N is the total number of keys in all databases",
    run(ctx, args) {
      const lazy = lazyFlush(ctx, args);
      let removed = 0;
      for (let i = 0; i < ctx.server.dbs.length; i++) removed += flushDb(ctx, i, lazy);
      // +1 so the flush is propagated even when every database was already empty, as Redis forces.
      ctx.server.dirty += removed + 1;
      return OK;
    },
  },
  {
    name: "flushdb", arity: -1, flags: ["write"], categories: ["keyspace", "dangerous"], group: "server", since: "1.0.0",
    summary: "Remove all keys from the current database.", syntax: "[ASYNC | SYNC]", complexity: "O(N) where N is the number of keys in the selected database",
    run(ctx, args) {
      ctx.server.dirty += flushDb(ctx, ctx.dbIndex, lazyFlush(ctx, args)) + 1;
      return OK;
    },
  },
  {
    name: "dbsize", arity: 1, flags: ["readonly", "fast"], categories: ["keyspace"], group: "server", since: "1.0.0",
    summary: "Returns the number of keys in the database.", complexity: "O(1)",
    run: (ctx) => int(ctx.db.size),
  },
  {
    name: "time", arity: 1, flags: ["loading", "stale", "fast"], categories: [], group: "server", since: "2.6.0",
    summary: "Returns the server time.", complexity: "O(1)",
    run() {
      const us = BigInt(Math.round((performance.timeOrigin + performance.now()) * 1000));
      return bulks([String(us / 1_000_000n), String(us % 1_000_000n)]);
    },
  },
  {
    name: "lastsave", arity: 1, flags: ["loading", "stale", "fast"], categories: ["dangerous"], group: "server", since: "1.0.0",
    summary: "Returns the Unix timestamp of the last successful save to disk.", complexity: "O(1)",
    run: (ctx) => int(ctx.server.lastSave),
  },
  {
    name: "info", arity: -1, flags: ["loading", "stale"], categories: ["dangerous"], group: "server", since: "1.0.0",
    summary: "Returns information and statistics about the server.", syntax: "[section [section ...]]",
    complexity: "O(1)",
    run: (ctx, sections) => verbatim(infoText(ctx, sections)),
  },
  config,
  slowlog,
  latencyCommand,
  memoryCommand,
  debugCommand,
  commandCommand,
];
