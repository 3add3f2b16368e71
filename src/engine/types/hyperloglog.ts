// HyperLogLog values in Redis's own byte format, so values move between Restash and redis-server
// (GET/SET, DUMP/RESTORE, RDB) unchanged and both count alike. An HLL is a string value:
//
//   "HYLL" | encoding (0 dense, 1 sparse) | 3 unused bytes | cached cardinality, 8 bytes LE
//   (top bit of the last byte set = stale) | registers
//
// 16384 six-bit registers, indexed by the low 14 bits of an element's MurmurHash64A; a register
// keeps the longest run of trailing zeros (+1) seen in the other 50 bits. Dense: registers packed
// LSB first. Sparse: run-length opcodes (ZERO 00xxxxxx, XZERO 01xxxxxx yyyyyyyy, VAL 1vvvvvxx),
// edited exactly as Redis edits them (same splits, same merges, same promotion to dense), since
// the bytes themselves are what must match. The cardinality estimate is Ertl's improved estimator.

const HEADER = 16;
const P = 14;
export const HLL_REGISTERS = 1 << P;
const REGISTER_MAX = 63;
const DENSE_SIZE = HEADER + (HLL_REGISTERS * 6) / 8;
const DENSE = 0;
const SPARSE = 1;
/** The longest run a VAL opcode holds, the largest value it holds, the longest ZERO run. */
const VAL_MAX_LEN = 4;
const VAL_MAX_VALUE = 32;
const ZERO_MAX_LEN = 64;
const XZERO_MAX_LEN = 16384;
const ALPHA_INF = 0.721347520444481703680; // 0.5 / ln(2)

// ---- MurmurHash64A (seed 0xadc83b19), on 32-bit halves ----

const M_HI = 0xc6a4a793;
const M_LO = 0x5bd1e995;
const SEED = 0xadc83b19;
/** Result of mulM: the high and low 32 bits of a 64-bit product. */
let outHi = 0;
let outLo = 0;

/** (hi:lo) * M mod 2^64, into outHi:outLo. */
function mulM(hi: number, lo: number): void {
  const a0 = lo & 0xffff;
  const a1 = lo >>> 16;
  const p00 = a0 * (M_LO & 0xffff);
  const p01 = a0 * (M_LO >>> 16);
  const p10 = a1 * (M_LO & 0xffff);
  const p11 = a1 * (M_LO >>> 16);
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  outLo = ((mid << 16) | (p00 & 0xffff)) >>> 0;
  const carry = p11 + Math.floor(p01 / 0x10000) + Math.floor(p10 / 0x10000) + Math.floor(mid / 0x10000);
  outHi = (carry + Math.imul(hi, M_LO) + Math.imul(lo, M_HI)) >>> 0;
}

function ctz(x: number): number {
  return 31 - Math.clz32(x & -x);
}

/** The register an element goes to and the value it offers (run of zeros + 1, 1..51). */
function registerFor(element: string): [index: number, count: number] {
  const len = element.length;
  mulM(0, len);
  let hi = outHi;
  let lo = (outLo ^ SEED) >>> 0;
  const blocks = len - (len & 7);
  for (let i = 0; i < blocks; i += 8) {
    const kLo = (element.charCodeAt(i) | (element.charCodeAt(i + 1) << 8) | (element.charCodeAt(i + 2) << 16) | (element.charCodeAt(i + 3) << 24)) >>> 0;
    const kHi = (element.charCodeAt(i + 4) | (element.charCodeAt(i + 5) << 8) | (element.charCodeAt(i + 6) << 16) | (element.charCodeAt(i + 7) << 24)) >>> 0;
    mulM(kHi, kLo);
    mulM(outHi, (outLo ^ (outHi >>> 15)) >>> 0);
    hi = (hi ^ outHi) >>> 0;
    lo = (lo ^ outLo) >>> 0;
    mulM(hi, lo);
    hi = outHi;
    lo = outLo;
  }
  const tail = len & 7;
  if (tail > 0) {
    for (let i = tail - 1; i >= 0; i--) {
      const byte = element.charCodeAt(blocks + i);
      if (i >= 4) hi = (hi ^ (byte << (8 * (i - 4)))) >>> 0;
      else lo = (lo ^ (byte << (8 * i))) >>> 0;
    }
    mulM(hi, lo);
    hi = outHi;
    lo = outLo;
  }
  lo = (lo ^ (hi >>> 15)) >>> 0;
  mulM(hi, lo);
  hi = outHi;
  lo = (outLo ^ (outHi >>> 15)) >>> 0;
  const index = lo & (HLL_REGISTERS - 1);
  const rest = lo >>> P;
  if (rest !== 0) return [index, ctz(rest) + 1];
  if (hi !== 0) return [index, 32 - P + ctz(hi) + 1];
  return [index, 64 - P + 1];
}

