// RDB files: SAVE / BGSAVE / DEBUG RELOAD / SHUTDOWN / save points, the point-in-time guarantee of
// a background save while clients write, and files moving both ways between Restash and
// redis-server 7.0 with identical content.
import { test } from "node:test";
import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { testServer, type TestClient } from "../helpers/in-process.js";
import { spawnServer } from "../helpers/spawn-server.js";
import { redisServerAvailable, startRedisServer } from "../helpers/redis-server.js";
import { content, fill } from "./fixture.js";
import { persistenceOf } from "../../src/persistence/persistence.js";
import { loadRdbFile } from "../../src/persistence/rdb.js";
import { Server } from "../../src/server/server.js";
import { Config } from "../../src/config.js";
import type { ListValue } from "../../src/engine/types/list.js";
import type { Database } from "../../src/engine/database.js";
import type { ScanOrder } from "../../src/engine/scan-order.js";

const tempDir = () => mkdtempSync(path.join(tmpdir(), "restash-rdb-"));
const interop = redisServerAvailable();

async function until(check: () => boolean, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 10));
  }
}

function loadInto(file: string): Server {
  const server = new Server(new Config());
  loadRdbFile(server, file);
  return server;
}


/** Starts a BGSAVE, runs the commands while it is in progress, and waits until it is done. */
async function duringBgsave(server: Server, client: TestClient, commands: string[][]): Promise<void> {
  assert.equal(client.call("bgsave"), "Background saving started");
  assert.throws(() => client.call("bgsave"), { message: "ERR Background save already in progress" });
  for (const argv of commands) client.call(...(argv as [string, ...string[]]));
  await until(() => !persistenceOf(server).bgsaveInProgress);
  assert.equal(persistenceOf(server).lastBgsaveOk, true);
}

/** Test cleanup: disconnects the clients, then stops the servers. */
async function closeAll(clients: Redis[], servers: { stop(): Promise<void> }[]): Promise<void> {
  for (const c of clients) c.disconnect();
  for (const server of servers) await server.stop();
}

test("BGSAVE writes the data as it was when it started, while clients keep writing", async () => {
  const dir = tempDir();
  const { server, client } = testServer({ dir, save: "" });
  for (let i = 0; i < 30000; i++) client.call("set", `k${i}`, `v${i}`);
  client.call("rpush", "list", "a", "b");
  client.call("set", "doomed", "here");
  // Writes after the start: in place, replacing, deleting, creating, flushing another db.
  await duringBgsave(server, client, [
    ["set", "k29999", "changed"],
    ["rpush", "list", "c"],
    ["del", "doomed"],
    ["set", "created", "later"],
    ["rename", "k0", "renamed"],
    ["expire", "k1", "1000"],
  ]);
  const saved = loadInto(path.join(dir, "dump.rdb")).dbs[0];
  assert.equal(saved.size, 30002);
  assert.equal(saved.rawEntry("k29999")!.value, "v29999");
  assert.deepEqual([...(saved.rawEntry("list")!.value as ListValue)], ["a", "b"]);
  assert.equal(saved.rawEntry("doomed")!.value, "here");
  assert.equal(saved.rawEntry("created"), undefined);
  assert.equal(saved.rawEntry("renamed"), undefined);
  assert.equal(saved.rawEntry("k0")!.value, "v0");
  assert.equal(saved.rawEntry("k1")!.expireAt, 0);
  assert.equal(client.call("get", "k29999"), "changed");
});

/** How many of db's keys are held as bare strings (loaded, not yet read or changed). */
function bareKeys(db: Database): number {
  const order = (db as unknown as { order: ScanOrder<unknown> }).order;
  return [...order.positions()].filter((p) => typeof order.valueAt(p) === "string").length;
}

