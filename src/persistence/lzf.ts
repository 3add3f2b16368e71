// LZF, the compression Redis uses for RDB strings (rdbcompression): a byte-oriented LZ77 with
// literal runs of up to 32 bytes and back references of up to 264 bytes within 8 KB. Output need
// not match liblzf byte for byte; any valid stream decompresses the same everywhere.

const HASH_LOG = 14;
const MAX_LITERAL = 32;
const MAX_OFFSET = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

const table = new Int32Array(1 << HASH_LOG);

/**
 * Compresses input[0..n) into out; returns the compressed length, or 0 when the result would not
 * fit in out (the caller then stores the data uncompressed).
 */
export function lzfCompress(input: Uint8Array, out: Uint8Array): number {
  const n = input.length;
  const outEnd = out.length;
  if (n < 3) return 0;
  table.fill(-1);
  let ip = 0;
  let op = 1; // out[0] is reserved for the first literal run's length
  let lit = 0;
  while (ip < n - 2) {
    const h = (((input[ip] << 16) | (input[ip + 1] << 8) | input[ip + 2]) * 2654435761) >>> (32 - HASH_LOG);
    const ref = table[h];
    table[h] = ip;
    const off = ip - ref - 1;
    if (ref >= 0 && off < MAX_OFFSET && input[ref] === input[ip] && input[ref + 1] === input[ip + 1] && input[ref + 2] === input[ip + 2]) {
      let len = 3;
      const maxLen = Math.min(n - ip, MAX_REF);
      while (len < maxLen && input[ref + len] === input[ip + len]) len++;
      // Close the literal run (or take back its unused length byte), then write the reference.
      if (lit > 0) out[op - lit - 1] = lit - 1;
      else op--;
      if (op + 3 + 1 >= outEnd) return 0;
      const l = len - 2;
      if (l < 7) out[op++] = (off >> 8) + (l << 5);
      else {
        out[op++] = (off >> 8) + (7 << 5);
        out[op++] = l - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++;
      ip += len;
      continue;
    }
    if (op >= outEnd) return 0;
    out[op++] = input[ip++];
    if (++lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  while (ip < n) {
    if (op >= outEnd) return 0;
    out[op++] = input[ip++];
    if (++lit === MAX_LITERAL) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  if (lit > 0) out[op - lit - 1] = lit - 1;
  else op--;
  return op;
}

/** Decompresses input into a buffer of exactly outLength bytes; null when input is corrupt. */
export function lzfDecompress(input: Uint8Array, outLength: number): Buffer | null {
  const out = Buffer.allocUnsafe(outLength);
  let ip = 0;
  let op = 0;
  const n = input.length;
  while (ip < n) {
    const ctrl = input[ip++];
    if (ctrl < 32) {
      const run = ctrl + 1;
      if (op + run > outLength || ip + run > n) return null;
      for (let i = 0; i < run; i++) out[op++] = input[ip++];
      continue;
    }
    let len = ctrl >> 5;
    if (len === 7) {
      if (ip >= n) return null;
      len += input[ip++];
    }
    if (ip >= n) return null;
    let ref = op - ((ctrl & 0x1f) << 8) - input[ip++] - 1;
    len += 2;
    if (ref < 0 || op + len > outLength) return null;
    for (let i = 0; i < len; i++) out[op++] = out[ref++];
  }
  return op === outLength ? out : null;
}
