// x87 80-bit long double arithmetic, exact, for INCRBYFLOAT / HINCRBYFLOAT. Redis parses both
// operands with strtold, adds them as long doubles and prints the sum with "%.17Lf" minus trailing
// zeros. Emulating the 64-bit mantissa (BigInt, round-half-even) makes the results byte-identical:
// 0.1 + 0.2 is "0.3" as in Redis, not the double's 0.30000000000000004.

/** A long double: (-1)^neg × mant × 2^exp with mant < 2^64; exp is Infinity for ±inf. */
export interface LongDouble {
  readonly neg: boolean;
  readonly mant: bigint;
  readonly exp: number;
}

export const LD_ZERO: LongDouble = { neg: false, mant: 0n, exp: 0 };

/** Smallest exponent of the mantissa: 2^63 × 2^EXP_MIN is the smallest normal (2^-16382). */
const EXP_MIN = -16445;
/** Largest exponent of the mantissa: (2^64 - 1) × 2^EXP_MAX is the largest finite value. */
const EXP_MAX = 16320;
/** Redis rejects numbers of MAX_LONG_DOUBLE_CHARS (5 KB) or more. */
const MAX_CHARS = 5 * 1024;
const INFINITE: LongDouble = { neg: false, mant: 0n, exp: Infinity };

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?(?:[pP]([+-]?\d+))?$/;
const INFINITY = /^([+-]?)inf(?:inity)?$/i;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** An exponent as written, clamped far outside any representable range (the digits may be many). */
function clampedExponent(text: string | undefined): number {
  if (text === undefined) return 0;
  const e = Number(text);
  return Math.max(-1e6, Math.min(1e6, e));
}

/**
 * Rounds num/den × 2^e2 (num > 0) to the nearest long double, ties to even, with subnormals.
 * Returns INFINITE on overflow and a zero on total underflow.
 */
function round(neg: boolean, num: bigint, den: bigint, e2: number): LongDouble {
  const log2 = bitLength(num) - bitLength(den) + e2; // the value lies in (2^(log2-1), 2^(log2+1))
  if (log2 > EXP_MAX + 66) return INFINITE;
  if (log2 < EXP_MIN - 2) return { neg, mant: 0n, exp: 0 };
  // Scale so the quotient has 66-67 bits, then drop the extra bits with rounding.
  let exp = log2 - 66;
  const scale = e2 - exp;
  const n = scale >= 0 ? num << BigInt(scale) : num;
  const d = scale >= 0 ? den : den << BigInt(-scale);
  let q = n / d;
  const sticky = n % d !== 0n;
  let shift = bitLength(q) - 64;
  if (exp + shift < EXP_MIN) shift = EXP_MIN - exp;
  const bits = BigInt(shift);
  const lost = q & ((1n << bits) - 1n);
  const half = 1n << (bits - 1n);
  q >>= bits;
  exp += shift;
  if (lost > half || (lost === half && (sticky || (q & 1n) === 1n))) q++;
  if (q === 1n << 64n) {
    q >>= 1n;
    exp++;
  }
  if (exp > EXP_MAX) return INFINITE;
  return q === 0n ? { neg, mant: 0n, exp: 0 } : { neg, mant: q, exp };
}

/** value = digits × base^scale, converted with strtold's range rules (null on overflow/underflow). */
function fromParts(neg: boolean, digits: bigint, pow10: number, pow2: number): LongDouble | null {
  if (digits === 0n) return { neg, mant: 0n, exp: 0 };
  let result: LongDouble;
  if (pow10 !== 0) {
    // Outside these bounds the result is certainly infinite or zero; skip the giant powers.
    const magnitude = digits.toString().length + pow10;
    if (magnitude > 4940) return null;
    if (magnitude < -4960) return null;
    const p = 10n ** BigInt(Math.abs(pow10));
    result = pow10 > 0 ? round(neg, digits * p, 1n, 0) : round(neg, digits, p, 0);
  } else {
    result = round(neg, digits, 1n, pow2);
  }
  // strtold reports ERANGE on overflow (HUGE_VAL) and on underflow to zero: Redis rejects both.
  if (result.exp === Infinity || result.mant === 0n) return null;
  return result;
}

/** Parses s as Redis's string2ld does (strtold, whole string, no spaces, no NaN); null if invalid. */
export function parseLongDouble(s: string): LongDouble | null {
  if (s.length === 0 || s.length >= MAX_CHARS) return null;
  let m = DECIMAL.exec(s);
  if (m !== null) {
    const [, sign, int, frac = "", exp] = m;
    if (int.length + frac.length === 0) return null;
    return fromParts(sign === "-", BigInt(int + frac), clampedExponent(exp) - frac.length, 0);
  }
  m = HEX.exec(s);
  if (m !== null) {
    const [, sign, int, frac = "", exp] = m;
    if (int.length + frac.length === 0) return null;
    return fromParts(sign === "-", BigInt(`0x${int}${frac}`), 0, clampedExponent(exp) - 4 * frac.length);
  }
  m = INFINITY.exec(s);
  return m === null ? null : { ...INFINITE, neg: m[1] === "-" };
}

/** a + b rounded to a long double; null when the sum is NaN or infinite. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  if (a.exp === Infinity || b.exp === Infinity) return null;
  if (a.mant === 0n) return b.mant === 0n ? { neg: a.neg && b.neg, mant: 0n, exp: 0 } : b;
  if (b.mant === 0n) return a;
  const exp = Math.min(a.exp, b.exp);
  const x = a.mant << BigInt(a.exp - exp);
  const y = b.mant << BigInt(b.exp - exp);
  const sum = (a.neg ? -x : x) + (b.neg ? -y : y);
  if (sum === 0n) return LD_ZERO;
  const result = round(sum < 0n, sum < 0n ? -sum : sum, 1n, exp);
  return result.exp === Infinity ? null : result;
}

const FRACTION_DIGITS = 17;
const FRACTION_SCALE = 10n ** BigInt(FRACTION_DIGITS);

/** Formats as Redis's ld2string(LD_STR_HUMAN): "%.17Lf", trailing zeros and "-0" removed. */
export function longDoubleToString(x: LongDouble): string {
  let scaled: bigint; // |x| × 10^17, rounded half to even as glibc's printf does
  if (x.exp >= 0) {
    scaled = (x.mant << BigInt(x.exp)) * FRACTION_SCALE;
  } else {
    const n = x.mant * FRACTION_SCALE;
    const shift = BigInt(-x.exp);
    scaled = n >> shift;
    const rest = n - (scaled << shift);
    const half = 1n << (shift - 1n);
    if (rest > half || (rest === half && (scaled & 1n) === 1n)) scaled++;
  }
  if (scaled === 0n) return "0";
  const int = (scaled / FRACTION_SCALE).toString();
  const frac = (scaled % FRACTION_SCALE).toString().padStart(FRACTION_DIGITS, "0").replace(/0+$/, "");
  const sign = x.neg ? "-" : "";
  return frac.length === 0 ? sign + int : `${sign}${int}.${frac}`;
}
