import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { testServer, type Plain } from "../helpers/in-process.js";
import { rewriteConfigText } from "../../src/commands/config-rewrite.js";
import { Config } from "../../src/config.js";
import { entryMemoryUsage } from "../../src/engine/memory-usage.js";

/** A flat [k, v, k, v] reply as an object. */
function pairs(reply: Plain): Record<string, Plain> {
  const flat = reply as Plain[];
  const out: Record<string, Plain> = {};
  for (let i = 0; i < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/** INFO text as field → value. */
function infoFields(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split("\r\n")) {
    const i = line.indexOf(":");
    if (i > 0 && !line.startsWith("#")) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

test("FLUSHALL, FLUSHDB and DBSIZE", () => {
  const { client, server } = testServer();
  server.dbs[0].set("a", "string", "1");
  server.dbs[0].set("b", "string", "2");
  server.dbs[1].set("c", "string", "3");
  assert.equal(client.call("dbsize"), 2);
  assert.equal(client.call("flushdb"), "OK");
  assert.equal(client.call("dbsize"), 0);
  assert.equal(server.dbs[1].size, 1);
  assert.throws(() => client.call("flushall", "later"), /^Error: ERR syntax error$/);
  assert.throws(() => client.call("flushdb", "sync", "async"), /^Error: ERR syntax error$/);
  const dirty = server.dirty;
  assert.equal(client.call("flushall", "ASYNC"), "OK");
  assert.equal(server.dbs[1].size, 0);
  assert.equal(server.dirty, dirty + 2);
  assert.throws(() => client.call("dbsize", "x"), /^Error: ERR wrong number of arguments for 'dbsize' command$/);
});

test("CONFIG GET takes several patterns and returns name/value pairs", () => {
  const { client } = testServer();
  const got = pairs(client.call("config", "get", "maxmemory", "hz", "maxmemory-p*"));
  assert.deepEqual(got, { maxmemory: "0", hz: "10", "maxmemory-policy": "noeviction" });
  assert.deepEqual(client.call("config", "get", "no-such-param"), []);
  assert.throws(() => client.call("config", "get"), /^Error: ERR wrong number of arguments for 'config\|get' command$/);
});

test("CONFIG SET is atomic and reports Redis's errors", () => {
  const { client } = testServer();
  assert.equal(client.call("config", "set", "hz", "20", "maxmemory", "1mb"), "OK");
  assert.deepEqual(client.call("config", "get", "maxmemory"), ["maxmemory", "1048576"]);
  assert.throws(
    () => client.call("config", "set", "hz", "30", "maxmemory", "lots"),
    /^Error: ERR CONFIG SET failed \(possibly related to argument 'maxmemory'\) - argument must be a memory value$/,
  );
  assert.deepEqual(client.call("config", "get", "hz"), ["hz", "20"]);
  assert.throws(() => client.call("config", "set", "foo", "bar"), /^Error: ERR Unknown option or number of arguments for CONFIG SET - 'foo'$/);
  assert.throws(() => client.call("config", "set", "hz", "10", "foo"), /^Error: ERR syntax error$/);
  assert.throws(
    () => client.call("config", "set", "maxmemory", "10", "maxmemory", "20"),
    /^Error: ERR CONFIG SET failed \(possibly related to argument 'maxmemory'\) - duplicate parameter$/,
  );
  assert.throws(
    () => client.call("config", "set", "databases", "3"),
    /^Error: ERR CONFIG SET failed \(possibly related to argument 'databases'\) - can't set immutable config$/,
  );
  assert.throws(
    () => client.call("config", "set", "dir", "/tmp"),
    /^Error: ERR CONFIG SET failed \(possibly related to argument 'dir'\) - can't set protected config$/,
  );
});

test("CONFIG SET normalizes notify-keyspace-events and checks dir", () => {
  const { client } = testServer({ "enable-protected-configs": "yes" });
  assert.equal(client.call("config", "set", "notify-keyspace-events", "KEA"), "OK");
  assert.deepEqual(client.call("config", "get", "notify-keyspace-events"), ["notify-keyspace-events", "AKE"]);
  client.call("config", "set", "notify-keyspace-events", "$lshzxeKtmdn");
  assert.deepEqual(client.call("config", "get", "notify-keyspace-events"), ["notify-keyspace-events", "$lshzxetdnKm"]);
  assert.throws(
    () => client.call("config", "set", "notify-keyspace-events", "xyzQ"),
    /^Error: ERR CONFIG SET failed \(possibly related to argument 'notify-keyspace-events'\) - Invalid event class character. Use 'Ag\$lshzxeKEtmdn'.$/,
  );
  assert.throws(
    () => client.call("config", "set", "dir", "/no/such/dir"),
    /^Error: ERR CONFIG SET failed \(possibly related to argument 'dir'\) - No such file or directory$/,
  );
  const cwd = process.cwd();
  const dir = mkdtempSync(path.join(tmpdir(), "restash-dir-"));
  try {
    assert.equal(client.call("config", "set", "dir", dir), "OK");
    assert.equal(process.cwd(), dir);
  } finally {
    process.chdir(cwd);
  }
});

test("CONFIG REWRITE needs a config file and rewrites it", () => {
  const { client, server } = testServer();
  assert.throws(() => client.call("config", "rewrite"), /^Error: ERR The server is running without a config file$/);
  const file = path.join(mkdtempSync(path.join(tmpdir(), "restash-conf-")), "restash.conf");
  writeFileSync(file, "# my settings\nhz 15\nport 7000\nhz 16\nloglevel notice\n");
  server.config.loadFile(file);
  client.call("config", "set", "hz", "25", "maxmemory-policy", "allkeys-lru", "save", "");
  assert.equal(client.call("config", "rewrite"), "OK");
  assert.equal(
    readFileSync(file, "utf8"),
    '# my settings\nhz 25\nport 7000\nloglevel notice\n# Generated by CONFIG REWRITE\nmaxmemory-policy allkeys-lru\nsave ""\n',
  );
  const reread = new Config();
  reread.loadFile(file);
  assert.equal(reread.get("hz"), "25");
  assert.equal(reread.get("save"), "");
});

test("CONFIG REWRITE quotes values that would not read back", () => {
  const config = new Config();
  config.set("requirepass", 'pa ss"word');
  assert.equal(rewriteConfigText(config, ""), '# Generated by CONFIG REWRITE\nrequirepass "pa ss\\"word"\n');
});

test("CONFIG RESETSTAT clears command and error stats", () => {
  const { client } = testServer();
  client.call("dbsize");
  assert.throws(() => client.call("nosuchcommand"));
  assert.match(client.call("info", "commandstats") as string, /cmdstat_dbsize:calls=1,/);
  assert.equal(client.call("config", "resetstat"), "OK");
  const text = client.call("info", "commandstats", "errorstats") as string;
  assert.doesNotMatch(text, /cmdstat_dbsize/);
  assert.doesNotMatch(text, /errorstat_ERR/);
});

test("CONFIG HELP and unknown subcommands", () => {
  const { client } = testServer();
  const help = client.call("config", "help") as string[];
  assert.equal(help[0], "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:");
  assert.throws(() => client.call("config", "nope"), /^Error: ERR unknown subcommand 'nope'. Try CONFIG HELP.$/);
});

test("INFO sections follow Redis's selection rules", () => {
  const { client, server } = testServer();
  server.dbs[0].set("k", "string", "v");
  server.dbs[0].set("t", "string", "v", { expireAt: Date.now() + 100_000 });
  client.call("dbsize");
  const all = client.call("info") as string;
  assert.match(all, /^# Server\r\nredis_version:7\.0\.15\r\n/);
  assert.match(all, /\r\n\r\n# Clients\r\nconnected_clients:1\r\n/);
  assert.match(all, /\r\n# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=\d+\r\n$/);
  assert.doesNotMatch(all, /rejected_calls/);
  assert.match(client.call("info", "all") as string, /cmdstat_dbsize:calls=1,usec=\d+,usec_per_call=\d+\.\d\d,rejected_calls=0,failed_calls=0\r\n/);
  server.latency.commandDone(server.stats.command("dbsize"), 5, true);
  assert.match(client.call("info", "everything") as string, /# Latencystats\r\nlatency_percentiles_usec_dbsize:p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}\r\n/);
  const cpu = client.call("info", "CPU") as string;
  assert.match(cpu, /^# CPU\r\nused_cpu_sys:\d+\.\d{6}\r\n/);
  assert.doesNotMatch(cpu, /used_memory/);
  assert.equal(client.call("info", "sentinel"), "");
  const fields = infoFields(client.call("info", "default", "cpu") as string);
  assert.equal(fields.role, "master");
  assert.equal(fields.redis_mode, "standalone");
  assert.equal(fields.rdb_changes_since_last_save, String(server.dirty));
  assert.equal(fields.mem_allocator, "libc");
  assert.ok(Number(fields.used_memory) > 0);
});

test("INFO errorstats counts errors by code", () => {
  const { client } = testServer();
  assert.throws(() => client.call("flushall", "x"));
  assert.throws(() => client.call("flushall", "y"));
  const fields = infoFields(client.call("info", "errorstats") as string);
  assert.equal(fields.errorstat_ERR, "count=2");
  assert.equal(infoFields(client.call("info", "stats") as string).total_error_replies, "2");
});

test("TIME and LASTSAVE", () => {
  const { client, server } = testServer();
  const [sec, usec] = client.call("time") as string[];
  assert.ok(Math.abs(Number(sec) - Date.now() / 1000) < 5);
  assert.ok(Number(usec) >= 0 && Number(usec) < 1_000_000);
  assert.equal(client.call("lastsave"), server.lastSave);
});

test("SLOWLOG records commands over the threshold", () => {
  const { client } = testServer({ "slowlog-log-slower-than": "0" });
  client.call("client", "setname", "worker");
  client.call("echo", "hello");
  assert.equal(client.call("slowlog", "len"), 2);
  const [len, echo] = client.call("slowlog", "get", "2") as Plain[][];
  assert.deepEqual(len[3], ["slowlog", "len"]);
  assert.equal(echo[0], 1);
  assert.deepEqual(echo[3], ["echo", "hello"]);
  assert.equal(echo[4], "127.0.0.1:40000");
  assert.equal(echo[5], "worker");
  assert.equal((client.call("slowlog", "get", "-1") as Plain[]).length, 4);
  assert.throws(() => client.call("slowlog", "get", "-2"), /^Error: ERR count should be greater than or equal to -1$/);
  assert.equal(client.call("slowlog", "reset"), "OK");
  assert.equal(client.call("slowlog", "len"), 1);
});

test("LATENCY keeps events and histograms", () => {
  const { client, server } = testServer();
  assert.deepEqual(client.call("latency", "latest"), []);
  server.latency.addSample("command", 250);
  server.latency.addSample("command", 300);
  const [[name, , latest, max]] = client.call("latency", "latest") as Plain[][];
  assert.deepEqual([name, latest, max], ["command", 300, 300]);
  assert.equal((client.call("latency", "history", "command") as Plain[]).length, 1);
  assert.deepEqual(client.call("latency", "history", "nothing"), []);
  assert.match(client.call("latency", "doctor") as string, /1\. command: 1 latency spikes/);
  assert.match(client.call("latency", "graph", "command") as string, /^command - high 300 ms, low 300 ms \(all time high 300 ms\)\n/);
  assert.throws(() => client.call("latency", "graph", "x"), /^Error: ERR No samples available for event 'x'$/);
  assert.equal(client.call("latency", "reset", "nothing"), 0);
  assert.equal(client.call("latency", "reset"), 1);
  assert.throws(() => client.call("latency", "help", "x"), /^Error: ERR wrong number of arguments for 'latency\|help' command$/);

  client.call("config", "resetstat");
  server.latency.commandDone(server.stats.command("client|id"), 3, true);
  server.latency.commandDone(server.stats.command("client|id"), 3000, true);
  server.stats.command("client|id").calls = 2;
  const histo = pairs(client.call("latency", "histogram", "client", "nosuch"));
  assert.deepEqual(Object.keys(histo), ["client|id"]);
  assert.deepEqual(histo["client|id"], ["calls", 2, "histogram_usec", [4, 1, 4194, 2]]);
});

test("MEMORY USAGE estimates per key and validates SAMPLES", () => {
  const { client, server } = testServer();
  server.dbs[0].set("small", "string", "12345");
  server.dbs[0].set("big", "string", "x".repeat(33000));
  const small = client.call("memory", "usage", "small") as number;
  const big = client.call("memory", "usage", "big") as number;
  assert.ok(small > 40 && small < 100, `small: ${small}`);
  assert.ok(big > 33000 && big < 42000, `big: ${big}`);
  assert.equal(client.call("memory", "usage", "missing"), null);
  assert.throws(() => client.call("memory", "usage", "small", "samples", "x"), /^Error: ERR value is not an integer or out of range$/);
  assert.throws(() => client.call("memory", "usage", "small", "samples", "-1"), /^Error: ERR syntax error$/);
  assert.throws(() => client.call("memory", "usage", "small", "bar"), /^Error: ERR syntax error$/);
  assert.equal(client.call("memory", "purge"), "OK");
  assert.ok(pairs(client.call("memory", "stats"))["keys.count"] === 2);
});

test("MEMORY USAGE samples big collections", () => {
  const entry = (value: unknown) => ({ type: "hash" as const, value, expireAt: 0, seq: 0, lastAccess: 0, freq: 0 });
  const map = new Map<string, string>();
  for (let i = 0; i < 1000; i++) map.set(`field:${i}`, "v".repeat(10));
  const sampled = entryMemoryUsage("h", entry(map), 5);
  const full = entryMemoryUsage("h", entry(map), 0);
  assert.ok(full > 40_000, `full: ${full}`);
  assert.ok(Math.abs(sampled - full) / full < 0.1, `sampled ${sampled} vs full ${full}`);
});

test("DEBUG obeys enable-debug-command", () => {
  const { client } = testServer();
  assert.throws(() => client.call("debug", "log", "x"), /^Error: ERR DEBUG command not allowed\./);
});

test("DEBUG subcommands", () => {
  const { client, server } = testServer({ "enable-debug-command": "yes" });
  assert.equal(client.call("debug", "log", "hello"), "OK");
  assert.equal(client.call("debug", "sleep", "0"), "OK");
  assert.equal(client.call("debug", "set-active-expire", "0"), "OK");
  assert.equal(server.activeExpireEnabled, false);
  const replId = server.replId;
  assert.equal(client.call("debug", "change-repl-id"), "OK");
  assert.notEqual(server.replId, replId);
  assert.equal(client.call("debug", "quicklist-packed-threshold", "100"), "OK");
  assert.equal(server.quicklistPackedThreshold, 100);
  assert.throws(
    () => client.call("debug", "quicklist-packed-threshold", "5gb"),
    /^Error: ERR argument must be a memory value bigger than 1 and smaller than 4gb$/,
  );
  assert.throws(() => client.call("debug", "object", "nokey"), /^Error: ERR no such key$/);
  assert.throws(() => client.call("debug", "error", "FOO bar"), /^Error: FOO bar$/);
  assert.deepEqual(client.call("debug", "protocol", "map"), [0, false, 1, true, 2, false]);
  assert.throws(() => client.call("debug", "protocol", "x"), /^Error: ERR Wrong protocol type name/);
  assert.throws(() => client.call("debug", "sleep"), /^Error: ERR unknown subcommand or wrong number of arguments for 'sleep'. Try DEBUG HELP.$/);
  assert.throws(() => client.call("debug", "constructor"), /^Error: ERR unknown subcommand or wrong number of arguments for 'constructor'/);
});

test("COMMAND INFO, COUNT and DOCS describe the specs", () => {
  const { client, server } = testServer();
  assert.equal(client.call("command", "count"), server.commands.size);
  const [dbsize, missing, getSub] = client.call("command", "info", "dbsize", "get|key", "config|get") as Plain[][];
  assert.deepEqual(dbsize.slice(0, 8), ["dbsize", 1, ["readonly", "fast"], 0, 0, 0, ["@read", "@fast", "@keyspace"], []]);
  assert.equal(missing, null);
  assert.deepEqual(getSub.slice(0, 7), ["config|get", -3, ["admin", "noscript", "loading", "stale"], 0, 0, 0, ["@admin", "@dangerous", "@slow"]]);
  const [usage] = client.call("command", "info", "memory|usage") as Plain[][];
  assert.deepEqual(usage.slice(3, 6), [2, 2, 1]);
  assert.deepEqual(usage[8], [["flags", ["RO", "access"], "begin_search", ["type", "index", "spec", ["index", 2]], "find_keys", ["type", "range", "spec", ["lastkey", 0, "keystep", 1, "limit", 0]]]]);
  const docs = pairs(client.call("command", "docs", "flushall", "nope"));
  assert.deepEqual(Object.keys(docs), ["flushall"]);
  assert.deepEqual(pairs(docs.flushall).group, "server");
  assert.equal((client.call("command", "info", "config") as Plain[][])[0][9] instanceof Array, true);
});

test("COMMAND LIST filters", () => {
  const { client } = testServer();
  const all = client.call("command", "list") as string[];
  assert.ok(all.includes("dbsize") && all.includes("config|get"));
  assert.deepEqual(client.call("command", "list", "filterby", "pattern", "dbsize"), ["dbsize"]);
  const configs = client.call("command", "list", "filterby", "pattern", "config|*re*") as string[];
  assert.deepEqual(configs.sort(), ["config|resetstat", "config|rewrite"]);
  assert.ok((client.call("command", "list", "filterby", "aclcat", "dangerous") as string[]).includes("flushall"));
  assert.deepEqual(client.call("command", "list", "filterby", "aclcat", "nope"), []);
  assert.deepEqual(client.call("command", "list", "filterby", "module", "m"), []);
  assert.throws(() => client.call("command", "list", "bad"), /^Error: ERR syntax error$/);
  assert.throws(() => client.call("command", "list", "filterby", "bad", "x"), /^Error: ERR syntax error$/);
});

test("COMMAND GETKEYS and GETKEYSANDFLAGS", () => {
  const { client } = testServer();
  assert.deepEqual(client.call("command", "getkeys", "memory", "usage", "k"), ["k"]);
  assert.deepEqual(client.call("command", "getkeysandflags", "memory", "usage", "k"), [["k", ["RO", "access"]]]);
  assert.throws(() => client.call("command", "getkeys", "foo", "bar"), /^Error: ERR Invalid command specified$/);
  assert.throws(() => client.call("command", "getkeys", "config", "get"), /^Error: ERR The command has no key arguments$/);
  assert.throws(() => client.call("command", "getkeys", "memory", "usage"), /^Error: ERR Invalid number of arguments specified for command$/);
  assert.throws(() => client.call("command", "getkeys", "foo"), /^Error: ERR wrong number of arguments for 'command\|getkeys' command$/);
});
