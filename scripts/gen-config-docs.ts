// Renders docs/config.md, the configuration reference, from the parameter table in
// src/config-params.ts (the single source for CONFIG GET/SET, config files and --<name> flags).
// `npm run docs` writes it; test/docs.test.ts fails when it is stale.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { PARAMS, type ParamDef } from "../src/config-params.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const CONFIG_DOCS_FILE = path.join(ROOT, "docs/config.md");

function kind(def: ParamDef): string {
  const t = def.type;
  switch (t.kind) {
    case "bool":
      return "yes/no";
    case "int":
      return `integer ${t.min}..${t.max}`;
    case "memory":
      return "memory (bytes, or with kb/mb/gb)";
    case "enum":
      return t.values.join(" \\| ");
    case "string":
      return "string";
  }
}

function when(def: ParamDef): string {
  if (def.immutable || def.listener) return "startup only";
  if (def.protected) return "startup; CONFIG SET with enable-protected-configs";
  return "startup and CONFIG SET";
}

export function renderConfigDocs(): string {
  const rows = [...PARAMS]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((def) => {
      const names = [def.name, ...(def.aliases ?? [])].map((n) => `\`${n}\``).join(", ");
      return `| ${names} | ${kind(def)} | \`${def.default === "" ? '""' : def.default}\` | ${when(def)} |`;
    });
  return [
    "# Restash configuration",
    "",
    "Generated from `src/config-params.ts` by `npm run docs`; do not edit by hand.",
    "",
    "Every parameter can be set in a redis.conf-style file (`restash /path/restash.conf` or",
    "`--config file`: one `name value` directive per line, `#` comments), on the command line as",
    "`--name value` (e.g. `--appendonly yes`), and, unless marked otherwise, at runtime with",
    "`CONFIG SET name value`. `CONFIG GET` accepts glob patterns and answers aliases too.",
    "",
    "The names, kinds, defaults and error texts are Redis 7.0's, so tools and the Redis test suite",
    "can read and set them. Parameters of features Restash does not have (replication, cluster,",
    "active defragmentation, jemalloc) are accepted and reported for compatibility and have no effect.",
    "",
    "| parameter (aliases) | value | default | set at |",
    "| --- | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}
