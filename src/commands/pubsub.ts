// Pub/Sub commands: SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE PUNSUBSCRIBE PUBLISH PUBSUB SSUBSCRIBE
// SUNSUBSCRIBE SPUBLISH, over the server's hub (src/engine/pubsub.ts). Subscription
// confirmations are pushes (one per channel, RESP2 arrays / RESP3 pushes) that bypass
// CLIENT REPLY OFF as in Redis; the command itself then has no reply of its own.

import { fail } from "../errors.js";
import { array, bulk, bulks, int, NIL, NO_REPLY, push, simple, type Reply } from "../protocol/reply.js";
import type { Session } from "../server/session.js";
import type { PubSubHub, Subscriptions } from "../engine/pubsub.js";
import type { CommandSpec } from "./types.js";

/** One kind of subscription: its command words, hub operations and the count its replies show. */
interface Kind {
  subscribe: Reply;
  unsubscribe: Reply;
  add(hub: PubSubHub, s: Session, name: string): boolean;
  remove(hub: PubSubHub, s: Session, name: string): boolean;
  names(subs: Subscriptions): ReadonlySet<string>;
  /** Redis counts channels + patterns together, shard channels apart. */
  count(subs: Subscriptions): number;
}

const classic = (subs: Subscriptions) => subs.channels.size + subs.patterns.size;

const CHANNELS: Kind = {
  subscribe: bulk("subscribe"),
  unsubscribe: bulk("unsubscribe"),
  add: (hub, s, name) => hub.subscribe(s, name),
  remove: (hub, s, name) => hub.unsubscribe(s, name),
  names: (subs) => subs.channels,
  count: classic,
};

const PATTERNS: Kind = {
  subscribe: bulk("psubscribe"),
  unsubscribe: bulk("punsubscribe"),
  add: (hub, s, name) => hub.psubscribe(s, name),
  remove: (hub, s, name) => hub.punsubscribe(s, name),
  names: (subs) => subs.patterns,
  count: classic,
};

const SHARD: Kind = {
  subscribe: bulk("ssubscribe"),
  unsubscribe: bulk("sunsubscribe"),
  add: (hub, s, name) => hub.ssubscribe(s, name),
  remove: (hub, s, name) => hub.sunsubscribe(s, name),
  names: (subs) => subs.shardChannels,
  count: (subs) => subs.shardChannels.size,
};

/**
 * Sends the per-channel confirmations. Inside EXEC they become the command's reply instead
 * (one element of EXEC's array), since pushes there would land outside the transaction's reply.
 */
function confirm(ctx: Session, replies: Reply[]): Reply {
  if (ctx.inExec) return replies.length === 1 ? replies[0] : array(replies);
  for (const r of replies) ctx.push(r);
  return NO_REPLY;
}

function subscribe(kind: Kind) {
  return (ctx: Session, names: string[]): Reply => {
    const hub = ctx.server.pubsub;
    const replies: Reply[] = [];
    for (const name of names) {
      kind.add(hub, ctx, name);
      replies.push(push([kind.subscribe, bulk(name), int(kind.count(ctx.subscriptions))]));
    }
    return confirm(ctx, replies);
  };
}

function unsubscribe(kind: Kind) {
  return (ctx: Session, names: string[]): Reply => {
    const hub = ctx.server.pubsub;
    const targets = names.length > 0 ? names : [...kind.names(ctx.subscriptions)];
    const replies: Reply[] = [];
    for (const name of targets) {
      kind.remove(hub, ctx, name);
      replies.push(push([kind.unsubscribe, bulk(name), int(kind.count(ctx.subscriptions))]));
    }
    // Unsubscribing from everything while subscribed to nothing still gets one reply.
    if (replies.length === 0) replies.push(push([kind.unsubscribe, NIL, int(kind.count(ctx.subscriptions))]));
    return confirm(ctx, replies);
  };
}

/** PUBSUB CHANNELS / SHARDCHANNELS take at most one pattern. */
function listChannels(sub: string, list: (hub: PubSubHub, pattern?: string) => string[]) {
  return (ctx: Session, args: string[]): Reply => {
    if (args.length > 1) fail(`ERR unknown subcommand or wrong number of arguments for '${sub}'. Try PUBSUB HELP.`);
    return bulks(list(ctx.server.pubsub, args[0]));
  };
}

function countSubscribers(count: (hub: PubSubHub, channel: string) => number) {
  return (ctx: Session, channels: string[]): Reply => {
    const out: Reply[] = [];
    for (const ch of channels) out.push(bulk(ch), int(count(ctx.server.pubsub, ch)));
    return array(out);
  };
}

const HELP = [
  "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "CHANNELS [<pattern>]",
  "    Return the currently active channels matching a <pattern> (default: '*').",
  "NUMPAT",
  "    Return number of subscriptions to patterns.",
  "NUMSUB [<channel> ...]",
  "    Return the number of subscribers for the specified channels, excluding",
  "    pattern subscriptions(default: no channels).",
  "SHARDCHANNELS [<pattern>]",
  "    Return the currently active shard level channels matching a <pattern> (default: '*').",
  "SHARDNUMSUB [<shardchannel> ...]",
  "    Return the number of subscribers for the specified shard level channel(s)",
  "HELP",
  "    Prints this help.",
];

