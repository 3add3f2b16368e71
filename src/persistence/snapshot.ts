// Snapshot: a point-in-time copy of every database, serialized into an RdbOutput a slice at a time
// while the server keeps serving (BGSAVE, AOF rewrite, replication), as Redis's forked child
// would see it. Each database is walked in scan order; meanwhile the database reports every entry
// about to be read, changed or removed (SnapshotObserver), and one the walk has not reached yet is
// written out right then, before it can change. Entries created after the start are left out.
// A snapshot written in one go (SAVE) simply reads the databases in scan order.

import type { Database, Entry, SnapshotObserver } from "../engine/database.js";
import type { Server } from "../server/server.js";
import { RdbOpcode } from "./rdb-format.js";
import type { RdbOutput } from "./rdb-writer.js";

/** One database's part of a snapshot. */
interface DbPart {
  readonly db: Database;
  readonly index: number;
  /** Keys and keys with a TTL when the snapshot started (RESIZEDB). */
  readonly size: number;
  readonly volatileCount: number;
  /** Writes about count more keys; false once the database is done. */
  step(count: number): boolean;
}

/** A database walked while the server keeps serving: in scan order, watched for changes. */
class DbWalk implements DbPart, SnapshotObserver {
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

  step(count: number): boolean {
    const next = this.db.scanEntries(this.cursor, count, (key, entry) => {
      if (!this.fresh.has(entry) && !this.early.has(entry)) this.snapshot.write(this, key, entry);
    });
    this.cursor = next === 0 ? Infinity : next;
    return next !== 0;
  }
}

/** A database written in one go (nothing changes meanwhile): its entries read straight through. */
class DbScan implements DbPart {
  private cursor = 0;

  constructor(
    readonly db: Database,
    readonly index: number,
    readonly size: number,
    readonly volatileCount: number,
    private readonly snapshot: Snapshot,
  ) {}

  step(count: number): boolean {
    this.cursor = this.db.scanEntries(this.cursor, count, (key, entry) => this.snapshot.write(this, key, entry));
    return this.cursor !== 0;
  }
}

export class Snapshot {
  /** The time the snapshot stands for (ms): keys expired by then are left out. */
  readonly time = Date.now();
  private readonly walks: DbPart[] = [];
  private current = 0;
  private selected = -1;
  private readonly announced = new Set<number>();
  /** Keys written so far. */
  keys = 0;

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
      if (!background) return void this.walks.push(new DbScan(db, index, db.size, db.volatileCount, this));
      if (db.snapshot !== null) throw new Error("another background snapshot is in progress");
      const walk = new DbWalk(db, index, db.size, db.volatileCount, this);
      db.snapshot = walk;
      this.walks.push(walk);
    });
  }

  /** Writes one key (called by the walks). */
  write(walk: DbPart, key: string, entry: Entry): void {
    if (entry.expireAt !== 0 && entry.expireAt <= this.time) return;
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
    out.keyValue(key, entry, this.time);
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

  private detach(walk: DbPart): void {
    if (walk instanceof DbWalk && walk.db.snapshot === walk) walk.db.snapshot = null;
  }
}
