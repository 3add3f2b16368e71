// Script flags (shebang `#!lua flags=...` and redis.register_function flags) and the context of
// one running script: who runs it, what it may do, and its timing for busy-reply-threshold.

import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Server } from "../server/server.js";
import type { Session } from "../server/session.js";

/** SHA1 of a byte string, in lower-case hex (script names, redis.sha1hex). */
export function sha1hex(s: string): string {
  return createHash("sha1").update(Buffer.from(s, "latin1")).digest("hex");
}

/** Script flags as bits. EVAL_COMPAT marks an EVAL script without a shebang (Redis 6 semantics). */
export const ScriptFlag = {
  NO_WRITES: 1,
  ALLOW_OOM: 2,
  ALLOW_STALE: 4,
  NO_CLUSTER: 8,
  ALLOW_CROSS_SLOT: 16,
  ALLOW_KEY_LOCKING: 32,
  EVAL_COMPAT: 64,
} as const;

/** Flag names in the order FUNCTION LIST reports them. */
export const FLAG_NAMES: [string, number][] = [
  ["no-writes", ScriptFlag.NO_WRITES],
  ["allow-oom", ScriptFlag.ALLOW_OOM],
  ["allow-stale", ScriptFlag.ALLOW_STALE],
  ["no-cluster", ScriptFlag.NO_CLUSTER],
  ["allow-cross-slot-keys", ScriptFlag.ALLOW_CROSS_SLOT],
  // Declared by @upstash/ratelimit scripts; Redis 7.0 does not know it, Restash accepts it.
  ["allow-key-locking", ScriptFlag.ALLOW_KEY_LOCKING],
];

/** The flag bit of a flag name (exact or case-insensitive), or 0 if unknown. */
export function flagBit(name: string, caseInsensitive: boolean): number {
  const wanted = caseInsensitive ? name.toLowerCase() : name;
  for (const [n, bit] of FLAG_NAMES) if (n === wanted) return bit;
  return 0;
}

export function flagNames(flags: number): string[] {
  const out: string[] = [];
  for (const [n, bit] of FLAG_NAMES) if (flags & bit && bit !== ScriptFlag.ALLOW_KEY_LOCKING) out.push(n);
  return out;
}

/** One script or function invocation. */
export class ScriptRun {
  /** RESP version the script talks to redis.call with (redis.setresp). */
  resp: 2 | 3 = 2;
  /** A write command ran: SCRIPT KILL can no longer stop the script. */
  writeDirty = false;
  /** Past busy-reply-threshold: other clients get BUSY. */
  timedOut = false;
  /** SCRIPT KILL / FUNCTION KILL asked to stop it. */
  killed = false;
  readonly started = performance.now();
  /** Whether a busy script may pause between event-loop turns: not inside EXEC, which completes in one go. */
  readonly pausable: boolean;
  /** When the current slice of execution began (busy scripts run in slices between event-loop turns). */
  sliceStarted = this.started;

  constructor(
    readonly session: Session,
    /** The script's SHA1 (EVAL) or the function's name (FCALL). */
    readonly name: string,
    readonly evalMode: boolean,
    /** The command that runs it, as sent (FUNCTION STATS). */
    readonly argv: string[],
    /** EVAL_RO/FCALL_RO or a no-writes script: write commands are refused. */
    readonly readOnly: boolean,
    readonly allowOom: boolean,
    /** Used memory was past maxmemory when the script started: denyoom commands are refused. */
    readonly oom: boolean,
  ) {
    this.pausable = !session.inExec;
  }

  get elapsedMs(): number {
    return performance.now() - this.started;
  }
}

/** A library being loaded by FUNCTION LOAD: what redis.register_function adds to. */
export interface LibraryLoad {
  readonly functions: Map<string, { name: string; description: string | null; flags: number; handle: number }>;
  readonly started: number;
}

/**
 * What the Lua C functions act on while Lua code runs: the running script (redis.call), the
 * server (redis.log) and the library being loaded (redis.register_function). Set by the engine
 * around every entry into Lua; scripts never nest.
 */
export const current: { run: ScriptRun | null; server: Server | null; load: LibraryLoad | null } = {
  run: null,
  server: null,
  load: null,
};

export const NOREPLICAS = "NOREPLICAS Not enough good replicas to write.";

/** min-replicas-to-write is set: with no replicas, writes are refused. */
export function lacksGoodReplicas(server: Server): boolean {
  return server.config.num("min-replicas-to-write") > 0 && server.config.num("min-replicas-max-lag") > 0;
}

/** Used memory is past maxmemory and nothing can be evicted (Redis's pre-command OOM state). */
export function overMaxmemory(server: Server): boolean {
  const max = server.config.num("maxmemory");
  if (max === 0) return false;
  const m = process.memoryUsage();
  return m.heapUsed + m.external > max;
}
