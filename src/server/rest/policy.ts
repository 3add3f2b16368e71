// REST command policy: what the Upstash REST API refuses before a command reaches dispatch, all
// derived from the command specs. Stateless HTTP cannot hold connection state, so transaction
// commands as separate calls (use /multi-exec), connection commands other than PING/ECHO/
// CLIENT SETINFO, and subscriptions (use the SSE endpoints) are refused. Read-only tokens refuse
// writes, admin/dangerous commands, commands that may replicate (scripts that could write,
// PUBLISH) and SCAN, as Upstash does. Blocking commands run without waiting (Upstash answers
// them at once), so they are not refused here. Also checks the key and record size limits.

import type { Config } from "../../config.js";
import { aclCategories, fullName, keyPositions } from "../../commands/table.js";
import type { CommandSpec } from "../../commands/types.js";
import type { TokenKind } from "./tokens.js";

/** Connection commands that make sense without a connection. */
const STATELESS_CONNECTION_COMMANDS = new Set(["ping", "echo", "client|setinfo"]);
/** Reads Upstash refuses for read-only tokens beyond the dangerous ones (KEYS). */
const EXPENSIVE_READS = new Set(["scan"]);

function connectionBound(top: CommandSpec, name: string): boolean {
  if (top.categories.includes("transaction")) return true;
  if (top.categories.includes("connection")) return !STATELESS_CONNECTION_COMMANDS.has(name);
  // SUBSCRIBE and friends are the pub/sub commands scripts may not run; MONITOR streams too.
  return (top.flags.includes("pubsub") && top.flags.includes("noscript")) || top.name === "monitor";
}

function refusedForReadonly(spec: CommandSpec, name: string): boolean {
  if (spec.flags.includes("may_replicate") || EXPENSIVE_READS.has(name)) return true;
  const categories = aclCategories(spec);
  return categories.includes("write") || categories.includes("dangerous");
}

/** Why a resolved command may not run with this kind of token (read-only limits), or null. */
export function tokenRefusal(spec: CommandSpec, parent: CommandSpec | undefined, kind: TokenKind): string | null {
  if (kind === "standard") return null;
  const name = fullName(spec, parent);
  return refusedForReadonly(spec, name) ? `NOPERM this user has no permissions to run the '${name}' command` : null;
}

function computeRestRefusal(spec: CommandSpec, parent: CommandSpec | undefined, kind: TokenKind): string | null {
  const name = fullName(spec, parent);
  if (connectionBound(parent ?? spec, name)) return `ERR Command is not allowed: ${name}`;
  return tokenRefusal(spec, parent, kind);
}

/** restRefusal's answers by spec (a subcommand's spec has one parent): [standard, read-only]. */
const refusals = new WeakMap<CommandSpec, [string | null, string | null]>();

/** Why a resolved command may not run as a REST command with this token, or null when it may. */
export function restRefusal(spec: CommandSpec, parent: CommandSpec | undefined, kind: TokenKind): string | null {
  let known = refusals.get(spec);
  if (known === undefined) {
    known = [computeRestRefusal(spec, parent, "standard"), computeRestRefusal(spec, parent, "readonly")];
    refusals.set(spec, known);
  }
  return known[kind === "standard" ? 0 : 1];
}

/** Checks Upstash's key and single-record size limits (0 = unlimited); returns the error or null. */
export function sizeRefusal(spec: CommandSpec, argv: string[], config: Config): string | null {
  const maxRecord = config.num("rest-max-record-size");
  const maxKey = config.num("rest-max-key-size");
  const smallest = Math.min(maxRecord || Infinity, maxKey || Infinity);
  let large = false;
  for (let i = 1; i < argv.length; i++) if (argv[i].length > smallest) large = true;
  if (!large) return null;
  if (maxKey) {
    for (const i of keyPositions(spec, argv)) {
      if (argv[i].length > maxKey) return `ERR max key size exceeded. Limit: ${maxKey} bytes, Actual: ${argv[i].length} bytes`;
    }
  }
  if (maxRecord) {
    for (let i = 1; i < argv.length; i++) if (argv[i].length > maxRecord) return "ERR max single record size exceeded";
  }
  return null;
}
