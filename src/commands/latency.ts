// LATENCY: the latency monitor's events (LATEST, HISTORY, RESET, GRAPH, DOCTOR) and the
// per-command latency histograms (HISTOGRAM). Data lives in server/latency.ts.

import { fail } from "../errors.js";
import { array, bulk, int, map, verbatim, type Reply } from "../protocol/reply.js";
import { histogramCdf, type LatencySeries } from "../server/latency.js";
import type { Session } from "../server/session.js";
import type { CommandStat } from "../server/stats.js";
import { helpReply, serverSub } from "./server-common.js";
import type { CommandSpec } from "./types.js";

const HELP = [
  "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
  "DOCTOR",
  "    Return a human readable latency analysis report.",
  "GRAPH <event>",
  "    Return an ASCII latency graph for the <event> class.",
  "HISTORY <event>",
  "    Return time-latency samples for the <event> class.",
  "LATEST",
  "    Return the latest latency samples for all events.",
  "RESET [<event> ...]",
  "    Reset latency data of one or more <event> classes.",
  "    (default: reset all data for all event classes)",
  "HISTOGRAM [COMMAND ...]",
  "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
  "    If no commands are specified then all histograms are replied.",
  "HELP",
  "    Prints this help.",
];

const FLAGS: CommandSpec["flags"] = ["admin", "noscript", "loading", "stale"];

function histogramReply(stat: CommandStat): Reply {
  const buckets = histogramCdf(stat.histogram).map(([usec, count]): [Reply, Reply] => [int(usec), int(count)]);
  return map([[bulk("calls"), int(stat.calls)], [bulk("histogram_usec"), map(buckets)]]);
}

/** The stat names LATENCY HISTOGRAM reports for one argument: a command, "cmd|sub", or a container's subcommands. */
function histogramNames(ctx: Session, arg: string): string[] {
  const [top, sub] = arg.toLowerCase().split("|", 2);
  const spec = ctx.server.commands.get(top);
  if (!spec) return [];
  if (sub !== undefined) return spec.subcommands?.some((s) => s.name === sub) ? [`${spec.name}|${sub}`] : [];
  return spec.subcommands ? spec.subcommands.map((s) => `${spec.name}|${s.name}`) : [spec.name];
}

/** Mean and mean deviation of a series, for DOCTOR. */
function seriesSummary(series: LatencySeries): { avg: number; mad: number; period: number } {
  const s = series.samples;
  const avg = s.reduce((a, x) => a + x.latency, 0) / s.length;
  const mad = s.reduce((a, x) => a + Math.abs(x.latency - avg), 0) / s.length;
  const period = s.length > 1 ? (s[s.length - 1].time - s[0].time) / (s.length - 1) : 0;
  return { avg, mad, period };
}

function doctorReport(ctx: Session): string {
  const events = ctx.server.latency.events;
  if (ctx.server.config.num("latency-monitor-threshold") === 0 && events.size === 0) {
    return (
      "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this Redis instance. You may use " +
      '"CONFIG SET latency-monitor-threshold <milliseconds>." in order to enable it. If we weren\'t in a deep space ' +
      "mission I'd suggest to take a look at https://redis.io/topics/latency-monitor.\n"
    );
  }
  if (events.size === 0) {
    return (
      "Dave, no latency spike was observed during the lifetime of this Redis instance, not in the slightest bit. " +
      "I honestly think you ought to sit down calmly, take a stress pill, and think things over.\n"
    );
  }
  let text = "Dave, I have observed latency spikes in this Redis instance. You don't mind talking about it, do you Dave?\n\n";
  let i = 1;
  for (const [name, series] of events) {
    const { avg, mad, period } = seriesSummary(series);
    text += `${i++}. ${name}: ${series.samples.length} latency spikes (average ${Math.round(avg)}ms, mean deviation ${Math.round(mad)}ms, period ${period.toFixed(2)} sec). Worst all time event ${series.max}ms.\n`;
  }
  text += "\nI have a few advices for you:\n\n";
  if (events.has("command")) {
    text += "- Check your Slow Log to understand what are the commands you are running which are too slow to execute. Please check https://redis.io/commands/slowlog for more information.\n";
  }
  if (events.has("expire-cycle")) {
    text += "- Many keys with the same expire time are expiring at once. Spread the expire times of keys (EXPIREAT) so they do not expire at the same time.\n";
  }
  text += "- Deleting, expiring or evicting (because of maxmemory policy) large objects is a blocking operation. If you have very large objects that are often deleted, expired, or evicted, try to fragment those objects into multiple smaller objects.\n";
  return text;
}

