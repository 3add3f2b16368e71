// Starts the real restash CLI (dist/src/cli.js) as a child process on a free port, for tests
// that drive it with real clients over real sockets.

import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../src/cli.js");

export interface SpawnedServer {
  port: number;
  tlsPort: number;
  process: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `restash --port 0 ...args` and resolves once it prints its ready line. */
export function spawnServer(args: string[] = []): Promise<SpawnedServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, "--port", "0", "--loglevel", "warning", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /ready: redis:\/\/[^ ]*:(\d+)(?: rediss:\/\/[^ ]*:(\d+))?/.exec(out);
      if (m) {
        child.stdout!.off("data", onData);
        resolve({
          port: Number(m[1]),
          tlsPort: Number(m[2] ?? 0),
          process: child,
          output: () => out,
          stop: () =>
            new Promise<void>((r) => {
              if (child.exitCode !== null) return r();
              child.once("exit", () => r());
              child.kill("SIGTERM");
            }),
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (d: Buffer) => (out += d.toString()));
    child.once("exit", (code) => reject(new Error(`restash exited with ${code}: ${out}`)));
  });
}
