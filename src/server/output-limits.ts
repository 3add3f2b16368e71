// client-output-buffer-limit: per client class (normal, replica, pubsub) a hard limit, a soft
// limit and how long the soft limit may be exceeded before the client is disconnected.
// Parses and normalizes the config value as Redis does (bytes, all three classes listed).

import { ConfigError, parseMemory, type Config } from "../config.js";

export type ClientClass = "normal" | "slave" | "pubsub";

export interface OutputLimit {
  hard: number;
  soft: number;
  softSeconds: number;
}

const CLASSES: ClientClass[] = ["normal", "slave", "pubsub"];
const CLASS_NAMES: Record<string, ClientClass> = { normal: "normal", slave: "slave", replica: "slave", pubsub: "pubsub" };

/** Parses "class hard soft seconds ..." over `base` (the classes not mentioned keep their limits). */
function parse(value: string, base: Record<ClientClass, OutputLimit>): Record<ClientClass, OutputLimit> {
  const words = value.split(/\s+/).filter(Boolean);
  if (words.length % 4 !== 0) throw new ConfigError("Wrong number of arguments in buffer limit configuration.");
  const out = { ...base };
  for (let i = 0; i < words.length; i += 4) {
    const cls = CLASS_NAMES[words[i].toLowerCase()];
    if (!cls) throw new ConfigError("Invalid client class specified in buffer limit configuration.");
    const hard = parseMemory(words[i + 1]);
    const soft = parseMemory(words[i + 2]);
    const secs = /^\d+$/.test(words[i + 3]) ? Number(words[i + 3]) : -1;
    if (hard === null || soft === null || hard < 0 || soft < 0 || secs < 0) {
      throw new ConfigError("Error in hard, soft or soft_seconds setting in buffer limit configuration.");
    }
    out[cls] = { hard, soft, softSeconds: secs };
  }
  return out;
}

function format(limits: Record<ClientClass, OutputLimit>): string {
  return CLASSES.map((c) => `${c} ${limits[c].hard} ${limits[c].soft} ${limits[c].softSeconds}`).join(" ");
}

const DEFAULTS = parse("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60", {} as Record<ClientClass, OutputLimit>);

/** The limits of a config, re-parsed only when the value changes. */
export class OutputLimits {
  private value = "";
  private limits = DEFAULTS;

  constructor(private readonly config: Config) {
    // CONFIG SET may name only some classes; the stored value always lists all three, in bytes.
    config.addValidator("client-output-buffer-limit", (value) => format(parse(value, this.current())));
  }

  current(): Record<ClientClass, OutputLimit> {
    const value = this.config.get("client-output-buffer-limit");
    if (value !== this.value) {
      this.limits = parse(value, DEFAULTS);
      this.value = value;
    }
    return this.limits;
  }

  of(cls: ClientClass): OutputLimit {
    return this.current()[cls];
  }
}
