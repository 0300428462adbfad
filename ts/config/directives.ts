/**
 * Every directive redis.conf accepts, with its type, default and checks.
 * ferrokv accepts all of Redis 7.2's directives, including those whose
 * feature lands later, so an existing redis.conf starts unchanged.
 */

export type Kind =
  | { type: 'bool' }
  | { type: 'int'; min: number; max: number }
  | { type: 'memory'; min?: number; max?: number; percent?: boolean }
  | { type: 'string' }
  | { type: 'enum'; values: readonly string[] }
  /** Parsed by a directive-specific function (save, bind …); `prev` is the current value. */
  | { type: 'special'; normalize: (args: string[], prev: string) => string };

export interface Directive {
  name: string;
  kind: Kind;
  default: string;
  /** Older names that still work (hash-max-ziplist-entries …). */
  aliases?: readonly string[];
  /** Settable only at startup, as in Redis. */
  immutable?: boolean;
  /** CONFIG SET needs `enable-protected-configs` (dir, dbfilename), as in Redis. */
  protected?: boolean;
  /** The core reads it: pushed to the engine whenever it changes. */
  core?: boolean;
  /** Several lines accumulate (save, client-output-buffer-limit) rather than replace. */
  accumulates?: boolean;
  /** Takes several words (bind, save …) rather than exactly one. */
  variadic?: boolean;
  /** Accepted in [min, max] but stored within these bounds (Redis's `hz`). */
  clamp?: readonly [number, number];
}

export class ConfigValueError extends Error {
  override name = 'ConfigValueError';
}

const INT_MAX = 2147483647;
/** Redis's LLONG_MAX bound; compared and printed exactly (it is past 2^53). */
const LLONG_MAX = Number.MAX_SAFE_INTEGER;
const LLONG_MAX_TEXT = '9223372036854775807';

/** A bound as Redis prints it in "argument must be between …". */
const bound = (n: number): string => (n === LLONG_MAX ? LLONG_MAX_TEXT : String(n));
const exactBound = (n: number): bigint => (n === LLONG_MAX ? BigInt(LLONG_MAX_TEXT) : BigInt(n));

const bool = (name: string, def: 'yes' | 'no', extra: Partial<Directive> = {}): Directive => ({ name, kind: { type: 'bool' }, default: def, ...extra });
const int = (name: string, def: number, min: number, max: number, extra: Partial<Directive> = {}): Directive => ({
  name,
  kind: { type: 'int', min, max },
  default: String(def),
  ...extra,
});
const mem = (name: string, def: string, extra: Partial<Directive> = {}, min?: number, max?: number): Directive => ({
  name,
  kind: { type: 'memory', min, max },
  default: def,
  ...extra,
});
const str = (name: string, def: string, extra: Partial<Directive> = {}): Directive => ({ name, kind: { type: 'string' }, default: def, ...extra });
const oneOf = (name: string, def: string, values: readonly string[], extra: Partial<Directive> = {}): Directive => ({
  name,
  kind: { type: 'enum', values },
  default: def,
  ...extra,
});
const special = (name: string, def: string, normalize: (args: string[], prev: string) => string, extra: Partial<Directive> = {}): Directive => ({
  name,
  kind: { type: 'special', normalize },
  default: def,
  variadic: true,
  ...extra,
});

/** `save 3600 1 300 100` pairs of seconds and changes; `save ""` clears. */
function normalizeSave(args: string[]): string {
  const words = args.join(' ').trim().split(/\s+/).filter(Boolean);
  if (words.length % 2 !== 0 || words.some((w) => !/^\d+$/.test(w))) throw new ConfigValueError('Invalid save parameters');
  return words.join(' ');
}

/**
 * `client-output-buffer-limit <class> <hard> <soft> <seconds> …`: each line
 * (or CONFIG SET) changes only the classes it names. The value always lists
 * all three, with the replica class called "slave" as Redis's CONFIG GET does.
 */
const OBUF_CLASSES = ['normal', 'slave', 'pubsub'] as const;

