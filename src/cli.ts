#!/usr/bin/env node
// restash command line: starts the server on the embedded engine. Options mirror redis-server:
// a config file (redis.conf directives), the common flags below, and any supported directive as
// --<name> <value...>. Prints one line with the connection URL(s) once listening, then the
// UPSTASH_REDIS_REST_URL= / UPSTASH_REDIS_REST_TOKEN= lines apps paste to use the REST API.
// Data tools run instead of the server as subcommands: check-aof, import, export, restore.

import { Command } from "commander";
import { Config, ConfigError } from "./config.js";
import { startRestash, type Running } from "./main.js";
import { PersistenceError } from "./persistence/aof-load.js";
import { persistenceOf } from "./persistence/persistence.js";
import { RdbError } from "./persistence/rdb-format.js";
import { checkAof, exportKeys, importFile, restoreSnapshot, type Target } from "./persistence/tools.js";
import { createWriteStream } from "node:fs";
import { RESTASH_VERSION } from "./version.js";

/** Flags with their own spelling, mapped to config directives. */
const FLAG_DIRECTIVES: Record<string, string> = {
  port: "port",
  bind: "bind",
  requirepass: "requirepass",
  tlsPort: "tls-port",
  tlsCert: "tls-cert-file",
  tlsKey: "tls-key-file",
  tlsCa: "tls-ca-cert-file",
  dir: "dir",
  maxclients: "maxclients",
  loglevel: "loglevel",
  httpPort: "http-port",
  restToken: "rest-token",
  restReadonlyToken: "rest-readonly-token",
};

/** Splits leftover "--name v1 v2 --other v" arguments into directives. */
export function directivesFrom(args: string[]): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const arg of args) {
    if (arg.startsWith("--")) out.push([arg.slice(2), []]);
    else if (out.length > 0) out[out.length - 1][1].push(arg);
    else throw new ConfigError(`unexpected argument '${arg}'`);
  }
  return out;
}

export function buildConfig(argv: string[]): Config {
  const program = new Command()
    .name("restash")
    .description("Self-hostable, Upstash-compatible Redis server")
    .version(RESTASH_VERSION)
    .argument("[config-file]", "redis.conf-style configuration file")
    .option("--config <file>", "redis.conf-style configuration file")
    .option("-p, --port <port>", "RESP port (0 picks a free port)")
    .option("--bind <addresses>", "addresses to listen on")
    .option("--requirepass <password>", "password for the default user")
    .option("--tls-port <port>", "TLS port (0 = off)")
    .option("--tls-cert <file>", "TLS certificate (PEM)")
    .option("--tls-key <file>", "TLS private key (PEM)")
    .option("--tls-ca <file>", "CA certificate for client verification (PEM)")
    .option("--dir <path>", "working directory for persistence files")
    .option("--maxclients <n>", "maximum connected clients")
    .option("--loglevel <level>", "debug, verbose, notice or warning")
    .option("--http-port <port>", "Upstash REST API port (default 8080; 0 picks a free port; -1 = off)")
    .option("--rest-token <token>", "REST API token (default: generated once, kept in <dir>/rest-tokens.json)")
    .option("--rest-readonly-token <token>", "read-only REST API token (default: generated once, kept in <dir>)")
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption("-h, --help", "show help; any redis.conf directive is also accepted as --<name> <value>");
  program.parse(argv, { from: "user" });
  const opts = program.opts<Record<string, string | undefined>>();
  const config = new Config();
  const [positional, ...rest] = program.args;
  const file = opts.config ?? (positional && !positional.startsWith("--") ? positional : undefined);
  const leftovers = positional && positional === file && !opts.config ? rest : program.args;
  if (file) config.loadFile(file);
  for (const [flag, directive] of Object.entries(FLAG_DIRECTIVES)) {
    const value = opts[flag];
    if (value !== undefined) config.applyDirective(directive, [value], `--${directive}`);
  }
  for (const [name, values] of directivesFrom(leftovers)) config.applyDirective(name, values, `--${name}`);
  return config;
}

/** Subcommands that run a data tool instead of the server. */
const TOOLS = new Set(["check-aof", "import", "export", "restore"]);

/** Where import / export connect: --host/--port/--password/--db, or --url redis://[:password@]host:port[/db]. */
function targetFrom(opts: Record<string, string | undefined>): Target {
  const url = opts.url ? new URL(opts.url) : null;
  const db = opts.db ?? (url && url.pathname.length > 1 ? url.pathname.slice(1) : undefined);
  return {
    host: opts.host ?? url?.hostname ?? "127.0.0.1",
    port: Number(opts.port ?? (url?.port || 6379)),
    password: opts.password ?? (url?.password ? decodeURIComponent(url.password) : null),
    db: db === undefined ? null : Number(db),
  };
}

