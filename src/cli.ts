#!/usr/bin/env node
// restash command line: starts the server on the embedded engine. Options mirror redis-server:
// a config file (redis.conf directives), the common flags below, and any supported directive as
// --<name> <value...>. Prints one line with the connection URL(s) once listening, then the
// UPSTASH_REDIS_REST_URL= / UPSTASH_REDIS_REST_TOKEN= lines apps paste to use the REST API.

import { Command } from "commander";
import { Config, ConfigError } from "./config.js";
import { startRestash, type Running } from "./main.js";
import { PersistenceError } from "./persistence/aof-load.js";
import { persistenceOf } from "./persistence/persistence.js";
import { RdbError } from "./persistence/rdb-format.js";
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

async function main(): Promise<void> {
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
    persistence.shutdown(null);
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
