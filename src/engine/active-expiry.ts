// Active expiry: like Redis's activeExpireCycle, runs `hz` times a second and samples keys with a
// TTL, deleting expired ones, repeating while many of a sample were expired and time allows,
// so expired keys that are never read again do not pile up.

import type { Database } from "./database.js";
import { now, tick } from "./clock.js";

const SAMPLE = 20;
const MAX_CYCLE_MS = 25;

export class ActiveExpiry {
  private cursors = new Map<Database, Iterator<string>>();

  /** One cycle over all databases; returns how many keys were removed. */
  cycle(dbs: Database[]): number {
    tick();
    const started = Date.now();
    let removed = 0;
    for (const db of dbs) {
      if (db.volatileCount === 0) continue;
      for (;;) {
        const { checked, expired } = this.sample(db);
        removed += expired;
        if (checked === 0 || expired * 4 <= checked) break; // fewer than 25% expired: move on
        if (Date.now() - started > MAX_CYCLE_MS) return removed;
      }
    }
    return removed;
  }

  private sample(db: Database): { checked: number; expired: number } {
    let cursor = this.cursors.get(db);
    const t = now();
    let checked = 0;
    let expired = 0;
    const due: string[] = [];
    while (checked < SAMPLE) {
      if (!cursor) cursor = db.volatile.values();
      const step = cursor.next();
      if (step.done) {
        cursor = undefined;
        if (checked > 0 || db.volatileCount === 0) break;
        continue;
      }
      checked++;
      const entry = db.rawEntry(step.value);
      if (entry && entry.expireAt !== 0 && entry.expireAt <= t) due.push(step.value);
    }
    if (cursor) this.cursors.set(db, cursor);
    else this.cursors.delete(db);
    for (const key of due) {
      db.expire(key);
      expired++;
    }
    return { checked, expired };
  }
}
