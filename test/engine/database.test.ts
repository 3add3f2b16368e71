// Database against a Map model, starting from strings loaded bare (without entries of their own):
// random reads, writes, deletes, renames, TTLs and full walks (as snapshots make them) mix bare and
// made entries through hole reuse and compaction of the keyspace; every key is then checked.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Database } from "../../src/engine/database.js";
import { rng } from "../helpers/in-process.js";

function walk(db: Database): Map<string, string> {
  const seen = new Map<string, string>();
  let cursor = 0;
  do cursor = db.scanEntries(cursor, 97, (key, entry) => seen.set(key, entry.value as string));
  while (cursor !== 0);
  return seen;
}

test("bare and made entries agree with a Map through every kind of change", () => {
  const random = rng(3);
  const db = new Database(0);
  const model = new Map<string, string>();
  for (let i = 0; i < 5000; i++) {
    assert.ok(db.load(`k${i}`, "string", `v${i}`, 0));
    model.set(`k${i}`, `v${i}`);
  }
  assert.equal(db.load("k1", "string", "again", 0), false, "a duplicate is refused");
  const later = Date.now() + 3_600_000;
  for (let step = 0; step < 40_000; step++) {
    const key = `k${random(7000)}`;
    switch (random(7)) {
      case 0:
        assert.equal(db.lookup(key)?.value, model.get(key));
        break;
      case 1:
        db.set(key, "string", `s${step}`);
        model.set(key, `s${step}`);
        break;
      case 2:
        assert.equal(db.delete(key), model.delete(key));
        break;
      case 3: {
        const to = `k${random(7000)}`;
        const entry = db.detach(key);
        assert.equal(entry?.value, model.get(key));
        if (entry === undefined) break;
        db.attach(to, entry);
        model.delete(key);
        model.set(to, entry.value as string);
        break;
      }
      case 4:
        assert.equal(db.setExpire(key, random(2) === 0 ? later : 0), model.has(key));
        break;
      case 5:
        assert.equal(db.peek(key)?.type, model.has(key) ? "string" : undefined);
        break;
      case 6:
        if (random(200) === 0) assert.deepEqual(walk(db), model);
        break;
    }
  }
  // Most keys go (the keyspace compacts its holes away), then new ones fill in.
  for (const key of [...model.keys()]) {
    if (random(5) === 0) continue;
    assert.ok(db.delete(key));
    model.delete(key);
  }
  assert.deepEqual(walk(db), model);
  for (let i = 0; i < 300; i++) {
    db.set(`n${i}`, "string", `n${i}`);
    model.set(`n${i}`, `n${i}`);
  }
  assert.equal(db.size, model.size);
  assert.deepEqual(walk(db), model);
  assert.deepEqual(new Set(db.keys()), new Set(model.keys()));
  for (const [key, value] of model) assert.equal(db.rawEntry(key)?.value, value);
});
