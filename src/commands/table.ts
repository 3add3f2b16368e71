// Command table: every family's specs in one lookup map, with what Redis derives from the specs
// (ACL categories from flags, movablekeys, key extraction for COMMAND GETKEYS and routing).

import type { CommandSpec, KeyPositions } from "./types.js";

export class CommandTable {
  private readonly byName = new Map<string, CommandSpec>();
  /** Also keyed by the upper-case spelling clients usually send, so the hot path needs no case folding. */
  private readonly byUpperName = new Map<string, CommandSpec>();

  constructor(families: CommandSpec[][]) {
    for (const family of families) for (const spec of family) this.add(spec);
  }

  add(spec: CommandSpec): void {
    if (this.byName.has(spec.name)) throw new Error(`command ${spec.name} defined twice`);
    this.byName.set(spec.name, spec);
    this.byUpperName.set(spec.name.toUpperCase(), spec);
  }

  /** Looks a command up by its name as sent (any case). */
  get(name: string): CommandSpec | undefined {
    return this.byName.get(name) ?? this.byUpperName.get(name) ?? this.byName.get(asciiLower(name));
  }

  all(): CommandSpec[] {
    return [...this.byName.values()];
  }

  get size(): number {
    return this.byName.size;
  }
}

/** Lower-cases ASCII letters only (names are byte strings; latin1 letters must stay as they are). */
export function asciiLower(s: string): string {
  let lower = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) {
      lower = false;
      break;
    }
  }
  if (lower) return s;
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : s[i];
  }
  return out;
}

/** The full Redis name: "get", or "config|get" for a subcommand. */
export function fullName(spec: CommandSpec, parent?: CommandSpec): string {
  return parent ? `${parent.name}|${spec.name}` : spec.name;
}

/** ACL categories as Redis reports them: the family's own plus those implied by the flags. */
export function aclCategories(spec: CommandSpec): string[] {
  const out = new Set<string>();
  const f = new Set(spec.flags);
  if (f.has("write")) out.add("write");
  if (f.has("readonly") && !spec.categories.includes("scripting")) out.add("read");
  if (f.has("admin")) {
    out.add("admin");
    out.add("dangerous");
  }
  if (f.has("pubsub")) out.add("pubsub");
  if (f.has("fast")) out.add("fast");
  if (f.has("blocking")) out.add("blocking");
  if (!f.has("fast")) out.add("slow");
  for (const c of spec.categories) out.add(c);
  return [...out];
}

/** Flags as COMMAND INFO reports them (movablekeys added when keys are computed). */
export function reportedFlags(spec: CommandSpec): string[] {
  // Redis keeps may_replicate internal: COMMAND INFO does not show it.
  const flags: string[] = spec.flags.filter((f) => f !== "may_replicate");
  if (spec.findKeys && !flags.includes("movablekeys")) flags.push("movablekeys");
  return flags;
}

/** Positions of the keys in argv, from fixed positions or the spec's own finder. */
export function keyPositions(spec: CommandSpec, argv: string[]): number[] {
  if (spec.findKeys) return spec.findKeys(argv);
  const k: KeyPositions | undefined = spec.keys;
  if (!k || k.first === 0) return [];
  const last = k.last < 0 ? argv.length + k.last : k.last;
  const out: number[] = [];
  for (let i = k.first; i <= last && i < argv.length; i += k.step) out.push(i);
  return out;
}

/** Keys of a command invocation (COMMAND GETKEYS, cluster routing, ACL key checks). */
export function commandKeys(spec: CommandSpec, argv: string[]): string[] {
  return keyPositions(spec, argv).map((i) => argv[i]);
}