// ---- Sparse opcodes ----

const isZero = (b: number) => (b & 0xc0) === 0;
const isXZero = (b: number) => (b & 0xc0) === 0x40;
const zeroLen = (b: number) => (b & 0x3f) + 1;
const valValue = (b: number) => ((b >> 2) & 0x1f) + 1;
const valLen = (b: number) => (b & 0x3) + 1;
const valOp = (value: number, len: number) => 0x80 | ((value - 1) << 2) | (len - 1);

/** ZERO or XZERO opcode bytes for a run of len zero registers. */
function zeroRun(len: number): number[] {
  return len > ZERO_MAX_LEN ? [0x40 | ((len - 1) >> 8), (len - 1) & 0xff] : [len - 1];
}

// ---- Estimation ----

function sigma(x: number): number {
  if (x === 1) return Infinity;
  let y = 1;
  let z = x;
  let prev: number;
  do {
    x *= x;
    prev = z;
    z += x * y;
    y += y;
  } while (prev !== z);
  return z;
}

function tau(x: number): number {
  if (x === 0 || x === 1) return 0;
  let y = 1;
  let z = 1 - x;
  let prev: number;
  do {
    x = Math.sqrt(x);
    prev = z;
    y *= 0.5;
    z -= Math.pow(1 - x, 2) * y;
  } while (prev !== z);
  return z / 3;
}

/** The cardinality estimate from a histogram of register values. */
function estimate(histogram: Int32Array): number {
  const m = HLL_REGISTERS;
  let z = m * tau((m - histogram[64 - P + 1]) / m);
  for (let j = 64 - P; j >= 1; j--) {
    z += histogram[j];
    z *= 0.5;
  }
  z += m * sigma(histogram[0] / m);
  return Math.round((ALPHA_INF * m * m) / z);
}

/** The estimate for plain registers (one byte each), as PFCOUNT of several keys computes it. */
export function countRegisters(registers: Uint8Array): number {
  const histogram = new Int32Array(64);
  for (let i = 0; i < HLL_REGISTERS; i++) histogram[registers[i]]++;
  return estimate(histogram);
}

// ---- Values ----

/** Whether a string value is an HLL Redis would accept (magic, known encoding, dense length). */
export function isHll(value: string): boolean {
  if (value.length < HEADER || !value.startsWith("HYLL")) return false;
  const encoding = value.charCodeAt(4);
  return encoding === SPARSE || (encoding === DENSE && value.length === DENSE_SIZE);
}

/** The cached cardinality of an HLL value, or null when stale. */
export function cachedCount(value: string): number | null {
  if ((value.charCodeAt(15) & 0x80) !== 0) return null;
  let card = 0;
  for (let i = 15; i >= 8; i--) card = card * 256 + value.charCodeAt(i);
  return card;
}

/** An HLL being worked on: bytes [0, length) of buf (a sparse HLL grows and shrinks in place). */
export class Hll {
  private constructor(
    private buf: Buffer,
    private length: number,
  ) {}

  /** A new empty HLL: sparse, one XZERO run over every register, cache stale until counted. */
  static empty(): Hll {
    const buf = Buffer.alloc(HEADER + 2 + 8);
    buf.write("HYLL", 0, "latin1");
    buf[4] = SPARSE;
    buf.set(zeroRun(XZERO_MAX_LEN), HEADER);
    return new Hll(buf, HEADER + 2);
  }

  /** The HLL in a value already checked with isHll. */
  static of(value: string): Hll {
    // One spare byte past the end: dense register access reads (harmlessly) one byte beyond.
    const buf = Buffer.alloc(value.length + 1);
    buf.write(value, 0, "latin1");
    return new Hll(buf, value.length);
  }

  toString(): string {
    return this.buf.toString("latin1", 0, this.length);
  }

  get dense(): boolean {
    return this.buf[4] === DENSE;
  }

  /** The encoded opcodes of the sparse form, as PFDEBUG DECODE prints them. */
  describe(): string {
    const out: string[] = [];
    for (let p = HEADER; p < this.length; ) {
      const b = this.buf[p];
      if (isZero(b)) out.push(`z:${zeroLen(b)}`);
      else if (isXZero(b)) out.push(`Z:${this.xzeroLen(p)}`);
      else out.push(`v:${valValue(b)},${valLen(b)}`);
      p += isXZero(b) ? 2 : 1;
    }
    return out.join(" ");
  }

  invalidateCount(): void {
    this.buf[15] |= 0x80;
  }

  setCachedCount(card: number): void {
    for (let i = 8; i < 16; i++) {
      this.buf[i] = card % 256;
      card = Math.floor(card / 256);
    }
  }

  /** Adds an element: 1 if a register changed, 0 if not, -1 for a corrupt sparse HLL. */
  add(element: string, sparseMaxBytes: number): number {
    const [index, count] = registerFor(element);
    return this.raise(index, count, sparseMaxBytes);
  }

