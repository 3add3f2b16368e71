import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { DOCS_FILE, renderCommandDocs } from "../scripts/gen-command-docs.js";
import { createCommandTable } from "../src/commands/registry.js";

test("docs/commands.md matches the command table", () => {
  const expected = renderCommandDocs(createCommandTable());
  const actual = existsSync(DOCS_FILE) ? readFileSync(DOCS_FILE, "utf8") : "";
  assert.ok(actual === expected, "docs/commands.md is stale: run `npm run docs` and commit the result");
});
