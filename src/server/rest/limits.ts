// REST usage limits: a commands-per-second rate limit and daily / monthly command budgets (UTC
// days and months), each off when its config value is 0. A request is admitted or refused as a
// whole (a pipeline of n commands counts n), with Upstash's error texts. Counters live in memory.

import type { Config } from "../../config.js";
import { RestError } from "./request.js";

const DAY_MS = 86_400_000;

export class UsageLimits {
  private second = 0;
  private inSecond = 0;
  private day = 0;
  private inDay = 0;
  private month = 0;
  private inMonth = 0;

  private perSecond = 0;
  private daily = 0;
  private monthly = 0;

  constructor(config: Config) {
    const follow = (name: string, set: (n: number) => void) => {
      set(config.num(name));
      config.onChange(name, (value) => set(Number(value)));
    };
    follow("rest-max-commands-per-second", (n) => (this.perSecond = n));
    follow("rest-max-daily-commands", (n) => (this.daily = n));
    follow("rest-max-monthly-commands", (n) => (this.monthly = n));
  }

  /** Counts `commands` against the limits, or throws the RestError that refuses the request. */
  admit(commands: number, nowMs: number): void {
    const { perSecond, daily, monthly } = this;
    if (perSecond === 0 && daily === 0 && monthly === 0) return;
    this.roll(nowMs);
    if (perSecond && this.inSecond + commands > perSecond) {
      throw new RestError(429, `ERR max commands per second limit exceeded. Limit: ${perSecond}`);
    }
    if (daily && this.inDay + commands > daily) {
      throw new RestError(
        400,
        `ERR max daily request limit exceeded. Limit: ${daily}, Usage: ${this.inDay + commands}. ` +
          "See https://upstash.com/docs/redis/troubleshooting/max_daily_request_limit for details",
      );
    }
    if (monthly && this.inMonth + commands > monthly) throw new RestError(400, "ERR max requests limit exceeded.");
    this.inSecond += commands;
    this.inDay += commands;
    this.inMonth += commands;
  }

  /** Starts new windows when the second, the UTC day or the UTC month changed. */
  private roll(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second !== this.second) {
      this.second = second;
      this.inSecond = 0;
    }
    const day = Math.floor(nowMs / DAY_MS);
    if (day === this.day) return;
    this.day = day;
    this.inDay = 0;
    const date = new Date(nowMs);
    const month = date.getUTCFullYear() * 12 + date.getUTCMonth();
    if (month !== this.month) {
      this.month = month;
      this.inMonth = 0;
    }
  }
}