  /** Raises register index to count if lower, in either encoding: 1 changed, 0 not, -1 corrupt. */
  raise(index: number, count: number, sparseMaxBytes: number): number {
    return this.dense ? this.denseSet(index, count) : this.sparseSet(index, count, sparseMaxBytes);
  }

  /** Converts a sparse HLL to dense; false if the sparse form is corrupt. */
  toDense(): boolean {
    if (this.dense) return true;
    const dense = new Hll(Buffer.alloc(DENSE_SIZE + 1), DENSE_SIZE);
    this.buf.copy(dense.buf, 0, 0, HEADER);
    dense.buf[4] = DENSE;
    let index = 0;
    for (let p = HEADER; p < this.length; ) {
      const b = this.buf[p];
      if (isZero(b)) {
        index += zeroLen(b);
        p++;
      } else if (isXZero(b)) {
        index += this.xzeroLen(p);
        p += 2;
      } else {
        const len = valLen(b);
        if (index + len > HLL_REGISTERS) break;
        for (let i = 0; i < len; i++) dense.setRegister(index++, valValue(b));
        p++;
      }
    }
    if (index !== HLL_REGISTERS) return false;
    this.buf = dense.buf;
    this.length = DENSE_SIZE;
    return true;
  }

  /** The estimated cardinality, or null for a corrupt sparse HLL. */
  count(): number | null {
    const histogram = new Int32Array(64);
    if (this.dense) {
      for (let i = 0; i < HLL_REGISTERS; i++) histogram[this.register(i)]++;
      return estimate(histogram);
    }
    let index = 0;
    for (let p = HEADER; p < this.length; ) {
      const b = this.buf[p];
      if (isZero(b)) {
        histogram[0] += zeroLen(b);
        index += zeroLen(b);
        p++;
      } else if (isXZero(b)) {
        histogram[0] += this.xzeroLen(p);
        index += this.xzeroLen(p);
        p += 2;
      } else {
        histogram[valValue(b)] += valLen(b);
        index += valLen(b);
        p++;
      }
    }
    return index === HLL_REGISTERS ? estimate(histogram) : null;
  }

  /** max[i] = max(max[i], register i); false for a corrupt sparse HLL. */
  mergeInto(max: Uint8Array): boolean {
    if (this.dense) {
      for (let i = 0; i < HLL_REGISTERS; i++) {
        const r = this.register(i);
        if (r > max[i]) max[i] = r;
      }
      return true;
    }
    let index = 0;
    for (let p = HEADER; p < this.length; ) {
      const b = this.buf[p];
      if (isZero(b)) {
        index += zeroLen(b);
        p++;
      } else if (isXZero(b)) {
        index += this.xzeroLen(p);
        p += 2;
      } else {
        const len = valLen(b);
        const value = valValue(b);
        if (index + len > HLL_REGISTERS) break;
        for (let i = 0; i < len; i++, index++) if (value > max[index]) max[index] = value;
        p++;
      }
    }
    return index === HLL_REGISTERS;
  }

  /** Register i of a dense HLL. */
  register(i: number): number {
    const bit = i * 6;
    const byte = HEADER + (bit >> 3);
    const shift = bit & 7;
    return ((this.buf[byte] >> shift) | (this.buf[byte + 1] << (8 - shift))) & REGISTER_MAX;
  }

  /** Sets register i of a dense HLL. */
  setRegister(i: number, value: number): void {
    const bit = i * 6;
    const byte = HEADER + (bit >> 3);
    const shift = bit & 7;
    this.buf[byte] = (this.buf[byte] & ~(REGISTER_MAX << shift)) | (value << shift);
    this.buf[byte + 1] = (this.buf[byte + 1] & ~(REGISTER_MAX >> (8 - shift))) | (value >> (8 - shift));
  }

  private denseSet(index: number, count: number): number {
    if (count <= this.register(index)) return 0;
    this.setRegister(index, count);
    return 1;
  }

  /** The run length of the XZERO opcode at p (its second byte reads 0 past the end, as in Redis). */
  private xzeroLen(p: number): number {
    const next = p + 1 < this.length ? this.buf[p + 1] : 0;
    return (((this.buf[p] & 0x3f) << 8) | next) + 1;
  }

