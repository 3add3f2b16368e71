// dispatch: the only way a command executes. Looks the command up, checks arity, auth, context
// (pub/sub, MULTI, CLIENT PAUSE), runs it, turns thrown RedisErrors into error replies, and keeps
// the books: command stats, slow log, blocked-client wakeups, client-side caching, the write feed
// (AOF) and MONITOR.

import { performance } from "node:perf_hooks";
import { RedisError, Errors } from "../errors.js";
import { error, QUEUED, simple, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { asciiLower, commandKeys } from "./table.js";
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
  if (argv.length < 2) return top.run ? { spec: top } : Errors.wrongArgs(top.name);
  const subName = asciiLower(argv[1]);
  const sub = top.subcommands.find((s) => s.name === subName);
  if (!sub) return `ERR unknown subcommand '${argv[1].slice(0, 128)}'. Try ${top.name.toUpperCase()} HELP.`;
  if ((sub.arity > 0 && argv.length !== sub.arity) || argv.length < -sub.arity) {
    return Errors.wrongArgs(`${top.name}|${sub.name}`);
  }
  return { spec: sub, parent: top };
}

/** Refuses a command before it runs; inside MULTI that dooms the transaction (a refused EXEC ends it). */
function reject(session: Session, message: string, spec?: CommandSpec, statName?: string): Reply {
  const server = session.server;
  if (spec && statName) server.stats.command(statName).rejected++;
  server.stats.error(message);
  if (session.multi && statName === "exec") {
    session.discardTransaction();
    return error(`EXECABORT Transaction discarded because of: ${message}`);
  }
  if (session.multi) session.multiDirty = true;
  return error(message);
}

/**
 * Runs one command for a session and returns its reply (a Promise only when the command blocks).
 * A caller that already resolved argv (REST's policy checks) passes what resolveCommand returned.
 */
export function dispatch(session: Session, argv: string[], resolved = resolveCommand(session, argv)): CommandResult {
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
  if (session.multi !== null && flags.includes("no_multi")) {
    return reject(session, "ERR Command not allowed inside a transaction", spec, statName);
  }
  const server = session.server;
  // A script past busy-reply-threshold: only commands flagged allow-busy run meanwhile.
  if (server.busyReply !== null && !flags.includes("allow_busy")) return reject(session, server.busyReply, spec, statName);
  if (server.pause.writesPaused && server.pause.holds(mayWrite(session, spec, topName, argv))) {
    return server.pause.postpone(session.id, session.dbIndex, () => dispatch(session, argv));
  }
  if (session.multi !== null && !TX_CONTROL.has(topName)) {
    session.multi.push({ spec, parent, argv });
    return QUEUED;
  }
  if (!server.tracking.idle) server.tracking.enforceLimit();
  const reply = execute(session, spec, argv, statName, parent ? 2 : 1);
  // CLIENT CACHING applies to the next command (or the next transaction) only.
  if (session.tracking?.caching && session.multi === null && topName !== "client") session.tracking.caching = false;
  return reply;
}

/**
 * Runs a command replayed from the AOF as Redis's loader does, calling the command directly: no
 * command stats, slow log or latency samples (the server is loading, so nothing propagates
 * either). Inside MULTI the transaction machinery of dispatch queues and runs the commands.
 * Like dispatch, it takes what resolveCommand returned when the caller already has it.
 */
export function replay(session: Session, argv: string[], resolved = resolveCommand(session, argv)): CommandResult {
  if (session.multi !== null) return dispatch(session, argv, resolved);
  if (typeof resolved === "string") return error(resolved);
  try {
    return resolved.spec.run!(session, argv.slice(resolved.parent ? 2 : 1));
  } catch (e) {
    return errorReply(session, e);
  } finally {
    session.propagation = null;
  }
}

/**
 * Client-side caching: remembers the keys a read-only command read. A script's own command is not
 * tracked, but each read it makes tracks the script's declared keys (as Redis tracks the caller's).
 */
function trackRead(session: Session, spec: CommandSpec, argv: string[]): void {
  if (spec.categories.includes("scripting")) return;
  if (!spec.flags.includes("readonly") || spec.flags.includes("pubsub")) return;
  const keys = session.inScript ? session.scriptKeys : commandKeys(spec, argv);
  if (keys.length > 0) session.server.tracking.remember(session, keys);
}

/** Whether CLIENT PAUSE WRITE holds the command: writes, may-replicate commands, EXEC of such. */
function mayWrite(session: Session, spec: CommandSpec, topName: string, argv: string[]): boolean {
  if (topName === "exec") return session.multi?.some((q) => writes(session, q.spec, q.argv)) ?? false;
  return writes(session, spec, argv);
}

function writes(session: Session, spec: CommandSpec, argv: string[]): boolean {
  const flags = spec.callFlags ? spec.callFlags(session, argv.slice(1)) : spec.flags;
  return flags.includes("write") || flags.includes("may_replicate");
}

/** Error replies already counted in the error stats where they arose (a script's failed redis.call). */
export const countedErrors = new WeakSet<Reply>();

