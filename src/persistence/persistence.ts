// Persistence: what a server does with its data on disk. Loads the AOF (or else the RDB) at
// startup, runs the background jobs one at a time as Redis runs one child (BGSAVE, AOF rewrite,
// scheduled backups; the others wait), the `save` points and auto AOF rewrite, SAVE / SHUTDOWN,
// and keeps the figures INFO persistence reports.

import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { scriptingOf } from "../scripting/scripting.js";
import type { Server } from "../server/server.js";
import { Aof } from "./aof.js";
import { internalSession, loadAofFile, PersistenceError } from "./aof-load.js";
import { BackgroundSave, loadRdbFile, saveSync } from "./rdb.js";
import { backupName, nextBackupTime, pruneBackups } from "./backups.js";
import { ConfigError } from "../config.js";

type Job = { kind: "rdb"; save: BackgroundSave } | { kind: "aof" } | { kind: "backup"; save: BackgroundSave };

/** How often the save points and scheduled jobs are checked (ms). */
const CRON_MS = 100;
/** After a failed BGSAVE, save points wait this long before trying again (CONFIG_BGSAVE_RETRY_DELAY). */
const RETRY_DELAY_MS = 5000;

export class Persistence {
  readonly aof: Aof;
  private job: Job | null = null;
  private bgsaveScheduled = false;
  private rewriteScheduled = false;
  /** CONFIG SET appendonly yes while another job ran: the AOF starts when it ends. */
  private aofEnableScheduled = false;
  private cron: NodeJS.Timeout | null = null;
  private jobStartedAt = 0;
  // INFO persistence figures.
  lastBgsaveOk = true;
  lastBgsaveSeconds = -1;
  lastBgsaveAttempt = 0;
  rdbSaves = 0;
  lastRewriteOk = true;
  lastRewriteSeconds = -1;
  aofRewrites = 0;
  loadedKeys = 0;
  /** When the next scheduled backup is due (ms); null when backup-schedule is off. */
  nextBackupAt: number | null = null;
  /** Called by SHUTDOWN once the data is safe (the CLI exits the process). */
  onShutdown: () => void = () => process.exit(0);

  constructor(private readonly server: Server) {
    this.aof = new Aof(server);
    server.config.onChange("appendonly", (value) => {
      if (value === "yes") this.enableAof();
      else this.disableAof();
    });
    server.config.addValidator("backup-schedule", (value) => {
      try {
        nextBackupTime(value, Date.now());
      } catch (e) {
        throw new ConfigError((e as Error).message);
      }
      return value;
    });
    server.config.onChange("backup-schedule", (value) => {
      this.nextBackupAt = nextBackupTime(value, Date.now());
    });
  }

  /** The RDB file, inside the server's `dir`. */
  private get rdbPath(): string {
    return resolve(this.server.config.get("dir"), this.server.config.get("dbfilename"));
  }

  /** A background job (save, rewrite, backup) is running. */
  get busy(): boolean {
    return this.job !== null;
  }

  get bgsaveInProgress(): boolean {
    return this.job?.kind === "rdb";
  }

  get rewriteInProgress(): boolean {
    return this.job?.kind === "aof";
  }

  get rewriteScheduledNow(): boolean {
    return this.rewriteScheduled || this.aofEnableScheduled;
  }

  get aofEnabled(): boolean {
    return this.aof.on || this.aofEnableScheduled;
  }

  /** Seconds the running job has taken so far (-1 when none of that kind runs). */
  currentJobSeconds(kind: Job["kind"]): number {
    return this.job?.kind === kind ? Math.floor((Date.now() - this.jobStartedAt) / 1000) : -1;
  }

  // ---- Startup and shutdown -----------------------------------------------------------------------

  /** Loads the data (AOF when appendonly is on and one exists, else the RDB) and starts the cron. */
  start(): void {
    const server = this.server;
    const started = Date.now();
    const seconds = () => ((Date.now() - started) / 1000).toFixed(3);
    if (server.config.bool("appendonly")) {
      this.loadAof();
      server.log.info(`DB loaded from append only file: ${seconds()} seconds`);
    } else if (existsSync(this.rdbPath)) {
      this.loadedKeys = loadRdbFile(server, this.rdbPath).keys;
      server.log.info(`DB loaded from disk: ${seconds()} seconds (${this.loadedKeys} keys)`);
    }
    server.dirty = 0;
    try {
      this.nextBackupAt = nextBackupTime(server.config.get("backup-schedule"), Date.now());
    } catch (e) {
      server.log.warn((e as Error).message);
    }
    this.cron = setInterval(() => this.tick(), CRON_MS);
    this.cron.unref();
  }

