// COMMAND: the command table described to clients, all derived from the specs — COMMAND (all),
// COUNT, INFO, DOCS, LIST [FILTERBY ...], GETKEYS, GETKEYSANDFLAGS, HELP — in Redis 7.0's reply
// shapes (name, arity, flags, first, last, step, ACL categories, tips, key specs, subcommands).

import { Errors, fail } from "../errors.js";
import { globMatch } from "../engine/glob.js";
import { array, bulk, bulks, EMPTY_ARRAY, int, map, NIL, set, simple, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is } from "./args.js";
import { helpReply, serverSub } from "./server-common.js";
import { aclCategories, asciiLower, fullName, keyPositions, reportedFlags, type CommandTable } from "./table.js";
import type { CommandSpec } from "./types.js";

const HELP = [
  "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "(no subcommand)",
  "    Return details about all Redis commands.",
  "COUNT",
  "    Return the total number of commands in this Redis server.",
  "LIST",
  "    Return a list of all commands in this Redis server.",
  "INFO [<command-name> ...]",
  "    Return details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "DOCS [<command-name> ...]",
  "    Return documentation details about multiple Redis commands.",
  "    If no command names are given, documentation details for all",
  "    commands are returned.",
  "GETKEYS <full-command>",
  "    Return the keys from a full Redis command.",
  "GETKEYSANDFLAGS <full-command>",
  "    Return the keys and the access flags from a full Redis command.",
  "HELP",
  "    Prints this help.",
];

/** A command and, for a subcommand, its container. */
interface Resolved {
  spec: CommandSpec;
  parent?: CommandSpec;
}

/** Every command and subcommand, containers first. */
function everyCommand(table: CommandTable): Resolved[] {
  const out: Resolved[] = [];
  for (const spec of table.all()) {
    out.push({ spec });
    for (const sub of spec.subcommands ?? []) out.push({ spec: sub, parent: spec });
  }
  return out;
}

/** Looks up "name" or "container|sub" as COMMAND INFO/DOCS accept them. */
function lookupName(table: CommandTable, name: string): Resolved | undefined {
  const parts = asciiLower(name).split("|");
  if (parts.length > 2) return undefined;
  const top = table.get(parts[0]);
  if (!top || parts.length === 1) return top && { spec: top };
  const sub = top.subcommands?.find((s) => s.name === parts[1]);
  return sub && { spec: sub, parent: top };
}

/**
 * Key-spec flags for a command's keys. The specs do not state per-key access flags, so they are
 * derived from the command flags: read-only commands read (RO access), others read and update.
 */
function keySpecFlags(spec: CommandSpec): string[] {
  return spec.flags.includes("write") ? ["RW", "access", "update"] : ["RO", "access"];
}

/** Redis 7 key specs: an index/range spec for fixed positions, "unknown" for computed ones. */
function keySpecs(spec: CommandSpec): Reply {
  const flags = set(keySpecFlags(spec).map((f) => simple(f)));
  if (spec.findKeys) {
    const unknown = map([[bulk("type"), bulk("unknown")], [bulk("spec"), map([])]]);
    return set([map([[bulk("flags"), flags], [bulk("begin_search"), unknown], [bulk("find_keys"), unknown]])]);
  }
  const k = spec.keys;
  if (!k || k.first === 0) return set([]);
  const begin = map([[bulk("type"), bulk("index")], [bulk("spec"), map([[bulk("index"), int(k.first)]])]]);
  const range = map([
    [bulk("lastkey"), int(k.last < 0 ? k.last : k.last - k.first)],
    [bulk("keystep"), int(k.step)],
    [bulk("limit"), int(0)],
  ]);
  const find = map([[bulk("type"), bulk("range")], [bulk("spec"), range]]);
  return set([map([[bulk("flags"), flags], [bulk("begin_search"), begin], [bulk("find_keys"), find]])]);
}

/** One COMMAND INFO entry (subcommands nested as entries). */
function commandInfo({ spec, parent }: Resolved): Reply {
  const k = spec.keys;
  const fixed = !spec.findKeys && k !== undefined;
  return array([
    bulk(fullName(spec, parent)),
    int(spec.arity),
    set(reportedFlags(spec).map((f) => simple(f))),
    int(fixed ? k!.first : 0),
    int(fixed ? k!.last : 0),
    int(fixed ? k!.step : 0),
    set(aclCategories(spec).map((c) => simple(`@${c}`))),
    set([]),
    keySpecs(spec),
    spec.subcommands ? array(spec.subcommands.map((sub) => commandInfo({ spec: sub, parent: spec }))) : set([]),
  ]);
}

/** One COMMAND DOCS entry: summary, since, group, complexity, subcommands. */
function commandDocs(spec: CommandSpec): Reply {
  const pairs: [Reply, Reply][] = [
    [bulk("summary"), bulk(spec.summary)],
    [bulk("since"), bulk(spec.since)],
    [bulk("group"), bulk(spec.group)],
  ];
  if (spec.complexity) pairs.push([bulk("complexity"), bulk(spec.complexity)]);
  if (spec.subcommands) {
    const subs = spec.subcommands.map((sub): [Reply, Reply] => [bulk(fullName(sub, spec)), commandDocs(sub)]);
    pairs.push([bulk("subcommands"), map(subs)]);
  }
  return map(pairs);
}

