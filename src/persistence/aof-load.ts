// Loading an AOF at startup: the files of the manifest in order (an RDB or RESP base, then the
// incremental files), every command run through dispatch by an internal session, as Redis's fake
// AOF client does. A tail cut short by a crash (in the last file only) is cut off with a warning
// when aof-load-truncated is on, an unfinished MULTI with it; anything else malformed stops the
// load with the command that repairs it. Also the checks behind `restash check-aof`.

import { closeSync, fstatSync, ftruncateSync, openSync, readSync } from "node:fs";
import { dispatch, replay, resolveCommand } from "../commands/dispatch.js";
import { asciiLower } from "../commands/table.js";
import type { Reply } from "../protocol/reply.js";
import type { Server } from "../server/server.js";
import { Session, type SessionTransport } from "../server/session.js";
import { AofCommandReader, AofCorrupt, AofTruncated } from "./aof-reader.js";
import { fileInput, loadRdb } from "./rdb.js";
import { loadLimits, readRdb } from "./rdb-reader.js";
import { Config } from "../config.js";

/** A fatal problem with persistence files: startup stops with this message. */
export class PersistenceError extends Error {}

/** The transport of sessions that replay files: nothing to deliver, nothing to close. */
export class InternalTransport implements SessionTransport {
  readonly kind = "internal" as const;
  readonly addr = "internal";
  readonly laddr = "internal";
  readonly fd = -1;
  push(_reply: Reply): void {}
  close(): void {}
  queryBufferSize(): number {
    return 0;
  }
  outputBufferSize(): number {
    return 0;
  }
}

/** A session that may run any command (loading ignores requirepass, as Redis's fake client). */
export function internalSession(server: Server): Session {
  const session = new Session(server, new InternalTransport());
  session.authenticated = true;
  return session;
}

/** Whether a file starts with an RDB signature (an RDB base or an AOF with an RDB preamble). */
function startsWithRdb(fd: number): boolean {
  const head = Buffer.alloc(5);
  return readSync(fd, head, 0, 5, 0) === 5 && head.toString("latin1") === "REDIS";
}

export interface FileLoad {
  commands: number;
  keysFromRdb: number;
  /** Bytes cut off a truncated tail (0 when the file was whole). */
  truncatedBytes: number;
}

/**
 * Loads one AOF file into the server. last: the last file of the AOF, the only one whose tail
 * may be truncated. fixHint: what to tell the user to run when the file is corrupt.
 */
export function loadAofFile(server: Server, session: Session, path: string, last: boolean, fixHint: string): FileLoad {
  const fd = openSync(path, last ? "r+" : "r");
  const result: FileLoad = { commands: 0, keysFromRdb: 0, truncatedBytes: 0 };
  try {
    const size = fstatSync(fd).size;
    let start = 0;
    if (startsWithRdb(fd)) {
      const input = fileInput(fd);
      result.keysFromRdb = loadRdb(server, input, { keepExpired: true }).keys;
      start = input.offset;
    }
    const reader = new AofCommandReader(fd, start);
    let multiAt = -1;
    for (;;) {
      const before = reader.validUpTo;
      let argv: string[] | null;
      try {
        argv = reader.next();
      } catch (e) {
        if (e instanceof AofCorrupt) {
          throw new PersistenceError(
            `Bad file format reading the append only file ${path}: make a backup of your AOF file, then use ${fixHint}`,
          );
        }
        if (!(e instanceof AofTruncated)) throw e;
        result.truncatedBytes = cutTail(server, session, fd, path, last, multiAt >= 0 ? multiAt : reader.validUpTo, size, fixHint);
        break;
      }
      if (argv === null) {
        if (multiAt >= 0) {
          server.log.warn(`Revert incomplete MULTI/EXEC transaction in AOF file ${path}`);
          result.truncatedBytes = cutTail(server, session, fd, path, last, multiAt, size, fixHint);
        }
        break;
      }
      const resolved = resolveCommand(session, argv);
      // Only an unknown command stops the load; a wrong argument count replays as an error.
      if (typeof resolved === "string" && !server.commands.get(argv[0])) {
        throw new PersistenceError(`Unknown command '${argv[0].slice(0, 128)}' reading the append only file ${path}`);
      }
      const name = typeof resolved === "string" ? asciiLower(argv[0]) : (resolved.parent ?? resolved.spec).name;
      if (name === "multi") multiAt = before;
      else if (name === "exec") multiAt = -1;
      const reply = replay(session, argv, resolved);
      // A blocking command cannot wait here (a replayed file never holds one that must).
      if (reply instanceof Promise) server.blocking.unblock(session.id, { t: "noreply" });
      result.commands++;
    }
  } finally {
    closeSync(fd);
  }
  return result;
}

/** Handles a tail cut short: cuts the file at validUpTo when allowed, else stops the load. */
function cutTail(server: Server, session: Session, fd: number, path: string, last: boolean, validUpTo: number, size: number, fixHint: string): number {
  if (session.multi !== null) dispatch(session, ["discard"]);
  if (!last || !server.config.bool("aof-load-truncated")) {
    throw new PersistenceError(
      `Unexpected end of file reading the append only file ${path}. You can: 1) Make a backup of your AOF file, then use ${fixHint}. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.`,
    );
  }
  server.log.warn(`!!! Warning: short read while loading the AOF file ${path}!!!`);
  server.log.warn(`!!! Truncating the AOF ${path} at offset ${validUpTo} !!!`);
  ftruncateSync(fd, validUpTo);
  server.log.warn(`AOF ${path} loaded anyway because aof-load-truncated is enabled`);
  return size - validUpTo;
}

export interface CheckResult {
  ok: boolean;
  /** Bytes of the file that are valid (a fix truncates the file here). */
  validUpTo: number;
  size: number;
  commands: number;
  problem: string | null;
}

/** Checks one AOF file without running it: RESP well-formed, no unfinished MULTI at the end. */
export function checkAofFile(path: string): CheckResult {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    let start = 0;
    if (startsWithRdb(fd)) {
      // The RDB part is read through (values decoded, then dropped) to find where commands start.
      const input = fileInput(fd);
      readRdb(input, loadLimits(new Config()), { key() {} });
      start = input.offset;
    }
    const reader = new AofCommandReader(fd, start);
    let commands = 0;
    let multiAt = -1;
    for (;;) {
      const before = reader.validUpTo;
      let argv: string[] | null;
      try {
        argv = reader.next();
      } catch (e) {
        if (e instanceof AofTruncated || e instanceof AofCorrupt) {
          const at = multiAt >= 0 ? multiAt : reader.validUpTo;
          return { ok: false, validUpTo: at, size, commands, problem: e instanceof AofTruncated ? "truncated" : e.reason };
        }
        throw e;
      }
      if (argv === null) {
        if (multiAt >= 0) return { ok: false, validUpTo: multiAt, size, commands, problem: "unfinished MULTI" };
        return { ok: true, validUpTo: size, size, commands, problem: null };
      }
      const name = asciiLower(argv[0]);
      if (name === "multi") {
        if (multiAt >= 0) return { ok: false, validUpTo: multiAt, size, commands, problem: "nested MULTI" };
        multiAt = before;
      } else if (name === "exec") {
        if (multiAt < 0) return { ok: false, validUpTo: before, size, commands, problem: "EXEC without MULTI" };
        multiAt = -1;
      }
      commands++;
    }
  } finally {
    closeSync(fd);
  }
}
