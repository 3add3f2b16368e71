import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { DOCS_FILE, renderCommandDocs } from "../scripts/gen-command-docs.js";
import { createCommandTable } from "../src/commands/registry.js";
import { CONFIG_DOCS_FILE, renderConfigDocs } from "../scripts/gen-config-docs.js";

test("docs/commands.md matches the command table", () => {
  const expected = renderCommandDocs(createCommandTable());
  const actual = existsSync(DOCS_FILE) ? readFileSync(DOCS_FILE, "utf8") : "";
  assert.ok(actual === expected, "docs/commands.md is stale: run `npm run docs` and commit the result");
});

test("docs/config.md matches the parameter table", () => {
  const actual = existsSync(CONFIG_DOCS_FILE) ? readFileSync(CONFIG_DOCS_FILE, "utf8") : "";
  assert.ok(actual === renderConfigDocs(), "docs/config.md is stale: run `npm run docs` and commit the result");
});
