// HyperLogLog commands: PFADD PFCOUNT PFMERGE, and the debugging PFDEBUG PFSELFTEST. HLLs are
// string values in Redis's byte format (see engine/types/hyperloglog.ts); each command decodes the
// value, works on it and stores the new bytes, keeping the key's TTL.

import { Errors, fail } from "../errors.js";
import type { Database, Entry } from "../engine/database.js";
import { cachedCount, countRegisters, Hll, HLL_REGISTERS, isHll, selfTest } from "../engine/types/hyperloglog.js";
import { array, bulk, int, OK, ONE, simple, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import type { CommandSpec } from "./types.js";

const INVALID = "INVALIDOBJ Corrupted HLL object detected";

/** The live entry of key if it holds a valid HLL; undefined if missing; WRONGTYPE otherwise. */
function hllEntry(db: Database, key: string): Entry | undefined {
  const entry = db.lookup(key);
  if (entry === undefined) return undefined;
  if (entry.type !== "string") fail(Errors.wrongType);
  if (!isHll(entry.value as string)) fail("WRONGTYPE Key is not a valid HyperLogLog string value.");
  return entry;
}

/** Stores an HLL's bytes: into the existing entry (TTL kept) or as a new key. */
function store(db: Database, key: string, entry: Entry | undefined, hll: Hll): void {
  if (entry === undefined) db.set(key, "string", hll.toString());
  else db.update(key, entry, hll.toString());
}

function sparseMaxBytes(ctx: Session): number {
  return ctx.server.config.num("hll-sparse-max-bytes");
}

function pfadd(ctx: Session, [key, ...elements]: string[]): Reply {
  const db = ctx.db;
  const entry = hllEntry(db, key);
  const hll = entry === undefined ? Hll.empty() : Hll.of(entry.value as string);
  let updated = entry === undefined ? 1 : 0;
  const maxBytes = sparseMaxBytes(ctx);
  for (const element of elements) {
    const result = hll.add(element, maxBytes);
    if (result < 0) fail(INVALID);
    updated += result;
  }
  if (updated === 0) return ZERO;
  hll.invalidateCount();
  store(db, key, entry, hll);
  // Redis counts every changed register as a change.
  ctx.server.dirty += updated - 1;
  db.notify("$", "pfadd", key);
  return ONE;
}

function pfcount(ctx: Session, keys: string[]): Reply {
  const db = ctx.db;
  if (keys.length > 1) {
    const max = new Uint8Array(HLL_REGISTERS);
    for (const key of keys) {
      const entry = hllEntry(db, key);
      if (entry !== undefined && !Hll.of(entry.value as string).mergeInto(max)) fail(INVALID);
    }
    return int(countRegisters(max));
  }
  const entry = hllEntry(db, keys[0]);
  if (entry === undefined) return ZERO;
  const cached = cachedCount(entry.value as string);
  if (cached !== null) return int(cached);
  // Recompute and cache it: a write, like in Redis (the value changes and is propagated).
  const hll = Hll.of(entry.value as string);
  const card = hll.count();
  if (card === null) fail(INVALID);
  hll.setCachedCount(card);
  store(db, keys[0], entry, hll);
  return int(card);
}

function pfmerge(ctx: Session, keys: string[]): Reply {
  const db = ctx.db;
  const max = new Uint8Array(HLL_REGISTERS);
  let dense = false;
  // The destination is one of the inputs too.
  for (const key of keys) {
    const entry = hllEntry(db, key);
    if (entry === undefined) continue;
    const hll = Hll.of(entry.value as string);
    dense ||= hll.dense;
    if (!hll.mergeInto(max)) fail(INVALID);
  }
  const dest = keys[0];
  const entry = db.lookup(dest);
  const hll = entry === undefined ? Hll.empty() : Hll.of(entry.value as string);
  if (dense && !hll.toDense()) fail(INVALID);
  const maxBytes = sparseMaxBytes(ctx);
  for (let i = 0; i < HLL_REGISTERS; i++) if (max[i] !== 0) hll.raise(i, max[i], maxBytes);
  hll.invalidateCount();
  store(db, dest, entry, hll);
  db.notify("$", "pfadd", dest);
  return OK;
}

function pfdebug(ctx: Session, [sub, key]: string[]): Reply {
  const db = ctx.db;
  const entry = hllEntry(db, key);
  if (entry === undefined) fail("ERR The specified key does not exist");
  const hll = Hll.of(entry.value as string);
  switch (sub.toLowerCase()) {
    case "getreg": {
      if (!hll.dense) {
        if (!hll.toDense()) fail(INVALID);
        store(db, key, entry, hll);
      }
      const registers: Reply[] = new Array(HLL_REGISTERS);
      for (let i = 0; i < HLL_REGISTERS; i++) registers[i] = int(hll.register(i));
      return array(registers);
    }
    case "decode":
      if (hll.dense) fail("ERR HLL encoding is not sparse");
      return bulk(hll.describe());
    case "encoding":
      return simple(hll.dense ? "dense" : "sparse");
    case "todense":
      if (hll.dense) return ZERO;
      if (!hll.toDense()) fail(INVALID);
      store(db, key, entry, hll);
      return ONE;
    default:
      fail(`ERR Unknown PFDEBUG subcommand '${sub}'`);
  }
}

/** A hyperloglog-group command. */
function cmd(spec: Omit<CommandSpec, "group">): CommandSpec {
  return { group: "hyperloglog", ...spec };
}

export const hyperloglog: CommandSpec[] = [
  cmd({
    name: "pfadd", arity: -2, flags: ["write", "denyoom", "fast"], keys: { first: 1, last: 1, step: 1 },
    categories: ["hyperloglog"], since: "2.8.9", syntax: "key [element [element ...]]",
    summary: "Adds the specified elements to the specified HyperLogLog.",
    complexity: "O(1) to add every element.",
    run: pfadd,
  }),
  cmd({
    name: "pfcount", arity: -2, flags: ["readonly", "may_replicate"], keys: { first: 1, last: -1, step: 1 },
    categories: ["hyperloglog"], since: "2.8.9", syntax: "key [key ...]",
    summary: "Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).",
    complexity: "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.",
    run: pfcount,
  }),
  cmd({
    name: "pfmerge", arity: -2, flags: ["write", "denyoom"], keys: { first: 1, last: -1, step: 1 },
    categories: ["hyperloglog"], since: "2.8.9", syntax: "destkey [sourcekey [sourcekey ...]]",
    summary: "Merge N different HyperLogLogs into a single one.",
    complexity: "O(N) to merge N HyperLogLogs, but with high constant times.",
    run: pfmerge,
  }),
  cmd({
    name: "pfdebug", arity: 3, flags: ["write", "denyoom", "admin"], keys: { first: 2, last: 2, step: 1 },
    categories: ["hyperloglog", "dangerous"], since: "2.8.9", syntax: "subcommand key",
    summary: "Internal commands for debugging HyperLogLog values",
    complexity: "N/A",
    run: pfdebug,
  }),
  cmd({
    name: "pfselftest", arity: 1, flags: ["admin"],
    categories: ["hyperloglog", "dangerous"], since: "2.8.9", syntax: "",
    summary: "An internal command for testing HyperLogLog values",
    complexity: "N/A",
    run() {
      const failure = selfTest();
      if (failure !== null) fail(`ERR ${failure}`);
      return OK;
    },
  }),
];
