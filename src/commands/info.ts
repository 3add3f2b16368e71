// INFO: the server report in Redis 7.0's sections and field names ("# Section" headers, name:value
// lines ending in \r\n). Section selection follows Redis: no argument or "default" gives the
// default sections, "all" adds commandstats and latencystats, "everything" is all of them.

import os from "node:os";
import path from "node:path";
import type { Server } from "../server/server.js";
import type { Session } from "../server/session.js";
import { histogramCdf } from "../server/latency.js";
import { REDIS_VERSION, RESTASH_VERSION } from "../version.js";
import { persistenceOf } from "../persistence/persistence.js";
import { scriptingOf } from "../scripting/scripting.js";
import { migrateCachedSockets } from "../persistence/migrate.js";

type Fields = [string, string | number][];

interface Section {
  name: string;
  /** Part of "default" (and of no-argument INFO). */
  isDefault: boolean;
  fields(server: Server): Fields;
}

/** Process memory in Redis's terms: used (V8 heap plus off-heap buffers), rss, peak and startup. */
export interface MemoryFigures {
  used: number;
  rss: number;
  peak: number;
  startup: number;
}

function usedMemory(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

const startupMemory = usedMemory();
let peakMemory = startupMemory;

export function memoryFigures(): MemoryFigures {
  const m = process.memoryUsage();
  const used = m.heapUsed + m.external;
  peakMemory = Math.max(peakMemory, used);
  return { used, rss: m.rss, peak: peakMemory, startup: startupMemory };
}

/** Redis's bytesToHuman: B, K, M, G, T, P with two decimals. */
function bytesToHuman(n: number): string {
  const units = ["B", "K", "M", "G", "T", "P"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n}B` : `${v.toFixed(2)}${units[i]}`;
}

function seconds(us: number): string {
  return (us / 1e6).toFixed(6);
}

function serverFields(server: Server): Fields {
  const uptime = Math.floor((Date.now() - server.startedAt) / 1000);
  return [
    ["redis_version", REDIS_VERSION],
    ["restash_version", RESTASH_VERSION],
    ["redis_git_sha1", "00000000"],
    ["redis_git_dirty", 0],
    ["redis_mode", "standalone"],
    ["os", `${os.type()} ${os.release()} ${os.machine()}`],
    ["arch_bits", process.arch.endsWith("64") ? 64 : 32],
    ["monotonic_clock", "POSIX clock_gettime"],
    ["multiplexing_api", "libuv"],
    ["node_version", process.versions.node],
    ["process_id", process.pid],
    ["process_supervised", "no"],
    ["run_id", server.runId],
    ["tcp_port", server.port],
    ["server_time_usec", Math.round((performance.timeOrigin + performance.now()) * 1000)],
    ["uptime_in_seconds", uptime],
    ["uptime_in_days", Math.floor(uptime / 86400)],
    ["hz", server.config.get("hz")],
    ["configured_hz", server.config.get("hz")],
    ["lru_clock", Math.floor(Date.now() / 1000) & 0xffffff],
    ["executable", process.argv[1] ? path.resolve(process.argv[1]) : process.execPath],
    ["config_file", server.config.file ? path.resolve(server.config.file) : ""],
    ["io_threads_active", 0],
  ];
}

function clientFields(server: Server): Fields {
  let maxIn = 0;
  let maxOut = 0;
  for (const s of server.clients.values()) {
    maxIn = Math.max(maxIn, s.transport.queryBufferSize());
    maxOut = Math.max(maxOut, s.transport.outputBufferSize());
  }
  return [
    ["connected_clients", server.clients.size],
    ["cluster_connections", 0],
    ["maxclients", server.config.get("maxclients")],
    ["client_recent_max_input_buffer", maxIn],
    ["client_recent_max_output_buffer", maxOut],
    ["blocked_clients", server.blocking.blockedClients],
    ["tracking_clients", server.tracking.clients],
    ["clients_in_timeout_table", 0],
  ];
}

function memoryFields(server: Server): Fields {
  const { used, rss, peak, startup } = memoryFigures();
  const overhead = Math.min(used, startup);
  const maxmemory = server.config.num("maxmemory");
  const total = os.totalmem();
  return [
    ["used_memory", used],
    ["used_memory_human", bytesToHuman(used)],
    ["used_memory_rss", rss],
    ["used_memory_rss_human", bytesToHuman(rss)],
    ["used_memory_peak", peak],
    ["used_memory_peak_human", bytesToHuman(peak)],
    ["used_memory_peak_perc", `${((used * 100) / peak).toFixed(2)}%`],
    ["used_memory_overhead", overhead],
    ["used_memory_startup", startup],
    ["used_memory_dataset", used - overhead],
    ["used_memory_dataset_perc", `${(((used - overhead) * 100) / Math.max(1, used - startup)).toFixed(2)}%`],
    ["total_system_memory", total],
    ["total_system_memory_human", bytesToHuman(total)],
    ...scriptingOf(server).memoryInfo(bytesToHuman),
    ["maxmemory", maxmemory],
    ["maxmemory_human", bytesToHuman(maxmemory)],
    ["maxmemory_policy", server.config.get("maxmemory-policy")],
    ["mem_fragmentation_ratio", (rss / used).toFixed(2)],
    ["mem_fragmentation_bytes", rss - used],
    ["mem_not_counted_for_evict", 0],
    ["mem_replication_backlog", 0],
    ["mem_clients_slaves", 0],
    ["mem_clients_normal", 0],
    ["mem_aof_buffer", 0],
    ["mem_allocator", "libc"],
    ["active_defrag_running", 0],
    ["lazyfree_pending_objects", server.lazyfree.pending],
    ["lazyfreed_objects", server.lazyfree.freed],
  ];
}

function persistenceFields(server: Server): Fields {
  const p = persistenceOf(server);
  return [
    ["loading", 0],
    ["async_loading", 0],
    ["rdb_changes_since_last_save", server.dirty],
    ["rdb_bgsave_in_progress", p.bgsaveInProgress ? 1 : 0],
    ["rdb_last_save_time", server.lastSave],
    ["rdb_last_bgsave_status", p.lastBgsaveOk ? "ok" : "err"],
    ["rdb_last_bgsave_time_sec", p.lastBgsaveSeconds],
    ["rdb_current_bgsave_time_sec", p.currentJobSeconds("rdb")],
    ["rdb_saves", p.rdbSaves],
    ["aof_enabled", p.aofEnabled ? 1 : 0],
    ["aof_rewrite_in_progress", p.rewriteInProgress ? 1 : 0],
    ["aof_rewrite_scheduled", p.rewriteScheduledNow ? 1 : 0],
    ["aof_last_rewrite_time_sec", p.lastRewriteSeconds],
    ["aof_current_rewrite_time_sec", p.currentJobSeconds("aof")],
    ["aof_last_bgrewrite_status", p.lastRewriteOk ? "ok" : "err"],
    ["aof_rewrites", p.aofRewrites],
    ["aof_last_write_status", p.aof.lastWriteError === null ? "ok" : "err"],
    ...(p.aof.on ? ([["aof_current_size", p.aof.size], ["aof_base_size", p.aof.baseSize]] as Fields) : []),
  ];
}

function statsFields(server: Server): Fields {
  const st = server.stats;
  return [
    ["total_connections_received", st.totalConnections],
    ["total_commands_processed", st.totalCommands],
    ["instantaneous_ops_per_sec", Math.round(st.opsRate.rate)],
    ["total_net_input_bytes", st.netInputBytes],
    ["total_net_output_bytes", st.netOutputBytes],
    ["instantaneous_input_kbps", (st.inputRate.rate / 1024).toFixed(2)],
    ["instantaneous_output_kbps", (st.outputRate.rate / 1024).toFixed(2)],
    ["rejected_connections", st.rejectedConnections],
    ["sync_full", 0],
    ["sync_partial_ok", 0],
    ["sync_partial_err", 0],
    ["expired_keys", st.expiredKeys],
    ["expired_stale_perc", "0.00"],
    ["expired_time_cap_reached_count", 0],
    ["evicted_keys", st.evictedKeys],
    ["evicted_clients", 0],
    ["keyspace_hits", st.keyspaceHits],
    ["keyspace_misses", st.keyspaceMisses],
    ["pubsub_channels", server.pubsub.channels().length],
    ["pubsub_patterns", server.pubsub.numpat()],
    ["latest_fork_usec", 0],
    ["total_forks", 0],
    ["migrate_cached_sockets", migrateCachedSockets(server)],
    ["tracking_total_keys", server.tracking.totalKeys],
    ["tracking_total_items", server.tracking.totalItems],
    ["tracking_total_prefixes", server.tracking.totalPrefixes],
    ["unexpected_error_replies", 0],
    ["total_error_replies", st.totalErrorReplies],
    ["dump_payload_sanitizations", 0],
  ];
}

function replicationFields(server: Server): Fields {
  return [
    ["role", "master"],
    ["connected_slaves", 0],
    ["master_failover_state", "no-failover"],
    ["master_replid", server.replId],
    ["master_replid2", "0".repeat(40)],
    ["master_repl_offset", 0],
    ["second_repl_offset", -1],
    ["repl_backlog_active", 0],
    ["repl_backlog_size", server.config.get("repl-backlog-size")],
    ["repl_backlog_first_byte_offset", 0],
    ["repl_backlog_histlen", 0],
  ];
}

function cpuFields(): Fields {
  const cpu = process.cpuUsage();
  return [
    ["used_cpu_sys", seconds(cpu.system)],
    ["used_cpu_user", seconds(cpu.user)],
    ["used_cpu_sys_children", "0.000000"],
    ["used_cpu_user_children", "0.000000"],
    ["used_cpu_sys_main_thread", seconds(cpu.system)],
    ["used_cpu_user_main_thread", seconds(cpu.user)],
  ];
}

function commandStatsFields(server: Server): Fields {
  const out: Fields = [];
  for (const [name, s] of server.stats.commands) {
    if (s.calls === 0 && s.failed === 0 && s.rejected === 0) continue;
    const perCall = s.calls === 0 ? 0 : s.usec / s.calls;
    out.push([
      `cmdstat_${name}`,
      `calls=${s.calls},usec=${s.usec},usec_per_call=${perCall.toFixed(2)},rejected_calls=${s.rejected},failed_calls=${s.failed}`,
    ]);
  }
  return out;
}

function errorStatsFields(server: Server): Fields {
  return [...server.stats.errors].map(([code, count]): [string, string] => [`errorstat_${code}`, `count=${count}`]);
}

/** latency_percentiles_usec_<cmd>: percentiles from the command's histogram (bucket upper bounds). */
function latencyStatsFields(server: Server): Fields {
  const percentiles = server.config.get("latency-tracking-info-percentiles").split(" ").filter(Boolean);
  const out: Fields = [];
  for (const [name, s] of server.stats.commands) {
    const cdf = histogramCdf(s.histogram);
    if (cdf.length === 0) continue;
    const total = cdf[cdf.length - 1][1];
    const parts = percentiles.map((p) => {
      const bucket = cdf.find(([, count]) => count >= (total * Number(p)) / 100) ?? cdf[cdf.length - 1];
      return `p${p}=${bucket[0].toFixed(3)}`;
    });
    out.push([`latency_percentiles_usec_${name}`, parts.join(",")]);
  }
  return out;
}

/** Average remaining TTL (ms) over a sample of the keys with a TTL, as Redis estimates avg_ttl. */
function averageTtl(server: Server, index: number): number {
  const db = server.dbs[index];
  const t = Date.now();
  let sum = 0;
  let n = 0;
  for (const key of db.volatile) {
    const entry = db.rawEntry(key);
    if (entry && entry.expireAt > t) {
      sum += entry.expireAt - t;
      n++;
    }
    if (n === 20) break;
  }
  return n === 0 ? 0 : Math.round(sum / n);
}

function keyspaceFields(server: Server): Fields {
  const out: Fields = [];
  server.dbs.forEach((db, i) => {
    if (db.size === 0) return;
    out.push([`db${i}`, `keys=${db.size},expires=${db.volatileCount},avg_ttl=${averageTtl(server, i)}`]);
  });
  return out;
}

const SECTIONS: Section[] = [
  { name: "server", isDefault: true, fields: serverFields },
  { name: "clients", isDefault: true, fields: clientFields },
  { name: "memory", isDefault: true, fields: memoryFields },
  { name: "persistence", isDefault: true, fields: persistenceFields },
  { name: "stats", isDefault: true, fields: statsFields },
  { name: "replication", isDefault: true, fields: replicationFields },
  { name: "cpu", isDefault: true, fields: cpuFields },
  { name: "modules", isDefault: true, fields: () => [] },
  { name: "commandstats", isDefault: false, fields: commandStatsFields },
  { name: "errorstats", isDefault: true, fields: errorStatsFields },
  { name: "latencystats", isDefault: false, fields: latencyStatsFields },
  { name: "cluster", isDefault: true, fields: () => [["cluster_enabled", 0]] },
  { name: "keyspace", isDefault: true, fields: keyspaceFields },
];

/** Section titles as Redis prints them ("# Commandstats"). */
function title(name: string): string {
  return name === "cpu" ? "CPU" : name[0].toUpperCase() + name.slice(1);
}

/** The sections INFO's arguments select (case-insensitive; unknown names select nothing). */
function selectSections(args: string[]): Set<string> {
  const wanted = new Set<string>();
  const names = args.length === 0 ? ["default"] : args.map((a) => a.toLowerCase());
  for (const name of names) {
    if (name === "all" || name === "everything") {
      for (const s of SECTIONS) wanted.add(s.name);
    } else if (name === "default") {
      for (const s of SECTIONS) if (s.isDefault) wanted.add(s.name);
    } else wanted.add(name === "module_list" ? "modules" : name);
  }
  return wanted;
}

/** The INFO text for the given section arguments. */
export function infoText(ctx: Session, args: string[]): string {
  const wanted = selectSections(args);
  const parts: string[] = [];
  for (const section of SECTIONS) {
    if (!wanted.has(section.name)) continue;
    let text = `# ${title(section.name)}\r\n`;
    for (const [k, v] of section.fields(ctx.server)) text += `${k}:${v}\r\n`;
    parts.push(text);
  }
  return parts.join("\r\n");
}
