//! MEMORY, and the memory figures INFO memory shares with MEMORY STATS.
//!
//! Byte counts follow the allocator when the host installed a counting one
//! (`Server::memory_probe`); otherwise they are estimates built from what
//! the databases report. Per-key sizes are counted the way Redis counts
//! them (jemalloc size classes of its objects), so MEMORY USAGE answers
//! what a Redis user expects to see for the same data.

use crate::command::args::{self, is};
use crate::command::errors::{self, CmdResult};
use crate::engine::{Ctx, Server};
use crate::types::{StrValue, Value};

use super::reply_help;

/// The memory picture at one instant.
pub struct MemoryFigures {
    pub used: usize,
    pub peak: usize,
    pub rss: usize,
    pub startup: usize,
    pub clients_normal: usize,
    /// Everything that is not data: startup, clients, hash tables.
    pub overhead: usize,
    pub dataset: usize,
    pub total_keys: usize,
    /// (db index, main table bytes, expires table bytes) of non-empty databases.
    pub dbs: Vec<(usize, usize, usize)>,
    pub system_total: usize,
}

impl MemoryFigures {
    pub fn measure(server: &Server, clients: usize, client_bytes: usize) -> Self {
        let startup = std::mem::size_of::<Server>()
            + server.dbs.len() * std::mem::size_of::<crate::keyspace::Db>()
            + server.commands.len() * 64;
        let mut dbs = Vec::new();
        let mut tables = 0;
        let mut total_keys = 0;
        for (i, db) in server.dbs.iter().enumerate() {
            if db.is_empty() && db.expires_len() == 0 {
                continue;
            }
            // Occupied slots hold the keys and values themselves: that is data, not overhead.
            let slots = db.len() * std::mem::size_of::<(crate::keyspace::SmallBytes, Value)>();
            let main = db.keys().overhead_bytes().saturating_sub(slots);
            // The expires table stores a key and an i64 per entry, like the main one's slots.
            let expires = db.expires_len() * (std::mem::size_of::<crate::keyspace::SmallBytes>() + 9) * 8 / 7;
            tables += main + expires;
            total_keys += db.len();
            dbs.push((i, main, expires));
        }
        let clients_normal = clients * 1024 + client_bytes;
        let overhead = startup + clients_normal + tables;
        let used = match server.memory_probe {
            Some(probe) => probe(),
            // Walks every key: only without a probe (tests, embedders).
            None => startup + clients_normal + server.dbs.iter().map(|db| db.memory_bytes()).sum::<usize>(),
        };
        let used = used.max(overhead);
        MemoryFigures {
            used,
            peak: server.metrics.peak_memory.max(used),
            rss: process_rss().unwrap_or(used),
            startup,
            clients_normal,
            overhead,
            dataset: used - overhead,
            total_keys,
            dbs,
            system_total: system_memory().unwrap_or(0),
        }
    }

    /// `dataset / (used - startup)`, in percent, as Redis's `dataset_perc`.
    pub fn dataset_perc(&self) -> f64 {
        let net = self.used.saturating_sub(self.startup);
        if net == 0 {
            0.0
        } else {
            self.dataset as f64 * 100.0 / net as f64
        }
    }

    pub fn peak_perc(&self) -> f64 {
        if self.peak == 0 {
            0.0
        } else {
            self.used as f64 * 100.0 / self.peak as f64
        }
    }

    pub fn rss_ratio(&self) -> f64 {
        if self.used == 0 {
            0.0
        } else {
            self.rss as f64 / self.used as f64
        }
    }
}

/// Measures with every connection's buffers counted.
pub fn measure(ctx: &Ctx) -> MemoryFigures {
    let others = ctx.others.iter().flatten();
    let clients = others.clone().count() + 1;
    let bytes = others.map(|c| c.query_len()).sum::<usize>();
    MemoryFigures::measure(ctx.server, clients, bytes)
}

