// Reply: the protocol-agnostic result tree every command returns.
// Encoders (RESP2, RESP3, Upstash JSON) turn it into bytes; commands never format protocol bytes.
// Bulk payloads are byte strings (every char code 0-255).

export type Reply =
  | { readonly t: "simple"; readonly v: string }
  | { readonly t: "error"; readonly v: string }
  | { readonly t: "int"; readonly v: number | bigint }
  | { readonly t: "bulk"; readonly v: string }
  | { readonly t: "null" }
  | { readonly t: "nullarray" }
  | { readonly t: "array"; readonly v: Reply[] }
  | { readonly t: "map"; readonly v: Reply[] } // flattened key, value, key, value ...
  | { readonly t: "set"; readonly v: Reply[] }
  | { readonly t: "double"; readonly v: number }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "bignum"; readonly v: bigint }
  | { readonly t: "verbatim"; readonly format: string; readonly v: string }
  | { readonly t: "push"; readonly v: Reply[] }
  | { readonly t: "noreply" }; // nothing is written (e.g. CLIENT REPLY OFF, QUIT after its +OK)

export const OK: Reply = { t: "simple", v: "OK" };
export const QUEUED: Reply = { t: "simple", v: "QUEUED" };
export const PONG: Reply = { t: "simple", v: "PONG" };
export const NIL: Reply = { t: "null" };
export const NIL_ARRAY: Reply = { t: "nullarray" };
export const NO_REPLY: Reply = { t: "noreply" };
export const EMPTY_ARRAY: Reply = { t: "array", v: [] };

const SMALL_INTS: Reply[] = [];
for (let i = -1; i <= 1024; i++) SMALL_INTS.push({ t: "int", v: i });
export const ZERO = SMALL_INTS[1];
export const ONE = SMALL_INTS[2];

export function simple(v: string): Reply {
  return { t: "simple", v };
}
export function error(v: string): Reply {
  return { t: "error", v };
}
export function int(v: number | bigint): Reply {
  if (typeof v === "number" && v >= -1 && v <= 1024 && Number.isInteger(v)) return SMALL_INTS[v + 1];
  return { t: "int", v };
}
export function bulk(v: string): Reply {
  return { t: "bulk", v };
}
/** A bulk reply or nil when the value is missing. */
export function bulkOrNil(v: string | null | undefined): Reply {
  return v === null || v === undefined ? NIL : { t: "bulk", v };
}
export function array(v: Reply[]): Reply {
  return { t: "array", v };
}
export function bulks(values: Iterable<string>): Reply {
  const out: Reply[] = [];
  for (const v of values) out.push({ t: "bulk", v });
  return { t: "array", v: out };
}
/** A map reply (RESP3 map, flattened array in RESP2) from key/value pairs. */
export function map(pairs: [Reply, Reply][] | Reply[]): Reply {
  const flat: Reply[] = [];
  for (const p of pairs) {
    if (Array.isArray(p)) flat.push(p[0], p[1]);
    else flat.push(p);
  }
  return { t: "map", v: flat };
}
/** A map with string keys; values given as Replies. */
export function record(entries: Record<string, Reply>): Reply {
  const flat: Reply[] = [];
  for (const [k, v] of Object.entries(entries)) flat.push({ t: "bulk", v: k }, v);
  return { t: "map", v: flat };
}
export function set(v: Reply[]): Reply {
  return { t: "set", v };
}
export function double(v: number): Reply {
  return { t: "double", v };
}
export function bool(v: boolean): Reply {
  return { t: "bool", v };
}
export function bignum(v: bigint): Reply {
  return { t: "bignum", v };
}
export function verbatim(v: string, format = "txt"): Reply {
  return { t: "verbatim", format, v };
}
export function push(v: Reply[]): Reply {
  return { t: "push", v };
}
