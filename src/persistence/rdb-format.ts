// Constants of Redis's RDB format as Redis 7.0 writes it (RDB version 10), plus the value types
// later versions added: the reader accepts them all, the writer uses Redis 7.4's hash types for
// hashes with field TTLs (which Redis 7.0's format cannot hold).

/** The version written when no value needs a newer one, so redis-server 7.0 loads the file or payload. */
export const RDB_VERSION = 10;
/** Redis 7.4's version: written when a value has a type it introduced (hashes with field TTLs). */
export const RDB_VERSION_7_4 = 12;
/** The newest file or payload version the reader accepts. */
export const RDB_MAX_READ_VERSION = RDB_VERSION_7_4;

export const RdbType = {
  STRING: 0,
  LIST: 1,
  SET: 2,
  ZSET: 3,
  HASH: 4,
  ZSET_2: 5,
  HASH_ZIPMAP: 9,
  LIST_ZIPLIST: 10,
  SET_INTSET: 11,
  ZSET_ZIPLIST: 12,
  HASH_ZIPLIST: 13,
  LIST_QUICKLIST: 14,
  STREAM_LISTPACKS: 15,
  HASH_LISTPACK: 16,
  ZSET_LISTPACK: 17,
  LIST_QUICKLIST_2: 18,
  STREAM_LISTPACKS_2: 19,
  SET_LISTPACK: 20,
  STREAM_LISTPACKS_3: 21,
  /** Redis 7.4 release candidates: hashes with field TTLs (absolute), no min-expire header. */
  HASH_METADATA_PRE_GA: 22,
  HASH_LISTPACK_EX_PRE_GA: 23,
  /** Redis 7.4: hashes with field TTLs, led by the hash's earliest field expiry. */
  HASH_METADATA: 24,
  HASH_LISTPACK_EX: 25,
  MODULE_2: 7,
} as const;

/** The RDB version a value of this type needs (a DUMP payload's version). */
export function versionOfType(type: number): number {
  return type >= RdbType.HASH_METADATA_PRE_GA ? RDB_VERSION_7_4 : RDB_VERSION;
}

/** A hash field's TTL inside a listpack-ex when it has none. */
export const HASH_LP_NO_TTL = 0;
/** The largest field expiry (ms) Redis accepts (EB_EXPIRE_TIME_MAX, 2^48 - 1). */
export const MAX_FIELD_EXPIRY = 2 ** 48 - 1;

/**
 * Module values (RDB_TYPE_MODULE_2): the module's 64-bit id (9 name characters in 6 bits each, then
 * a 10-bit encoding version), then typed fields each led by an opcode, then EOF. RedisJSON 2.x saves
 * a document as "ReJSON-RL" encoding version 3: one STRING field holding the JSON text.
 */
export const ModuleOpcode = { EOF: 0, STRING: 5 } as const;
export const REJSON_MODULE_ID = 0x45e25238df912c03n;
/** Module id without its encoding version (the low 10 bits). */
export const moduleName = (id: bigint): bigint => id >> 10n;

export const RdbOpcode = {
  FUNCTION2: 245,
  FUNCTION_PRE_GA: 246,
  MODULE_AUX: 247,
  IDLE: 248,
  FREQ: 249,
  AUX: 250,
  RESIZEDB: 251,
  EXPIRETIME_MS: 252,
  EXPIRETIME: 253,
  SELECTDB: 254,
  EOF: 255,
} as const;

/** Special string encodings (the low 6 bits after a 0b11 length prefix). */
export const RdbEnc = { INT8: 0, INT16: 1, INT32: 2, LZF: 3 } as const;

/** Quicklist node containers (LIST_QUICKLIST_2). */
export const QUICKLIST_PLAIN = 1;
export const QUICKLIST_PACKED = 2;

/** Stream listpack entry flags. */
export const STREAM_ITEM_DELETED = 1;
export const STREAM_ITEM_SAMEFIELDS = 2;

/** A stream group's entries-read when unknown, as saved (-1 as an unsigned 64-bit length). */
export const UNKNOWN_READS_SAVED = 0xffffffffffffffffn;

/** Errors reading an RDB file or DUMP payload. */
export class RdbError extends Error {}
