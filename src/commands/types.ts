// Command spec: the single description of a command. COMMAND INFO/DOCS/COUNT/GETKEYS, ACL
// categories, REST read-only checks, key routing and docs/commands.md are all derived from it.

import type { Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";

export type CommandFlag =
  | "write"
  | "readonly"
  | "denyoom"
  | "admin"
  | "pubsub"
  | "noscript"
  | "blocking"
  | "loading"
  | "stale"
  | "skip_monitor"
  | "skip_slowlog"
  | "fast"
  | "no_auth"
  | "may_replicate"
  | "no_mandatory_keys"
  | "no_multi"
  | "allow_busy"
  | "movablekeys";

/** Key positions in the full argv (0 is the command name); last < 0 counts from the end. */
export interface KeyPositions {
  first: number;
  last: number;
  step: number;
}

/** The ACL categories a family states; @read/@write/@fast/@slow/@admin/... are derived from flags. */
export type Category =
  | "keyspace"
  | "string"
  | "list"
  | "set"
  | "sortedset"
  | "hash"
  | "stream"
  | "bitmap"
  | "hyperloglog"
  | "geo"
  | "pubsub"
  | "transaction"
  | "scripting"
  | "connection"
  | "server"
  | "json"
  | "dangerous";

export type CommandResult = Reply | Promise<Reply>;

export interface CommandSpec {
  /** Lower-case name; for subcommands, the subcommand word only ("get" for CONFIG GET). */
  name: string;
  /** Redis arity: positive = exact argc, negative = at least -arity (argc includes the name). */
  arity: number;
  flags: CommandFlag[];
  /** Fixed key positions, if the command takes keys at fixed places. */
  keys?: KeyPositions;
  /** Key positions computed from argv (numkeys-style commands); implies the movablekeys flag. */
  findKeys?: (argv: string[]) => number[];
  categories: Category[];
  /** Redis group for COMMAND DOCS (string, generic, server, connection, list, ...). */
  group: string;
  summary: string;
  since: string;
  complexity?: string;
  /** Argument synopsis for docs and COMMAND DOCS, e.g. "key value [NX | XX]". */
  syntax?: string;
  subcommands?: CommandSpec[];
  /**
   * Flags of one particular call, where they depend on the arguments (Redis's getCommandFlags):
   * EVAL/FCALL of a script declared `no-writes` is not a write. Defaults to `flags`.
   */
  callFlags?: (ctx: Session, args: string[]) => CommandFlag[];
  /** Runs the command; args exclude the command name (and the subcommand name for subcommands). */
  run?: (ctx: Session, args: string[]) => CommandResult;
}
