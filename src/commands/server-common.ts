// Helpers shared by the server-group command files (server, latency, memory, debug, command-docs):
// building subcommand specs, HELP replies, and the "local client" test of enable-*-command options.

import { array, simple, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import type { CommandSpec } from "./types.js";

type SubSpec = Omit<CommandSpec, "group" | "categories" | "since"> & Partial<Pick<CommandSpec, "categories">>;

/** A subcommand of a server-group container (CONFIG, SLOWLOG, LATENCY, ...). */
export function serverSub(since: string, spec: SubSpec): CommandSpec {
  return { group: "server", categories: [], since, ...spec };
}

/** A HELP subcommand's reply: Redis's help lines as simple strings. */
export function helpReply(lines: string[]): Reply {
  return array(lines.map((l) => simple(l)));
}

/** True for loopback clients and in-process sessions (the "local" of enable-*-command/configs). */
export function isLocalClient(ctx: Session): boolean {
  const t = ctx.transport;
  if (t.kind === "internal") return true;
  const host = t.addr.slice(0, t.addr.lastIndexOf(":"));
  return host === "127.0.0.1" || host === "::1" || host === "::ffff:127.0.0.1" || host.startsWith("/");
}

/** Whether an enable-debug-command style option ("yes", "no", "local") lets this client in. */
export function enabledFor(ctx: Session, option: string): boolean {
  const mode = ctx.server.config.get(option);
  return mode === "yes" || (mode === "local" && isLocalClient(ctx));
}
