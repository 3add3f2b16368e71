// startRestash: builds a Server from a Config and starts its listeners (RESP over TCP, TLS, and
// the Upstash REST API over HTTP/HTTPS).
// Used by the CLI and by tests that want a real server in-process.

import { Config } from "./config.js";
import { Server } from "./server/server.js";
import { listenTcp, listenTls, type Listening } from "./server/tcp.js";
import { listenHttp } from "./server/http.js";
import { persistenceOf } from "./persistence/persistence.js";

export interface Running {
  server: Server;
  port: number;
  tlsPort: number;
  /** Port of the REST API; 0 when it is off (http-port -1). */
  httpPort: number;
  /** What apps set as UPSTASH_REDIS_REST_URL / UPSTASH_REDIS_REST_TOKEN; null when REST is off. */
  rest: { url: string; token: string } | null;
  urls: string[];
  close(): Promise<void>;
}

function hostForUrl(bind: string): string {
  const first = bind.split(/\s+/).filter(Boolean)[0]?.replace(/^-/, "") ?? "127.0.0.1";
  if (first === "0.0.0.0" || first === "*") return "127.0.0.1";
  return first.includes(":") ? `[${first}]` : first;
}

export async function startRestash(config: Config = new Config()): Promise<Running> {
  const server = new Server(config);
  // The data on disk (AOF or RDB) is loaded before any client can connect.
  const persistence = persistenceOf(server);
  persistence.start();
  const listeners: Listening[] = [];
  const tcp = await listenTcp(server, config.num("port"));
  listeners.push(tcp);
  server.port = tcp.port;
  let tlsPort = 0;
  if (config.get("tls-port") !== "0" || config.get("tls-cert-file") !== "") {
    if (config.get("tls-cert-file") && config.get("tls-key-file")) {
      const tls = await listenTls(server, config.num("tls-port"));
      listeners.push(tls);
      tlsPort = tls.port;
    }
  }
  const http = config.num("http-port") >= 0 ? await listenHttp(server, config.num("http-port")) : null;
  if (http) listeners.push(http);
  server.start();
  const host = hostForUrl(config.get("bind"));
  const auth = config.get("requirepass") ? "default:***@" : "";
  const urls = [`redis://${auth}${host}:${tcp.port}`];
  if (tlsPort) urls.push(`rediss://${auth}${host}:${tlsPort}`);
  let rest: Running["rest"] = null;
  if (http) {
    const url = `${http.secure ? "https" : "http"}://${host}:${http.port}${http.api.prefix}`;
    urls.push(url);
    rest = { url, token: http.api.tokens.token };
  }
  return {
    server,
    port: tcp.port,
    tlsPort,
    httpPort: http?.port ?? 0,
    rest,
    urls,
    async close() {
      server.stop();
      persistence.shutdown(false);
      for (const session of server.clients.values()) session.transport.close();
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}