const GRAPH_ROWS = 4;

/** An ASCII graph of an event's samples, one column per sample, newest on the right, ages below. */
function graph(name: string, series: LatencySeries): string {
  const samples = series.samples;
  const high = Math.max(...samples.map((s) => s.latency));
  const low = Math.min(...samples.map((s) => s.latency));
  let text = `${name} - high ${high} ms, low ${low} ms (all time high ${series.max} ms)\n${"-".repeat(80)}\n`;
  const heights = samples.map((s) => (high === low ? GRAPH_ROWS : 1 + Math.round(((s.latency - low) * (GRAPH_ROWS - 1)) / (high - low))));
  for (let row = GRAPH_ROWS; row >= 1; row--) {
    text += heights.map((h) => (h === row ? (row === 1 ? "_" : "#") : h > row ? "|" : " ")).join("") + "\n";
  }
  const t = Math.floor(Date.now() / 1000);
  const ages = samples.map((s) => {
    const age = t - s.time;
    return age < 60 ? `${age}s` : age < 3600 ? `${Math.floor(age / 60)}m` : `${Math.floor(age / 3600)}h`;
  });
  const width = Math.max(...ages.map((a) => a.length));
  text += "\n";
  for (let c = 0; c < width; c++) text += ages.map((a) => a.padStart(width)[c]).join("") + "\n";
  return text;
}

export const latencyCommand: CommandSpec = {
  name: "latency", arity: -2, flags: [], categories: [], group: "server", since: "2.8.13",
  summary: "A container for latency diagnostics commands.",
  subcommands: [
    serverSub("2.8.13", {
      name: "latest", arity: 2, flags: FLAGS, summary: "Returns the latest latency samples for all events.",
      run(ctx) {
        const out: Reply[] = [];
        for (const [name, series] of ctx.server.latency.events) {
          const last = series.samples[series.samples.length - 1];
          out.push(array([bulk(name), int(last.time), int(last.latency), int(series.max)]));
        }
        return array(out);
      },
    }),
    serverSub("2.8.13", {
      name: "history", arity: 3, flags: FLAGS, summary: "Returns timestamp-latency samples for an event.", syntax: "event",
      run(ctx, [event]) {
        const series = ctx.server.latency.events.get(event);
        return array((series?.samples ?? []).map((s) => array([int(s.time), int(s.latency)])));
      },
    }),
    serverSub("2.8.13", {
      name: "reset", arity: -2, flags: FLAGS, summary: "Resets the latency data for one or more events.", syntax: "[event [event ...]]",
      run: (ctx, events) => int(ctx.server.latency.reset(events)),
    }),
    serverSub("2.8.13", {
      name: "graph", arity: 3, flags: FLAGS, summary: "Returns a latency graph for an event.", syntax: "event",
      run(ctx, [event]) {
        const series = ctx.server.latency.events.get(event);
        if (!series) fail(`ERR No samples available for event '${event}'`);
        return verbatim(graph(event, series));
      },
    }),
    serverSub("2.8.13", {
      name: "doctor", arity: 2, flags: FLAGS, summary: "Returns a human-readable latency analysis report.",
      run: (ctx) => verbatim(doctorReport(ctx)),
    }),
    serverSub("7.0.0", {
      name: "histogram", arity: -2, flags: FLAGS, summary: "Returns the cumulative distribution of latencies of a subset or all commands.",
      syntax: "[command [command ...]]",
      run(ctx, args) {
        const stats = ctx.server.stats.commands;
        const names = args.length === 0 ? [...stats.keys()] : [...new Set(args.flatMap((a) => histogramNames(ctx, a)))];
        const pairs: [Reply, Reply][] = [];
        for (const name of names) {
          const stat = stats.get(name);
          if (stat && stat.calls > 0) pairs.push([bulk(name), histogramReply(stat)]);
        }
        return map(pairs);
      },
    }),
    serverSub("2.8.13", { name: "help", arity: 2, flags: ["loading", "stale"], summary: "Returns helpful text about the different subcommands.", run: () => helpReply(HELP) }),
  ],
};