  private loadAof(): void {
    const server = this.server;
    const aof = this.aof;
    const legacy = aof.legacyFile();
    const manifest = legacy ? aof.upgradeLegacy(legacy) : aof.readManifest();
    if (manifest === null) {
      // No AOF yet: start one from what the RDB holds (as Redis does on first start with AOF on).
      if (existsSync(this.rdbPath)) this.loadedKeys = loadRdbFile(server, this.rdbPath).keys;
      aof.create();
      return;
    }
    const dir = resolve(server.config.get("dir"), server.config.get("appenddirname"));
    const manifestPath = join(dir, `${server.config.get("appendfilename")}.manifest`);
    const hint = `restash check-aof --fix ${manifestPath}`;
    const files = manifest.loadOrder;
    const session = internalSession(server);
    files.forEach((file, i) => {
      const path = join(dir, file.name);
      if (!existsSync(path)) throw new PersistenceError(`Append only file ${path} listed in the manifest does not exist`);
      const loaded = loadAofFile(server, session, path, i === files.length - 1, hint);
      this.loadedKeys += loaded.keysFromRdb;
    });
    aof.resume(manifest);
  }

  /** SHUTDOWN and process exit: stops jobs, saves if asked (or save points exist), closes the AOF. */
  shutdown(save: boolean | null): void {
    if (this.job?.kind === "rdb" || this.job?.kind === "backup") this.job.save.cancel();
    this.job = null;
    const wantSave = save ?? this.server.config.get("save").trim() !== "";
    if (wantSave) this.save();
    this.aof.disable();
    if (this.cron) clearInterval(this.cron);
    this.cron = null;
  }

  /**
   * DEBUG RELOAD [MERGE] [NOFLUSH] [NOSAVE]: saves the RDB (unless NOSAVE), empties the databases
   * and functions (unless NOFLUSH) and loads the RDB back.
   */
  reload(options: { save: boolean; flush: boolean }): void {
    const server = this.server;
    if (options.save) this.save();
    if (options.flush) {
      for (const db of server.dbs) db.flush();
      scriptingOf(server).flushFunctions();
    }
    loadRdbFile(server, this.rdbPath);
    server.dirty = 0;
  }

  // ---- Saving -------------------------------------------------------------------------------------

  /** SAVE: the dataset to dbfilename now. */
  save(): void {
    const server = this.server;
    mkdirFor(this.rdbPath);
    saveSync(server, this.rdbPath);
    server.dirty = 0;
    server.lastSave = Math.floor(Date.now() / 1000);
    this.lastBgsaveOk = true;
    this.rdbSaves++;
  }

  /** BGSAVE [SCHEDULE]: the reply text, or throws with Redis's error. */
  bgsave(schedule: boolean): string {
    if (this.job?.kind === "rdb") throw new PersistenceError("ERR Background save already in progress");
    if (this.job !== null) {
      if (!schedule) {
        throw new PersistenceError(
          "ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.",
        );
      }
      this.bgsaveScheduled = true;
      return "Background saving scheduled";
    }
    this.startBgsave();
    return "Background saving started";
  }

  private startBgsave(): void {
    const server = this.server;
    const dirtyBefore = server.dirty;
    mkdirFor(this.rdbPath);
    const save = new BackgroundSave(server, this.rdbPath, false);
    this.job = { kind: "rdb", save };
    this.jobStartedAt = Date.now();
    this.lastBgsaveAttempt = Date.now();
    server.log.info("Background saving started");
    save.done.then(
      () => {
        this.lastBgsaveOk = true;
        server.dirty = Math.max(0, server.dirty - dirtyBefore);
        server.lastSave = Math.floor(Date.now() / 1000);
        this.rdbSaves++;
        server.log.info("Background saving terminated with success");
      },
      (e) => {
        this.lastBgsaveOk = false;
        server.log.warn({ err: e }, "Background saving error");
      },
    ).finally(() => this.jobDone());
  }

  /** BGREWRITEAOF: the reply text, or throws with Redis's error. */
  bgrewriteaof(): string {
    if (this.job?.kind === "aof") throw new PersistenceError("ERR Background append only file rewriting already in progress");
    if (this.job !== null) {
      this.rewriteScheduled = true;
      return "Background append only file rewriting scheduled";
    }
    this.startRewrite();
    return "Background append only file rewriting started";
  }

  private startRewrite(): void {
    const aof = this.aof;
    this.server.log.info("Background append only file rewriting started");
    // Not on: rewrite into a new AOF directory without turning the AOF on (as Redis does).
    this.runRewrite(() => (aof.on ? aof.startRewrite() : aof.enable().finally(() => aof.disable())));
  }

