// RDB files: writing a whole server in Redis 7.0's format (header and aux fields, function
// libraries, every database, EOF and CRC64; Redis 7.4's version when hashes have field TTLs)
// either at once (SAVE, SHUTDOWN) or in slices from a point-in-time snapshot while the server
// keeps serving (BGSAVE, AOF base files), and loading one into the databases (startup, DEBUG
// RELOAD, restash import/restore).

import { closeSync, fsyncSync, openSync, readSync, renameSync, writeSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { accessClock } from "../engine/database.js";
import type { HashValue } from "../engine/types/hash.js";
import { scriptingOf } from "../scripting/scripting.js";
import type { Server } from "../server/server.js";
import { REDIS_VERSION } from "../version.js";
import { RDB_VERSION, RDB_VERSION_7_4, RdbError, RdbOpcode } from "./rdb-format.js";
import { dropExpiredFields, loadLimits, RdbInput, readRdb, type LoadedValue } from "./rdb-reader.js";
import { RdbOutput, saveOptions } from "./rdb-writer.js";
import { Snapshot } from "./snapshot.js";

/** Keys walked per step, and the time one slice of a background save may take (ms). */
const STEP_KEYS = 256;
const SLICE_MS = 5;
/** Output is written to the file in chunks of about this size. */
const CHUNK_BYTES = 4 << 20;
/** A background save waits for the disk when this much output is queued. */
const MAX_QUEUED_BYTES = 64 << 20;

export interface SaveResult {
  keys: number;
  bytes: number;
}

/**
 * The version a snapshot taken now needs: Redis 7.4's when some hash has field TTLs (only its hash
 * types hold them), else Redis 7.0's, so redis-server 7.0 loads the file. Every such hash is
 * queued for active field expiry, so only those keys are looked at.
 */
function fileVersion(server: Server): number {
  for (const db of server.dbs) {
    for (const [key] of db.hashFieldExpiry.entries()) {
      const entry = db.rawEntry(key);
      if (entry?.type === "hash" && (entry.value as HashValue).hasFieldTtls) return RDB_VERSION_7_4;
    }
  }
  return RDB_VERSION;
}

/** What a snapshot holds: REPLCONF rdb-filter-only may ask for less than everything. */
export interface RdbContent {
  keys: boolean;
  functions: boolean;
}

const EVERYTHING: RdbContent = { keys: true, functions: true };

/**
 * What goes before the keys: signature, aux fields, function libraries. Called right before the
 * snapshot of the keys is taken (the version depends on them).
 */
function writeHeader(out: RdbOutput, server: Server, aofBase: boolean, content = EVERYTHING): void {
  const version = content.keys ? fileVersion(server) : RDB_VERSION;
  out.raw(Buffer.from(`REDIS${String(version).padStart(4, "0")}`, "latin1"));
  out.aux("redis-ver", REDIS_VERSION);
  out.aux("redis-bits", "64");
  out.aux("ctime", String(Math.floor(Date.now() / 1000)));
  out.aux("used-mem", String(process.memoryUsage().rss));
  out.aux("aof-base", aofBase ? "1" : "0");
  if (!content.functions) return;
  for (const library of scriptingOf(server).functions.libraries.values()) {
    out.byte(RdbOpcode.FUNCTION2);
    out.string(library.code);
  }
}

/** EOF and the checksum (zero when rdbchecksum is off). */
function finish(out: RdbOutput, checksum: boolean): Buffer {
  out.byte(RdbOpcode.EOF);
  const body = out.drain();
  return Buffer.concat([body, checksum ? out.crc.bytes() : Buffer.alloc(8)]);
}

function newOutput(server: Server): RdbOutput {
  return new RdbOutput(saveOptions(server.config, server.quicklistPackedThreshold), CHUNK_BYTES + (1 << 20));
}

/** The dataset (or the part asked for) as RDB bytes in memory (SYNC and PSYNC: redis-cli --rdb, replicas). */
export function rdbBytes(server: Server, content = EVERYTHING): Buffer {
  const out = newOutput(server);
  writeHeader(out, server, false, content);
  const chunks: Buffer[] = [];
  if (content.keys) {
    const snapshot = new Snapshot(server, out, false);
    try {
      while (!snapshot.step(STEP_KEYS)) if (out.pos >= CHUNK_BYTES) chunks.push(out.drain());
    } finally {
      snapshot.close();
    }
  }
  chunks.push(finish(out, server.config.bool("rdbchecksum")));
  return Buffer.concat(chunks);
}

/** SAVE: writes the dataset to path at once (through a temp file renamed into place). */
export function saveSync(server: Server, path: string, aofBase = false): SaveResult {
  const temp = `${path}.tmp-${process.pid}`;
  const fd = openSync(temp, "w");
  const out = newOutput(server);
  let bytes = 0;
  let keys = 0;
  try {
    writeHeader(out, server, aofBase);
    const snapshot = new Snapshot(server, out, false);
    try {
      while (!snapshot.step(STEP_KEYS)) {
        if (out.pos >= CHUNK_BYTES) bytes += writeAll(fd, out.drain());
      }
    } finally {
      snapshot.close();
    }
    keys = snapshot.keys;
    bytes += writeAll(fd, finish(out, server.config.bool("rdbchecksum")));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
  return { keys, bytes };
}

function writeAll(fd: number, data: Buffer): number {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off);
  return data.length;
}

/** A save in progress in the background (BGSAVE, AOF rewrite base). */
export class BackgroundSave {
  private snapshot: Snapshot | null;
  private readonly out: RdbOutput;
  private cancelled = false;
  readonly done: Promise<SaveResult>;

  /** Starts now: the snapshot is taken at this point; the file appears at path once complete. */
  constructor(
    private readonly server: Server,
    private readonly path: string,
    aofBase: boolean,
  ) {
    this.out = newOutput(server);
    writeHeader(this.out, server, aofBase);
    this.snapshot = new Snapshot(server, this.out, true);
    this.done = this.run();
  }

  /** Abandons the save (the temp file is removed, done rejects). */
  cancel(): void {
    this.cancelled = true;
    this.snapshot?.close();
  }

  private async run(): Promise<SaveResult> {
    const temp = `${this.path}.tmp-${process.pid}`;
    const file = await open(temp, "w");
    const snapshot = this.snapshot!;
    let bytes = 0;
    let queued: Promise<unknown>[] = [];
    let queuedBytes = 0;
    const flush = (data: Buffer) => {
      bytes += data.length;
      queuedBytes += data.length;
      queued.push(file.write(data));
    };
    try {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.cancelled) throw new Error("background save cancelled");
        const started = performance.now();
        let finished = false;
        while (!(finished = snapshot.step(STEP_KEYS)) && performance.now() - started < SLICE_MS) {
          if (this.out.pos >= CHUNK_BYTES) flush(this.out.drain());
        }
        if (finished) break;
        if (this.out.pos >= CHUNK_BYTES) flush(this.out.drain());
        if (queuedBytes > MAX_QUEUED_BYTES) {
          await Promise.all(queued);
          queued = [];
          queuedBytes = 0;
        }
      }
      flush(finish(this.out, this.server.config.bool("rdbchecksum")));
      await Promise.all(queued);
      await file.sync();
      await file.close();
      if (this.cancelled) throw new Error("background save cancelled");
      renameSync(temp, this.path);
      return { keys: snapshot.keys, bytes };
    } catch (e) {
      snapshot.close();
      await file.close().catch(() => {});
      await rm(temp, { force: true });
      throw e;
    } finally {
      this.snapshot = null;
    }
  }
}

