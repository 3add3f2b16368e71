// node dist/bench/rest.js: the Upstash REST API under autocannon (50 keep-alive connections),
// beside a bare node:http server answering a constant JSON body in the same run — the ceiling
// for Node on this machine. Prints requests/s and p99 latency of each load and their ratios to
// the bare server. Loads: GET (path style and the client's JSON body), SET, a 10-command
// /pipeline. BENCH_SECONDS sets the length of each load (default 10).

import { spawn, type ChildProcess } from "node:child_process";
import autocannon from "autocannon";
import { spawnServer } from "../test/helpers/spawn-server.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 50;

const BARE_SERVER = `
import http from "node:http";
const body = Buffer.from('{"result":"value"}');
const server = http.createServer((req, res) => {
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => console.log("port " + server.address().port));
`;

function startBare(): Promise<{ port: number; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", BARE_SERVER], { stdio: ["ignore", "pipe", "inherit"] });
    child.stdout!.on("data", (d: Buffer) => {
      const m = /port (\d+)/.exec(d.toString());
      if (m) resolve({ port: Number(m[1]), child });
    });
    child.once("exit", (code) => reject(new Error(`bare server exited with ${code}`)));
  });
}

interface Load {
  name: string;
  url: string;
  method?: "GET" | "POST";
  body?: string;
  headers?: Record<string, string>;
}

interface Measured {
  rps: number;
  p99: number;
  errors: number;
}

async function measure(load: Load, seconds: number): Promise<Measured> {
  const result = await autocannon({
    url: load.url,
    method: load.method ?? "GET",
    body: load.body,
    headers: load.headers,
    connections: CONNECTIONS,
    duration: seconds,
  });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

async function main(): Promise<void> {
  const bare = await startBare();
  const restash = await spawnServer(["--rest-token", "bench-token", "--save", ""]);
  const auth = { authorization: "Bearer bench-token", "content-type": "application/json" };
  const client = { ...auth, "Upstash-Encoding": "base64" };
  const pipeline = JSON.stringify(Array.from({ length: 10 }, (_, i) => (i % 2 ? ["get", `key:${i}`] : ["set", `key:${i}`, "value"])));
  const loads: Load[] = [
    { name: "bare node:http, constant JSON", url: `http://127.0.0.1:${bare.port}/` },
    { name: "REST GET /get/key (path)", url: `${restash.restUrl}/get/key`, headers: auth },
    { name: "REST GET, client style POST /", url: restash.restUrl, method: "POST", body: '["get","key"]', headers: client },
    { name: "REST SET, client style POST /", url: restash.restUrl, method: "POST", body: '["set","key","value"]', headers: client },
    { name: "REST /pipeline of 10 commands", url: `${restash.restUrl}/pipeline`, method: "POST", body: pipeline, headers: client },
  ];
  try {
    const set = await fetch(`${restash.restUrl}/set/key/value`, { headers: auth });
    if (!set.ok) throw new Error(`SET failed: ${await set.text()}`);
    process.stdout.write(`REST benchmark: autocannon, ${CONNECTIONS} keep-alive connections, ${SECONDS} s per load\n\n`);
    process.stdout.write(`${"load".padEnd(32)} ${"req/s".padStart(8)} ${"p99 ms".padStart(7)}   req/s vs bare   p99 vs bare\n`);
    let ceiling: Measured | null = null;
    for (const load of loads) {
      await measure(load, Math.min(2, SECONDS)); // warm-up (JIT, connections)
      const m = await measure(load, SECONDS);
      ceiling ??= m;
      const errors = m.errors ? `   (${m.errors} errors/non-2xx)` : "";
      process.stdout.write(
        `${load.name.padEnd(32)} ${m.rps.toFixed(0).padStart(8)} ${String(m.p99).padStart(7)}   ` +
          `${(m.rps / ceiling.rps).toFixed(2).padStart(12)}x   ${(m.p99 / ceiling.p99).toFixed(2).padStart(10)}x${errors}\n`,
      );
    }
    process.stdout.write("\nGoal: REST GET >= 0.85x the bare server's req/s with p99 <= 1.5x its p99.\n");
  } finally {
    bare.child.kill();
    await restash.stop();
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