  /** Runs a rewrite as the background job; failed is called if it fails. */
  private runRewrite(start: () => Promise<void>, failed?: () => void): void {
    const server = this.server;
    this.job = { kind: "aof" };
    this.jobStartedAt = Date.now();
    start()
      .then(
        () => {
          this.lastRewriteOk = true;
          this.aofRewrites++;
          server.log.info("Background AOF rewrite finished successfully");
        },
        (e) => {
          this.lastRewriteOk = false;
          server.log.warn({ err: e }, "Background AOF rewrite failed");
          failed?.();
        },
      )
      .finally(() => this.jobDone());
  }

  private jobDone(): void {
    const kind = this.job?.kind;
    if (kind === "rdb") this.lastBgsaveSeconds = Math.floor((Date.now() - this.jobStartedAt) / 1000);
    if (kind === "aof") this.lastRewriteSeconds = Math.floor((Date.now() - this.jobStartedAt) / 1000);
    this.job = null;
    this.runScheduled();
  }

  /** Starts what waited for the job that just ended: enabling the AOF, a rewrite, a BGSAVE. */
  private runScheduled(): void {
    if (this.job !== null) return;
    if (this.aofEnableScheduled) {
      this.aofEnableScheduled = false;
      this.enableAof();
    } else if (this.rewriteScheduled) {
      this.rewriteScheduled = false;
      this.startRewrite();
    } else if (this.bgsaveScheduled) {
      this.bgsaveScheduled = false;
      this.startBgsave();
    }
  }

  /** A scheduled backup: a background snapshot into backup-dir, then the oldest beyond retention go. */
  startBackup(): void {
    const server = this.server;
    const config = server.config;
    const dir = resolve(config.get("dir"), config.get("backup-dir"));
    mkdirSync(dir, { recursive: true });
    const path = join(dir, backupName(Date.now()));
    const save = new BackgroundSave(server, path, false);
    this.job = { kind: "backup", save };
    this.jobStartedAt = Date.now();
    save.done.then(
      (result) => {
        const removed = pruneBackups(dir, config.num("backup-retention"));
        server.log.info(`Backup written to ${path} (${result.keys} keys); ${removed.length} old backup(s) removed`);
      },
      (e) => server.log.warn({ err: e }, `Backup to ${path} failed`),
    ).finally(() => {
      this.nextBackupAt = nextBackupTime(config.get("backup-schedule"), Date.now());
      this.jobDone();
    });
  }

  // ---- AOF on / off -------------------------------------------------------------------------------

  private enableAof(): void {
    if (this.aof.on) return;
    if (this.job !== null) {
      this.aofEnableScheduled = true;
      this.server.log.warn("AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.");
      return;
    }
    // If the first base cannot be written, no manifest names the new files: the AOF goes off again.
    this.runRewrite(
      () => this.aof.enable(),
      () => {
        this.server.log.warn("The AOF could not be started: appendonly is off again");
        this.server.config.set("appendonly", "no");
      },
    );
  }

  private disableAof(): void {
    this.aofEnableScheduled = false;
    if (this.job?.kind === "aof") this.job = null;
    this.aof.disable();
  }

  // ---- Cron ---------------------------------------------------------------------------------------

  /** Save points ("save <seconds> <changes> ..."), auto AOF rewrite, backups, scheduled jobs. */
  private tick(): void {
    if (this.job !== null) return;
    this.runScheduled();
    if (this.job !== null) return;
    const server = this.server;
    if (this.nextBackupAt !== null && Date.now() >= this.nextBackupAt) {
      this.startBackup();
      return;
    }
    if (this.aof.needsRewrite()) {
      server.log.info("Starting automatic rewriting of AOF");
      this.startRewrite();
      return;
    }
    if (server.dirty === 0) return;
    const now = Date.now();
    const sinceSave = now / 1000 - server.lastSave;
    if (!this.lastBgsaveOk && now - this.lastBgsaveAttempt < RETRY_DELAY_MS) return;
    const points = server.config.get("save").trim().split(/\s+/).filter(Boolean).map(Number);
    for (let i = 0; i + 1 < points.length; i += 2) {
      const [seconds, changes] = [points[i], points[i + 1]];
      if (server.dirty >= changes && sinceSave > seconds) {
        server.log.info(`${changes} changes in ${seconds} seconds. Saving...`);
        this.startBgsave();
        return;
      }
    }
  }
}

function mkdirFor(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
}

const instances = new WeakMap<Server, Persistence>();

/** The persistence state of a server (created on first use). */
export function persistenceOf(server: Server): Persistence {
  let p = instances.get(server);
  if (!p) instances.set(server, (p = new Persistence(server)));
  return p;
}
