// The compact encodings Redis stores inside RDB string blobs: listpack (Redis 7.0's small
// hashes and sorted sets, list quicklist nodes, stream nodes), ziplist and intset. Listpacks and
// intsets are written and read; ziplists (RDBs of Redis < 7.0) are only read.
// A decoded element is a byte string, or a number / bigint when it was stored as an integer.

import { isInt64 } from "../commands/args.js";

export type Element = string | number | bigint;

type Latin1Slicer = { latin1Slice(start: number, end: number): string };

/** Bytes [start, end) of buf as a byte string (Buffer's latin1Slice: toString without its encoding dispatch). */
export function latin1(buf: Buffer, start: number, end: number): string {
  return (buf as unknown as Latin1Slicer).latin1Slice(start, end);
}

/** An element as a byte string (integers in decimal). */
export function elementString(e: Element): string {
  return typeof e === "string" ? e : String(e);
}

/** An element as an integer (strings must hold one); null when it is not one. */
export function elementInt(e: Element): bigint | null {
  if (typeof e === "number") return BigInt(e);
  if (typeof e === "bigint") return e;
  return isInt64(e) ? BigInt(e) : null;
}

/** s as an integer if Redis would store it as one (a canonical int64), else null. */
export function integerValue(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  const c = s.charCodeAt(0);
  if ((c < 48 || c > 57) && c !== 45) return null;
  if (!isInt64(s)) return null;
  return n < 16 ? Number(s) : BigInt(s);
}

// ---- Listpack ----------------------------------------------------------------------------------

const LP_HEADER = 6;
const LP_EOF = 0xff;

/** Bytes of the backlen that follows an entry of l bytes (encoding + data). */
function backlenSize(l: number): number {
  return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
}

/** Builds listpacks in a reusable scratch buffer. */
export class ListpackBuilder {
  private buf = Buffer.allocUnsafe(1024);
  private pos = LP_HEADER;
  count = 0;

  /** Bytes the listpack would take if finished now. */
  get size(): number {
    return this.pos + 1;
  }

  reset(): void {
    this.pos = LP_HEADER;
    this.count = 0;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n + 1024));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Adds a byte string; canonical integers are stored as integers, as Redis's lpAppend does. */
  addString(s: string): void {
    const int = integerValue(s);
    if (int !== null) return this.addInt(int);
    const n = s.length;
    this.ensure(n + 10);
    const buf = this.buf;
    let p = this.pos;
    let header: number;
    if (n < 64) {
      buf[p++] = 0x80 | n;
      header = 1;
    } else if (n < 4096) {
      buf[p++] = 0xe0 | (n >> 8);
      buf[p++] = n & 0xff;
      header = 2;
    } else {
      buf[p++] = 0xf0;
      buf.writeUInt32LE(n, p);
      p += 4;
      header = 5;
    }
    if (n > 0) buf.write(s, p, n, "latin1");
    p += n;
    this.pos = this.writeBacklen(p, header + n);
    this.count++;
  }

  /** Adds an integer with the smallest encoding that holds it. */
  addInt(v: number | bigint): void {
    this.ensure(16);
    const buf = this.buf;
    let p = this.pos;
    const start = p;
    if (typeof v === "bigint" && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) v = Number(v);
    if (typeof v === "bigint") {
      buf[p++] = 0xf4;
      buf.writeBigInt64LE(v, p);
      p += 8;
    } else if (v >= 0 && v <= 127) {
      buf[p++] = v;
    } else if (v >= -4096 && v <= 4095) {
      const u = v < 0 ? (1 << 13) + v : v;
      buf[p++] = 0xc0 | (u >> 8);
      buf[p++] = u & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      buf[p++] = 0xf1;
      buf.writeInt16LE(v, p);
      p += 2;
    } else if (v >= -8388608 && v <= 8388607) {
      buf[p++] = 0xf2;
      buf.writeIntLE(v, p, 3);
      p += 3;
    } else if (v >= -2147483648 && v <= 2147483647) {
      buf[p++] = 0xf3;
      buf.writeInt32LE(v, p);
      p += 4;
    } else {
      buf[p++] = 0xf4;
      buf.writeBigInt64LE(BigInt(v), p);
      p += 8;
    }
    this.pos = this.writeBacklen(p, p - start);
    this.count++;
  }

  private writeBacklen(p: number, l: number): number {
    const buf = this.buf;
    switch (backlenSize(l)) {
      case 1:
        buf[p++] = l;
        break;
      case 2:
        buf[p++] = l >> 7;
        buf[p++] = (l & 127) | 128;
        break;
      case 3:
        buf[p++] = l >> 14;
        buf[p++] = ((l >> 7) & 127) | 128;
        buf[p++] = (l & 127) | 128;
        break;
      case 4:
        buf[p++] = l >> 21;
        buf[p++] = ((l >> 14) & 127) | 128;
        buf[p++] = ((l >> 7) & 127) | 128;
        buf[p++] = (l & 127) | 128;
        break;
      default:
        buf[p++] = Math.floor(l / 2 ** 28);
        buf[p++] = ((l >> 21) & 127) | 128;
        buf[p++] = ((l >> 14) & 127) | 128;
        buf[p++] = ((l >> 7) & 127) | 128;
        buf[p++] = (l & 127) | 128;
    }
    return p;
  }

  /** The finished listpack: a view of the scratch buffer, valid until the next reset. */
  finish(): Buffer {
    this.ensure(1);
    this.buf[this.pos] = LP_EOF;
    const total = this.pos + 1;
    this.buf.writeUInt32LE(total, 0);
    this.buf.writeUInt16LE(this.count < 65535 ? this.count : 65535, 4);
    return this.buf.subarray(0, total);
  }
}

