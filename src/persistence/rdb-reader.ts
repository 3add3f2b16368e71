// Reading Redis's RDB format: files written by Redis 2.x to 7.4 and DUMP payloads. Strings in
// every encoding (plain, integer, LZF), lists (linked, ziplist, quicklist of ziplists or
// listpacks), sets (plain, intset, listpack), sorted sets (string or binary scores, ziplist,
// listpack), hashes (plain, ziplist, listpack, and with field TTLs: metadata and listpack-ex),
// streams v1-v3 with consumer groups, expiries, LRU/LFU hints, aux fields and function libraries.
// Values become the engine's own types, with the encodings Redis would pick for them under the
// current config.

import type { Config } from "../config.js";
import type { ValueType } from "../engine/database.js";
import { HashValue, hashLimits, type HashLimits } from "../engine/types/hash.js";
import { ListValue } from "../engine/types/list.js";
import { maxIntsetEntries, SetValue } from "../engine/types/set.js";
import { ConsumerGroup, makeId, Stream, UNKNOWN_READS, type PendingEntry, type StreamId } from "../engine/types/stream.js";
import { ZSetValue, zsetLimits, type ZSetLimits } from "../engine/types/zset.js";
import { Crc64 } from "./crc64.js";
import { elementInt, elementString, latin1, readIntset, readListpack, readZiplist, type Element } from "./encodings.js";
import { lzfDecompress } from "./lzf.js";
import { parseJson } from "../engine/json/parse.js";
import { JsonDoc } from "../engine/json/value.js";
import {
  MAX_FIELD_EXPIRY,
  ModuleOpcode,
  moduleName,
  REJSON_MODULE_ID,
  QUICKLIST_PLAIN,
  RDB_MAX_READ_VERSION,
  RdbEnc,
  RdbError,
  RdbOpcode,
  RdbType,
  STREAM_ITEM_DELETED,
  STREAM_ITEM_SAMEFIELDS,
  UNKNOWN_READS_SAVED,
} from "./rdb-format.js";

/** Encoding thresholds read from config once per load. */
export interface LoadLimits {
  hash: HashLimits;
  zset: ZSetLimits;
  maxIntset: number;
}

export function loadLimits(config: Config): LoadLimits {
  return { hash: hashLimits(config), zset: zsetLimits(config), maxIntset: maxIntsetEntries(config) };
}

/** Reads more input into buf[offset..offset+length); returns the bytes read (0 at the end). */
export type ReadMore = (buf: Buffer, offset: number, length: number) => number;

const WINDOW = 1 << 20;
/**
 * Strings shorter than this are cut from the buffer's text (see RdbInput.latin1): V8 copies such
 * a substring, while a longer one would be a view keeping the whole text alive.
 */
const CUT_BELOW = 13;

/** Bytes being read: one buffer, refilled from a file when a ReadMore is given. Tracks the CRC64. */
export class RdbInput {
  private pos = 0;
  private end: number;
  private readonly crc = new Crc64();
  /** Start of the bytes not yet folded into the CRC. */
  private crcFrom = 0;
  /** Bytes consumed before the current buffer (for error offsets and progress). */
  private base = 0;
  /** The buffer's bytes [0, end) as one byte string, made on first need while they stay put. */
  private text: string | null = null;

  constructor(
    private buf: Buffer,
    private readonly more: ReadMore | null = null,
  ) {
    this.end = buf.length;
  }

  /** Bytes consumed so far. */
  get offset(): number {
    return this.base + this.pos;
  }

