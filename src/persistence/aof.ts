// The append-only file, in Redis 7's multi-part layout: <appenddirname>/ holds a base file (an
// RDB snapshot, as with aof-use-rdb-preamble), incremental files of RESP commands, and the
// manifest naming them. Writes that changed data arrive from the server's propagation feed in
// their deterministic form; they are written before any reply goes out, and with appendfsync
// always, replies wait for the fsync covering them, one fsync per batch across all clients (group
// commit). everysec fsyncs once a second off the event loop; no leaves it to the OS.
// Rewrites start a new incremental file and write a new base from a point-in-time snapshot in
// slices; the manifest switches to them once the base is complete.

import { closeSync, existsSync, fdatasync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Durability, Server } from "../server/server.js";
import { RespBuffer } from "./aof-reader.js";
import { fsyncDir, Manifest, type AofFile } from "./aof-manifest.js";
import { BackgroundSave, saveSync } from "./rdb.js";

export type FsyncPolicy = "always" | "everysec" | "no";

interface Waiter {
  position: number;
  done: () => void;
}

export class Aof implements Durability {
  private manifest: Manifest = new Manifest();
  private fd = -1;
  private readonly pending = new RespBuffer();
  private writeScheduled = false;
  private selectedDb = -1;
  private policy: FsyncPolicy;
  /** Bytes written (over every file since start) and how many of them are known to be on disk. */
  written = 0;
  synced = 0;
  private fsyncing = false;
  private fsyncScheduled = false;
  private readonly waiters: Waiter[] = [];
  private everysec: NodeJS.Timeout | null = null;
  /** The base a rewrite in progress is writing. */
  private rewriting: BackgroundSave | null = null;
  /** Size of the base plus incremental files, and of the base after the last rewrite (auto rewrite). */
  size = 0;
  baseSize = 0;
  lastWriteError: string | null = null;

  constructor(private readonly server: Server) {
    this.policy = server.config.get("appendfsync") as FsyncPolicy;
    server.config.onChange("appendfsync", (value) => {
      this.policy = value as FsyncPolicy;
    });
    server.propagateListeners.push((db, argv) => this.feed(db, argv));
  }

  get on(): boolean {
    return this.fd >= 0;
  }

  /** The AOF directory, inside the server's `dir`. */
  private get dirName(): string {
    return resolve(this.server.config.get("dir"), this.server.config.get("appenddirname"));
  }

  private get fileName(): string {
    return this.server.config.get("appendfilename");
  }

  private path(file: AofFile | string): string {
    return join(this.dirName, typeof file === "string" ? file : file.name);
  }

  /** The manifest on disk, or null when there is no AOF directory yet. */
  readManifest(): Manifest | null {
    return Manifest.load(this.dirName, `${this.fileName}.manifest`);
  }

  private saveManifest(m: Manifest): void {
    m.save(this.dirName, `${this.fileName}.manifest`);
    this.manifest = m;
  }

  /** After loading an existing AOF: keeps appending to its last incremental file (or a new one). */
  resume(manifest: Manifest): void {
    this.manifest = manifest;
    this.size = manifest.loadOrder.reduce((n, f) => n + fileSize(this.path(f)), 0);
    this.baseSize = manifest.base ? fileSize(this.path(manifest.base)) : 0;
    const last = manifest.incrs[manifest.incrs.length - 1];
    if (last) this.openIncr(last.name);
    else {
      const next = manifest.clone();
      const incr = this.newIncr(next);
      this.saveManifest(next);
      this.openIncr(incr.name);
    }
  }

  /** Starts an AOF for the data in memory now, writing its base at once (startup without an AOF). */
  create(): void {
    mkdirSync(this.dirName, { recursive: true });
    const m = this.readManifest() ?? new Manifest();
    const next = new Manifest();
    const base: AofFile = { name: `${this.fileName}.${m.lastBaseSeq + 1}.base.rdb`, seq: m.lastBaseSeq + 1, type: "b" };
    saveSync(this.server, this.path(base), true);
    next.base = base;
    const incr = this.newIncr(next, m.lastIncrSeq);
    this.saveManifest(next);
    this.openIncr(incr.name);
    this.removeUnlisted(m, next);
    this.baseSize = this.size = fileSize(this.path(base));
  }

