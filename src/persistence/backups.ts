// Scheduled backups: when backup-schedule says so, a background RDB snapshot goes to
// <dir>/<backup-dir>/dump-YYYYMMDD-HHMMSS.rdb and only the newest backup-retention are kept.
// `restash restore <snapshot>` brings one back.

import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";

/** When the next backup is due after `from` (ms), or null when the schedule is off. Throws on a bad schedule. */
export function nextBackupTime(schedule: string, from: number): number | null {
  const s = schedule.trim().toLowerCase();
  if (s === "") return null;
  if (s === "hourly") return (Math.floor(from / 3600000) + 1) * 3600000;
  const every = /^every\s+(\d+)\s*(m|h)$/.exec(s);
  if (every) {
    const n = Number(every[1]) * (every[2] === "h" ? 3600000 : 60000);
    if (n <= 0) throw new Error("invalid backup-schedule interval");
    return from + n;
  }
  const daily = /^(?:daily\s+)?(\d{1,2}):(\d{2})$/.exec(s);
  if (daily && Number(daily[1]) < 24 && Number(daily[2]) < 60) {
    const at = new Date(from);
    at.setHours(Number(daily[1]), Number(daily[2]), 0, 0);
    if (at.getTime() <= from) at.setDate(at.getDate() + 1);
    return at.getTime();
  }
  throw new Error(`invalid backup-schedule '${schedule}': use "HH:MM", "daily HH:MM", "hourly" or "every <n>m|h"`);
}

const BACKUP_NAME = /^dump-\d{8}-\d{6}\.rdb$/;

/** The file name of a backup taken at time t (local time, sortable). */
export function backupName(t: number): string {
  const d = new Date(t);
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `dump-${p(d.getFullYear(), 4)}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}.rdb`;
}

/** Deletes the oldest backups in dir beyond the newest `keep`; returns the names removed. */
export function pruneBackups(dir: string, keep: number): string[] {
  const backups = readdirSync(dir).filter((n) => BACKUP_NAME.test(n)).sort();
  const removed = backups.slice(0, Math.max(0, backups.length - keep));
  for (const name of removed) rmSync(join(dir, name), { force: true });
  return removed;
}