test("strings loaded without an entry of their own read, change and save like any key", async () => {
  const dir = tempDir();
  const { server, client } = testServer({ dir, save: "", "enable-debug-command": "yes" });
  for (let i = 0; i < 2000; i++) client.call("set", `s${i}`, `v${i}`);
  client.call("set", "ttl", "x", "EX", "1000");
  assert.equal(client.call("debug", "reload"), "OK");
  const db = server.dbs[0];
  assert.equal(bareKeys(db), 2000, "plain strings load bare; one with a TTL gets its entry");
  assert.equal(client.call("dbsize"), 2001);
  assert.ok((client.call("object", "idletime", "s5") as number) <= 1);
  assert.equal(client.call("type", "s6"), "string");
  assert.equal(client.call("object", "encoding", "s7"), "embstr");
  assert.equal((client.call("keys", "s1*") as string[]).length, 1111);
  let cursor = "0";
  let scanned = 0;
  do {
    const [next, keys] = client.call("scan", cursor, "count", "100") as [string, string[]];
    cursor = next;
    scanned += keys.length;
  } while (cursor !== "0");
  assert.equal(scanned, 2001);
  // A background save sees each key as it was at the start, whatever happens to it meanwhile.
  await duringBgsave(server, client, [
    ["set", "s1999", "changed"],
    ["append", "s1998", "+"],
    ["del", "s1997"],
    ["rename", "s1996", "moved"],
    ["expire", "s1995", "1000"],
    ["set", "fresh", "new"],
  ]);
  const saved = loadInto(path.join(dir, "dump.rdb")).dbs[0];
  assert.equal(saved.size, 2001);
  for (const k of ["s1999", "s1998", "s1997", "s1996", "s1995", "s0"]) assert.equal(saved.rawEntry(k)!.value, `v${k.slice(1)}`, k);
  assert.equal(saved.rawEntry("s1995")!.expireAt, 0);
  assert.equal(saved.rawEntry("moved"), undefined);
  assert.equal(saved.rawEntry("fresh"), undefined);
  assert.equal(client.call("get", "s1998"), "v1998+");
  assert.equal(client.call("get", "moved"), "v1996");
  assert.equal(client.call("exists", "s1997"), 0);
  assert.ok((client.call("ttl", "s1995") as number) > 990);
  // SAVE right after a load writes the bare strings as they are, without making their entries.
  assert.equal(client.call("debug", "reload"), "OK");
  const bare = bareKeys(db);
  assert.equal(client.call("save"), "OK");
  assert.equal(bareKeys(db), bare);
  assert.equal(loadInto(path.join(dir, "dump.rdb")).dbs[0].rawEntry("s3")!.value, "v3");
  // A flush during a background save still saves what was there.
  await duringBgsave(server, client, [["flushall"]]);
  assert.equal(loadInto(path.join(dir, "dump.rdb")).dbs[0].size, 2001);
});

test("SAVE, LASTSAVE, INFO persistence and DEBUG RELOAD", () => {
  const dir = tempDir();
  const { client } = testServer({ dir, save: "", "enable-debug-command": "yes" });
  client.call("set", "a", "1");
  client.call("zadd", "z", "1", "m");
  assert.equal(client.call("save"), "OK");
  assert.ok(existsSync(path.join(dir, "dump.rdb")));
  const info = client.call("info", "persistence") as string;
  assert.match(info, /rdb_changes_since_last_save:0/);
  assert.match(info, /rdb_saves:1/);
  assert.ok(Math.abs((client.call("lastsave") as number) - Date.now() / 1000) < 5);
  client.call("set", "b", "2");
  assert.equal(client.call("debug", "reload", "nosave"), "OK");
  assert.equal(client.call("get", "b"), null);
  assert.equal(client.call("get", "a"), "1");
  client.call("set", "b", "2");
  assert.equal(client.call("debug", "reload"), "OK");
  assert.equal(client.call("get", "b"), "2");
  assert.deepEqual(client.call("zrange", "z", "0", "-1"), ["m"]);
});

test("save points start a BGSAVE once enough changes and seconds passed", async () => {
  const dir = tempDir();
  const { server, client } = testServer({ dir, save: "1 2" });
  persistenceOf(server).start();
  try {
    client.call("set", "a", "1");
    client.call("set", "b", "2");
    await until(() => persistenceOf(server).rdbSaves > 0, 5000);
    assert.ok(existsSync(path.join(dir, "dump.rdb")));
  } finally {
    persistenceOf(server).shutdown(false);
  }
});

test("SHUTDOWN SAVE writes dump.rdb and a restart loads it", async () => {
  const dir = tempDir();
  const first = await spawnServer(["--http-port", "-1", "--dir", dir, "--save", ""]);
  const r = new Redis({ port: first.port });
  await r.set("kept", "yes");
  await r.rpush("l", "1", "2");
  const exited = new Promise((resolve) => first.process.once("exit", resolve));
  r.disconnect();
  const admin = new Redis({ port: first.port, retryStrategy: () => null });
  await admin.call("SHUTDOWN", "SAVE").catch(() => {});
  await exited;
  admin.disconnect();
  const second = await spawnServer(["--http-port", "-1", "--dir", dir, "--save", ""]);
  const r2 = new Redis({ port: second.port });
  assert.equal(await r2.get("kept"), "yes");
  assert.deepEqual(await r2.lrange("l", 0, -1), ["1", "2"]);
  r2.disconnect();
  await second.stop();
});

