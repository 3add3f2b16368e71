// Scripting commands: EVAL/EVALSHA (+_RO), SCRIPT, FUNCTION and FCALL (+_RO).
// The Lua engine, script cache and function libraries live in src/scripting/.

import { fail } from "../errors.js";
import { array, bulk, bulks, int, map, NIL, OK, set, simple, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { dumpLibraries, parseDump, type Library } from "../scripting/functions.js";
import { flagNames, ScriptFlag } from "../scripting/run.js";
import { BUSY_EVAL, numkeysKeys, scriptingOf } from "../scripting/scripting.js";
import { is } from "./args.js";
import { helpReply } from "./server-common.js";
import type { CommandFlag, CommandSpec } from "./types.js";

type SubSpec = Omit<CommandSpec, "group" | "categories" | "since"> & Partial<Pick<CommandSpec, "since">>;

/** A subcommand of SCRIPT/FUNCTION (group "scripting", category @scripting). */
function sub(spec: SubSpec): CommandSpec {
  return { group: "scripting", categories: ["scripting"], since: "7.0.0", ...spec };
}

const SCRIPT_HELP = [
  "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "EXISTS <sha1> [<sha1> ...]",
  "    Return information about the existence of the scripts in the script cache.",
  "FLUSH [ASYNC|SYNC]",
  "    Flush the Lua scripts cache. Very dangerous on replicas.",
  "    When called without the optional mode argument, the behavior is determined by the",
  "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
  "    * ASYNC: Asynchronously flush the scripts cache.",
  "    * SYNC: Synchronously flush the scripts cache.",
  "KILL",
  "    Kill the currently executing Lua script.",
  "LOAD <script>",
  "    Load a script into the scripts cache without executing it.",
  "HELP",
  "    Prints this help.",
];

const FUNCTION_HELP = [
  "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "LOAD [REPLACE] <FUNCTION CODE>",
  "    Create a new library with the given library name and code.",
  "DELETE <LIBRARY NAME>",
  "    Delete the given library.",
  "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
  "    Return general information on all the libraries:",
  "    * Library name",
  "    * The engine used to run the Library",
  "    * Library description",
  "    * Functions list",
  "    * Library code (if WITHCODE is given)",
  "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
  "STATS",
  "    Return information about the current function running:",
  "    * Function name",
  "    * Command used to run the function",
  "    * Duration in MS that the function is running",
  "    If no function is running, return nil",
  "    In addition, returns a list of available engines.",
  "KILL",
  "    Kill the current running function.",
  "FLUSH [ASYNC|SYNC]",
  "    Delete all the libraries.",
  "    When called without the optional mode argument, the behavior is determined by the",
  "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
  "    * ASYNC: Asynchronously flush the libraries.",
  "    * SYNC: Synchronously flush the libraries.",
  "DUMP",
  "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
  "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
  "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
  "    control how to handle existing libraries (default APPEND):",
  "    * FLUSH: delete all existing libraries.",
  "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
  "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
  "      libraries with the new libraries (notice that even on this option there is a chance of failure",
  "      in case of functions name collision with another library).",
  "HELP",
  "    Prints this help.",
];

/** One FUNCTION LIST entry. */
function libraryReply(library: Library, withCode: boolean): Reply {
  const functions: Reply[] = [];
  for (const fn of library.functions.values()) {
    functions.push(
      map([
        [bulk("name"), bulk(fn.name)],
        [bulk("description"), fn.description === null ? NIL : bulk(fn.description)],
        [bulk("flags"), set(flagNames(fn.flags).map((f) => simple(f)))],
      ]),
    );
  }
  const pairs: [Reply, Reply][] = [
    [bulk("library_name"), bulk(library.name)],
    [bulk("engine"), bulk(library.engine)],
    [bulk("functions"), array(functions)],
  ];
  if (withCode) pairs.push([bulk("library_code"), bulk(library.code)]);
  return map(pairs);
}

/** FUNCTION FLUSH's optional ASYNC|SYNC argument (both flush at once here). */
function checkFunctionFlushMode(args: string[]): void {
  if (args.length > 1) fail("ERR unknown subcommand or wrong number of arguments for 'flush'. Try FUNCTION HELP.");
  if (args.length === 1 && !is(args[0], "sync") && !is(args[0], "async")) {
    fail("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
  }
}

function functionList(ctx: Session, args: string[]): Reply {
  let withCode = false;
  let pattern: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (!withCode && is(args[i], "withcode")) withCode = true;
    else if (pattern === undefined && is(args[i], "libraryname")) {
      if (i === args.length - 1) fail("ERR library name argument was not given");
      pattern = args[++i];
    } else fail(`ERR Unknown argument ${args[i]}`);
  }
  return array(scriptingOf(ctx.server).functions.list(pattern).map((l) => libraryReply(l, withCode)));
}

function functionStats(ctx: Session): Reply {
  const scripting = scriptingOf(ctx.server);
  const run = scripting.running;
  if (run?.evalMode) fail(BUSY_EVAL);
  const running = run
    ? map([
        [bulk("name"), bulk(run.name)],
        [bulk("command"), bulks(run.argv)],
        [bulk("duration_ms"), int(Math.floor(run.elapsedMs))],
      ])
    : NIL;
  const registry = scripting.functions;
  const lua = map([
    [bulk("libraries_count"), int(registry.libraries.size)],
    [bulk("functions_count"), int(registry.functions.size)],
  ]);
  return map([
    [bulk("running_script"), running],
    [bulk("engines"), map([[bulk("LUA"), lua]])],
  ]);
}

function functionLoad(ctx: Session, args: string[]): Reply {
  let replace = false;
  for (const arg of args.slice(0, -1)) {
    if (is(arg, "replace")) replace = true;
    else fail(`ERR Unknown option given: ${arg}`);
  }
  return bulk(scriptingOf(ctx.server).loadLibrary(args[args.length - 1], replace));
}

function functionRestore(ctx: Session, args: string[]): Reply {
  if (args.length > 2) fail("ERR unknown subcommand or wrong number of arguments for 'restore'. Try FUNCTION HELP.");
  let policy: "flush" | "append" | "replace" = "append";
  if (args.length === 2) {
    const p = args[1].toLowerCase();
    if (p !== "flush" && p !== "append" && p !== "replace") {
      fail("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
    }
    policy = p;
  }
  const codes = parseDump(args[0]);
  if (!Array.isArray(codes)) fail(`ERR ${codes.error}`);
  scriptingOf(ctx.server).restoreLibraries(codes, policy);
  return OK;
}

const functionCommand: CommandSpec = {
  name: "function", arity: -2, flags: [], categories: [], group: "scripting", since: "7.0.0",
  summary: "A container for function commands.",
  subcommands: [
    sub({
      name: "delete", arity: 3, flags: ["write", "noscript"], summary: "Deletes a library and its functions.",
      syntax: "library-name", complexity: "O(1)",
      run(ctx, [name]) {
        scriptingOf(ctx.server).deleteLibrary(name);
        return OK;
      },
    }),
    sub({
      name: "dump", arity: 2, flags: ["noscript"], summary: "Dumps all libraries into a serialized binary payload.",
      complexity: "O(N) where N is the number of functions",
      run: (ctx) => bulk(dumpLibraries([...scriptingOf(ctx.server).functions.libraries.values()])),
    }),
    sub({
      name: "flush", arity: -2, flags: ["write", "noscript"], summary: "Deletes all libraries and functions.",
      syntax: "[ASYNC | SYNC]", complexity: "O(N) where N is the number of functions deleted",
      run(ctx, args) {
        checkFunctionFlushMode(args);
        scriptingOf(ctx.server).flushFunctions();
        return OK;
      },
    }),
    sub({
      name: "help", arity: 2, flags: ["loading", "stale"], summary: "Returns helpful text about the different subcommands.",
      complexity: "O(1)",
      run: () => helpReply(FUNCTION_HELP),
    }),
    sub({
      name: "kill", arity: 2, flags: ["noscript", "allow_busy"], summary: "Terminates a function during execution.",
      complexity: "O(1)",
      run(ctx) {
        scriptingOf(ctx.server).kill(false);
        return OK;
      },
    }),
    sub({
      name: "list", arity: -2, flags: ["noscript"], summary: "Returns information about all libraries.",
      syntax: "[LIBRARYNAME library-name-pattern] [WITHCODE]", complexity: "O(N) where N is the number of functions",
      run: functionList,
    }),
    sub({
      name: "load", arity: -3, flags: ["write", "denyoom", "noscript"], summary: "Creates a library.",
      syntax: "[REPLACE] function-code", complexity: "O(1) (considering compilation time is redundant)",
      run: functionLoad,
    }),
    sub({
      name: "restore", arity: -3, flags: ["write", "denyoom", "noscript"], summary: "Restores all libraries from a payload.",
      syntax: "serialized-value [FLUSH | APPEND | REPLACE]", complexity: "O(N) where N is the number of functions on the payload",
      run: functionRestore,
    }),
    sub({
      name: "stats", arity: 2, flags: ["noscript", "allow_busy"], summary: "Returns information about a function during execution.",
      complexity: "O(1)",
      run: functionStats,
    }),
  ],
};

const scriptCommand: CommandSpec = {
  name: "script", arity: -2, flags: [], categories: [], group: "scripting", since: "2.6.0",
  summary: "A container for Lua scripts management commands.",
  subcommands: [
    sub({
      name: "exists", arity: -3, flags: ["noscript"], since: "2.6.0", syntax: "sha1 [sha1 ...]",
      summary: "Determines whether server-side Lua scripts exist in the script cache.",
      complexity: "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
      run(ctx, shas) {
        const scripts = scriptingOf(ctx.server).scripts;
        return array(shas.map((sha) => int(scripts.has(sha.toLowerCase()) ? 1 : 0)));
      },
    }),
    sub({
      name: "flush", arity: -2, flags: ["noscript"], since: "2.6.0", syntax: "[ASYNC | SYNC]",
      summary: "Removes all server-side Lua scripts from the script cache.",
      complexity: "O(N) with N being the number of scripts in cache",
      run(ctx, args) {
        if (args.length > 1 || (args.length === 1 && !is(args[0], "sync") && !is(args[0], "async"))) {
          fail("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
        }
        scriptingOf(ctx.server).flushScripts();
        return OK;
      },
    }),
    sub({
      name: "help", arity: 2, flags: ["loading", "stale"], since: "5.0.0",
      summary: "Returns helpful text about the different subcommands.", complexity: "O(1)",
      run: () => helpReply(SCRIPT_HELP),
    }),
    sub({
      name: "kill", arity: 2, flags: ["noscript", "allow_busy"], since: "2.6.0",
      summary: "Terminates a server-side Lua script during execution.", complexity: "O(1)",
      run(ctx) {
        scriptingOf(ctx.server).kill(true);
        return OK;
      },
    }),
    sub({
      name: "load", arity: 3, flags: ["noscript", "stale"], since: "2.6.0", syntax: "script",
      summary: "Loads a server-side Lua script to the script cache.",
      complexity: "O(N) with N being the length in bytes of the script body.",
      run: (ctx, [script]) => bulk(scriptingOf(ctx.server).load(script)),
    }),
  ],
};

type ScriptCommand = Pick<CommandSpec, "name" | "since" | "summary" | "syntax"> & {
  readOnly: boolean;
  /** What the first argument names, for the flags of one call. */
  kind: "eval" | "evalsha" | "fcall";
  run: CommandSpec["run"];
};

/**
 * A call's flags when its script declared flags (Redis's scriptFlagsToCmdFlags): write and
 * denyoom follow no-writes/allow-oom, stale follows allow-stale, may_replicate goes.
 */
function declaredCallFlags(base: CommandFlag[], declared: number): CommandFlag[] {
  const out: CommandFlag[] = base.filter((f) => f !== "stale" && f !== "denyoom" && f !== "write" && f !== "may_replicate");
  if (!(declared & (ScriptFlag.ALLOW_OOM | ScriptFlag.NO_WRITES))) out.push("denyoom");
  if (!(declared & ScriptFlag.NO_WRITES)) out.push("write");
  if (declared & ScriptFlag.ALLOW_STALE) out.push("stale");
  return out;
}

/** EVAL-style commands share their shape: numkeys at argv[2], keys found from it. */
function scriptCommandSpec(c: ScriptCommand): CommandSpec {
  const flags: CommandFlag[] = c.readOnly
    ? ["readonly", "noscript", "stale", "skip_monitor", "no_mandatory_keys"]
    : ["noscript", "stale", "skip_monitor", "may_replicate", "no_mandatory_keys"];
  return {
    name: c.name, arity: -3, flags, findKeys: numkeysKeys, categories: ["scripting"], group: "scripting",
    since: c.since, summary: c.summary, syntax: c.syntax, run: c.run,
    complexity: c.name.startsWith("fcall") ? "Depends on the function that is executed." : "Depends on the script that is executed.",
    callFlags(ctx, args) {
      const declared = scriptingOf(ctx.server).declaredFlags(c.kind, args[0]);
      return declared === null ? flags : declaredCallFlags(flags, declared);
    },
  };
}

/** argv as sent (the command name included), for the script context. */
function fullArgv(name: string, args: string[]): string[] {
  return [name, ...args];
}

export const scripting: CommandSpec[] = [
  scriptCommandSpec({
    name: "eval", kind: "eval", since: "2.6.0", readOnly: false, syntax: "script numkeys [key [key ...]] [arg [arg ...]]",
    summary: "Executes a server-side Lua script.",
    run: (ctx, args) => scriptingOf(ctx.server).eval(ctx, fullArgv("eval", args), false, false),
  }),
  scriptCommandSpec({
    name: "eval_ro", kind: "eval", since: "7.0.0", readOnly: true, syntax: "script numkeys [key [key ...]] [arg [arg ...]]",
    summary: "Executes a read-only server-side Lua script.",
    run: (ctx, args) => scriptingOf(ctx.server).eval(ctx, fullArgv("eval_ro", args), false, true),
  }),
  scriptCommandSpec({
    name: "evalsha", kind: "evalsha", since: "2.6.0", readOnly: false, syntax: "sha1 numkeys [key [key ...]] [arg [arg ...]]",
    summary: "Executes a server-side Lua script by SHA1 digest.",
    run: (ctx, args) => scriptingOf(ctx.server).eval(ctx, fullArgv("evalsha", args), true, false),
  }),
  scriptCommandSpec({
    name: "evalsha_ro", kind: "evalsha", since: "7.0.0", readOnly: true, syntax: "sha1 numkeys [key [key ...]] [arg [arg ...]]",
    summary: "Executes a read-only server-side Lua script by SHA1 digest.",
    run: (ctx, args) => scriptingOf(ctx.server).eval(ctx, fullArgv("evalsha_ro", args), true, true),
  }),
  scriptCommandSpec({
    name: "fcall", kind: "fcall", since: "7.0.0", readOnly: false, syntax: "function numkeys [key [key ...]] [arg [arg ...]]",
    summary: "Invokes a function.",
    run: (ctx, args) => scriptingOf(ctx.server).fcall(ctx, fullArgv("fcall", args), false),
  }),
  scriptCommandSpec({
    name: "fcall_ro", kind: "fcall", since: "7.0.0", readOnly: true, syntax: "function numkeys [key [key ...]] [arg [arg ...]]",
    summary: "Invokes a read-only function.",
    run: (ctx, args) => scriptingOf(ctx.server).fcall(ctx, fullArgv("fcall_ro", args), true),
  }),
  functionCommand,
  scriptCommand,
];
