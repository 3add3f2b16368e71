// JSON text -> JsonValue, with the grammar, number conversion and error texts of serde_json (the
// parser RedisJSON uses): "expected value at line 1 column 1", "trailing characters ...", nesting
// limited to 128 levels. Input and output strings are byte strings holding UTF-8; \u escapes are
// written out as UTF-8 bytes. The caller checks the input is valid UTF-8.

import { JsonFloat, JsonObject, jsonInt, type JsonValue } from "./value.js";

/** A syntax error; message is serde_json's text ("expected `:` at line 1 column 5"). */
export class JsonSyntaxError extends Error {}

const U64_MAX = 2n ** 64n - 1n;
const U64_MAX_DIV_10 = U64_MAX / 10n;
const U64_MAX_MOD_10 = U64_MAX % 10n;
/** Below this a significand times 10 plus a digit stays an exact double. */
const EXACT_LIMIT = 2 ** 53 / 10 - 1;
const INT64_LIMIT = 2n ** 63n;
/** serde_json's default recursion limit. */
const MAX_DEPTH = 128;

/** Powers of ten as Rust's f64 literals 1e0..1e308 (correctly rounded). */
const POW10: number[] = [];
for (let i = 0; i <= 308; i++) POW10.push(Number(`1e${i}`));

type Significand = number | bigint;

