// MEMORY: USAGE (per-key estimate from engine/memory-usage.ts), STATS, DOCTOR, MALLOC-STATS,
// PURGE, HELP.

import { Errors, fail } from "../errors.js";
import { entryMemoryUsage } from "../engine/memory-usage.js";
import { bulk, double, int, map, NIL, OK, verbatim, type Reply } from "../protocol/reply.js";
import type { Server } from "../server/server.js";
import { is, parseInteger } from "./args.js";
import { memoryFigures } from "./info.js";
import { helpReply, serverSub } from "./server-common.js";
import type { CommandSpec } from "./types.js";

const HELP = [
  "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DOCTOR",
  "    Return memory problems reports.",
  "MALLOC-STATS",
  "    Return internal statistics report from the memory allocator.",
  "PURGE",
  "    Attempt to purge dirty pages for reclamation by the allocator.",
  "STATS",
  "    Return information about the memory usage of the server.",
  "USAGE <key> [SAMPLES <count>]",
  "    Return memory in bytes used by <key> and its value. Nested values are",
  "    sampled up to <count> times (default: 5, 0 means sample all).",
  "HELP",
  "    Prints this help.",
];

/** Below this much data (beyond the startup footprint) MEMORY DOCTOR has nothing to say (Redis's 5 MB). */
const DOCTOR_MIN_BYTES = 5 * 1024 * 1024;

function keyCount(server: Server): number {
  return server.dbs.reduce((n, db) => n + db.size, 0);
}

function memoryStats(server: Server): Reply {
  const { used, rss, peak, startup } = memoryFigures();
  const keys = keyCount(server);
  const dataset = Math.max(0, used - startup);
  const pairs: [Reply, Reply][] = [
    [bulk("peak.allocated"), int(peak)],
    [bulk("total.allocated"), int(used)],
    [bulk("startup.allocated"), int(startup)],
    [bulk("replication.backlog"), int(0)],
    [bulk("clients.slaves"), int(0)],
    [bulk("clients.normal"), int(0)],
    [bulk("aof.buffer"), int(0)],
    [bulk("lua.caches"), int(0)],
  ];
  server.dbs.forEach((db, i) => {
    if (db.size === 0) return;
    pairs.push([
      bulk(`db.${i}`),
      map([
        [bulk("overhead.hashtable.main"), int(db.size * 32)],
        [bulk("overhead.hashtable.expires"), int(db.volatileCount * 32)],
      ]),
    ]);
  });
  pairs.push(
    [bulk("overhead.total"), int(startup)],
    [bulk("keys.count"), int(keys)],
    [bulk("keys.bytes-per-key"), int(keys === 0 ? 0 : Math.floor(dataset / keys))],
    [bulk("dataset.bytes"), int(dataset)],
    [bulk("dataset.percentage"), double(used === startup ? 0 : (dataset * 100) / (used - startup))],
    [bulk("peak.percentage"), double((used * 100) / peak)],
    [bulk("fragmentation"), double(rss / used)],
    [bulk("fragmentation.bytes"), int(rss - used)],
  );
  return map(pairs);
}

function doctorReport(): string {
  const { used, peak, startup } = memoryFigures();
  if (used - startup < DOCTOR_MIN_BYTES) {
    return (
      "Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. " +
      "Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting."
    );
  }
  if (peak / used <= 1.5) return "Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.";
  return (
    "Sam, I detected a few issues in this Redis instance memory implants:\n\n" +
    " * Peak memory: In the past this instance used more than 150% the memory that is currently using. " +
    "The allocator is normally not able to release memory after a peak, so you can expect to see a big fragmentation ratio.\n\n" +
    "I'm here to keep you safe, Sam. I want to help you.\n"
  );
}

export const memoryCommand: CommandSpec = {
  name: "memory", arity: -2, flags: [], categories: [], group: "server", since: "4.0.0",
  summary: "A container for memory diagnostics commands.",
  subcommands: [
    serverSub("4.0.0", {
      name: "usage", arity: -3, flags: ["readonly"], keys: { first: 2, last: 2, step: 1 },
      summary: "Estimates the memory usage of a key.", syntax: "key [SAMPLES count]", complexity: "O(N) where N is the number of samples.",
      run(ctx, [key, ...opts]) {
        let samples = 5;
        for (let i = 0; i < opts.length; i++) {
          if (is(opts[i], "samples") && i + 1 < opts.length) {
            samples = parseInteger(opts[++i]);
            if (samples < 0) fail(Errors.syntax);
          } else fail(Errors.syntax);
        }
        const entry = ctx.db.peek(key);
        return entry === undefined ? NIL : int(entryMemoryUsage(key, entry, samples));
      },
    }),
    serverSub("4.0.0", { name: "stats", arity: 2, flags: [], summary: "Returns details about memory usage.", run: (ctx) => memoryStats(ctx.server) }),
    serverSub("4.0.0", { name: "doctor", arity: 2, flags: [], summary: "Outputs a memory problems report.", run: () => verbatim(doctorReport()) }),
    serverSub("4.0.0", {
      name: "malloc-stats", arity: 2, flags: [], summary: "Returns the allocator statistics.",
      run: () => verbatim("Stats not supported for the current allocator"),
    }),
    serverSub("4.0.0", { name: "purge", arity: 2, flags: [], summary: "Asks the allocator to release memory.", run: () => OK }),
    serverSub("4.0.0", { name: "help", arity: 2, flags: ["loading", "stale"], summary: "Returns helpful text about the different subcommands.", run: () => helpReply(HELP) }),
  ],
};
