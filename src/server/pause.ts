// CLIENT PAUSE: while a pause is on, commands that may write (WRITE mode) or all commands (ALL
// mode) are postponed — parked as blocked clients, so INFO blocked_clients counts them — and run
// again in arrival order when the pause ends (CLIENT UNPAUSE or its timeout).

import type { Blocking } from "../engine/blocking.js";
import type { Reply } from "../protocol/reply.js";

export type PauseMode = "write" | "all";

/** Resolution of a postponed command that must now be dispatched again. */
const RESUME: Reply = { t: "noreply" };

export class ClientPause {
  private mode: PauseMode | null = null;
  private endAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private postponed: number[] = [];

  /** onChange tells the server when writes become paused or resume (expiry follows it). */
  constructor(
    private readonly blocking: Blocking,
    private readonly onChange: (writesPaused: boolean) => void,
  ) {}

  /** True while writes are paused (either mode): expiry is suspended too. */
  get writesPaused(): boolean {
    return this.mode !== null;
  }

  /** Whether a command must wait; `mayWrite` for write/may-replicate commands (and EXEC of such). */
  holds(mayWrite: boolean): boolean {
    return this.mode === "all" || (this.mode === "write" && mayWrite);
  }

  /** Starts or extends a pause: the longer end and the stricter mode win, as in Redis. */
  pause(untilMs: number, mode: PauseMode): void {
    if (this.mode === null) this.onChange(true);
    this.mode = this.mode === "all" || mode === "all" ? "all" : "write";
    if (untilMs <= this.endAt && this.timer) return;
    this.endAt = Math.max(this.endAt, untilMs);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.unpause(), Math.max(0, this.endAt - Date.now()));
    this.timer.unref();
  }

  unpause(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.mode !== null) this.onChange(false);
    this.mode = null;
    this.endAt = 0;
    const ids = this.postponed;
    this.postponed = [];
    for (const id of ids) this.blocking.unblock(id, RESUME);
  }

  /**
   * Parks a client until the pause ends; resolves with `retry()`'s result then (the command is
   * dispatched again, and may be postponed again), or with the reply that ended the wait early.
   */
  postpone(clientId: number, dbIndex: number, retry: () => Reply | Promise<Reply>): Promise<Reply> {
    this.postponed.push(clientId);
    return this.blocking
      .wait({ clientId, dbIndex, keys: [], timeoutMs: 0, attempt: () => null, onTimeout: RESUME })
      .then((reply) => (reply === RESUME ? retry() : reply));
  }
}