  /** Turns the AOF on at runtime (CONFIG SET appendonly yes): a rewrite creates its files. */
  enable(): Promise<void> {
    mkdirSync(this.dirName, { recursive: true });
    this.manifest = this.readManifest() ?? new Manifest();
    return this.startRewrite(true);
  }

  /**
   * Turns the AOF off (CONFIG SET appendonly no, SHUTDOWN, exit): everything written so far is
   * flushed and fsynced, waiting replies released; a rewrite in progress is abandoned.
   */
  disable(): void {
    this.rewriting?.cancel();
    this.rewriting = null;
    this.closeIncr();
    if (this.everysec) clearInterval(this.everysec);
    this.everysec = null;
  }

  private newIncr(m: Manifest, after = m.lastIncrSeq): AofFile {
    const seq = Math.max(after, m.lastIncrSeq) + 1;
    const incr: AofFile = { name: `${this.fileName}.${seq}.incr.aof`, seq, type: "i" };
    m.incrs.push(incr);
    return incr;
  }

  private openIncr(name: string): void {
    this.fd = openSync(this.path(name), "a");
    this.selectedDb = -1;
    fsyncDir(this.dirName);
    this.server.durability = this;
    if (!this.everysec) {
      this.everysec = setInterval(() => this.tick(), 1000);
      this.everysec.unref();
    }
  }

  /** Writes and fsyncs what is pending, releases every waiting reply, and closes the file. */
  private closeIncr(): void {
    if (this.fd < 0) return;
    this.writePending();
    try {
      fsyncSync(this.fd);
    } catch (e) {
      this.server.log.warn({ err: e }, "fsync of the AOF failed");
    }
    this.synced = this.written;
    this.releaseWaiters();
    closeSync(this.fd);
    this.fd = -1;
    if (this.server.durability === this) this.server.durability = null;
  }

  // ---- Feeding and writing ----------------------------------------------------------------------

  /** A write command that changed data (from the propagation feed). */
  private feed(db: number, argv: string[]): void {
    if (this.fd < 0) return;
    if (db !== this.selectedDb) {
      this.pending.append(["SELECT", String(db)]);
      this.selectedDb = db;
    }
    this.pending.append(argv);
    if (!this.writeScheduled) {
      this.writeScheduled = true;
      setImmediate(() => {
        this.writeScheduled = false;
        this.writePending();
      });
    }
  }

  /** Writes the pending commands to the file (before any reply that depends on them goes out). */
  writePending(): void {
    if (this.pending.length === 0 || this.fd < 0) return;
    const data = this.pending.bytes();
    try {
      let off = 0;
      while (off < data.length) off += writeSync(this.fd, data, off);
    } catch (e) {
      // Kept in memory and retried every second; replies waiting for it stay held.
      if (this.lastWriteError === null) this.server.log.warn({ err: e }, "error writing to the AOF file; will retry");
      this.lastWriteError = (e as Error).message;
      return;
    }
    this.lastWriteError = null;
    this.pending.clear();
    this.written += data.length;
    this.size += data.length;
    if (this.policy === "always") this.scheduleFsync();
  }

  /** Durability: the position replies produced now must wait for (0 = none). */
  position(): number {
    this.writePending();
    return this.policy === "always" && this.synced < this.written ? this.written : 0;
  }

  whenDurable(position: number, done: () => void): void {
    if (this.synced >= position) done();
    else this.waiters.push({ position, done });
  }

  private scheduleFsync(): void {
    if (this.fsyncScheduled || this.fsyncing) return;
    this.fsyncScheduled = true;
    // After this turn's other writes: one fsync for the whole batch.
    setImmediate(() => {
      this.fsyncScheduled = false;
      this.fsync();
    });
  }