/** significand * 10 + digit, or null when it would overflow u64 (serde then drops digits). */
function pushDigit(sig: Significand, digit: number): Significand | null {
  if (typeof sig === "number") {
    if (sig <= EXACT_LIMIT) return sig * 10 + digit;
    sig = BigInt(sig);
  }
  if (sig > U64_MAX_DIV_10 || (sig === U64_MAX_DIV_10 && BigInt(digit) > U64_MAX_MOD_10)) return null;
  return sig * 10n + BigInt(digit);
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** A code point as UTF-8 bytes in a byte string. */
function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

class Parser {
  private i = 0;
  private depth = MAX_DEPTH;

  constructor(private readonly s: string) {}

  document(): JsonValue {
    const value = this.value();
    if (this.skipSpace() >= 0) throw this.peekError("trailing characters");
    return value;
  }

  /** serde_json's error at byte index `at`: "<message> at line L column C". */
  private errorAt(message: string, at: number): JsonSyntaxError {
    const lineStart = this.s.lastIndexOf("\n", at - 1) + 1;
    let line = 1;
    for (let p = this.s.indexOf("\n"); p >= 0 && p < lineStart; p = this.s.indexOf("\n", p + 1)) line++;
    return new JsonSyntaxError(`${message} at line ${line} column ${at - lineStart}`);
  }

  /** An error positioned after what was consumed. */
  private error(message: string): JsonSyntaxError {
    return this.errorAt(message, this.i);
  }

  /** An error positioned at the character looked at but not consumed. */
  private peekError(message: string): JsonSyntaxError {
    return this.errorAt(message, Math.min(this.s.length, this.i + 1));
  }

  /** Skips JSON whitespace; returns the next char code, or -1 at the end. */
  private skipSpace(): number {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x09 && c !== 0x0d) return c;
      this.i++;
    }
    return -1;
  }

  private peek(): number {
    return this.i < this.s.length ? this.s.charCodeAt(this.i) : -1;
  }

  private value(): JsonValue {
    const c = this.skipSpace();
    switch (c) {
      case -1:
        throw this.peekError("EOF while parsing a value");
      case 0x6e: // n
        this.i++;
        this.ident("ull");
        return null;
      case 0x74: // t
        this.i++;
        this.ident("rue");
        return true;
      case 0x66: // f
        this.i++;
        this.ident("alse");
        return false;
      case 0x2d: // -
        this.i++;
        return this.number(false);
      case 0x22: // "
        this.i++;
        return this.string();
      case 0x5b: // [
      case 0x7b: {
        // {
        if (--this.depth === 0) throw this.peekError("recursion limit exceeded");
        this.i++;
        const v = c === 0x5b ? this.array() : this.object();
        this.depth++;
        return v;
      }
      default:
        if (isDigit(c)) return this.number(true);
        throw this.peekError("expected value");
    }
  }

  private ident(rest: string): void {
    for (let k = 0; k < rest.length; k++) {
      if (this.i >= this.s.length) throw this.error("EOF while parsing a value");
      if (this.s.charCodeAt(this.i++) !== rest.charCodeAt(k)) throw this.error("expected ident");
    }
  }

  private array(): JsonValue[] {
    const out: JsonValue[] = [];
    for (let first = true; ; first = false) {
      let c = this.skipSpace();
      if (c === 0x5d) break;
      if (c === 0x2c && !first) {
        this.i++;
        c = this.skipSpace();
      } else if (c < 0) {
        throw this.peekError("EOF while parsing a list");
      } else if (!first) {
        throw this.peekError("expected `,` or `]`");
      }
      if (c === 0x5d) throw this.peekError("trailing comma");
      if (c < 0) throw this.peekError("EOF while parsing a value");
      out.push(this.value());
    }
    this.i++;
    return out;
  }

  private object(): JsonObject {
    const out = new JsonObject();
    for (let first = true; ; first = false) {
      let c = this.skipSpace();
      if (c === 0x7d) break;
      if (c === 0x2c && !first) {
        this.i++;
        c = this.skipSpace();
      } else if (c < 0) {
        throw this.peekError("EOF while parsing an object");
      } else if (!first) {
        throw this.peekError("expected `,` or `}`");
      }
      if (c === 0x7d) throw this.peekError("trailing comma");
      if (c < 0) throw this.peekError("EOF while parsing a value");
      if (c !== 0x22) throw this.peekError("key must be a string");
      this.i++;
      const key = this.string();
      const colon = this.skipSpace();
      if (colon < 0) throw this.peekError("EOF while parsing an object");
      if (colon !== 0x3a) throw this.peekError("expected `:`");
      this.i++;
      out.set(key, this.value());
    }
    this.i++;
    return out;
  }

  /** A string after its opening quote. */
  private string(): string {
    const s = this.s;
    let out = "";
    let start = this.i;
    for (;;) {
      let c = -1;
      while (this.i < s.length) {
        c = s.charCodeAt(this.i);
        if (c === 0x22 || c === 0x5c || c < 0x20) break;
        this.i++;
      }
      if (this.i >= s.length) throw this.error("EOF while parsing a string");
      if (c === 0x22) {
        out += s.slice(start, this.i++);
        return out;
      }
      if (c !== 0x5c) {
        this.i++;
        throw this.error("control character (\\u0000-\\u001F) found while parsing a string");
      }
      out += s.slice(start, this.i++);
      out += this.escape();
      start = this.i;
    }
  }

  private escape(): string {
    if (this.i >= this.s.length) throw this.error("EOF while parsing a string");
    const c = this.s.charCodeAt(this.i++);
    switch (c) {
      case 0x22:
        return '"';
      case 0x5c:
        return "\\";
      case 0x2f:
        return "/";
      case 0x62:
        return "\b";
      case 0x66:
        return "\f";
      case 0x6e:
        return "\n";
      case 0x72:
        return "\r";
      case 0x74:
        return "\t";
      case 0x75:
        return this.unicodeEscape();
      default:
        throw this.error("invalid escape");
    }
  }

  private unicodeEscape(): string {
    const n = this.hex4();
    if (n >= 0xdc00 && n <= 0xdfff) throw this.error("lone leading surrogate in hex escape");
    if (n < 0xd800 || n > 0xdbff) return utf8(n);
    if (this.peekOrEof() !== 0x5c) throw this.error("unexpected end of hex escape");
    this.i++;
    if (this.peekOrEof() !== 0x75) throw this.error("unexpected end of hex escape");
    this.i++;
    const low = this.hex4();
    if (low < 0xdc00 || low > 0xdfff) throw this.error("lone leading surrogate in hex escape");
    return utf8(((n - 0xd800) << 10) + (low - 0xdc00) + 0x10000);
  }

  private peekOrEof(): number {
    if (this.i >= this.s.length) throw this.error("EOF while parsing a string");
    return this.s.charCodeAt(this.i);
  }

  private hex4(): number {
    if (this.i + 4 > this.s.length) {
      this.i = this.s.length;
      throw this.error("EOF while parsing a string");
    }
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const h = hexValue(this.s.charCodeAt(this.i++));
      if (h < 0) throw this.error("invalid escape");
      n = n * 16 + h;
    }
    return n;
  }

  /** A number after its optional minus sign (serde_json's parse_integer). */
  private number(positive: boolean): JsonValue {
    if (this.i >= this.s.length) throw this.error("EOF while parsing a value");
    const c = this.s.charCodeAt(this.i++);
    if (c === 0x30) {
      if (isDigit(this.peek())) throw this.peekError("invalid number");
      return this.afterSignificand(positive, 0);
    }
    if (!isDigit(c)) throw this.error("invalid number");
    let sig: Significand = c - 0x30;
    for (;;) {
      const d = this.peek();
      if (!isDigit(d)) return this.afterSignificand(positive, sig);
      const next = pushDigit(sig, d - 0x30);
      if (next === null) return new JsonFloat(this.longInteger(positive, sig));
      this.i++;
      sig = next;
    }
  }

  /** The integer part is done: a fraction, an exponent, or an integer value. */
  private afterSignificand(positive: boolean, sig: Significand): JsonValue {
    const c = this.peek();
    if (c === 0x2e) return new JsonFloat(this.decimal(positive, sig, 0));
    if (c === 0x65 || c === 0x45) return new JsonFloat(this.exponent(positive, sig, 0));
    if (positive) return typeof sig === "number" ? sig : jsonInt(sig);
    const big = BigInt(sig);
    // serde_json: -0 and magnitudes beyond int64 become floats.
    if (big === 0n || big > INT64_LIMIT) return new JsonFloat(-Number(big));
    return typeof sig === "number" ? -sig : jsonInt(-big);
  }

  /** Digits past u64 range only scale the value. */
  private longInteger(positive: boolean, sig: Significand): number {
    let exponent = 0;
    for (;;) {
      const c = this.peek();
      if (isDigit(c)) {
        this.i++;
        exponent++;
      } else if (c === 0x2e) {
        return this.decimal(positive, sig, exponent);
      } else if (c === 0x65 || c === 0x45) {
        return this.exponent(positive, sig, exponent);
      } else {
        return this.fromParts(positive, sig, exponent);
      }
    }
  }

  private decimal(positive: boolean, sig: Significand, exponentBefore: number): number {
    this.i++; // '.'
    let after = 0;
    for (;;) {
      const d = this.peek();
      if (!isDigit(d)) break;
      const next = pushDigit(sig, d - 0x30);
      if (next === null) {
        while (isDigit(this.peek())) this.i++;
        const c = this.peek();
        if (c === 0x65 || c === 0x45) return this.exponent(positive, sig, exponentBefore + after);
        return this.fromParts(positive, sig, exponentBefore + after);
      }
      this.i++;
      sig = next;
      after--;
    }
    if (after === 0) {
      throw this.peekError(this.i < this.s.length ? "invalid number" : "EOF while parsing a value");
    }
    const c = this.peek();
    if (c === 0x65 || c === 0x45) return this.exponent(positive, sig, exponentBefore + after);
    return this.fromParts(positive, sig, exponentBefore + after);
  }

  private exponent(positive: boolean, sig: Significand, start: number): number {
    this.i++; // 'e'
    let positiveExp = true;
    const sign = this.peek();
    if (sign === 0x2b || sign === 0x2d) {
      positiveExp = sign === 0x2b;
      this.i++;
    }
    if (this.i >= this.s.length) throw this.error("EOF while parsing a value");
    const first = this.s.charCodeAt(this.i++);
    if (!isDigit(first)) throw this.error("invalid number");
    let exp = first - 0x30;
    while (isDigit(this.peek())) {
      const d = this.s.charCodeAt(this.i++) - 0x30;
      if (exp > 214748364 || (exp === 214748364 && d > 7)) {
        // Exponent beyond i32: zero for negative exponents or a zero significand, else an error.
        if (sig !== 0 && sig !== 0n && positiveExp) throw this.error("number out of range");
        while (isDigit(this.peek())) this.i++;
        return positive ? 0 : -0;
      }
      exp = exp * 10 + d;
    }
    return this.fromParts(positive, sig, positiveExp ? start + exp : start - exp);
  }

  /** serde_json's f64_from_parts: one multiplication or division by an exact power of ten. */
  private fromParts(positive: boolean, sig: Significand, exponent: number): number {
    let f = Number(sig);
    for (;;) {
      const pow = POW10[Math.abs(exponent)];
      if (pow !== undefined) {
        if (exponent >= 0) {
          f *= pow;
          if (!Number.isFinite(f)) throw this.error("number out of range");
        } else {
          f /= pow;
        }
        break;
      }
      if (f === 0) break;
      if (exponent >= 0) throw this.error("number out of range");
      f /= 1e308;
      exponent += 308;
    }
    return positive ? f : -f;
  }
}

/** Parses a whole JSON text (a byte string of valid UTF-8); throws JsonSyntaxError. */
export function parseJson(text: string): JsonValue {
  return new Parser(text).document();
}
