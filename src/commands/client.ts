// CLIENT: connection introspection and control (ID, SETNAME, GETNAME, LIST, INFO, KILL, SETINFO,
// NO-EVICT, NO-TOUCH, REPLY, UNBLOCK, HELP).

import { Errors, fail } from "../errors.js";
import { bulk, bulkOrNil, bulks, int, NO_REPLY, OK, record, set, simple, verbatim, array, error, type Reply } from "../protocol/reply.js";
import type { TrackingOptions } from "../engine/tracking.js";
import type { PauseMode } from "../server/pause.js";
import type { Session } from "../server/session.js";
import { is, isInt64, parseInteger } from "./args.js";
import type { CommandSpec } from "./types.js";

/** Client names (and SETINFO values) may not contain spaces or non-printable bytes. */
export function validateClientName(name: string, what = "Client names"): void {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) fail(`ERR ${what} cannot contain spaces, newlines or special characters.`);
  }
}

/** CLIENT LIST flags, in Redis's order. */
function flagsOf(s: Session): string {
  let flags = "";
  if (s.monitor) flags += "O";
  if (s.subscriptionCount > 0) flags += "P";
  if (s.multi !== null) flags += "x";
  if (s.server.blocking.isBlocked(s.id)) flags += "b";
  if (s.tracking) {
    flags += "t";
    if (s.tracking.brokenRedirect) flags += "R";
    if (s.tracking.bcast) flags += "B";
  }
  if (s.watchDirty) flags += "d";
  if (s.noEvict) flags += "e";
  if (s.noTouch) flags += "T";
  return flags || "N";
}

/** One CLIENT LIST / CLIENT INFO line, with Redis's fields in Redis's order. */
export function clientInfoLine(s: Session): string {
  const t = Date.now();
  const qbuf = s.transport.queryBufferSize();
  const omem = s.transport.outputBufferSize();
  const subs = s.subscriptions;
  const fields: [string, string | number][] = [
    ["id", s.id],
    ["addr", s.transport.addr],
    ["laddr", s.transport.laddr],
    ["fd", s.transport.fd],
    ["name", s.name],
    ["age", Math.floor((t - s.createdAt) / 1000)],
    ["idle", Math.floor((t - s.lastInteraction) / 1000)],
    ["flags", flagsOf(s)],
    ["db", s.dbIndex],
    ["sub", subs.channels.size],
    ["psub", subs.patterns.size],
    ["ssub", subs.shardChannels.size],
    ["multi", s.multi === null ? -1 : s.multi.length],
    ["qbuf", qbuf],
    ["qbuf-free", qbuf === 0 ? 0 : Math.max(0, 32768 - qbuf)],
    ["argv-mem", 0],
    ["multi-mem", 0],
    ["rbs", 16384],
    ["rbp", 0],
    ["obl", 0],
    ["oll", 0],
    ["omem", omem],
    ["tot-mem", qbuf + omem + 20000],
    ["events", "r"],
    ["cmd", s.lastCommand],
    ["user", s.user],
    ["redir", s.tracking ? s.tracking.redirect : -1],
    ["resp", s.resp],
    ["lib-name", s.libName],
    ["lib-ver", s.libVer],
  ];
  return fields.map(([k, v]) => `${k}=${v}`).join(" ");
}

function clientType(s: Session): string {
  return s.subscriptionCount > 0 ? "pubsub" : "normal";
}

const CLIENT_TYPES = ["normal", "master", "replica", "slave", "pubsub"];

function parseType(arg: string): string {
  const t = arg.toLowerCase();
  if (!CLIENT_TYPES.includes(t)) fail(`ERR Unknown client type '${arg}'`);
  return t === "slave" ? "replica" : t;
}

function onOff(arg: string): boolean {
  if (is(arg, "on")) return true;
  if (is(arg, "off")) return false;
  fail(Errors.syntax);
}