  private fsync(): void {
    if (this.fsyncing || this.fd < 0 || this.synced >= this.written) return;
    this.fsyncing = true;
    const target = this.written;
    fdatasync(this.fd, (err) => {
      this.fsyncing = false;
      if (err) {
        this.server.log.warn({ err }, "fsync of the AOF failed");
        setTimeout(() => this.fsync(), 100).unref();
        return;
      }
      if (target > this.synced) this.synced = target;
      this.releaseWaiters();
      if (this.policy === "always" && this.synced < this.written) this.fsync();
    });
  }

  private releaseWaiters(): void {
    let n = 0;
    while (n < this.waiters.length && this.waiters[n].position <= this.synced) n++;
    if (n === 0) return;
    for (const w of this.waiters.splice(0, n)) w.done();
  }

  /** Once a second: retry failed writes, everysec fsync, auto rewrite. */
  private tick(): void {
    this.writePending();
    if (this.policy === "everysec") this.fsync();
  }

  // ---- Rewrite ------------------------------------------------------------------------------------

  /**
   * Starts a rewrite: new writes go to a new incremental file from now on, and a new base is
   * written from a snapshot of this moment. fresh: the AOF is being turned on (the manifest
   * lists the new files only once the base is complete).
   */
  startRewrite(fresh = false): Promise<void> {
    const old = this.manifest;
    const next = new Manifest();
    const baseSeq = old.lastBaseSeq + 1;
    next.base = { name: `${this.fileName}.${baseSeq}.base.rdb`, seq: baseSeq, type: "b" };
    const incr = this.newIncr(next, old.lastIncrSeq);
    if (!fresh) {
      // Until the base is done, the old files plus the new incremental file are the AOF.
      const interim = old.clone();
      interim.incrs.push({ ...incr });
      this.saveManifest(interim);
    }
    this.closeIncr();
    this.openIncr(incr.name);
    this.size = 0;
    const save = new BackgroundSave(this.server, this.path(next.base), true);
    this.rewriting = save;
    return save.done.then(
      (result) => {
        if (this.rewriting !== save) return;
        this.rewriting = null;
        const before = this.readManifest() ?? old;
        this.saveManifest(next);
        this.removeUnlisted(before, next);
        this.baseSize = result.bytes;
        this.size = result.bytes + fileSize(this.path(incr));
      },
      (e) => {
        if (this.rewriting === save) this.rewriting = null;
        throw e;
      },
    );
  }

  /** Deletes the files of an old manifest that the new one no longer lists. */
  private removeUnlisted(before: Manifest, after: Manifest): void {
    const keep = new Set(after.loadOrder.map((f) => f.name));
    for (const f of [...before.loadOrder, ...before.history]) {
      if (!keep.has(f.name)) rmSync(this.path(f), { force: true });
    }
  }

  /** auto-aof-rewrite-percentage / min-size: whether the AOF grew enough to be rewritten. */
  needsRewrite(): boolean {
    if (!this.on || this.rewriting) return false;
    const pct = this.server.config.num("auto-aof-rewrite-percentage");
    if (pct === 0) return false;
    const min = this.server.config.num("auto-aof-rewrite-min-size");
    if (this.size < min) return false;
    const base = this.baseSize > 0 ? this.baseSize : 1;
    return ((this.size - base) * 100) / base >= pct;
  }



  /** Moves a pre-7.0 single-file AOF into the directory as the base of a new manifest. */
  upgradeLegacy(legacyPath: string): Manifest {
    mkdirSync(this.dirName, { recursive: true });
    const m = new Manifest();
    m.base = { name: this.fileName, seq: 1, type: "b" };
    renameSync(legacyPath, this.path(m.base));
    this.saveManifest(m);
    return m;
  }

  /** The legacy single AOF file in dir, if there is one and no directory. */
  legacyFile(): string | null {
    const legacy = resolve(this.server.config.get("dir"), this.fileName);
    return !existsSync(this.dirName) && existsSync(legacy) ? legacy : null;
  }
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}
