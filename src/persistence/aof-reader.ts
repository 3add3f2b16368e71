// Reading AOF files: RESP commands ("*<argc>" then "$<len>" bulk arguments), annotations (lines
// starting with '#'), and the offsets a loader or `restash check-aof` needs: where the last
// complete command ends (a truncated tail is cut there) and where a bad format begins.

import { readSync } from "node:fs";
import { latin1 } from "./encodings.js";

/** The file ends inside a command (a crash mid-write). */
export class AofTruncated extends Error {
  constructor(readonly offset: number) {
    super(`unexpected end of file at offset ${offset}`);
  }
}

/** Bytes that are not RESP at offset. */
export class AofCorrupt extends Error {
  constructor(
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`bad file format at offset ${offset}: ${reason}`);
  }
}

const WINDOW = 8 << 20;
const CR = 13;
const LF = 10;
/** Marks "need more bytes" inside the parser. */
const MORE = -1;

export class AofCommandReader {
  private buf: Buffer = Buffer.allocUnsafe(WINDOW);
  private pos = 0;
  private end = 0;
  /** File offset of buf[0]. */
  private base: number;
  private eof = false;
  /** Offset just after the last complete command (or annotation). */
  validUpTo: number;

  constructor(
    private readonly fd: number,
    start = 0,
  ) {
    this.base = start;
    this.validUpTo = start;
  }

  /** Reads more of the file, keeping bytes from `from` on; false at the end of the file. */
  private refill(from: number): boolean {
    if (this.eof) return false;
    const keep = this.end - from;
    if (keep > this.buf.length / 2) {
      const bigger = Buffer.allocUnsafe(this.buf.length * 2);
      this.buf.copy(bigger, 0, from, this.end);
      this.buf = bigger;
    } else this.buf.copy(this.buf, 0, from, this.end);
    this.base += from;
    this.pos -= from;
    this.end = keep;
    const got = readSync(this.fd, this.buf, this.end, this.buf.length - this.end, this.base + this.end);
    if (got === 0) this.eof = true;
    this.end += got;
    return got > 0;
  }

  /** The next command; null at a clean end of file. Throws AofTruncated or AofCorrupt. */
  next(): string[] | null {
    for (;;) {
      const start = this.pos;
      const argv = this.parse();
      if (argv !== null && argv !== MORE) {
        this.validUpTo = this.base + this.pos;
        if (argv.length === 0) continue; // an annotation
        return argv;
      }
      this.pos = start;
      if (this.pos === this.end && this.eof) return null;
      if (!this.refill(start)) {
        if (this.pos === this.end) return null;
        throw new AofTruncated(this.base + this.pos);
      }
    }
  }

  /** Parses one command at pos: argv ([] for an annotation), MORE, or throws AofCorrupt. */
  private parse(): string[] | typeof MORE | null {
    const buf = this.buf;
    if (this.pos >= this.end) return MORE;
    const first = buf[this.pos];
    if (first === 35 /* '#' */) {
      const nl = buf.indexOf(LF, this.pos);
      if (nl < 0 || nl >= this.end) return MORE;
      this.pos = nl + 1;
      return [];
    }
    const at = this.base + this.pos;
    if (first !== 42 /* '*' */) throw new AofCorrupt(at, "expected '*'");
    this.pos++;
    const argc = this.integer(at);
    if (argc === MORE) return MORE;
    if (argc < 1) throw new AofCorrupt(at, "invalid argument count");
    const argv = new Array<string>(argc);
    for (let i = 0; i < argc; i++) {
      if (this.pos >= this.end) return MORE;
      if (buf[this.pos] !== 36 /* '$' */) throw new AofCorrupt(at, "expected '$'");
      this.pos++;
      const len = this.integer(at);
      if (len === MORE) return MORE;
      if (len < 0) throw new AofCorrupt(at, "invalid bulk length");
      if (this.end - this.pos < len + 2) return MORE;
      argv[i] = latin1(buf, this.pos, this.pos + len);
      this.pos += len;
      if (buf[this.pos] !== CR || buf[this.pos + 1] !== LF) throw new AofCorrupt(at, "expected CRLF after an argument");
      this.pos += 2;
    }
    return argv;
  }

  /** A decimal line ending in CRLF at pos (after its '*' or '$'). */
  private integer(at: number): number {
    const buf = this.buf;
    let n = 0;
    let digits = 0;
    let neg = false;
    let p = this.pos;
    if (p < this.end && buf[p] === 45) {
      neg = true;
      p++;
    }
    for (; p < this.end; p++) {
      const c = buf[p];
      if (c >= 48 && c <= 57) {
        n = n * 10 + (c - 48);
        if (++digits > 15) throw new AofCorrupt(at, "number too long");
        continue;
      }
      if (c !== CR) throw new AofCorrupt(at, "invalid number");
      if (p + 1 >= this.end) return MORE;
      if (buf[p + 1] !== LF || digits === 0) throw new AofCorrupt(at, "invalid number");
      this.pos = p + 2;
      return neg ? -n : n;
    }
    return MORE;
  }
}

/** A growable buffer of RESP commands (the AOF's pending writes): no intermediate strings. */
export class RespBuffer {
  buf = Buffer.allocUnsafe(64 * 1024);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  /** Appends "<prefix><n>\r\n". */
  private header(prefix: number, n: number): void {
    const buf = this.buf;
    let p = this.length;
    buf[p++] = prefix;
    if (n < 10) buf[p++] = 48 + n;
    else p += buf.write(String(n), p, "latin1");
    buf[p++] = 13;
    buf[p++] = 10;
    this.length = p;
  }

  append(argv: string[]): void {
    let size = 16;
    for (const arg of argv) size += arg.length + 24;
    this.ensure(size);
    this.header(42, argv.length);
    for (const arg of argv) {
      this.header(36, arg.length);
      const p = this.length;
      if (arg.length > 0) this.length += this.buf.write(arg, p, arg.length, "latin1");
      this.buf[this.length++] = 13;
      this.buf[this.length++] = 10;
    }
  }

  /** The bytes appended so far (a view, valid until the next append or clear). */
  bytes(): Buffer {
    return this.buf.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
    // A burst (a huge MULTI, a rewrite tail) does not keep its big buffer forever.
    if (this.buf.length > 16 << 20) this.buf = Buffer.allocUnsafe(64 * 1024);
  }
}

/** RESP encoding of one command, as a byte string (what the AOF stores). */
export function respCommand(argv: string[]): string {
  let out = `*${argv.length}\r\n`;
  for (const arg of argv) out += `$${arg.length}\r\n${arg}\r\n`;
  return out;
}
