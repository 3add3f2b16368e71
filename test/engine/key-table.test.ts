// KeyTable against a Map model: random inserts, overwrites and deletes (through growth, shrinking,
// compaction of the order and long probe runs that wrap around the end of the table), then every
// key is looked up.

import { test } from "node:test";
import assert from "node:assert/strict";
import { hashKey, KeyTable } from "../../src/engine/key-table.js";
import { rng } from "../helpers/in-process.js";

/** Sets key's value, adding it when missing. */
function put(table: KeyTable<number>, key: string, value: number): void {
  const p = table.find(key);
  if (p >= 0) table.order.setValueAt(p, value);
  else assert.notEqual(table.add(key, value), -1);
}

function check(table: KeyTable<number>, model: Map<string, number>, universe: string[]): void {
  assert.equal(table.size, model.size);
  for (const key of universe) assert.equal(table.get(key), model.get(key), `key ${JSON.stringify(key)}`);
  const inOrder = [...table.order.positions()].map((p) => [table.order.keyAt(p), table.order.valueAt(p)] as const);
  assert.deepEqual(new Map(inOrder), model);
}

test("random operations agree with a Map", () => {
  const random = rng(7);
  // Binary keys too: every char is a byte, including NUL and 0xff.
  const universe = Array.from({ length: 3000 }, (_, i) =>
    i % 3 === 0 ? `key:${i}` : Array.from({ length: 1 + random(12) }, () => String.fromCharCode(random(256))).join(""),
  );
  const table = new KeyTable<number>();
  const model = new Map<string, number>();
  for (let round = 0; round < 6; round++) {
    // Grow, churn, then shrink most of the way down.
    for (let i = 0; i < 20000; i++) {
      const key = universe[random(universe.length)];
      const deleting = round % 2 === 1 ? random(10) < 7 : random(10) < 3;
      if (deleting) assert.equal(table.delete(key), model.delete(key));
      else {
        put(table, key, i);
        model.set(key, i);
      }
    }
    check(table, model, universe);
  }
  for (const key of universe) {
    table.delete(key);
    model.delete(key);
  }
  check(table, model, universe);
});

test("keys whose hashes share a home slot survive deletes around them", () => {
  // Keys of one 16-slot bucket class collide in the smallest table; deleting from the middle of
  // their run must keep the rest reachable.
  const sameHome: string[] = [];
  for (let i = 0; sameHome.length < 10; i++) if ((hashKey(`c${i}`) & 15) === 3) sameHome.push(`c${i}`);
  const table = new KeyTable<number>();
  sameHome.slice(0, 8).forEach((k, i) => table.add(k, i));
  table.delete(sameHome[2]);
  table.delete(sameHome[5]);
  for (const [i, k] of sameHome.slice(0, 8).entries()) assert.equal(table.get(k), i === 2 || i === 5 ? undefined : i);
  assert.equal(table.add(sameHome[0], 99), -1, "add leaves a present key alone");
  assert.equal(table.get(sameHome[0]), 0);
  table.clear();
  assert.equal(table.size, 0);
  assert.equal(table.get(sameHome[0]), undefined);
});

test("hashKey depends on every byte and never returns 0", () => {
  const seen = new Set<number>();
  for (let i = 0; i < 256; i++) {
    const h = hashKey("prefix-" + String.fromCharCode(i) + "-suffix");
    assert.notEqual(h, 0);
    seen.add(h);
  }
  assert.equal(seen.size, 256);
  assert.notEqual(hashKey(""), 0);
});

test("reserve grows the table without losing what it holds", () => {
  const table = new KeyTable<number>();
  for (let i = 0; i < 100; i++) table.add(`before:${i}`, i);
  table.reserve(50_000);
  for (let i = 0; i < 50_000; i++) table.add(`after:${i}`, i);
  table.reserve(10); // never shrinks
  assert.equal(table.size, 50_100);
  for (let i = 0; i < 100; i++) assert.equal(table.get(`before:${i}`), i);
  for (let i = 0; i < 50_000; i += 7) assert.equal(table.get(`after:${i}`), i);
});
