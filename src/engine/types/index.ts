// TypeOps registry: what generic key commands need to know about each value type without knowing
// its representation. COPY clones values, OBJECT ENCODING / REFCOUNT describe them as Redis would.
// Each type module exports its TypeOps; its owner adds the entry to TYPE_OPS below.

import type { Config } from "../../config.js";
import type { Entry, ValueType } from "../database.js";
import { stringOps } from "./string.js";
import { listOps } from "./list.js";
import { hashOps } from "./hash.js";
import { setOps } from "./set.js";
import { zsetOps } from "./zset.js";
import { streamOps } from "./stream.js";
import { jsonOps } from "./json.js";

export interface TypeOps {
  /** A deep copy that shares nothing mutable with value (COPY). */
  clone(value: unknown): unknown;
  /**
   * The encoding Redis would report (OBJECT ENCODING), from the value's size and config thresholds;
   * entry is given for types that keep per-entry history (strings edited in place).
   */
  encoding(value: unknown, config: Config, entry?: Entry): string;
  /** Allocations freeing the value takes, as Redis's lazyfreeGetFreeEffort counts them; 1 when absent. */
  freeEffort?(value: unknown): number;
  /** OBJECT REFCOUNT: 1 unless Redis would share the object (small integers); 1 when absent. */
  refcount?(value: unknown, config: Config, entry?: Entry): number;
}

const TYPE_OPS: Partial<Record<ValueType, TypeOps>> = {
  string: stringOps,
  list: listOps,
  hash: hashOps,
  set: setOps,
  zset: zsetOps,
  stream: streamOps,
  "ReJSON-RL": jsonOps,
};

/** The operations of a value type; a type without an entry is a programming error. */
export function typeOps(type: ValueType): TypeOps {
  const ops = TYPE_OPS[type];
  if (ops === undefined) throw new Error(`no TypeOps registered for type ${type}`);
  return ops;
}