  private ensure(n: number): void {
    if (this.end - this.pos >= n) return;
    if (this.more === null) throw new RdbError("Unexpected EOF reading RDB file");
    this.text = null;
    this.crc.update(this.buf, this.crcFrom, this.pos);
    const remaining = this.end - this.pos;
    const size = Math.max(WINDOW, n);
    const next = size <= this.buf.length && this.buf.length >= WINDOW ? this.buf : Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, this.pos, this.end);
    this.base += this.pos;
    this.buf = next;
    this.pos = 0;
    this.crcFrom = 0;
    this.end = remaining;
    while (this.end < n) {
      const got = this.more(this.buf, this.end, this.buf.length - this.end);
      if (got === 0) throw new RdbError("Unexpected EOF reading RDB file");
      this.end += got;
    }
  }

  byte(): number {
    this.ensure(1);
    return this.buf[this.pos++];
  }

  /** A copy of the next n bytes. */
  bytes(n: number): Buffer {
    this.ensure(n);
    const out = Buffer.from(this.buf.subarray(this.pos, this.pos + n));
    this.pos += n;
    return out;
  }

  /**
   * The next n bytes as a byte string. Keys and values are mostly short: cutting them from the
   * buffer decoded once as text is much cheaper than a native call each (files only, whose buffer
   * is a window of bounded size).
   */
  private latin1(n: number): string {
    this.ensure(n);
    const start = this.pos;
    this.pos += n;
    if (n >= CUT_BELOW || this.more === null || this.end > WINDOW) return latin1(this.buf, start, start + n);
    if (this.text === null) this.text = latin1(this.buf, 0, this.end);
    return this.text.slice(start, start + n);
  }

  u32le(): number {
    this.ensure(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i64le(): number {
    this.ensure(8);
    const v = this.buf.readBigInt64LE(this.pos);
    this.pos += 8;
    return Number(v);
  }

  /** A 16-byte big-endian stream ID. */
  rawId(): StreamId {
    this.ensure(16);
    const id = makeId(this.buf.readBigUInt64BE(this.pos), this.buf.readBigUInt64BE(this.pos + 8));
    this.pos += 16;
    return id;
  }

  /** A length, or the special string encoding that follows a 0b11 prefix (as -1 - enc). */
  private lengthOrEncoding(): number | bigint {
    const first = this.byte();
    const kind = first >> 6;
    if (kind === 0) return first & 0x3f;
    if (kind === 1) return ((first & 0x3f) << 8) | this.byte();
    if (kind === 3) return -1 - (first & 0x3f);
    if (first === 0x80) {
      this.ensure(4);
      const v = this.buf.readUInt32BE(this.pos);
      this.pos += 4;
      return v;
    }
    if (first === 0x81) {
      this.ensure(8);
      const v = this.buf.readBigUInt64BE(this.pos);
      this.pos += 8;
      return v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    }
    throw new RdbError(`Unknown length encoding ${first} in rdbLoadLen()`);
  }

  length(): number {
    const n = this.lengthOrEncoding();
    if (typeof n === "bigint" || n < 0) throw new RdbError("Bad length in RDB data");
    return n;
  }

  lengthBig(): bigint {
    const n = this.lengthOrEncoding();
    if (typeof n === "number" && n < 0) throw new RdbError("Bad length in RDB data");
    return BigInt(n);
  }

  /** An RDB string as a byte string. */
  string(): string {
    const n = this.lengthOrEncoding();
    if (typeof n === "bigint") throw new RdbError("String too long in RDB data");
    if (n >= 0) return this.latin1(n);
    if (-1 - n === RdbEnc.LZF) return this.lzf().toString("latin1");
    return String(this.encodedInt(-1 - n));
  }

  /** An RDB string as bytes (listpack, ziplist and intset blobs). */
  blob(): Buffer {
    const n = this.lengthOrEncoding();
    if (typeof n === "bigint") throw new RdbError("String too long in RDB data");
    if (n >= 0) return this.bytes(n);
    if (-1 - n === RdbEnc.LZF) return this.lzf();
    return Buffer.from(String(this.encodedInt(-1 - n)), "latin1");
  }

  /** An integer-encoded string's value. */
  private encodedInt(enc: number): number {
    const size = enc === RdbEnc.INT8 ? 1 : enc === RdbEnc.INT16 ? 2 : enc === RdbEnc.INT32 ? 4 : 0;
    if (size === 0) throw new RdbError(`Unknown RDB string encoding type ${enc}`);
    this.ensure(size);
    const v = this.buf.readIntLE(this.pos, size);
    this.pos += size;
    return v;
  }

  private lzf(): Buffer {
    const clen = this.length();
    const len = this.length();
    const out = lzfDecompress(this.bytes(clen), len);
    if (out === null) throw new RdbError("Invalid LZF compressed string");
    return out;
  }

  /** A binary double (ZSET_2). */
  double(): number {
    this.ensure(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  /** A double as old RDBs store it: a length byte (253 nan, 254 inf, 255 -inf) and ASCII. */
  stringDouble(): number {
    const n = this.byte();
    if (n === 253) return NaN;
    if (n === 254) return Infinity;
    if (n === 255) return -Infinity;
    return Number(this.latin1(n));
  }

  /** At the EOF opcode: compares the stored CRC64 with the bytes read (0 = not computed). */
  checkCrc(): void {
    this.crc.update(this.buf, this.crcFrom, this.pos);
    this.crcFrom = this.pos;
    this.ensure(8);
    const stored = this.buf.readBigUInt64LE(this.pos);
    if (stored !== 0n && !this.crc.matches(this.buf, this.pos)) throw new RdbError("Wrong RDB checksum");
    this.pos += 8;
    this.crcFrom = this.pos;
  }
}

export interface LoadedValue {
  type: ValueType;
  value: unknown;
}

/** A RedisJSON document (module "ReJSON-RL", encoding version 3: one string field with the JSON text). */
function readJsonModule(input: RdbInput): JsonDoc {
  const id = input.lengthBig();
  if (moduleName(id) !== moduleName(REJSON_MODULE_ID)) {
    throw new RdbError(`The RDB file contains module data (module id ${id}) that Restash cannot load`);
  }
  if (id !== REJSON_MODULE_ID) throw new RdbError(`RedisJSON encoding version ${id & 1023n} is not supported (only 3)`);
  if (input.length() !== ModuleOpcode.STRING) throw new RdbError("Bad RedisJSON value in RDB data");
  const doc = new JsonDoc(parseJson(input.string()));
  if (input.length() !== ModuleOpcode.EOF) throw new RdbError("Bad RedisJSON value in RDB data");
  return doc;
}

/** Reads a value of RDB type `type`; null for an empty collection (Redis skips those). */
export function readValue(input: RdbInput, type: number, limits: LoadLimits): LoadedValue | null {
  switch (type) {
    case RdbType.STRING:
      return { type: "string", value: input.string() };
    case RdbType.MODULE_2:
      return { type: "ReJSON-RL", value: readJsonModule(input) };
    case RdbType.LIST: {
      const n = input.length();
      const list = new ListValue();
      for (let i = 0; i < n; i++) list.pushBack(input.string());
      return nonEmpty("list", list, list.length);
    }
    case RdbType.LIST_ZIPLIST: {
      const list = ListValue.from(decoded(readZiplist(input.blob())).map(elementString));
      return nonEmpty("list", list, list.length);
    }
    case RdbType.LIST_QUICKLIST:
    case RdbType.LIST_QUICKLIST_2:
      return readQuicklist(input, type === RdbType.LIST_QUICKLIST_2);
    case RdbType.SET:
    case RdbType.SET_INTSET:
    case RdbType.SET_LISTPACK: {
      let members: Iterable<string>;
      if (type === RdbType.SET) members = strings(input, input.length());
      else if (type === RdbType.SET_INTSET) members = decoded(readIntset(input.blob()));
      else members = decoded(readListpack(input.blob())).map(elementString);
      const set = SetValue.from(members, limits.maxIntset);
      return nonEmpty("set", set, set.size);
    }
    case RdbType.ZSET:
    case RdbType.ZSET_2: {
      const n = input.length();
      const z = new ZSetValue();
      for (let i = 0; i < n; i++) {
        const member = input.string();
        const score = type === RdbType.ZSET_2 ? input.double() : input.stringDouble();
        if (Number.isNaN(score)) throw new RdbError("Zset with NAN score detected");
        z.set(member, score, limits.zset);
      }
      return nonEmpty("zset", z, z.size);
    }
    case RdbType.ZSET_ZIPLIST:
    case RdbType.ZSET_LISTPACK: {
      const items = decoded(type === RdbType.ZSET_LISTPACK ? readListpack(input.blob()) : readZiplist(input.blob()));
      if (items.length % 2 !== 0) throw new RdbError("Zset listpack with odd length");
      const z = new ZSetValue();
      for (let i = 0; i < items.length; i += 2) z.set(elementString(items[i]), score(items[i + 1]), limits.zset);
      return nonEmpty("zset", z, z.size);
    }
    case RdbType.HASH: {
      const n = input.length();
      const hash = new HashValue();
      for (let i = 0; i < n; i++) hash.set(input.string(), input.string(), limits.hash);
      return nonEmpty("hash", hash, hash.size);
    }
    case RdbType.HASH_ZIPLIST:
    case RdbType.HASH_LISTPACK: {
      const items = decoded(type === RdbType.HASH_LISTPACK ? readListpack(input.blob()) : readZiplist(input.blob()));
      if (items.length % 2 !== 0) throw new RdbError("Hash listpack with odd length");
      const hash = new HashValue();
      for (let i = 0; i < items.length; i += 2) hash.set(elementString(items[i]), elementString(items[i + 1]), limits.hash);
      return nonEmpty("hash", hash, hash.size);
    }
    case RdbType.HASH_METADATA:
    case RdbType.HASH_METADATA_PRE_GA:
      return readHashMetadata(input, type === RdbType.HASH_METADATA, limits);
    case RdbType.HASH_LISTPACK_EX:
    case RdbType.HASH_LISTPACK_EX_PRE_GA: {
      if (type === RdbType.HASH_LISTPACK_EX) input.i64le(); // the earliest field expiry, which the fields give again
      const items = decoded(readListpack(input.blob()));
      if (items.length % 3 !== 0) throw new RdbError("Hash listpack-ex with a partial field");
      const hash = new HashValue();
      for (let i = 0; i < items.length; i += 3) {
        const field = elementString(items[i]);
        hash.set(field, elementString(items[i + 1]), limits.hash);
        hash.setFieldTtl(field, fieldExpiry(elementInt(items[i + 2])));
      }
      return nonEmpty("hash", hash, hash.size);
    }
    case RdbType.STREAM_LISTPACKS:
    case RdbType.STREAM_LISTPACKS_2:
    case RdbType.STREAM_LISTPACKS_3:
      return { type: "stream", value: readStream(input, type === RdbType.STREAM_LISTPACKS ? 1 : type === RdbType.STREAM_LISTPACKS_2 ? 2 : 3) };
  }
  if (type === 6 || type === 7) throw new RdbError("Module values are not supported");
  throw new RdbError(`Unknown RDB encoding type ${type}`);
}

/** A field expiry read from a hash with field TTLs (ms, 0 = none), checked as Redis does. */
function fieldExpiry(at: bigint | number | null): number {
  if (at === null || at < 0 || at > MAX_FIELD_EXPIRY) throw new RdbError(`invalid expireAt time: ${at}`);
  return Number(at);
}

/**
 * A hash with field TTLs in the metadata layout: (Redis 7.4) its earliest field expiry, then the
 * field count and per field its TTL, name and value. A TTL is relative to the earliest expiry plus
 * one; in the layout of the 7.4 release candidates (no earliest expiry) it is absolute. 0 = none.
 */
function readHashMetadata(input: RdbInput, relative: boolean, limits: LoadLimits): LoadedValue | null {
  const minExpire = relative ? input.i64le() : 0;
  const n = input.length();
  const hash = new HashValue();
  for (let i = 0; i < n; i++) {
    const ttl = input.length();
    const at = ttl === 0 ? 0 : relative ? fieldExpiry(ttl + minExpire - 1) : fieldExpiry(ttl);
    const field = input.string();
    hash.set(field, input.string(), limits.hash);
    hash.setFieldTtl(field, at);
  }
  return nonEmpty("hash", hash, hash.size);
}

/**
 * Drops the fields of a loaded hash whose TTL passed by t, as a load does outside an AOF (whose
 * later commands may still expect them). Returns true when no field is left: the key is gone.
 */
export function dropExpiredFields(loaded: LoadedValue, t: number): boolean {
  if (loaded.type !== "hash") return false;
  const hash = loaded.value as HashValue;
  if (!hash.hasFieldTtls) return false;
  hash.removeExpired(t, Infinity);
  return hash.size === 0;
}

function nonEmpty(type: ValueType, value: unknown, size: number): LoadedValue | null {
  return size === 0 ? null : { type, value };
}

function decoded<T>(items: T[] | null): T[] {
  if (items === null) throw new RdbError("Corrupt encoded value in RDB data");
  return items;
}

function* strings(input: RdbInput, n: number): IterableIterator<string> {
  for (let i = 0; i < n; i++) yield input.string();
}

function score(e: Element): number {
  const d = typeof e === "string" ? Number(e === "inf" || e === "+inf" ? Infinity : e === "-inf" ? -Infinity : e) : Number(e);
  if (Number.isNaN(d)) throw new RdbError("Zset with NAN score detected");
  return d;
}

function readQuicklist(input: RdbInput, v2: boolean): LoadedValue | null {
  const nodes = input.length();
  const list = new ListValue();
  for (let i = 0; i < nodes; i++) {
    const container = v2 ? input.length() : 2;
    const blob = input.blob();
    if (container === QUICKLIST_PLAIN) {
      list.pushBack(blob.toString("latin1"));
      continue;
    }
    for (const e of decoded(v2 ? readListpack(blob) : readZiplist(blob))) list.pushBack(elementString(e));
  }
  return nonEmpty("list", list, list.length);
}

function readStreamId(input: RdbInput): StreamId {
  return makeId(input.lengthBig(), input.lengthBig());
}

function int(e: Element | undefined): bigint {
  const v = e === undefined ? null : elementInt(e);
  if (v === null) throw new RdbError("Corrupt stream listpack");
  return v;
}

/** version 1: Redis 5-6 (no first ID, max deleted ID, entries added), 2: Redis 7.0, 3: Redis 7.2+ (consumer active time). */
function readStream(input: RdbInput, version: number): Stream {
  const stream = new Stream();
  const nodes = input.length();
  for (let n = 0; n < nodes; n++) {
    const keyBlob = input.blob();
    if (keyBlob.length !== 16) throw new RdbError("Stream node key entry is not the size of a stream ID");
    const master = makeId(keyBlob.readBigUInt64BE(0), keyBlob.readBigUInt64BE(8));
    const lp = decoded(readListpack(input.blob()));
    if (lp.length === 0 || int(lp[0]) === 0n) throw new RdbError("Empty listpack inside stream");
    let p = 2;
    const fieldCount = Number(int(lp[p++]));
    const masterFields = lp.slice(p, p + fieldCount).map(elementString);
    p += fieldCount + 1; // the master entry's terminating 0
    const ids: StreamId[] = [];
    const items: (string[] | null)[] = [];
    const deleted: boolean[] = [];
    while (p < lp.length) {
      const flags = Number(int(lp[p++]));
      const ms = BigInt.asUintN(64, (master >> 64n) + int(lp[p++]));
      const seq = BigInt.asUintN(64, (master & 0xffffffffffffffffn) + int(lp[p++]));
      const pairs: string[] = [];
      if (flags & STREAM_ITEM_SAMEFIELDS) {
        for (let k = 0; k < fieldCount; k++) pairs.push(masterFields[k], elementString(lp[p++]));
      } else {
        const count = Number(int(lp[p++]));
        for (let k = 0; k < count * 2; k++) pairs.push(elementString(lp[p++]));
      }
      p++; // lp-count
      if (p > lp.length) throw new RdbError("Corrupt stream listpack");
      ids.push(makeId(ms, seq));
      items.push(pairs);
      deleted.push((flags & STREAM_ITEM_DELETED) !== 0);
    }
    stream.restoreNode(masterFields, ids, items, deleted);
  }
  stream.length = input.length();
  stream.lastId = readStreamId(input);
  if (version >= 2) {
    stream.firstId = readStreamId(input);
    stream.maxDeletedId = readStreamId(input);
    stream.entriesAdded = input.lengthBig();
  } else {
    stream.firstId = stream.edgeId(false) ?? 0n;
    stream.entriesAdded = BigInt(stream.length);
  }
  const groups = input.length();
  for (let g = 0; g < groups; g++) {
    const name = input.string();
    const lastId = readStreamId(input);
    let entriesRead = UNKNOWN_READS;
    if (version >= 2) {
      const saved = input.lengthBig();
      entriesRead = saved === UNKNOWN_READS_SAVED ? UNKNOWN_READS : saved;
    } else entriesRead = stream.entriesUpTo(lastId);
    const group = new ConsumerGroup(lastId, entriesRead);
    const pelSize = input.length();
    const unowned = new Map<StreamId, { time: number; count: number }>();
    for (let i = 0; i < pelSize; i++) {
      const id = input.rawId();
      const time = input.i64le();
      unowned.set(id, { time, count: input.length() });
    }
    const consumers = input.length();
    for (let c = 0; c < consumers; c++) {
      const consumerName = input.string();
      const seen = input.i64le();
      const consumer = group.createConsumer(consumerName, seen);
      if (consumer === null) throw new RdbError("Duplicated consumer name in stream group");
      // Files before Redis 7.2 have no active time: the seen time is the best estimate (as Redis does).
      consumer.activeTime = version >= 3 ? input.i64le() : seen;
      const owned = input.length();
      for (let i = 0; i < owned; i++) {
        const id = input.rawId();
        const raw = unowned.get(id);
        if (raw === undefined) throw new RdbError("Consumer PEL entry not found in group global PEL");
        unowned.delete(id);
        const pending: PendingEntry = { consumer, deliveryTime: raw.time, deliveryCount: raw.count };
        group.pel.set(id, pending);
        consumer.pel.set(id, pending);
      }
    }
    if (unowned.size > 0) throw new RdbError("Stream group PEL entry without a consumer");
    if (stream.groups.has(name)) throw new RdbError("Duplicated consumer group name");
    stream.groups.set(name, group);
  }
  return stream;
}

/** What a file holds besides keys, and where keys go. */
export interface RdbVisitor {
  aux?(name: string, value: string): void;
  functionLibrary?(code: string): void;
  /** RESIZEDB: how many keys database db holds (a sizing hint). */
  resizeDb?(db: number, keys: number): void;
  /** A key read from database db; expireAt 0 = none; idle (s) / freq when the file has them (else -1). */
  key(db: number, key: string, loaded: LoadedValue, expireAt: number, idle: number, freq: number): void;
}

/** One thing read from an RDB stream. The same object is yielded again with new contents: copy what you keep. */
export interface RdbItem {
  kind: "aux" | "function" | "key" | "resize";
  /** aux: the field name; key: the key. */
  name: string;
  /** aux: the value; function: the library code. */
  text: string;
  db: number;
  /** resize: the number of keys the database holds. */
  size: number;
  loaded: LoadedValue | null;
  expireAt: number;
  idle: number;
  freq: number;
}

/**
 * Reads a whole RDB (file or AOF preamble) item by item: header, opcodes, keys, EOF and checksum.
 * Returns the RDB version. A generator, so importers can pause between keys.
 */
export function* rdbItems(input: RdbInput, limits: LoadLimits): Generator<RdbItem, number, void> {
  const magic = input.bytes(9).toString("latin1");
  if (!magic.startsWith("REDIS")) throw new RdbError("Wrong signature trying to load DB from file");
  const version = Number(magic.slice(5));
  if (!Number.isInteger(version) || version < 1 || version > RDB_MAX_READ_VERSION) {
    throw new RdbError(`Can't handle RDB format version ${magic.slice(5)}`);
  }
  const item: RdbItem = { kind: "key", name: "", text: "", db: 0, size: 0, loaded: null, expireAt: 0, idle: -1, freq: -1 };
  for (;;) {
    const type = input.byte();
    switch (type) {
      case RdbOpcode.EXPIRETIME:
        item.expireAt = input.u32le() * 1000;
        continue;
      case RdbOpcode.EXPIRETIME_MS:
        item.expireAt = input.i64le();
        continue;
      case RdbOpcode.IDLE:
        item.idle = input.length();
        continue;
      case RdbOpcode.FREQ:
        item.freq = input.byte();
        continue;
      case RdbOpcode.SELECTDB:
        item.db = input.length();
        continue;
      case RdbOpcode.RESIZEDB:
        item.kind = "resize";
        item.size = input.length();
        input.length(); // keys with an expiry
        yield item;
        continue;
      case RdbOpcode.AUX:
        item.kind = "aux";
        item.name = input.string();
        item.text = input.string();
        yield item;
        continue;
      case RdbOpcode.FUNCTION2:
        item.kind = "function";
        item.text = input.string();
        yield item;
        continue;
      case RdbOpcode.FUNCTION_PRE_GA:
        throw new RdbError("Pre-release function format not supported");
      case RdbOpcode.MODULE_AUX:
        throw new RdbError("Module auxiliary data is not supported");
      case RdbOpcode.EOF:
        if (version >= 5) input.checkCrc();
        return version;
    }
    item.kind = "key";
    item.name = input.string();
    item.loaded = readValue(input, type, limits);
    if (item.loaded !== null) yield item;
    item.expireAt = 0;
    item.idle = -1;
    item.freq = -1;
  }
}

/** Reads a whole RDB, handing each item to the visitor. Returns the RDB version. */
export function readRdb(input: RdbInput, limits: LoadLimits, visitor: RdbVisitor): number {
  const items = rdbItems(input, limits);
  for (;;) {
    const next = items.next();
    if (next.done) return next.value;
    const item = next.value;
    if (item.kind === "key") visitor.key(item.db, item.name, item.loaded!, item.expireAt, item.idle, item.freq);
    else if (item.kind === "aux") visitor.aux?.(item.name, item.text);
    else if (item.kind === "resize") visitor.resizeDb?.(item.db, item.size);
    else visitor.functionLibrary?.(item.text);
  }
}