interface KillFilter {
  id?: number[];
  addr?: string;
  laddr?: string;
  user?: string;
  type?: string;
  skipme: boolean;
}

function parseKillFilter(args: string[]): KillFilter {
  const filter: KillFilter = { skipme: true };
  if (args.length % 2 !== 0) fail(Errors.syntax);
  for (let i = 0; i < args.length; i += 2) {
    const [opt, val] = [args[i].toLowerCase(), args[i + 1]];
    if (opt === "id") {
      if (!isInt64(val) || Number(val) <= 0) fail("ERR client-id should be greater than 0");
      (filter.id ??= []).push(Number(val));
    } else if (opt === "addr") filter.addr = val;
    else if (opt === "laddr") filter.laddr = val;
    else if (opt === "user") {
      if (val !== "default") fail(`ERR No such user '${val}'`);
      filter.user = val;
    }
    else if (opt === "type") filter.type = parseType(val);
    else if (opt === "skipme") filter.skipme = onOff(val === "yes" ? "on" : val === "no" ? "off" : val);
    else fail(Errors.syntax);
  }
  return filter;
}

function matchesKill(ctx: Session, s: Session, f: KillFilter): boolean {
  if (f.skipme && s === ctx) return false;
  if (f.id && !f.id.includes(s.id)) return false;
  if (f.addr !== undefined && s.transport.addr !== f.addr) return false;
  if (f.laddr !== undefined && s.transport.laddr !== f.laddr) return false;
  if (f.user !== undefined && s.user !== f.user) return false;
  if (f.type !== undefined && clientType(s) !== f.type) return false;
  return true;
}

/** Parses CLIENT TRACKING ON|OFF options and switches tracking, with Redis's checks and errors. */
function clientTracking(ctx: Session, [mode, ...args]: string[]): Reply {
  const o: TrackingOptions = { redirect: 0, bcast: false, optin: false, optout: false, noloop: false, prefixes: [] };
  for (let i = 0; i < args.length; i++) {
    const more = i < args.length - 1;
    if (is(args[i], "redirect") && more) {
      if (o.redirect !== 0) fail("ERR A client can only redirect to a single other client");
      o.redirect = parseInteger(args[++i]);
      if (!ctx.server.clients.has(o.redirect)) fail("ERR The client ID you want redirect to does not exist");
    } else if (is(args[i], "bcast")) o.bcast = true;
    else if (is(args[i], "optin")) o.optin = true;
    else if (is(args[i], "optout")) o.optout = true;
    else if (is(args[i], "noloop")) o.noloop = true;
    else if (is(args[i], "prefix") && more) o.prefixes.push(args[++i]);
    else fail(Errors.syntax);
  }
  const tracking = ctx.server.tracking;
  if (is(mode, "off")) {
    tracking.disable(ctx);
    return OK;
  }
  if (!is(mode, "on")) fail(Errors.syntax);
  const current = ctx.tracking;
  if (!o.bcast && o.prefixes.length > 0) fail("ERR PREFIX option requires BCAST mode to be enabled");
  if (current && current.bcast !== o.bcast) {
    fail("ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.");
  }
  if (o.bcast && (o.optin || o.optout)) fail("ERR OPTIN and OPTOUT are not compatible with BCAST");
  if (o.optin && o.optout) fail("ERR You can't use both OPTIN and OPTOUT");
  if (current && ((o.optin && current.optout) || (o.optout && current.optin))) {
    fail("ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.");
  }
  if (o.bcast) checkPrefixCollisions(current?.prefixes ?? new Set(), o.prefixes);
  tracking.enable(ctx, o);
  return OK;
}

/** One prefix of two is a prefix of the other. */
function overlaps(a: string, b: string): boolean {
  return a.length <= b.length ? b.startsWith(a) : a.startsWith(b);
}

