// The function library registry of one server (FUNCTION LOAD/LIST/DELETE/FLUSH/STATS, FCALL):
// libraries by name, functions by case-insensitive name across libraries, each function with its
// flags and the engine handle (registry ref) that runs it; the `#!lua name=...` metadata line;
// and the FUNCTION DUMP payload (RDB function records, RDB version, CRC64).

import { globMatch } from "../engine/glob.js";

/** A function registered by redis.register_function. */
export interface LibraryFunction {
  readonly name: string;
  readonly description: string | null;
  /** ScriptFlag bits (no-writes, allow-oom, ...). */
  readonly flags: number;
  /** Registry ref of the Lua function in the functions engine. */
  readonly handle: number;
  readonly library: Library;
}

export interface Library {
  readonly name: string;
  readonly engine: "LUA";
  /** The code as loaded, metadata line included (FUNCTION LIST WITHCODE, FUNCTION DUMP). */
  readonly code: string;
  readonly functions: Map<string, LibraryFunction>;
}

export class FunctionRegistry {
  readonly libraries = new Map<string, Library>();
  /** By lower-cased name: FCALL finds functions case-insensitively. */
  readonly functions = new Map<string, LibraryFunction>();

  get(name: string): LibraryFunction | undefined {
    return this.functions.get(name.toLowerCase());
  }

  add(library: Library): void {
    this.libraries.set(library.name, library);
    for (const fn of library.functions.values()) this.functions.set(fn.name.toLowerCase(), fn);
  }

  /** Removes a library and its functions; returns it, or undefined if it did not exist. */
  remove(name: string): Library | undefined {
    const library = this.libraries.get(name);
    if (!library) return undefined;
    this.libraries.delete(name);
    for (const fn of library.functions.keys()) this.functions.delete(fn.toLowerCase());
    return library;
  }

  /** The first function of `library` another registered library already defines, or null. */
  clash(library: Library): string | null {
    for (const name of library.functions.keys()) if (this.functions.has(name.toLowerCase())) return name;
    return null;
  }

  /** Removes every library; returns the removed ones. */
  flush(): Library[] {
    const all = [...this.libraries.values()];
    this.libraries.clear();
    this.functions.clear();
    return all;
  }

  /** Libraries in name order, optionally those whose name matches a glob (case-insensitive). */
  list(pattern?: string): Library[] {
    const out: Library[] = [];
    for (const name of [...this.libraries.keys()].sort()) {
      if (pattern === undefined || globMatch(pattern, name, true)) out.push(this.libraries.get(name)!);
    }
    return out;
  }
}

/** sdssplitargs: whitespace-separated words with "double" (escapes) and 'single' quoting; null if unbalanced. */
export function splitArgs(line: string): string[] | null {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) return out;
    let word = "";
    let quote: '"' | "'" | null = null;
    for (;;) {
      const c = line[i];
      if (quote === '"') {
        if (c === undefined) return null;
        if (c === "\\" && /^x[0-9a-fA-F]{2}$/.test(line.slice(i + 1, i + 4))) {
          word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
          continue;
        }
        if (c === "\\" && i + 1 < line.length) {
          const e = line[i + 1];
          word += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e === "b" ? "\b" : e === "a" ? "\x07" : e;
          i += 2;
          continue;
        }
        if (c === '"') {
          if (i + 1 < line.length && !/\s/.test(line[i + 1])) return null;
          i++;
          break;
        }
        word += c;
        i++;
      } else if (quote === "'") {
        if (c === undefined) return null;
        if (c === "\\" && line[i + 1] === "'") {
          word += "'";
          i += 2;
          continue;
        }
        if (c === "'") {
          if (i + 1 < line.length && !/\s/.test(line[i + 1])) return null;
          i++;
          break;
        }
        word += c;
        i++;
      } else {
        if (c === undefined || /\s/.test(c)) break;
        if (c === '"' || c === "'") quote = c;
        else word += c;
        i++;
      }
    }
    out.push(word);
  }
}

/** A library's metadata line: `#!<engine> name=<name>`; the rest is the code the engine runs. */
export interface LibraryMetadata {
  engine: string;
  name: string;
  /** The code after the metadata line, its newline kept so line numbers stay right. */
  body: string;
}

/** Parses the metadata line; returns the metadata or the error text (without "ERR "). */
export function libraryMetadata(code: string): LibraryMetadata | string {
  if (!code.startsWith("#!")) return "Missing library metadata";
  const end = code.indexOf("\n");
  if (end < 0) return "Invalid library metadata";
  const parts = splitArgs(code.slice(0, end));
  if (!parts || parts.length === 0) return "Invalid library metadata";
  let name: string | null = null;
  for (const part of parts.slice(1)) {
    if (part.slice(0, 5).toLowerCase() === "name=") {
      if (name !== null) return "Invalid metadata value, name argument was given multiple times";
      name = part.slice(5);
      continue;
    }
    return `Invalid metadata value given: ${part}`;
  }
  if (name === null) return "Library name was not given";
  return { engine: parts[0].slice(2), name, body: code.slice(end) };
}

// ---- FUNCTION DUMP payload ----------------------------------------------------------------------

const RDB_VERSION = 10;
const RDB_OPCODE_FUNCTION2 = 245;

