// Blocking: parks sessions running BLPOP/BLMOVE/BZPOPMIN/XREAD BLOCK/... until one of their keys
// is signalled ready by a write, or their timeout passes. Waiters on a key are served in FIFO
// order, right after the write that made the key ready (Redis's handleClientsBlockedOnKeys).

import type { Reply } from "../protocol/reply.js";

export interface BlockRequest {
  /** Owner of the wait (for CLIENT UNBLOCK and disconnects). */
  clientId: number;
  dbIndex: number;
  keys: string[];
  /** 0 = wait forever. */
  timeoutMs: number;
  /** Tries to serve the client now, from readyKey first; returns the reply, or null to keep waiting. */
  attempt(readyKey: string): Reply | null;
  /** Reply sent when the timeout passes. */
  onTimeout: Reply;
}

interface Waiter {
  request: BlockRequest;
  resolve(reply: Reply): void;
  timer: NodeJS.Timeout | null;
  done: boolean;
}

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

function slot(dbIndex: number, key: string): string {
  return dbIndex + "\0" + key;
}

export class Blocking {
  private readonly byKey = new Map<string, Waiter[]>();
  private readonly byClient = new Map<number, Waiter>();
  private readonly ready: string[] = [];
  private readonly readySet = new Set<string>();

  get blockedClients(): number {
    return this.byClient.size;
  }

  /** Number of distinct keys clients are blocked on (INFO blocked_keys-like figure). */
  get blockedKeys(): number {
    return this.byKey.size;
  }

  isBlocked(clientId: number): boolean {
    return this.byClient.has(clientId);
  }

  /** Parks a client until attempt() succeeds after a signal, the timeout, or unblock(). */
  wait(request: BlockRequest): Promise<Reply> {
    return new Promise<Reply>((resolve) => {
      const waiter: Waiter = { request, resolve, timer: null, done: false };
      if (request.timeoutMs > 0) this.arm(waiter, Date.now() + request.timeoutMs);
      this.byClient.set(request.clientId, waiter);
      for (const key of new Set(request.keys)) {
        const s = slot(request.dbIndex, key);
        const list = this.byKey.get(s);
        if (list) list.push(waiter);
        else this.byKey.set(s, [waiter]);
      }
    });
  }

  /** A write made key non-empty (or otherwise worth re-checking); waiters are served by serveReady(). */
  signal(dbIndex: number, key: string): void {
    const s = slot(dbIndex, key);
    if (this.byKey.has(s) && !this.readySet.has(s)) {
      this.readySet.add(s);
      this.ready.push(s);
    }
  }

  /** Serves waiters of every ready key, FIFO; runs until no key is ready (serving may ready others). */
  serveReady(): void {
    while (this.ready.length > 0) {
      const s = this.ready.shift()!;
      this.readySet.delete(s);
      const waiters = this.byKey.get(s);
      if (!waiters) continue;
      const key = s.slice(s.indexOf("\0") + 1);
      for (const waiter of [...waiters]) {
        if (waiter.done) continue;
        const reply = waiter.request.attempt(key);
        if (reply === null) continue;
        this.finish(waiter, reply);
      }
    }
  }

  /** Ends a client's wait with the given reply, or its timeout reply (CLIENT UNBLOCK, disconnects). */
  unblock(clientId: number, reply?: Reply): boolean {
    const waiter = this.byClient.get(clientId);
    if (!waiter) return false;
    this.finish(waiter, reply ?? waiter.request.onTimeout);
    return true;
  }

  /** Times the wait out at `deadline`; timers longer than setTimeout's 2^31-1 ms limit are chained. */
  private arm(waiter: Waiter, deadline: number): void {
    const left = deadline - Date.now();
    const step = Math.min(left, MAX_TIMER_MS);
    waiter.timer = setTimeout(() => {
      if (step < left) this.arm(waiter, deadline);
      else this.finish(waiter, waiter.request.onTimeout);
    }, Math.max(0, step));
  }

  private finish(waiter: Waiter, reply: Reply): void {
    if (waiter.done) return;
    waiter.done = true;
    if (waiter.timer) clearTimeout(waiter.timer);
    const { request } = waiter;
    this.byClient.delete(request.clientId);
    for (const key of new Set(request.keys)) {
      const s = slot(request.dbIndex, key);
      const list = this.byKey.get(s);
      if (!list) continue;
      const i = list.indexOf(waiter);
      if (i >= 0) list.splice(i, 1);
      if (list.length === 0) this.byKey.delete(s);
    }
    waiter.resolve(reply);
  }
}
