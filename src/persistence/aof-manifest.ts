// The AOF manifest of Redis 7's multi-part AOF: one line per file in appenddirname,
// `file <name> seq <n> type <b|h|i>` (base, history, incremental), read and written the way
// redis-server and redis-check-aof do, so either side can load the other's AOF directory.

import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export type AofFileType = "b" | "h" | "i";

export interface AofFile {
  name: string;
  seq: number;
  type: AofFileType;
}

export class ManifestError extends Error {}

export class Manifest {
  base: AofFile | null = null;
  incrs: AofFile[] = [];
  history: AofFile[] = [];

  /** The highest sequence numbers used so far (new files take the next ones). */
  get lastBaseSeq(): number {
    return Math.max(this.base?.seq ?? 0, ...this.history.filter((f) => f.type === "b").map((f) => f.seq), 0);
  }

  get lastIncrSeq(): number {
    return Math.max(0, ...this.incrs.map((f) => f.seq), ...this.history.filter((f) => f.type === "i").map((f) => f.seq));
  }

  /** Files to load, in order: the base, then the incremental files. */
  get loadOrder(): AofFile[] {
    return this.base ? [this.base, ...this.incrs] : [...this.incrs];
  }

  static parse(text: string): Manifest {
    const m = new Manifest();
    for (const rawLine of text.split("\n")) {
      const line = rawLine.trim();
      if (line === "" || line.startsWith("#")) continue;
      const words = splitWords(line);
      if (words === null || words.length % 2 !== 0) throw new ManifestError("Invalid AOF manifest file format");
      const fields = new Map<string, string>();
      for (let i = 0; i < words.length; i += 2) fields.set(words[i], words[i + 1]);
      const name = fields.get("file");
      const seq = Number(fields.get("seq"));
      const type = fields.get("type");
      if (!name || !Number.isInteger(seq) || seq < 0 || (type !== "b" && type !== "h" && type !== "i")) {
        throw new ManifestError("Invalid AOF manifest file format");
      }
      const file: AofFile = { name, seq, type };
      if (type === "b") {
        if (m.base) throw new ManifestError("Found duplicate base file information");
        m.base = file;
      } else if (type === "h") m.history.push(file);
      else {
        if (m.incrs.length > 0 && seq <= m.incrs[m.incrs.length - 1].seq) {
          throw new ManifestError("Found a non-monotonic sequence number");
        }
        m.incrs.push(file);
      }
    }
    if (!m.base && m.incrs.length === 0) throw new ManifestError("Found an empty AOF manifest");
    return m;
  }

  toString(): string {
    const line = (f: AofFile) => `file ${quoteName(f.name)} seq ${f.seq} type ${f.type}\n`;
    return (this.base ? line(this.base) : "") + this.history.map(line).join("") + this.incrs.map(line).join("");
  }

  clone(): Manifest {
    const m = new Manifest();
    m.base = this.base && { ...this.base };
    m.incrs = this.incrs.map((f) => ({ ...f }));
    m.history = this.history.map((f) => ({ ...f }));
    return m;
  }

  /** Writes the manifest atomically (temp file, fsync, rename, fsync of the directory). */
  save(dir: string, name: string): void {
    const path = join(dir, name);
    const temp = join(dir, `temp-${name}`);
    writeFileSync(temp, this.toString(), "latin1");
    const fd = openSync(temp, "r+");
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, path);
    fsyncDir(dir);
  }

  static load(dir: string, name: string): Manifest | null {
    const path = join(dir, name);
    if (!existsSync(path)) return null;
    return Manifest.parse(readFileSync(path, "latin1"));
  }
}

/** Makes a rename or file creation in dir durable. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some platforms cannot fsync a directory; the rename itself is still atomic.
  }
}

function quoteName(name: string): string {
  if (/^[\x21-\x7e]+$/.test(name) && !name.includes('"') && !name.includes("'")) return name;
  let out = '"';
  for (const ch of name) {
    const c = ch.charCodeAt(0);
    if (ch === "\\" || ch === '"') out += "\\" + ch;
    else if (c < 32 || c > 126) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + '"';
}

/** Splits a line into words as Redis's sdssplitargs does (double-quoted words with escapes). */
function splitWords(line: string): string[] | null {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && line[i] === " ") i++;
    if (i >= line.length) break;
    let word = "";
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return null;
        const ch = line[i];
        if (ch === '"') {
          i++;
          break;
        }
        if (ch === "\\" && line[i + 1] === "x" && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          word += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 4;
        } else if (ch === "\\" && i + 1 < line.length) {
          const e = line[i + 1];
          word += e === "n" ? "\n" : e === "r" ? "\r" : e === "t" ? "\t" : e;
          i += 2;
        } else {
          word += ch;
          i++;
        }
      }
    } else {
      while (i < line.length && line[i] !== " ") word += line[i++];
    }
    words.push(word);
  }
  return words;
}
