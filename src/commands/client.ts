// CLIENT: connection introspection and control (ID, SETNAME, GETNAME, LIST, INFO, KILL, SETINFO,
// NO-EVICT, NO-TOUCH, REPLY, UNBLOCK, HELP).

import { Errors, fail } from "../errors.js";
import { bulkOrNil, int, NO_REPLY, OK, simple, verbatim, array, error } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, isInt64 } from "./args.js";
import type { CommandSpec } from "./types.js";

/** Client names (and SETINFO values) may not contain spaces or non-printable bytes. */
export function validateClientName(name: string, what = "Client names"): void {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 33 || c > 126) fail(`ERR ${what} cannot contain spaces, newlines or special characters.`);
  }
}

function flagsOf(s: Session): string {
  let flags = "";
  if (s.server.blocking.isBlocked(s.id)) flags += "b";
  if (s.multi !== null) flags += "x";
  if (s.subscriptionCount > 0) flags += "P";
  if (s.noEvict) flags += "e";
  if (s.noTouch) flags += "T";
  return flags || "N";
}

/** One CLIENT LIST / CLIENT INFO line, with Redis's fields in Redis's order. */
export function clientInfoLine(s: Session): string {
  const t = Date.now();
  const qbuf = s.transport.queryBufferSize();
  const omem = s.transport.outputBufferSize();
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
    ["sub", s.channels.size],
    ["psub", s.patterns.size],
    ["ssub", s.shardChannels.size],
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
    ["redir", -1],
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
    else if (opt === "user") filter.user = val;
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

const HELP = [
  "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
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
  "REPLY (ON|OFF|SKIP)",
  "    Control the replies sent to the current connection.",
  "SETNAME <name>",
  "    Assign the name <name> to the current connection.",
  "SETINFO <LIB-NAME|LIB-VER> <value>",
  "    Set library name or version of the current connection.",
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
      sub({ name: "help", arity: 2, flags: ["loading", "stale"], since: "5.0.0", summary: "Returns helpful text about the different subcommands.", run: () => array(HELP.map((l) => simple(l))) }),
    ],
  },
];