function normalizeObufLimit(args: string[], prev: string): string {
  const words = args.join(' ').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length % 4 !== 0) throw new ConfigValueError('Wrong number of arguments in buffer limit configuration.');
  const limits = new Map<string, string>();
  const old = prev.split(' ');
  for (let i = 0; i + 3 < old.length; i += 4) limits.set(old[i], old.slice(i + 1, i + 4).join(' '));
  for (let i = 0; i < words.length; i += 4) {
    const given = words[i].toLowerCase();
    const cls = given === 'replica' ? 'slave' : given;
    if (!(OBUF_CLASSES as readonly string[]).includes(cls)) throw new ConfigValueError('Invalid client class specified in buffer limit configuration.');
    const hard = parseMemory(words[i + 1]);
    const soft = parseMemory(words[i + 2]);
    if (hard === null || soft === null || !/^\d+$/.test(words[i + 3])) throw new ConfigValueError('Error in hard, soft or soft-seconds setting in buffer limit configuration.');
    limits.set(cls, `${hard} ${soft} ${Number(words[i + 3])}`);
  }
  return OBUF_CLASSES.map((c) => `${c} ${limits.get(c) ?? '0 0 0'}`).join(' ');
}

function normalizeBind(args: string[]): string {
  const words = args.join(' ').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) throw new ConfigValueError('Too many bind addresses specified.');
  return words.join(' ');
}

function normalizeWords(count: number) {
  return (args: string[]): string => {
    const words = args.join(' ').trim().split(/\s+/).filter(Boolean);
    if (words.length !== count) throw new ConfigValueError('Invalid argument count');
    return words.join(' ');
  };
}

function normalizeReplicaof(args: string[]): string {
  const words = args.join(' ').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || (words.length === 2 && words[0].toLowerCase() === 'no' && words[1].toLowerCase() === 'one')) return '';
  if (words.length !== 2 || !/^\d+$/.test(words[1])) throw new ConfigValueError('Invalid master address or port');
  return words.join(' ');
}

/**
 * `notify-keyspace-events`: any order in, Redis's canonical order out
 * (`keyspaceEventsFlagsToString`): "A" when every type class is on. The
 * stored value keeps "n" after "A" so the core gets the whole set; Redis
 * leaves it out when showing the value (`shownNotifyFlags`).
 */
const EVENT_TYPE_CLASSES = 'g$lshzxetd';

/** The value as Redis prints it: "n" is not shown beside "A". */
export function shownNotifyFlags(value: string): string {
  return value.startsWith('An') ? `A${value.slice(2)}` : value;
}
function normalizeNotify(args: string[]): string {
  const v = args.join('');
  if (!/^[KEg$lshzxetmdnA]*$/.test(v)) throw new ConfigValueError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  const on = new Set(v.includes('A') ? [...v, ...EVENT_TYPE_CLASSES] : v);
  const all = [...EVENT_TYPE_CLASSES].every((c) => on.has(c));
  const types = all ? `A${on.has('n') ? 'n' : ''}` : [...EVENT_TYPE_CLASSES, 'n'].filter((c) => on.has(c)).join('');
  return `${types}${['K', 'E', 'm'].filter((c) => on.has(c)).join('')}`;
}

