// Server-sent events for /subscribe/<channel...>, /psubscribe/<pattern...> and /monitor: the
// request's session is registered as a client and runs SUBSCRIBE / PSUBSCRIBE / MONITOR through
// dispatch like any RESP client; replies and pushes become `data: <payload>` lines in the comma-
// joined format @upstash/redis parses (`message,<channel>,<raw bytes>`, `subscribe,<channel>,1`,
// Redis MONITOR lines). Closing the HTTP request unregisters the client, which drops its
// subscriptions. A comment line every 15 s keeps proxies from cutting idle streams.

import type { IncomingMessage, ServerResponse } from "node:http";
import { dispatch, resolveCommand } from "../../commands/dispatch.js";
import type { Reply } from "../../protocol/reply.js";
import type { Server } from "../server.js";
import { tokenRefusal } from "./policy.js";
import { RestSession } from "./execute.js";
import { RestError } from "./request.js";
import type { TokenKind } from "./tokens.js";

const KEEPALIVE_MS = 15_000;
/** A subscriber this far behind is disconnected (Redis's default pubsub output hard limit). */
const MAX_BACKLOG = 32 * 1024 * 1024;

/** One element of an event: bytes as they are, numbers as text. */
function eventField(reply: Reply): string {
  switch (reply.t) {
    case "int":
      return String(reply.v);
    case "null":
    case "nullarray":
      return "";
    case "array":
    case "push":
    case "set":
    case "map":
      return reply.v.map(eventField).join(",");
    case "double":
      return String(reply.v);
    case "bool":
      return reply.v ? "1" : "0";
    case "noreply":
      return "";
    default:
      return String(reply.v);
  }
}

/** The `data:` payload of a reply; MONITOR's +OK is quoted as Upstash sends it. */
export function eventPayload(reply: Reply): string {
  return reply.t === "simple" && reply.v === "OK" ? '"OK"' : eventField(reply);
}

/**
 * Opens an event stream running `argv` (subscribe, psubscribe or monitor). Throws RestError for
 * problems found before the stream starts (bad arguments, read-only token limits).
 */
export function openEventStream(
  server: Server,
  req: IncomingMessage,
  res: ServerResponse,
  argv: string[],
  kind: TokenKind,
  headers: string[],
): void {
  const session = new RestSession(server, req.socket, kind);
  const transport = session.transport;
  const resolved = resolveCommand(session, argv);
  if (typeof resolved === "string") throw new RestError(400, resolved);
  const refusal = tokenRefusal(resolved.spec, resolved.parent, kind);
  if (refusal) throw new RestError(400, refusal);

  let open = true;
  const send = (reply: Reply) => {
    if (!open || reply.t === "noreply") return;
    res.write(Buffer.from(`data: ${eventPayload(reply)}\n\n`, "latin1"));
    if (res.writableLength > MAX_BACKLOG) res.destroy();
  };
  const keepalive = setInterval(() => res.write(": ping\n\n"), KEEPALIVE_MS);
  const finish = () => {
    if (!open) return;
    open = false;
    clearInterval(keepalive);
    server.unregisterClient(session);
  };
  headers.push("Content-Type", "text/event-stream", "Cache-Control", "no-cache", "Connection", "keep-alive", "X-Accel-Buffering", "no");
  res.writeHead(200, headers);
  res.flushHeaders();
  transport.onPush = send;
  transport.onClose = () => res.end();
  res.on("close", finish);
  server.registerClient(session);
  const first = dispatch(session, argv);
  if (first instanceof Promise) first.then(send);
  else send(first);
}
