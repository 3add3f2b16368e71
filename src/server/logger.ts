// Logger: pino, at Redis's log levels (debug, verbose, notice, warning) mapped to pino's.

import { pino, type Logger as PinoLogger } from "pino";

export type Logger = PinoLogger;

const LEVELS: Record<string, string> = { debug: "debug", verbose: "debug", notice: "info", warning: "warn" };

export function createLogger(level: string): Logger {
  return pino({ level: LEVELS[level] ?? "info", base: undefined });
}
