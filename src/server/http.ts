// HTTP transport: the Upstash REST API on node:http (HTTPS when TLS is configured), keep-alive,
// no framework. Routes: `POST /` (JSON command), `/<cmd>/<args...>` (path style, raw body as last
// argument, query parameters after it), `/pipeline`, `/multi-exec`, and the SSE streams
// `/subscribe`, `/psubscribe`, `/monitor`, and the admin endpoints `/admin/export` and
// `/admin/import` (rest/admin.ts). Handles auth (bearer or `_token`, read-only tokens),
// CORS, size limits and usage budgets, the `upstash-sync-token` header, base64 and RESP2
// response formats; commands run through a per-request Session and dispatch (rest/execute.ts).

import http, { type IncomingMessage, type ServerResponse } from "node:http";
import https from "node:https";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { now, tick } from "../engine/clock.js";
import { encode } from "../protocol/resp-encoder.js";
import type { Reply } from "../protocol/reply.js";
import { errorJson, replyJson, repliesJson } from "../protocol/upstash-json.js";
import type { Server } from "./server.js";
import { bindAddresses, listenAll, type Listening } from "./tcp.js";
import { isAdminRoute, serveAdmin, type AdminExchange } from "./rest/admin.js";
import { RestSession, runCommand, runPipeline, runTransaction } from "./rest/execute.js";
import { UsageLimits } from "./rest/limits.js";
import { header, jsonCommand, jsonCommands, parseUrl, pathCommand, RestError, type ParsedUrl } from "./rest/request.js";
import { openEventStream } from "./rest/sse.js";
import { presentedToken, TokenStore, type TokenKind } from "./rest/tokens.js";

const METHODS = new Set(["GET", "HEAD", "POST", "PUT"]);
const STREAMS = new Set(["subscribe", "psubscribe", "monitor"]);
const JSON_TYPE = "application/json";
const RESP_TYPE = "application/octet-stream";
const UNAUTHORIZED = "WRONGPASS invalid or missing auth token";
const CORS_ALLOW_HEADERS = "authorization, content-type, upstash-encoding, upstash-response-format, upstash-sync-token";
const MAX_URL_BYTES = 16 * 1024 * 1024;

type Route = "command" | "path" | "pipeline" | "multi-exec" | "stream";

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: ParsedUrl;
  kind: TokenKind;
  base64: boolean;
  resp2: boolean;
}

function routeOf(url: ParsedUrl): Route {
  const segments = url.segments;
  if (segments.length === 0) return "command";
  const first = segments[0].toLowerCase();
  if (segments.length === 1 && (first === "pipeline" || first === "multi-exec")) return first;
  return STREAMS.has(first) ? "stream" : "path";
}

/** Whether the request carries a body to read. */
function hasBody(req: IncomingMessage): boolean {
  const length = header(req.rawHeaders, "content-length");
  return length !== undefined ? length !== "0" : header(req.rawHeaders, "transfer-encoding") !== undefined;
}

