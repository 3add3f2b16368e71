// DUMP payloads: one value in RDB encoding, then the RDB version (2 bytes) and a CRC64 (8 bytes),
// all little-endian, as Redis's DUMP produces and RESTORE checks, so payloads move freely between
// Restash and redis-server. The version is Redis 7.0's unless the value needs a Redis 7.4 type
// (a hash with field TTLs); payloads up to Redis 7.4's version are accepted.

import type { Config } from "../config.js";
import type { ValueType } from "../engine/database.js";
import { crc64 } from "./crc64.js";
import { RDB_MAX_READ_VERSION, RdbError, versionOfType } from "./rdb-format.js";
import { loadLimits, RdbInput, readValue, type LoadedValue } from "./rdb-reader.js";
import { RdbOutput, rdbTypeOf, saveOptions } from "./rdb-writer.js";

/** The DUMP payload of a value (an entry, or a value read from a file). */
export function dumpPayload(entry: { type: ValueType; value: unknown }, config: Config, packedThreshold: number): Buffer {
  const out = new RdbOutput(saveOptions(config, packedThreshold), 256);
  const type = rdbTypeOf(entry.type, entry.value);
  out.byte(type);
  out.value(type, entry.value);
  out.ensure(2);
  out.buf.writeUInt16LE(versionOfType(type), out.pos);
  out.pos += 2;
  const body = out.drain();
  return Buffer.concat([body, out.crc.bytes()]);
}

/** Whether a payload has a version this server reads and a correct checksum. */
export function verifyPayload(payload: Buffer): boolean {
  if (payload.length < 10) return false;
  const footer = payload.length - 10;
  if (payload.readUInt16LE(footer) > RDB_MAX_READ_VERSION) return false;
  return crc64(payload, 0, payload.length - 8).matches(payload, payload.length - 8);
}

/** The value of a verified payload; throws RdbError when it is malformed. */
export function readPayload(payload: Buffer, config: Config): LoadedValue {
  const input = new RdbInput(payload.subarray(0, payload.length - 10));
  const loaded = readValue(input, input.byte(), loadLimits(config));
  if (loaded === null) throw new RdbError("empty value");
  return loaded;
}

/**
 * The RESTORE command that stores a value under key: ttl in ms (0 = none), absolute (ABSTTL) or
 * relative; REPLACE when asked. How `restash import` and the REST import store records.
 */
export function restoreCommand(key: string, value: { type: ValueType; value: unknown }, ttl: number, absolute: boolean, replace: boolean, config: Config): string[] {
  const argv = ["RESTORE", key, String(ttl), dumpPayload(value, config, 1 << 30).toString("latin1")];
  if (absolute && ttl !== 0) argv.push("ABSTTL");
  if (replace) argv.push("REPLACE");
  return argv;
}
