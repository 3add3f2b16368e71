// Writing values in Redis 7.0's RDB encoding: the byte sink (with CRC64 as bytes leave it), string
// encodings (integers, LZF), and each value type as Redis 7.0 would store it: strings, lists as
// quicklists of listpacks, hashes and sorted sets as listpacks while small, sets as intsets, and
// streams with their consumer groups. Hashes with field TTLs take Redis 7.4's types (listpack-ex
// and metadata), the only ones that hold them. Used by RDB files, AOF base files and DUMP.

import type { Config } from "../config.js";
import { idleSeconds, type Entry, type ValueType } from "../engine/database.js";
import type { HashValue } from "../engine/types/hash.js";
import type { ListValue } from "../engine/types/list.js";
import type { SetValue } from "../engine/types/set.js";
import { idMs, idSeq, UNKNOWN_READS, type Stream, type StreamId } from "../engine/types/stream.js";
import type { ZSetValue } from "../engine/types/zset.js";
import { formatDouble } from "../protocol/number-format.js";
import { Crc64 } from "./crc64.js";
import { integerValue, ListpackBuilder, writeIntset } from "./encodings.js";
import { lzfCompress } from "./lzf.js";
import { toJson } from "../engine/json/serialize.js";
import type { JsonDoc } from "../engine/json/value.js";
import {
  HASH_LP_NO_TTL,
  ModuleOpcode,
  REJSON_MODULE_ID,
  QUICKLIST_PACKED,
  QUICKLIST_PLAIN,
  RdbEnc,
  RdbOpcode,
  RdbType,
  STREAM_ITEM_DELETED,
  STREAM_ITEM_SAMEFIELDS,
  UNKNOWN_READS_SAVED,
} from "./rdb-format.js";

/** Settings read from config once per save. */
export interface SaveOptions {
  compression: boolean;
  /** list-max-listpack-size */
  listFill: number;
  /** List elements at least this big get a plain quicklist node. */
  packedThreshold: number;
  /** Save LRU idle times (IDLE) or LFU counters (FREQ) as Redis does under those policies. */
  evictionInfo: "lru" | "lfu" | null;
}

export function saveOptions(config: Config, packedThreshold: number): SaveOptions {
  const policy = config.get("maxmemory-policy");
  return {
    compression: config.bool("rdbcompression"),
    listFill: config.num("list-max-listpack-size"),
    packedThreshold,
    evictionInfo: policy.includes("lru") ? "lru" : policy.includes("lfu") ? "lfu" : null,
  };
}

/** Quicklist node size limits for negative list-max-listpack-size values (-1 .. -5). */
const FILL_BYTES = [4096, 8192, 16384, 32768, 65536];
/** Node size limit for positive fills (a count), as Redis's SIZE_SAFETY_LIMIT. */
const SAFETY_LIMIT = 8192;
/** Per-element overhead Redis adds when estimating a node's growth. */
const SIZE_ESTIMATE_OVERHEAD = 8;

/** A growable byte buffer; drain() hands out what was written and folds it into the CRC. */
export class RdbOutput {
  buf: Buffer;
  pos = 0;
  readonly crc = new Crc64();
  /** Bytes handed out by drain() so far. */
  drained = 0;
  private scratch = Buffer.allocUnsafe(256);
  private packed = Buffer.allocUnsafe(256);
  private readonly lp = new ListpackBuilder();

