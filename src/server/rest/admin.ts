// REST admin endpoints, for the standard token only: `GET /admin/export?match=<glob>&type=<type>`
// streams the matching keys of database 0 as JSONL records (the format of `restash export`),
// walking the keyspace in SCAN order one batch per event-loop turn and waiting for the client to
// drain; `POST /admin/import[?replace=1]` stores the JSONL records of the body as it arrives, each
// as a RESTORE through the REST command path (so the AOF, keyspace events and memory limits see
// it like any write), and answers with how many were imported, already existed or failed.

import type { IncomingMessage, ServerResponse } from "node:http";
import { StringDecoder } from "node:string_decoder";
import { now, tick } from "../../engine/clock.js";
import type { Entry } from "../../engine/database.js";
import { globMatch } from "../../engine/glob.js";
import { restoreCommand } from "../../persistence/dump.js";
import { fromJsonLine, toJsonLine, type KeyRecord } from "../../persistence/jsonl.js";
import type { Reply } from "../../protocol/reply.js";
import type { Server } from "../server.js";
import { runCommand, type RestSession } from "./execute.js";
import { RestError, type ParsedUrl } from "./request.js";
import type { TokenKind } from "./tokens.js";

/** Keys visited per export step (as SCAN's COUNT). */
const EXPORT_BATCH = 1000;
const NDJSON_TYPE = "application/x-ndjson";

/** What an admin request needs from the REST API serving it. */
export interface AdminExchange {
  server: Server;
  req: IncomingMessage;
  res: ServerResponse;
  url: ParsedUrl;
  kind: TokenKind;
  /** A session for the request's commands. */
  session(): RestSession;
  /** Appends the headers every response carries to a flat list. */
  headers(into: string[]): string[];
  /** A complete JSON response; like every REST response it waits for the AOF to hold the request's writes. */
  sendJson(status: number, body: string): void;
  /** Answers with the error (Upstash's JSON error body), or drops the connection once streaming began. */
  fail(error: unknown): void;
}

/** Whether the request is for an admin endpoint (the first path segment is "admin"). */
export function isAdminRoute(url: ParsedUrl): boolean {
  return url.segments[0] === "admin";
}

/** Serves an admin endpoint; throws RestError for what is refused before anything is sent. */
export function serveAdmin(ex: AdminExchange): void {
  const name = ex.url.segments.slice(1).join("/");
  const method = ex.req.method ?? "GET";
  const get = method === "GET" || method === "HEAD";
  if (ex.url.segments.length !== 2 || (name !== "export" && name !== "import")) throw new RestError(404, "ERR not found");
  if (ex.kind !== "standard") throw new RestError(403, `NOPERM this user has no permissions to use /admin/${name}`);
  if (get !== (name === "export")) throw new RestError(405, `ERR method ${method} not allowed`);
  if (name === "export") return exportKeys(ex);
  importRecords(ex).catch((e) => ex.fail(e));
}

/** The value of a query parameter, null when absent; a bare `?name` gives "". */
function param(url: ParsedUrl, name: string): string | null {
  const found = url.query.find(([n]) => n === name);
  return found === undefined ? null : (found[1] ?? "");
}

function recordOf(key: string, entry: Entry, t: number): KeyRecord {
  return { key, type: entry.type, value: entry.value, ttlMs: entry.expireAt === 0 ? 0 : entry.expireAt - t };
}

/** Streams the matching keys as JSONL, one batch per event-loop turn, following the client's pace. */
function exportKeys(ex: AdminExchange): void {
  const match = param(ex.url, "match") ?? "*";
  const type = param(ex.url, "type")?.toLowerCase() || null;
  const db = ex.session().db;
  const { res } = ex;
  res.writeHead(200, ex.headers(["Content-Type", NDJSON_TYPE]));
  if (ex.req.method === "HEAD") return void res.end();
  let cursor = 0;
  let unexportable = 0;
  const step = (): void => {
    if (res.destroyed) return;
    tick();
    const t = now();
    let chunk = "";
    cursor = db.scan(cursor, EXPORT_BATCH, (key, entry) => {
      if (!globMatch(match, key) || (type !== null && entry.type.toLowerCase() !== type)) return;
      try {
        chunk += toJsonLine(recordOf(key, entry, t)) + "\n";
      } catch {
        unexportable++; // a type JSONL has no form for
      }
    });
    ex.server.stats.netOutputBytes += Buffer.byteLength(chunk);
    const more = chunk === "" || res.write(chunk);
    if (cursor === 0) {
      if (unexportable > 0) ex.server.log.warn(`/admin/export left out ${unexportable} keys of types JSONL records cannot hold`);
      res.end();
    } else if (more) setImmediate(step);
    else res.once("drain", step);
  };
  step();
}

interface ImportCounts {
  imported: number;
  existing: number;
  errors: number;
}

/** Stores the body's JSONL records in order as they arrive, then answers with the counts. */
async function importRecords(ex: AdminExchange): Promise<void> {
  const replace = ["", "1", "true", "yes"].includes(param(ex.url, "replace")?.toLowerCase() ?? "no");
  const maxLine = ex.server.config.num("rest-max-request-size");
  const session = ex.session();
  const counts: ImportCounts = { imported: 0, existing: 0, errors: 0 };
  let firstError = "";
  const note = (line: number, message: string) => {
    counts.errors++;
    firstError ||= `line ${line}: ${message}`;
  };
  const store = async (text: string, line: number) => {
    if (text.trim() === "") return;
    let record: KeyRecord;
    try {
      record = fromJsonLine(text, ex.server.config);
    } catch (e) {
      return note(line, (e as Error).message);
    }
    const argv = restoreCommand(record.key, record, record.ttlMs, false, replace, ex.server.config);
    const result = runCommand(session, argv);
    const reply: Reply = result instanceof Promise ? await result : result;
    if (reply.t !== "error") counts.imported++;
    else if (reply.v.startsWith("BUSYKEY")) counts.existing++;
    else note(line, reply.v);
  };
  const decoder = new StringDecoder("utf8");
  let partial = "";
  let line = 0;
  for await (const chunk of ex.req as AsyncIterable<Buffer>) {
    tick();
    ex.server.stats.netInputBytes += chunk.length;
    const lines = (partial + decoder.write(chunk)).split("\n");
    partial = lines.pop()!;
    if (maxLine > 0 && partial.length > maxLine) throw new RestError(413, "ERR max request size exceeded");
    for (const text of lines) await store(text, ++line);
  }
  await store(partial + decoder.end(), ++line);
  if (firstError !== "") ex.server.log.warn(`/admin/import: ${counts.errors} records failed, the first at ${firstError}`);
  ex.sendJson(200, JSON.stringify({ result: counts }));
}
