//! The directives the core reads. The host (TypeScript) owns the full config
//! table, validates values, and pushes those listed here with `set`.

use crate::keyspace::db::Tracking;
use crate::resp::parser::parse_i64;

/// A yes/no/local directive guarding a dangerous feature (`enable-debug-command` …).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protected {
    Yes,
    No,
    /// Allowed from loopback and unix-socket clients only.
    Local,
}

impl Protected {
    /// Redis's `allowProtectedAction`.
    pub fn allows(self, local_client: bool) -> bool {
        self == Protected::Yes || (self == Protected::Local && local_client)
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub databases: usize,
    pub hz: u32,
    pub proto_max_bulk_len: u64,
    pub client_query_buffer_limit: usize,
    /// `requirepass` as pushed by the host; logins check the ACL default
    /// user, which the host gives this password (see ts/acl/store.ts).
    pub requirepass: Option<Vec<u8>>,
    pub maxmemory: u64,
    /// `busy-reply-threshold` (`lua-time-limit`), ms: a script running longer
    /// is paused and other clients get -BUSY; 0 never pauses.
    pub busy_reply_threshold_ms: i64,
    /// `tracking-table-max-keys`: past it, tracked keys are invalidated
    /// until the table fits again; 0 is no limit.
    pub tracking_table_max_keys: u64,
    pub active_expire_enabled: bool,
    /// `maxmemory-policy` is an LFU one: the access bits hold counters.
    pub lfu_policy: bool,
    pub lfu_log_factor: u32,
    pub lfu_decay_time: u32,
    /// Redis 7 refuses DEBUG unless this allows it.
    pub enable_debug_command: Protected,
    pub encodings: EncodingLimits,
    /// `notify-keyspace-events` as [`crate::notify::class`] bits.
    pub notify_keyspace_events: u32,
    /// A sparse HyperLogLog turns dense past this many bytes.
    pub hll_sparse_max_bytes: usize,
    pub maxmemory_policy: crate::eviction::Policy,
    pub maxmemory_samples: usize,
    pub maxmemory_eviction_tenacity: u32,
    /// Microseconds; negative disables the slow log.
    pub slowlog_log_slower_than: i64,
    pub slowlog_max_len: usize,
    /// Milliseconds; 0 disables the latency monitor.
    pub latency_monitor_threshold: u64,
    /// `latency-tracking`: per-command latency histograms are kept.
    pub latency_tracking: bool,
    /// `latency-tracking-info-percentiles`: what INFO latencystats reports.
    pub latency_tracking_info_percentiles: Vec<f64>,
    /// INFO's maxclients (the host refuses connections past it).
    pub maxclients: usize,
}

/// When the collection types leave their compact encodings (Redis's
/// `*-max-listpack-*` and `set-max-intset-entries` directives).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncodingLimits {
    /// Positive: entries per list node; -1..-5: node size 4, 8, 16, 32, 64 KB.
    pub list_max_listpack_size: i64,
    pub list_compress_depth: i64,
    pub hash_max_listpack_entries: usize,
    pub hash_max_listpack_value: usize,
    pub set_max_intset_entries: usize,
    pub set_max_listpack_entries: usize,
    pub set_max_listpack_value: usize,
    pub zset_max_listpack_entries: usize,
    pub zset_max_listpack_value: usize,
    /// `stream-node-max-bytes` and `stream-node-max-entries`.
    pub stream_node: crate::types::stream::NodeLimits,
}

impl Default for EncodingLimits {
    /// Redis 7's built-in defaults (what `CONFIG GET` shows with no redis.conf).
    fn default() -> Self {
        EncodingLimits {
            list_max_listpack_size: -2,
            list_compress_depth: 0,
            hash_max_listpack_entries: 512,
            hash_max_listpack_value: 64,
            set_max_intset_entries: 512,
            set_max_listpack_entries: 128,
            set_max_listpack_value: 64,
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            stream_node: crate::types::stream::NodeLimits::default(),
        }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            databases: 16,
            hz: 10,
            proto_max_bulk_len: 512 * 1024 * 1024,
            client_query_buffer_limit: 1024 * 1024 * 1024,
            requirepass: None,
            maxmemory: 0,
            busy_reply_threshold_ms: 5000,
            tracking_table_max_keys: 1_000_000,
            active_expire_enabled: true,
            lfu_policy: false,
            lfu_log_factor: 10,
            lfu_decay_time: 1,
            enable_debug_command: Protected::No,
            encodings: EncodingLimits::default(),
            notify_keyspace_events: 0,
            hll_sparse_max_bytes: 3000,
            maxmemory_policy: crate::eviction::Policy::NoEviction,
            maxmemory_samples: 5,
            maxmemory_eviction_tenacity: 10,
            slowlog_log_slower_than: 10_000,
            slowlog_max_len: 128,
            latency_monitor_threshold: 0,
            latency_tracking: true,
            latency_tracking_info_percentiles: vec![50.0, 99.0, 99.9],
            maxclients: 10_000,
        }
    }
}