function checkPrefixCollisions(existing: Set<string>, given: string[]): void {
  for (let i = 0; i < given.length; i++) {
    for (const old of existing) {
      if (overlaps(old, given[i])) {
        fail(`ERR Prefix '${given[i]}' overlaps with an existing prefix '${old}'. Prefixes for a single client must not overlap.`);
      }
    }
    for (let j = i + 1; j < given.length; j++) {
      if (overlaps(given[i], given[j])) {
        fail(`ERR Prefix '${given[i]}' overlaps with another provided prefix '${given[j]}'. Prefixes for a single client must not overlap.`);
      }
    }
  }
}

function trackingInfo(ctx: Session): Reply {
  const t = ctx.tracking;
  const flags = [t ? "on" : "off"];
  if (t) {
    if (t.bcast) flags.push("bcast");
    if (t.optin) flags.push("optin", ...(t.caching ? ["caching-yes"] : []));
    if (t.optout) flags.push("optout", ...(t.caching ? ["caching-no"] : []));
    if (t.noloop) flags.push("noloop");
    if (t.brokenRedirect) flags.push("broken_redirect");
  }
  return record({
    flags: set(flags.map((f) => bulk(f))),
    redirect: int(t ? t.redirect : -1),
    prefixes: bulks(t?.prefixes ?? []),
  });
}

