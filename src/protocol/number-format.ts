// Number formatting exactly as Redis prints numbers: doubles as C's "%.17g" (score and double
// replies in Redis 7.0), "inf"/"-inf"/"nan" spelled the Redis way.

/** Formats like C printf("%.17g"): 17 significant digits, trailing zeros trimmed. */
export function formatDouble(d: number): string {
  if (d === Infinity) return "inf";
  if (d === -Infinity) return "-inf";
  if (Number.isNaN(d)) return "nan";
  if (d === 0) return Object.is(d, -0) ? "-0" : "0";
  const [mantissa, exponent] = d.toExponential(16).split("e"); // 17 significant digits
  const e10 = Number(exponent);
  if (e10 < -4 || e10 >= 17) {
    const sign = e10 < 0 ? "-" : "+";
    return `${trimZeros(mantissa)}e${sign}${String(Math.abs(e10)).padStart(2, "0")}`;
  }
  return trimZeros(d.toFixed(Math.max(0, 16 - e10)));
}

function trimZeros(s: string): string {
  if (s.indexOf(".") < 0) return s;
  let end = s.length;
  while (s.charCodeAt(end - 1) === 48) end--;
  if (s.charCodeAt(end - 1) === 46) end--;
  return s.slice(0, end);
}

