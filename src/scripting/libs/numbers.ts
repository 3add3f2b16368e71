// strtod() as the C library parses a number prefix: decimal with optional exponent, hexadecimal
// (with binary exponent), inf/infinity and nan, each with an optional sign.

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const HEX = /^([+-]?)0[xX]((?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+))(?:[pP]([+-]?\d+))?/;
const INF = /^([+-]?)(?:infinity|inf)/i;
const NAN = /^[+-]?nan(?:\([0-9A-Za-z_]*\))?/i;

/** Parses a number at `from`; returns its value and the index after it, or null if none. */
export function strtod(text: string, from: number): { value: number; end: number } | null {
  const s = text.slice(from, from + 400);
  let m = HEX.exec(s);
  if (m) {
    const [int, frac = ""] = m[2].split(".");
    let value = 0;
    for (const c of int + frac) value = value * 16 + parseInt(c, 16);
    value *= Math.pow(2, Number(m[3] ?? 0) - 4 * frac.length);
    return { value: m[1] === "-" ? -value : value, end: from + m[0].length };
  }
  m = DECIMAL.exec(s);
  if (m) return { value: Number(m[0]), end: from + m[0].length };
  m = INF.exec(s);
  if (m) return { value: m[1] === "-" ? -Infinity : Infinity, end: from + m[0].length };
  m = NAN.exec(s);
  if (m) return { value: NaN, end: from + m[0].length };
  return null;
}