impl Config {
    /// Applies one directive pushed by the host. Names the core does not use
    /// are accepted and ignored: the host keeps them.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let num = || parse_i64(value.as_bytes()).ok_or_else(|| format!("invalid value for {name}: {value}"));
        let size = || num().map(|n| n.max(0) as usize);
        let enc = &mut self.encodings;
        match name {
            "list-max-listpack-size" | "list-max-ziplist-size" => enc.list_max_listpack_size = num()?,
            "list-compress-depth" => enc.list_compress_depth = num()?,
            "hash-max-listpack-entries" | "hash-max-ziplist-entries" => enc.hash_max_listpack_entries = size()?,
            "hash-max-listpack-value" | "hash-max-ziplist-value" => enc.hash_max_listpack_value = size()?,
            "set-max-intset-entries" => enc.set_max_intset_entries = size()?,
            "set-max-listpack-entries" => enc.set_max_listpack_entries = size()?,
            "set-max-listpack-value" => enc.set_max_listpack_value = size()?,
            "zset-max-listpack-entries" | "zset-max-ziplist-entries" => enc.zset_max_listpack_entries = size()?,
            "zset-max-listpack-value" | "zset-max-ziplist-value" => enc.zset_max_listpack_value = size()?,
            "hll-sparse-max-bytes" => self.hll_sparse_max_bytes = size()?,
            "stream-node-max-bytes" => enc.stream_node.max_bytes = size()?,
            "stream-node-max-entries" => enc.stream_node.max_entries = size()?,
            "hz" => self.hz = num()?.clamp(1, 500) as u32,
            "proto-max-bulk-len" => self.proto_max_bulk_len = num()?.max(1) as u64,
            "client-query-buffer-limit" => self.client_query_buffer_limit = num()?.max(1) as usize,
            "maxmemory" => self.maxmemory = num()?.max(0) as u64,
            "busy-reply-threshold" | "lua-time-limit" => self.busy_reply_threshold_ms = num()?.max(0),
            "tracking-table-max-keys" => self.tracking_table_max_keys = num()?.max(0) as u64,
            "requirepass" => self.requirepass = if value.is_empty() { None } else { Some(value.as_bytes().to_vec()) },
            "maxmemory-policy" => {
                self.maxmemory_policy = crate::eviction::Policy::parse(value)
                    .ok_or_else(|| format!("invalid value for {name}: {value}"))?;
                self.lfu_policy = self.maxmemory_policy.is_lfu();
            }
            "maxmemory-samples" => self.maxmemory_samples = num()?.clamp(1, 64) as usize,
            "maxmemory-eviction-tenacity" => self.maxmemory_eviction_tenacity = num()?.clamp(0, 100) as u32,
            "slowlog-log-slower-than" => self.slowlog_log_slower_than = num()?,
            "slowlog-max-len" => self.slowlog_max_len = size()?,
            "maxclients" => self.maxclients = size()?,
            "latency-monitor-threshold" => self.latency_monitor_threshold = num()?.max(0) as u64,
            "latency-tracking" => self.latency_tracking = value == "yes",
            "latency-tracking-info-percentiles" => {
                self.latency_tracking_info_percentiles = value
                    .split_ascii_whitespace()
                    .map(|p| p.parse::<f64>().ok().filter(|p| (0.0..=100.0).contains(p)))
                    .collect::<Option<_>>()
                    .ok_or_else(|| "Invalid latency-tracking-info-percentiles parameters".to_string())?
            }
            "lfu-log-factor" => self.lfu_log_factor = num()?.clamp(0, u32::MAX as i64) as u32,
            "lfu-decay-time" => self.lfu_decay_time = num()?.clamp(0, u32::MAX as i64) as u32,
            "notify-keyspace-events" => {
                self.notify_keyspace_events = crate::notify::parse_flags(value)
                    .ok_or_else(|| "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".to_string())?
            }
            "enable-debug-command" => {
                self.enable_debug_command = match value {
                    "yes" => Protected::Yes,
                    "local" => Protected::Local,
                    _ => Protected::No,
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// What the databases' access bits hold under the current policy.
    pub fn tracking(&self) -> Tracking {
        if self.lfu_policy {
            Tracking::Lfu { log_factor: self.lfu_log_factor, decay_minutes: self.lfu_decay_time }
        } else {
            Tracking::Lru
        }
    }

    /// Whether `name` changes what [`Config::tracking`] returns.
    pub fn affects_tracking(name: &str) -> bool {
        matches!(name, "maxmemory-policy" | "lfu-log-factor" | "lfu-decay-time")
    }
}