/// Bytes a value of `n` bytes really takes in jemalloc: its size class
/// (8, 16, 32, 48 … 128, then four classes per doubling).
pub fn alloc_size(n: usize) -> usize {
    if n <= 8 {
        return 8;
    }
    if n <= 128 {
        return n.next_multiple_of(16);
    }
    let ceil_log2 = usize::BITS - (n - 1).leading_zeros();
    let step = (1usize << (ceil_log2 - 1)) / 4;
    n.next_multiple_of(step)
}

/// Header bytes of a Redis sds string of `len` bytes (type 5 only for short keys).
fn sds_header(len: usize, allow_type5: bool) -> usize {
    match len {
        _ if allow_type5 && len < 32 => 1,
        0..=255 => 3,
        256..=65_535 => 5,
        _ if len as u64 <= u32::MAX as u64 => 9,
        _ => 17,
    }
}

/// What MEMORY USAGE reports for a key: its value, its name and the
/// table entry, as Redis counts them.
pub fn key_usage(key: &[u8], value: &Value) -> usize {
    const ROBJ: usize = 16;
    const DICT_ENTRY: usize = 24;
    let value_bytes = match value {
        Value::Str(StrValue::Int(_)) => ROBJ,
        // embstr: object and string in one allocation.
        Value::Str(s) if s.len() <= crate::types::string::EMBSTR_MAX => alloc_size(ROBJ + 3 + s.len() + 1),
        Value::Str(s) => ROBJ + alloc_size(sds_header(s.len(), false) + s.len() + 1),
        other => ROBJ + other.heap_size(),
    };
    value_bytes + alloc_size(sds_header(key.len(), true) + key.len() + 1) + DICT_ENTRY
}

/// MEMORY USAGE key [SAMPLES count]
pub(super) fn usage(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut j = 3;
    while j < argv.len() {
        if !(is(argv[j], "samples") && j + 1 < argv.len()) {
            return Err(errors::SYNTAX);
        }
        // Values are measured whole, so the count only has to be valid.
        if args::int(argv[j + 1])? < 0 {
            return Err(errors::SYNTAX);
        }
        j += 2;
    }
    let now = ctx.now;
    match ctx.db().get(argv[2], now) {
        Some(v) => {
            let n = key_usage(argv[2], v);
            ctx.out.int(n as i64);
        }
        None => ctx.out.null(),
    }
    Ok(())
}

/// MEMORY STATS
pub(super) fn stats(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let m = measure(ctx);
    let out = &mut *ctx.out;
    out.map_len(27 + m.dbs.len());
    let int = |out: &mut crate::resp::writer::Reply, k: &str, v: usize| {
        out.bulk_str(k);
        out.int(v as i64);
    };
    int(out, "peak.allocated", m.peak);
    int(out, "total.allocated", m.used);
    int(out, "startup.allocated", m.startup);
    int(out, "replication.backlog", 0);
    int(out, "clients.slaves", 0);
    int(out, "clients.normal", m.clients_normal);
    int(out, "cluster.links", 0);
    int(out, "aof.buffer", 0);
    int(out, "lua.caches", 0);
    int(out, "functions.caches", 0);
    for &(i, main, expires) in &m.dbs {
        out.bulk_str(&format!("db.{i}"));
        out.map_len(3);
        int(out, "overhead.hashtable.main", main);
        int(out, "overhead.hashtable.expires", expires);
        int(out, "overhead.hashtable.slot-to-keys", 0);
    }
    int(out, "overhead.total", m.overhead);
    int(out, "keys.count", m.total_keys);
    let net = m.used.saturating_sub(m.startup);
    int(out, "keys.bytes-per-key", net.checked_div(m.total_keys).unwrap_or(0));
    int(out, "dataset.bytes", m.dataset);
    out.bulk_str("dataset.percentage");
    out.double(m.dataset_perc());
    out.bulk_str("peak.percentage");
    out.double(m.peak_perc());
    int(out, "allocator.allocated", m.used);
    int(out, "allocator.active", m.used);
    int(out, "allocator.resident", m.rss);
    out.bulk_str("allocator-fragmentation.ratio");
    out.double(1.0);
    int(out, "allocator-fragmentation.bytes", 0);
    out.bulk_str("allocator-rss.ratio");
    out.double(m.rss_ratio());
    int(out, "allocator-rss.bytes", m.rss.saturating_sub(m.used));
    out.bulk_str("rss-overhead.ratio");
    out.double(1.0);
    int(out, "rss-overhead.bytes", 0);
    out.bulk_str("fragmentation");
    out.double(m.rss_ratio());
    int(out, "fragmentation.bytes", m.rss.saturating_sub(m.used));
    Ok(())
}

