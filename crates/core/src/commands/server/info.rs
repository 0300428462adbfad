//! INFO: Redis 7.2's sections, field names and order, `\r\n` line endings.
//! Fields for machinery ferrokv does not have (forks, replication links,
//! defrag …) carry the values an idle Redis shows.

use std::fmt::Write;
use std::sync::OnceLock;

use crate::command::errors::CmdResult;
use crate::commands::REDIS_VERSION;
use crate::engine::Ctx;

use super::memory::{self, MemoryFigures};

/// Sections in the order Redis prints them; `default` selects those marked.
const SECTIONS: [(&str, bool); 14] = [
    ("server", true),
    ("clients", true),
    ("memory", true),
    ("persistence", true),
    ("stats", true),
    ("replication", true),
    ("cpu", true),
    ("modules", true),
    ("commandstats", false),
    ("errorstats", true),
    ("latencystats", false),
    ("cluster", true),
    ("keyspace", true),
    ("debug", false),
];

/// INFO [section [section ...]]
pub(super) fn info(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let text = info_string(ctx, &argv[1..]);
    ctx.out.verbatim(text.as_bytes());
    Ok(())
}

/// The INFO text for these section arguments (as INFO takes them).
pub fn info_string(ctx: &Ctx, args: &[&[u8]]) -> String {
    let mut wanted = [false; SECTIONS.len()];
    let mut all = false;
    if args.is_empty() {
        for (w, (_, default)) in wanted.iter_mut().zip(SECTIONS) {
            *w = default;
        }
    }
    for arg in args {
        let arg = String::from_utf8_lossy(arg).to_ascii_lowercase();
        match arg.as_str() {
            "default" => {
                for (w, (_, default)) in wanted.iter_mut().zip(SECTIONS) {
                    *w |= default;
                }
            }
            // `everything` adds modules' own sections, of which there are none.
            "all" | "everything" => all = true,
            // Redis's defaults name the modules section `module_list`.
            "module_list" => wanted[7] = true,
            name => {
                if let Some(i) = SECTIONS.iter().position(|(s, _)| *s == name) {
                    wanted[i] = true;
                }
            }
        }
    }
    let mut out = String::with_capacity(4096);
    for (i, (name, _)) in SECTIONS.iter().enumerate() {
        // `all` still leaves out the debug section, which must be asked by name.
        if !(wanted[i] || (all && *name != "debug")) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\r\n");
        }
        section(ctx, name, &mut out);
    }
    out
}

/// Appends `name:value\r\n` lines.
macro_rules! fields {
    ($out:expr, $($name:literal => $value:expr),* $(,)?) => {
        $( let _ = write!($out, concat!($name, ":{}\r\n"), $value); )*
    };
}

fn section(ctx: &Ctx, name: &str, out: &mut String) {
    match name {
        "server" => server(ctx, out),
        "clients" => clients(ctx, out),
        "memory" => memory(ctx, out),
        "persistence" => persistence(ctx, out),
        "stats" => stats(ctx, out),
        "replication" => replication(ctx, out),
        "cpu" => cpu(ctx, out),
        "modules" => out.push_str("# Modules\r\n"),
        "commandstats" => commandstats(ctx, out),
        "errorstats" => errorstats(ctx, out),
        "latencystats" => latencystats(ctx, out),
        "cluster" => out.push_str("# Cluster\r\ncluster_enabled:0\r\n"),
        "keyspace" => keyspace(ctx, out),
        "debug" => {
            out.push_str("# Debug\r\n");
            fields!(out,
                "eventloop_duration_aof_sum" => 0,
                "eventloop_duration_cron_sum" => 0,
                "eventloop_duration_max" => 0,
                "eventloop_cmd_per_cycle_max" => 0,
            );
        }
        _ => unreachable!("unknown INFO section {name}"),
    }
}

