// Snapshot transfer over the replication handshake: REPLCONF as redis-cli and replicas send it,
// PSYNC's +FULLRESYNC followed by the RDB bulk SYNC sends, redis-cli --rdb / --functions-rdb, and a
// real redis-server 7.0 replica taking a full resync from Restash.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { RawClient } from "../helpers/raw-socket.js";
import { spawnServer } from "../helpers/spawn-server.js";
import { redisServerAvailable, startRedisServer } from "../helpers/redis-server.js";
import { Config } from "../../src/config.js";
import { loadRdb } from "../../src/persistence/rdb.js";
import { RdbInput } from "../../src/persistence/rdb-reader.js";
import { Server } from "../../src/server/server.js";

const tempDir = () => mkdtempSync(path.join(tmpdir(), "restash-sync-"));
const interop = redisServerAvailable();
const LIBRARY = "#!lua name=synclib\nredis.register_function('one', function() return 1 end)";

/** RESP for one command. */
const resp = (...argv: string[]) => `*${argv.length}\r\n${argv.map((a) => `$${Buffer.byteLength(a, "latin1")}\r\n${a}\r\n`).join("")}`;

test("REPLCONF takes what redis-cli and replicas send and checks its arguments as Redis does", async () => {
  const server = await spawnServer(["--http-port", "-1", "--save", ""]);
  const r = new Redis({ port: server.port });
  try {
    const replconf = (...args: string[]) => r.call("REPLCONF", ...args);
    assert.equal(await replconf("listening-port", "6380"), "OK");
    assert.equal(await replconf("ip-address", "10.0.0.2", "capa", "eof", "capa", "psync2"), "OK");
    assert.equal(await replconf("rdb-only", "1"), "OK");
    assert.equal(await replconf("rdb-filter-only", ""), "OK");
    assert.equal(await replconf("rdb-filter-only", "functions"), "OK");
    await assert.rejects(replconf("listening-port"), { message: "ERR syntax error" });
    await assert.rejects(replconf("listening-port", "x"), { message: "ERR value is not an integer or out of range" });
    await assert.rejects(replconf("rdb-only", "2"), { message: "ERR value is out of range, must be between 0 and 1" });
    await assert.rejects(replconf("rdb-filter-only", "keys"), { message: "ERR Unsupported rdb-filter-only option: keys" });
    await assert.rejects(replconf("nope", "1"), { message: "ERR Unrecognized REPLCONF option: nope" });
  } finally {
    r.disconnect();
    await server.stop();
  }
});

test("PSYNC answers +FULLRESYNC <replid> <offset> and then the RDB bulk SYNC sends; the connection stays usable", async () => {
  const server = await spawnServer(["--http-port", "-1", "--save", ""]);
  const r = new Redis({ port: server.port });
  await r.set("k", "v");
  await r.rpush("l", "a", "b");
  const replid = ((await r.info("replication")).match(/master_replid:(\w+)/) ?? [])[1];
  const raw = await RawClient.connect(server.port);
  try {
    raw.write(resp("PSYNC", "?", "x"));
    raw.write(resp("REPLCONF", "capa", "eof", "capa", "psync2"));
    raw.write(resp("PSYNC", "?", "-1"));
    const head = /^-ERR value is not an integer or out of range\r\n\+OK\r\n\+FULLRESYNC ([0-9a-f]{40}) (\d+)\r\n\$(\d+)\r\n/;
    const data = await raw.readUntil((d) => {
      const m = head.exec(d);
      return m !== null && d.length >= m[0].length + Number(m[3]) + 2;
    });
    const [whole, id, offset, size] = head.exec(data)!;
    assert.equal(id, replid);
    assert.equal(offset, "0");
    const rdb = Buffer.from(data.slice(whole.length, whole.length + Number(size)), "latin1");
    assert.equal(rdb.toString("latin1", 0, 9), "REDIS0010");
    const copy = new Server(new Config());
    assert.equal(loadRdb(copy, new RdbInput(rdb)).keys, 2);
    assert.equal(copy.dbs[0].rawEntry("k")!.value, "v");
    raw.write(resp("PING"));
    assert.match(await raw.readUntil((d) => d.endsWith("+PONG\r\n")), /\+PONG\r\n$/);
  } finally {
    raw.end();
    r.disconnect();
    await server.stop();
  }
});

test("redis-cli --rdb and --functions-rdb fetch the whole snapshot and the functions only", { skip: !interop }, async () => {
  const server = await spawnServer(["--http-port", "-1", "--save", ""]);
  const r = new Redis({ port: server.port });
  try {
    await r.set("k", "v");
    await r.call("FUNCTION", "LOAD", LIBRARY);
    const dir = tempDir();
    for (const mode of ["--rdb", "--functions-rdb"]) {
      const file = path.join(dir, `${mode.slice(2)}.rdb`);
      const cli = spawnSync("redis-cli", ["-p", String(server.port), mode, file], { encoding: "utf8" });
      assert.match(cli.stdout + cli.stderr, /Transfer finished with success/);
      const copy = new Server(new Config());
      const loaded = loadRdb(copy, new RdbInput(readFileSync(file)));
      assert.equal(loaded.keys, mode === "--rdb" ? 1 : 0, mode);
      assert.match(readFileSync(file, "latin1"), /name=synclib/);
    }
  } finally {
    r.disconnect();
    await server.stop();
  }
});

test("a redis-server 7.0 replica of Restash takes a full resync through PSYNC", { skip: !interop }, async () => {
  const server = await spawnServer(["--http-port", "-1", "--save", ""]);
  const r = new Redis({ port: server.port });
  await r.set("k", "v");
  await r.hset("h", "f", "1");
  const replica = await startRedisServer(tempDir(), ["--replicaof", "127.0.0.1", String(server.port)]);
  const b = new Redis({ port: replica.port });
  try {
    for (let i = 0; i < 200 && !/master_link_status:up/.test(await b.info("replication")); i++) await new Promise((res) => setTimeout(res, 25));
    assert.match(await b.info("replication"), /master_link_status:up/);
    assert.equal(await b.get("k"), "v");
    assert.deepEqual(await b.hgetall("h"), { f: "1" });
    assert.match(replica.output(), /Full resync from master: [0-9a-f]{40}:0/);
  } finally {
    r.disconnect();
    b.disconnect();
    await replica.stop();
    await server.stop();
  }
});
