// restash's data tools: `check-aof` (verify, and cut a damaged tail), `import` (an RDB, AOF or
// JSONL file into a running Restash or Redis, as RESTORE/commands over RESP), `export` (keys
// matching a pattern as JSONL) and `restore` (a backup snapshot as the data dir's dump.rdb).

import { closeSync, copyFileSync, createReadStream, existsSync, ftruncateSync, mkdirSync, openSync, readSync, renameSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { Config } from "../config.js";
import { Manifest } from "./aof-manifest.js";
import { checkAofFile } from "./aof-load.js";
import { AofCommandReader } from "./aof-reader.js";
import { readPayload, restoreCommand } from "./dump.js";
import { fromJsonLine, toJsonLine } from "./jsonl.js";
import { fileInput } from "./rdb.js";
import { loadLimits, rdbItems, readRdb, type RdbInput } from "./rdb-reader.js";
import { RespClient, RespError, type RespValue } from "./resp-client.js";

export interface Target {
  host: string;
  port: number;
  password: string | null;
  /** Database to use; null keeps the databases a file names (RDB, AOF). */
  db: number | null;
}

type Out = (line: string) => void;

// ---- check-aof -------------------------------------------------------------------------------------

/** The AOF files behind a path: a manifest, a directory holding one, or a single file. */
function aofFiles(path: string): string[] {
  let manifestPath = path;
  if (statSync(path).isDirectory()) {
    const found = ["appendonly.aof.manifest"].map((n) => join(path, n)).find((p) => existsSync(p));
    if (!found) throw new Error(`no AOF manifest in ${path}`);
    manifestPath = found;
  }
  if (!manifestPath.endsWith(".manifest")) return [path];
  const dir = dirname(manifestPath);
  const manifest = Manifest.load(dir, manifestPath.slice(dir.length + 1))!;
  return manifest.loadOrder.map((f) => join(dir, f.name));
}

/** `restash check-aof [--fix] <file|manifest|dir>`; returns the exit code. */
export function checkAof(path: string, fix: boolean, out: Out): number {
  const files = aofFiles(path);
  let status = 0;
  files.forEach((file, i) => {
    const r = checkAofFile(file);
    out(`AOF analyzed: filename=${file}, size=${r.size}, ok_up_to=${r.validUpTo}, commands=${r.commands}, diff=${r.size - r.validUpTo}`);
    if (r.ok) return out(`AOF ${file} is valid`);
    const last = i === files.length - 1;
    if (fix && last) {
      const fd = openSync(file, "r+");
      ftruncateSync(fd, r.validUpTo);
      closeSync(fd);
      out(`AOF ${file} had ${r.problem} at offset ${r.validUpTo}: truncated from ${r.size} to ${r.validUpTo} bytes (${r.size - r.validUpTo} removed)`);
      return out(`Successfully truncated AOF ${file}`);
    }
    status = 1;
    if (fix) out(`AOF ${file} is not valid (${r.problem} at offset ${r.validUpTo}) and is not the last file: it cannot be fixed by truncation`);
    else out(`AOF ${file} is not valid (${r.problem} at offset ${r.validUpTo}). Use the --fix option to try fixing it.`);
  });
  return status;
}

// ---- Talking to a server ---------------------------------------------------------------------------

async function connectTo(target: Target): Promise<RespClient> {
  const client = new RespClient({ host: target.host, port: target.port });
  await client.connected();
  if (target.password !== null) expectOk(await client.call(["AUTH", target.password]), "AUTH");
  if (target.db !== null) expectOk(await client.call(["SELECT", String(target.db)]), "SELECT");
  return client;
}

function expectOk(reply: RespValue, what: string): void {
  if (reply instanceof RespError) throw new Error(`${what} failed: ${reply.message}`);
}

export interface ImportStats {
  sent: number;
  errors: number;
  /** Keys left alone because they exist (RESTORE without --replace). */
  existing: number;
}

/** Sends commands pipelined, at most WINDOW awaiting replies, counting errors. */
class Pipeline {
  private static readonly WINDOW = 1000;
  private readonly inflight: Promise<void>[] = [];
  readonly stats: ImportStats = { sent: 0, errors: 0, existing: 0 };

  constructor(
    private readonly client: RespClient,
    private readonly warn: Out,
  ) {}

  async send(argv: string[]): Promise<void> {
    this.stats.sent++;
    this.inflight.push(
      this.client.call(argv).then((reply) => {
        if (!(reply instanceof RespError)) return;
        if (reply.message.startsWith("BUSYKEY")) this.stats.existing++;
        else if (this.stats.errors++ < 10) this.warn(`error from ${argv[0]}: ${reply.message}`);
      }),
    );
    if (this.inflight.length >= Pipeline.WINDOW) await this.inflight.shift();
  }

  async finish(): Promise<ImportStats> {
    await Promise.all(this.inflight);
    return this.stats;
  }
}

/** Reports progress on a terminal as a bar over the bytes of the file read so far. */
function progressBar(total: number, enabled: boolean): { update(done: number, keys: number): void; end(): void } {
  let last = 0;
  const draw = (done: number, keys: number) => {
    const share = total > 0 ? Math.min(1, done / total) : 1;
    const width = 30;
    const filled = Math.round(share * width);
    process.stderr.write(`\r[${"#".repeat(filled)}${".".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${keys} keys`);
  };
  return {
    update(done, keys) {
      if (!enabled || Date.now() - last < 100) return;
      last = Date.now();
      draw(done, keys);
    },
    end() {
      if (enabled) process.stderr.write("\n");
    },
  };
}

// ---- import ----------------------------------------------------------------------------------------

type FileKind = "rdb" | "aof" | "jsonl";

function detectKind(path: string): FileKind {
  if (path.endsWith(".manifest") || statSync(path).isDirectory()) return "aof";
  const fd = openSync(path, "r");
  const head = Buffer.alloc(5);
  const n = readSync(fd, head, 0, 5, 0);
  closeSync(fd);
  const text = head.toString("latin1", 0, n);
  if (text === "REDIS") return path.endsWith(".aof") ? "aof" : "rdb";
  if (text.startsWith("*")) return "aof";
  if (text.startsWith("{") || n === 0) return "jsonl";
  throw new Error(`${path}: not an RDB, AOF or JSONL file`);
}

export interface ImportOptions {
  replace: boolean;
  progress: boolean;
}

/** `restash import <file>`: an RDB, AOF (file, manifest or directory) or JSONL file into a server. */
export async function importFile(path: string, target: Target, options: ImportOptions, warn: Out): Promise<ImportStats> {
  const client = await connectTo(target);
  const pipe = new Pipeline(client, warn);
  try {
    const kind = detectKind(path);
    if (kind === "jsonl") await importJsonl(path, pipe, options);
    else {
      const files = kind === "rdb" ? [path] : aofFiles(path);
      for (const file of files) await importCommandsFile(file, kind, target, pipe, options);
    }
    return await pipe.finish();
  } finally {
    client.close();
  }
}

/** An RDB file, or one file of an AOF (its RDB part as RESTOREs, then its commands). */
async function importCommandsFile(file: string, kind: FileKind, target: Target, pipe: Pipeline, options: ImportOptions): Promise<void> {
  const config = new Config();
  const fd = openSync(file, "r");
  const size = statSync(file).size;
  const bar = progressBar(size, options.progress);
  try {
    const head = Buffer.alloc(5);
    let start = 0;
    if (readSync(fd, head, 0, 5, 0) === 5 && head.toString("latin1") === "REDIS") {
      const input = fileInput(fd);
      await importRdbItems(input, target, pipe, options, config, (keys) => bar.update(input.offset, keys));
      start = input.offset;
    }
    if (kind === "rdb") return;
    const reader = new AofCommandReader(fd, start);
    for (let argv = reader.next(); argv !== null; argv = reader.next()) {
      // With --db, everything goes to that database.
      if (target.db !== null && argv[0].toLowerCase() === "select") continue;
      await pipe.send(argv);
      bar.update(reader.validUpTo, pipe.stats.sent);
    }
  } finally {
    bar.end();
    closeSync(fd);
  }
}

async function importRdbItems(input: RdbInput, target: Target, pipe: Pipeline, options: ImportOptions, config: Config, progress: (keys: number) => void): Promise<void> {
  const now = Date.now();
  let selected = -1;
  let keys = 0;
  const items = rdbItems(input, loadLimits(config));
  for (let next = items.next(); !next.done; next = items.next()) {
    const item = next.value;
    if (item.kind === "function") await pipe.send(options.replace ? ["FUNCTION", "LOAD", "REPLACE", item.text] : ["FUNCTION", "LOAD", item.text]);
    if (item.kind !== "key") continue;
    if (item.expireAt !== 0 && item.expireAt <= now) continue;
    if (target.db === null && item.db !== selected) {
      await pipe.send(["SELECT", String(item.db)]);
      selected = item.db;
    }
    await pipe.send(restoreCommand(item.name, item.loaded!, item.expireAt, true, options.replace, config));
    progress(++keys);
  }
}

async function importJsonl(path: string, pipe: Pipeline, options: ImportOptions): Promise<void> {
  const config = new Config();
  const stream = createReadStream(path);
  const bar = progressBar(statSync(path).size, options.progress);
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      if (line.trim() === "") continue;
      let record;
      try {
        record = fromJsonLine(line, config);
      } catch (e) {
        throw new Error(`${path}:${n}: ${(e as Error).message}`);
      }
      await pipe.send(restoreCommand(record.key, record, record.ttlMs, false, options.replace, config));
      bar.update(stream.bytesRead, n);
    }
  } finally {
    bar.end();
  }
}