function clientCaching(ctx: Session, [opt]: string[]): Reply {
  const t = ctx.tracking;
  if (!t) fail("ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled");
  if (is(opt, "yes")) {
    if (!t.optin) fail("ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
  } else if (is(opt, "no")) {
    if (!t.optout) fail("ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
  } else fail(Errors.syntax);
  t.caching = true;
  return OK;
}

function clientPause(ctx: Session, args: string[]): Reply {
  const ms = parseInteger(args[0], "ERR timeout is not an integer or out of range");
  if (ms < 0) fail("ERR timeout is negative");
  let mode: PauseMode = "all";
  if (args.length === 2) {
    if (is(args[1], "write")) mode = "write";
    else if (!is(args[1], "all")) fail("ERR CLIENT PAUSE mode must be WRITE or ALL");
  } else if (args.length > 2) fail(Errors.syntax);
  ctx.server.pause.pause(Date.now() + ms, mode);
  return OK;
}

const HELP = [
  "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CACHING (YES|NO)",
  "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
  "GETREDIR",
  "    Return the client ID we are redirecting to when tracking is enabled.",
  "GETNAME",
  "    Return the name of the current connection.",
  "ID",
  "    Return the ID of the current connection.",
  "INFO",
  "    Return information about the current client connection.",
  "KILL <ip:port>",
  "    Kill connection made from <ip:port>.",
  "KILL <option> <value> [<option> <value> [...]]",
  "    Kill connections. Options are: ID, TYPE, USER, ADDR, LADDR, SKIPME.",
  "LIST [options ...]",
  "    Return information about client connections. Options: TYPE, ID.",
  "UNBLOCK <clientid> [TIMEOUT|ERROR]",
  "    Unblock the specified blocked client.",
  "UNPAUSE",
  "    Stop the current client pause, resuming traffic.",
  "PAUSE <timeout> [WRITE|ALL]",
  "    Suspend all, or just write, clients for <timeout> milliseconds.",
  "REPLY (ON|OFF|SKIP)",
  "    Control the replies sent to the current connection.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "SETINFO <LIB-NAME|LIB-VER> <value>",
  "    Set library name or version of the current connection.",
  "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
  "         [OPTIN] [OPTOUT] [NOLOOP]",
  "    Control server assisted client side caching.",
  "TRACKINGINFO",
  "    Report tracking status for the current connection.",
  "NO-EVICT (ON|OFF)",
  "    Protect current client connection from eviction.",
  "NO-TOUCH (ON|OFF)",
  "    Will not touch LRU/LFU stats when this mode is on.",
  "HELP",
  "    Print this help.",
];

const sub = (spec: Omit<CommandSpec, "group" | "categories"> & Partial<Pick<CommandSpec, "categories">>): CommandSpec => ({
  group: "connection",
  categories: ["connection"],
  ...spec,
});

export const client: CommandSpec[] = [
  {
    name: "client", arity: -2, flags: [], categories: ["connection"], group: "connection", since: "2.4.0",
    summary: "A container for client connection commands.",
    subcommands: [
      sub({ name: "id", arity: 2, flags: ["noscript", "loading", "stale"], since: "5.0.0", summary: "Returns the unique client ID of the connection.", run: (ctx) => int(ctx.id) }),
      sub({
        name: "setname", arity: 3, flags: ["noscript", "loading", "stale"], since: "2.6.9", summary: "Sets the connection name.", syntax: "connection-name",
        run(ctx, [name]) {
          validateClientName(name);
          ctx.name = name;
          return OK;
        },
      }),
      sub({ name: "getname", arity: 2, flags: ["noscript", "loading", "stale"], since: "2.6.9", summary: "Returns the name of the connection.", run: (ctx) => bulkOrNil(ctx.name || null) }),
      sub({
        name: "setinfo", arity: 4, flags: ["noscript", "loading", "stale"], since: "7.2.0", summary: "Sets information specific to the client or connection.",
        syntax: "<LIB-NAME libname | LIB-VER libver>",
        run(ctx, [attr, value]) {
          if (is(attr, "lib-name")) {
            validateClientName(value, "lib-name");
            ctx.libName = value;
          } else if (is(attr, "lib-ver")) {
            validateClientName(value, "lib-ver");
            ctx.libVer = value;
          } else fail(`ERR Unrecognized option '${attr}'`);
          return OK;
        },
      }),
      sub({
        name: "list", arity: -2, flags: ["admin", "noscript", "loading", "stale"], since: "2.4.0", summary: "Lists open connections.",
        syntax: "[TYPE <NORMAL | MASTER | REPLICA | PUBSUB>] [ID client-id [client-id ...]]",
        run(ctx, args) {
          let sessions = [...ctx.server.clients.values()];
          if (args.length >= 2 && is(args[0], "type") && args.length === 2) {
            const type = parseType(args[1]);
            sessions = sessions.filter((s) => clientType(s) === type);
          } else if (args.length >= 2 && is(args[0], "id")) {
            const ids = args.slice(1).map((a) => {
              if (!isInt64(a) || Number(a) <= 0) fail("ERR Invalid client ID");
              return Number(a);
            });
            sessions = ids.map((id) => ctx.server.clients.get(id)).filter((s): s is Session => s !== undefined);
          } else if (args.length > 0) fail(Errors.syntax);
          return verbatim(sessions.map((s) => clientInfoLine(s) + "\n").join(""));
        },
      }),
      sub({ name: "info", arity: 2, flags: ["noscript", "loading", "stale"], since: "6.2.0", summary: "Returns information about the connection.", run: (ctx) => verbatim(clientInfoLine(ctx) + "\n") }),
      sub({
        name: "kill", arity: -3, flags: ["admin", "noscript", "loading", "stale"], since: "2.4.0", summary: "Terminates open connections.",
        syntax: "<ip:port | <[ID client-id] | [TYPE type] | [USER username] | [ADDR ip:port] | [LADDR ip:port] | [SKIPME <YES | NO>]> [...]>",
        run(ctx, args) {
          if (args.length === 1) {
            const target = [...ctx.server.clients.values()].find((s) => s.transport.addr === args[0]);
            if (!target) fail("ERR No such client");
            target.transport.close();
            return OK;
          }
          const filter = parseKillFilter(args);
          let killed = 0;
          for (const s of [...ctx.server.clients.values()]) {
            if (!matchesKill(ctx, s, filter)) continue;
            s.transport.close();
            killed++;
          }
          return int(killed);
        },
      }),
      sub({
        name: "reply", arity: 3, flags: ["noscript", "loading", "stale"], since: "3.2.0", summary: "Instructs the server whether to reply to commands.",
        syntax: "<ON | OFF | SKIP>",
        run(ctx, [mode]) {
          if (is(mode, "on")) {
            ctx.replyMode = "on";
            return OK;
          }
          if (is(mode, "off")) ctx.replyMode = "off";
          else if (is(mode, "skip")) ctx.replyMode = ctx.replyMode === "off" ? "off" : "skip";
          else fail(Errors.syntax);
          return NO_REPLY;
        },
      }),
      sub({
        name: "no-evict", arity: 3, flags: ["admin", "noscript", "loading", "stale"], since: "7.0.0", summary: "Sets the client eviction mode of the connection.",
        syntax: "<ON | OFF>",
        run(ctx, [mode]) {
          ctx.noEvict = onOff(mode);
          return OK;
        },
      }),
      sub({
        name: "no-touch", arity: 3, flags: ["noscript", "loading", "stale"], since: "7.2.0", summary: "Controls whether commands sent by the client affect the LRU/LFU of accessed keys.",
        syntax: "<ON | OFF>",
        run(ctx, [mode]) {
          ctx.noTouch = onOff(mode);
          return OK;
        },
      }),
      sub({
        name: "unblock", arity: -3, flags: ["admin", "noscript", "loading", "stale"], since: "5.0.0", summary: "Unblocks a client blocked by a blocking command from a different connection.",
        syntax: "client-id [TIMEOUT | ERROR]",
        run(ctx, args) {
          if (!isInt64(args[0])) fail(Errors.notInteger);
          const id = Number(args[0]);
          let asError = false;
          if (args.length === 2) {
            if (is(args[1], "error")) asError = true;
            else if (!is(args[1], "timeout")) fail("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
          } else if (args.length > 2) fail(Errors.syntax);
          const reply = asError ? error("UNBLOCKED client unblocked via CLIENT UNBLOCK") : undefined;
          return int(ctx.server.blocking.unblock(id, reply) ? 1 : 0);
        },
      }),
      sub({
        name: "tracking", arity: -3, flags: ["noscript", "loading", "stale"], since: "6.0.0", summary: "Controls server-assisted client-side caching for the connection.",
        syntax: "<ON | OFF> [REDIRECT client-id] [PREFIX prefix [PREFIX prefix ...]] [BCAST] [OPTIN] [OPTOUT] [NOLOOP]",
        run: clientTracking,
      }),
      sub({
        name: "caching", arity: 3, flags: ["noscript", "loading", "stale"], since: "6.0.0", summary: "Instructs the server whether to track the keys in the next request.",
        syntax: "<YES | NO>", run: clientCaching,
      }),
      sub({ name: "trackinginfo", arity: 2, flags: ["noscript", "loading", "stale"], since: "6.2.0", summary: "Returns information about server-assisted client-side caching for the connection.", run: trackingInfo }),
      sub({
        name: "getredir", arity: 2, flags: ["noscript", "loading", "stale"], since: "6.0.0", summary: "Returns the client ID to which the connection's tracking notifications are redirected.",
        run: (ctx) => int(ctx.tracking ? ctx.tracking.redirect : -1),
      }),
      sub({
        name: "pause", arity: -3, flags: ["admin", "noscript", "loading", "stale"], since: "3.0.0", summary: "Suspends commands processing.",
        syntax: "timeout [WRITE | ALL]", run: clientPause,
      }),
      sub({
        name: "unpause", arity: 2, flags: ["admin", "noscript", "loading", "stale"], since: "6.2.0", summary: "Resumes processing commands from paused clients.",
        run(ctx) {
          ctx.server.pause.unpause();
          return OK;
        },
      }),
      sub({ name: "help", arity: 2, flags: ["loading", "stale"], since: "5.0.0", summary: "Returns helpful text about the different subcommands.", run: () => array(HELP.map((l) => simple(l))) }),
    ],
  },
];