const CRC64_TABLE: bigint[] = [];
for (let i = 0; i < 256; i++) {
  let crc = BigInt(i);
  for (let j = 0; j < 8; j++) crc = crc & 1n ? (crc >> 1n) ^ 0x95ac9329ac4bc9b5n : crc >> 1n;
  CRC64_TABLE.push(crc);
}

/** CRC-64/Jones as Redis computes it for DUMP payloads. */
export function crc64(data: string): bigint {
  let crc = 0n;
  for (let i = 0; i < data.length; i++) crc = CRC64_TABLE[Number((crc ^ BigInt(data.charCodeAt(i))) & 0xffn)] ^ (crc >> 8n);
  return crc;
}

function littleEndian(value: bigint, bytes: number): string {
  let out = "";
  for (let i = 0; i < bytes; i++) out += String.fromCharCode(Number((value >> BigInt(8 * i)) & 0xffn));
  return out;
}

function rdbLength(n: number): string {
  if (n < 64) return String.fromCharCode(n);
  if (n < 16384) return String.fromCharCode(0x40 | (n >> 8), n & 0xff);
  return "\x80" + String.fromCharCode((n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
}

/** FUNCTION DUMP: one FUNCTION2 record per library, then the RDB version and the CRC64. */
export function dumpLibraries(libraries: Library[]): string {
  let payload = "";
  for (const lib of libraries) payload += String.fromCharCode(RDB_OPCODE_FUNCTION2) + rdbLength(lib.code.length) + lib.code;
  payload += littleEndian(BigInt(RDB_VERSION), 2);
  return payload + littleEndian(crc64(payload), 8);
}

/** Reads the library codes of a FUNCTION DUMP payload; returns them or an error text (without "ERR "). */
export function parseDump(payload: string): string[] | { error: string } {
  const bad = { error: "DUMP payload version or checksum are wrong" };
  if (payload.length < 10) return bad;
  const footer = payload.length - 10;
  const version = payload.charCodeAt(footer) | (payload.charCodeAt(footer + 1) << 8);
  if (version > RDB_VERSION) return bad;
  if (littleEndian(crc64(payload.slice(0, payload.length - 8)), 8) !== payload.slice(payload.length - 8)) return bad;
  const reader = new RdbReader(payload, footer);
  const codes: string[] = [];
  while (reader.pos < footer) {
    const type = reader.byte();
    if (type === null) return { error: "can not read data type" };
    if (type !== RDB_OPCODE_FUNCTION2) return { error: type === 246 ? "Pre-GA function format not supported" : "given type is not a function" };
    const code = reader.string();
    if (code === null) return { error: "Failed loading library payload" };
    codes.push(code);
  }
  return codes;
}

/** Reads RDB-encoded lengths and strings (plain, integer-encoded or LZF-compressed). */
class RdbReader {
  pos = 0;
  constructor(
    readonly data: string,
    readonly end: number,
  ) {}

  byte(): number | null {
    return this.pos < this.end ? this.data.charCodeAt(this.pos++) : null;
  }

  private bytes(n: number): string | null {
    if (this.pos + n > this.end) return null;
    const s = this.data.slice(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** A length, or an encoding marker as { enc }. */
  private length(): number | { enc: number } | null {
    const first = this.byte();
    if (first === null) return null;
    const type = first >> 6;
    if (type === 0) return first & 0x3f;
    if (type === 1) {
      const next = this.byte();
      return next === null ? null : ((first & 0x3f) << 8) | next;
    }
    if (type === 3) return { enc: first & 0x3f };
    const size = first === 0x80 ? 4 : first === 0x81 ? 8 : 0;
    const raw = size ? this.bytes(size) : null;
    if (raw === null) return null;
    let n = 0;
    for (let i = 0; i < size; i++) n = n * 256 + raw.charCodeAt(i);
    return n;
  }

  string(): string | null {
    const len = this.length();
    if (len === null) return null;
    if (typeof len === "number") return this.bytes(len);
    if (len.enc <= 2) {
      const raw = this.bytes(1 << len.enc);
      if (raw === null) return null;
      let v = 0n;
      for (let i = raw.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(raw.charCodeAt(i));
      return BigInt.asIntN(8 << len.enc, v).toString();
    }
    if (len.enc !== 3) return null;
    const clen = this.length();
    const ulen = this.length();
    if (typeof clen !== "number" || typeof ulen !== "number") return null;
    const compressed = this.bytes(clen);
    return compressed === null ? null : lzfDecompress(compressed, ulen);
  }
}

/** LZF decompression (liblzf's format, used by RDB for strings). */
function lzfDecompress(input: string, outLen: number): string | null {
  const out: number[] = [];
  let ip = 0;
  while (ip < input.length) {
    const ctrl = input.charCodeAt(ip++);
    if (ctrl < 32) {
      if (ip + ctrl + 1 > input.length) return null;
      for (let i = 0; i <= ctrl; i++) out.push(input.charCodeAt(ip++));
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) len += input.charCodeAt(ip++);
    let ref = out.length - ((ctrl & 0x1f) << 8) - 1 - input.charCodeAt(ip++);
    if (ref < 0 || ip > input.length) return null;
    for (let i = 0; i < len + 2; i++) out.push(out[ref++]);
  }
  if (out.length !== outLen) return null;
  let s = "";
  for (let i = 0; i < out.length; i += 8192) s += String.fromCharCode(...out.slice(i, i + 8192));
  return s;
}
