// Pub/Sub hub: channel, pattern and shard-channel subscriptions of every transport (RESP sessions,
// REST/SSE streams, internal listeners) and message fan-out. One hub per Server (`server.pubsub`).
//
// API (what any transport needs):
//   const sub: Subscriber = { push(reply) { ... } };      // anything that can take a push Reply
//   hub.subscribe(sub, "chat")      -> true if newly subscribed
//   hub.psubscribe(sub, "chat.*")   -> true if newly subscribed (Redis glob patterns)
//   hub.unsubscribe / punsubscribe / ssubscribe / sunsubscribe (sub, name) -> true if it was subscribed
//   hub.unsubscribeAll(sub)          // on disconnect
//   hub.publish("chat", "hello")     -> number of receivers (like PUBLISH)
// Deliveries are push replies, encoded per receiver (RESP2 array, RESP3 push):
//   ["message", channel, payload] | ["pmessage", pattern, channel, payload] | ["smessage", channel, payload]
// (payload is a bulk reply; byte strings throughout, as everywhere in the engine).

import { globMatch } from "./glob.js";
import { bulk, push, type Reply } from "../protocol/reply.js";

/** A receiver of published messages. */
export interface Subscriber {
  push(reply: Reply): void;
}

/** What one subscriber is subscribed to. */
export interface Subscriptions {
  readonly channels: ReadonlySet<string>;
  readonly patterns: ReadonlySet<string>;
  readonly shardChannels: ReadonlySet<string>;
}

interface SubscriberState {
  channels: Set<string>;
  patterns: Set<string>;
  shardChannels: Set<string>;
}

const NONE: Subscriptions = { channels: new Set(), patterns: new Set(), shardChannels: new Set() };
const MESSAGE = bulk("message");
const PMESSAGE = bulk("pmessage");
const SMESSAGE = bulk("smessage");

type Index = Map<string, Set<Subscriber>>;

function addTo(index: Index, name: string, sub: Subscriber): void {
  const set = index.get(name);
  if (set) set.add(sub);
  else index.set(name, new Set([sub]));
}

function removeFrom(index: Index, name: string, sub: Subscriber): void {
  const set = index.get(name);
  if (!set) return;
  set.delete(sub);
  if (set.size === 0) index.delete(name);
}

export class PubSubHub {
  private readonly byChannel: Index = new Map();
  private readonly byPattern: Index = new Map();
  private readonly byShardChannel: Index = new Map();
  private readonly subscribers = new Map<Subscriber, SubscriberState>();

  /** The subscriptions of sub (empty sets when it has none). */
  of(sub: Subscriber): Subscriptions {
    return this.subscribers.get(sub) ?? NONE;
  }

  /** Channels + patterns + shard channels of sub. */
  count(sub: Subscriber): number {
    if (this.subscribers.size === 0) return 0;
    const s = this.subscribers.get(sub);
    return s ? s.channels.size + s.patterns.size + s.shardChannels.size : 0;
  }

  subscribe(sub: Subscriber, channel: string): boolean {
    return this.add(sub, "channels", this.byChannel, channel);
  }

  unsubscribe(sub: Subscriber, channel: string): boolean {
    return this.remove(sub, "channels", this.byChannel, channel);
  }

  psubscribe(sub: Subscriber, pattern: string): boolean {
    return this.add(sub, "patterns", this.byPattern, pattern);
  }

  punsubscribe(sub: Subscriber, pattern: string): boolean {
    return this.remove(sub, "patterns", this.byPattern, pattern);
  }

  ssubscribe(sub: Subscriber, channel: string): boolean {
    return this.add(sub, "shardChannels", this.byShardChannel, channel);
  }

  sunsubscribe(sub: Subscriber, channel: string): boolean {
    return this.remove(sub, "shardChannels", this.byShardChannel, channel);
  }

  /** Drops every subscription of sub (disconnects, RESET). */
  unsubscribeAll(sub: Subscriber): void {
    const s = this.subscribers.get(sub);
    if (!s) return;
    for (const c of s.channels) removeFrom(this.byChannel, c, sub);
    for (const p of s.patterns) removeFrom(this.byPattern, p, sub);
    for (const c of s.shardChannels) removeFrom(this.byShardChannel, c, sub);
    this.subscribers.delete(sub);
  }

  /** Delivers message to channel subscribers, then to matching patterns; returns the receiver count. */
  publish(channel: string, message: string): number {
    return this.publishReply(channel, bulk(message));
  }

  /** PUBLISH with any payload reply (the tracking channel carries an array of keys). */
  publishReply(channel: string, payload: Reply): number {
    let receivers = 0;
    const subs = this.byChannel.get(channel);
    if (subs) {
      const reply = push([MESSAGE, bulk(channel), payload]);
      for (const sub of subs) sub.push(reply);
      receivers += subs.size;
    }
    if (this.byPattern.size > 0) {
      let channelBulk: Reply | null = null;
      for (const [pattern, psubs] of this.byPattern) {
        if (!globMatch(pattern, channel)) continue;
        channelBulk ??= bulk(channel);
        const reply = push([PMESSAGE, bulk(pattern), channelBulk, payload]);
        for (const sub of psubs) sub.push(reply);
        receivers += psubs.size;
      }
    }
    return receivers;
  }

  /** SPUBLISH: delivers to shard-channel subscribers only. */
  spublish(channel: string, message: string): number {
    const subs = this.byShardChannel.get(channel);
    if (!subs) return 0;
    const reply = push([SMESSAGE, bulk(channel), bulk(message)]);
    for (const sub of subs) sub.push(reply);
    return subs.size;
  }

  /** Active channels (with at least one subscriber), optionally filtered by a glob pattern. */
  channels(pattern?: string): string[] {
    return matching(this.byChannel, pattern);
  }

  shardChannels(pattern?: string): string[] {
    return matching(this.byShardChannel, pattern);
  }

  numsub(channel: string): number {
    return this.byChannel.get(channel)?.size ?? 0;
  }

  shardNumsub(channel: string): number {
    return this.byShardChannel.get(channel)?.size ?? 0;
  }

  /** Number of distinct patterns subscribed by anyone. */
  numpat(): number {
    return this.byPattern.size;
  }

  private add(sub: Subscriber, kind: keyof SubscriberState, index: Index, name: string): boolean {
    let s = this.subscribers.get(sub);
    if (!s) {
      s = { channels: new Set(), patterns: new Set(), shardChannels: new Set() };
      this.subscribers.set(sub, s);
    }
    if (s[kind].has(name)) return false;
    s[kind].add(name);
    addTo(index, name, sub);
    return true;
  }

  private remove(sub: Subscriber, kind: keyof SubscriberState, index: Index, name: string): boolean {
    const s = this.subscribers.get(sub);
    if (!s || !s[kind].delete(name)) return false;
    removeFrom(index, name, sub);
    if (s.channels.size + s.patterns.size + s.shardChannels.size === 0) this.subscribers.delete(sub);
    return true;
  }
}

function matching(index: Index, pattern?: string): string[] {
  const out: string[] = [];
  for (const name of index.keys()) if (pattern === undefined || globMatch(pattern, name)) out.push(name);
  return out;
}
