// JSON documents in RDB form (RedisJSON's module encoding): DUMP/RESTORE and a DEBUG RELOAD through
// dump.rdb keep them, with their TTL.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { testServer } from "../helpers/in-process.js";

const DOC = '{"a":[1,2,{"b":"c\\u00e9"}],"n":1.5,"big":9007199254740993}';

test("DUMP and RESTORE carry a JSON document", () => {
  const { client } = testServer();
  client.call("JSON.SET", "doc", "$", DOC);
  const payload = client.call("DUMP", "doc") as string;
  assert.equal(payload.charCodeAt(0), 7, "RDB_TYPE_MODULE_2");
  assert.equal(client.call("RESTORE", "copy", "0", payload), "OK");
  assert.equal(client.call("TYPE", "copy"), "ReJSON-RL");
  assert.equal(client.call("JSON.GET", "copy"), client.call("JSON.GET", "doc"));
});

test("a JSON document and its TTL survive a save and reload of dump.rdb", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "restash-json-rdb-"));
  const { client } = testServer({ dir, "enable-debug-command": "yes" });
  client.call("JSON.SET", "doc", "$", DOC);
  client.call("EXPIRE", "doc", "1000");
  assert.equal(await client.callAsync("DEBUG", "RELOAD"), "OK");
  assert.equal(client.call("JSON.GET", "doc", "$.a[2].b"), '["c\u00c3\u00a9"]');
  assert.equal(client.call("JSON.GET", "doc", "$.big"), "[9007199254740993]");
  assert.ok((client.call("TTL", "doc") as number) > 990);
});
