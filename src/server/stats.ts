// Server statistics: the counters INFO stats/commandstats/errorstats report, and the slow log.

export interface CommandStat {
  calls: number;
  usec: number;
  rejected: number;
  failed: number;
}

export interface SlowLogEntry {
  id: number;
  time: number; // unix seconds
  durationUs: number;
  argv: string[];
  addr: string;
  name: string;
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
  private slowlogNextId = 0;

  command(name: string): CommandStat {
    let stat = this.commands.get(name);
    if (!stat) {
      stat = { calls: 0, usec: 0, rejected: 0, failed: 0 };
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
