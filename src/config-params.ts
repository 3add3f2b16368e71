// The configuration parameters Restash knows: Redis 7.0's standard names, aliases, kinds and
// defaults. CONFIG GET/SET, the config file and --<name> flags all read this one table.

export type ParamKind =
  | { kind: "bool" }
  | { kind: "int"; min: number; max: number }
  | { kind: "memory"; min?: number; max?: number; percent?: boolean }
  | { kind: "enum"; values: string[]; multi?: boolean }
  | { kind: "string" };

export interface ParamDef {
  name: string;
  aliases?: string[];
  type: ParamKind;
  default: string;
  /** Only settable at startup (config file or flags). */
  immutable?: boolean;
  /**
   * Shapes a listener, which Restash sets up at startup only: CONFIG SET accepts the value in
   * effect (so saved configs re-apply cleanly) and refuses a change with a clear reason.
   */
  listener?: boolean;
  /** Left out of CONFIG GET patterns; only returned when asked for by name (Redis's HIDDEN_CONFIG). */
  hidden?: boolean;
  /** CONFIG SET needs enable-protected-configs (yes, or local for local clients). */
  protected?: boolean;
}

const bool = { kind: "bool" } as const;
const str = { kind: "string" } as const;
const mem = { kind: "memory" } as const;
const INT_MAX = 2147483647;
const LONG_MAX = Number.MAX_SAFE_INTEGER;
const int = (min: number, max: number): ParamKind => ({ kind: "int", min, max });
const oneOf = (...values: string[]): ParamKind => ({ kind: "enum", values });