function connectionOptions(command: Command): Command {
  return command
    .option("--url <url>", "server to talk to: redis://[:password@]host:port[/db]")
    .option("-h, --host <host>", "server host (default 127.0.0.1)")
    .option("-p, --port <port>", "server port (default 6379)")
    .option("-a, --password <password>", "password for AUTH")
    .option("-n, --db <n>", "database to use");
}

/** `restash check-aof | import | export | restore ...`: runs the tool and exits with its status. */
async function runTool(argv: string[]): Promise<number> {
  let status = 0;
  const say = (line: string) => process.stdout.write(line + "\n");
  const warn = (line: string) => process.stderr.write(line + "\n");
  const program = new Command().name("restash").exitOverride();
  program
    .command("check-aof")
    .description("check an AOF (file, manifest or AOF directory); --fix cuts a damaged tail off the last file")
    .argument("<path>")
    .option("--fix", "truncate the last file at its last valid command")
    .action((path: string, opts: { fix?: boolean }) => {
      status = checkAof(path, opts.fix === true, say);
    });
  connectionOptions(program.command("import"))
    .description("load an RDB, AOF (file, manifest or directory) or JSONL file into a running server")
    .argument("<file>")
    .option("--replace", "replace keys that already exist (else they are kept)")
    .action(async (file: string, opts: Record<string, string | undefined>) => {
      const stats = await importFile(file, targetFrom(opts), { replace: opts.replace !== undefined, progress: process.stderr.isTTY === true }, warn);
      say(`imported: ${stats.sent} commands sent, ${stats.existing} keys already existed, ${stats.errors} errors`);
      if (stats.errors > 0) status = 1;
    });
  connectionOptions(program.command("export"))
    .description("write the keys matching a pattern as JSONL (key, type, value, ttl_ms) to stdout or --output")
    .option("--match <pattern>", "key pattern (SCAN MATCH)", "*")
    .option("--type <type>", "only keys of this type")
    .option("-o, --output <file>", "write to a file instead of stdout")
    .action(async (opts: Record<string, string | undefined>) => {
      const file = opts.output ? createWriteStream(opts.output) : null;
      const write = (line: string) => (file ? file.write(line + "\n") : process.stdout.write(line + "\n"));
      const n = await exportKeys(targetFrom(opts), { match: opts.match ?? "*", type: opts.type ?? null }, write);
      if (file) await new Promise((r) => file.end(r));
      warn(`exported ${n} keys`);
    });
  program
    .command("restore")
    .description("make a snapshot (RDB) the data of a stopped server: <dir>/<dbfilename>; the old data is kept aside")
    .argument("<snapshot>")
    .option("--dir <dir>", "the server's data directory", ".")
    .option("--dbfilename <name>", "RDB file name", "dump.rdb")
    .option("--appenddirname <name>", "AOF directory name", "appendonlydir")
    .action((snapshot: string, opts: Record<string, string>) => {
      restoreSnapshot(snapshot, opts.dir, opts.dbfilename, opts.appenddirname, say);
    });
  await program.parseAsync(argv, { from: "user" });
  return status;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length > 0 && TOOLS.has(args[0])) {
    try {
      process.exit(await runTool(args));
    } catch (e) {
      if ((e as { code?: string }).code?.startsWith("commander.")) process.exit((e as { exitCode?: number }).exitCode ?? 1);
      process.stderr.write(`restash: ${(e as Error).message}\n`);
      process.exit(1);
    }
  }
  let config: Config;
  try {
    config = buildConfig(process.argv.slice(2));
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`restash: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  let running: Running;
  try {
    running = await startRestash(config);
  } catch (e) {
    if (e instanceof PersistenceError || e instanceof RdbError) {
      process.stderr.write(`restash: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const persistence = persistenceOf(running.server);
  process.stdout.write(`Restash ${RESTASH_VERSION} ready: ${running.urls.join(" ")}\n`);
  if (running.rest) {
    process.stdout.write(`UPSTASH_REDIS_REST_URL=${running.rest.url}\nUPSTASH_REDIS_REST_TOKEN=${running.rest.token}\n`);
  }
  const stop = async () => {
    // As Redis on SIGTERM: save when save points are configured, close the AOF.
    try {
      persistence.shutdown(null);
    } catch (e) {
      running.server.log.warn({ err: e }, "Error trying to save the DB before exiting");
    }
    await running.close();
    process.exit(0);
  };
  persistence.onShutdown = () => void running.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e) => {
  process.stderr.write(`restash: ${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
