// Blocking pops shared by the list and sorted-set families (BLPOP, BLMOVE, BLMPOP, BZPOPMIN,
// BZMPOP, ...): serve from the first key, in order, that holds the family's type now, or park the
// client until a write makes one of its keys ready. Keys of another type are WRONGTYPE at call time
// and skipped while blocked (Redis 7.0). Inside MULTI and scripts they never block.

import type { ValueType } from "../engine/database.js";
import type { Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { errorReply } from "./dispatch.js";
import type { CommandResult } from "./types.js";

/** What serving a pop did: its reply, and the non-blocking command Redis propagates for it. */
export interface Served {
  reply: Reply;
  effect: string[];
}

export type Serve<T> = (key: string, value: T) => Served;

/** Serves from the first key holding a `type` value (WRONGTYPE on others); null when none does. */
export function serveFirst<T>(ctx: Session, type: ValueType, keys: string[], serve: Serve<T>): Reply | null {
  for (const key of keys) {
    const value = ctx.db.get<T>(key, type);
    if (value === undefined) continue;
    const served = serve(key, value);
    ctx.propagateAs(served.effect);
    return served.reply;
  }
  return null;
}

/** Serves now if it can, else blocks until a key is ready or timeoutMs passes (then onTimeout). */
export function serveOrBlock<T>(ctx: Session, type: ValueType, keys: string[], timeoutMs: number, onTimeout: Reply, serve: Serve<T>): CommandResult {
  const now = serveFirst(ctx, type, keys, serve);
  if (now !== null) return now;
  if (!ctx.canBlock) return onTimeout;
  return ctx.server.blocking.wait({
    clientId: ctx.id,
    dbIndex: ctx.dbIndex,
    keys,
    timeoutMs,
    onTimeout,
    // The key whose write woke the waiters is tried first, as Redis serves it.
    attempt(readyKey: string): Reply | null {
      for (const key of [readyKey, ...keys]) {
        const entry = ctx.db.peek(key);
        if (entry === undefined || entry.type !== type) continue;
        try {
          const served = serve(key, entry.value as T);
          ctx.server.propagate(ctx.dbIndex, served.effect);
          return served.reply;
        } catch (e) {
          return errorReply(ctx, e);
        }
      }
      return null;
    },
  });
}
