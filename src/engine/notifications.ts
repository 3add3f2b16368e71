// Keyspace notifications: turns the databases' keyspace events into Pub/Sub messages on
// __keyspace@<db>__:<key> (payload: event) and __keyevent@<db>__:<event> (payload: key),
// filtered by the notify-keyspace-events classes, as Redis's notifyKeyspaceEvent does.

import type { Config } from "../config.js";
import type { Database } from "./database.js";
import { NotifyFlag, parseKeyspaceEvents } from "./keyspace-events.js";
import type { PubSubHub } from "./pubsub.js";

/** Class letter of an event (as passed to Database.notify) → its flag bit. */
const CLASS_BITS = new Map<string, number>();
for (const letter of "g$lshzxetdnm") CLASS_BITS.set(letter, parseKeyspaceEvents(letter)!);

export class KeyspaceNotifications {
  private flags = 0;

  constructor(
    config: Config,
    private readonly hub: PubSubHub,
  ) {
    const apply = (value: string) => {
      this.flags = parseKeyspaceEvents(value) ?? 0;
    };
    apply(config.get("notify-keyspace-events"));
    config.onChange("notify-keyspace-events", apply);
  }

  /** Publishes one event of class `type` (a notify-keyspace-events letter) about key. */
  notify(db: Database, type: string, event: string, key: string): void {
    const flags = this.flags;
    if (flags === 0 || (flags & (CLASS_BITS.get(type) ?? 0)) === 0) return;
    if (flags & NotifyFlag.keyspace) this.hub.publish(`__keyspace@${db.index}__:${key}`, event);
    if (flags & NotifyFlag.keyevent) this.hub.publish(`__keyevent@${db.index}__:${event}`, key);
  }
}
