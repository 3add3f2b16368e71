// JSONPath as RedisJSON 2.x reads and evaluates it. The grammar: `$` then `.key`, `['key']`,
// `["a","b"]`, `[0]`, `[-1]`, `[0,2]`, `[start:end:step]`, `*`, `..` (recursive descent) and
// filters `[?(@.price < 10 && @.name == "x" || @.tag =~ "^a")]`; spaces may separate tokens.
// Legacy paths (`.`, `.a.b`, `a[0]`) are rewritten to JSONPath and answer with their first match.
// Evaluation order is RedisJSON's (pre-order for `..`), and a query can report the concrete path
// of every match so write commands can edit the document in a safe order.

import { deepEqual, isInt64Value, JsonFloat, JsonObject, type JsonValue, type PathKey } from "./value.js";

/** A path that does not parse; message is RedisJSON's "Error occurred on position ..." text. */
export class PathSyntaxError extends Error {}

type Segment =
  | { readonly t: "keys"; readonly keys: string[] }
  | { readonly t: "indexes"; readonly indexes: number[] }
  | { readonly t: "slice"; readonly start: number | null; readonly end: number | null; readonly step: number }
  | { readonly t: "all" }
  | { readonly t: "scan" }
  | { readonly t: "filter"; readonly filter: Filter };

type Op = ">" | ">=" | "<" | "<=" | "==" | "!=" | "=~";

/** A filter operand: a query from `@` (current) or `$` (root), or a literal. */
type Term = { readonly t: "query"; readonly fromRoot: boolean; readonly path: Segment[] } | TermValue;

/** What a term evaluates to. */
type TermValue =
  | { readonly t: "invalid" }
  | { readonly t: "value"; readonly v: JsonValue }
  | { readonly t: "list"; readonly vs: JsonValue[] }
  | { readonly t: "int"; readonly v: number | bigint }
  | { readonly t: "float"; readonly v: number }
  | { readonly t: "str"; readonly v: string }
  | { readonly t: "bool"; readonly v: boolean }
  | { readonly t: "null" };

interface Comparison {
  readonly t: "cmp";
  readonly left: Term;
  readonly op: Op | null;
  readonly right: Term | null;
}

/** Operands joined by && and ||; && binds tighter. */
interface Filter {
  readonly t: "filter";
  readonly operands: (Comparison | Filter)[];
  readonly relations: ("&&" | "||")[];
}