test("a Restash dump.rdb loads into redis-server with identical content", { skip: !interop }, async () => {
  const dir = tempDir();
  const restash = await spawnServer(["--http-port", "-1", "--dir", dir, "--save", ""]);
  const a = new Redis({ port: restash.port });
  await fill(a);
  const expected = await content(a);
  assert.equal(await a.save(), "OK");
  const redisDir = tempDir();
  copyFileSync(path.join(dir, "dump.rdb"), path.join(redisDir, "dump.rdb"));
  const redis = await startRedisServer(redisDir, ["--hash-max-listpack-entries", "128"]);
  const b = new Redis({ port: redis.port });
  try {
    assert.deepEqual(await content(b), expected);
  } finally {
    await closeAll([a, b], [restash, redis]);
  }
});

test("a redis-server dump.rdb loads into Restash with identical content", { skip: !interop }, async () => {
  const redisDir = tempDir();
  const redis = await startRedisServer(redisDir);
  const b = new Redis({ port: redis.port });
  await fill(b);
  const expected = await content(b);
  assert.equal(await b.save(), "OK");
  const restash = await spawnServer(["--http-port", "-1", "--dir", redisDir, "--save", ""]);
  const a = new Redis({ port: restash.port });
  try {
    assert.deepEqual(await content(a), expected);
  } finally {
    await closeAll([a, b], [restash, redis]);
  }
});

test("redis-cli --rdb fetches a snapshot Restash and redis-server both load", { skip: !interop }, async () => {
  const { spawnSync } = await import("node:child_process");
  const restash = await spawnServer(["--http-port", "-1", "--save", ""]);
  const a = new Redis({ port: restash.port });
  await fill(a);
  const expected = await content(a);
  const dir = tempDir();
  const cli = spawnSync("redis-cli", ["-p", String(restash.port), "--rdb", path.join(dir, "dump.rdb")], { encoding: "utf8" });
  assert.match(cli.stdout + cli.stderr, /Transfer finished with success/);
  const redis = await startRedisServer(dir, ["--hash-max-listpack-entries", "128"]);
  const b = new Redis({ port: redis.port });
  try {
    assert.deepEqual(await content(b), expected);
  } finally {
    await closeAll([a, b], [restash, redis]);
  }
});

test("scheduled backups write timestamped snapshots and keep the newest backup-retention", async () => {
  const { nextBackupTime, pruneBackups, backupName } = await import("../../src/persistence/backups.js");
  const { readdirSync, writeFileSync } = await import("node:fs");
  const base = new Date(2026, 0, 10, 12, 0, 0).getTime();
  assert.equal(nextBackupTime("03:00", base), new Date(2026, 0, 11, 3, 0, 0).getTime());
  assert.equal(nextBackupTime("daily 13:30", base), new Date(2026, 0, 10, 13, 30, 0).getTime());
  assert.equal(nextBackupTime("every 15m", base), base + 15 * 60000);
  assert.equal(nextBackupTime("", base), null);
  assert.throws(() => nextBackupTime("sometimes", base), /invalid backup-schedule/);
  const dir = tempDir();
  const backups = path.join(dir, "backups");
  const { server, client } = testServer({ dir, save: "", "backup-retention": "2" });
  const p = persistenceOf(server);
  assert.throws(() => client.call("config", "set", "backup-schedule", "25:00"), /invalid backup-schedule/);
  p.start();
  p.startBackup();
  await until(() => !p.busy, 5000);
  assert.equal(readdirSync(backups).length, 1);
  for (let i = 1; i <= 3; i++) writeFileSync(path.join(backups, backupName(base - i * 1000)), "old");
  client.call("set", "k", "v");
  try {
    await new Promise((r) => setTimeout(r, 1100)); // a backup name has a one-second resolution
    // Due now; once done, the next one is computed from the (empty) schedule: none.
    p.nextBackupAt = Date.now();
    await until(() => p.nextBackupAt === null && !p.busy, 5000);
    const names = readdirSync(backups).sort();
    assert.ok(names[0] > backupName(base) && names[1] > names[0], names.join());
    assert.equal(loadInto(path.join(backups, names[1])).dbs[0].rawEntry("k")!.value, "v");
  } finally {
    p.shutdown(false);
  }
});