/** The elements of a listpack blob; null when it is malformed. */
export function readListpack(lp: Buffer): Element[] | null {
  if (lp.length < LP_HEADER + 1 || lp.readUInt32LE(0) !== lp.length || lp[lp.length - 1] !== LP_EOF) return null;
  const out: Element[] = [];
  const end = lp.length - 1;
  let p = LP_HEADER;
  while (p < end) {
    const b = lp[p];
    let len: number;
    if (b < 0x80) {
      out.push(b);
      len = 1;
    } else if (b < 0xc0) {
      const n = b & 0x3f;
      if (p + 1 + n > end) return null;
      out.push(latin1(lp, p + 1, p + 1 + n));
      len = 1 + n;
    } else if (b < 0xe0) {
      if (p + 2 > end) return null;
      const u = ((b & 0x1f) << 8) | lp[p + 1];
      out.push(u >= 4096 ? u - 8192 : u);
      len = 2;
    } else if (b < 0xf0) {
      if (p + 2 > end) return null;
      const n = ((b & 0x0f) << 8) | lp[p + 1];
      if (p + 2 + n > end) return null;
      out.push(latin1(lp, p + 2, p + 2 + n));
      len = 2 + n;
    } else if (b === 0xf0) {
      if (p + 5 > end) return null;
      const n = lp.readUInt32LE(p + 1);
      if (p + 5 + n > end) return null;
      out.push(latin1(lp, p + 5, p + 5 + n));
      len = 5 + n;
    } else if (b === 0xf1) {
      if (p + 3 > end) return null;
      out.push(lp.readInt16LE(p + 1));
      len = 3;
    } else if (b === 0xf2) {
      if (p + 4 > end) return null;
      out.push(lp.readIntLE(p + 1, 3));
      len = 4;
    } else if (b === 0xf3) {
      if (p + 5 > end) return null;
      out.push(lp.readInt32LE(p + 1));
      len = 5;
    } else if (b === 0xf4) {
      if (p + 9 > end) return null;
      const v = lp.readBigInt64LE(p + 1);
      out.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
      len = 9;
    } else return null;
    p += len + backlenSize(len);
  }
  return p === end ? out : null;
}

// ---- Ziplist (read only) -----------------------------------------------------------------------

/** The elements of a ziplist blob; null when it is malformed. */
export function readZiplist(zl: Buffer): Element[] | null {
  if (zl.length < 11 || zl.readUInt32LE(0) !== zl.length || zl[zl.length - 1] !== 0xff) return null;
  const out: Element[] = [];
  const end = zl.length - 1;
  let p = 10;
  while (p < end) {
    p += zl[p] === 0xfe ? 5 : 1; // previous entry length
    if (p >= end) return null;
    const b = zl[p];
    const kind = b >> 6;
    if (kind === 0 || kind === 1 || kind === 2) {
      let n: number;
      if (kind === 0) {
        n = b & 0x3f;
        p += 1;
      } else if (kind === 1) {
        n = ((b & 0x3f) << 8) | zl[p + 1];
        p += 2;
      } else {
        n = zl.readUInt32BE(p + 1);
        p += 5;
      }
      if (p + n > end) return null;
      out.push(latin1(zl, p, p + n));
      p += n;
      continue;
    }
    p++;
    if (b === 0xc0) {
      out.push(zl.readInt16LE(p));
      p += 2;
    } else if (b === 0xd0) {
      out.push(zl.readInt32LE(p));
      p += 4;
    } else if (b === 0xe0) {
      const v = zl.readBigInt64LE(p);
      out.push(v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
      p += 8;
    } else if (b === 0xf0) {
      out.push(zl.readIntLE(p, 3));
      p += 3;
    } else if (b === 0xfe) {
      out.push(zl.readInt8(p));
      p += 1;
    } else if (b >= 0xf1 && b <= 0xfd) {
      out.push((b & 0x0f) - 1);
    } else return null;
    if (p > end) return null;
  }
  return out;
}

// ---- Intset ------------------------------------------------------------------------------------

/** The members of an intset blob as decimal strings; null when it is malformed. */
export function readIntset(blob: Buffer): string[] | null {
  if (blob.length < 8) return null;
  const width = blob.readUInt32LE(0);
  const count = blob.readUInt32LE(4);
  if ((width !== 2 && width !== 4 && width !== 8) || blob.length !== 8 + width * count) return null;
  const out = new Array<string>(count);
  for (let i = 0, p = 8; i < count; i++, p += width) {
    out[i] = String(width === 2 ? blob.readInt16LE(p) : width === 4 ? blob.readInt32LE(p) : blob.readBigInt64LE(p));
  }
  return out;
}

/** An intset blob of integer members (canonical int64 strings), sorted as Redis keeps them. */
export function writeIntset(members: Iterable<string>): Buffer {
  const values: bigint[] = [];
  for (const m of members) values.push(BigInt(m));
  values.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of values) {
    if (v < -2147483648n || v > 2147483647n) width = 8;
    else if (width < 4 && (v < -32768n || v > 32767n)) width = 4;
  }
  const blob = Buffer.allocUnsafe(8 + width * values.length);
  blob.writeUInt32LE(width, 0);
  blob.writeUInt32LE(values.length, 4);
  let p = 8;
  for (const v of values) {
    if (width === 2) blob.writeInt16LE(Number(v), p);
    else if (width === 4) blob.writeInt32LE(Number(v), p);
    else blob.writeBigInt64LE(v, p);
    p += width;
  }
  return blob;
}