fn server(ctx: &Ctx, out: &mut String) {
    let s = &*ctx.server;
    let now_ms = ctx.now;
    let uptime = (now_ms - s.start_ms).max(0) / 1000;
    let pid = if s.host.process_id == 0 { std::process::id() } else { s.host.process_id };
    out.push_str("# Server\r\n");
    fields!(out,
        "redis_version" => REDIS_VERSION,
        "redis_git_sha1" => "00000000",
        "redis_git_dirty" => 0,
        "redis_build_id" => build_id(),
        "redis_mode" => "standalone",
        "os" => os_name(),
        "arch_bits" => usize::BITS,
        "monotonic_clock" => "POSIX clock_gettime",
        "multiplexing_api" => if cfg!(target_os = "linux") { "epoll" } else { "kqueue" },
        "atomicvar_api" => "c11-builtin",
        "gcc_version" => "0.0.0",
        "process_id" => pid,
        "process_supervised" => "no",
        "run_id" => s.run_id,
        "tcp_port" => s.host.tcp_port,
        "server_time_usec" => s.clock.now_us(),
        "uptime_in_seconds" => uptime,
        "uptime_in_days" => uptime / 86_400,
        "hz" => s.config.hz,
        "configured_hz" => s.config.hz,
        // Redis's LRU clock: seconds, 24 bits.
        "lru_clock" => (now_ms / 1000) & ((1 << 24) - 1),
        "executable" => s.host.executable,
        "config_file" => s.host.config_file,
        "io_threads_active" => 0,
    );
    if s.host.tcp_port != 0 {
        let _ = write!(out, "listener0:name=tcp,bind=*,bind=-::*,port={}\r\n", s.host.tcp_port);
    }
    fields!(out, "ferrokv_version" => env!("CARGO_PKG_VERSION"));
    if !s.host.node_version.is_empty() {
        fields!(out, "node_version" => s.host.node_version);
    }
}

fn clients(ctx: &Ctx, out: &mut String) {
    let max_query = ctx.others.iter().flatten().map(|c| c.query_len()).max().unwrap_or(0);
    out.push_str("# Clients\r\n");
    fields!(out,
        "connected_clients" => ctx.server.connected_clients,
        "cluster_connections" => 0,
        "maxclients" => ctx.server.config.maxclients,
        "client_recent_max_input_buffer" => max_query,
        "client_recent_max_output_buffer" => 0,
        // Clients waiting on keys and clients held by CLIENT PAUSE, as Redis counts them.
        "blocked_clients" => ctx.others.iter().flatten().filter(|c| c.blocked.is_some() || c.postponed).count(),
        "tracking_clients" => ctx.server.tracking.clients(),
        "clients_in_timeout_table" => ctx.others.iter().flatten().filter(|c| c.blocked.as_ref().is_some_and(|b| b.deadline.is_some())).count(),
        "total_blocking_keys" => ctx.server.blocking.keys(),
        "total_blocking_keys_on_nokey" => 0,
    );
}

