// Lazy freeing (UNLINK, FLUSHDB/FLUSHALL ASYNC, lazyfree-lazy-user-del/flush): the keys are gone at
// once; values whose freeing takes real effort (more than Redis's LAZYFREE_THRESHOLD allocations)
// are released off the command path. In V8 that means a garbage collection scheduled in the
// background, so their memory is returned promptly, as Redis's lazyfree thread returns it.

import v8 from "node:v8";
import vm from "node:vm";
import type { Entry } from "./database.js";
import { typeOps } from "./types/index.js";

/** Values freed with less effort than this are freed in place (Redis's LAZYFREE_THRESHOLD). */
const LAZYFREE_THRESHOLD = 64;
/** Forced collections are spaced at least this far apart. */
const MIN_GC_INTERVAL_MS = 1000;

v8.setFlagsFromString("--expose-gc");
const collectGarbage = vm.runInNewContext("gc") as () => void;

export class LazyFree {
  /** Objects waiting to be freed (INFO lazyfree_pending_objects). */
  pending = 0;
  /** Objects freed lazily so far (INFO lazyfreed_objects). */
  freed = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastGc = 0;

  /** A value left the keyspace through a lazy path; big ones are freed in the background. */
  release(entry: Entry): void {
    if ((typeOps(entry.type).freeEffort?.(entry.value) ?? 1) > LAZYFREE_THRESHOLD) this.defer(1);
  }

  /** A whole database was emptied asynchronously: its keys are freed in the background. */
  releaseDatabase(keys: number): void {
    if (keys > 0) this.defer(keys);
  }

  /** CONFIG RESETSTAT. */
  resetStats(): void {
    this.freed = 0;
  }

  private defer(objects: number): void {
    this.pending += objects;
    if (this.timer) return;
    const wait = Math.max(0, this.lastGc + MIN_GC_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      collectGarbage();
      this.lastGc = Date.now();
      this.freed += this.pending;
      this.pending = 0;
    }, wait);
    this.timer.unref();
  }
}
