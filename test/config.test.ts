// Config's live parameters: a held LiveParam follows every change (by name or alias), parses its
// number once per value, and returns to the old value when a change is rolled back.

import { test } from "node:test";
import assert from "node:assert/strict";
import { Config, ConfigError } from "../src/config.js";

test("a held parameter follows changes made by name or alias", () => {
  const config = new Config();
  const threshold = config.param("busy-reply-threshold");
  assert.equal(config.param("lua-time-limit"), threshold, "an alias gives the same live parameter");
  assert.equal(threshold.number, 5000);
  config.set("lua-time-limit", "250");
  assert.equal(threshold.value, "250");
  assert.equal(threshold.number, 250);
  assert.equal(config.num("busy-reply-threshold"), 250);
  const tracking = config.param("latency-tracking");
  assert.equal(tracking.yes, true);
  config.set("latency-tracking", "no");
  assert.equal(tracking.yes, false);
  assert.equal(config.bool("latency-tracking"), false);
  assert.throws(() => config.param("no-such-parameter"), /unknown config parameter/);
});

test("a change a listener refuses leaves every parameter as it was", () => {
  const config = new Config();
  const hz = config.param("hz");
  config.onChange("hz", () => {
    throw new ConfigError("refused");
  });
  assert.throws(() => config.setMany([["maxmemory", "1mb"], ["hz", "20"]]), /refused/);
  assert.equal(hz.number, 10);
  assert.equal(config.num("maxmemory"), 0);
});