// ---- export ----------------------------------------------------------------------------------------

export interface ExportOptions {
  match: string;
  type: string | null;
}

/** `restash export --match <pattern> [--type t]`: one JSONL line per key; returns how many. */
export async function exportKeys(target: Target, options: ExportOptions, out: Out): Promise<number> {
  const client = await connectTo(target);
  const config = new Config();
  let count = 0;
  try {
    let cursor = "0";
    do {
      const scan = ["SCAN", cursor, "MATCH", options.match, "COUNT", "1000"];
      if (options.type !== null) scan.push("TYPE", options.type);
      const reply = await client.call(scan);
      if (reply instanceof RespError || !Array.isArray(reply)) throw new Error(`SCAN failed: ${(reply as RespError).message}`);
      cursor = reply[0] as string;
      const keys = reply[1] as string[];
      const replies = await Promise.all(keys.flatMap((key) => [client.call(["DUMP", key]), client.call(["PTTL", key])]));
      keys.forEach((key, i) => {
        const payload = replies[i * 2];
        const pttl = replies[i * 2 + 1] as number;
        if (typeof payload !== "string") return; // gone meanwhile
        const loaded = readPayload(Buffer.from(payload, "latin1"), config);
        out(toJsonLine({ key, type: loaded.type, value: loaded.value, ttlMs: pttl > 0 ? pttl : 0 }));
        count++;
      });
    } while (cursor !== "0");
  } finally {
    client.close();
  }
  return count;
}

// ---- restore ---------------------------------------------------------------------------------------

/**
 * `restash restore <snapshot> [--dir d]`: checks the snapshot, then makes it the dump.rdb of a
 * (stopped) server's data dir. What was there (dump.rdb, the AOF directory, which would win at
 * startup) is kept aside with a .before-restore-<time> suffix.
 */
export function restoreSnapshot(snapshot: string, dir: string, dbfilename: string, aofDirName: string, out: Out): void {
  const fd = openSync(snapshot, "r");
  let keys = 0;
  try {
    readRdb(fileInput(fd), loadLimits(new Config()), { key: () => void keys++ });
  } finally {
    closeSync(fd);
  }
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  const target = resolve(dir, dbfilename);
  for (const existing of [target, resolve(dir, aofDirName)]) {
    if (!existsSync(existing)) continue;
    renameSync(existing, `${existing}.before-restore-${stamp}`);
    out(`kept ${existing} as ${existing}.before-restore-${stamp}`);
  }
  copyFileSync(snapshot, target);
  out(`restored ${keys} keys from ${snapshot} into ${target}; start restash with --dir ${resolve(dir)}`);
}
