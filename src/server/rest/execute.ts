// REST command execution: a Session per request (transport kind "http"), the REST policy checks,
// then dispatch — for one command, a /pipeline (in order, per-command replies) and a /multi-exec
// (MULTI, each command, EXEC on the request's own session, so it is atomic like any transaction).

import type { Socket } from "node:net";
import { dispatch, resolveCommand } from "../../commands/dispatch.js";
import type { CommandResult } from "../../commands/types.js";
import { error, type Reply } from "../../protocol/reply.js";
import type { Server } from "../server.js";
import { Session, type SessionTransport } from "../session.js";
import { restRefusal, sizeRefusal } from "./policy.js";
import type { TokenKind } from "./tokens.js";

/** The transport of a REST request: replies go in the HTTP response; pushes go to `onPush` (SSE). */
export class HttpTransport implements SessionTransport {
  readonly kind = "http" as const;
  onPush: ((reply: Reply) => void) | null = null;
  onClose: (() => void) | null = null;

  constructor(private readonly socket: Socket) {}

  get addr(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  get laddr(): string {
    return `${this.socket.localAddress}:${this.socket.localPort}`;
  }

  get fd(): number {
    return (this.socket as unknown as { _handle?: { fd?: number } })._handle?.fd ?? -1;
  }

  push(reply: Reply): void {
    this.onPush?.(reply);
  }

  close(): void {
    this.onClose?.();
  }

  queryBufferSize(): number {
    return 0;
  }

  outputBufferSize(): number {
    return this.socket.writableLength;
  }
}

/** A REST request's session: authenticated by its token, never parks (blocking commands answer at once). */
export class RestSession extends Session {
  // Narrows the type only: a redefined field would cost every request a slow shape change.
  declare readonly transport: HttpTransport;

  /** socket: the request's connection (client addresses, SSE output). */
  constructor(
    server: Server,
    socket: Socket,
    readonly tokenKind: TokenKind,
  ) {
    super(server, new HttpTransport(socket), true);
  }

  override get canBlock(): boolean {
    return false;
  }
}

function refuse(session: Session, message: string): Reply {
  session.server.stats.error(message);
  return error(message);
}

/** The REST checks for one command, then dispatch. */
export function runCommand(session: RestSession, argv: string[]): CommandResult {
  const resolved = resolveCommand(session, argv);
  if (typeof resolved !== "string") {
    const refusal =
      restRefusal(resolved.spec, resolved.parent, session.tokenKind) ?? sizeRefusal(resolved.spec, argv, session.server.config);
    if (refusal) return refuse(session, refusal);
  }
  return dispatch(session, argv, resolved);
}

async function finishInOrder(out: Reply[], pending: Promise<Reply>, next: number, commands: string[][], session: RestSession): Promise<Reply[]> {
  out.push(await pending);
  for (let i = next; i < commands.length; i++) out.push(await runCommand(session, commands[i]));
  return out;
}

/** /pipeline: every command in order on one session; a Promise only if some command is asynchronous. */
export function runPipeline(session: RestSession, commands: string[][]): Reply[] | Promise<Reply[]> {
  const out: Reply[] = [];
  for (let i = 0; i < commands.length; i++) {
    const reply = runCommand(session, commands[i]);
    if (reply instanceof Promise) return finishInOrder(out, reply, i + 1, commands, session);
    out.push(reply);
  }
  return out;
}

/** EXEC's replies, or the error text that discarded the transaction. */
function settle(reply: Reply): Reply[] | string {
  if (reply.t === "array") return reply.v;
  return reply.t === "error" ? reply.v : "EXECABORT Transaction discarded";
}

/**
 * /multi-exec: the commands inside MULTI ... EXEC. Returns the per-command replies, or the error
 * text that discarded the transaction (a command refused or rejected while queuing, EXECABORT).
 */
export function runTransaction(session: RestSession, commands: string[][]): Reply[] | string | Promise<Reply[] | string> {
  const started = dispatch(session, ["multi"]);
  if (started instanceof Promise) return started.then(settle);
  if (started.t === "error") return started.v;
  for (const argv of commands) {
    const queued = runCommand(session, argv);
    if (queued instanceof Promise || queued.t === "error") {
      dispatch(session, ["discard"]);
      return queued instanceof Promise ? "EXECABORT Transaction discarded" : queued.v;
    }
  }
  const result = dispatch(session, ["exec"]);
  return result instanceof Promise ? result.then(settle) : settle(result);
}
