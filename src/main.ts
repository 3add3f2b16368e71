// startRestash: builds a Server from a Config and starts its listeners (RESP over TCP, TLS).
// Used by the CLI and by tests that want a real server in-process.

import { Config } from "./config.js";
import { Server } from "./server/server.js";
import { listenTcp, listenTls, type Listening } from "./server/tcp.js";

export interface Running {
  server: Server;
  port: number;
  tlsPort: number;
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
  const listeners: Listening[] = [];
  const tcp = await listenTcp(server, config.num("port"));
  listeners.push(tcp);
  let tlsPort = 0;
  if (config.get("tls-port") !== "0" || config.get("tls-cert-file") !== "") {
    if (config.get("tls-cert-file") && config.get("tls-key-file")) {
      const tls = await listenTls(server, config.num("tls-port"));
      listeners.push(tls);
      tlsPort = tls.port;
    }
  }
  server.start();
  const host = hostForUrl(config.get("bind"));
  const auth = config.get("requirepass") ? "default:***@" : "";
  const urls = [`redis://${auth}${host}:${tcp.port}`];
  if (tlsPort) urls.push(`rediss://${auth}${host}:${tlsPort}`);
  return {
    server,
    port: tcp.port,
    tlsPort,
    urls,
    async close() {
      server.stop();
      for (const session of server.clients.values()) session.transport.close();
      await Promise.all(listeners.map((l) => l.close()));
    },
  };
}
