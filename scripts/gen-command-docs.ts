// npm run docs: writes docs/commands.md, the command reference, from the command table (the
// specs are the single source), and docs/config.md from the parameter table.
// test/docs.test.ts fails when either file is stale.

import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createCommandTable } from "../src/commands/registry.js";
import { aclCategories, fullName, reportedFlags, type CommandTable } from "../src/commands/table.js";
import type { CommandSpec } from "../src/commands/types.js";
import { CONFIG_DOCS_FILE, renderConfigDocs } from "./gen-config-docs.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DOCS_FILE = path.join(ROOT, "docs/commands.md");

function usage(spec: CommandSpec, parent?: CommandSpec): string {
  const name = fullName(spec, parent).replace("|", " ").toUpperCase();
  return spec.syntax ? `${name} ${spec.syntax}` : name;
}

function section(spec: CommandSpec, parent?: CommandSpec): string {
  const name = fullName(spec, parent).replace("|", " ").toUpperCase();
  const flags = reportedFlags(spec);
  const lines = [
    `### ${name}`,
    "",
    spec.summary,
    "",
    "```",
    usage(spec, parent),
    "```",
    "",
    `- Since: ${spec.since}`,
  ];
  if (spec.complexity) lines.push(`- Complexity: ${spec.complexity}`);
  lines.push(`- Flags: ${flags.length > 0 ? flags.join(", ") : "none"}`);
  lines.push(`- ACL categories: ${aclCategories(spec).map((c) => `@${c}`).join(", ")}`);
  lines.push("");
  for (const sub of spec.subcommands ?? []) lines.push(section(sub, spec));
  return lines.join("\n");
}

/** The whole reference: commands grouped by their Redis group, groups and names in alphabetical order. */
export function renderCommandDocs(table: CommandTable): string {
  const groups = new Map<string, CommandSpec[]>();
  for (const spec of table.all()) {
    const list = groups.get(spec.group) ?? [];
    list.push(spec);
    groups.set(spec.group, list);
  }
  const out = [
    "# Restash command reference",
    "",
    "Generated from the command table by `npm run docs`; do not edit by hand.",
    "",
  ];
  for (const group of [...groups.keys()].sort()) {
    const specs = groups.get(group)!.sort((a, b) => a.name.localeCompare(b.name));
    out.push(`## ${group}`, "", specs.map((s) => `\`${s.name.toUpperCase()}\``).join(" · "), "");
    for (const spec of specs) out.push(section(spec));
  }
  return out.join("\n");
}

function main(): void {
  writeFileSync(DOCS_FILE, renderCommandDocs(createCommandTable()));
  writeFileSync(CONFIG_DOCS_FILE, renderConfigDocs());
  for (const file of [DOCS_FILE, CONFIG_DOCS_FILE]) process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