const INVALID: TermValue = { t: "invalid" };
const LITERAL_CHAR = /[A-Za-z0-9\-_`~+#%$^/:]/;
const OPS: Op[] = [">=", ">", "<=", "<", "==", "!=", "=~"];

/** Recursive descent over the pest grammar of RedisJSON's json_path crate, backtracking like PEG. */
class PathParser {
  private pos = 0;
  private furthest = 0;
  private expected: string[] = [];

  constructor(private readonly s: string) {}

  query(): Segment[] {
    this.space();
    if (!this.token("$", "'$'")) throw this.syntaxError();
    const segments = this.root() ?? [];
    this.space();
    if (this.pos < this.s.length) {
      this.expect("EOI");
      throw this.syntaxError();
    }
    return segments;
  }

  /** Remembers what was wanted at the current position, for the error message. */
  private expect(what: string): void {
    if (this.pos > this.furthest) {
      this.furthest = this.pos;
      this.expected = [];
    }
    if (this.pos === this.furthest && !this.expected.includes(what)) this.expected.push(what);
  }

  private syntaxError(): PathSyntaxError {
    const at = this.furthest;
    const text =
      at >= this.s.length ? `"${this.s} <<<<----"` : `"${this.s.slice(0, at)} ---->>>> ${this.s.slice(at)}"`;
    const wanted = this.expected.length === 0 ? "parsing error" : `expected one of the following: ${this.expected.join(", ")}`;
    return new PathSyntaxError(`Error occurred on position ${at}, ${text}, ${wanted}.`);
  }

  private space(): void {
    while (this.s.charCodeAt(this.pos) === 0x20) this.pos++;
  }

  /** Matches a fixed token after optional spaces; on failure nothing is consumed. */
  private token(text: string, name = `'${text}'`): boolean {
    const start = this.pos;
    this.space();
    if (this.s.startsWith(text, this.pos)) {
      this.pos += text.length;
      return true;
    }
    this.expect(name);
    this.pos = start;
    return false;
  }

  /** Runs an alternative; restores the position when it fails (returns null). */
  private attempt<T>(f: () => T | null): T | null {
    const start = this.pos;
    const r = f();
    if (r === null) this.pos = start;
    return r;
  }

  /** root = (element | first_element) element* */
  private root(): Segment[] | null {
    const first = this.attempt(() => this.element()) ?? this.attempt(() => this.firstElement());
    if (first === null) return null;
    const out = first;
    for (;;) {
      const next = this.attempt(() => this.element());
      if (next === null) return out;
      out.push(...next);
    }
  }

  private firstElement(): Segment[] | null {
    const key = this.literal();
    if (key !== null) return [{ t: "keys", keys: [key] }];
    return this.token("*") ? [{ t: "all" }] : null;
  }

  private element(): Segment[] | null {
    return (
      this.attempt(() => {
        if (!this.token(".")) return null;
        const key = this.literal();
        return key === null ? null : [{ t: "keys", keys: [key] }];
      }) ??
      this.attempt(() => {
        if (!this.token("..")) return null;
        const key = this.literal();
        if (key !== null) return [{ t: "scan" }, { t: "keys", keys: [key] }];
        if (this.token("*")) return [{ t: "scan" }, { t: "all" }];
        const b = this.bracketed();
        return b === null ? null : [{ t: "scan" }, b];
      }) ??
      this.attempt(() => (this.token(".") && this.token("*") ? [{ t: "all" }] : null)) ??
      this.attempt(() => {
        this.attempt(() => (this.token(".") ? true : null));
        const b = this.bracketed();
        return b === null ? null : [b];
      })
    );
  }

  private literal(): string | null {
    this.space();
    const start = this.pos;
    while (this.pos < this.s.length && LITERAL_CHAR.test(this.s[this.pos])) this.pos++;
    if (this.pos > start) return this.s.slice(start, this.pos);
    this.expect("<string>");
    return null;
  }

  /** "[" bracket "]" */
  private bracketed(): Segment | null {
    return this.attempt(() => {
      if (!this.token("[")) return null;
      const inner = this.bracket();
      return inner !== null && this.token("]") ? inner : null;
    });
  }

  private bracket(): Segment | null {
    return (
      this.attempt(() => this.range()) ??
      this.attempt(() => {
        const indexes = this.list(() => this.number(), "'<number>[,<number>,...]'");
        return indexes === null ? null : { t: "indexes", indexes };
      }) ??
      this.attempt(() => {
        const keys = this.list(() => this.string()?.value ?? null, "'<string>[,<string>,...]'");
        return keys === null ? null : { t: "keys", keys };
      }) ??
      (this.token("*") ? { t: "all" } : null) ??
      this.attempt(() => {
        if (!this.token("?")) return null;
        const filter = this.filter();
        return filter === null ? null : { t: "filter", filter };
      })
    );
  }

  /** item ("," item)* */
  private list<T>(item: () => T | null, name: string): T[] | null {
    const first = this.attempt(item);
    if (first === null) {
      this.expect(name);
      return null;
    }
    const out = [first];
    for (;;) {
      const next = this.attempt(() => (this.token(",") ? item() : null));
      if (next === null) return out;
      out.push(next);
    }
  }

  /** [start:end:step] in its four shapes (full, :end, :, start:). */
  private range(): Segment | null {
    const full = this.attempt(() => {
      const start = this.number();
      if (start === null || !this.token(":")) return null;
      const end = this.number();
      return end === null ? null : { start, end };
    });
    const right =
      full ??
      this.attempt(() => {
        if (!this.token(":")) return null;
        const end = this.number();
        return end === null ? null : { start: null, end };
      });
    const open =
      right ??
      this.attempt(() => (this.token(":") ? { start: null, end: null } : null)) ??
      this.attempt(() => {
        const start = this.number();
        return start !== null && this.token(":") ? { start, end: null } : null;
      });
    if (open === null) {
      this.expect("['start:end:steps']");
      return null;
    }
    const step = this.attempt(() => (this.token(":") ? this.positiveNumber() : null));
    if (step === null) this.attempt(() => (this.token(":") ? true : null));
    return { t: "slice", start: open.start, end: open.end, step: step ?? 1 };
  }

  /** number = "-"? [1-9][0-9]* | "-"? [0-9] */
  private number(): number | null {
    this.space();
    const m = /^-?(?:[1-9][0-9]*|[0-9])/.exec(this.s.slice(this.pos));
    if (m === null) {
      this.expect("'<number>'");
      return null;
    }
    this.pos += m[0].length;
    return Number(m[0]);
  }

  private positiveNumber(): number | null {
    this.space();
    const m = /^[1-9][0-9]*/.exec(this.s.slice(this.pos));
    if (m === null) {
      this.expect("pos_number");
      return null;
    }
    this.pos += m[0].length;
    return Number(m[0]);
  }

  /** A quoted string: '...' or "..." with \\ and \<quote> escapes; spaces after the opening quote are skipped. */
  private string(): { value: string } | null {
    this.space();
    const quote = this.s[this.pos];
    if (quote !== "'" && quote !== '"') {
      this.expect("string");
      return null;
    }
    const start = this.pos;
    this.pos++;
    this.space();
    let value = "";
    for (; this.pos < this.s.length; this.pos++) {
      const c = this.s[this.pos];
      if (c === quote) {
        this.pos++;
        return { value };
      }
      if (c === "\\") {
        const next = this.s[this.pos + 1];
        if (next !== quote && next !== "\\") break;
        value += next;
        this.pos++;
      } else {
        value += c;
      }
    }
    this.expect("string");
    this.pos = start;
    return null;
  }

  /** filter = inner (("&&" | "||") inner)*; inner = comparison | "(" filter ")" */
  private filter(): Filter | null {
    const first = this.innerFilter();
    if (first === null) {
      this.expect("'[?(filter_expression)]'");
      return null;
    }
    const operands: (Comparison | Filter)[] = [first];
    const relations: ("&&" | "||")[] = [];
    for (;;) {
      const next = this.attempt(() => {
        const rel: "&&" | "||" | null = this.token("&&") ? "&&" : this.token("||") ? "||" : null;
        if (rel === null) return null;
        const operand = this.innerFilter();
        return operand === null ? null : { rel, operand };
      });
      if (next === null) return { t: "filter", operands, relations };
      relations.push(next.rel);
      operands.push(next.operand);
    }
  }

  private innerFilter(): Comparison | Filter | null {
    return (
      this.attempt(() => this.comparison()) ??
      this.attempt(() => {
        if (!this.token("(")) return null;
        const inner = this.filter();
        return inner !== null && this.token(")") ? inner : null;
      })
    );
  }

  /** term op term | term */
  private comparison(): Comparison | null {
    const left = this.term();
    if (left === null) return null;
    const rest = this.attempt(() => {
      const op = OPS.find((o) => this.token(o)) ?? null;
      if (op === null) return null;
      const right = this.term();
      return right === null ? null : { op, right };
    });
    return { t: "cmp", left, op: rest?.op ?? null, right: rest?.right ?? null };
  }

  private term(): Term | null {
    for (const [sigil, fromRoot] of [
      ["@", false],
      ["$", true],
    ] as const) {
      if (this.token(sigil)) return { t: "query", fromRoot, path: this.attempt(() => this.root()) ?? [] };
    }
    const decimal = this.attempt(() => this.decimal());
    if (decimal !== null) return decimal;
    const str = this.attempt(() => this.string());
    if (str !== null) return { t: "str", v: str.value };
    if (this.token("true")) return { t: "bool", v: true };
    if (this.token("false")) return { t: "bool", v: false };
    if (this.token("null")) return { t: "null" };
    this.expect("term");
    return null;
  }

  /** decimal = number ("." [0-9]+)?: an integer when it fits int64, a double otherwise. */
  private decimal(): TermValue | null {
    this.space();
    const m = /^-?(?:[1-9][0-9]*|[0-9])(?:\.[0-9]+)?/.exec(this.s.slice(this.pos));
    if (m === null) {
      this.expect("decimal");
      return null;
    }
    this.pos += m[0].length;
    if (!m[0].includes(".")) {
      const n = BigInt(m[0]);
      if (n >= -(2n ** 63n) && n < 2n ** 63n) return { t: "int", v: Number.isSafeInteger(Number(n)) ? Number(n) : n };
    }
    return { t: "float", v: Number(m[0]) };
  }
}

/** RedisJSON's index normalization: negatives count from the end and clamp at 0; large ones clamp at n. */
function absoluteIndex(i: number, n: number): number {
  return i >= 0 ? Math.min(i, n) : Math.max(i + n, 0);
}

/** The children of a container with their keys; nothing for scalars. */
function forEachChild(v: JsonValue, visit: (key: PathKey, child: JsonValue) => void): void {
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) visit(i, v[i]);
  } else if (v instanceof JsonObject) {
    for (let i = 0; i < v.size; i++) visit(v.keys[i], v.values[i]);
  }
}

/** Walks a query over a document, collecting matches (and their concrete paths when tracked). */
class Walk {
  readonly values: JsonValue[] = [];
  readonly paths: PathKey[][] | null;
  private readonly stack: PathKey[] = [];

  constructor(
    private readonly root: JsonValue,
    track: boolean,
  ) {
    this.paths = track ? [] : null;
  }

  run(segments: Segment[], i: number, v: JsonValue): void {
    if (i === segments.length) {
      this.values.push(v);
      this.paths?.push(this.stack.slice());
      return;
    }
    const seg = segments[i];
    switch (seg.t) {
      case "keys":
        if (v instanceof JsonObject) {
          for (const key of seg.keys) {
            const child = v.get(key);
            if (child !== undefined) this.child(segments, i + 1, key, child);
          }
        }
        return;
      case "indexes":
        if (Array.isArray(v)) {
          for (const raw of seg.indexes) {
            const index = absoluteIndex(raw, v.length);
            if (index < v.length) this.child(segments, i + 1, index, v[index]);
          }
        }
        return;
      case "slice":
        if (Array.isArray(v)) {
          const n = v.length;
          const start = seg.start === null ? 0 : absoluteIndex(seg.start, n);
          const end = seg.end === null ? n : absoluteIndex(seg.end, n);
          for (let k = start; k < end; k += seg.step) this.child(segments, i + 1, k, v[k]);
        }
        return;
      case "all":
        forEachChild(v, (key, child) => this.child(segments, i + 1, key, child));
        return;
      case "scan":
        this.run(segments, i + 1, v);
        this.descend(segments, i + 1, v);
        return;
      case "filter":
        forEachChild(v, (key, child) => {
          if (this.test(seg.filter, child)) this.child(segments, i + 1, key, child);
        });
        return;
    }
  }

  private child(segments: Segment[], i: number, key: PathKey, v: JsonValue): void {
    this.stack.push(key);
    this.run(segments, i, v);
    this.stack.pop();
  }

  /** `..`: the rest of the query from every descendant, in pre-order. */
  private descend(segments: Segment[], i: number, v: JsonValue): void {
    forEachChild(v, (key, child) => {
      this.stack.push(key);
      this.run(segments, i, child);
      this.descend(segments, i, child);
      this.stack.pop();
    });
  }

  /** Evaluates a filter on one candidate: && before ||, left to right. */
  private test(filter: Filter, v: JsonValue): boolean {
    let result = this.operand(filter.operands[0], v);
    for (let k = 0; k < filter.relations.length; k++) {
      if (filter.relations[k] === "||") {
        if (result) return true;
        result = this.operand(filter.operands[k + 1], v);
      } else if (result) {
        result = this.operand(filter.operands[k + 1], v);
      }
    }
    return result;
  }

  private operand(o: Comparison | Filter, v: JsonValue): boolean {
    if (o.t === "filter") return this.test(o, v);
    const left = this.evaluate(o.left, v);
    if (o.op === null) return left.t !== "invalid";
    return compare(left, o.op, this.evaluate(o.right!, v));
  }

  private evaluate(term: Term, current: JsonValue): TermValue {
    if (term.t !== "query") return term;
    const base = term.fromRoot ? this.root : current;
    if (term.path.length === 0) return { t: "value", v: base };
    const sub = new Walk(this.root, false);
    sub.run(term.path, 0, base);
    const found = sub.values;
    if (found.length === 0) return INVALID;
    return found.length === 1 ? { t: "value", v: found[0] } : { t: "list", vs: found };
  }
}

/** A term as a comparable scalar; containers, lists and invalid terms are not comparable. */
function scalar(t: TermValue): TermValue | null {
  if (t.t !== "value") return t.t === "list" || t.t === "invalid" ? null : t;
  const v = t.v;
  if (v === null) return { t: "null" };
  switch (typeof v) {
    case "boolean":
      return { t: "bool", v };
    case "string":
      return { t: "str", v };
    case "number":
    case "bigint":
      return isInt64Value(v) ? { t: "int", v } : { t: "float", v: Number(v) };
  }
  return v instanceof JsonFloat ? { t: "float", v: v.v } : null;
}

/** -1, 0 or 1, or NaN when the two are not comparable. */
function order(a: TermValue, b: TermValue): number {
  const x = scalar(a);
  const y = scalar(b);
  if (x === null || y === null) return NaN;
  if ((x.t === "int" || x.t === "float") && (y.t === "int" || y.t === "float")) {
    if (x.t === "int" && y.t === "int") return x.v < y.v ? -1 : x.v > y.v ? 1 : 0;
    const p = Number(x.v);
    const q = Number(y.v);
    return p < q ? -1 : p > q ? 1 : 0;
  }
  if (x.t !== y.t) return NaN;
  switch (x.t) {
    case "str": {
      const q = (y as { v: string }).v;
      return x.v < q ? -1 : x.v > q ? 1 : 0;
    }
    case "bool":
      return Number(x.v) - Number((y as { v: boolean }).v);
    case "null":
      return 0;
  }
  return NaN;
}

/** A comparison where either side may be a node list: true when any node satisfies it. */
function compare(a: TermValue, op: Op, b: TermValue): boolean {
  if (op === "!=") return !compare(a, "==", b);
  if (a.t === "list") return a.vs.some((v) => compare({ t: "value", v }, op, b));
  if (b.t === "list") return b.vs.some((v) => compare(a, op, { t: "value", v }));
  switch (op) {
    case "==":
      return a.t === "value" && b.t === "value" ? deepEqual(a.v, b.v) : order(a, b) === 0;
    case "=~":
      return regexMatch(a, b);
    case ">":
      return order(a, b) > 0;
    case ">=":
      return order(a, b) >= 0;
    case "<":
      return order(a, b) < 0;
    case "<=":
      return order(a, b) <= 0;
  }
}

const NON_ASCII = /[\x80-\xff]/;

function text(bytes: string): string {
  return NON_ASCII.test(bytes) ? Buffer.from(bytes, "latin1").toString("utf8") : bytes;
}

const regexCache = new Map<string, RegExp | null>();

/** A Rust-regex pattern as a JS RegExp (leading inline flags become flags); null when invalid. */
function regex(pattern: string): RegExp | null {
  let re = regexCache.get(pattern);
  if (re !== undefined) return re;
  const inline = /^\(\?([imsU]+)\)/.exec(pattern);
  const flags = "u" + (inline?.[1].replace(/[^ims]/g, "") ?? "");
  try {
    re = new RegExp(text(inline ? pattern.slice(inline[0].length) : pattern), [...new Set(flags)].join(""));
  } catch {
    re = null;
  }
  if (regexCache.size >= 1000) regexCache.clear();
  regexCache.set(pattern, re);
  return re;
}

/** `=~`: a string value on the left, a pattern (a string literal or string value) on the right. */
function regexMatch(a: TermValue, b: TermValue): boolean {
  if (a.t !== "value" || typeof a.v !== "string") return false;
  const pattern = b.t === "str" ? b.v : b.t === "value" && typeof b.v === "string" ? b.v : null;
  if (pattern === null) return false;
  return regex(pattern)?.test(text(a.v)) ?? false;
}

/** The last step of a static path: an object key or an array index. */
export type LastStep = { readonly key: string } | { readonly index: number };

/** A compiled JSONPath query. */
export class JsonPath {
  constructor(private readonly segments: Segment[]) {}

  /** Number of steps (`..a` counts two). */
  get size(): number {
    return this.segments.length;
  }

  /** A static path names at most one location: only single keys and single indexes. */
  get isStatic(): boolean {
    return this.segments.every(
      (s) => (s.t === "keys" && s.keys.length === 1) || (s.t === "indexes" && s.indexes.length === 1),
    );
  }

  /** The path without its last step, and that step (static, non-empty paths only). */
  splitLast(): { parent: JsonPath; last: LastStep } {
    const last = this.segments[this.segments.length - 1];
    const parent = new JsonPath(this.segments.slice(0, -1));
    return { parent, last: last.t === "keys" ? { key: last.keys[0] } : { index: (last as { indexes: number[] }).indexes[0] } };
  }

  /** The matching values, in RedisJSON's order. */
  select(root: JsonValue): JsonValue[] {
    if (this.segments.length === 0) return [root];
    const walk = new Walk(root, false);
    walk.run(this.segments, 0, root);
    return walk.values;
  }

  /** The matching values with their concrete paths. */
  selectWithPaths(root: JsonValue): { values: JsonValue[]; paths: PathKey[][] } {
    const walk = new Walk(root, true);
    walk.run(this.segments, 0, root);
    return { values: walk.values, paths: walk.paths! };
  }
}

const compiled = new Map<string, JsonPath>();

/** Compiles a JSONPath (cached); throws PathSyntaxError. */
export function compilePath(path: string): JsonPath {
  let q = compiled.get(path);
  if (q === undefined) {
    q = new JsonPath(new PathParser(path).query());
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(path, q);
  }
  return q;
}

/** A path argument: JSONPath (`$...`) or legacy (`.a`, `a.b`), which reads as `$.a` / `$.a.b`. */
export class PathArg {
  /** The JSONPath this argument means. */
  readonly path: string;
  readonly legacy: boolean;

  constructor(readonly original: string) {
    const c = original.charCodeAt(1);
    this.legacy = !(original.startsWith("$") && (original.length === 1 || c === 0x2e || c === 0x5b));
    if (!this.legacy) this.path = original;
    else if (original === ".") this.path = "$";
    else this.path = original.startsWith(".") ? "$" + original : "$." + original;
  }

  get isRoot(): boolean {
    return this.path === "$";
  }

  compile(): JsonPath {
    return compilePath(this.path);
  }
}

/** A path as a string key, step by step, so every prefix has its own key. */
function stepKey(k: PathKey): string {
  return typeof k === "number" ? `#${k}` : `.${k.length}:${k}`;
}

/**
 * RedisJSON's order for editing several matches in place: deeper paths first and, within an
 * array, higher indexes first, so no edit moves a location a later edit still has to reach.
 */
export function compareForEdit(a: PathKey[], b: PathKey[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (typeof x === "number" && typeof y === "number") return y - x;
    if (typeof x === "number") return 1; // keys before indexes
    if (typeof y === "number") return -1;
    return x < y ? -1 : 1;
  }
  return b.length - a.length;
}

/** Paths sorted for editing, without those inside another match (JSON.DEL, JSON.SET on many paths). */
export function outermostForEdit(paths: PathKey[][]): PathKey[][] {
  if (paths.length < 2) return paths;
  const all = new Set(paths.map((p) => p.map(stepKey).join("")));
  const hasAncestor = (p: PathKey[]): boolean => {
    let prefix = "";
    for (let i = 0; i < p.length - 1; i++) {
      prefix += stepKey(p[i]);
      if (all.has(prefix)) return true;
    }
    return p.length > 0 && all.has("");
  };
  return paths.filter((p) => !hasAncestor(p)).sort(compareForEdit);
}
