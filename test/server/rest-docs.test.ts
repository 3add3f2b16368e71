// Runs the examples of docs/rest.md against a fresh spawned Restash, in document order: every
// ```sh (curl) or ```js (fetch) block directly followed by a ```json block must print exactly
// that output, with UPSTASH_REDIS_REST_URL / UPSTASH_REDIS_REST_TOKEN set as apps set them.

import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawnServer } from "../helpers/spawn-server.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

interface Example {
  lang: "sh" | "js";
  code: string;
  expected: string;
}

/** The runnable examples: a sh/js block whose next block (after blank lines only) is json output. */
function examples(markdown: string): Example[] {
  const found: Example[] = [];
  const block = /```(\w+)\n([\s\S]*?)```\n(?:\s*\n)*(?=(```json\n([\s\S]*?)```)?)/g;
  for (const m of markdown.matchAll(block)) {
    const lang = m[1];
    if ((lang === "sh" || lang === "js") && m[4] !== undefined) found.push({ lang, code: m[2], expected: m[4].trim() });
  }
  return found;
}

const hasCurl = spawnSync("curl", ["--version"]).status === 0;

test("docs/rest.md examples print what the docs show", { skip: !hasCurl && "curl not installed" }, async () => {
  const list = examples(readFileSync(path.join(ROOT, "docs/rest.md"), "utf8"));
  assert.ok(list.filter((e) => e.lang === "sh").length >= 10, "the curl examples were found");
  assert.ok(list.some((e) => e.lang === "js"), "the fetch example was found");
  const server = await spawnServer();
  try {
    const env = { ...process.env, UPSTASH_REDIS_REST_URL: server.restUrl, UPSTASH_REDIS_REST_TOKEN: server.restToken };
    for (const example of list) {
      const output =
        example.lang === "sh"
          ? execFileSync("bash", ["-c", example.code], { env, encoding: "utf8" })
          : execFileSync(process.execPath, ["--input-type=module", "-e", example.code], { env, cwd: ROOT, encoding: "utf8" });
      assert.equal(output.trim(), example.expected, example.code);
    }
  } finally {
    await server.stop();
  }
});
