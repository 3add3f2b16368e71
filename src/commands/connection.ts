// Connection commands: PING ECHO SELECT SWAPDB QUIT RESET HELLO AUTH.

import { Errors, fail } from "../errors.js";
import { array, bulk, EMPTY_ARRAY, int, OK, PONG, record, simple, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { REDIS_VERSION } from "../version.js";
import { is, isInt64 } from "./args.js";
import type { CommandSpec } from "./types.js";
import { validateClientName } from "./client.js";

/** Checks a username/password pair for the default user; returns the error text or null. */
function checkPassword(session: Session, user: string, pass: string): string | null {
  const required = session.server.config.get("requirepass");
  if (user === "default" && (required === "" || pass === required)) return null;
  return Errors.wrongPass;
}

function authenticate(session: Session, user: string, pass: string): void {
  const problem = checkPassword(session, user, pass);
  if (problem) fail(problem);
  session.authenticated = true;
  session.user = user;
}

function dbIndex(session: Session, arg: string, notInt: string): number {
  if (!isInt64(arg)) fail(notInt);
  const n = Number(arg);
  if (n < 0 || n >= session.server.dbs.length) fail(Errors.dbIndexOutOfRange);
  return n;
}

export const connection: CommandSpec[] = [
  {
    name: "ping", arity: -1, flags: ["fast"], categories: ["connection"], group: "connection", since: "1.0.0",
    summary: "Returns the server's liveliness response.", syntax: "[message]",
    run(ctx, args) {
      if (args.length > 1) fail(Errors.wrongArgs("ping"));
      if (ctx.resp === 2 && ctx.subscriptionCount > 0) return array([bulk("pong"), bulk(args[0] ?? "")]);
      return args.length === 0 ? PONG : bulk(args[0]);
    },
  },
  {
    name: "echo", arity: 2, flags: ["fast"], categories: ["connection"], group: "connection", since: "1.0.0",
    summary: "Returns the given string.", syntax: "message",
    run: (_ctx, [message]) => bulk(message),
  },
  {
    name: "select", arity: 2, flags: ["loading", "stale", "fast"], categories: ["connection"], group: "connection", since: "1.0.0",
    summary: "Changes the selected database.", syntax: "index",
    run(ctx, [index]) {
      ctx.dbIndex = dbIndex(ctx, index, Errors.notInteger);
      return OK;
    },
  },
  {
    name: "swapdb", arity: 3, flags: ["write", "fast"], categories: ["keyspace", "dangerous"], group: "server", since: "4.0.0",
    summary: "Swaps two Redis databases.", syntax: "index1 index2",
    run(ctx, [a, b]) {
      const first = dbIndex(ctx, a, "ERR invalid first DB index");
      const second = dbIndex(ctx, b, "ERR invalid second DB index");
      if (first !== second) {
        ctx.server.swapDatabases(first, second);
        ctx.server.dirty++;
        for (const i of [first, second]) for (const key of ctx.server.dbs[i].keys()) ctx.server.blocking.signal(i, key);
      }
      return OK;
    },
  },
  {
    name: "quit", arity: -1, flags: ["allow_busy", "no_auth", "fast"], categories: ["connection"], group: "connection", since: "1.0.0",
    summary: "Closes the connection.",
    run(ctx) {
      ctx.closing = true;
      // QUIT answers +OK even when CLIENT REPLY is OFF/SKIP.
      ctx.replyMode = "on";
      return OK;
    },
  },
  {
    name: "reset", arity: 1, flags: ["noscript", "loading", "stale", "no_auth", "allow_busy", "fast"], categories: ["connection"],
    group: "connection", since: "6.2.0", summary: "Resets the connection.",
    run(ctx) {
      ctx.reset();
      return simple("RESET");
    },
  },
  {
    name: "auth", arity: -2, flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"], categories: ["connection"],
    group: "connection", since: "1.0.0", summary: "Authenticates the connection.", syntax: "[username] password",
    run(ctx, args) {
      if (args.length > 2) fail(Errors.syntax);
      if (args.length === 1 && ctx.server.config.get("requirepass") === "") {
        fail("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
      }
      const [user, pass] = args.length === 1 ? ["default", args[0]] : args;
      authenticate(ctx, user, pass);
      return OK;
    },
  },
  {
    name: "hello", arity: -1, flags: ["noscript", "loading", "stale", "fast", "no_auth", "allow_busy"], categories: ["connection"],
    group: "connection", since: "6.0.0", summary: "Handshakes with the Redis server.",
    syntax: "[protover [AUTH username password] [SETNAME clientname]]",
    run(ctx, args) {
      let proto = ctx.resp as number;
      if (args.length > 0) {
        if (!isInt64(args[0])) fail("ERR Protocol version is not an integer or out of range");
        proto = Number(args[0]);
        if (proto !== 2 && proto !== 3) fail("NOPROTO unsupported protocol version");
      }
      let auth: [string, string] | null = null;
      let name: string | null = null;
      for (let i = 1; i < args.length; i++) {
        const more = args.length - i - 1;
        if (is(args[i], "auth") && more >= 2) {
          auth = [args[i + 1], args[i + 2]];
          i += 2;
        } else if (is(args[i], "setname") && more >= 1) {
          name = args[i + 1];
          validateClientName(name);
          i += 1;
        } else {
          fail(`ERR Syntax error in HELLO option '${args[i]}'`);
        }
      }
      if (auth) authenticate(ctx, auth[0], auth[1]);
      if (!ctx.authenticated) fail("NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time");
      if (name !== null) ctx.name = name;
      ctx.resp = proto as 2 | 3;
      return helloReply(ctx);
    },
  },
];

function helloReply(ctx: Session): Reply {
  return record({
    server: bulk("redis"),
    version: bulk(REDIS_VERSION),
    proto: int(ctx.resp),
    id: int(ctx.id),
    mode: bulk("standalone"),
    role: bulk("master"),
    modules: EMPTY_ARRAY,
  });
}
