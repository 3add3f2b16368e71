// Transactions: MULTI EXEC DISCARD WATCH UNWATCH (dispatch queues commands between MULTI and
// EXEC; EXEC runs the queue atomically and propagates its writes as one MULTI ... EXEC unit),
// and WAITAOF, answered as a server without replicas.

import { fail } from "../errors.js";
import { array, int, NIL_ARRAY, OK, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { parseInteger } from "./args.js";
import { execute } from "./dispatch.js";
import type { CommandSpec } from "./types.js";

function exec(ctx: Session): Reply {
  const queue = ctx.multi;
  if (queue === null) fail("ERR EXEC without MULTI");
  const aborted = ctx.multiDirty;
  const watchFailed = ctx.watchDirty;
  ctx.discardTransaction();
  if (aborted) fail("EXECABORT Transaction discarded because of previous errors.");
  if (watchFailed) return NIL_ARRAY;
  ctx.inExec = true;
  try {
    return array(
      ctx.server.atomically(() =>
        queue.map(({ spec, parent, argv }) => {
          const reply = execute(ctx, spec, argv, parent ? `${parent.name}|${spec.name}` : spec.name, parent ? 2 : 1);
          // Commands cannot block inside EXEC (ctx.canBlock is false), so replies are immediate.
          return reply as Reply;
        }),
      ),
    );
  } finally {
    ctx.inExec = false;
  }
}

/** WAITAOF numlocal numreplicas timeout: no replicas ever acknowledge. */
function waitAof(ctx: Session, [numlocal, numreplicas, timeout]: string[]): Reply | Promise<Reply> {
  const local = parseInteger(numlocal);
  const replicas = parseInteger(numreplicas);
  const timeoutMs = parseInteger(timeout, "ERR timeout is not an integer or out of range");
  if (timeoutMs < 0) fail("ERR timeout is negative");
  const aof = ctx.server.config.bool("appendonly");
  if (local > 0 && !aof) fail("ERR WAITAOF cannot be used when numlocal is set but appendonly is disabled.");
  const reply = array([int(aof ? 1 : 0), int(0)]);
  if (replicas <= 0 || !ctx.canBlock) return reply;
  return ctx.server.blocking.wait({ clientId: ctx.id, dbIndex: ctx.dbIndex, keys: [], timeoutMs, attempt: () => null, onTimeout: reply });
}

export const transactions: CommandSpec[] = [
  {
    name: "multi", arity: 1, flags: ["noscript", "loading", "stale", "fast", "allow_busy"], categories: ["transaction"], group: "transactions",
    since: "1.2.0", summary: "Starts a transaction.", complexity: "O(1)",
    run(ctx) {
      if (ctx.multi !== null) fail("ERR MULTI calls can not be nested");
      ctx.multi = [];
      return OK;
    },
  },
  {
    name: "exec", arity: 1, flags: ["noscript", "loading", "stale", "skip_slowlog"], categories: ["transaction"], group: "transactions",
    since: "1.2.0", summary: "Executes all commands in a transaction.", complexity: "Depends on commands in the transaction",
    run: exec,
  },
  {
    name: "discard", arity: 1, flags: ["noscript", "loading", "stale", "fast", "allow_busy"], categories: ["transaction"], group: "transactions",
    since: "2.0.0", summary: "Discards a transaction.", complexity: "O(N), when N is the number of queued commands",
    run(ctx) {
      if (ctx.multi === null) fail("ERR DISCARD without MULTI");
      ctx.discardTransaction();
      return OK;
    },
  },
  {
    name: "watch", arity: -2, flags: ["noscript", "loading", "stale", "fast", "allow_busy"], keys: { first: 1, last: -1, step: 1 },
    categories: ["transaction"], group: "transactions", since: "2.2.0", syntax: "key [key ...]",
    summary: "Monitors changes to keys to determine the execution of a transaction.", complexity: "O(1) for every key.",
    run(ctx, keys) {
      if (ctx.multi !== null) fail("ERR WATCH inside MULTI is not allowed");
      // Watching after a watched key already changed is pointless: EXEC fails anyway.
      if (!ctx.watchDirty) for (const key of keys) ctx.server.watches.watch(ctx, ctx.db, key);
      return OK;
    },
  },
  {
    name: "unwatch", arity: 1, flags: ["noscript", "loading", "stale", "fast", "allow_busy"], categories: ["transaction"], group: "transactions",
    since: "2.2.0", summary: "Forgets about watched keys of a transaction.", complexity: "O(1)",
    run(ctx) {
      ctx.server.watches.unwatchAll(ctx);
      ctx.watchDirty = false;
      return OK;
    },
  },
  {
    name: "waitaof", arity: 4, flags: ["noscript"], categories: ["connection"], group: "generic", since: "7.2.0",
    syntax: "numlocal numreplicas timeout", complexity: "O(1)",
    summary: "Blocks until all of the preceding write commands sent by the connection are written to the append-only file of the master and/or replicas.",
    run: waitAof,
  },
];
