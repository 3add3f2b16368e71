// Crash harness: clients write while the server is killed with SIGKILL, then a restarted server
// is checked against what was acknowledged. Each client INCRs its own counter one command at a
// time, so the counter after restart must be at least the last value the client was told.
// Used by the crash test (small form) and bench/persistence.ts (50 clients, 20 rounds).

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { spawnServer } from "../helpers/spawn-server.js";

export interface CrashResult {
  rounds: number;
  acknowledged: number;
  /** Acknowledged writes missing after restart, summed over rounds. */
  lost: number;
  /** The largest number of acknowledged writes one client lost in one round. */
  worstClientLoss: number;
}

async function writeUntilKilled(port: number, clients: number, acked: number[]): Promise<void> {
  await Promise.all(
    Array.from({ length: clients }, async (_, i) => {
      const r = new Redis({ port, lazyConnect: true, retryStrategy: () => null, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
      r.on("error", () => {});
      try {
        await r.connect();
        for (;;) acked[i] = await r.incr(`counter:${i}`);
      } catch {
        // the server was killed
      } finally {
        r.disconnect();
      }
    }),
  );
}

/** Runs rounds of write / kill -9 / restart / check with the given fsync policy. */
export async function crashRounds(options: { clients: number; rounds: number; runMs: number; fsync: "always" | "everysec" }): Promise<CrashResult> {
  const dir = mkdtempSync(path.join(tmpdir(), "restash-crash-"));
  const args = ["--http-port", "-1", "--save", "", "--dir", dir, "--appendonly", "yes", "--appendfsync", options.fsync];
  const result: CrashResult = { rounds: options.rounds, acknowledged: 0, lost: 0, worstClientLoss: 0 };
  const acked = new Array<number>(options.clients).fill(0);
  for (let round = 0; round < options.rounds; round++) {
    const server = await spawnServer(args);
    const before = acked.slice();
    const writing = writeUntilKilled(server.port, options.clients, acked);
    await new Promise((r) => setTimeout(r, options.runMs));
    const exited = new Promise((r) => server.process.once("exit", r));
    server.process.kill("SIGKILL");
    await exited;
    await writing;
    const restarted = await spawnServer(args);
    const r = new Redis({ port: restarted.port });
    for (let i = 0; i < options.clients; i++) {
      const stored = Number((await r.get(`counter:${i}`)) ?? 0);
      result.acknowledged += acked[i] - before[i];
      const loss = Math.max(0, acked[i] - stored);
      result.lost += loss;
      result.worstClientLoss = Math.max(result.worstClientLoss, loss);
      // The next round continues from what survived.
      acked[i] = stored;
    }
    r.disconnect();
    const stopped = new Promise((res) => restarted.process.once("exit", res));
    restarted.process.kill("SIGKILL");
    await stopped;
  }
  return result;
}