/** COMMAND LIST's filter: a predicate over commands, from FILTERBY arguments. */
function listFilter(args: string[]): (r: Resolved) => boolean {
  if (args.length === 0) return () => true;
  if (args.length !== 3 || !is(args[0], "filterby")) fail(Errors.syntax);
  const value = args[2];
  if (is(args[1], "module")) return () => false;
  if (is(args[1], "aclcat")) {
    const cat = value.toLowerCase();
    return (r) => aclCategories(r.spec).includes(cat);
  }
  if (is(args[1], "pattern")) return (r) => globMatch(value, fullName(r.spec, r.parent), true);
  fail(Errors.syntax);
}

/** Resolves GETKEYS' command and its key positions, with Redis's errors. */
function keysOf(ctx: Session, argv: string[]): { spec: CommandSpec; positions: number[] } {
  const top = ctx.server.commands.get(argv[0]);
  if (!top) fail("ERR Invalid command specified");
  let spec = top;
  if (top.subcommands) {
    const sub = argv.length > 1 ? top.subcommands.find((s) => s.name === asciiLower(argv[1])) : undefined;
    if (!sub) fail("ERR Invalid command specified");
    spec = sub;
  }
  if (!spec.findKeys && (!spec.keys || spec.keys.first === 0)) fail("ERR The command has no key arguments");
  if ((spec.arity > 0 && argv.length !== spec.arity) || argv.length < -spec.arity) {
    fail("ERR Invalid number of arguments specified for command");
  }
  const positions = keyPositions(spec, argv);
  if (positions.some((p) => p >= argv.length)) fail("ERR Invalid arguments specified for command");
  if (positions.length === 0 && !spec.flags.includes("no_mandatory_keys")) fail("ERR Invalid arguments specified for command");
  return { spec, positions };
}

const FLAGS: CommandSpec["flags"] = ["loading", "stale"];

export const commandCommand: CommandSpec = {
  name: "command", arity: -1, flags: ["loading", "stale"], categories: ["connection"], group: "server", since: "2.8.13",
  summary: "Returns detailed information about all commands.", complexity: "O(N) where N is the total number of Redis commands",
  run: (ctx) => array(ctx.server.commands.all().map((spec) => commandInfo({ spec }))),
  subcommands: [
    serverSub("2.8.13", {
      name: "count", arity: 2, flags: FLAGS, categories: ["connection"], summary: "Returns a count of commands.",
      run: (ctx) => int(ctx.server.commands.size),
    }),
    serverSub("2.8.13", {
      name: "info", arity: -2, flags: FLAGS, categories: ["connection"], summary: "Returns information about one, multiple or all commands.",
      syntax: "[command-name [command-name ...]]",
      run(ctx, names) {
        const table = ctx.server.commands;
        if (names.length === 0) return array(table.all().map((spec) => commandInfo({ spec })));
        return array(names.map((n) => {
          const r = lookupName(table, n);
          return r ? commandInfo(r) : NIL;
        }));
      },
    }),
    serverSub("7.0.0", {
      name: "docs", arity: -2, flags: FLAGS, categories: ["connection"], summary: "Returns documentary information about one, multiple or all commands.",
      syntax: "[command-name [command-name ...]]",
      run(ctx, names) {
        const table = ctx.server.commands;
        const found = names.length === 0 ? table.all().map((spec): Resolved => ({ spec })) : names.flatMap((n) => lookupName(table, n) ?? []);
        return map(found.map((r): [Reply, Reply] => [bulk(fullName(r.spec, r.parent)), commandDocs(r.spec)]));
      },
    }),
    serverSub("7.0.0", {
      name: "list", arity: -2, flags: FLAGS, categories: ["connection"], summary: "Returns a list of command names.",
      syntax: "[FILTERBY <MODULE module-name | ACLCAT category | PATTERN pattern>]",
      run(ctx, args) {
        const keep = listFilter(args);
        return bulks(everyCommand(ctx.server.commands).filter(keep).map((r) => fullName(r.spec, r.parent)));
      },
    }),
    serverSub("2.8.13", {
      name: "getkeys", arity: -4, flags: FLAGS, categories: ["connection"], summary: "Extracts the key names from an arbitrary command.",
      syntax: "command [arg [arg ...]]",
      run(ctx, argv) {
        const { positions } = keysOf(ctx, argv);
        return positions.length === 0 ? EMPTY_ARRAY : bulks(positions.map((p) => argv[p]));
      },
    }),
    serverSub("7.0.0", {
      name: "getkeysandflags", arity: -4, flags: FLAGS, categories: ["connection"], summary: "Extracts the key names and access flags for an arbitrary command.",
      syntax: "command [arg [arg ...]]",
      run(ctx, argv) {
        const { spec, positions } = keysOf(ctx, argv);
        const flags = set(keySpecFlags(spec).map((f) => simple(f)));
        return array(positions.map((p) => array([bulk(argv[p]), flags])));
      },
    }),
    serverSub("5.0.0", { name: "help", arity: 2, flags: FLAGS, categories: ["connection"], summary: "Returns helpful text about the different subcommands.", run: () => helpReply(HELP) }),
  ],
};
