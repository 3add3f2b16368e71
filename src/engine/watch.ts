// WATCH registry: which sessions watch which keys, per database number. A modification of a
// watched key (write, delete, expiry, FLUSHDB/FLUSHALL, SWAPDB) marks the watching sessions
// dirty, so their next EXEC fails, and drops their watches (a dirty transaction is already lost).

import type { Database } from "./database.js";
import { now } from "./clock.js";

/** The per-session side of WATCH. */
export interface Watcher {
  /** Watched keys: "db\0key" → whether the key was already logically expired when watched; null before the first WATCH. */
  watched: Map<string, WatchedKey> | null;
  /** Set when a watched key changed: EXEC must fail. */
  watchDirty: boolean;
}

export interface WatchedKey {
  db: number;
  key: string;
  /** The key existed but was logically expired at WATCH time: its removal is no change. */
  expired: boolean;
}

function isStale(db: Database, key: string): boolean {
  const entry = db.rawEntry(key);
  return entry !== undefined && entry.expireAt !== 0 && entry.expireAt <= now();
}

export class WatchedKeys {
  /** db number → key → watchers. */
  private readonly byDb = new Map<number, Map<string, Set<Watcher>>>();
  private count = 0;

  /** True when no session watches anything (the write path skips all work then). */
  get empty(): boolean {
    return this.count === 0;
  }

  watch(w: Watcher, db: Database, key: string): void {
    const slot = db.index + "\0" + key;
    const watched = (w.watched ??= new Map());
    if (watched.has(slot)) return;
    watched.set(slot, { db: db.index, key, expired: isStale(db, key) });
    let keys = this.byDb.get(db.index);
    if (!keys) this.byDb.set(db.index, (keys = new Map()));
    const watchers = keys.get(key);
    if (watchers) watchers.add(w);
    else keys.set(key, new Set([w]));
    this.count++;
  }

  unwatchAll(w: Watcher): void {
    if (w.watched === null) return;
    for (const wk of w.watched.values()) {
      const keys = this.byDb.get(wk.db);
      const watchers = keys?.get(wk.key);
      if (!keys || !watchers) continue;
      watchers.delete(w);
      this.count--;
      if (watchers.size === 0) keys.delete(wk.key);
      if (keys.size === 0) this.byDb.delete(wk.db);
    }
    w.watched.clear();
  }

  /** A key of db changed (called after the change). */
  touch(db: Database, key: string): void {
    const watchers = this.byDb.get(db.index)?.get(key);
    if (!watchers) return;
    for (const w of [...watchers]) {
      const wk = w.watched!.get(db.index + "\0" + key);
      if (wk?.expired) {
        // Watched while already expired: its deletion is no logical change.
        if (db.rawEntry(key) === undefined) {
          wk.expired = false;
          continue;
        }
      }
      this.dirty(w);
    }
  }

  /**
   * Every watched key of `emptied` that exists there, or exists in `replacement`, changes: FLUSHDB
   * (no replacement) and SWAPDB (the other database). Called before the contents change.
   */
  touchDatabase(emptied: Database, replacement: Database | null): void {
    const keys = this.byDb.get(emptied.index);
    if (!keys) return;
    for (const [key, watchers] of [...keys]) {
      const existsHere = emptied.rawEntry(key) !== undefined;
      const existsThere = replacement !== null && replacement.rawEntry(key) !== undefined;
      if (!existsHere && !existsThere) continue;
      for (const w of [...watchers]) {
        const wk = w.watched!.get(emptied.index + "\0" + key)!;
        if (wk.expired) {
          if (!existsThere) {
            wk.expired = false;
            continue;
          }
          if (isStale(replacement!, key)) continue;
        } else if (!existsHere && isStale(replacement!, key)) {
          wk.expired = true;
          continue;
        }
        this.dirty(w);
      }
    }
  }

  private dirty(w: Watcher): void {
    w.watchDirty = true;
    this.unwatchAll(w);
  }
}
