// CRC-64/Jones as Redis computes it (reflected polynomial 0x95ac9329ac4bc9b5, init 0, no final
// xor): the checksum at the end of RDB files and of DUMP payloads. The 64-bit CRC is kept as two
// uint32 halves and bytes are folded eight at a time (slicing-by-8), so no BigInt on the hot path.

const POLY_HI = 0x95ac9329;
const POLY_LO = 0xac4bc9b5;

/** TABLES_HI[k * 256 + b] / TABLES_LO[...]: the CRC of byte b followed by k zero bytes. */
const TABLES_HI = new Uint32Array(8 * 256);
const TABLES_LO = new Uint32Array(8 * 256);

for (let b = 0; b < 256; b++) {
  let hi = 0;
  let lo = b;
  for (let i = 0; i < 8; i++) {
    const odd = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (odd) {
      hi = (hi ^ POLY_HI) >>> 0;
      lo = (lo ^ POLY_LO) >>> 0;
    }
  }
  TABLES_HI[b] = hi;
  TABLES_LO[b] = lo;
}
for (let k = 1; k < 8; k++) {
  for (let b = 0; b < 256; b++) {
    const hi = TABLES_HI[(k - 1) * 256 + b];
    const lo = TABLES_LO[(k - 1) * 256 + b];
    const i = lo & 0xff;
    TABLES_HI[k * 256 + b] = (hi >>> 8) ^ TABLES_HI[i];
    TABLES_LO[k * 256 + b] = (((lo >>> 8) | ((hi & 0xff) << 24)) ^ TABLES_LO[i]) >>> 0;
  }
}

/** A running CRC64 over a sequence of byte chunks. */
export class Crc64 {
  private hi = 0;
  private lo = 0;

  update(data: Uint8Array, start = 0, end = data.length): this {
    let hi = this.hi;
    let lo = this.lo;
    let i = start;
    const T_HI = TABLES_HI;
    const T_LO = TABLES_LO;
    for (; i + 8 <= end; i += 8) {
      const a = (lo ^ (data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24))) >>> 0;
      const b = (hi ^ (data[i + 4] | (data[i + 5] << 8) | (data[i + 6] << 16) | (data[i + 7] << 24))) >>> 0;
      const i7 = 7 * 256 + (a & 0xff);
      const i6 = 6 * 256 + ((a >>> 8) & 0xff);
      const i5 = 5 * 256 + ((a >>> 16) & 0xff);
      const i4 = 4 * 256 + (a >>> 24);
      const i3 = 3 * 256 + (b & 0xff);
      const i2 = 2 * 256 + ((b >>> 8) & 0xff);
      const i1 = 256 + ((b >>> 16) & 0xff);
      const i0 = b >>> 24;
      hi = T_HI[i7] ^ T_HI[i6] ^ T_HI[i5] ^ T_HI[i4] ^ T_HI[i3] ^ T_HI[i2] ^ T_HI[i1] ^ T_HI[i0];
      lo = T_LO[i7] ^ T_LO[i6] ^ T_LO[i5] ^ T_LO[i4] ^ T_LO[i3] ^ T_LO[i2] ^ T_LO[i1] ^ T_LO[i0];
    }
    for (; i < end; i++) {
      const idx = (lo ^ data[i]) & 0xff;
      lo = ((lo >>> 8) | ((hi & 0xff) << 24)) ^ T_LO[idx];
      hi = (hi >>> 8) ^ T_HI[idx];
    }
    this.hi = hi >>> 0;
    this.lo = lo >>> 0;
    return this;
  }

  /** The CRC as the 8 little-endian bytes Redis writes after the data. */
  bytes(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32LE(this.lo, 0);
    out.writeUInt32LE(this.hi, 4);
    return out;
  }

  /** True when the CRC equals the 8 little-endian bytes at data[at..at+8). */
  matches(data: Uint8Array, at: number): boolean {
    const lo = (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24)) >>> 0;
    const hi = (data[at + 4] | (data[at + 5] << 8) | (data[at + 6] << 16) | (data[at + 7] << 24)) >>> 0;
    return lo === this.lo && hi === this.hi;
  }
}

/** CRC64 of one buffer. */
export function crc64(data: Uint8Array, start = 0, end = data.length): Crc64 {
  return new Crc64().update(data, start, end);
}
