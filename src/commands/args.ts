// Argument parsing with Redis's exact rules and error texts: integers as string2ll accepts them
// (no '+', no leading zeros, int64 range), doubles as strtold (inf/-inf, no spaces, no nan).

import { Errors, fail } from "../errors.js";
import { now } from "../engine/clock.js";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INT_PATTERN = /^(0|-?[1-9][0-9]*)$/;

/** True when s is a canonical int64 ("-12", not "+12", "012", " 1" or "-0"). */
export function isInt64(s: string): boolean {
  if (s.length === 0 || s.length > 20 || !INT_PATTERN.test(s)) return false;
  if (s.length < 18) return true;
  const n = BigInt(s);
  return n >= INT64_MIN && n <= INT64_MAX;
}

/** Parses an int64 argument into a number (exact below 2^53; commands needing more use parseInt64). */
export function parseInteger(s: string, message: string = Errors.notInteger): number {
  if (!isInt64(s)) fail(message);
  return Number(s);
}

/** Parses an int64 argument exactly. */
export function parseInt64(s: string, message: string = Errors.notInteger): bigint {
  if (!isInt64(s)) fail(message);
  return BigInt(s);
}


const INFINITIES: Record<string, number> = {
  inf: Infinity,
  "+inf": Infinity,
  "-inf": -Infinity,
  infinity: Infinity,
  "+infinity": Infinity,
  "-infinity": -Infinity,
};

/** Parses a double as Redis's strtold-based parsing does; NaN and surrounding spaces are errors. */
export function parseDouble(s: string, message: string = Errors.notFloat): number {
  if (s.length === 0 || s.length > 5000) fail(message);
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  if (first <= 32 || last <= 32) fail(message);
  const inf = INFINITIES[s.toLowerCase()];
  if (inf !== undefined) return inf;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) {
    const hex = /^([-+]?)0[xX]([0-9a-fA-F]+)$/.exec(s);
    if (hex) return (hex[1] === "-" ? -1 : 1) * parseInt(hex[2], 16);
    fail(message);
  }
  const n = Number(s);
  if (Number.isNaN(n)) fail(message);
  return n;
}

/** Case-insensitive comparison of an argument with an ASCII keyword. */
export function is(arg: string, keyword: string): boolean {
  return arg.length === keyword.length && arg.toLowerCase() === keyword;
}

/** Parses a blocking timeout given in (float) seconds into ms as Redis does: rounded up; 0 = forever. */
export function parseTimeout(arg: string): number {
  const ms = parseDouble(arg, "ERR timeout is not a float or out of range") * 1000;
  const timeout = Math.ceil(ms);
  // Like Redis's long long conversion, values beyond int64 wrap negative.
  if (timeout < 0 || !(timeout < 2 ** 63)) fail("ERR timeout is negative");
  if (timeout > 2 ** 63 - now()) fail("ERR timeout is out of range");
  return timeout === 0 ? 0 : timeout;
}
