// Runs the units of the official Redis test suite that Restash passes fully, each against a fresh
// server, so they cannot regress. A unit joins PASSING_UNITS once `npm run suite -- <unit>` shows
// 0 failures. Needs tclsh and ../shared/tools/redis-suite (installed by .ci/run).
import { test } from "node:test";
import assert from "node:assert/strict";
import { runUnit } from "../../scripts/redis-suite.js";
import { PASSING_UNITS } from "./passing-units.js";

for (const unit of PASSING_UNITS) {
  test(`redis suite ${unit} passes fully`, { timeout: 10 * 60 * 1000 }, async () => {
    const result = await runUnit(unit);
    assert.deepEqual(result.failures, [], `${unit}: ${result.passed} passed, ${result.failed} failed`);
    assert.equal(result.failed, 0);
    assert.ok(result.passed > 0, `${unit} ran no tests`);
  });
}