export const PARAMS: ParamDef[] = [
  // Network and clients
  { name: "port", type: int(0, 65535), default: "6379", listener: true },
  { name: "bind", type: str, default: "127.0.0.1", listener: true },
  { name: "tls-port", type: int(0, 65535), default: "0", listener: true },
  { name: "tls-cert-file", type: str, default: "", immutable: true },
  { name: "tls-key-file", type: str, default: "", immutable: true },
  { name: "tls-key-file-pass", type: str, default: "" },
  { name: "tls-ca-cert-file", type: str, default: "", immutable: true },
  { name: "tls-auth-clients", type: oneOf("yes", "no", "optional"), default: "no" },
  { name: "tls-protocols", type: str, default: "" },
  { name: "tls-ciphers", type: str, default: "" },
  { name: "tls-prefer-server-ciphers", type: bool, default: "no" },
  { name: "requirepass", type: str, default: "" },
  { name: "maxclients", type: int(1, INT_MAX), default: "10000" },
  { name: "timeout", type: int(0, INT_MAX), default: "0" },
  { name: "tcp-keepalive", type: int(0, INT_MAX), default: "300" },
  { name: "tcp-backlog", type: int(0, INT_MAX), default: "511", immutable: true },
  { name: "protected-mode", type: bool, default: "no" },
  { name: "proto-max-bulk-len", type: { kind: "memory", min: 1024 * 1024, max: LONG_MAX }, default: "536870912" },
  { name: "client-query-buffer-limit", type: { kind: "memory", min: 1024 * 1024, max: LONG_MAX }, default: "1073741824" },
  { name: "client-output-buffer-limit", type: str, default: "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60" },
  { name: "maxmemory-clients", type: { kind: "memory", percent: true }, default: "0" },
  { name: "databases", type: int(1, INT_MAX), default: "16", immutable: true },
  { name: "unixsocket", type: str, default: "", immutable: true },
  { name: "unixsocketperm", type: str, default: "0", immutable: true },
  { name: "bind-source-addr", type: str, default: "" },
  // General
  { name: "dir", type: str, default: ".", protected: true },
  { name: "loglevel", type: oneOf("debug", "verbose", "notice", "warning"), default: "notice" },
  { name: "logfile", type: str, default: "", immutable: true },
  { name: "daemonize", type: bool, default: "no", immutable: true },
  { name: "pidfile", type: str, default: "", immutable: true },
  { name: "hz", type: int(0, INT_MAX), default: "10" },
  { name: "dynamic-hz", type: bool, default: "yes" },
  { name: "io-threads", type: int(1, 128), default: "1", immutable: true },
  { name: "enable-debug-command", type: oneOf("no", "yes", "local"), default: "no", immutable: true },
  { name: "enable-protected-configs", type: oneOf("no", "yes", "local"), default: "no", immutable: true },
  { name: "enable-module-command", type: oneOf("no", "yes", "local"), default: "no", immutable: true },
  { name: "shutdown-timeout", type: int(0, INT_MAX), default: "10" },
  { name: "shutdown-on-sigint", type: str, default: "default" },
  { name: "shutdown-on-sigterm", type: str, default: "default" },
  { name: "crash-log-enabled", type: bool, default: "yes" },
  { name: "crash-memcheck-enabled", type: bool, default: "yes" },
  { name: "oom-score-adj", type: oneOf("no", "yes", "relative", "absolute"), default: "no" },
  { name: "oom-score-adj-values", type: str, default: "0 200 800" },
  { name: "watchdog-period", type: int(0, INT_MAX), default: "0" },
  { name: "busy-reply-threshold", aliases: ["lua-time-limit"], type: int(0, LONG_MAX), default: "5000" },
  { name: "latency-tracking", type: bool, default: "yes" },
  { name: "latency-tracking-info-percentiles", type: str, default: "50 99 99.9" },
  { name: "latency-monitor-threshold", type: int(0, LONG_MAX), default: "0" },
  { name: "slowlog-log-slower-than", type: int(-1, LONG_MAX), default: "10000" },
  { name: "slowlog-max-len", type: int(0, LONG_MAX), default: "128" },
  { name: "notify-keyspace-events", type: str, default: "" },
  { name: "tracking-table-max-keys", type: int(0, LONG_MAX), default: "1000000" },
  { name: "acllog-max-len", type: int(0, LONG_MAX), default: "128" },
  { name: "acl-pubsub-default", type: oneOf("allchannels", "resetchannels"), default: "resetchannels" },
  { name: "aclfile", type: str, default: "", immutable: true },
  // Memory
  { name: "maxmemory", type: mem, default: "0" },
  {
    name: "maxmemory-policy",
    type: oneOf("volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl", "allkeys-lru", "allkeys-lfu", "allkeys-random", "noeviction"),
    default: "noeviction",
  },
  { name: "maxmemory-samples", type: int(1, INT_MAX), default: "5" },
  { name: "maxmemory-eviction-tenacity", type: int(0, 100), default: "10" },
  { name: "lfu-log-factor", type: int(0, INT_MAX), default: "10" },
  { name: "lfu-decay-time", type: int(0, INT_MAX), default: "1" },
  { name: "lazyfree-lazy-eviction", type: bool, default: "no" },
  { name: "lazyfree-lazy-expire", type: bool, default: "no" },
  { name: "lazyfree-lazy-server-del", type: bool, default: "no" },
  { name: "lazyfree-lazy-user-del", type: bool, default: "no" },
  { name: "lazyfree-lazy-user-flush", type: bool, default: "no" },
  { name: "replica-lazy-flush", aliases: ["slave-lazy-flush"], type: bool, default: "no" },
  { name: "activedefrag", type: bool, default: "no" },
  { name: "active-defrag-ignore-bytes", type: mem, default: "104857600" },
  { name: "active-defrag-threshold-lower", type: int(0, 1000), default: "10" },
  { name: "active-defrag-threshold-upper", type: int(0, 1000), default: "100" },
  { name: "active-defrag-cycle-min", type: int(1, 99), default: "1" },
  { name: "active-defrag-cycle-max", type: int(1, 99), default: "25" },
  { name: "active-defrag-max-scan-fields", type: int(1, LONG_MAX), default: "1000" },
  { name: "active-expire-effort", type: int(1, 10), default: "1" },
  { name: "jemalloc-bg-thread", type: bool, default: "yes" },
  // Data type encodings (reported by OBJECT ENCODING)
  { name: "hash-max-listpack-entries", aliases: ["hash-max-ziplist-entries"], type: int(0, LONG_MAX), default: "128" },
  { name: "hash-max-listpack-value", aliases: ["hash-max-ziplist-value"], type: int(0, LONG_MAX), default: "64" },
  { name: "list-max-listpack-size", aliases: ["list-max-ziplist-size"], type: int(-5, INT_MAX), default: "-2" },
  { name: "list-compress-depth", type: int(0, INT_MAX), default: "0" },
  { name: "set-max-intset-entries", type: int(0, LONG_MAX), default: "512" },
  { name: "zset-max-listpack-entries", aliases: ["zset-max-ziplist-entries"], type: int(0, LONG_MAX), default: "128" },
  { name: "zset-max-listpack-value", aliases: ["zset-max-ziplist-value"], type: int(0, LONG_MAX), default: "64" },
  { name: "hll-sparse-max-bytes", type: int(0, LONG_MAX), default: "3000" },
  { name: "stream-node-max-bytes", type: mem, default: "4096" },
  { name: "stream-node-max-entries", type: int(0, LONG_MAX), default: "100" },
  { name: "activerehashing", type: bool, default: "yes" },
  { name: "sanitize-dump-payload", type: oneOf("no", "yes", "clients"), default: "no" },
  // Persistence
  { name: "save", type: str, default: "3600 1 300 100 60 10000" },
  { name: "dbfilename", type: str, default: "dump.rdb", protected: true },
  { name: "rdbcompression", type: bool, default: "yes" },
  { name: "rdbchecksum", type: bool, default: "yes" },
  { name: "rdb-del-sync-files", type: bool, default: "no" },
  { name: "rdb-key-save-delay", type: int(-INT_MAX, INT_MAX), default: "0", hidden: true },
  { name: "key-load-delay", type: int(-INT_MAX, INT_MAX), default: "0", hidden: true },
  { name: "stop-writes-on-bgsave-error", type: bool, default: "yes" },
  { name: "appendonly", type: bool, default: "no" },
  { name: "appendfilename", type: str, default: "appendonly.aof", immutable: true },
  { name: "appenddirname", type: str, default: "appendonlydir", immutable: true },
  { name: "appendfsync", type: oneOf("everysec", "always", "no"), default: "everysec" },
  { name: "no-appendfsync-on-rewrite", type: bool, default: "no" },
  { name: "auto-aof-rewrite-percentage", type: int(0, INT_MAX), default: "100" },
  { name: "auto-aof-rewrite-min-size", type: mem, default: "67108864" },
  { name: "aof-load-truncated", type: bool, default: "yes" },
  { name: "aof-use-rdb-preamble", type: bool, default: "yes" },
  { name: "aof-timestamp-enabled", type: bool, default: "no" },
  { name: "aof-rewrite-incremental-fsync", type: bool, default: "yes" },
  { name: "rdb-save-incremental-fsync", type: bool, default: "yes" },
  { name: "aof-disable-auto-gc", type: bool, default: "no" },
  { name: "loading-process-events-interval-bytes", type: int(1024, INT_MAX), default: "2097152" },
  // Replication (accepted for compatibility; Restash runs as a master)
  { name: "replicaof", aliases: ["slaveof"], type: str, default: "" },
  { name: "masterauth", type: str, default: "" },
  { name: "masteruser", type: str, default: "" },
  { name: "replica-read-only", aliases: ["slave-read-only"], type: bool, default: "yes" },
  { name: "replica-serve-stale-data", aliases: ["slave-serve-stale-data"], type: bool, default: "yes" },
  { name: "replica-priority", aliases: ["slave-priority"], type: int(0, INT_MAX), default: "100" },
  { name: "repl-diskless-sync", type: bool, default: "yes" },
  { name: "repl-diskless-sync-delay", type: int(0, INT_MAX), default: "5" },
  { name: "repl-diskless-sync-max-replicas", type: int(0, INT_MAX), default: "0" },
  { name: "repl-diskless-load", type: oneOf("disabled", "on-empty-db", "swapdb"), default: "disabled" },
  { name: "repl-backlog-size", type: mem, default: "1048576" },
  { name: "repl-backlog-ttl", type: int(0, INT_MAX), default: "3600" },
  { name: "repl-timeout", type: int(1, INT_MAX), default: "60" },
  { name: "repl-ping-replica-period", aliases: ["repl-ping-slave-period"], type: int(1, INT_MAX), default: "10" },
  { name: "repl-disable-tcp-nodelay", type: bool, default: "no" },
  { name: "min-replicas-to-write", aliases: ["min-slaves-to-write"], type: int(0, INT_MAX), default: "0" },
  { name: "min-replicas-max-lag", aliases: ["min-slaves-max-lag"], type: int(0, INT_MAX), default: "10" },
  { name: "propagation-error-behavior", type: oneOf("ignore", "panic", "panic-on-replicas"), default: "ignore" },
  { name: "cluster-enabled", type: bool, default: "no", immutable: true },
  { name: "cluster-announce-port", type: int(0, 65535), default: "0" },
  { name: "cluster-announce-bus-port", type: int(0, 65535), default: "0" },
  { name: "cluster-announce-tls-port", type: int(0, 65535), default: "0" },
  { name: "lua-replicate-commands", type: bool, default: "yes" },
  // Upstash REST API over HTTP (Restash's own parameters, not Redis's). Sizes and budgets: 0 = no limit.
  { name: "http-port", type: int(-1, 65535), default: "8080", listener: true }, // -1 = no HTTP listener
  { name: "rest-tls", type: oneOf("auto", "yes", "no"), default: "auto", listener: true }, // auto: HTTPS when tls-cert-file is set
  { name: "rest-token", type: str, default: "" }, // "" = generated on first start, kept in <dir>/rest-tokens.json
  { name: "rest-readonly-token", type: str, default: "" },
  { name: "rest-path-prefix", type: str, default: "", listener: true }, // serve the API under e.g. /redis
  { name: "rest-max-request-size", type: mem, default: "104857600" },
  { name: "rest-max-record-size", type: mem, default: "104857600" },
  { name: "rest-max-key-size", type: mem, default: "32768" },
  { name: "rest-max-commands-per-second", type: int(0, LONG_MAX), default: "0" },
  { name: "rest-max-daily-commands", type: int(0, LONG_MAX), default: "0" },
  { name: "rest-max-monthly-commands", type: int(0, LONG_MAX), default: "0" },
  { name: "rest-cors-origins", type: str, default: "*" }, // space-separated origins, * = any, "" = no CORS headers
  // Scheduled backups (Restash's own): timestamped RDB snapshots in backup-dir (inside dir), the
  // newest backup-retention kept. Schedule: "" = off, "HH:MM" or "daily HH:MM", "hourly", "every <n>m|h".
  { name: "backup-schedule", type: str, default: "" },
  { name: "backup-dir", type: str, default: "backups" },
  { name: "backup-retention", type: int(1, INT_MAX), default: "7" },
];
