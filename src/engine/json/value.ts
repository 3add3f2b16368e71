// The JSON document model behind the ReJSON-RL type, shaped after RedisJSON's (ijson) values:
// integers stay int64 (a JS number when safe, a bigint beyond), floats keep their decimal point
// (JsonFloat), strings are byte strings holding UTF-8, and objects keep insertion order but remove
// a key by moving the last entry into its place, as ijson's IObject does.

/** An integer is a number (always integral) or a bigint; a float is a JsonFloat. */
export type JsonValue = null | boolean | number | bigint | JsonFloat | string | JsonValue[] | JsonObject;

/** A JSON number written with a decimal point or exponent (RedisJSON keeps "3.0" a float). */
export class JsonFloat {
  constructor(readonly v: number) {}
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** An integer value: a number when it is a safe integer, a bigint otherwise. */
export function jsonInt(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Objects this small are searched linearly; bigger ones keep a key index. */
const INDEX_MIN = 9;

/** A JSON object: keys (byte strings) and values in insertion order. */
export class JsonObject {
  readonly keys: string[] = [];
  readonly values: JsonValue[] = [];
  private index: Map<string, number> | null = null;

  get size(): number {
    return this.keys.length;
  }

  indexOf(key: string): number {
    if (this.index !== null) return this.index.get(key) ?? -1;
    return this.keys.indexOf(key);
  }

  get(key: string): JsonValue | undefined {
    const i = this.indexOf(key);
    return i < 0 ? undefined : this.values[i];
  }

  has(key: string): boolean {
    return this.indexOf(key) >= 0;
  }

  /** Sets key (replacing its value in place, or appending); returns true when the key is new. */
  set(key: string, value: JsonValue): boolean {
    const i = this.indexOf(key);
    if (i >= 0) {
      this.values[i] = value;
      return false;
    }
    this.keys.push(key);
    this.values.push(value);
    if (this.index !== null) this.index.set(key, this.keys.length - 1);
    else if (this.keys.length >= INDEX_MIN) this.buildIndex();
    return true;
  }

  /** Removes key; the last entry takes its place (ijson's swap-remove). Returns false if absent. */
  delete(key: string): boolean {
    const i = this.indexOf(key);
    if (i < 0) return false;
    const last = this.keys.length - 1;
    this.index?.delete(key);
    if (i !== last) {
      this.keys[i] = this.keys[last];
      this.values[i] = this.values[last];
      this.index?.set(this.keys[i], i);
    }
    this.keys.pop();
    this.values.pop();
    return true;
  }

  clear(): void {
    this.keys.length = 0;
    this.values.length = 0;
    this.index = null;
  }

  private buildIndex(): void {
    this.index = new Map();
    for (let i = 0; i < this.keys.length; i++) this.index.set(this.keys[i], i);
  }
}

/** RedisJSON's type names (JSON.TYPE): integers beyond int64 still report "integer". */
export function typeName(v: JsonValue): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return "boolean";
    case "number":
    case "bigint":
      return "integer";
    case "string":
      return "string";
  }
  if (v instanceof JsonFloat) return "number";
  return Array.isArray(v) ? "array" : "object";
}

/** True for values arithmetic treats as int64 (RedisJSON's Long); u64 values above it count as floats. */
export function isInt64Value(v: JsonValue): v is number | bigint {
  return typeof v === "number" || (typeof v === "bigint" && v >= INT64_MIN && v <= INT64_MAX);
}

export function isNumber(v: JsonValue): v is number | bigint | JsonFloat {
  return typeof v === "number" || typeof v === "bigint" || v instanceof JsonFloat;
}

/** A number value as a double. */
export function toDouble(v: number | bigint | JsonFloat): number {
  return v instanceof JsonFloat ? v.v : Number(v);
}

/** Numeric equality across integers and floats, as ijson's INumber compares. */
function numbersEqual(a: number | bigint | JsonFloat, b: number | bigint | JsonFloat): boolean {
  if (a instanceof JsonFloat || b instanceof JsonFloat) {
    const x = a instanceof JsonFloat ? a.v : a;
    const y = b instanceof JsonFloat ? b.v : b;
    // A float equals a big integer only when it is integral and the exact same value.
    if (typeof x === "bigint") return Number.isInteger(y) && x === BigInt(y as number);
    if (typeof y === "bigint") return Number.isInteger(x) && y === BigInt(x);
    return x === y;
  }
  return a === b || (typeof a !== typeof b && BigInt(a) === BigInt(b));
}

/** Deep equality of two values (numbers compare numerically, objects ignore key order). */
export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (isNumber(a)) return isNumber(b) && numbersEqual(a, b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (a instanceof JsonObject) {
    if (!(b instanceof JsonObject) || a.size !== b.size) return false;
    for (let i = 0; i < a.size; i++) {
      const other = b.get(a.keys[i]);
      if (other === undefined || !deepEqual(a.values[i], other)) return false;
    }
    return true;
  }
  return false;
}

