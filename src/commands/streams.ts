// Stream commands: XADD XLEN XRANGE XREVRANGE XDEL XDELEX XTRIM XREAD XSETID, and the consumer
// group commands XGROUP XREADGROUP XACK XACKDEL XPENDING XCLAIM XAUTOCLAIM XINFO. Streams are
// Stream values (src/engine/types/stream.ts); an empty stream is kept, as Redis keeps it.
// Consumer group bookkeeping (PELs, consumers, read counters) changes dirty without touching
// WATCHed keys, as in Redis; entries added, deleted or trimmed are key modifications.

import { Errors, fail } from "../errors.js";
import { now } from "../engine/clock.js";
import type { Database } from "../engine/database.js";
import {
  ConsumerGroup,
  formatId,
  idMs,
  idSeq,
  MAX_ID,
  nodeLimits,
  parseStreamId,
  SEQ_MAX,
  Stream,
  UNKNOWN_READS,
  type Consumer,
  type PendingEntry,
  type RefPolicy,
  type StreamId,
  type TrimOptions,
} from "../engine/types/stream.js";
import { array, bulk, bulks, EMPTY_ARRAY, error, int, map, NIL, NIL_ARRAY, OK, record, ZERO, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import { is, parseInt64, parseInteger } from "./args.js";
import { errorReply } from "./dispatch.js";
import { helpReply } from "./server-common.js";
import type { CommandResult, CommandSpec } from "./types.js";

const INVALID_ID = "ERR Invalid stream ID specified as stream command argument";
const ONE_KEY = { first: 1, last: 1, step: 1 };
const SUB_KEY = { first: 2, last: 2, step: 1 };

function getStream(db: Database, key: string): Stream | undefined {
  return db.get<Stream>(key, "stream");
}

/** The stream at key for serving blocked readers: undefined when missing or of another type. */
function streamAt(db: Database, key: string): Stream | undefined {
  const entry = db.peek(key);
  return entry?.type === "stream" ? (entry.value as Stream) : undefined;
}

function notify(db: Database, event: string, key: string): void {
  db.notify("t", event, key);
}

/** An ID argument where "-" and "+" are not allowed. */
function strictId(arg: string): StreamId {
  return (parseStreamId(arg, 0n, true) ?? fail(INVALID_ID)).id;
}

/** A range bound: "(" makes it exclusive; an incomplete ID takes missingSeq as its sequence. */
function intervalId(arg: string, missingSeq: bigint): { id: StreamId; exclusive: boolean } {
  const exclusive = arg.length > 1 && arg[0] === "(";
  const parsed = exclusive ? parseStreamId(arg.slice(1), missingSeq, true) : parseStreamId(arg, missingSeq, false);
  return { id: (parsed ?? fail(INVALID_ID)).id, exclusive };
}

function rangeStart(arg: string): StreamId {
  const { id, exclusive } = intervalId(arg, 0n);
  if (!exclusive) return id;
  if (id === MAX_ID) fail("ERR invalid start ID for the interval");
  return id + 1n;
}

function rangeEnd(arg: string): StreamId {
  const { id, exclusive } = intervalId(arg, SEQ_MAX);
  if (!exclusive) return id;
  if (id === 0n) fail("ERR invalid end ID for the interval");
  return id - 1n;
}

const idReply = (id: StreamId): Reply => bulk(formatId(id));
const entryReply = (id: StreamId, fields: string[]): Reply => array([idReply(id), bulks(fields)]);

/** Up to count (0 = all) entries as [id, [field, value, ...]] replies. */
function entriesReply(entries: Iterable<[StreamId, string[]]>, count: number): Reply {
  const out: Reply[] = [];
  for (const [id, fields] of entries) {
    out.push(entryReply(id, fields));
    if (out.length === count) break;
  }
  return array(out);
}

/** Byte strings in Redis's (memcmp) order. */
function byName<T>(items: Map<string, T>): [string, T][] {
  return [...items].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function noGroup(key: string, group: string): never {
  fail(`NOGROUP No such key '${key}' or consumer group '${group}'`);
}

function noGroupForKey(key: string, group: string): never {
  fail(`NOGROUP No such consumer group '${group}' for key name '${key}'`);
}

/** The consumer group named group of the stream at key, or the NOGROUP error. */
function groupOf(db: Database, key: string, group: string): { stream: Stream; group: ConsumerGroup } {
  const stream = getStream(db, key);
  const found = stream?.groups.get(group);
  if (found === undefined) noGroup(key, group);
  return { stream: stream!, group: found };
}

/** The named consumer, created (with its keyspace event) when missing. */
function consumerOf(ctx: Session, key: string, group: ConsumerGroup, name: string): Consumer {
  const existing = group.consumers.get(name);
  if (existing !== undefined) return existing;
  const created = group.createConsumer(name, now())!;
  ctx.server.dirty++;
  notify(ctx.db, "xgroup-createconsumer", key);
  return created;
}

/** A reference policy keyword (KEEPREF, DELREF, ACKED), or null. */
function refPolicy(arg: string): RefPolicy | null {
  if (is(arg, "keepref")) return "keepref";
  if (is(arg, "delref")) return "delref";
  if (is(arg, "acked")) return "acked";
  return null;
}

// ---------------------------------------------------------------------------------------------
// XADD / XTRIM

interface AddTrimArgs {
  trim: TrimOptions | null;
  /** Index in args of XADD's ID argument. */
  idAt: number;
  /** XADD's ID; null for "*". */
  id: { id: StreamId; seqGiven: boolean } | null;
  noMkStream: boolean;
}

/** XADD's and XTRIM's options: [NOMKSTREAM] [KEEPREF|DELREF|ACKED] [MAXLEN|MINID [=|~] threshold [LIMIT n]]. */
function parseAddTrim(ctx: Session, args: string[], xadd: boolean): AddTrimArgs {
  let strategy: "maxlen" | "minid" | null = null;
  let approx = false;
  let maxlen = 0;
  let minId: StreamId = 0n;
  let limit = 0;
  let limitGiven = false;
  let policy: RefPolicy | null = null;
  let noMkStream = false;
  let id: AddTrimArgs["id"] = null;
  let i = 1;
  for (; i < args.length; i++) {
    const moreArgs = args.length - 1 - i;
    const opt = args[i];
    const optPolicy: RefPolicy | null = policy === null ? refPolicy(opt) : null;
    if (xadd && opt === "*") break;
    if ((is(opt, "maxlen") || is(opt, "minid")) && moreArgs > 0) {
      if (strategy !== null) fail("ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
      const next = args[i + 1];
      approx = moreArgs >= 2 && next === "~";
      if (approx || (moreArgs >= 2 && next === "=")) i++;
      strategy = is(opt, "maxlen") ? "maxlen" : "minid";
      if (strategy === "maxlen") {
        maxlen = parseInteger(args[i + 1]);
        if (maxlen < 0) fail("ERR The MAXLEN argument must be >= 0.");
      } else {
        minId = strictId(args[i + 1]);
      }
      i++;
    } else if (is(opt, "limit") && moreArgs > 0) {
      limit = parseInteger(args[i + 1]);
      if (limit < 0) fail("ERR The LIMIT argument must be >= 0.");
      limitGiven = true;
      i++;
    } else if (optPolicy !== null) {
      policy = optPolicy;
    } else if (xadd && is(opt, "nomkstream")) {
      noMkStream = true;
    } else if (xadd) {
      id = parseStreamId(opt, 0n, true, true) ?? fail(INVALID_ID);
      break;
    } else {
      fail(Errors.syntax);
    }
  }
  if (limit !== 0 && strategy === null) fail("ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
  if (!xadd && strategy === null) fail("ERR syntax error, XTRIM must be called with a trimming strategy");
  if (limitGiven) {
    if (!approx) fail("ERR syntax error, LIMIT cannot be used without the special ~ option");
  } else if (approx) {
    // At most 100 nodes' worth of entries per call unless LIMIT says otherwise.
    limit = 100 * ctx.server.config.num("stream-node-max-entries");
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
  } else {
    limit = 0;
  }
  const trim = strategy === null ? null : { maxlen, minId: strategy === "minid" ? minId : null, approx, limit, policy: policy ?? "keepref" };
  return { trim, idAt: i, id, noMkStream };
}

/** The ID XADD gives the new entry, or null when it would not be above the stream's last ID. */
function newEntryId(stream: Stream, given: AddTrimArgs["id"]): StreamId | null {
  if (given === null) return stream.nextId(now());
  if (given.seqGiven) return given.id;
  // <ms>-*: the next sequence within the last ID's millisecond, or 0 in a later one.
  if (idMs(given.id) !== idMs(stream.lastId)) return given.id;
  return idSeq(stream.lastId) === SEQ_MAX ? null : stream.lastId + 1n;
}

function xadd(ctx: Session, args: string[]): Reply {
  const parsed = parseAddTrim(ctx, args, true);
  const fieldsAt = parsed.idAt + 1;
  const n = args.length - fieldsAt;
  if (n < 2 || n % 2 === 1) fail(Errors.wrongArgs("xadd"));
  if (parsed.id !== null && parsed.id.seqGiven && parsed.id.id === 0n) fail("ERR The ID specified in XADD must be greater than 0-0");
  const db = ctx.db;
  const key = args[0];
  const existing = getStream(db, key);
  if (existing === undefined && parsed.noMkStream) return NIL;
  const stream = existing ?? new Stream();
  if (stream.lastId === MAX_ID) fail("ERR The stream has exhausted the last possible ID, unable to add more items");
  const id = newEntryId(stream, parsed.id);
  if (id === null || id <= stream.lastId) fail("ERR The ID specified in XADD is equal or smaller than the target stream top item");
  const pairs = args.slice(fieldsAt);
  let size = 0;
  for (const s of pairs) size += s.length;
  if (size > 1 << 30) fail("ERR Elements are too large to be stored");
  stream.append(id, pairs, nodeLimits(ctx.server.config));
  if (existing === undefined) db.set(key, "stream", stream);
  notify(db, "xadd", key);
  if (parsed.trim !== null && stream.trim(parsed.trim) > 0) notify(db, "xtrim", key);
  if (existing !== undefined) db.modified(key);
  db.signalReady(key);
  // Propagated with the ID it got (not "*"), so a replay adds the same entry.
  const effect = ["xadd", ...args];
  effect[parsed.idAt + 1] = formatId(id);
  ctx.propagateAs(effect);
  return idReply(id);
}

function xtrim(ctx: Session, args: string[]): Reply {
  const { trim } = parseAddTrim(ctx, args, false);
  const key = args[0];
  const stream = getStream(ctx.db, key);
  if (stream === undefined) return ZERO;
  const removed = stream.trim(trim!);
  if (removed > 0) {
    notify(ctx.db, "xtrim", key);
    ctx.db.modified(key);
  }
  return int(removed);
}

// ---------------------------------------------------------------------------------------------
// XRANGE / XREVRANGE / XLEN / XDEL / XSETID

function xrange(ctx: Session, args: string[], rev: boolean): Reply {
  const [key, first, second] = args;
  const start = rangeStart(rev ? second : first);
  const end = rangeEnd(rev ? first : second);
  let count = -1;
  for (let j = 3; j < args.length; j++) {
    if (!is(args[j], "count") || j + 1 >= args.length) fail(Errors.syntax);
    count = Math.max(0, parseInteger(args[++j]));
  }
  const stream = getStream(ctx.db, key);
  if (stream === undefined) return EMPTY_ARRAY;
  if (count === 0) return NIL_ARRAY;
  return entriesReply(stream.range(start, end, rev), Math.max(0, count));
}

function xdel(ctx: Session, [key, ...idArgs]: string[]): Reply {
  const stream = getStream(ctx.db, key);
  if (stream === undefined) return ZERO;
  const ids = idArgs.map(strictId);
  let deleted = 0;
  for (const id of ids) if (stream.delete(id)) deleted++;
  if (deleted > 0) {
    ctx.db.modified(key);
    notify(ctx.db, "xdel", key);
  }
  return int(deleted);
}

function xsetid(ctx: Session, args: string[]): Reply {
  const key = args[0];
  const id = strictId(args[1]);
  let entriesAdded = -1n;
  let maxDeleted = 0n;
  for (let i = 2; i < args.length; i += 2) {
    if (i + 1 >= args.length) fail(Errors.syntax);
    if (is(args[i], "entriesadded")) {
      entriesAdded = parseInt64(args[i + 1]);
      if (entriesAdded < 0n) fail("ERR entries_added must be positive");
    } else if (is(args[i], "maxdeletedid")) {
      maxDeleted = strictId(args[i + 1]);
      if (id < maxDeleted) fail("ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
    } else {
      fail(Errors.syntax);
    }
  }
  const stream = getStream(ctx.db, key) ?? fail(Errors.noSuchKey);
  if (id < stream.maxDeletedId) fail("ERR The ID specified in XSETID is smaller than current max_deleted_entry_id");
  if (stream.length > 0) {
    if (id < stream.edgeId(true)!) fail("ERR The ID specified in XSETID is smaller than the target stream top item");
    if (entriesAdded !== -1n && BigInt(stream.length) > entriesAdded) {
      fail("ERR The entries_added specified in XSETID is smaller than the target stream length");
    }
  }
  stream.lastId = id;
  if (entriesAdded !== -1n) stream.entriesAdded = entriesAdded;
  if (maxDeleted !== 0n) stream.maxDeletedId = maxDeleted;
  ctx.db.modified(key);
  notify(ctx.db, "xsetid", key);
  return OK;
}

// ---------------------------------------------------------------------------------------------
// XACK / XACKDEL / XDELEX

function xack(ctx: Session, [key, groupName, ...idArgs]: string[]): Reply {
  const group = getStream(ctx.db, key)?.groups.get(groupName);
  if (group === undefined) return ZERO;
  const ids = idArgs.map(strictId);
  let acked = 0;
  for (const id of ids) if (group.ack(id)) acked++;
  ctx.server.dirty += acked;
  return int(acked);
}

/** The "[KEEPREF | DELREF | ACKED] IDS numids id [id ...]" tail of XACKDEL and XDELEX. */
function parseIdsBlock(args: string[], from: number): { policy: RefPolicy; ids: string[] } {
  let policy: RefPolicy | null = null;
  let ids: string[] | null = null;
  let j = from;
  while (j < args.length) {
    const optPolicy: RefPolicy | null = policy === null ? refPolicy(args[j]) : null;
    if (optPolicy !== null) {
      policy = optPolicy;
      j++;
    } else if (is(args[j], "ids") && j + 1 < args.length) {
      const message = "ERR Number of IDs must be a positive integer";
      const n = parseInteger(args[j + 1], message);
      if (n < 1) fail(message);
      if (n > args.length - j - 2) fail("ERR The `numids` parameter must match the number of arguments");
      ids = args.slice(j + 2, j + 2 + n);
      j += 2 + n;
    } else {
      fail(Errors.syntax);
    }
  }
  if (ids === null) fail("ERR IDS option is required");
  return { policy: policy ?? "keepref", ids };
}

const NOT_FOUND = -1;
const DELETED = 1;
const STILL_REFERENCED = 2;

/** Deletes an entry under a reference policy: DELETED, STILL_REFERENCED, or NOT_FOUND. */
function deleteWithPolicy(stream: Stream, id: StreamId, policy: RefPolicy): number {
  if (policy === "acked" && stream.isReferenced(id)) return STILL_REFERENCED;
  if (policy === "delref") stream.dropReferences(id);
  return stream.delete(id) ? DELETED : NOT_FOUND;
}

/** Ends XACKDEL / XDELEX: key modification and event if entries went, else just dirty if refs did. */
function afterDeletes(ctx: Session, key: string, deleted: number, otherChanges: boolean): void {
  if (deleted > 0) {
    ctx.db.modified(key);
    notify(ctx.db, "xdel", key);
  } else if (otherChanges) {
    ctx.server.dirty++;
  }
}

function xackdel(ctx: Session, args: string[]): Reply {
  const [key, groupName] = args;
  const stream = getStream(ctx.db, key);
  const { policy, ids: idArgs } = parseIdsBlock(args, 2);
  const group = stream?.groups.get(groupName);
  if (group === undefined) return array(idArgs.map(() => int(NOT_FOUND)));
  const ids = idArgs.map(strictId);
  let deleted = 0;
  let acked = 0;
  const results = ids.map((id) => {
    if (!group.ack(id)) return int(NOT_FOUND);
    acked++;
    const result = deleteWithPolicy(stream!, id, policy);
    if (result === DELETED) deleted++;
    // An entry acknowledged but already gone from the stream counts as deleted.
    return int(result === STILL_REFERENCED ? STILL_REFERENCED : DELETED);
  });
  afterDeletes(ctx, key, deleted, acked > 0);
  return array(results);
}

function xdelex(ctx: Session, args: string[]): Reply {
  const key = args[0];
  const stream = getStream(ctx.db, key);
  const { policy, ids: idArgs } = parseIdsBlock(args, 1);
  if (stream === undefined) return array(idArgs.map(() => int(NOT_FOUND)));
  const ids = idArgs.map(strictId);
  let deleted = 0;
  let dropped = false;
  const results = ids.map((id) => {
    if (policy === "delref") dropped = stream.dropReferences(id) || dropped;
    const result = deleteWithPolicy(stream, id, policy === "delref" ? "keepref" : policy);
    if (result === DELETED) deleted++;
    return int(result);
  });
  afterDeletes(ctx, key, deleted, dropped);
  return array(results);
}

// ---------------------------------------------------------------------------------------------
// XREAD / XREADGROUP

interface ReadArgs {
  /** XREADGROUP's group and consumer; group null for XREAD. */
  group: string | null;
  consumer: string;
  noack: boolean;
  /** 0 = no limit. */
  count: number;
  /** BLOCK milliseconds (0 = forever); null without BLOCK. */
  block: number | null;
  keys: string[];
  ids: string[];
}

/** The ID that stands for ">" (new entries), as Redis uses the largest ID for it. */
const NEW_ENTRIES = MAX_ID;

/** BLOCK milliseconds, as Redis's getTimeoutFromObjectOrReply: the deadline must fit an int64. */
function parseBlock(arg: string): number {
  const ms = parseInt64(arg, "ERR timeout is not an integer or out of range");
  if (ms < 0n) fail("ERR timeout is negative");
  if (ms > 2n ** 63n - 1n - BigInt(now())) fail("ERR timeout is out of range");
  return Number(ms);
}

function parseRead(args: string[], xreadgroup: boolean): ReadArgs {
  const name = xreadgroup ? "xreadgroup" : "xread";
  const read: ReadArgs = { group: null, consumer: "", noack: false, count: 0, block: null, keys: [], ids: [] };
  let streamsAt = -1;
  for (let i = 0; i < args.length && streamsAt < 0; i++) {
    const moreArgs = args.length - 1 - i;
    const opt = args[i];
    if (is(opt, "block") && moreArgs > 0) {
      read.block = parseBlock(args[++i]);
    } else if (is(opt, "count") && moreArgs > 0) {
      read.count = Math.max(0, parseInteger(args[++i]));
    } else if (is(opt, "streams") && moreArgs > 0) {
      if (moreArgs % 2 !== 0) {
        const symbol = xreadgroup ? "ID or '>'" : "ID, '+', or '$'";
        fail(`ERR Unbalanced '${name}' list of streams: for each stream key an ${symbol} must be specified.`);
      }
      streamsAt = i + 1;
    } else if (is(opt, "group") && moreArgs >= 2) {
      if (!xreadgroup) fail("ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
      read.group = args[++i];
      read.consumer = args[++i];
    } else if (is(opt, "noack")) {
      if (!xreadgroup) fail("ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
      read.noack = true;
    } else {
      fail(Errors.syntax);
    }
  }
  if (streamsAt < 0) fail(Errors.syntax);
  if (xreadgroup && read.group === null) fail("ERR Missing GROUP option for XREADGROUP");
  const n = (args.length - streamsAt) / 2;
  read.keys = args.slice(streamsAt, streamsAt + n);
  read.ids = args.slice(streamsAt + n);
  return read;
}

/** Each stream's "read after" ID, checking types and (XREADGROUP) that each key and group exist. */
function resolveReadIds(ctx: Session, read: ReadArgs): StreamId[] {
  const group = read.group;
  return read.keys.map((key, i) => {
    const stream = getStream(ctx.db, key);
    if (group !== null && stream?.groups.get(group) === undefined) {
      fail(`NOGROUP No such key '${key}' or consumer group '${group}' in XREADGROUP with GROUP option`);
    }
    const arg = read.ids[i];
    if (arg === "$" || arg === "+") {
      if (group !== null) {
        fail(
          `ERR The ${arg} ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by ` +
            `specifying a proper ID, or use the > ID to get new messages. The ${arg} ID would just return an empty result set.`,
        );
      }
      if (stream === undefined) return 0n;
      if (arg === "$") return stream.lastId;
      // "+": the last entry itself, so read after the ID just below it.
      return stream.length > 0 ? stream.edgeId(true)! - 1n : 0n;
    }
    if (arg === ">") {
      if (group === null) fail("ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.");
      return NEW_ENTRIES;
    }
    return strictId(arg);
  });
}

/**
 * What a group read did to one pending entry, in the form Redis propagates it: an XCLAIM that
 * sets the same owner, delivery time and count when replayed (AOF, replicas).
 */
function claimEffect(key: string, group: string, consumer: string, id: StreamId, pending: PendingEntry, lastId: StreamId): string[] {
  const when = String(pending.deliveryTime);
  return ["xclaim", key, group, consumer, "0", formatId(id), "TIME", when, "RETRYCOUNT", String(pending.deliveryCount), "FORCE", "JUSTID", "LASTID", formatId(lastId)];
}

/** XREADGROUP history: the consumer's own pending entries from start (deleted ones with nil fields). */
function historyReply(stream: Stream, consumer: Consumer, start: StreamId, count: number, t: number, effect: (id: StreamId, pending: PendingEntry) => void): Reply {
  const out: Reply[] = [];
  for (const [id, pending] of consumer.pel.entries(start)) {
    if (out.length === count && count > 0) break;
    const fields = stream.get(id);
    if (fields === undefined) {
      out.push(array([idReply(id), NIL_ARRAY]));
    } else {
      out.push(entryReply(id, fields));
      pending.deliveryTime = t;
      pending.deliveryCount++;
      effect(id, pending);
    }
  }
  return array(out);
}

/** New entries for a group's consumer: advances the group and records them as pending (unless NOACK). */
function deliverReply(stream: Stream, group: ConsumerGroup, consumer: Consumer, read: ReadArgs, t: number, effect: (id: StreamId, pending: PendingEntry) => void): Reply {
  const out: Reply[] = [];
  for (const [id, fields] of stream.range(group.lastId + 1n, MAX_ID)) {
    stream.advanceGroup(group, id);
    if (!read.noack) {
      group.deliver(id, consumer, t);
      consumer.activeTime = t;
      effect(id, group.pel.get(id)!);
    }
    out.push(entryReply(id, fields));
    if (out.length === read.count) break;
  }
  return array(out);
}

interface ReadResult {
  /** The reply, or null when no stream had anything to serve. */
  reply: Reply | null;
  /** Consumer group state changed. */
  changed: boolean;
  /** What the changes are propagated as: XCLAIMs, XGROUP SETID, XGROUP CREATECONSUMER (as Redis). */
  effects: string[][];
}

/** Serves every stream that has something to give now. */
function serveRead(ctx: Session, read: ReadArgs, ids: StreamId[]): ReadResult {
  const served: [Reply, Reply][] = [];
  const effects: string[][] = [];
  let changed = false;
  const t = now();
  read.keys.forEach((key, i) => {
    const stream = streamAt(ctx.db, key);
    if (stream === undefined) return;
    const after = ids[i];
    if (read.group === null) {
      if (stream.length > 0 && stream.edgeId(true)! > after) {
        served.push([bulk(key), entriesReply(stream.range(after + 1n, MAX_ID), read.count)]);
      }
      return;
    }
    const groupName = read.group;
    const group = stream.groups.get(groupName)!;
    if (!group.consumers.has(read.consumer)) effects.push(["xgroup", "CREATECONSUMER", key, groupName, read.consumer]);
    const consumer = consumerOf(ctx, key, group, read.consumer);
    consumer.seenTime = t;
    const effect = (id: StreamId, pending: PendingEntry) => {
      effects.push(claimEffect(key, groupName, read.consumer, id, pending, group.lastId));
      changed = true;
    };
    if (after !== NEW_ENTRIES) {
      served.push([bulk(key), historyReply(stream, consumer, after + 1n, read.count, t, effect)]);
    } else if (stream.length > 0 && stream.edgeId(true)! > group.lastId) {
      served.push([bulk(key), deliverReply(stream, group, consumer, read, t, effect)]);
      effects.push(["xgroup", "SETID", key, groupName, formatId(group.lastId), "ENTRIESREAD", String(group.entriesRead)]);
      changed = true;
    }
  });
  if (served.length === 0) return { reply: null, changed, effects };
  const reply = ctx.resp === 3 ? map(served) : array(served.map((pair) => array(pair)));
  return { reply, changed, effects };
}

/** A blocked reader's retry after a write to one of its keys; null keeps it waiting. */
function retryRead(ctx: Session, read: ReadArgs, ids: StreamId[]): Reply | null {
  try {
    if (read.group !== null) {
      // A group reader fails once its stream is gone: the group went with it.
      for (const key of read.keys) if (streamAt(ctx.db, key) === undefined) return error("UNBLOCKED the stream key no longer exists");
      ids = resolveReadIds(ctx, read);
    }
    const result = serveRead(ctx, read, ids);
    if (result.changed) {
      ctx.server.dirty++;
      const server = ctx.server;
      server.atomically(() => result.effects.forEach((effect) => server.propagate(ctx.dbIndex, effect)));
    }
    return result.reply;
  } catch (e) {
    return errorReply(ctx, e);
  }
}

function xread(ctx: Session, args: string[], xreadgroup: boolean): CommandResult {
  const read = parseRead(args, xreadgroup);
  if (read.block !== null && ctx.inScript) {
    fail(`ERR ${xreadgroup ? "xreadgroup" : "xread"} command is not allowed with BLOCK option from scripts`);
  }
  const ids = resolveReadIds(ctx, read);
  const result = serveRead(ctx, read, ids);
  if (result.changed) ctx.server.dirty++;
  if (xreadgroup) ctx.propagateAs(...result.effects);
  if (result.reply !== null) return result.reply;
  if (read.block === null || !ctx.canBlock) return NIL_ARRAY;
  return ctx.server.blocking.wait({
    clientId: ctx.id,
    dbIndex: ctx.dbIndex,
    keys: read.keys,
    timeoutMs: read.block,
    onTimeout: NIL_ARRAY,
    attempt: () => retryRead(ctx, read, ids),
  });
}

/** XREAD / XREADGROUP keys: the first half of the arguments after STREAMS. */
function readKeys(argv: string[]): number[] {
  const at = argv.findIndex((arg, i) => i > 0 && is(arg, "streams"));
  if (at < 0) return [];
  const n = Math.floor((argv.length - at - 1) / 2);
  return Array.from({ length: n }, (_, i) => at + 1 + i);
}

// ---------------------------------------------------------------------------------------------
// XPENDING / XCLAIM / XAUTOCLAIM

function xpending(ctx: Session, args: string[]): Reply {
  const [key, groupName] = args;
  if (args.length !== 2 && (args.length < 5 || args.length > 8)) fail(Errors.syntax);
  let minIdle = 0;
  let start = 0n;
  let end = MAX_ID;
  let count = 0;
  let consumerName: string | null = null;
  if (args.length >= 5) {
    let at = 2;
    if (is(args[2], "idle")) {
      minIdle = parseInteger(args[3]);
      if (args.length < 7) fail(Errors.syntax);
      at += 2;
    }
    count = Math.max(0, parseInteger(args[at + 2]));
    start = rangeStart(args[at]);
    end = rangeEnd(args[at + 1]);
    if (at + 3 < args.length) consumerName = args[at + 3];
  }
  const { group } = groupOf(ctx.db, key, groupName);
  if (args.length === 2) {
    const first = group.pel.first();
    if (first === undefined) return array([ZERO, NIL, NIL, NIL_ARRAY]);
    const consumers: Reply[] = [];
    for (const [name, consumer] of byName(group.consumers)) {
      if (consumer.pel.size > 0) consumers.push(array([bulk(name), bulk(String(consumer.pel.size))]));
    }
    return array([int(group.pel.size), idReply(first), idReply(group.pel.last()!), array(consumers)]);
  }
  let pel = group.pel;
  if (consumerName !== null) {
    const consumer = group.consumers.get(consumerName);
    if (consumer === undefined) return EMPTY_ARRAY;
    pel = consumer.pel;
  }
  const t = now();
  const out: Reply[] = [];
  if (count === 0) return EMPTY_ARRAY;
  for (const [id, pending] of pel.entries(start)) {
    if (id > end) break;
    const idle = t - pending.deliveryTime;
    if (minIdle !== 0 && idle < minIdle) continue;
    out.push(array([idReply(id), bulk(pending.consumer.name), int(Math.max(0, idle)), int(pending.deliveryCount)]));
    if (out.length === count) break;
  }
  return array(out);
}

/** The min-idle-time argument of XCLAIM / XAUTOCLAIM (negative counts as 0). */
function parseMinIdle(arg: string, command: string): number {
  return Math.max(0, parseInteger(arg, `ERR Invalid min-idle-time argument for ${command}`));
}

function xclaim(ctx: Session, args: string[]): Reply {
  const [key, groupName, consumerName] = args;
  const { stream, group } = groupOf(ctx.db, key, groupName);
  const minIdle = parseMinIdle(args[3], "XCLAIM");
  const ids: StreamId[] = [];
  let j = 4;
  for (; j < args.length; j++) {
    const parsed = parseStreamId(args[j], 0n, true);
    if (parsed === null) break;
    ids.push(parsed.id);
  }
  const t = now();
  let force = false;
  let justId = false;
  let deliveryTime = -1;
  let retryCount = -1;
  let lastId = 0n;
  for (; j < args.length; j++) {
    const opt = args[j];
    const more = j + 1 < args.length;
    if (is(opt, "force")) force = true;
    else if (is(opt, "justid")) justId = true;
    else if (is(opt, "idle") && more) deliveryTime = t - parseInteger(args[++j], "ERR Invalid IDLE option argument for XCLAIM");
    else if (is(opt, "time") && more) deliveryTime = parseInteger(args[++j], "ERR Invalid TIME option argument for XCLAIM");
    else if (is(opt, "retrycount") && more) retryCount = parseInteger(args[++j], "ERR Invalid RETRYCOUNT option argument for XCLAIM");
    else if (is(opt, "lastid") && more) lastId = strictId(args[++j]);
    else fail(`ERR Unrecognized XCLAIM option '${opt}'`);
  }
  let changed = false;
  if (lastId > group.lastId) {
    group.lastId = lastId;
    changed = true;
  }
  // A bogus time (negative or in the future) means "now": clients may compute it from their own clock.
  if (deliveryTime < 0 || deliveryTime > t) deliveryTime = t;
  const consumer = consumerOf(ctx, key, group, consumerName);
  consumer.seenTime = t;
  const out: Reply[] = [];
  for (const id of ids) {
    let pending = group.pel.get(id);
    const fields = stream.get(id);
    if (fields === undefined) {
      // The entry is gone: its pending entry goes too.
      if (pending !== undefined) {
        group.ack(id);
        changed = true;
      }
      continue;
    }
    const forced = force && pending === undefined;
    if (forced) {
      group.deliver(id, consumer, t);
      pending = group.pel.get(id)!;
    }
    if (pending === undefined) continue;
    if (!forced && minIdle > 0 && t - pending.deliveryTime < minIdle) continue;
    group.transfer(id, pending, consumer);
    pending.deliveryTime = deliveryTime;
    if (retryCount >= 0) pending.deliveryCount = retryCount;
    else if (!justId) pending.deliveryCount++;
    out.push(justId ? idReply(id) : entryReply(id, fields));
    consumer.activeTime = t;
    changed = true;
  }
  if (changed) ctx.server.dirty++;
  return array(out);
}

function xautoclaim(ctx: Session, args: string[]): Reply {
  const [key, groupName, consumerName] = args;
  const minIdle = parseMinIdle(args[3], "XAUTOCLAIM");
  const start = rangeStart(args[4]);
  let count = 100;
  let justId = false;
  for (let j = 5; j < args.length; j++) {
    if (is(args[j], "count") && j + 1 < args.length) {
      // COUNT times 10 attempts (and 16-byte IDs) must not overflow, as Redis bounds it.
      const message = "ERR COUNT must be > 0";
      count = parseInteger(args[++j], message);
      if (count < 1 || count > 576460752303423487) fail(message);
    } else if (is(args[j], "justid")) {
      justId = true;
    } else {
      fail(Errors.syntax);
    }
  }
  const { stream, group } = groupOf(ctx.db, key, groupName);
  const t = now();
  const consumer = consumerOf(ctx, key, group, consumerName);
  consumer.seenTime = t;
  const claimed: Reply[] = [];
  const deleted: Reply[] = [];
  let attempts = count * 10;
  let next = group.pel.ceiling(start);
  while (attempts > 0 && count > 0 && next !== undefined) {
    attempts--;
    const id = next;
    const pending = group.pel.get(id)!;
    next = group.pel.ceiling(id + 1n);
    const fields = stream.get(id);
    if (fields === undefined) {
      group.ack(id);
      deleted.push(idReply(id));
      count--;
      continue;
    }
    if (minIdle > 0 && t - pending.deliveryTime < minIdle) continue;
    group.transfer(id, pending, consumer);
    pending.deliveryTime = t;
    if (!justId) pending.deliveryCount++;
    claimed.push(justId ? idReply(id) : entryReply(id, fields));
    count--;
    consumer.activeTime = t;
  }
  if (claimed.length > 0 || deleted.length > 0) ctx.server.dirty++;
  return array([idReply(next ?? 0n), array(claimed), array(deleted)]);
}

// ---------------------------------------------------------------------------------------------
// XGROUP

const XGROUP_HELP = [
  "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CREATE <key> <groupname> <id|$> [option]",
  "    Create a new consumer group. Options are:",
  "    * MKSTREAM",
  "      Create the empty stream if it does not exist.",
  "    * ENTRIESREAD entries_read",
  "      Set the group's entries_read counter (internal use).",
  "CREATECONSUMER <key> <groupname> <consumer>",
  "    Create a new consumer in the specified group.",
  "DELCONSUMER <key> <groupname> <consumer>",
  "    Remove the specified consumer.",
  "DESTROY <key> <groupname>",
  "    Remove the specified group.",
  "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
  "    Set the current group ID and entries_read counter.",
  "HELP",
  "    Prints this help.",
];

const XINFO_HELP = [
  "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CONSUMERS <key> <groupname>",
  "    Show consumers of <groupname>.",
  "GROUPS <key>",
  "    Show the stream consumer groups.",
  "STREAM <key> [FULL [COUNT <count>]",
  "    Show information about the stream.",
  "HELP",
  "    Prints this help.",
];

function subcommandSyntax(sub: string, command: string): never {
  fail(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try ${command} HELP.`);
}

/** XGROUP CREATE / SETID options: [MKSTREAM] (CREATE only) [ENTRIESREAD n]. */
function parseGroupOptions(args: string[], sub: "CREATE" | "SETID"): { mkstream: boolean; entriesRead: bigint } {
  let mkstream = false;
  let entriesRead = UNKNOWN_READS;
  for (let i = 3; i < args.length; i++) {
    if (sub === "CREATE" && is(args[i], "mkstream")) {
      mkstream = true;
    } else if (is(args[i], "entriesread") && i + 1 < args.length) {
      entriesRead = parseInt64(args[++i]);
      if (entriesRead < 0n && entriesRead !== UNKNOWN_READS) fail("ERR value for ENTRIESREAD must be positive or -1");
    } else {
      subcommandSyntax(sub, "XGROUP");
    }
  }
  return { mkstream, entriesRead };
}

/** The stream XGROUP acts on, which must exist (unless CREATE ... MKSTREAM). */
function groupStream(ctx: Session, key: string, mkstream = false): Stream | undefined {
  const stream = getStream(ctx.db, key);
  if (stream === undefined && !mkstream) {
    fail(
      "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM " +
        "option to create an empty stream automatically.",
    );
  }
  return stream;
}

/** The group XGROUP SETID / CREATECONSUMER / DELCONSUMER acts on, and its stream. */
function existingGroup(ctx: Session, key: string, name: string): { stream: Stream; group: ConsumerGroup } {
  const stream = groupStream(ctx, key)!;
  return { stream, group: stream.groups.get(name) ?? noGroupForKey(key, name) };
}

/** A group's read counter as given, capped at what the stream ever had. */
function cappedReads(stream: Stream, entriesRead: bigint): bigint {
  return entriesRead !== UNKNOWN_READS && entriesRead > stream.entriesAdded ? stream.entriesAdded : entriesRead;
}

function xgroupCreate(ctx: Session, args: string[]): Reply {
  const [key, name, idArg] = args;
  const { mkstream, entriesRead } = parseGroupOptions(args, "CREATE");
  const existing = groupStream(ctx, key, mkstream);
  if (args.length > 6) subcommandSyntax("CREATE", "XGROUP");
  const id = idArg === "$" ? (existing?.lastId ?? 0n) : strictId(idArg);
  const stream = existing ?? new Stream();
  if (existing === undefined) ctx.db.set(key, "stream", stream);
  if (stream.groups.has(name)) fail("BUSYGROUP Consumer Group name already exists");
  stream.groups.set(name, new ConsumerGroup(id, cappedReads(stream, entriesRead)));
  ctx.server.dirty++;
  notify(ctx.db, "xgroup-create", key);
  return OK;
}

function xgroupSetid(ctx: Session, args: string[]): Reply {
  const [key, name, idArg] = args;
  const { entriesRead } = parseGroupOptions(args, "SETID");
  const { stream, group } = existingGroup(ctx, key, name);
  if (args.length !== 3 && args.length !== 5) subcommandSyntax("SETID", "XGROUP");
  group.lastId = idArg === "$" ? stream.lastId : (parseStreamId(idArg, 0n, false) ?? fail(INVALID_ID)).id;
  group.entriesRead = cappedReads(stream, entriesRead);
  ctx.server.dirty++;
  notify(ctx.db, "xgroup-setid", key);
  return OK;
}

function xgroupDestroy(ctx: Session, [key, name]: string[]): Reply {
  const stream = groupStream(ctx, key)!;
  if (!stream.groups.delete(name)) return ZERO;
  ctx.server.dirty++;
  notify(ctx.db, "xgroup-destroy", key);
  // Readers blocked on the group fail with NOGROUP.
  ctx.db.signalReady(key);
  return int(1);
}

function xgroupCreateConsumer(ctx: Session, [key, name, consumer]: string[]): Reply {
  const { group } = existingGroup(ctx, key, name);
  if (group.consumers.has(consumer)) return ZERO;
  consumerOf(ctx, key, group, consumer);
  return int(1);
}

function xgroupDelConsumer(ctx: Session, [key, name, consumerName]: string[]): Reply {
  const { group } = existingGroup(ctx, key, name);
  const consumer = group.consumers.get(consumerName);
  if (consumer === undefined) return ZERO;
  const pending = group.deleteConsumer(consumer);
  ctx.server.dirty++;
  notify(ctx.db, "xgroup-delconsumer", key);
  return int(pending);
}

// ---------------------------------------------------------------------------------------------
// XINFO

/** A stream for XINFO: must exist. */
function infoStream(ctx: Session, key: string): Stream {
  return getStream(ctx.db, key) ?? fail(Errors.noSuchKey);
}

function lagReply(stream: Stream, group: ConsumerGroup): Reply {
  const lag = stream.lag(group);
  return lag === null ? NIL : int(lag);
}

function readsReply(group: ConsumerGroup): Reply {
  return group.entriesRead === UNKNOWN_READS ? NIL : int(group.entriesRead);
}

function xinfoStream(ctx: Session, args: string[]): Reply {
  const stream = infoStream(ctx, args[0]);
  const options = args.length - 1;
  let full = false;
  let count = 10;
  if (options > 0) {
    if ((options !== 1 && options !== 3) || !is(args[1], "full")) subcommandSyntax("STREAM", "XINFO");
    full = true;
    if (options === 3) {
      if (!is(args[2], "count")) subcommandSyntax("STREAM", "XINFO");
      count = parseInteger(args[3]);
      if (count < 0) count = 10;
    }
  }
  const head: Record<string, Reply> = {
    length: int(stream.length),
    "radix-tree-keys": int(stream.nodeCount),
    "radix-tree-nodes": int(stream.radixTreeNodes()),
    "last-generated-id": idReply(stream.lastId),
    "max-deleted-entry-id": idReply(stream.maxDeletedId),
    "entries-added": int(stream.entriesAdded),
    "recorded-first-entry-id": idReply(stream.firstId),
  };
  if (!full) {
    const edge = (last: boolean): Reply => {
      const id = stream.edgeId(last);
      return id === undefined ? NIL : entryReply(id, stream.get(id)!);
    };
    return record({ ...head, groups: int(stream.groups.size), "first-entry": edge(false), "last-entry": edge(true) });
  }
  const limited = <T>(items: Iterable<T>, each: (item: T) => Reply): Reply => {
    const out: Reply[] = [];
    for (const item of items) {
      if (count > 0 && out.length === count) break;
      out.push(each(item));
    }
    return array(out);
  };
  const groups = byName(stream.groups).map(([name, group]) =>
    record({
      name: bulk(name),
      "last-delivered-id": idReply(group.lastId),
      "entries-read": readsReply(group),
      lag: lagReply(stream, group),
      "pel-count": int(group.pel.size),
      pending: limited(group.pel.entries(), ([id, p]) => array([idReply(id), bulk(p.consumer.name), int(p.deliveryTime), int(p.deliveryCount)])),
      consumers: array(
        byName(group.consumers).map(([consumerName, consumer]) =>
          record({
            name: bulk(consumerName),
            "seen-time": int(consumer.seenTime),
            "active-time": int(consumer.activeTime),
            "pel-count": int(consumer.pel.size),
            pending: limited(consumer.pel.entries(), ([id, p]) => array([idReply(id), int(p.deliveryTime), int(p.deliveryCount)])),
          }),
        ),
      ),
    }),
  );
  return record({ ...head, entries: entriesReply(stream.range(0n, MAX_ID), count), groups: array(groups) });
}

function xinfoGroups(ctx: Session, [key]: string[]): Reply {
  const stream = infoStream(ctx, key);
  return array(
    byName(stream.groups).map(([name, group]) =>
      record({
        name: bulk(name),
        consumers: int(group.consumers.size),
        pending: int(group.pel.size),
        "last-delivered-id": idReply(group.lastId),
        "entries-read": readsReply(group),
        lag: lagReply(stream, group),
      }),
    ),
  );
}

function xinfoConsumers(ctx: Session, [key, name]: string[]): Reply {
  const group = infoStream(ctx, key).groups.get(name) ?? noGroupForKey(key, name);
  const t = now();
  return array(
    byName(group.consumers).map(([consumerName, consumer]) =>
      record({
        name: bulk(consumerName),
        pending: int(consumer.pel.size),
        idle: int(Math.max(0, t - consumer.seenTime)),
        inactive: int(consumer.activeTime === -1 ? -1 : t - consumer.activeTime),
      }),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// The table.

function cmd(spec: Omit<CommandSpec, "group" | "categories">): CommandSpec {
  return { group: "stream", categories: ["stream"], ...spec };
}

export const streams: CommandSpec[] = [
  cmd({
    name: "xadd", arity: -5, flags: ["write", "denyoom", "fast"], keys: ONE_KEY, since: "5.0.0", complexity: "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.",
    syntax: "key [NOMKSTREAM] [KEEPREF | DELREF | ACKED] [<MAXLEN | MINID> [= | ~] threshold [LIMIT count]] <* | id> field value [field value ...]",
    summary: "Appends a new message to a stream. Creates the key if it doesn't exist.",
    run: xadd,
  }),
  cmd({
    name: "xlen", arity: 2, flags: ["readonly", "fast"], keys: ONE_KEY, since: "5.0.0", complexity: "O(1)", syntax: "key",
    summary: "Return the number of messages in a stream.",
    run: (ctx, [key]) => int(getStream(ctx.db, key)?.length ?? 0),
  }),
  cmd({
    name: "xrange", arity: -4, flags: ["readonly"], keys: ONE_KEY, since: "5.0.0", syntax: "key start end [COUNT count]",
    complexity: "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
    summary: "Returns the messages from a stream within a range of IDs.",
    run: (ctx, args) => xrange(ctx, args, false),
  }),
  cmd({
    name: "xrevrange", arity: -4, flags: ["readonly"], keys: ONE_KEY, since: "5.0.0", syntax: "key end start [COUNT count]",
    complexity: "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).",
    summary: "Returns the messages from a stream within a range of IDs in reverse order.",
    run: (ctx, args) => xrange(ctx, args, true),
  }),
  cmd({
    name: "xdel", arity: -3, flags: ["write", "fast"], keys: ONE_KEY, since: "5.0.0", syntax: "key id [id ...]",
    complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
    summary: "Returns the number of messages after removing them from a stream.",
    run: xdel,
  }),
  cmd({
    name: "xdelex", arity: -5, flags: ["write", "fast"], keys: ONE_KEY, since: "8.2.0", syntax: "key [KEEPREF | DELREF | ACKED] IDS numids id [id ...]",
    complexity: "O(1) for each single item to delete in the stream, regardless of the stream size.",
    summary: "Deletes one or multiple entries from the stream.",
    run: xdelex,
  }),
  cmd({
    name: "xtrim", arity: -4, flags: ["write"], keys: ONE_KEY, since: "5.0.0", syntax: "key <MAXLEN | MINID> [= | ~] threshold [LIMIT count] [KEEPREF | DELREF | ACKED]",
    complexity: "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.",
    summary: "Deletes messages from the beginning of a stream.",
    run: xtrim,
  }),
  cmd({
    name: "xread", arity: -4, flags: ["readonly", "blocking"], findKeys: readKeys, since: "5.0.0",
    syntax: "[COUNT count] [BLOCK milliseconds] STREAMS key [key ...] id [id ...]",
    summary: "Returns messages from multiple streams with IDs greater than the ones requested. Blocks until a message is available otherwise.",
    run: (ctx, args) => xread(ctx, args, false),
  }),
  cmd({
    name: "xreadgroup", arity: -7, flags: ["write", "blocking"], findKeys: readKeys, since: "5.0.0",
    syntax: "GROUP group consumer [COUNT count] [BLOCK milliseconds] [NOACK] STREAMS key [key ...] id [id ...]",
    complexity: "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.",
    summary: "Returns new or historical messages from a stream for a consumer in a group. Blocks until a message is available otherwise.",
    run: (ctx, args) => xread(ctx, args, true),
  }),
  cmd({
    name: "xsetid", arity: -3, flags: ["write", "denyoom", "fast"], keys: ONE_KEY, since: "5.0.0", complexity: "O(1)",
    syntax: "key last-id [ENTRIESADDED entries-added] [MAXDELETEDID max-deleted-id]",
    summary: "An internal command for replicating stream values.",
    run: xsetid,
  }),
  cmd({
    name: "xack", arity: -4, flags: ["write", "fast"], keys: ONE_KEY, since: "5.0.0", syntax: "key group id [id ...]",
    complexity: "O(1) for each message ID processed.",
    summary: "Returns the number of messages that were successfully acknowledged by the consumer group member of a stream.",
    run: xack,
  }),
  cmd({
    name: "xackdel", arity: -6, flags: ["write", "fast"], keys: ONE_KEY, since: "8.2.0", syntax: "key group [KEEPREF | DELREF | ACKED] IDS numids id [id ...]",
    complexity: "O(1) for each entry ID processed.",
    summary: "Acknowledges and conditionally deletes one or multiple entries for a stream consumer group.",
    run: xackdel,
  }),
  cmd({
    name: "xpending", arity: -3, flags: ["readonly"], keys: ONE_KEY, since: "5.0.0", syntax: "key group [[IDLE min-idle-time] start end count [consumer]]",
    complexity: "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.",
    summary: "Returns the information and entries from a stream consumer group's pending entries list.",
    run: xpending,
  }),
  cmd({
    name: "xclaim", arity: -6, flags: ["write", "fast"], keys: ONE_KEY, since: "5.0.0", complexity: "O(log N) with N being the number of messages in the PEL of the consumer group.",
    syntax: "key group consumer min-idle-time id [id ...] [IDLE ms] [TIME unix-time-milliseconds] [RETRYCOUNT count] [FORCE] [JUSTID] [LASTID lastid]",
    summary: "Changes, or acquires, ownership of a message in a consumer group, as if the message was delivered a consumer group member.",
    run: xclaim,
  }),
  cmd({
    name: "xautoclaim", arity: -6, flags: ["write", "fast"], keys: ONE_KEY, since: "6.2.0", complexity: "O(1) if COUNT is small.",
    syntax: "key group consumer min-idle-time start [COUNT count] [JUSTID]",
    summary: "Changes, or acquires, ownership of messages in a consumer group, as if the messages were delivered to as consumer group member.",
    run: xautoclaim,
  }),
  cmd({
    name: "xgroup", arity: -2, flags: [], since: "5.0.0", summary: "A container for consumer groups commands.",
    subcommands: [
      cmd({
        name: "create", arity: -5, flags: ["write", "denyoom"], keys: SUB_KEY, since: "5.0.0", complexity: "O(1)",
        syntax: "key group <id | $> [MKSTREAM] [ENTRIESREAD entries-read]", summary: "Creates a consumer group.", run: xgroupCreate,
      }),
      cmd({
        name: "setid", arity: -5, flags: ["write"], keys: SUB_KEY, since: "5.0.0", complexity: "O(1)",
        syntax: "key group <id | $> [ENTRIESREAD entries-read]", summary: "Sets the last-delivered ID of a consumer group.", run: xgroupSetid,
      }),
      cmd({
        name: "destroy", arity: 4, flags: ["write"], keys: SUB_KEY, since: "5.0.0", syntax: "key group",
        complexity: "O(N) where N is the number of entries in the group's pending entries list (PEL).", summary: "Destroys a consumer group.", run: xgroupDestroy,
      }),
      cmd({
        name: "createconsumer", arity: 5, flags: ["write", "denyoom"], keys: SUB_KEY, since: "6.2.0", complexity: "O(1)", syntax: "key group consumer",
        summary: "Creates a consumer in a consumer group.", run: xgroupCreateConsumer,
      }),
      cmd({
        name: "delconsumer", arity: 5, flags: ["write"], keys: SUB_KEY, since: "5.0.0", complexity: "O(1)", syntax: "key group consumer",
        summary: "Deletes a consumer from a consumer group.", run: xgroupDelConsumer,
      }),
      cmd({ name: "help", arity: 2, flags: ["loading", "stale"], since: "5.0.0", complexity: "O(1)", summary: "Returns helpful text about the different subcommands.", run: () => helpReply(XGROUP_HELP) }),
    ],
  }),
  cmd({
    name: "xinfo", arity: -2, flags: [], since: "5.0.0", summary: "A container for stream introspection commands.",
    subcommands: [
      cmd({
        name: "stream", arity: -3, flags: ["readonly"], keys: SUB_KEY, since: "5.0.0", syntax: "key [FULL [COUNT count]]",
        complexity: "O(1) for the default form, O(N) for FULL, where N is the number of entries.", summary: "Returns information about a stream.", run: xinfoStream,
      }),
      cmd({ name: "groups", arity: 3, flags: ["readonly"], keys: SUB_KEY, since: "5.0.0", complexity: "O(1)", syntax: "key", summary: "Returns a list of the consumer groups of a stream.", run: xinfoGroups }),
      cmd({
        name: "consumers", arity: 4, flags: ["readonly"], keys: SUB_KEY, since: "5.0.0", complexity: "O(1)", syntax: "key group",
        summary: "Returns a list of the consumers in a consumer group.", run: xinfoConsumers,
      }),
      cmd({ name: "help", arity: 2, flags: ["loading", "stale"], since: "5.0.0", complexity: "O(1)", summary: "Returns helpful text about the different subcommands.", run: () => helpReply(XINFO_HELP) }),
    ],
  }),
];
