// Config: the live server configuration. Parses and validates values for the parameters in
// config-params.ts (redis.conf directives, --<name> flags, CONFIG SET), answers CONFIG GET,
// and tells listeners when a value changes.

import { readFileSync, statSync } from "node:fs";
import { PARAMS, type ParamDef } from "./config-params.js";
import { splitInlineArgs } from "./protocol/inline-args.js";
import { globMatch } from "./engine/glob.js";
import { formatKeyspaceEvents, parseKeyspaceEvents } from "./engine/keyspace-events.js";

export class ConfigError extends Error {
  /** The parameter the error is about, for Redis's "(possibly related to argument ...)" text. */
  constructor(message: string, readonly param = "") {
    super(message);
  }
}

const byName = new Map<string, ParamDef>();
for (const def of PARAMS) {
  byName.set(def.name, def);
  for (const alias of def.aliases ?? []) byName.set(alias, def);
}

/** Parses a Redis memory value ("1gb", "100mb", "4096"); null when invalid. */
export function parseMemory(raw: string): number | null {
  const m = /^(-?\d+)(b|k|kb|m|mb|g|gb)?$/i.exec(raw.trim());
  if (!m) return null;
  const units: Record<string, number> = { b: 1, k: 1000, kb: 1024, m: 1e6, mb: 1024 ** 2, g: 1e9, gb: 1024 ** 3 };
  return Number(m[1]) * units[(m[2] ?? "b").toLowerCase()];
}

/** A range bound as Redis prints it: the table's MAX_SAFE_INTEGER stands for Redis's LLONG_MAX. */
function bound(n: number): string {
  return n === Number.MAX_SAFE_INTEGER ? "9223372036854775807" : String(n);
}

function validate(def: ParamDef, raw: string): string {
  const t = def.type;
  switch (t.kind) {
    case "bool": {
      const v = raw.toLowerCase();
      if (v !== "yes" && v !== "no") throw new ConfigError("argument must be 'yes' or 'no'");
      return v;
    }
    case "int": {
      if (!/^-?\d+$/.test(raw)) throw new ConfigError("argument couldn't be parsed into an integer");
      const n = Number(raw);
      if (n < t.min || n > t.max) throw new ConfigError(`argument must be between ${bound(t.min)} and ${bound(t.max)} inclusive`);
      return String(n);
    }
    case "memory": {
      // Some memory parameters also take a percentage (of maxmemory), e.g. maxmemory-clients 10%.
      const pct = t.percent ? /^(-?\d+)%$/.exec(raw) : null;
      if (pct) {
        const n = Number(pct[1]);
        if (n > 100) throw new ConfigError("percentage argument must be less or equal to 100");
        if (n < 0) throw new ConfigError("percentage argument must be a positive number");
        return `${n}%`;
      }
      const n = parseMemory(raw);
      if (n === null) throw new ConfigError("argument must be a memory value");
      if ((t.min !== undefined && n < t.min) || (t.max !== undefined && n > t.max)) {
        throw new ConfigError(`argument must be between ${bound(t.min ?? 0)} and ${bound(t.max ?? Number.MAX_SAFE_INTEGER)} inclusive`);
      }
      return String(n);
    }
    case "enum": {
      const v = raw.toLowerCase();
      if (!t.values.includes(v)) throw new ConfigError(`argument(s) must be one of the following: ${t.values.join(", ")}`);
      return v;
    }
    case "string":
      return raw;
  }
}

export type ConfigListener = (value: string) => void;

/** Checks beyond the parameter kinds, shared by every Config (Redis's per-parameter setters). */
const BUILTIN_VALIDATORS: Record<string, (value: string) => string> = {
  "notify-keyspace-events"(value) {
    const bits = parseKeyspaceEvents(value);
    if (bits === null) throw new ConfigError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
    return formatKeyspaceEvents(bits);
  },
  dir(value) {
    let isDir = false;
    try {
      isDir = statSync(value).isDirectory();
    } catch {
      throw new ConfigError("No such file or directory");
    }
    if (!isDir) throw new ConfigError("Not a directory");
    return value;
  },
};

/**
 * One parameter's current value, kept up to date by its Config. Hot paths hold it (Config.param)
 * instead of looking the name up on every read.
 */
export class LiveParam {
  private parsed: number | undefined = undefined;

  constructor(private current: string) {}

  get value(): string {
    return this.current;
  }

  /** The value as a number (parsed once per value; yes/no read as 1/0). */
  get number(): number {
    if (this.parsed === undefined) this.parsed = this.current === "yes" ? 1 : this.current === "no" ? 0 : Number(this.current);
    return this.parsed;
  }

  get yes(): boolean {
    return this.current === "yes";
  }

  /** Called by Config only. */
  set(value: string): void {
    this.current = value;
    this.parsed = undefined;
  }
}

