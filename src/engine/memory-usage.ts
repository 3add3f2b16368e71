// Memory estimates for MEMORY USAGE, DEBUG OBJECT and MEMORY STATS: bytes a key and its value
// would take in Redis terms (dict entry, object header, allocation size classes), computed by
// walking the value's JS structure, so it works for every type without knowing its layout.
// Large collections are sampled: the average of the first `samples` elements times the size.

import type { Entry } from "./database.js";

/** Per-key overhead: hash table entry (24 B, allocated as 32) plus the value's object header (16 B). */
const KEY_OVERHEAD = 48;
/** Per-element overhead inside a collection (pointer or hash table entry). */
const ELEMENT_OVERHEAD = 16;
/** How deep nested structures are followed (linked nodes beyond this are not counted). */
const MAX_DEPTH = 12;

/** Rounds an allocation up as jemalloc's small size classes do (8, 16, 32, 48, 64, 80, ...). */
export function allocationSize(n: number): number {
  if (n <= 8) return 8;
  if (n <= 128) return Math.ceil(n / 16) * 16;
  const step = 2 ** (Math.floor(Math.log2(n - 1)) - 2);
  return Math.ceil(n / step) * step;
}

/** A byte string as an sds allocation (3-byte header and terminator). */
function stringSize(s: string): number {
  return allocationSize(s.length + 4);
}

class Estimator {
  private readonly seen = new WeakSet<object>();
  constructor(private readonly samples: number) {}

  size(v: unknown, depth: number): number {
    switch (typeof v) {
      case "string":
        return stringSize(v);
      case "number":
      case "bigint":
      case "boolean":
        return 8;
      case "object":
        if (v === null || depth > MAX_DEPTH || this.seen.has(v)) return 0;
        this.seen.add(v);
        return this.objectSize(v, depth);
      default:
        return 0;
    }
  }

  private objectSize(v: object, depth: number): number {
    if (ArrayBuffer.isView(v)) return allocationSize(v.byteLength);
    if (v instanceof Map) return this.collection(v.size, v.entries(), (e) => this.size(e[0], depth + 1) + this.size(e[1], depth + 1));
    if (v instanceof Set || Array.isArray(v)) {
      const n = v instanceof Set ? v.size : v.length;
      return this.collection(n, v.values(), (e) => this.size(e, depth + 1));
    }
    let total = 16;
    for (const field of Object.values(v)) total += 8 + this.size(field, depth + 1);
    return total;
  }

  /** Sizes n elements from `items`, measuring all of them or `samples` and extrapolating. */
  private collection<T>(n: number, items: Iterator<T>, measure: (item: T) => number): number {
    const limit = this.samples === 0 ? n : Math.min(n, this.samples);
    let measured = 0;
    let count = 0;
    for (let step = items.next(); !step.done && count < limit; step = items.next()) {
      measured += ELEMENT_OVERHEAD + measure(step.value);
      count++;
    }
    const total = count === 0 ? 0 : (measured / count) * n;
    return allocationSize(Math.round(total) + 16);
  }
}

/** Estimated bytes for key and its entry; `samples` elements of each collection are measured (0 = all). */
export function entryMemoryUsage(key: string, entry: Entry, samples: number): number {
  const value = new Estimator(samples).size(entry.value, 0);
  const embedded = typeof entry.value === "string" && entry.value.length <= 44;
  return KEY_OVERHEAD + stringSize(key) + (embedded ? 0 : value) + (entry.expireAt !== 0 ? 32 : 0);
}