// ---- Loading ------------------------------------------------------------------------------------

export interface LoadOptions {
  /** Keep keys and hash fields whose TTL already passed (AOF base: later commands may still touch them). */
  keepExpired?: boolean;
}

export interface LoadResult {
  keys: number;
  expired: number;
  version: number;
  aux: Record<string, string>;
}

/** An RdbInput reading a file from offset `at` (the AOF loader continues after the RDB part). */
export function fileInput(fd: number, at = 0): RdbInput {
  let position = at;
  return new RdbInput(Buffer.alloc(0), (buf, offset, length) => {
    const got = readSync(fd, buf, offset, length, position);
    position += got;
    return got;
  });
}

/** Loads an RDB stream into the server's databases (which the caller emptied if it wanted). */
export function loadRdb(server: Server, input: RdbInput, options: LoadOptions = {}): LoadResult {
  const result: LoadResult = { keys: 0, expired: 0, version: 0, aux: {} };
  const libraries: string[] = [];
  const now = Date.now();
  const merge = server.dbs.map((db) => db.size > 0);
  const wasLoading = server.loading;
  server.loading = true;
  for (const db of server.dbs) db.loading = true;
  try {
    result.version = readRdb(input, loadLimits(server.config), {
      aux: (name, value) => {
        result.aux[name] = value;
      },
      functionLibrary: (code) => libraries.push(code),
      resizeDb: (dbIndex, keys) => server.dbs[dbIndex]?.reserve(keys),
      key: (dbIndex, key, loaded: LoadedValue, expireAt, idle, freq) => {
        if (!options.keepExpired && ((expireAt !== 0 && expireAt <= now) || dropExpiredFields(loaded, now))) {
          result.expired++;
          return;
        }
        const db = server.dbs[dbIndex];
        if (db === undefined) throw new RdbError(`Data file was created with a Redis server configured to handle more than ${server.dbs.length} databases`);
        // Into an empty database: the fast path (a duplicate key is a corrupt file); else merged.
        const lastAccess = idle >= 0 ? accessClock(now) - idle : -1;
        if (merge[dbIndex]) {
          const entry = db.set(key, loaded.type, loaded.value, { expireAt });
          if (lastAccess >= 0) entry.lastAccess = lastAccess;
          if (freq >= 0) entry.freq = freq;
        } else if (!db.load(key, loaded.type, loaded.value, expireAt, lastAccess, freq)) {
          throw new RdbError(`RDB has duplicated key '${key}' in DB ${dbIndex}`);
        }
        result.keys++;
      },
    });
    if (libraries.length > 0) scriptingOf(server).restoreLibraries(libraries, "replace");
  } finally {
    server.loading = wasLoading;
    for (const db of server.dbs) db.loading = wasLoading;
  }
  return result;
}

/** Loads an RDB file. */
export function loadRdbFile(server: Server, path: string, options: LoadOptions = {}): LoadResult {
  const fd = openSync(path, "r");
  try {
    return loadRdb(server, fileInput(fd), options);
  } finally {
    closeSync(fd);
  }
}