const SUBSCRIBE_FLAGS: CommandSpec["flags"] = ["pubsub", "noscript", "loading", "stale"];
const SHARD_KEYS = { first: 1, last: -1, step: 1 };

const sub = (spec: Omit<CommandSpec, "group" | "categories" | "flags"> & Partial<Pick<CommandSpec, "flags">>): CommandSpec => ({
  group: "pubsub",
  categories: ["pubsub"],
  flags: ["pubsub", "loading", "stale"],
  ...spec,
});

export const pubsub: CommandSpec[] = [
  sub({
    name: "subscribe", arity: -2, flags: SUBSCRIBE_FLAGS, since: "2.0.0", syntax: "channel [channel ...]",
    summary: "Listens for messages published to channels.", complexity: "O(N) where N is the number of channels to subscribe to.",
    run: subscribe(CHANNELS),
  }),
  sub({
    name: "unsubscribe", arity: -1, flags: SUBSCRIBE_FLAGS, since: "2.0.0", syntax: "[channel [channel ...]]",
    summary: "Stops listening to messages posted to channels.", complexity: "O(N) where N is the number of clients already subscribed to a channel.",
    run: unsubscribe(CHANNELS),
  }),
  sub({
    name: "psubscribe", arity: -2, flags: SUBSCRIBE_FLAGS, since: "2.0.0", syntax: "pattern [pattern ...]",
    summary: "Listens for messages published to channels that match one or more patterns.", complexity: "O(N) where N is the number of patterns the client is already subscribed to.",
    run: subscribe(PATTERNS),
  }),
  sub({
    name: "punsubscribe", arity: -1, flags: SUBSCRIBE_FLAGS, since: "2.0.0", syntax: "[pattern [pattern ...]]",
    summary: "Stops listening to messages published to channels that match one or more patterns.",
    complexity: "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).",
    run: unsubscribe(PATTERNS),
  }),
  sub({
    name: "ssubscribe", arity: -2, flags: SUBSCRIBE_FLAGS, keys: SHARD_KEYS, since: "7.0.0", syntax: "shardchannel [shardchannel ...]",
    summary: "Listens for messages published to shard channels.", complexity: "O(N) where N is the number of shard channels to subscribe to.",
    run: subscribe(SHARD),
  }),
  sub({
    name: "sunsubscribe", arity: -1, flags: SUBSCRIBE_FLAGS, keys: SHARD_KEYS, since: "7.0.0", syntax: "[shardchannel [shardchannel ...]]",
    summary: "Stops listening to messages posted to shard channels.", complexity: "O(N) where N is the number of clients already subscribed to a shard channel.",
    run: unsubscribe(SHARD),
  }),
  sub({
    name: "publish", arity: 3, flags: ["pubsub", "loading", "stale", "fast", "may_replicate"], since: "2.0.0", syntax: "channel message",
    summary: "Posts a message to a channel.",
    complexity: "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).",
    run: (ctx, [channel, message]) => int(ctx.server.pubsub.publish(channel, message)),
  }),
  sub({
    name: "spublish", arity: 3, flags: ["pubsub", "loading", "stale", "fast", "may_replicate"], keys: { first: 1, last: 1, step: 1 }, since: "7.0.0",
    syntax: "shardchannel message", summary: "Post a message to a shard channel",
    complexity: "O(N) where N is the number of clients subscribed to the receiving shard channel.",
    run: (ctx, [channel, message]) => int(ctx.server.pubsub.spublish(channel, message)),
  }),
  sub({
    name: "pubsub", arity: -2, flags: [], since: "2.8.0", summary: "A container for Pub/Sub commands.",
    subcommands: [
      sub({
        name: "channels", arity: -2, since: "2.8.0", syntax: "[pattern]", summary: "Returns the active channels.",
        complexity: "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)",
        run: listChannels("channels", (hub, p) => hub.channels(p)),
      }),
      sub({
        name: "numsub", arity: -2, since: "2.8.0", syntax: "[channel [channel ...]]", summary: "Returns a count of subscribers to channels.",
        complexity: "O(N) for the NUMSUB subcommand, where N is the number of requested channels",
        run: countSubscribers((hub, ch) => hub.numsub(ch)),
      }),
      sub({
        name: "numpat", arity: 2, since: "2.8.0", summary: "Returns a count of unique pattern subscriptions.", complexity: "O(1)",
        run: (ctx) => int(ctx.server.pubsub.numpat()),
      }),
      sub({
        name: "shardchannels", arity: -2, since: "7.0.0", syntax: "[pattern]", summary: "Returns the active shard channels.",
        complexity: "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).",
        run: listChannels("shardchannels", (hub, p) => hub.shardChannels(p)),
      }),
      sub({
        name: "shardnumsub", arity: -2, since: "7.0.0", syntax: "[shardchannel [shardchannel ...]]", summary: "Returns the count of subscribers of shard channels.",
        complexity: "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels",
        run: countSubscribers((hub, ch) => hub.shardNumsub(ch)),
      }),
      sub({
        name: "help", arity: 2, flags: ["loading", "stale"], since: "6.2.0", summary: "Returns helpful text about the different subcommands.", complexity: "O(1)",
        run: () => array(HELP.map((l) => simple(l))),
      }),
    ],
  }),
];
