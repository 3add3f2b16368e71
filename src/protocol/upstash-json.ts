// Upstash JSON: encodes a Reply tree as the Upstash REST API answers it. Results are RESP2-shaped
// whatever the session's protocol (maps flatten to [k1, v1, ...], doubles become strings, booleans
// 1/0), byte strings are sent as UTF-8 text (invalid sequences become U+FFFD) or, in base64 mode
// (`Upstash-Encoding: base64`), every string becomes the base64 of its bytes — except a top-level
// simple "OK", which the official client expects literally. Error texts are never base64-encoded.

import type { Reply } from "./reply.js";
import { formatDouble } from "./number-format.js";

const NON_ASCII = /[\x80-\xff]/;
/** Chars a JSON string literal cannot hold as they are, and bytes that are not ASCII. */
const NOT_PLAIN = /["\\\x00-\x1f\x80-\xff]/;

/** A byte string as a UTF-8 JS string (what JSON carries). */
export function bytesToText(bytes: string): string {
  return NON_ASCII.test(bytes) ? Buffer.from(bytes, "latin1").toString("utf8") : bytes;
}

/** A byte string as a JSON string literal: text, or the base64 of its bytes. */
function stringJson(bytes: string, base64: boolean): string {
  if (base64) return '"' + Buffer.from(bytes, "latin1").toString("base64") + '"';
  return NOT_PLAIN.test(bytes) ? JSON.stringify(bytesToText(bytes)) : '"' + bytes + '"';
}

function listJson(items: Reply[], base64: boolean): string {
  if (items.length === 0) return "[]";
  let out = "[" + valueJson(items[0], base64);
  for (let i = 1; i < items.length; i++) out += "," + valueJson(items[i], base64);
  return out + "]";
}

/** The JSON value of a reply nested anywhere in a result. */
function valueJson(reply: Reply, base64: boolean): string {
  switch (reply.t) {
    case "bulk":
    case "simple":
    case "verbatim":
    case "error":
      return stringJson(reply.v, base64);
    case "int":
      return String(reply.v);
    case "null":
    case "nullarray":
    case "noreply":
      return "null";
    case "array":
    case "map":
    case "set":
    case "push":
      return listJson(reply.v, base64);
    case "double":
      return stringJson(formatDouble(reply.v), base64);
    case "bool":
      return reply.v ? "1" : "0";
    case "bignum":
      return stringJson(reply.v.toString(), base64);
  }
}

/** The body for one command: {"result": ...} or {"error": "..."}. */
export function replyJson(reply: Reply, base64: boolean): string {
  if (reply.t === "error") return errorJson(reply.v);
  if (reply.t === "simple" && reply.v === "OK") return '{"result":"OK"}';
  return '{"result":' + valueJson(reply, base64) + "}";
}

/** The body of a whole-request or per-item error. */
export function errorJson(message: string): string {
  return '{"error":' + JSON.stringify(bytesToText(message)) + "}";
}

/** The body for /pipeline and /multi-exec: one {"result"}/{"error"} object per command. */
export function repliesJson(replies: Reply[], base64: boolean): string {
  let out = "[";
  for (let i = 0; i < replies.length; i++) out += (i === 0 ? "" : ",") + replyJson(replies[i], base64);
  return out + "]";
}
