// Streaming RESP request parser: multibulk ("*N\r\n$L\r\n...") and inline commands, over Buffers.
// Pull style: feed() appends input, next() returns one complete argv (byte strings) or null.
// Errors are Redis's protocol error texts; after one the connection must be closed.

import { splitInlineArgs } from "./inline-args.js";

/** Longest inline command or count line Redis accepts before giving up (PROTO_INLINE_MAX_SIZE). */
export const INLINE_MAX = 64 * 1024;
const CR = 13;
const LF = 10;
const EMPTY = Buffer.alloc(0);

export class ProtocolError extends Error {}

export interface ParserLimits {
  /** proto-max-bulk-len */
  maxBulkLen(): number;
  /** False before AUTH when a password is required: Redis then caps request sizes. */
  authenticated(): boolean;
}

export class RespParser {
  private buf: Buffer = EMPTY;
  private pos = 0;
  /** buf is the caller's memory (see feed). */
  private borrowed = false;
  /** Arguments of the multibulk request being read, and how many are still missing. */
  private args: string[] | null = null;
  private missing = 0;
  /** Large bulk being received straight into its own buffer. */
  private big: Buffer | null = null;
  private bigFilled = 0;

  constructor(private readonly limits: ParserLimits) {}

  /** Bytes received but not yet turned into commands (the query buffer). */
  get pending(): number {
    return this.buf.length - this.pos + this.bigFilled;
  }

  /**
   * Appends input. A borrowed chunk belongs to the caller: it may be parsed in place, but
   * keepPending() must be called before the caller reuses its memory.
   */
  feed(chunk: Buffer, borrowed = false): void {
    if (this.big) {
      const take = Math.min(chunk.length, this.big.length - this.bigFilled);
      chunk.copy(this.big, this.bigFilled, 0, take);
      this.bigFilled += take;
      chunk = chunk.subarray(take);
      if (chunk.length === 0) return;
    }
    if (this.pos >= this.buf.length) {
      this.buf = chunk;
      this.borrowed = borrowed;
    } else {
      this.buf = Buffer.concat([this.buf.subarray(this.pos), chunk]);
      this.borrowed = false;
    }
    this.pos = 0;
  }

  /** Copies the unparsed rest of a borrowed chunk, so the parser no longer refers to it. */
  keepPending(): void {
    if (!this.borrowed) return;
    this.buf = this.pos < this.buf.length ? Buffer.from(this.buf.subarray(this.pos)) : EMPTY;
    this.pos = 0;
    this.borrowed = false;
  }

  /** Next complete command, or null when more input is needed. Throws ProtocolError. */
  next(): string[] | null {
    for (;;) {
      if (this.args === null) {
        if (this.pos >= this.buf.length) return null;
        const first = this.buf[this.pos];
        if (first === 42 /* '*' */) {
          const count = this.readCountLine("mbulk");
          if (count === null) return null;
          if (count > 2147483647) throw new ProtocolError("Protocol error: invalid multibulk length");
          if (!this.limits.authenticated() && count > 10) {
            throw new ProtocolError("Protocol error: unauthenticated multibulk length");
          }
          if (count <= 0) continue; // Redis ignores empty and negative multibulk requests
          this.args = [];
          this.missing = count;
        } else {
          const argv = this.readInline();
          if (argv === null) return null;
          if (argv.length === 0) continue;
          return argv;
        }
      }
      const done = this.readBulks();
      if (!done) return null;
      const argv = this.args!;
      this.args = null;
      return argv;
    }
  }

  private readBulks(): boolean {
    const args = this.args!;
    while (this.missing > 0) {
      if (this.big) {
        if (this.bigFilled < this.big.length) return false;
        // Trailing CRLF of the big bulk follows in buf.
        if (this.buf.length - this.pos < 2) return false;
        args.push(this.big.toString("latin1"));
        this.big = null;
        this.bigFilled = 0;
        this.pos += 2;
        this.missing--;
        continue;
      }
      if (this.pos >= this.buf.length) return false;
      const c = this.buf[this.pos];
      if (c !== 36 /* '$' */) {
        throw new ProtocolError(`Protocol error: expected '$', got '${String.fromCharCode(c)}'`);
      }
      const save = this.pos;
      const len = this.readCountLine("bulk");
      if (len === null) return false;
      if (len < 0 || len > this.limits.maxBulkLen()) throw new ProtocolError("Protocol error: invalid bulk length");
      if (!this.limits.authenticated() && len > 16384) {
        throw new ProtocolError("Protocol error: unauthenticated bulk length");
      }
      const avail = this.buf.length - this.pos;
      if (avail >= len + 2) {
        args.push(this.buf.toString("latin1", this.pos, this.pos + len));
        this.pos += len + 2;
        this.missing--;
      } else if (len >= 32 * 1024) {
        // Receive big payloads into a buffer of their own, avoiding repeated concatenation.
        this.big = Buffer.allocUnsafe(len);
        const take = Math.min(avail, len);
        this.buf.copy(this.big, 0, this.pos, this.pos + take);
        this.bigFilled = take;
        this.pos += take;
      } else {
        this.pos = save; // re-read the header once the whole bulk has arrived
        return false;
      }
    }
    return true;
  }

  /** Reads "*N\r\n" or "$N\r\n" at pos; returns N or null if the line is incomplete. */
  private readCountLine(kind: "mbulk" | "bulk"): number | null {
    const buf = this.buf;
    const end = buf.indexOf(CR, this.pos + 1);
    if (end < 0 || end + 1 >= buf.length) {
      if (buf.length - this.pos > INLINE_MAX) throw new ProtocolError(`Protocol error: too big ${kind} count string`);
      return null;
    }
    if (end - this.pos - 1 > INLINE_MAX) throw new ProtocolError(`Protocol error: too big ${kind} count string`);
    const value = parseCount(buf, this.pos + 1, end);
    if (value === null) {
      throw new ProtocolError(kind === "mbulk" ? "Protocol error: invalid multibulk length" : "Protocol error: invalid bulk length");
    }
    this.pos = end + 2;
    return value;
  }

  private readInline(): string[] | null {
    const buf = this.buf;
    const nl = buf.indexOf(LF, this.pos);
    if (nl < 0) {
      if (buf.length - this.pos > INLINE_MAX) throw new ProtocolError("Protocol error: too big inline request");
      return null;
    }
    let end = nl;
    if (end > this.pos && buf[end - 1] === CR) end--;
    const line = buf.toString("latin1", this.pos, end);
    this.pos = nl + 1;
    const argv = splitInlineArgs(line);
    if (argv === null) throw new ProtocolError("Protocol error: unbalanced quotes in request");
    return argv;
  }
}

/** Parses a decimal count between start and end; null when it is not a valid integer. */
function parseCount(buf: Buffer, start: number, end: number): number | null {
  if (start >= end || end - start > 20) return null;
  let i = start;
  let negative = false;
  if (buf[i] === 45 /* '-' */) {
    negative = true;
    i++;
    if (i === end) return null;
  }
  let n = 0;
  for (; i < end; i++) {
    const d = buf[i] - 48;
    if (d < 0 || d > 9) return null;
    n = n * 10 + d;
  }
  return negative ? -n : n;
}
