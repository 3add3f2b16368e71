// MONITOR: turns the connection into a feed of every command the server runs (dispatch writes
// the lines; see feedMonitors). RESET or disconnecting ends it.

import { fail } from "../errors.js";
import { NO_REPLY, OK } from "../protocol/reply.js";
import type { CommandSpec } from "./types.js";

export const monitor: CommandSpec[] = [
  {
    name: "monitor", arity: 1, flags: ["admin", "noscript", "loading", "stale"], categories: ["server"], group: "server", since: "1.0.0",
    summary: "Listens for all requests received by the server in real-time.",
    run(ctx) {
      if (ctx.inExec) fail("ERR MONITOR isn't allowed for DENY BLOCKING client");
      // Already monitoring: Redis ignores the command without a reply.
      if (ctx.monitor) return NO_REPLY;
      ctx.monitor = true;
      ctx.server.monitors.add(ctx);
      return OK;
    },
  },
];
