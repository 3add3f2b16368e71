// node dist/bench/rest.js: the Upstash REST API under autocannon (50 keep-alive connections),
// beside a bare node:http server answering a constant JSON body in the same run — the ceiling
// for Node on this machine. The bare server also reads POST bodies, so POST loads (what
// @upstash/redis sends) are compared with the bare server under the same POST: Node's own cost
// of receiving a body is part of that ceiling. Prints requests/s and p99 latency of each load and
// the ratios to its ceiling. The bare server gets the same request headers (Authorization
// included) as Restash, so Node's parsing of the same request is part of the ceiling.
// Loads: GET (path style and the client's JSON body), SET, a 10-command /pipeline. The loads take turns for BENCH_ROUNDS rounds (default 3) of
// BENCH_SECONDS each (default 5) and each keeps its best round, so a burst of other work on the
// machine does not decide the comparison.

import { spawn, type ChildProcess } from "node:child_process";
import autocannon from "autocannon";
import { spawnServer } from "../test/helpers/spawn-server.js";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 50;

const BARE_SERVER = `
import http from "node:http";
const body = Buffer.from('{"result":"value"}');
const answer = (res) => {
  res.writeHead(200, { "Content-Type": "application/json", "Content-Length": body.length });
  res.end(body);
};
const server = http.createServer((req, res) => {
  if (req.method === "GET") return answer(res);
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => answer(res));
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
  const bareUrl = `http://127.0.0.1:${bare.port}/`;
  const loads: Load[] = [
    { name: "bare node:http GET", url: bareUrl, headers: auth },
    { name: "bare node:http POST (body read)", url: bareUrl, method: "POST", body: '["get","key"]', headers: client },
    { name: "REST GET /get/key (path)", url: `${restash.restUrl}/get/key`, headers: auth },
    { name: "REST GET, client style POST /", url: restash.restUrl, method: "POST", body: '["get","key"]', headers: client },
    { name: "REST SET, client style POST /", url: restash.restUrl, method: "POST", body: '["set","key","value"]', headers: client },
    { name: "REST /pipeline of 10 commands", url: `${restash.restUrl}/pipeline`, method: "POST", body: pipeline, headers: client },
  ];
  try {
    const set = await fetch(`${restash.restUrl}/set/key/value`, { headers: auth });
    if (!set.ok) throw new Error(`SET failed: ${await set.text()}`);
    process.stdout.write(
      `REST benchmark: autocannon, ${CONNECTIONS} keep-alive connections, best of ${ROUNDS} rounds of ${SECONDS} s per load\n\n`,
    );
    for (const load of loads) await measure(load, 1); // warm-up (JIT, connections)
    const best: Measured[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (let i = 0; i < loads.length; i++) {
        const m = await measure(loads[i], SECONDS);
        if (!best[i] || m.rps > best[i].rps) best[i] = m;
      }
    }
    process.stdout.write(`${"load".padEnd(32)} ${"req/s".padStart(8)} ${"p99 ms".padStart(7)}   vs bare GET (req/s, p99)   vs bare POST\n`);
    const ratio = (m: Measured, ceiling: Measured) => `${(m.rps / ceiling.rps).toFixed(2)}x, ${(m.p99 / ceiling.p99).toFixed(2)}x`;
    loads.forEach((load, i) => {
      const m = best[i];
      const errors = m.errors ? `   (${m.errors} errors/non-2xx)` : "";
      const post = load.method === "POST" ? ratio(m, best[1]) : "";
      process.stdout.write(
        `${load.name.padEnd(32)} ${m.rps.toFixed(0).padStart(8)} ${String(m.p99).padStart(7)}   ${ratio(m, best[0]).padStart(24)}   ${post.padStart(12)}${errors}\n`,
      );
    });
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