/** Redis's `latency-tracking-info-percentiles`: numbers in [0, 100], shown as `%f` without trailing zeros; `""` clears. */
function normalizePercentiles(args: string[]): string {
  const words = args.join(' ').trim().split(/\s+/).filter(Boolean);
  return words
    .map((w) => {
      const p = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(w) ? Number(w) : NaN;
      if (Number.isNaN(p)) throw new ConfigValueError('Invalid latency-tracking-info-percentiles parameters');
      if (p < 0 || p > 100) throw new ConfigValueError('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
      return p.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
    })
    .join(' ');
}

const LOGLEVELS = ['debug', 'verbose', 'notice', 'warning', 'nothing'] as const;
const POLICIES = ['volatile-lru', 'volatile-lfu', 'volatile-random', 'volatile-ttl', 'allkeys-lru', 'allkeys-lfu', 'allkeys-random', 'noeviction'] as const;
const SHUTDOWN_SIGNAL = ['default', 'save', 'nosave', 'now', 'force'] as const;

export const DIRECTIVES: readonly Directive[] = [
  // General
  str('include', '', { immutable: true }),
  bool('daemonize', 'no', { immutable: true }),
  oneOf('supervised', 'no', ['upstart', 'systemd', 'auto', 'no'], { immutable: true }),
  str('pidfile', '', { immutable: true }),
  oneOf('loglevel', 'notice', LOGLEVELS),
  str('logfile', '', { immutable: true }),
  bool('syslog-enabled', 'no', { immutable: true }),
  str('syslog-ident', 'redis', { immutable: true }),
  oneOf('syslog-facility', 'local0', ['user', 'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7'], { immutable: true }),
  bool('crash-log-enabled', 'yes'),
  bool('crash-memcheck-enabled', 'yes'),
  int('databases', 16, 1, INT_MAX, { immutable: true }),
  bool('always-show-logo', 'no', { immutable: true }),
  bool('set-proc-title', 'yes', { immutable: true }),
  str('proc-title-template', '{title} {listen-addr} {server-mode}'),
  str('locale-collate', ''),
  str('server_cpulist', '', { immutable: true }),
  str('bio_cpulist', '', { immutable: true }),
  str('aof_rewrite_cpulist', '', { immutable: true }),
  str('bgsave_cpulist', '', { immutable: true }),
  str('ignore-warnings', ''),
  // Network
  special('bind', '* -::*', normalizeBind),
  str('bind-source-addr', ''),
  bool('protected-mode', 'yes'),
  oneOf('enable-protected-configs', 'no', ['yes', 'no', 'local'], { immutable: true }),
  oneOf('enable-debug-command', 'no', ['yes', 'no', 'local'], { immutable: true, core: true }),
  oneOf('enable-module-command', 'no', ['yes', 'no', 'local'], { immutable: true }),
  int('port', 6379, 0, 65535),
  int('tcp-backlog', 511, 0, INT_MAX, { immutable: true }),
  str('unixsocket', '', { immutable: true }),
  int('unixsocketperm', 0, 0, 0o777, { immutable: true }),
  int('timeout', 0, 0, INT_MAX),
  int('tcp-keepalive', 300, 0, INT_MAX),
  int('socket-mark-id', 0, 0, INT_MAX),
  int('maxclients', 10000, 1, INT_MAX, { core: true }),
  int('max-new-connections-per-cycle', 10, 1, 1000),
  int('max-new-tls-connections-per-cycle', 1, 1, 1000),
  // TLS
  int('tls-port', 0, 0, 65535),
  str('tls-cert-file', ''),
  str('tls-key-file', ''),
  str('tls-key-file-pass', ''),
  str('tls-client-cert-file', ''),
  str('tls-client-key-file', ''),
  str('tls-client-key-file-pass', ''),
  str('tls-dh-params-file', ''),
  str('tls-ca-cert-file', ''),
  str('tls-ca-cert-dir', ''),
  oneOf('tls-auth-clients', 'yes', ['yes', 'no', 'optional']),
  bool('tls-replication', 'no'),
  bool('tls-cluster', 'no'),
  str('tls-protocols', ''),
  str('tls-ciphers', ''),
  str('tls-ciphersuites', ''),
  bool('tls-prefer-server-ciphers', 'no'),
  bool('tls-session-caching', 'yes'),
  int('tls-session-cache-size', 20480, 0, INT_MAX),
  int('tls-session-cache-timeout', 300, 0, INT_MAX),
  // Snapshotting
  special('save', '3600 1 300 100 60 10000', normalizeSave, { accumulates: true }),
  bool('stop-writes-on-bgsave-error', 'yes'),
  bool('rdbcompression', 'yes'),
  bool('rdbchecksum', 'yes'),
  oneOf('sanitize-dump-payload', 'no', ['no', 'yes', 'clients']),
  str('dbfilename', 'dump.rdb', { protected: true }),
  bool('rdb-del-sync-files', 'no'),
  str('dir', './', { protected: true }),
  bool('rdb-save-incremental-fsync', 'yes'),
  // Replication
  special('replicaof', '', normalizeReplicaof, { aliases: ['slaveof'] }),
  str('masterauth', ''),
  str('masteruser', ''),
  bool('replica-serve-stale-data', 'yes', { aliases: ['slave-serve-stale-data'] }),
  bool('replica-read-only', 'yes', { aliases: ['slave-read-only'] }),
  bool('repl-diskless-sync', 'yes'),
  int('repl-diskless-sync-delay', 5, 0, INT_MAX),
  int('repl-diskless-sync-max-replicas', 0, 0, INT_MAX),
  oneOf('repl-diskless-load', 'disabled', ['disabled', 'on-empty-db', 'swapdb']),
  int('repl-ping-replica-period', 10, 1, INT_MAX, { aliases: ['repl-ping-slave-period'] }),
  int('repl-timeout', 60, 1, INT_MAX),
  bool('repl-disable-tcp-nodelay', 'no'),
  mem('repl-backlog-size', '1mb', {}, 1),
  int('repl-backlog-ttl', 3600, 0, INT_MAX),
  int('replica-priority', 100, 0, INT_MAX, { aliases: ['slave-priority'] }),
  oneOf('propagation-error-behavior', 'ignore', ['ignore', 'panic', 'panic-on-replicas']),
  bool('replica-ignore-disk-write-errors', 'no'),
  bool('replica-announced', 'yes'),
  int('min-replicas-to-write', 0, 0, INT_MAX, { aliases: ['min-slaves-to-write'] }),
  int('min-replicas-max-lag', 10, 0, INT_MAX, { aliases: ['min-slaves-max-lag'] }),
  str('replica-announce-ip', '', { aliases: ['slave-announce-ip'] }),
  int('replica-announce-port', 0, 0, 65535, { aliases: ['slave-announce-port'] }),
  bool('replica-lazy-flush', 'no', { aliases: ['slave-lazy-flush'] }),
  bool('replica-ignore-maxmemory', 'yes', { aliases: ['slave-ignore-maxmemory'] }),
  // Security
  int('acllog-max-len', 128, 0, LLONG_MAX),
  str('aclfile', '', { immutable: true }),
  str('requirepass', '', { core: true }),
  oneOf('acl-pubsub-default', 'resetchannels', ['allchannels', 'resetchannels']),
  // Memory
  mem('maxmemory', '0', { core: true }),
  oneOf('maxmemory-policy', 'noeviction', POLICIES, { core: true }),
  int('maxmemory-samples', 5, 1, 64, { core: true }),
  int('maxmemory-eviction-tenacity', 10, 0, 100, { core: true }),
  { name: 'maxmemory-clients', kind: { type: 'memory', percent: true }, default: '0' },
  int('active-expire-effort', 1, 1, 10),
  bool('lazyfree-lazy-eviction', 'no'),
  bool('lazyfree-lazy-expire', 'no'),
  bool('lazyfree-lazy-server-del', 'no'),
  bool('lazyfree-lazy-user-del', 'no'),
  bool('lazyfree-lazy-user-flush', 'no'),
  int('io-threads', 1, 1, 128, { immutable: true }),
  bool('io-threads-do-reads', 'no', { immutable: true }),
  oneOf('oom-score-adj', 'no', ['no', 'yes', 'relative', 'absolute']),
  special('oom-score-adj-values', '0 200 800', normalizeWords(3)),
  bool('disable-thp', 'yes', { immutable: true }),
  // Append only file
  bool('appendonly', 'no'),
  str('appendfilename', 'appendonly.aof', { immutable: true }),
  str('appenddirname', 'appendonlydir', { immutable: true }),
  oneOf('appendfsync', 'everysec', ['always', 'everysec', 'no']),
  bool('no-appendfsync-on-rewrite', 'no'),
  int('auto-aof-rewrite-percentage', 100, 0, INT_MAX),
  mem('auto-aof-rewrite-min-size', '64mb'),
  bool('aof-load-truncated', 'yes'),
  bool('aof-use-rdb-preamble', 'yes'),
  bool('aof-timestamp-enabled', 'no'),
  bool('aof-rewrite-incremental-fsync', 'yes'),
  // Shutdown
  int('shutdown-timeout', 10, 0, INT_MAX),
  oneOf('shutdown-on-sigint', 'default', SHUTDOWN_SIGNAL),
  oneOf('shutdown-on-sigterm', 'default', SHUTDOWN_SIGNAL),
  // Scripting
  int('busy-reply-threshold', 5000, 0, LLONG_MAX, { aliases: ['lua-time-limit'] }),
  // Cluster
  bool('cluster-enabled', 'no', { immutable: true }),
  str('cluster-config-file', 'nodes.conf', { immutable: true }),
  int('cluster-node-timeout', 15000, 0, LLONG_MAX),
  int('cluster-port', 0, 0, 65535, { immutable: true }),
  int('cluster-replica-validity-factor', 10, 0, INT_MAX, { aliases: ['cluster-slave-validity-factor'] }),
  int('cluster-migration-barrier', 1, 0, INT_MAX),
  bool('cluster-allow-replica-migration', 'yes'),
  bool('cluster-require-full-coverage', 'yes'),
  bool('cluster-replica-no-failover', 'no', { aliases: ['cluster-slave-no-failover'] }),
  bool('cluster-allow-reads-when-down', 'no'),
  bool('cluster-allow-pubsubshard-when-down', 'yes'),
  mem('cluster-link-sendbuf-limit', '0'),
  str('cluster-announce-hostname', ''),
  str('cluster-announce-human-nodename', ''),
  oneOf('cluster-preferred-endpoint-type', 'ip', ['ip', 'hostname', 'unknown-endpoint']),
  str('cluster-announce-ip', ''),
  int('cluster-announce-port', 0, 0, 65535),
  int('cluster-announce-tls-port', 0, 0, 65535),
  int('cluster-announce-bus-port', 0, 0, 65535),
  // Logs and monitoring
  int('slowlog-log-slower-than', 10000, -1, LLONG_MAX, { core: true }),
  int('slowlog-max-len', 128, 0, LLONG_MAX, { core: true }),
  int('latency-monitor-threshold', 0, 0, LLONG_MAX, { core: true }),
  bool('latency-tracking', 'yes'),
  special('latency-tracking-info-percentiles', '50 99 99.9', normalizePercentiles),
  special('notify-keyspace-events', '', normalizeNotify, { core: true }),
  int('tracking-table-max-keys', 1000000, 0, LLONG_MAX),
  // Encodings and advanced
  int('hash-max-listpack-entries', 512, 0, LLONG_MAX, { aliases: ['hash-max-ziplist-entries'] }),
  int('hash-max-listpack-value', 64, 0, LLONG_MAX, { aliases: ['hash-max-ziplist-value'] }),
  int('list-max-listpack-size', -2, -2147483648, INT_MAX, { aliases: ['list-max-ziplist-size'] }),
  int('list-compress-depth', 0, 0, INT_MAX),
  int('set-max-intset-entries', 512, 0, LLONG_MAX),
  int('set-max-listpack-entries', 128, 0, LLONG_MAX),
  int('set-max-listpack-value', 64, 0, LLONG_MAX),
  int('zset-max-listpack-entries', 128, 0, LLONG_MAX, { aliases: ['zset-max-ziplist-entries'] }),
  int('zset-max-listpack-value', 64, 0, LLONG_MAX, { aliases: ['zset-max-ziplist-value'] }),
  mem('hll-sparse-max-bytes', '3000', { core: true }),
  mem('stream-node-max-bytes', '4096', { core: true }),
  int('stream-node-max-entries', 100, 0, LLONG_MAX, { core: true }),
  bool('activerehashing', 'yes'),
  special('client-output-buffer-limit', 'normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60', normalizeObufLimit),
  mem('client-query-buffer-limit', '1gb', { core: true }, 1024 * 1024),
  mem('proto-max-bulk-len', '512mb', { core: true }, 1024 * 1024),
  // Redis takes any hz as a hint and caps it to 1..500 (`updateHZ`).
  int('hz', 10, 0, INT_MAX, { core: true, clamp: [1, 500] }),
  bool('dynamic-hz', 'yes'),
  int('lfu-log-factor', 10, 0, INT_MAX, { core: true }),
  int('lfu-decay-time', 1, 0, INT_MAX, { core: true }),
  bool('activedefrag', 'no'),
  mem('active-defrag-ignore-bytes', '100mb'),
  int('active-defrag-threshold-lower', 10, 0, 1000),
  int('active-defrag-threshold-upper', 100, 0, 1000),
  int('active-defrag-cycle-min', 1, 1, 99),
  int('active-defrag-cycle-max', 25, 1, 99),
  int('active-defrag-max-scan-fields', 1000, 1, LLONG_MAX),
  bool('jemalloc-bg-thread', 'yes'),
  special('rename-command', '', (a) => a.join(' '), { immutable: true, accumulates: true }),
];

const byName = new Map<string, Directive>();
for (const d of DIRECTIVES) {
  byName.set(d.name, d);
  for (const a of d.aliases ?? []) byName.set(a, d);
}

export function findDirective(name: string): Directive | undefined {
  return byName.get(name.toLowerCase());
}

/** Redis's `memtoull`: a byte count with an optional k/kb/m/mb/g/gb unit. */
export function parseMemory(text: string): number | null {
  const m = /^(\d+)([a-z]*)$/i.exec(text.trim());
  if (!m) return null;
  const units: Record<string, number> = { '': 1, b: 1, k: 1000, kb: 1024, m: 1000 ** 2, mb: 1024 ** 2, g: 1000 ** 3, gb: 1024 ** 3 };
  const mul = units[m[2].toLowerCase()];
  if (mul === undefined) return null;
  return Number(m[1]) * mul;
}

/**
 * Checks and normalizes one directive's value; throws ConfigValueError with
 * Redis's reason text. Returns the canonical form CONFIG GET shows.
 */
export function normalizeValue(d: Directive, args: string[], prev = ''): string {
  const kind = d.kind;
  if (kind.type === 'special') return kind.normalize(args, prev);
  if (args.length !== 1) throw new ConfigValueError('wrong number of arguments');
  const v = args[0];
  switch (kind.type) {
    case 'bool': {
      const l = v.toLowerCase();
      if (l !== 'yes' && l !== 'no') throw new ConfigValueError("argument must be 'yes' or 'no'");
      return l;
    }
    case 'int': {
      if (!/^-?\d+$/.test(v)) throw new ConfigValueError("argument couldn't be parsed into an integer");
      const exact = BigInt(v);
      if (exact < exactBound(kind.min) || exact > exactBound(kind.max)) throw new ConfigValueError(`argument must be between ${bound(kind.min)} and ${bound(kind.max)} inclusive`);
      const n = Number(v);
      return d.clamp ? String(Math.min(Math.max(n, d.clamp[0]), d.clamp[1])) : exact.toString();
    }
    case 'memory': {
      // maxmemory-clients also takes a share of maxmemory ("10%"), kept as written.
      if (kind.percent && /^\d+%$/.test(v)) return v;
      const n = parseMemory(v);
      if (n === null) throw new ConfigValueError('argument must be a memory value');
      const min = kind.min ?? 0;
      const max = kind.max ?? LLONG_MAX;
      if (n < min || n > max) throw new ConfigValueError(`argument must be between ${bound(min)} and ${bound(max)} inclusive`);
      return String(n);
    }
    case 'enum': {
      const l = v.toLowerCase();
      if (!kind.values.includes(l)) throw new ConfigValueError(`argument(s) must be one of the following: ${kind.values.join(', ')}`);
      return l;
    }
    case 'string':
      return v;
  }
}