fn memory(ctx: &Ctx, out: &mut String) {
    let m: MemoryFigures = memory::measure(ctx);
    let maxmemory = ctx.server.config.maxmemory as usize;
    let lua = ctx.server.scripting.memory_figures();
    out.push_str("# Memory\r\n");
    fields!(out,
        "used_memory" => m.used,
        "used_memory_human" => human(m.used),
        "used_memory_rss" => m.rss,
        "used_memory_rss_human" => human(m.rss),
        "used_memory_peak" => m.peak,
        "used_memory_peak_human" => human(m.peak),
        "used_memory_peak_perc" => format!("{:.2}%", m.peak_perc()),
        "used_memory_overhead" => m.overhead,
        "used_memory_startup" => m.startup,
        "used_memory_dataset" => m.dataset,
        "used_memory_dataset_perc" => format!("{:.2}%", m.dataset_perc()),
        "allocator_allocated" => m.used,
        "allocator_active" => m.used,
        "allocator_resident" => m.rss,
        "total_system_memory" => m.system_total,
        "total_system_memory_human" => human(m.system_total),
        "used_memory_lua" => lua.eval_vm,
        "used_memory_vm_eval" => lua.eval_vm,
        "used_memory_lua_human" => human(lua.eval_vm),
        "used_memory_scripts_eval" => lua.eval_scripts,
        "number_of_cached_scripts" => lua.cached_scripts,
        "number_of_functions" => lua.function_count,
        "number_of_libraries" => lua.libraries,
        "used_memory_vm_functions" => lua.functions_vm,
        "used_memory_vm_total" => lua.eval_vm + lua.functions_vm,
        "used_memory_vm_total_human" => human(lua.eval_vm + lua.functions_vm),
        "used_memory_functions" => lua.functions,
        "used_memory_scripts" => lua.eval_scripts + lua.functions,
        "used_memory_scripts_human" => human(lua.eval_scripts + lua.functions),
        "maxmemory" => maxmemory,
        "maxmemory_human" => human(maxmemory),
        "maxmemory_policy" => ctx.server.config.maxmemory_policy.name(),
        "allocator_frag_ratio" => "1.00",
        "allocator_frag_bytes" => 0,
        "allocator_rss_ratio" => format!("{:.2}", m.rss_ratio()),
        "allocator_rss_bytes" => m.rss as i64 - m.used as i64,
        "rss_overhead_ratio" => "1.00",
        "rss_overhead_bytes" => 0,
        "mem_fragmentation_ratio" => format!("{:.2}", m.rss_ratio()),
        "mem_fragmentation_bytes" => m.rss as i64 - m.used as i64,
        "mem_not_counted_for_evict" => 0,
        "mem_replication_backlog" => 0,
        "mem_total_replication_buffers" => 0,
        "mem_clients_slaves" => 0,
        "mem_clients_normal" => m.clients_normal,
        "mem_cluster_links" => 0,
        "mem_aof_buffer" => ctx.server.persistence.aof.buf.capacity(),
        "mem_allocator" => "libc",
        "active_defrag_running" => 0,
        "lazyfree_pending_objects" => 0,
        "lazyfreed_objects" => 0,
    );
}

fn persistence(ctx: &Ctx, out: &mut String) {
    let s = &*ctx.server;
    out.push_str("# Persistence\r\n");
    let now = s.clock.now_ms();
    let (rdb, loading) = crate::persistence::info_fields(s, now);
    for (name, value) in rdb {
        out.push_str(&format!("{name}:{value}\r\n"));
    }
    for (name, value) in crate::persistence::aof::info_fields(s, now) {
        out.push_str(&format!("{name}:{value}\r\n"));
    }
    for (name, value) in loading {
        out.push_str(&format!("{name}:{value}\r\n"));
    }
}

