import { test } from "node:test";
import assert from "node:assert/strict";
import { ScanOrder } from "../../src/engine/scan-order.js";

function fullScan(order: ScanOrder, count: number, between?: () => void): string[] {
  const seen: string[] = [];
  let cursor = 0;
  let steps = 0;
  do {
    cursor = order.scan(cursor, count, (k) => seen.push(k));
    between?.();
    if (++steps > 100000) throw new Error("scan did not terminate");
  } while (cursor !== 0);
  return seen;
}

test("keys present for the whole scan are returned exactly once despite churn", () => {
  const order = new ScanOrder();
  const seqs = new Map<string, number>();
  for (let i = 0; i < 1000; i++) seqs.set(`stable:${i}`, order.add(`stable:${i}`));
  let n = 0;
  const seen = fullScan(order, 10, () => {
    for (let j = 0; j < 20; j++) {
      const k = `temp:${n++}`;
      seqs.set(k, order.add(k));
      const old = `temp:${n - 10}`;
      if (seqs.has(old)) {
        order.remove(seqs.get(old)!);
        seqs.delete(old);
      }
    }
  });
  const stable = seen.filter((k) => k.startsWith("stable:"));
  assert.equal(stable.length, 1000);
  assert.equal(new Set(stable).size, 1000);
});

test("a scan terminates when keys are added and removed faster than it advances", () => {
  const order = new ScanOrder();
  const live: [string, number][] = [];
  for (let i = 0; i < 100; i++) live.push([`k${i}`, order.add(`k${i}`)]);
  let n = 100;
  fullScan(order, 1, () => {
    for (let j = 0; j < 5; j++) {
      const [, seq] = live.shift()!;
      order.remove(seq);
      const k = `k${n++}`;
      live.push([k, order.add(k)]);
    }
  });
  assert.equal(order.size, 100);
});

test("random() returns only live keys", () => {
  const order = new ScanOrder();
  const a = order.add("a");
  order.add("b");
  order.remove(a);
  for (let i = 0; i < 50; i++) assert.equal(order.random(), "b");
  order.clear();
  assert.equal(order.random(), null);
});

test("values stay beside their keys through hole reuse and compaction", () => {
  const order = new ScanOrder<number>();
  const positions = new Map<string, number>();
  const model = new Map<string, number>();
  for (let i = 0; i < 500; i++) {
    positions.set(`k${i}`, order.insert(`k${i}`, i));
    model.set(`k${i}`, i);
  }
  // Remove most keys (compaction runs once holes dominate, moving positions), then reuse the
  // remaining holes.
  let compactions = 0;
  for (let i = 0; i < 500; i++) {
    if (i % 5 === 0) continue;
    const moved = order.removeAt(positions.get(`k${i}`)!);
    positions.delete(`k${i}`);
    model.delete(`k${i}`);
    if (moved === null) continue;
    compactions++;
    for (const [key, p] of positions) positions.set(key, moved[p]);
  }
  assert.ok(compactions > 0);
  for (const [key, p] of positions) assert.equal(order.keyAt(p), key);
  for (let i = 500; i < 560; i++) {
    order.insert(`k${i}`, i);
    model.set(`k${i}`, i);
  }
  assert.deepEqual(new Map([...order.positions()].map((p) => [order.keyAt(p), order.valueAt(p)])), model);
  const scanned = new Map<string, number>();
  let cursor = 0;
  do cursor = order.scan(cursor, 7, (key, value) => scanned.set(key, value));
  while (cursor !== 0);
  assert.deepEqual(scanned, model);
});