  /**
   * Raises register index to count in the sparse form, splitting the opcode that covers it and
   * merging equal neighbours as Redis does; promotes to dense when the value does not fit a VAL
   * opcode or the form would outgrow hll-sparse-max-bytes. 1 changed, 0 unchanged, -1 corrupt.
   */
  private sparseSet(index: number, count: number, sparseMaxBytes: number): number {
    if (count > VAL_MAX_VALUE) return this.promote(index, count);
    // Find the opcode covering the register (the hot loop: opcodes decoded inline).
    const buf = this.buf;
    let p = HEADER;
    let end = this.length;
    let first = 0;
    let prev = -1;
    let span = 0;
    while (p < end) {
      const b = buf[p];
      let size = 1;
      if ((b & 0xc0) === 0) span = (b & 0x3f) + 1;
      else if ((b & 0x80) !== 0) span = (b & 0x3) + 1;
      else {
        span = this.xzeroLen(p);
        size = 2;
      }
      if (index < first + span) break;
      prev = p;
      p += size;
      first += span;
    }
    if (span === 0 || p >= end) return -1;
    const op = this.buf[p];
    const xzero = isXZero(op);
    let next = xzero ? p + 2 : p + 1;
    if (next >= end) next = -1;
    const runlen = span;
    const val = !isZero(op) && !xzero;
    if (val && valValue(op) >= count) return 0;
    if ((val || isZero(op)) && runlen === 1) {
      this.buf[p] = valOp(count, 1);
    } else {
      // Split the run into [before] VAL(count) [after].
      const last = first + span - 1;
      const seq: number[] = [];
      if (val) {
        const current = valValue(op);
        if (index !== first) seq.push(valOp(current, index - first));
        seq.push(valOp(count, 1));
        if (index !== last) seq.push(valOp(current, last - index));
      } else {
        if (index !== first) seq.push(...zeroRun(index - first));
        seq.push(valOp(count, 1));
        if (index !== last) seq.push(...zeroRun(last - index));
      }
      const delta = seq.length - (xzero ? 2 : 1);
      if (delta > 0 && this.length + delta > sparseMaxBytes) return this.promote(index, count);
      this.reserve(this.length + delta);
      if (delta !== 0 && next !== -1) this.buf.copy(this.buf, next + delta, next, end);
      this.length += delta;
      this.buf.set(seq, p);
      end += delta;
    }
    this.mergeValues(prev === -1 ? HEADER : prev, end);
    this.invalidateCount();
    return 1;
  }

  /** Merges adjacent VAL opcodes of equal value, scanning at most 5 opcodes from p. */
  private mergeValues(p: number, end: number): void {
    let budget = 5;
    while (p < end && budget-- > 0) {
      const b = this.buf[p];
      if (isXZero(b)) {
        p += 2;
        continue;
      }
      if (isZero(b)) {
        p++;
        continue;
      }
      const b2 = this.buf[p + 1];
      if (p + 1 < end && !isZero(b2) && !isXZero(b2) && valValue(b) === valValue(b2)) {
        const len = valLen(b) + valLen(b2);
        if (len <= VAL_MAX_LEN) {
          this.buf[p + 1] = valOp(valValue(b), len);
          this.buf.copy(this.buf, p, p + 1, end);
          this.length--;
          end--;
          continue;
        }
      }
      p++;
    }
  }

  private promote(index: number, count: number): number {
    if (!this.toDense()) return -1;
    this.denseSet(index, count);
    return 1;
  }

  /** Makes room for size bytes (plus the spare byte) in buf. */
  private reserve(size: number): void {
    if (size + 1 <= this.buf.length) return;
    const buf = Buffer.alloc(Math.max(size + 1, this.buf.length * 2));
    this.buf.copy(buf, 0, 0, this.length);
    this.buf = buf;
  }
}

/**
 * PFSELFTEST: dense registers read back what was written, and sparse and dense HLLs fed the same
 * elements agree and stay within the expected error. Returns an error message or null.
 */
export function selfTest(): string | null {
  const dense = Hll.empty();
  dense.toDense();
  const values = new Uint8Array(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) {
    values[i] = Math.floor(Math.random() * (REGISTER_MAX + 1));
    dense.setRegister(i, values[i]);
  }
  for (let i = 0; i < HLL_REGISTERS; i++) {
    if (dense.register(i) !== values[i]) return `TESTFAILED Register error at ${i}`;
  }
  const sparse = Hll.empty();
  const full = Hll.empty();
  full.toDense();
  const relativeError = 1.04 / Math.sqrt(HLL_REGISTERS);
  let checkpoint = 1;
  for (let n = 1; n <= 100000; n++) {
    const element = `selftest:${n}`;
    sparse.add(element, 3000);
    full.add(element, 3000);
    if (n !== checkpoint) continue;
    checkpoint *= 10;
    const a = sparse.count();
    const b = full.count();
    if (a !== b) return `TESTFAILED sparse and dense counts differ: ${a} vs ${b}`;
    const error = Math.abs(n - b!);
    // Small cardinalities are nearly exact; larger ones stay within 5 standard errors.
    const tolerance = n < 1000 ? Math.max(1, n * relativeError * 5) : n * relativeError * 5;
    if (error > tolerance) return `TESTFAILED Too big error. card:${b} abserr:${error}`;
  }
  return null;
}
