// Cached clock: one time read per event-loop turn, as Redis caches its time per command batch,
// so every command of a batch (and every key check inside it) sees the same "now".

let cachedMs = Date.now();
let stale = false;

/** Milliseconds since the epoch, read once per event-loop turn. */
export function now(): number {
  if (stale) {
    cachedMs = Date.now();
    stale = false;
  }
  return cachedMs;
}

/** Marks the cached time as stale; transports call this when a new batch of input arrives. */
export function tick(): void {
  stale = true;
}