/** RedisJSON's kind of a value for strict comparisons: u64 values above int64 count as doubles. */
function kindOf(v: JsonValue): string {
  if (isInt64Value(v)) return "long";
  return typeof v === "bigint" || v instanceof JsonFloat ? "double" : typeName(v);
}

/**
 * Equality as JSON.ARRINDEX tests it: same kind (an integer never equals a float), same scalar,
 * arrays element by element, objects key by key in any order.
 */
export function strictEqual(a: JsonValue, b: JsonValue): boolean {
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return false;
  switch (kind) {
    case "double":
      return toDouble(a as number | bigint | JsonFloat) === toDouble(b as number | bigint | JsonFloat);
    case "array": {
      const x = a as JsonValue[];
      const y = b as JsonValue[];
      return x.length === y.length && x.every((item, i) => strictEqual(item, y[i]));
    }
    case "object": {
      const x = a as JsonObject;
      const y = b as JsonObject;
      if (x.size !== y.size) return false;
      for (let i = 0; i < x.size; i++) {
        const other = y.get(x.keys[i]);
        if (other === undefined || !strictEqual(x.values[i], other)) return false;
      }
      return true;
    }
    default:
      return a === b;
  }
}

/** A deep copy sharing nothing mutable (floats are immutable and shared). */
export function cloneValue(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(cloneValue);
  if (v instanceof JsonObject) {
    const copy = new JsonObject();
    for (let i = 0; i < v.size; i++) copy.set(v.keys[i], cloneValue(v.values[i]));
    return copy;
  }
  return v;
}

/** The root of a stored document; commands replace or edit root in place. */
export class JsonDoc {
  constructor(public root: JsonValue) {}
}

/** ijson's capacity after pushing n items one by one (0, then 4, doubling). */
function capacityFor(n: number): number {
  if (n === 0) return 0;
  let cap = 4;
  while (cap < n) cap *= 2;
  return cap;
}

const POINTER = 8;

/** Heap bytes of a value the way RedisJSON's JSON.DEBUG MEMORY estimates ijson's layout. */
function heapSize(v: JsonValue): number {
  if (v === null || typeof v === "boolean") return 0;
  if (typeof v === "string") return v.length;
  if (v instanceof JsonFloat || typeof v === "bigint") return 16;
  if (typeof v === "number") {
    if (v >= -128 && v < 384) return 0;
    return v >= -(2 ** 23) && v < 2 ** 23 ? 4 : 16;
  }
  if (Array.isArray(v)) {
    const cap = capacityFor(v.length);
    if (cap === 0) return 0;
    let total = (cap + 2) * POINTER;
    for (const item of v) total += heapSize(item);
    return total;
  }
  const cap = capacityFor(v.size);
  if (cap === 0) return 0;
  let total = (cap * 3 + 2) * POINTER;
  for (let i = 0; i < v.size; i++) total += v.keys[i].length + heapSize(v.values[i]);
  return total;
}

/** JSON.DEBUG MEMORY of a value: its heap bytes plus the value slot itself. */
export function memoryUsage(v: JsonValue): number {
  return heapSize(v) + POINTER;
}

/** One step of a concrete path: an object key or an array index. */
export type PathKey = string | number;

/** The child of a container at key, or undefined (a key on an array or an index on an object is absent). */
function childOf(v: JsonValue, key: PathKey): JsonValue | undefined {
  if (typeof key === "number") return Array.isArray(v) ? v[key] : undefined;
  return v instanceof JsonObject ? v.get(key) : undefined;
}

/** The value at a concrete path from root, or undefined when the path leads nowhere. */
export function valueAt(root: JsonValue, path: PathKey[], length = path.length): JsonValue | undefined {
  let v: JsonValue | undefined = root;
  for (let i = 0; i < length && v !== undefined; i++) v = childOf(v, path[i]);
  return v;
}

/** Replaces the existing value at path (the root for an empty path); false when it does not exist. */
export function replaceAt(doc: JsonDoc, path: PathKey[], value: JsonValue): boolean {
  if (path.length === 0) {
    doc.root = value;
    return true;
  }
  const parent = valueAt(doc.root, path, path.length - 1);
  const key = path[path.length - 1];
  if (parent === undefined || childOf(parent, key) === undefined) return false;
  if (typeof key === "number") (parent as JsonValue[])[key] = value;
  else (parent as JsonObject).set(key, value);
  return true;
}

/** Removes the value at a non-empty path (an object entry or array element); false when absent. */
export function removeAt(doc: JsonDoc, path: PathKey[]): boolean {
  const parent = valueAt(doc.root, path, path.length - 1);
  const key = path[path.length - 1];
  if (parent === undefined || childOf(parent, key) === undefined) return false;
  if (typeof key === "number") (parent as JsonValue[]).splice(key, 1);
  else (parent as JsonObject).delete(key);
  return true;
}