export class Config {
  /** Every parameter by its name and by each alias (one lookup per read). */
  private readonly values = new Map<string, LiveParam>();
  private readonly listeners = new Map<string, ConfigListener[]>();
  /** Checks beyond the type (e.g. notify-keyspace-events flags); throw ConfigError to refuse. */
  private readonly validators = new Map<string, (value: string) => string>(Object.entries(BUILTIN_VALIDATORS));
  /** The config file the server was started with (CONFIG REWRITE target), if any. */
  file: string | null = null;

  constructor() {
    for (const def of PARAMS) {
      const live = new LiveParam(def.default);
      this.values.set(def.name, live);
      for (const alias of def.aliases ?? []) this.values.set(alias, live);
    }
  }

  static isKnown(name: string): boolean {
    return byName.has(name.toLowerCase());
  }

  /** A parameter's live value (by its name or an alias), to hold and read on hot paths. */
  param(name: string): LiveParam {
    const live = this.values.get(name);
    if (!live) throw new Error(`unknown config parameter ${name}`);
    return live;
  }

  get(name: string): string {
    return this.param(name).value;
  }

  /** A numeric parameter, parsed once per value. */
  num(name: string): number {
    return this.param(name).number;
  }

  /** A yes/no parameter. */
  bool(name: string): boolean {
    return this.param(name).yes;
  }

  /** Sets one parameter; startup allows immutable ones. Throws ConfigError with Redis's reason. */
  set(name: string, raw: string, startup = false): void {
    this.setMany([[name, raw]], startup);
  }

  /**
   * Sets several parameters atomically: all are validated before any changes (CONFIG SET a x b y).
   * Protected parameters (dir, dbfilename) are refused unless allowed (startup, enable-protected-configs).
   */
  setMany(pairs: [string, string][], startup = false, allowProtected = startup): void {
    const staged: [ParamDef, string][] = [];
    const seen = new Set<string>();
    for (const [name, raw] of pairs) {
      const def = byName.get(name.toLowerCase());
      if (!def) throw new ConfigError(`Unknown option or number of arguments for CONFIG SET - '${name}'`);
      if (def.immutable && !startup) throw new ConfigError(`can't set immutable config`, name);
      if (def.listener && !startup && validate(def, raw) !== this.get(def.name)) {
        throw new ConfigError("listeners are set up at startup; restart with the new value", name);
      }
      if (def.protected && !allowProtected) throw new ConfigError(`can't set protected config`, name);
      if (seen.has(def.name)) throw new ConfigError(`duplicate parameter`, name);
      seen.add(def.name);
      try {
        let value = validate(def, raw);
        const extra = this.validators.get(def.name);
        if (extra) value = extra(value);
        staged.push([def, value]);
      } catch (e) {
        throw new ConfigError((e as Error).message, name);
      }
    }
    const previous = staged.map(([def]) => this.get(def.name));
    staged.forEach(([def, value]) => this.param(def.name).set(value));
    try {
      for (const [def, value] of staged) for (const fn of this.listeners.get(def.name) ?? []) fn(value);
    } catch (e) {
      staged.forEach(([def], i) => this.param(def.name).set(previous[i]));
      throw e instanceof ConfigError ? e : new ConfigError(String((e as Error).message), staged[0][0].name);
    }
  }

  /** CONFIG GET: every parameter (or alias) matching any of the glob patterns, as name/value pairs. */
  match(patterns: string[]): [string, string][] {
    const out = new Map<string, string>();
    for (const pattern of patterns) {
      const p = pattern.toLowerCase();
      const exact = byName.get(p);
      if (exact && !/[*?[\\]/.test(p)) {
        out.set(p, this.get(exact.name));
        continue;
      }
      for (const def of PARAMS) {
        if (def.hidden) continue;
        for (const n of [def.name, ...(def.aliases ?? [])]) {
          if (globMatch(p, n)) out.set(n, this.get(def.name));
        }
      }
    }
    return [...out];
  }

  onChange(name: string, fn: ConfigListener): void {
    const def = byName.get(name)!;
    const list = this.listeners.get(def.name) ?? [];
    list.push(fn);
    this.listeners.set(def.name, list);
  }

  addValidator(name: string, fn: (value: string) => string): void {
    this.validators.set(byName.get(name)!.name, fn);
  }

  /** Reads redis.conf-style directives ("name value ...", # comments) from a file. */
  loadFile(path: string): void {
    const text = readFileSync(path, "utf8");
    this.file = path;
    text.split(/\r?\n/).forEach((line, i) => {
      const trimmed = line.trim();
      if (trimmed === "" || trimmed.startsWith("#")) return;
      const args = splitInlineArgs(trimmed);
      if (!args || args.length === 0) throw new ConfigError(`${path}:${i + 1}: cannot parse '${trimmed}'`);
      this.applyDirective(args[0], args.slice(1), `${path}:${i + 1}`);
    });
  }

  /** Applies one directive from the config file or the command line. */
  applyDirective(name: string, values: string[], where: string): void {
    const key = name.toLowerCase();
    if (!byName.has(key)) throw new ConfigError(`${where}: unknown directive '${name}'`);
    try {
      this.set(key, values.join(" "), true);
    } catch (e) {
      throw new ConfigError(`${where}: '${name}': ${(e as Error).message}`);
    }
  }
}
