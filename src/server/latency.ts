// Latency monitor: per-event latency samples above latency-monitor-threshold ("command",
// "fast-command", "expire-cycle", ...) kept as Redis keeps them (160 samples, one per second,
// plus the all-time max), and the per-command latency histograms of LATENCY HISTOGRAM.

import type { Config, LiveParam } from "../config.js";
import type { CommandStat } from "./stats.js";

/** Samples kept per event (Redis's LATENCY_TS_LEN). */
const SAMPLES_PER_EVENT = 160;

export interface LatencySample {
  /** Unix time in seconds. */
  time: number;
  /** Milliseconds. */
  latency: number;
}

export interface LatencySeries {
  /** Oldest first; at most SAMPLES_PER_EVENT. */
  samples: LatencySample[];
  max: number;
}

export class LatencyMonitor {
  readonly events = new Map<string, LatencySeries>();

  private readonly threshold: LiveParam;
  private readonly tracking: LiveParam;

  constructor(config: Config) {
    this.threshold = config.param("latency-monitor-threshold");
    this.tracking = config.param("latency-tracking");
  }

  /** Records `ms` for event when latency monitoring is on and ms reaches the threshold. */
  addSampleIfNeeded(event: string, ms: number): void {
    const threshold = this.threshold.number;
    if (threshold > 0 && ms >= threshold) this.addSample(event, Math.round(ms));
  }

  /** Adds a sample; samples in the same second are merged keeping the highest. */
  addSample(event: string, ms: number): void {
    let series = this.events.get(event);
    if (!series) {
      series = { samples: [], max: 0 };
      this.events.set(event, series);
    }
    if (ms > series.max) series.max = ms;
    const t = Math.floor(Date.now() / 1000);
    const last = series.samples[series.samples.length - 1];
    if (last && last.time === t) {
      if (ms > last.latency) last.latency = ms;
      return;
    }
    series.samples.push({ time: t, latency: ms });
    if (series.samples.length > SAMPLES_PER_EVENT) series.samples.shift();
  }

  /** Called by dispatch after every command: latency histogram and "command" events. */
  commandDone(stat: CommandStat, usec: number, fast: boolean): void {
    if (this.tracking.yes) addToHistogram(stat.histogram, usec);
    this.addSampleIfNeeded(fast ? "fast-command" : "command", usec / 1000);
  }

  /** Removes the named events (all when none are named); returns how many existed. */
  reset(names: string[] = []): number {
    if (names.length === 0) {
      const n = this.events.size;
      this.events.clear();
      return n;
    }
    let n = 0;
    for (const name of names) if (this.events.delete(name)) n++;
    return n;
  }
}

/**
 * Histogram buckets: bucket k counts durations up to 1024·2^k ns, as Redis's HDR histogram
 * iterated with a log step of 2 from 1024 ns.
 */
function addToHistogram(histogram: number[], usec: number): void {
  const ns = usec * 1000;
  const k = ns <= 1024 ? 0 : 32 - Math.clz32(Math.ceil(ns / 1024) - 1);
  while (histogram.length <= k) histogram.push(0);
  histogram[k]++;
}

/** Cumulative (upper bound in µs, count) pairs for non-empty buckets, as LATENCY HISTOGRAM reports. */
export function histogramCdf(histogram: number[]): [number, number][] {
  const out: [number, number][] = [];
  let total = 0;
  for (let k = 0; k < histogram.length; k++) {
    if (histogram[k] === 0) continue;
    total += histogram[k];
    out.push([Math.floor((1024 * 2 ** k) / 1000), total]);
  }
  return out;
}
