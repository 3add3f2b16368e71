// Crash safety with appendfsync always: clients write while the server is killed with SIGKILL;
// after a restart every acknowledged write is there (bench/persistence.ts runs the full form).
import { test } from "node:test";
import assert from "node:assert/strict";
import { crashRounds } from "./crash-harness.js";

test("kill -9 under appendfsync always loses no acknowledged write", async () => {
  const result = await crashRounds({ clients: 10, rounds: 3, runMs: 400, fsync: "always" });
  assert.ok(result.acknowledged > 0, "clients made progress");
  assert.equal(result.lost, 0);
});
