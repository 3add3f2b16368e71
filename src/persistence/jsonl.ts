// JSONL records: one key per line as `{"key", "type", "value", "ttl_ms"}`, values in their natural
// JSON form (string; list and set as arrays; hash as an object; zset as [member, score] pairs;
// stream as {id, fields} entries). Byte strings that are valid UTF-8 appear as text; a record with
// any other bytes has "encoding": "base64" and every byte string in it in base64, so nothing is
// lost. Used by `restash export` / `restash import` for analytics and training-set pipelines.

import { isUtf8 } from "node:buffer";
import type { Config } from "../config.js";
import type { ValueType } from "../engine/database.js";
import { HashValue, hashLimits } from "../engine/types/hash.js";
import { ListValue } from "../engine/types/list.js";
import { maxIntsetEntries, SetValue } from "../engine/types/set.js";
import { formatId, MAX_ID, nodeLimits, parseStreamId, Stream } from "../engine/types/stream.js";
import { ZSetValue, zsetLimits } from "../engine/types/zset.js";

export interface KeyRecord {
  key: string;
  type: ValueType;
  value: unknown;
  /** Remaining time to live in ms; 0 = none. */
  ttlMs: number;
}

type Codec = (s: string) => string;

class NotUtf8 extends Error {}

const asText: Codec = (s) => {
  const bytes = Buffer.from(s, "latin1");
  if (!isUtf8(bytes)) throw new NotUtf8();
  return bytes.toString("utf8");
};
const asBase64: Codec = (s) => Buffer.from(s, "latin1").toString("base64");
const fromText: Codec = (s) => Buffer.from(s, "utf8").toString("latin1");
const fromBase64: Codec = (s) => Buffer.from(s, "base64").toString("latin1");

function jsonScore(score: number): number | string {
  return Number.isFinite(score) ? score : score > 0 ? "inf" : "-inf";
}

function jsonValue(type: ValueType, value: unknown, c: Codec): unknown {
  switch (type) {
    case "string":
      return c(value as string);
    case "list":
      return [...(value as ListValue)].map(c);
    case "set":
      return [...(value as SetValue).values()].map(c).sort();
    case "hash": {
      // Fields whose TTL passed are left out (they read as missing until removed).
      const hash = value as HashValue;
      const t = Date.now();
      const out: Record<string, string> = {};
      for (const [f, v] of hash.fields) {
        const at = hash.fieldTtl(f);
        if (at === 0 || at > t) out[c(f)] = c(v);
      }
      return out;
    }
    case "zset":
      return [...(value as ZSetValue).entries()].map(([m, s]) => [c(m), jsonScore(s)]);
    case "stream": {
      const out: { id: string; fields: Record<string, string> }[] = [];
      for (const [id, pairs] of (value as Stream).range(0n, MAX_ID)) {
        const fields: Record<string, string> = {};
        for (let i = 0; i < pairs.length; i += 2) fields[c(pairs[i])] = c(pairs[i + 1]);
        out.push({ id: formatId(id), fields });
      }
      return out;
    }
  }
  throw new Error(`cannot export values of type ${type}`);
}

/** One JSONL line (without the newline) for a key. */
export function toJsonLine(r: KeyRecord): string {
  const line = (c: Codec, base64: boolean) => {
    const obj: Record<string, unknown> = { key: c(r.key), type: r.type, value: jsonValue(r.type, r.value, c) };
    if (r.ttlMs > 0) obj.ttl_ms = r.ttlMs;
    if (base64) obj.encoding = "base64";
    return JSON.stringify(obj);
  };
  try {
    return line(asText, false);
  } catch (e) {
    if (!(e instanceof NotUtf8)) throw e;
    return line(asBase64, true);
  }
}

function fail(message: string): never {
  throw new Error(message);
}

function strings(v: unknown, what: string): string[] {
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) fail(`${what} must be an array of strings`);
  return v as string[];
}

function parseScore(v: unknown): number {
  if (typeof v === "number") return v;
  if (v === "inf" || v === "+inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return fail(`invalid score ${JSON.stringify(v)}`);
}

/** Reads one JSONL line back into a key and an engine value (encodings as the config decides). */
export function fromJsonLine(line: string, config: Config): KeyRecord {
  const obj = JSON.parse(line) as Record<string, unknown>;
  const c = obj.encoding === "base64" ? fromBase64 : fromText;
  if (typeof obj.key !== "string") fail("missing key");
  const type = obj.type as ValueType;
  const v = obj.value;
  let value: unknown;
  switch (type) {
    case "string":
      if (typeof v !== "string") fail("a string value must be a JSON string");
      value = c(v);
      break;
    case "list":
      value = ListValue.from(strings(v, "a list value").map(c));
      break;
    case "set":
      value = SetValue.from(strings(v, "a set value").map(c), maxIntsetEntries(config));
      break;
    case "hash": {
      if (typeof v !== "object" || v === null || Array.isArray(v)) fail("a hash value must be an object");
      const hash = new HashValue();
      const limits = hashLimits(config);
      for (const [f, x] of Object.entries(v)) hash.set(c(f), c(String(x)), limits);
      value = hash;
      break;
    }
    case "zset": {
      if (!Array.isArray(v)) fail("a zset value must be an array of [member, score]");
      const z = new ZSetValue();
      const limits = zsetLimits(config);
      for (const pair of v as unknown[]) {
        if (!Array.isArray(pair) || typeof pair[0] !== "string") fail("a zset value must be an array of [member, score]");
        z.set(c(pair[0]), parseScore(pair[1]), limits);
      }
      value = z;
      break;
    }
    case "stream": {
      if (!Array.isArray(v)) fail("a stream value must be an array of {id, fields}");
      const stream = new Stream();
      const limits = nodeLimits(config);
      for (const e of v as { id?: unknown; fields?: unknown }[]) {
        const id = typeof e.id === "string" ? parseStreamId(e.id, 0n, true) : null;
        if (id === null || id.id <= stream.lastId || typeof e.fields !== "object" || e.fields === null) fail("invalid stream entry");
        const pairs: string[] = [];
        for (const [f, x] of Object.entries(e.fields as Record<string, unknown>)) pairs.push(c(f), c(String(x)));
        stream.append(id.id, pairs, limits);
      }
      value = stream;
      break;
    }
    default:
      fail(`unknown type ${JSON.stringify(type)}`);
  }
  const ttl = obj.ttl_ms;
  return { key: c(obj.key), type, value, ttlMs: typeof ttl === "number" && ttl > 0 ? ttl : 0 };
}
