// npm run suite -- unit/type/string [unit/keyspace ...]: runs units of the official Redis test
// suite (../shared/tools/redis-suite) against Restash, a freshly started server per unit (the
// suite changes config and does not restore it). Prints passed/failed per unit and the failures.

import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnServer } from "../test/helpers/spawn-server.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SUITE = path.resolve(ROOT, "../shared/tools/redis-suite");

export interface UnitResult {
  unit: string;
  passed: number;
  failed: number;
  failures: string[];
}

/** Runs one unit against a fresh Restash and returns its counts. */
export async function runUnit(unit: string, extraArgs: string[] = []): Promise<UnitResult> {
  const server = await spawnServer();
  const out = mkdtempSync(path.join(tmpdir(), "restash-suite-"));
  try {
    const run = spawnSync(SUITE, ["--port", String(server.port), "--single", unit, "--out", out, "--timeout", "120", ...extraArgs], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    const last = (run.stdout ?? "").trim().split("\n").pop() ?? "";
    const m = /(\d+) passed, (\d+) failed/.exec(last);
    const failedFile = path.join(out, "failed.txt");
    const failures = existsSync(failedFile) ? readFileSync(failedFile, "utf8").split("\n").filter(Boolean) : [];
    if (server.process.exitCode !== null) failures.push(`(server exited with ${server.process.exitCode})`);
    return { unit, passed: m ? Number(m[1]) : 0, failed: m ? Number(m[2]) : failures.length || 1, failures };
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const units = process.argv.slice(2);
  if (units.length === 0) {
    process.stderr.write("usage: npm run suite -- unit/type/string [unit/keyspace ...]\n");
    process.exit(2);
  }
  let failedTotal = 0;
  for (const unit of units) {
    const r = await runUnit(unit);
    failedTotal += r.failed;
    process.stdout.write(`${unit}: ${r.passed} passed, ${r.failed} failed\n`);
    for (const f of r.failures) process.stdout.write(`    ${f}\n`);
  }
  process.exit(failedTotal === 0 ? 0 : 1);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