/** Runs an already resolved and checked command (dispatch, EXEC, scripts). */
export function execute(session: Session, spec: CommandSpec, argv: string[], statName: string, argOffset: number): CommandResult {
  const server = session.server;
  const db = session.db;
  db.noTouch = session.noTouch;
  session.lastCommand = statName;
  const dirtyBefore = server.dirty;
  const caller = server.currentClient;
  server.currentClient = session;
  if (session.tracking && spec.categories.includes("scripting")) session.scriptKeys = commandKeys(spec, argv);
  const outerPropagation = session.propagation;
  session.propagation = null;
  const started = performance.now();
  let reply: CommandResult;
  try {
    reply = spec.run!(session, argOffset === 1 ? argv.slice(1) : argv.slice(argOffset));
  } catch (e) {
    reply = errorReply(session, e);
  } finally {
    server.currentClient = caller;
  }
  const propagation = session.propagation;
  session.propagation = outerPropagation;
  const usec = Math.round((performance.now() - started) * 1000);
  const stat = server.stats.command(statName);
  stat.calls++;
  stat.usec += usec;
  server.latency.commandDone(stat, usec, spec.flags.includes("fast"));
  server.stats.totalCommands++;
  db.noTouch = false;
  if (!(reply instanceof Promise) && reply.t === "error") {
    stat.failed++;
    if (!countedErrors.has(reply)) server.stats.error(reply.v);
  }
  if (server.dirty !== dirtyBefore && spec.flags.includes("write")) propagateWrite(session, argv, propagation);
  if (session.tracking && !session.tracking.bcast) trackRead(session, spec, argv);
  if (server.monitors.size > 0 && !spec.flags.includes("skip_monitor") && !spec.flags.includes("admin")) {
    feedMonitors(session, argv);
  }
  // A blocked command reaches the slow log when it is served, as in Redis.
  if (!(reply instanceof Promise)) logIfSlow(session, spec, argv, usec);
  // Inside EXEC, clients blocked on keys the transaction touches are served once it completes.
  if (!session.inExec && !session.inScript) server.blocking.serveReady();
  if (reply instanceof Promise) {
    reply.then((r) => {
      logIfSlow(session, spec, argv, usec);
      // A blocked command's eventual error counts like an immediate one.
      if (r.t !== "error") return;
      stat.failed++;
      if (!countedErrors.has(r)) server.stats.error(r.v);
    });
  }
  return reply;
}

function logIfSlow(session: Session, spec: CommandSpec, argv: string[], usec: number): void {
  const server = session.server;
  const slower = server.config.num("slowlog-log-slower-than");
  if (slower < 0 || usec < slower || spec.flags.includes("skip_slowlog")) return;
  server.stats.addSlowLog(
    { time: Math.floor(Date.now() / 1000), durationUs: usec, argv: slowlogArgs(argv), addr: session.transport.addr, name: session.name },
    server.config.num("slowlog-max-len"),
  );
}

/** Feeds the AOF and replicas what a write command did: its argv, or the forms it chose with propagateAs. */
function propagateWrite(session: Session, argv: string[], forms: string[][] | null): void {
  const server = session.server;
  if (forms === null) server.propagate(session.dbIndex, argv);
  else if (forms.length === 1) server.propagate(session.dbIndex, forms[0]);
  else if (forms.length > 1) server.atomically(() => forms.forEach((form) => server.propagate(session.dbIndex, form)));
}

/** Sends a command line to every MONITOR client: `+<unix.micros> [<db> <addr>] "arg" ...`. */
export function feedMonitors(session: Session, argv: string[]): void {
  const t = performance.timeOrigin + performance.now();
  const sec = Math.floor(t / 1000);
  const usec = String(Math.floor((t - sec * 1000) * 1000)).padStart(6, "0");
  const shown = redacted(argv);
  // Commands a script runs show "lua" as their client, as in Redis.
  let line = `${sec}.${usec} [${session.dbIndex} ${session.inScript ? "lua" : session.transport.addr}]`;
  for (const arg of shown) line += " " + quoteRepr(arg);
  const reply = simple(line);
  for (const monitor of session.server.monitors) monitor.push(reply);
}

/** Secrets are not shown to MONITOR: AUTH's arguments and HELLO's AUTH credentials. */
function redacted(argv: string[]): string[] {
  const name = asciiLower(argv[0]);
  if (name === "auth") return [argv[0], ...argv.slice(1).map(() => "(redacted)")];
  if (name === "hello") {
    const i = argv.findIndex((a, j) => j >= 2 && asciiLower(a) === "auth");
    if (i > 0) return argv.map((a, j) => (j === i + 1 || j === i + 2 ? "(redacted)" : a));
  }
  return argv;
}

/** A byte string quoted and escaped as Redis's sdscatrepr does. */
export function quoteRepr(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    const c = s.charCodeAt(i);
    if (ch === "\\" || ch === '"') out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c === 7) out += "\\a";
    else if (c === 8) out += "\\b";
    else if (c < 32 || c > 126) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
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