fn stats(ctx: &Ctx, out: &mut String) {
    let st = &ctx.server.stats;
    // Lazy and active expiry both count in the databases' own counters.
    let expired: u64 = ctx.server.dbs.iter().map(|db| db.expired).sum();
    let cmd_usec: u64 = st.commands.values().map(|c| c.usec).sum();
    out.push_str("# Stats\r\n");
    fields!(out,
        "total_connections_received" => st.total_connections_received,
        "total_commands_processed" => st.total_commands_processed,
        "instantaneous_ops_per_sec" => ctx.server.metrics.ops.per_sec() as u64,
        "total_net_input_bytes" => st.total_net_input_bytes,
        "total_net_output_bytes" => st.total_net_output_bytes,
        "total_net_repl_input_bytes" => 0,
        "total_net_repl_output_bytes" => 0,
        "instantaneous_input_kbps" => format!("{:.2}", ctx.server.metrics.net_input.per_sec() / 1024.0),
        "instantaneous_output_kbps" => format!("{:.2}", ctx.server.metrics.net_output.per_sec() / 1024.0),
        "instantaneous_input_repl_kbps" => "0.00",
        "instantaneous_output_repl_kbps" => "0.00",
        "rejected_connections" => st.rejected_connections,
        "sync_full" => 0,
        "sync_partial_ok" => 0,
        "sync_partial_err" => 0,
        "expired_keys" => expired,
        "expired_stale_perc" => format!("{:.2}", st.expired_stale_perc * 100.0),
        "expired_time_cap_reached_count" => 0,
        "expire_cycle_cpu_milliseconds" => 0,
        "evicted_keys" => st.evicted_keys,
        "evicted_clients" => 0,
        "total_eviction_exceeded_time" => 0,
        "current_eviction_exceeded_time" => 0,
        "keyspace_hits" => st.keyspace_hits,
        "keyspace_misses" => st.keyspace_misses,
        "pubsub_channels" => ctx.server.pubsub.channel_count(crate::pubsub::Space::Global),
        "pubsub_patterns" => ctx.server.pubsub.pattern_count(),
        "pubsubshard_channels" => ctx.server.pubsub.channel_count(crate::pubsub::Space::Shard),
        "latest_fork_usec" => 0,
        "total_forks" => 0,
        "migrate_cached_sockets" => 0,
        "slave_expires_tracked_keys" => 0,
        "active_defrag_hits" => 0,
        "active_defrag_misses" => 0,
        "active_defrag_key_hits" => 0,
        "active_defrag_key_misses" => 0,
        "total_active_defrag_time" => 0,
        "current_active_defrag_time" => 0,
        "tracking_total_keys" => ctx.server.tracking.total_keys(),
        "tracking_total_items" => ctx.server.tracking.total_items(),
        "tracking_total_prefixes" => ctx.server.tracking.total_prefixes(),
        "unexpected_error_replies" => st.unexpected_error_replies,
        "total_error_replies" => st.total_error_replies,
        "dump_payload_sanitizations" => 0,
        "total_reads_processed" => 0,
        "total_writes_processed" => 0,
        "io_threaded_reads_processed" => 0,
        "io_threaded_writes_processed" => 0,
        "reply_buffer_shrinks" => 0,
        "reply_buffer_expands" => 0,
        "eventloop_cycles" => 0,
        "eventloop_duration_sum" => cmd_usec,
        "eventloop_duration_cmd_sum" => cmd_usec,
        "instantaneous_eventloop_cycles_per_sec" => 0,
        "instantaneous_eventloop_duration_usec" => 0,
        "acl_access_denied_auth" => ctx.server.acl.denied.auth,
        "acl_access_denied_cmd" => ctx.server.acl.denied.command,
        "acl_access_denied_key" => ctx.server.acl.denied.key,
        "acl_access_denied_channel" => ctx.server.acl.denied.channel,
    );
}

fn replication(ctx: &Ctx, out: &mut String) {
    // A replication id of its own, stable for the engine's life.
    let replid: String = ctx.server.run_id.chars().rev().collect();
    out.push_str("# Replication\r\n");
    fields!(out,
        "role" => "master",
        "connected_slaves" => 0,
        "master_failover_state" => "no-failover",
        "master_replid" => replid,
        "master_replid2" => "0000000000000000000000000000000000000000",
        "master_repl_offset" => 0,
        "second_repl_offset" => -1,
        "repl_backlog_active" => 0,
        "repl_backlog_size" => 1_048_576,
        "repl_backlog_first_byte_offset" => 0,
        "repl_backlog_histlen" => 0,
    );
}

fn cpu(ctx: &Ctx, out: &mut String) {
    let (sys, user) = ctx.server.cpu_probe.map(|probe| probe()).or_else(proc_cpu).unwrap_or((0.0, 0.0));
    out.push_str("# CPU\r\n");
    fields!(out,
        "used_cpu_sys" => format!("{sys:.6}"),
        "used_cpu_user" => format!("{user:.6}"),
        "used_cpu_sys_children" => "0.000000",
        "used_cpu_user_children" => "0.000000",
        // One thread runs every command: the main thread's share is the process's.
        "used_cpu_sys_main_thread" => format!("{sys:.6}"),
        "used_cpu_user_main_thread" => format!("{user:.6}"),
    );
}

fn commandstats(ctx: &Ctx, out: &mut String) {
    out.push_str("# Commandstats\r\n");
    let mut names: Vec<_> = ctx.server.stats.commands.iter().collect();
    names.sort_unstable_by_key(|(name, _)| **name);
    for (name, c) in names {
        if c.calls == 0 && c.failed_calls == 0 && c.rejected_calls == 0 {
            continue;
        }
        let per_call = if c.calls == 0 { 0.0 } else { c.usec as f64 / c.calls as f64 };
        let _ = write!(
            out,
            "cmdstat_{}:calls={},usec={},usec_per_call={:.2},rejected_calls={},failed_calls={}\r\n",
            safe(name),
            c.calls,
            c.usec,
            per_call,
            c.rejected_calls,
            c.failed_calls
        );
    }
}

