// Starts the real restash CLI (dist/src/cli.js) as a child process on free ports (RESP and the
// REST API), in a fresh temporary data dir unless args give --dir, for tests that drive it with
// real clients over real sockets.

import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import path from "node:path";

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/cli.js");

export interface SpawnedServer {
  port: number;
  tlsPort: number;
  /** Port of the REST API (0 when started with --http-port -1). */
  httpPort: number;
  /** UPSTASH_REDIS_REST_URL / UPSTASH_REDIS_REST_TOKEN as printed at startup ("" when REST is off). */
  restUrl: string;
  restToken: string;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

const READY = /ready: redis:\/\/[^ \n]*:(\d+)(?: rediss:\/\/[^ \n]*:(\d+))?(?: (https?:\/\/[^ \n]*:(\d+)[^ \n]*))?\n/;
const REST_TOKEN = /UPSTASH_REDIS_REST_TOKEN=(\S+)\n/;

/** Spawns `restash --port 0 --http-port 0 ...args` and resolves once it prints its ready lines. */
export function spawnServer(args: string[] = []): Promise<SpawnedServer> {
  const dir = args.includes("--dir") ? null : mkdtempSync(path.join(tmpdir(), "restash-test-"));
  const dirArgs = dir ? ["--dir", dir] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "--port", "0", "--http-port", "0", "--loglevel", "warning", ...dirArgs, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = READY.exec(out);
      if (!m) return;
      const token = REST_TOKEN.exec(out);
      if (m[3] && !token) return;
      child.stdout!.off("data", onData);
      resolve({
        port: Number(m[1]),
        tlsPort: Number(m[2] ?? 0),
        httpPort: Number(m[4] ?? 0),
        restUrl: m[3] ?? "",
        restToken: token?.[1] ?? "",
        process: child,
        output: () => out,
        stop: () =>
          new Promise<void>((r) => {
            const done = () => {
              if (dir) rmSync(dir, { recursive: true, force: true });
              r();
            };
            if (child.exitCode !== null) return done();
            child.once("exit", done);
            child.kill("SIGTERM");
          }),
      });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => reject(new Error(`restash exited with ${code}: ${out}`)));
  });
}
