// dispatch: the only way a command executes. Looks the command up, checks arity, auth, context
// (pub/sub, MULTI), runs it, turns thrown RedisErrors into error replies, and keeps the books:
// command stats, slow log, blocked-client wakeups and the write feed (AOF, MONITOR).

import { performance } from "node:perf_hooks";
import { RedisError, Errors } from "../errors.js";
import { error, QUEUED, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { asciiLower } from "./table.js";
import type { CommandResult, CommandSpec } from "./types.js";

/** Commands MULTI does not queue: they act on the transaction itself. */
const TX_CONTROL = new Set(["multi", "exec", "discard", "watch", "quit", "reset"]);
/** Commands allowed while a RESP2 client is subscribed. */
const PUBSUB_CONTEXT = new Set(["subscribe", "ssubscribe", "unsubscribe", "sunsubscribe", "psubscribe", "punsubscribe", "ping", "quit", "reset"]);

function quoteArgs(argv: string[]): string {
  let args = "";
  for (let i = 1; i < argv.length && args.length < 128; i++) args += `'${argv[i].slice(0, 128 - args.length)}' `;
  return args;
}

/** Resolves argv to the spec that runs it (a subcommand for container commands), or an error text. */
export function resolveCommand(session: Session, argv: string[]): { spec: CommandSpec; parent?: CommandSpec } | string {
  const top = session.server.commands.get(argv[0]);
  if (!top) {
    return `ERR unknown command '${argv[0].slice(0, 128)}', with args beginning with: ${quoteArgs(argv)}`;
  }
  if (!top.subcommands) {
    if ((top.arity > 0 && argv.length !== top.arity) || argv.length < -top.arity) return Errors.wrongArgs(top.name);
    return { spec: top };
  }
  if (argv.length < 2) return Errors.wrongArgs(top.name);
  const subName = asciiLower(argv[1]);
  const sub = top.subcommands.find((s) => s.name === subName);
  if (!sub) return `ERR unknown subcommand '${argv[1].slice(0, 128)}'. Try ${top.name.toUpperCase()} HELP.`;
  if ((sub.arity > 0 && argv.length !== sub.arity) || argv.length < -sub.arity) {
    return Errors.wrongArgs(`${top.name}|${sub.name}`);
  }
  return { spec: sub, parent: top };
}

function reject(session: Session, message: string, spec?: CommandSpec, statName?: string): Reply {
  const server = session.server;
  if (spec && statName) server.stats.command(statName).rejected++;
  server.stats.error(message);
  if (session.multi) session.multiDirty = true;
  return error(message);
}

/** Runs one command for a session and returns its reply (a Promise only when the command blocks). */
export function dispatch(session: Session, argv: string[]): CommandResult {
  const resolved = resolveCommand(session, argv);
  if (typeof resolved === "string") return reject(session, resolved);
  const { spec, parent } = resolved;
  const statName = parent ? `${parent.name}|${spec.name}` : spec.name;
  const flags = spec.flags;

  if (!session.authenticated && !flags.includes("no_auth")) return reject(session, Errors.noAuth, spec, statName);
  const topName = parent ? parent.name : spec.name;
  if (session.resp === 2 && session.subscriptionCount > 0 && !PUBSUB_CONTEXT.has(topName)) {
    return reject(
      session,
      `ERR Can't execute '${statName}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context`,
      spec,
      statName,
    );
  }
  if (session.multi !== null && !TX_CONTROL.has(topName)) {
    if (flags.includes("no_multi")) return reject(session, "ERR Command not allowed inside a transaction", spec, statName);
    session.multi.push({ spec, argv });
    return QUEUED;
  }
  return execute(session, spec, argv, statName, parent ? 2 : 1);
}

/** Runs an already resolved and checked command (dispatch, EXEC, scripts). */
export function execute(session: Session, spec: CommandSpec, argv: string[], statName: string, argOffset: number): CommandResult {
  const server = session.server;
  const db = session.db;
  db.noTouch = session.noTouch;
  session.lastCommand = statName;
  const dirtyBefore = server.dirty;
  const started = performance.now();
  let reply: CommandResult;
  try {
    reply = spec.run!(session, argOffset === 1 ? argv.slice(1) : argv.slice(argOffset));
  } catch (e) {
    reply = errorReply(session, e);
  }
  const usec = Math.round((performance.now() - started) * 1000);
  const stat = server.stats.command(statName);
  stat.calls++;
  stat.usec += usec;
  server.stats.totalCommands++;
  db.noTouch = false;
  if (!(reply instanceof Promise) && reply.t === "error") {
    stat.failed++;
    server.stats.error(reply.v);
  }
  if (server.dirty !== dirtyBefore && spec.flags.includes("write")) server.propagate(session.dbIndex, argv);
  const slower = server.config.num("slowlog-log-slower-than");
  if (slower >= 0 && usec >= slower && !spec.flags.includes("skip_slowlog")) {
    server.stats.addSlowLog(
      { time: Math.floor(Date.now() / 1000), durationUs: usec, argv: slowlogArgs(argv), addr: session.transport.addr, name: session.name },
      server.config.num("slowlog-max-len"),
    );
  }
  server.blocking.serveReady();
  return reply;
}

/** Converts an exception from a command into its error reply. */
export function errorReply(session: Session, e: unknown): Reply {
  if (e instanceof RedisError) return error(e.message);
  session.server.log.error({ err: e }, "command failed with an internal error");
  return error(`ERR internal error: ${(e as Error)?.message ?? String(e)}`);
}

/** Slow log keeps at most 32 arguments of at most 128 bytes each, marking what it cut. */
function slowlogArgs(argv: string[]): string[] {
  const max = 32;
  const out: string[] = [];
  const n = Math.min(argv.length, max);
  for (let i = 0; i < n; i++) {
    if (i === max - 1 && argv.length > max) {
      out.push(`... (${argv.length - max + 1} more arguments)`);
      break;
    }
    const a = argv[i];
    out.push(a.length > 128 ? `${a.slice(0, 128)}... (${a.length - 128} more bytes)` : a);
  }
  return out;
}
