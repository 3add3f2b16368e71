// AUTH/NOAUTH/WRONGPASS and TLS over real sockets, with redis-cli, ioredis and redis-py.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { Redis } from "ioredis";
import { spawnServer, type SpawnedServer } from "../helpers/spawn-server.js";
import { makeCerts, type TestCerts } from "../helpers/certs.js";

let server: SpawnedServer;
let certs: TestCerts;

before(async () => {
  certs = makeCerts();
  server = await spawnServer(["--requirepass", "s3cret", "--tls-port", "0", "--tls-cert", certs.cert, "--tls-key", certs.key]);
});
after(() => server.stop());

/** Runs redis-cli and returns what it printed (stderr, where it reports AUTH failures, then stdout). */
function cli(args: string[]): string {
  const env = { ...process.env };
  delete env.REDISCLI_AUTH;
  const r = spawnSync("redis-cli", args, { encoding: "utf8", env });
  return (r.stderr + r.stdout).trim();
}

test("startup line shows both URLs", () => {
  assert.match(server.output(), /ready: redis:\/\/default:\*\*\*@127\.0\.0\.1:\d+ rediss:\/\/default:\*\*\*@127\.0\.0\.1:\d+/);
  assert.ok(server.tlsPort > 0);
});

test("redis-cli: NOAUTH before AUTH, WRONGPASS on a bad password, OK after", () => {
  assert.equal(cli(["-p", String(server.port), "ping"]), "NOAUTH Authentication required.");
  assert.match(cli(["-p", String(server.port), "--user", "default", "--pass", "nope", "--no-auth-warning", "ping"]), /^AUTH failed: WRONGPASS invalid username-password pair or user is disabled\.\nNOAUTH Authentication required\.$/);
  assert.equal(cli(["-p", String(server.port), "-a", "s3cret", "--no-auth-warning", "ping"]), "PONG");
});

test("redis-cli --tls with the password", () => {
  const out = cli(["--tls", "--cacert", certs.ca, "-h", "127.0.0.1", "-p", String(server.tlsPort), "-a", "s3cret", "--no-auth-warning", "echo", "over-tls"]);
  assert.equal(out, "over-tls");
});

test("ioredis with a rediss://default:PASS@ URL", async () => {
  const client = new Redis(`rediss://default:s3cret@127.0.0.1:${server.tlsPort}`, { tls: { ca: execFileSync("cat", [certs.ca]) }, lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
  assert.equal(await client.ping(), "PONG");
  assert.equal(await client.echo("hello"), "hello");
  client.disconnect();
});

test("ioredis with a wrong password fails with WRONGPASS", async () => {
  const client = new Redis({ port: server.port, password: "bad", lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  const failure = new Promise<Error>((resolve) => client.once("error", resolve));
  client.connect().catch(() => {});
  assert.match((await failure).message, /^WRONGPASS invalid username-password pair or user is disabled\.$/);
  client.disconnect();
});

test("redis-py over TLS with ssl_cert_reqs and the CA", () => {
  const script = `
import redis
r = redis.Redis.from_url("rediss://default:s3cret@127.0.0.1:${server.tlsPort}", ssl_ca_certs="${certs.ca}", ssl_cert_reqs="required")
print(r.ping(), r.echo("py"))
`;
  const out = execFileSync("/usr/bin/python3", ["-c", script], { encoding: "utf8" }).trim();
  assert.equal(out, "True b'py'");
});
