// Snapshot: a point-in-time copy of every database, serialized into an RdbOutput a slice at a time
// while the server keeps serving (BGSAVE, AOF rewrite, replication), as Redis's forked child
// would see it. Each database is walked in scan order; meanwhile the database reports every entry
// about to be read, changed or removed (SnapshotObserver), and one the walk has not reached yet is
// written out right then, before it can change. Entries created after the start are left out.

import type { Database, Entry, SnapshotObserver } from "../engine/database.js";
import type { Server } from "../server/server.js";
import { RdbOpcode } from "./rdb-format.js";
import { rdbTypeOf, type RdbOutput } from "./rdb-writer.js";

const SAVABLE = new Set(["string", "list", "set", "zset", "hash", "stream"]);

/** One database's part of a snapshot. */
class DbWalk implements SnapshotObserver {
  /** Next scan-order cursor; entries with seq below it were walked already. */
  cursor = 0;
  /** Entries created after the start (not part of the snapshot). */
  private readonly fresh = new Set<Entry>();
  /** Entries written ahead of the walk (because they were about to change). */
  private readonly early = new Set<Entry>();

  constructor(
    readonly db: Database,
    readonly index: number,
    readonly size: number,
    readonly volatileCount: number,
    private readonly snapshot: Snapshot,
  ) {}

  access(key: string, entry: Entry): void {
    if (entry.seq < this.cursor || this.fresh.has(entry) || this.early.has(entry)) return;
    this.early.add(entry);
    this.snapshot.write(this, key, entry);
  }

  created(entry: Entry): void {
    this.fresh.add(entry);
  }

  removing(key: string, entry: Entry): void {
    this.access(key, entry);
  }

  /** Walks about count slots; returns false once the database is done. */
  step(count: number): boolean {
    const next = this.db.scanEntries(this.cursor, count, (key, entry) => {
      if (!this.fresh.has(entry) && !this.early.has(entry)) this.snapshot.write(this, key, entry);
    });
    this.cursor = next === 0 ? Infinity : next;
    return next !== 0;
  }
}

export class Snapshot {
  /** The time the snapshot stands for (ms): keys expired by then are left out. */
  readonly time = Date.now();
  private readonly walks: DbWalk[] = [];
  private current = 0;
  private selected = -1;
  private readonly announced = new Set<number>();
  /** Keys written so far. */
  keys = 0;
  /** Values of types the RDB format cannot hold (skipped). */
  skipped = 0;

  /**
   * background: the server keeps running while the snapshot is written, so the databases report
   * changes to it; a snapshot written in one go (SAVE) needs no such help.
   */
  constructor(
    server: Server,
    readonly out: RdbOutput,
    background: boolean,
  ) {
    server.dbs.forEach((db, index) => {
      if (db.size === 0) return;
      const walk = new DbWalk(db, index, db.size, db.volatileCount, this);
      if (background) {
        if (db.snapshot !== null) throw new Error("another background snapshot is in progress");
        db.snapshot = walk;
      }
      this.walks.push(walk);
    });
  }

  /** Writes one key (called by the walks). */
  write(walk: DbWalk, key: string, entry: Entry): void {
    if (entry.expireAt !== 0 && entry.expireAt <= this.time) return;
    if (!SAVABLE.has(entry.type)) {
      this.skipped++;
      return;
    }
    const out = this.out;
    if (this.selected !== walk.index) {
      out.byte(RdbOpcode.SELECTDB);
      out.length(walk.index);
      if (!this.announced.has(walk.index)) {
        this.announced.add(walk.index);
        out.byte(RdbOpcode.RESIZEDB);
        out.length(walk.size);
        out.length(walk.volatileCount);
      }
      this.selected = walk.index;
    }
    out.keyPrefix(entry, this.time);
    const type = rdbTypeOf(entry.type, entry.value);
    out.byte(type);
    out.string(key);
    out.value(type, entry.value);
    this.keys++;
  }

  /** Walks about count slots; returns true when every database is done (observers detached). */
  step(count: number): boolean {
    while (this.current < this.walks.length) {
      const walk = this.walks[this.current];
      if (walk.step(count)) return false;
      this.detach(walk);
      this.current++;
    }
    return true;
  }

  /** Stops watching the databases (when done, or when the save is abandoned). */
  close(): void {
    for (const walk of this.walks) this.detach(walk);
    this.current = this.walks.length;
  }

  private detach(walk: DbWalk): void {
    if (walk.db.snapshot === walk) walk.db.snapshot = null;
  }
}
