// Server statistics: the counters INFO stats/commandstats/errorstats report, and the slow log.

export interface CommandStat {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
  /** LATENCY HISTOGRAM buckets (see server/latency.ts). */
  histogram: number[];
}

export interface SlowLogEntry {
  id: number;
  time: number; // unix seconds
  durationUs: number;
  argv: string[];
  addr: string;
  name: string;
}

/** Redis's instantaneous metrics: the average rate over the last 16 samples taken ~100 ms apart. */
export class RateMeter {
  private readonly samples: number[] = [];
  private lastTotal = 0;
  private lastTime = 0;

  sample(total: number, timeMs: number): void {
    if (this.lastTime !== 0 && timeMs > this.lastTime) {
      this.samples.push(((total - this.lastTotal) * 1000) / (timeMs - this.lastTime));
      if (this.samples.length > 16) this.samples.shift();
    }
    this.lastTotal = total;
    this.lastTime = timeMs;
  }

  /** Events per second. */
  get rate(): number {
    if (this.samples.length === 0) return 0;
    let sum = 0;
    for (const s of this.samples) sum += s;
    return sum / this.samples.length;
  }
}

export class Stats {
  totalCommands = 0;
  totalConnections = 0;
  rejectedConnections = 0;
  keyspaceHits = 0;
  keyspaceMisses = 0;
  expiredKeys = 0;
  evictedKeys = 0;
  netInputBytes = 0;
  netOutputBytes = 0;
  totalErrorReplies = 0;
  readonly errors = new Map<string, number>();
  readonly commands = new Map<string, CommandStat>();
  slowlog: SlowLogEntry[] = [];
  readonly opsRate = new RateMeter();
  readonly inputRate = new RateMeter();
  readonly outputRate = new RateMeter();
  private lastRateSample = 0;
  private slowlogNextId = 0;

  command(name: string): CommandStat {
    let stat = this.commands.get(name);
    if (!stat) {
      stat = { calls: 0, usec: 0, rejected: 0, failed: 0, histogram: [] };
      this.commands.set(name, stat);
    }
    return stat;
  }

  /** Counts an error reply by its code (first word), as INFO errorstats does. */
  error(message: string): void {
    this.totalErrorReplies++;
    const space = message.indexOf(" ");
    const code = space < 0 ? message : message.slice(0, space);
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
  }

  /** Samples the instantaneous rates (called from the server's cron, at most every 100 ms). */
  sampleRates(timeMs: number): void {
    if (timeMs - this.lastRateSample < 100) return;
    this.lastRateSample = timeMs;
    this.opsRate.sample(this.totalCommands, timeMs);
    this.inputRate.sample(this.netInputBytes, timeMs);
    this.outputRate.sample(this.netOutputBytes, timeMs);
  }

  addSlowLog(entry: Omit<SlowLogEntry, "id">, maxLen: number): void {
    this.slowlog.unshift({ id: this.slowlogNextId++, ...entry });
    if (this.slowlog.length > maxLen) this.slowlog.length = maxLen;
  }

  resetSlowLog(): void {
    this.slowlog = [];
  }

  /** CONFIG RESETSTAT. */
  reset(): void {
    this.totalCommands = 0;
    this.totalConnections = 0;
    this.rejectedConnections = 0;
    this.keyspaceHits = 0;
    this.keyspaceMisses = 0;
    this.expiredKeys = 0;
    this.evictedKeys = 0;
    this.netInputBytes = 0;
    this.netOutputBytes = 0;
    this.totalErrorReplies = 0;
    this.errors.clear();
    this.commands.clear();
  }
}