/// Each command's latency percentiles (`latency-tracking-info-percentiles`)
/// in microseconds, from its histogram; nothing while `latency-tracking` is off.
fn latencystats(ctx: &Ctx, out: &mut String) {
    out.push_str("# Latencystats\r\n");
    let config = &ctx.server.config;
    if !config.latency_tracking {
        return;
    }
    let mut names: Vec<_> =
        ctx.server.stats.commands.iter().filter_map(|(n, c)| Some((*n, c.latency.as_ref()?))).collect();
    names.sort_unstable_by_key(|(name, _)| *name);
    for (name, histogram) in names {
        let _ = write!(out, "latency_percentiles_usec_{}:", safe(name));
        for (i, &p) in config.latency_tracking_info_percentiles.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let usec = histogram.value_at_percentile(p) as f64 / 1000.0;
            let _ = write!(out, "p{}={usec:.3}", crate::diagnostics::histogram::percentile_label(p));
        }
        out.push_str("\r\n");
    }
}

fn errorstats(ctx: &Ctx, out: &mut String) {
    out.push_str("# Errorstats\r\n");
    // Redis keeps them in a radix tree: sorted by code.
    let mut codes: Vec<_> = ctx.server.stats.errors.iter().collect();
    codes.sort_unstable();
    for (code, count) in codes {
        let _ = write!(out, "errorstat_{}:count={}\r\n", safe(code), count);
    }
}

fn keyspace(ctx: &Ctx, out: &mut String) {
    out.push_str("# Keyspace\r\n");
    for (i, db) in ctx.server.dbs.iter().enumerate() {
        if !db.is_empty() || db.expires_len() > 0 {
            let _ = write!(out, "db{i}:keys={},expires={},avg_ttl=0\r\n", db.len(), db.expires_len());
        }
    }
}

/// Redis replaces the characters that would break INFO's format.
fn safe(s: &str) -> String {
    s.replace(['#', ':', '\n', '\r'], "_")
}

/// Redis's `bytesToHuman`: 100B, 1.50K, 2.00M …
pub fn human(n: usize) -> String {
    const UNITS: [&str; 5] = ["K", "M", "G", "T", "P"];
    if n < 1024 {
        return format!("{n}B");
    }
    let mut scale = 1024f64;
    for unit in UNITS {
        if (n as f64) < scale * 1024.0 {
            return format!("{:.2}{unit}", n as f64 / scale);
        }
        scale *= 1024.0;
    }
    format!("{n}B")
}

/// `os:` as uname would print it: "Linux 6.1.0 x86_64".
fn os_name() -> &'static str {
    static OS: OnceLock<String> = OnceLock::new();
    OS.get_or_init(|| {
        let read = |p: &str| std::fs::read_to_string(p).ok().map(|s| s.trim().to_string());
        let (name, release) = match (read("/proc/sys/kernel/ostype"), read("/proc/sys/kernel/osrelease")) {
            (Some(n), Some(r)) => (n, r),
            _ => match std::env::consts::OS {
                "macos" => ("Darwin".to_string(), String::new()),
                "windows" => ("Windows".to_string(), String::new()),
                other => (other.to_string(), String::new()),
            },
        };
        let parts = [name.as_str(), release.as_str(), std::env::consts::ARCH];
        parts.iter().filter(|p| !p.is_empty()).copied().collect::<Vec<_>>().join(" ")
    })
}

/// A stable id for this build, as Redis's build id names its binary.
fn build_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        // FNV-1a of the crate version: changes with each release, same for every engine.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in concat!("ferrokv-", env!("CARGO_PKG_VERSION")).bytes() {
            h = (h ^ b as u64).wrapping_mul(0x100_0000_01b3);
        }
        format!("{:015x}", h >> 4)
    })
}

/// (system, user) CPU seconds from /proc when the host gave no probe.
fn proc_cpu() -> Option<(f64, f64)> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which may itself contain spaces.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the whole line, in clock ticks (100 per second on Linux).
    let user: f64 = fields.get(11)?.parse().ok()?;
    let sys: f64 = fields.get(12)?.parse().ok()?;
    Some((sys / 100.0, user / 100.0))
}
