// TCP and TLS listeners for the RESP protocol: accept connections (enforcing maxclients with
// Redis's error) and give each a Connection. One listener per bound address. Plain TCP reads go
// straight to the connection (direct-reads.ts); TLS sockets deliver data events.

import net from "node:net";
import tls from "node:tls";
import { readFileSync } from "node:fs";
import { Connection } from "./connection.js";
import { withDirectReads } from "./direct-reads.js";
import type { Server } from "./server.js";

export interface Listening {
  /** The port actually bound (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/** Refuses a client past maxclients with Redis's error; true when it was refused. */
function refuseOverLimit(server: Server, socket: net.Socket): boolean {
  if (server.clients.size < server.config.num("maxclients")) return false;
  server.stats.rejectedConnections++;
  socket.on("error", () => socket.destroy());
  socket.end("-ERR max number of clients reached\r\n");
  return true;
}

/** A plain-TCP client (accepted paused): its reads go straight to its Connection. */
function acceptTcp(server: Server, accepted: net.Socket): void {
  if (refuseOverLimit(server, accepted)) return;
  let connection: Connection | null = null;
  const socket = withDirectReads(accepted, (chunk) => connection!.receive(chunk, true));
  connection = new Connection(server, socket, "tcp");
}

function acceptTls(server: Server, socket: tls.TLSSocket): void {
  if (refuseOverLimit(server, socket)) return;
  const connection = new Connection(server, socket, "tls");
  socket.on("data", (chunk: Buffer) => connection.receive(chunk, false));
}

export async function listenAll(make: () => net.Server, addresses: string[], port: number): Promise<Listening> {
  const servers: net.Server[] = [];
  let bound = port;
  for (const host of addresses) {
    const srv = make();
    await new Promise<void>((resolve, reject) => {
      srv.once("error", reject);
      srv.listen({ port: bound, host, backlog: 511 }, () => {
        srv.off("error", reject);
        resolve();
      });
    });
    bound = (srv.address() as net.AddressInfo).port;
    servers.push(srv);
  }
  return {
    port: bound,
    close: () => Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
  };
}

export function bindAddresses(server: Server): string[] {
  return server.config.get("bind").split(/\s+/).filter(Boolean).map((a) => a.replace(/^-/, ""));
}

export function listenTcp(server: Server, port: number): Promise<Listening> {
  return listenAll(() => net.createServer({ pauseOnConnect: true }, (socket) => acceptTcp(server, socket)), bindAddresses(server), port);
}

export function listenTls(server: Server, port: number): Promise<Listening> {
  const cfg = server.config;
  const ca = cfg.get("tls-ca-cert-file");
  const authClients = cfg.get("tls-auth-clients");
  const options: tls.TlsOptions = {
    cert: readFileSync(cfg.get("tls-cert-file")),
    key: readFileSync(cfg.get("tls-key-file")),
    passphrase: cfg.get("tls-key-file-pass") || undefined,
    ca: ca ? readFileSync(ca) : undefined,
    requestCert: authClients !== "no",
    rejectUnauthorized: authClients === "yes",
  };
  return listenAll(() => tls.createServer(options, (socket) => acceptTls(server, socket)), bindAddresses(server), port);
}
