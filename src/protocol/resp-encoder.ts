// RESP2 / RESP3 encoder: turns a Reply tree into wire bytes, as a latin1 byte string that the
// transport appends to its per-batch output and converts to a Buffer once per write.

import type { Reply } from "./reply.js";
import { formatDouble } from "./number-format.js";

export type RespVersion = 2 | 3;

/** Error lines cannot carry CR/LF: Redis replaces them with spaces. */
function errorLine(message: string): string {
  return /[\r\n]/.test(message) ? message.replace(/[\r\n]/g, " ") : message;
}

function aggregate(prefix: string, items: Reply[], proto: RespVersion, count = items.length): string {
  let out = prefix + count + "\r\n";
  for (let i = 0; i < items.length; i++) out += encode(items[i], proto);
  return out;
}

export function encode(reply: Reply, proto: RespVersion): string {
  switch (reply.t) {
    case "bulk":
      return "$" + reply.v.length + "\r\n" + reply.v + "\r\n";
    case "simple":
      return "+" + reply.v + "\r\n";
    case "int":
      return ":" + reply.v + "\r\n";
    case "error":
      return "-" + errorLine(reply.v) + "\r\n";
    case "null":
      return proto === 3 ? "_\r\n" : "$-1\r\n";
    case "nullarray":
      return proto === 3 ? "_\r\n" : "*-1\r\n";
    case "array":
      return aggregate("*", reply.v, proto);
    case "map":
      return proto === 3 ? aggregate("%", reply.v, proto, reply.v.length / 2) : aggregate("*", reply.v, proto);
    case "set":
      return aggregate(proto === 3 ? "~" : "*", reply.v, proto);
    case "push":
      return aggregate(proto === 3 ? ">" : "*", reply.v, proto);
    case "double": {
      const text = formatDouble(reply.v);
      return proto === 3 ? "," + text + "\r\n" : "$" + text.length + "\r\n" + text + "\r\n";
    }
    case "bool":
      return proto === 3 ? (reply.v ? "#t\r\n" : "#f\r\n") : reply.v ? ":1\r\n" : ":0\r\n";
    case "bignum": {
      const text = reply.v.toString();
      return proto === 3 ? "(" + text + "\r\n" : "$" + text.length + "\r\n" + text + "\r\n";
    }
    case "verbatim":
      return proto === 3
        ? "=" + (reply.v.length + 4) + "\r\n" + reply.format + ":" + reply.v + "\r\n"
        : "$" + reply.v.length + "\r\n" + reply.v + "\r\n";
    case "noreply":
      return "";
  }
}