/// MEMORY DOCTOR
pub(super) fn doctor(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let m = measure(ctx);
    // Redis's detectors need at least 5 MB to say anything.
    let report: &[u8] = if m.used < 5 << 20 {
        b"Hi Sam, this instance is empty or is using very little memory, my issues detector can't be used in these conditions. Please, leave for your mission on Earth and fill it with some data. The new Sam and I will be back to our programming as soon as I finished rebooting.\n"
    } else {
        b"Hi Sam, I can't find any memory issue in your instance. I can only account for what occurs on this base.\n"
    };
    ctx.out.verbatim(report);
    Ok(())
}

/// MEMORY MALLOC-STATS
pub(super) fn malloc_stats(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    // What Redis answers when built without jemalloc.
    ctx.out.bulk_str("Stats not supported for the current allocator");
    Ok(())
}

/// MEMORY PURGE
pub(super) fn purge(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    if let Some(release) = ctx.server.memory_release {
        release();
    }
    ctx.out.ok();
    Ok(())
}

/// MEMORY HELP
pub(super) fn help(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    const HELP: &[&str] = &[
        "DOCTOR",
        "    Return memory problems reports.",
        "MALLOC-STATS",
        "    Return internal statistics report from the memory allocator.",
        "PURGE",
        "    Attempt to purge dirty pages for reclamation by the allocator.",
        "STATS",
        "    Return information about the memory usage of the server.",
        "USAGE <key> [SAMPLES <count>]",
        "    Return memory in bytes used by <key> and its value. Nested values are",
        "    sampled up to <count> times (default: 5, 0 means sample all).",
    ];
    reply_help(ctx.out, argv[0], HELP);
    Ok(())
}

/// The process's resident set size, where the OS tells it cheaply.
pub fn process_rss() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    // Linux pages are 4 KiB on every platform Node ships for but a few arm64 kernels.
    Some(pages * 4096)
}

fn system_memory() -> Option<usize> {
    let info = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kb: usize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jemalloc_size_classes() {
        let cases = [(1, 8), (9, 16), (23, 32), (64, 64), (104, 112), (129, 160), (257, 320), (1006, 1024)];
        for (n, class) in cases {
            assert_eq!(alloc_size(n), class, "{n}");
        }
    }

    #[test]
    fn usage_matches_redis_for_strings() {
        // Redis 7 (jemalloc) answers 64, 48 and 160 for these.
        assert_eq!(key_usage(b"foo", &Value::Str(StrValue::from_bytes(b"bar"))), 64);
        assert_eq!(key_usage(b"n", &Value::Str(StrValue::from_bytes(b"12345"))), 48);
        assert_eq!(key_usage(b"big", &Value::Str(StrValue::from_bytes(&[b'a'; 100]))), 160);
        assert_eq!(key_usage(b"b2", &Value::Str(StrValue::from_bytes(&[b'a'; 1000]))), 1072);
        assert_eq!(key_usage(b"k45", &Value::Str(StrValue::from_bytes(&[b'a'; 44]))), 96);
    }
}