/** Reads the whole body, refusing it past `max` bytes (0 = no limit). */
function readBody(req: IncomingMessage, max: number, done: (error: RestError | null, body: Buffer | null) => void): void {
  const tooLarge = () => new RestError(413, "ERR max request size exceeded");
  if (max > 0 && Number(header(req.rawHeaders, "content-length") ?? 0) > max) return done(tooLarge(), null);
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  req.on("data", (chunk: Buffer) => {
    if (finished) return;
    size += chunk.length;
    if (max > 0 && size > max) {
      finished = true;
      done(tooLarge(), null);
    } else {
      chunks.push(chunk);
    }
  });
  req.on("end", () => {
    if (finished) return;
    finished = true;
    done(null, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  });
}

export class RestApi {
  readonly tokens: TokenStore;
  private readonly limits: UsageLimits;
  private readonly bootId = randomBytes(4).toString("hex");
  /** Writes so far, for `upstash-sync-token`: it changes after every write. */
  private writes = 0;
  /** The `upstash-sync-token` value, remade only when writes moved on. */
  private syncToken = "";
  private syncTokenWrites = -1;
  /** Mount path of the API ("" or e.g. "/redis"), from rest-path-prefix. */
  readonly prefix: string;
  private corsSetting = "";
  private corsOrigins = new Set<string>();

  constructor(private readonly server: Server) {
    this.tokens = new TokenStore(server.config, server.log);
    this.limits = new UsageLimits(server.config);
    this.prefix = server.config.get("rest-path-prefix").replace(/\/+$/, "");
    server.propagateListeners.push(() => this.writes++);
  }

  /** The request handler given to node:http. */
  handle = (req: IncomingMessage, res: ServerResponse): void => {
    tick();
    if (this.server.log.isLevelEnabled("debug")) this.logWhenDone(req, res);
    try {
      this.route(req, res);
    } catch (e) {
      this.fail(req, res, e);
    }
  };

  private route(req: IncomingMessage, res: ServerResponse): void {
    const method = req.method ?? "GET";
    if (method === "OPTIONS" && this.corsOrigin(req) !== null) return this.preflight(req, res);
    const url = parseUrl(req.url ?? "/", this.prefix);
    if (url === null) throw new RestError(404, "ERR not found");
    if (!METHODS.has(method)) throw new RestError(405, `ERR method ${method} not allowed`);
    const presented = presentedToken(header(req.rawHeaders, "authorization"), url.token);
    const kind = presented === undefined ? null : this.tokens.check(presented);
    if (kind === null) throw new RestError(401, UNAUTHORIZED);
    if (isAdminRoute(url)) return serveAdmin(this.adminExchange(req, res, url, kind));
    const base64 = header(req.rawHeaders, "upstash-encoding")?.toLowerCase() === "base64";
    const format = header(req.rawHeaders, "upstash-response-format")?.toLowerCase() ?? "json";
    if (format !== "json" && format !== "resp2") throw new RestError(400, "ERR invalid response format, expected json or resp2");
    if (format === "resp2" && base64) throw new RestError(400, "ERR Upstash-Encoding: base64 cannot be combined with the resp2 response format");
    const ex: Exchange = { req, res, url, kind, base64, resp2: format === "resp2" };
    const route = routeOf(url);
    if (route === "stream") {
      const argv = [url.segments[0].toLowerCase(), ...url.segments.slice(1)];
      return openEventStream(this.server, req, res, argv, kind, this.commonHeaders(req, []));
    }
    if (!hasBody(req)) return this.execute(ex, route, null);
    readBody(req, this.server.config.num("rest-max-request-size"), (error, body) => {
      try {
        if (error) throw error;
        this.server.stats.netInputBytes += body!.length;
        this.execute(ex, route, body);
      } catch (e) {
        this.fail(req, res, e);
      }
    });
  }

  private execute(ex: Exchange, route: Route, body: Buffer | null): void {
    if (route === "pipeline" || route === "multi-exec") {
      const commands = jsonCommands(body);
      this.limits.admit(commands.length, now());
      const session = this.session(ex);
      const result = route === "pipeline" ? runPipeline(session, commands) : runTransaction(session, commands);
      const send = (r: Reply[] | string) => this.sendBatch(ex, r, route === "multi-exec");
      if (result instanceof Promise) result.then(send, (e) => this.fail(ex.req, ex.res, e));
      else send(result);
      return;
    }
    const argv = route === "command" ? jsonCommand(body) : pathCommand(ex.url, body);
    this.limits.admit(1, now());
    const reply = runCommand(this.session(ex), argv);
    if (reply instanceof Promise) reply.then((r) => this.sendReply(ex, r), (e) => this.fail(ex.req, ex.res, e));
    else this.sendReply(ex, reply);
  }

  private adminExchange(req: IncomingMessage, res: ServerResponse, url: ParsedUrl, kind: TokenKind): AdminExchange {
    return {
      server: this.server,
      req,
      res,
      url,
      kind,
      session: () => new RestSession(this.server, req.socket, kind),
      headers: (into) => this.commonHeaders(req, into),
      sendJson: (status, body) => this.send(req, res, status, body, JSON_TYPE),
      fail: (e) => this.fail(req, res, e),
    };
  }

  private session(ex: Exchange): RestSession {
    return new RestSession(this.server, ex.req.socket, ex.kind);
  }

  private sendReply(ex: Exchange, reply: Reply): void {
    const status = reply.t === "error" ? 400 : 200;
    if (ex.resp2) this.send(ex.req, ex.res, status, encode(reply, 2), RESP_TYPE);
    else this.send(ex.req, ex.res, status, replyJson(reply, ex.base64), JSON_TYPE);
  }

  /** Pipeline or transaction results; an error text means the transaction was discarded. */
  private sendBatch(ex: Exchange, result: Reply[] | string, transaction: boolean): void {
    if (typeof result === "string") return this.send(ex.req, ex.res, 400, errorJson(result), JSON_TYPE);
    if (ex.resp2 && !transaction) {
      let out = "";
      for (const reply of result) out += encode(reply, 2);
      return this.send(ex.req, ex.res, 200, out, RESP_TYPE);
    }
    this.send(ex.req, ex.res, 200, repliesJson(result, ex.base64), JSON_TYPE);
  }

  private fail(req: IncomingMessage, res: ServerResponse, e: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (!(e instanceof RestError)) this.server.log.error({ err: e }, "REST request failed with an internal error");
    const status = e instanceof RestError ? e.status : 500;
    const message = e instanceof RestError ? e.message : `ERR internal error: ${(e as Error)?.message ?? String(e)}`;
    // An oversized body is left unread: close the connection instead of draining it.
    if (status === 413) res.shouldKeepAlive = false;
    this.send(req, res, status, errorJson(message), JSON_TYPE);
  }

  /**
   * Writes a complete response with the sync token and CORS headers. `text` is latin1 bytes for
   * RESP, else UTF-8 text; passing a string lets node send headers and body in one write.
   */
  private send(req: IncomingMessage, res: ServerResponse, status: number, text: string, type: string): void {
    // As on RESP: the AOF gets this request's writes first, and with appendfsync always the
    // response waits for the fsync that covers them.
    const durability = this.server.durability;
    const position = durability !== null ? durability.position() : 0;
    if (position > 0) durability!.whenDurable(position, () => this.respond(req, res, status, text, type));
    else this.respond(req, res, status, text, type);
  }

  private respond(req: IncomingMessage, res: ServerResponse, status: number, text: string, type: string): void {
    const encoding = type === RESP_TYPE ? "latin1" : "utf8";
    const length = Buffer.byteLength(text, encoding);
    this.server.stats.netOutputBytes += length;
    res.writeHead(status, this.commonHeaders(req, ["Content-Type", type, "Content-Length", String(length)]));
    res.end(text, encoding);
  }

  /** Debug log line per request (the path without its query, which may hold `_token`). */
  private logWhenDone(req: IncomingMessage, res: ServerResponse): void {
    const started = performance.now();
    res.once("close", () => {
      const ms = +(performance.now() - started).toFixed(3);
      this.server.log.debug({ method: req.method, path: (req.url ?? "").split("?")[0], status: res.statusCode, ms }, "REST request");
    });
  }

  /** Appends the headers every response has (sync token; CORS when the origin is allowed) to a flat list. */
  private commonHeaders(req: IncomingMessage, into: string[]): string[] {
    if (this.syncTokenWrites !== this.writes) {
      this.syncTokenWrites = this.writes;
      this.syncToken = `${this.bootId}-${this.writes}`;
    }
    into.push("upstash-sync-token", this.syncToken);
    const origin = this.corsOrigin(req);
    if (origin === null) return into;
    into.push("Access-Control-Allow-Origin", origin, "Access-Control-Expose-Headers", "upstash-sync-token");
    if (origin !== "*") into.push("Vary", "Origin");
    return into;
  }

  /** The Access-Control-Allow-Origin value for a cross-origin request (it has Origin), or null. */
  private corsOrigin(req: IncomingMessage): string | null {
    const origin = header(req.rawHeaders, "origin");
    if (origin === undefined) return null;
    const setting = this.server.config.get("rest-cors-origins");
    if (setting !== this.corsSetting) {
      this.corsSetting = setting;
      this.corsOrigins = new Set(setting.split(/[\s,]+/).filter(Boolean));
    }
    return this.corsOrigins.has("*") ? "*" : this.corsOrigins.has(origin) ? origin : null;
  }

  private preflight(req: IncomingMessage, res: ServerResponse): void {
    const requested = req.headers["access-control-request-headers"];
    const headers = ["Access-Control-Allow-Methods", "GET, HEAD, POST, PUT, OPTIONS", "Access-Control-Max-Age", "86400"];
    headers.push("Access-Control-Allow-Headers", typeof requested === "string" ? requested : CORS_ALLOW_HEADERS);
    res.writeHead(204, this.commonHeaders(req, headers));
    res.end();
  }
}

export interface HttpListening extends Listening {
  secure: boolean;
  api: RestApi;
}

/** Starts the REST API listener on every bound address (HTTPS when TLS applies, see rest-tls). */
export async function listenHttp(server: Server, port: number): Promise<HttpListening> {
  const cfg = server.config;
  const api = new RestApi(server);
  const tlsSetting = cfg.get("rest-tls");
  const secure = tlsSetting === "yes" || (tlsSetting === "auto" && cfg.get("tls-cert-file") !== "" && cfg.get("tls-key-file") !== "");
  const maxRequest = cfg.num("rest-max-request-size");
  // Path-style commands carry values in the URL: let it be as large as a request may be.
  const options: http.ServerOptions = { maxHeaderSize: Math.min(Math.max(maxRequest || MAX_URL_BYTES, 16384), MAX_URL_BYTES) };
  const servers: http.Server[] = [];
  const make = (): http.Server => {
    const srv = secure
      ? https.createServer(
          {
            ...options,
            cert: readFileSync(cfg.get("tls-cert-file")),
            key: readFileSync(cfg.get("tls-key-file")),
            passphrase: cfg.get("tls-key-file-pass") || undefined,
          },
          api.handle,
        )
      : http.createServer(options, api.handle);
    srv.keepAliveTimeout = 65_000;
    servers.push(srv);
    return srv;
  };
  const listening = await listenAll(make, bindAddresses(server), port).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== "EADDRINUSE") throw e;
    throw new Error(`the REST API port ${port} is in use: --http-port <n> picks another, 0 a free one, -1 turns REST off`);
  });
  return {
    port: listening.port,
    secure,
    api,
    close() {
      for (const srv of servers) srv.closeAllConnections();
      return listening.close();
    },
  };
}