  constructor(
    readonly options: SaveOptions,
    initial = 64 * 1024,
  ) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n + 4096));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** The bytes written since the last drain (a copy when keepBuffer, else the buffer itself). */
  drain(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.crc.update(out);
    this.drained += out.length;
    this.pos = 0;
    return out;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  raw(data: Uint8Array): void {
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /** An RDB length: 6, 14, 32 or 64 bits. */
  length(n: number): void {
    this.ensure(9);
    const buf = this.buf;
    if (n < 64) buf[this.pos++] = n;
    else if (n < 16384) {
      buf[this.pos++] = 0x40 | (n >> 8);
      buf[this.pos++] = n & 0xff;
    } else if (n <= 0xffffffff) {
      buf[this.pos++] = 0x80;
      buf.writeUInt32BE(n, this.pos);
      this.pos += 4;
    } else {
      buf[this.pos++] = 0x81;
      buf.writeBigUInt64BE(BigInt(n), this.pos);
      this.pos += 8;
    }
  }

  /** A length that may exceed 2^53 (stream IDs and counters). */
  lengthBig(n: bigint): void {
    if (n <= 0xffffffffn) return this.length(Number(n));
    this.ensure(9);
    this.buf[this.pos++] = 0x81;
    this.buf.writeBigUInt64BE(n, this.pos);
    this.pos += 8;
  }

  /** 8-byte little-endian millisecond time (expiries, stream delivery times). */
  millis(ms: number): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(BigInt(ms), this.pos);
    this.pos += 8;
  }

  /** A byte string: integer-encoded when it is a small canonical integer, LZF-compressed when worth it. */
  string(s: string): void {
    const n = s.length;
    if (n <= 11 && n > 0) {
      const v = integerValue(s);
      if (v !== null && typeof v === "number" && v >= -2147483648 && v <= 2147483647) return this.int32Encoded(v);
    }
    if (n > 20 && this.options.compression && this.compressed(s)) return;
    this.length(n);
    this.ensure(n);
    this.pos += this.buf.write(s, this.pos, n, "latin1");
  }

  /** A binary blob (listpack, intset) as an RDB string, compressed when worth it. */
  blob(data: Buffer): void {
    const n = data.length;
    if (n > 20 && this.options.compression && this.compressedBytes(data)) return;
    this.length(n);
    this.raw(data);
  }

  private int32Encoded(v: number): void {
    this.ensure(5);
    const buf = this.buf;
    if (v >= -128 && v <= 127) {
      buf[this.pos++] = 0xc0 | RdbEnc.INT8;
      buf.writeInt8(v, this.pos++);
    } else if (v >= -32768 && v <= 32767) {
      buf[this.pos++] = 0xc0 | RdbEnc.INT16;
      buf.writeInt16LE(v, this.pos);
      this.pos += 2;
    } else {
      buf[this.pos++] = 0xc0 | RdbEnc.INT32;
      buf.writeInt32LE(v, this.pos);
      this.pos += 4;
    }
  }

  private compressed(s: string): boolean {
    const n = s.length;
    if (this.scratch.length < n) this.scratch = Buffer.allocUnsafe(n * 2);
    this.scratch.write(s, 0, n, "latin1");
    return this.compressedBytes(this.scratch.subarray(0, n));
  }

  /** Writes data LZF-compressed if that saves more than 4 bytes (as Redis requires); false otherwise. */
  private compressedBytes(data: Buffer): boolean {
    const n = data.length;
    if (this.packed.length < n) this.packed = Buffer.allocUnsafe(n * 2);
    const clen = lzfCompress(data, this.packed.subarray(0, n - 4));
    if (clen === 0) return false;
    this.byte(0xc0 | RdbEnc.LZF);
    this.length(clen);
    this.length(n);
    this.raw(this.packed.subarray(0, clen));
    return true;
  }

  /** A binary double (ZSET_2 scores). */
  double(d: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  /** The opcodes before a key: expiry and, under LRU/LFU policies, idle time or frequency. */
  keyPrefix(entry: Entry, nowMs: number): void {
    if (entry.expireAt !== 0) {
      this.byte(RdbOpcode.EXPIRETIME_MS);
      this.millis(entry.expireAt);
    }
    const info = this.options.evictionInfo;
    if (info === "lru") {
      this.byte(RdbOpcode.IDLE);
      this.length(idleSeconds(entry, nowMs));
    } else if (info === "lfu") {
      this.byte(RdbOpcode.FREQ);
      this.byte(entry.freq);
    }
  }

  /** One key: its prefix opcodes, type, name and value. */
  keyValue(key: string, entry: Entry, nowMs: number): void {
    this.keyPrefix(entry, nowMs);
    const type = rdbTypeOf(entry.type, entry.value);
    this.byte(type);
    this.string(key);
    this.value(type, entry.value);
  }

  /** A value in the encoding `type` (from rdbTypeOf). */
  value(type: number, value: unknown): void {
    switch (type) {
      case RdbType.STRING:
        return this.string(value as string);
      case RdbType.LIST_QUICKLIST_2:
        return this.list(value as ListValue);
      case RdbType.SET_INTSET:
        return this.blob(writeIntset((value as SetValue).values()));
      case RdbType.SET:
        return this.collection((value as SetValue).size, (value as SetValue).values());
      case RdbType.HASH_LISTPACK:
        return this.hashListpack(value as HashValue);
      case RdbType.HASH:
        return this.hash(value as HashValue);
      case RdbType.HASH_LISTPACK_EX:
        return this.hashListpackEx(value as HashValue);
      case RdbType.HASH_METADATA:
        return this.hashMetadata(value as HashValue);
      case RdbType.ZSET_LISTPACK:
        return this.zsetListpack(value as ZSetValue);
      case RdbType.ZSET_2:
        return this.zset(value as ZSetValue);
      case RdbType.STREAM_LISTPACKS_2:
        return this.stream(value as Stream);
      case RdbType.MODULE_2:
        return this.json(value as JsonDoc);
    }
    throw new Error(`cannot save RDB type ${type}`);
  }

  /** A JSON document as RedisJSON saves it, so redis-server with RedisJSON loads it too. */
  private json(doc: JsonDoc): void {
    this.lengthBig(REJSON_MODULE_ID);
    this.length(ModuleOpcode.STRING);
    this.string(toJson(doc.root));
    this.length(ModuleOpcode.EOF);
  }

  private collection(size: number, items: Iterable<string>): void {
    this.length(size);
    for (const item of items) this.string(item);
  }

  private list(list: ListValue): void {
    const { listFill, packedThreshold } = this.options;
    const maxBytes = listFill < 0 ? FILL_BYTES[Math.min(-listFill, FILL_BYTES.length) - 1] : SAFETY_LIMIT;
    const maxCount = listFill > 0 ? listFill : Infinity;
    const nodes: [number, Buffer][] = [];
    const lp = this.lp;
    lp.reset();
    const close = () => {
      if (lp.count > 0) nodes.push([QUICKLIST_PACKED, Buffer.from(lp.finish())]);
      lp.reset();
    };
    for (const item of list) {
      if (item.length >= packedThreshold) {
        close();
        nodes.push([QUICKLIST_PLAIN, Buffer.from(item, "latin1")]);
        continue;
      }
      if (lp.count > 0 && (lp.count + 1 > maxCount || lp.size + item.length + SIZE_ESTIMATE_OVERHEAD > maxBytes)) close();
      lp.addString(item);
    }
    close();
    this.length(nodes.length);
    for (const [container, data] of nodes) {
      this.length(container);
      this.blob(data);
    }
  }

  private hashListpack(hash: HashValue): void {
    const lp = this.lp;
    lp.reset();
    for (const [field, value] of hash.fields) {
      lp.addString(field);
      lp.addString(value);
    }
    this.blob(lp.finish());
  }

  private hash(hash: HashValue): void {
    this.length(hash.size);
    for (const [field, value] of hash.fields) {
      this.string(field);
      this.string(value);
    }
  }

  /**
   * A small hash with field TTLs: its earliest field expiry, then a listpack of field, value,
   * expiry (ms, 0 = none) triples ordered by expiry, fields without one last, as Redis keeps them.
   */
  private hashListpackEx(hash: HashValue): void {
    this.millis(hash.nextFieldExpiry());
    const timed: [string, string, number][] = [];
    const lp = this.lp;
    lp.reset();
    for (const [field, value] of hash.fields) {
      const at = hash.fieldTtl(field);
      if (at !== 0) timed.push([field, value, at]);
    }
    timed.sort((a, b) => a[2] - b[2]);
    for (const [field, value, at] of timed) {
      lp.addString(field);
      lp.addString(value);
      lp.addInt(at);
    }
    for (const [field, value] of hash.fields) {
      if (hash.fieldTtl(field) !== 0) continue;
      lp.addString(field);
      lp.addString(value);
      lp.addInt(HASH_LP_NO_TTL);
    }
    this.blob(lp.finish());
  }

  /**
   * A big hash with field TTLs: its earliest field expiry, the field count, then per field its TTL
   * relative to that earliest expiry plus one (0 = none), its name and its value.
   */
  private hashMetadata(hash: HashValue): void {
    const minExpire = hash.nextFieldExpiry();
    this.millis(minExpire);
    this.length(hash.size);
    for (const [field, value] of hash.fields) {
      const at = hash.fieldTtl(field);
      this.length(at === 0 ? 0 : at - minExpire + 1);
      this.string(field);
      this.string(value);
    }
  }

  private zsetListpack(z: ZSetValue): void {
    const lp = this.lp;
    lp.reset();
    for (const [member, score] of z.entries()) {
      lp.addString(member);
      lp.addString(formatDouble(score));
    }
    this.blob(lp.finish());
  }

  private zset(z: ZSetValue): void {
    // From the highest score down, as Redis writes them (its loader then inserts at the head).
    const all = z.all();
    this.length(all.length);
    for (let i = all.length - 1; i >= 0; i--) {
      this.string(all[i].member);
      this.double(all[i].score);
    }
  }

  private streamId(id: StreamId): void {
    this.lengthBig(idMs(id));
    this.lengthBig(idSeq(id));
  }

  /** A 16-byte big-endian stream ID (node keys, PEL entries). */
  private rawId(id: StreamId): void {
    this.ensure(16);
    this.buf.writeBigUInt64BE(idMs(id), this.pos);
    this.buf.writeBigUInt64BE(idSeq(id), this.pos + 8);
    this.pos += 16;
  }

  private stream(s: Stream): void {
    const nodes = s.persistedNodes();
    this.length(nodes.length);
    const lp = this.lp;
    for (const node of nodes) {
      const master = node.ids[0];
      this.length(16);
      this.rawId(master);
      lp.reset();
      const fields = node.masterFields;
      lp.addInt(node.live);
      lp.addInt(node.ids.length - node.live);
      lp.addInt(fields.length);
      for (const f of fields) lp.addString(f);
      lp.addInt(0);
      for (let i = 0; i < node.ids.length; i++) {
        const id = node.ids[i];
        const item = node.items[i];
        const pairs = item ?? [];
        let same = item !== null && pairs.length === fields.length * 2;
        for (let k = 0; same && k < fields.length; k++) same = pairs[k * 2] === fields[k];
        lp.addInt((item === null ? STREAM_ITEM_DELETED : 0) | (same ? STREAM_ITEM_SAMEFIELDS : 0));
        lp.addInt(BigInt.asIntN(64, idMs(id) - idMs(master)));
        lp.addInt(BigInt.asIntN(64, idSeq(id) - idSeq(master)));
        const count = pairs.length / 2;
        if (same) {
          for (let k = 1; k < pairs.length; k += 2) lp.addString(pairs[k]);
          lp.addInt(count + 3);
        } else {
          lp.addInt(count);
          for (const p of pairs) lp.addString(p);
          lp.addInt(count * 2 + 4);
        }
      }
      this.blob(lp.finish());
    }
    this.length(s.length);
    this.streamId(s.lastId);
    this.streamId(s.firstId);
    this.streamId(s.maxDeletedId);
    this.lengthBig(s.entriesAdded);
    this.length(s.groups.size);
    for (const [name, group] of s.groups) {
      this.string(name);
      this.streamId(group.lastId);
      this.lengthBig(group.entriesRead === UNKNOWN_READS ? UNKNOWN_READS_SAVED : group.entriesRead);
      this.length(group.pel.size);
      for (const [id, pending] of group.pel.entries()) {
        this.rawId(id);
        this.millis(pending.deliveryTime);
        this.length(pending.deliveryCount);
      }
      this.length(group.consumers.size);
      for (const consumer of group.consumers.values()) {
        this.string(consumer.name);
        this.millis(consumer.seenTime);
        this.length(consumer.pel.size);
        for (const [id] of consumer.pel.entries()) this.rawId(id);
      }
    }
  }

  /** An AUX field (header metadata). */
  aux(name: string, value: string): void {
    this.byte(RdbOpcode.AUX);
    this.string(name);
    this.string(value);
  }
}

/** The RDB type Redis would save a value as (its encoding decides; field TTLs need Redis 7.4's hash types). */
export function rdbTypeOf(type: ValueType, value: unknown): number {
  switch (type) {
    case "string":
      return RdbType.STRING;
    case "list":
      return RdbType.LIST_QUICKLIST_2;
    case "set":
      return (value as SetValue).intset ? RdbType.SET_INTSET : RdbType.SET;
    case "hash": {
      const hash = value as HashValue;
      if (hash.hasFieldTtls) return hash.compact ? RdbType.HASH_LISTPACK_EX : RdbType.HASH_METADATA;
      return hash.compact ? RdbType.HASH_LISTPACK : RdbType.HASH;
    }
    case "zset":
      return (value as ZSetValue).compact ? RdbType.ZSET_LISTPACK : RdbType.ZSET_2;
    case "stream":
      return RdbType.STREAM_LISTPACKS_2;
    case "ReJSON-RL":
      return RdbType.MODULE_2;
  }
  throw new Error(`the RDB format has no type for ${type} values`);
}
