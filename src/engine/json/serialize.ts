// JsonValue -> JSON text as RedisJSON writes it (serde_json): compact by default, or with the
// INDENT / NEWLINE / SPACE strings of JSON.GET; floats in the shortest form that reads back
// (ryu: "1.0", "0.1", "1e-7", "1.5e300"); strings escaped as serde_json does (only `"`, `\` and
// control characters; other bytes, UTF-8 included, are written as they are). Output is a byte string.

import { JsonFloat, JsonObject, type JsonValue } from "./value.js";

/** JSON.GET formatting strings; all absent means compact output. */
export interface JsonFormat {
  indent?: string;
  newline?: string;
  space?: string;
}

const NEEDS_ESCAPE = /["\\\x00-\x1f]/;
const SHORT_ESCAPES: Record<number, string> = { 0x08: "\\b", 0x09: "\\t", 0x0a: "\\n", 0x0c: "\\f", 0x0d: "\\r", 0x22: '\\"', 0x5c: "\\\\" };

/** A byte string as a quoted JSON string. */
export function quoteString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c !== 0x22 && c !== 0x5c) continue;
    out += s.slice(start, i) + (SHORT_ESCAPES[c] ?? "\\u00" + c.toString(16).padStart(2, "0"));
    start = i + 1;
  }
  return out + s.slice(start) + '"';
}

/** A finite double as Rust's ryu formats it: shortest round-trip digits, always a float form. */
export function formatFloat(v: number): string {
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const sign = v < 0 ? "-" : "";
  // toExponential() gives the shortest digits that read back: d.ddde±x.
  const [mantissa, exp] = Math.abs(v).toExponential().split("e");
  const digits = mantissa.replace(".", "");
  const length = digits.length;
  const kk = Number(exp) + 1; // the decimal point sits after kk digits
  if (kk >= length && kk <= 16) return sign + digits + "0".repeat(kk - length) + ".0";
  if (kk > 0 && kk <= 16) return sign + digits.slice(0, kk) + "." + digits.slice(kk);
  if (kk > -5 && kk <= 0) return sign + "0." + "0".repeat(-kk) + digits;
  const e = "e" + (kk - 1);
  return sign + (length === 1 ? digits : digits[0] + "." + digits.slice(1)) + e;
}

/** A scalar's JSON text (null, booleans, numbers, strings). */
function scalar(v: JsonValue): string {
  if (v === null) return "null";
  switch (typeof v) {
    case "boolean":
      return v ? "true" : "false";
    case "number":
    case "bigint":
      return String(v);
    case "string":
      return quoteString(v);
  }
  return formatFloat((v as JsonFloat).v);
}

function compact(v: JsonValue): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    let out = "[" + compact(v[0]);
    for (let i = 1; i < v.length; i++) out += "," + compact(v[i]);
    return out + "]";
  }
  if (v instanceof JsonObject) {
    if (v.size === 0) return "{}";
    let out = "{";
    for (let i = 0; i < v.size; i++) out += (i === 0 ? "" : ",") + quoteString(v.keys[i]) + ":" + compact(v.values[i]);
    return out + "}";
  }
  return scalar(v);
}

/** serde's formatter with RedisJSON's options: a newline plus indent before each item and closer. */
class Pretty {
  private readonly indent: string;
  private readonly newline: string;
  private readonly colon: string;

  constructor(format: JsonFormat) {
    this.indent = format.indent ?? "";
    this.newline = format.newline ?? "";
    this.colon = ":" + (format.space ?? "");
  }

  write(v: JsonValue, level: number): string {
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      const inner = this.lineBreak(level + 1);
      let out = "[";
      for (let i = 0; i < v.length; i++) out += (i === 0 ? "" : ",") + inner + this.write(v[i], level + 1);
      return out + this.lineBreak(level) + "]";
    }
    if (v instanceof JsonObject) {
      if (v.size === 0) return "{}";
      const inner = this.lineBreak(level + 1);
      let out = "{";
      for (let i = 0; i < v.size; i++) {
        out += (i === 0 ? "" : ",") + inner + quoteString(v.keys[i]) + this.colon + this.write(v.values[i], level + 1);
      }
      return out + this.lineBreak(level) + "}";
    }
    return scalar(v);
  }

  private lineBreak(level: number): string {
    return this.newline + this.indent.repeat(level);
  }
}

function isCompact(format: JsonFormat | undefined): boolean {
  return format === undefined || (format.indent === undefined && format.newline === undefined && format.space === undefined);
}

/** A value's JSON text. */
export function toJson(v: JsonValue, format?: JsonFormat): string {
  return isCompact(format) ? compact(v) : new Pretty(format!).write(v, 0);
}

/** Keys with values as a JSON object, keys in the given order (JSON.GET with several paths). */
export function toJsonObject(entries: [string, JsonValue][], format?: JsonFormat): string {
  const obj = new JsonObject();
  for (const [k, v] of entries) obj.set(k, v);
  return toJson(obj, format);
}
