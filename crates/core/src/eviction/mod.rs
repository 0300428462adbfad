//! maxmemory: freeing memory by evicting keys before a command runs, as
//! Redis's `performEvictions` does.
//!
//! Before every command, while `maxmemory` is set and `used_memory` is over
//! it, keys are evicted under `maxmemory-policy` until enough memory was
//! freed. The LRU, LFU and TTL policies sample `maxmemory-samples` keys of
//! every database into a shared pool of the 16 best candidates ([`pool`])
//! and evict the best; the random policies pick one key at random, visiting
//! the databases in turn. Under `noeviction`, or when nothing can be
//! evicted, a command flagged `denyoom` gets the OOM error instead.
//!
//! Memory is what the allocator reports (`Server::memory_probe`); without a
//! probe (cargo tests, embedders without a counting allocator) the bytes the
//! databases account for stand in, which keeps tests deterministic.

pub mod pool;
#[cfg(test)]
mod tests;

use std::time::Instant;

use crate::command::errors::CmdError;
use crate::command::spec::{flags, CommandSpec};
use crate::engine::Server;
use crate::keyspace::db::sampling::{lfu_counter, lru_idle_ms};
use crate::keyspace::db::Candidates;
use crate::keyspace::SmallBytes;
use crate::notify::class;
use crate::util::rng::Rng;
use pool::Pool;

pub const OOM: CmdError = CmdError::Static("OOM command not allowed when used memory > 'maxmemory'.");

/// `maxmemory-policy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Policy {
    #[default]
    NoEviction,
    AllKeysLru,
    AllKeysLfu,
    AllKeysRandom,
    VolatileLru,
    VolatileLfu,
    VolatileRandom,
    VolatileTtl,
}

impl Policy {
    const ALL: [Policy; 8] = [
        Policy::NoEviction,
        Policy::AllKeysLru,
        Policy::AllKeysLfu,
        Policy::AllKeysRandom,
        Policy::VolatileLru,
        Policy::VolatileLfu,
        Policy::VolatileRandom,
        Policy::VolatileTtl,
    ];

    pub fn parse(name: &str) -> Option<Policy> {
        Self::ALL.into_iter().find(|p| p.name().eq_ignore_ascii_case(name))
    }

    /// The name CONFIG GET and INFO show.
    pub fn name(self) -> &'static str {
        match self {
            Policy::NoEviction => "noeviction",
            Policy::AllKeysLru => "allkeys-lru",
            Policy::AllKeysLfu => "allkeys-lfu",
            Policy::AllKeysRandom => "allkeys-random",
            Policy::VolatileLru => "volatile-lru",
            Policy::VolatileLfu => "volatile-lfu",
            Policy::VolatileRandom => "volatile-random",
            Policy::VolatileTtl => "volatile-ttl",
        }
    }

    pub fn is_lfu(self) -> bool {
        matches!(self, Policy::AllKeysLfu | Policy::VolatileLfu)
    }

    fn candidates(self) -> Candidates {
        match self {
            Policy::AllKeysLru | Policy::AllKeysLfu | Policy::AllKeysRandom | Policy::NoEviction => Candidates::AllKeys,
            Policy::VolatileLru | Policy::VolatileLfu | Policy::VolatileRandom | Policy::VolatileTtl => {
                Candidates::Volatile
            }
        }
    }

    fn is_random(self) -> bool {
        matches!(self, Policy::AllKeysRandom | Policy::VolatileRandom)
    }
}

/// What one round of evictions achieved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Memory is under the limit (or no limit is set).
    Ok,
    /// Over the time budget with work left: the periodic tick goes on, and
    /// commands are let through meanwhile.
    Running,
    /// Over the limit with nothing (more) that may be evicted.
    Fail,
}

/// Eviction's state between rounds.
pub struct Evictor {
    pool: Pool,
    /// Where the random policies look first next time.
    next_db: usize,
    rng: Rng,
    /// A round ran out of time; the tick continues it.
    running: bool,
    /// Memory was still over maxmemory after the eviction before the
    /// current command (Redis's `pre_command_oom_state`): scripts refuse
    /// their first growing write under it.
    pub oom_before_command: bool,
}

impl Default for Evictor {
    fn default() -> Self {
        Evictor {
            pool: Pool::default(),
            next_db: 0,
            rng: Rng::new(0x5eed_e71c),
            running: false,
            oom_before_command: false,
        }
    }
}

/// The memory eviction compares with `maxmemory`: the allocator's count when
/// the host installed a probe, else what the databases account for.
pub fn used_memory(server: &Server) -> usize {
    match server.memory_probe {
        Some(probe) => probe(),
        None => server.dbs.iter().map(|db| db.memory_bytes()).sum(),
    }
}

/// The engine's one call before running a command: frees memory if needed,
/// and refuses a `denyoom` command when memory stays over the limit.
pub fn before_command(server: &mut Server, spec: &CommandSpec, now: i64) -> Result<(), CmdError> {
    if server.config.maxmemory == 0 {
        server.eviction.oom_before_command = false;
        return Ok(());
    }
    let out_of_memory = perform_evictions(server, now) == Outcome::Fail;
    server.eviction.oom_before_command = out_of_memory;
    if out_of_memory && spec.has(flags::DENYOOM) {
        return Err(OOM);
    }
    Ok(())
}

/// Continues a round that ran out of time (called from the periodic tick).
pub fn on_tick(server: &mut Server, now: i64) {
    if server.eviction.running {
        perform_evictions(server, now);
    }
}

/// Microseconds one round may take: `maxmemory-eviction-tenacity` 0..10
/// grows linearly to 500 µs, then by 15% a step, and 100 means no limit.
fn time_limit_us(tenacity: u32) -> u64 {
    match tenacity {
        0..=10 => 50 * tenacity as u64,
        11..=99 => (500.0 * 1.15f64.powi(tenacity as i32 - 10)) as u64,
        _ => u64::MAX,
    }
}

/// Evicts keys until memory is under `maxmemory`, the policy allows no more,
/// or the round's time is up.
pub fn perform_evictions(server: &mut Server, now: i64) -> Outcome {
    // CLIENT PAUSE holds eviction: as if memory were fine (so no OOM either), as Redis does.
    if server.pause.holds_dataset(now) {
        return Outcome::Ok;
    }
    server.eviction.running = false;
    let limit = server.config.maxmemory as usize;
    if limit == 0 {
        return Outcome::Ok;
    }
    let used = used_memory(server);
    if used <= limit {
        return Outcome::Ok;
    }
    if server.config.maxmemory_policy == Policy::NoEviction {
        return Outcome::Fail;
    }
    let to_free = used - limit;
    let budget_us = time_limit_us(server.config.maxmemory_eviction_tenacity);
    let started = Instant::now();
    let mut freed = 0;
    let mut evicted = 0u64;
    while freed < to_free {
        let Some((db, key)) = pick_victim(server, now) else {
            record_cycle(server, started);
            return Outcome::Fail;
        };
        let delete_started = Instant::now();
        let before = used_memory(server);
        server.dbs[db].remove(&key);
        freed += before.saturating_sub(used_memory(server));
        crate::diagnostics::latency::sample_if_over(server, "eviction-del", delete_started.elapsed(), now);
        server.stats.evicted_keys += 1;
        server.key_changed(db, class::EVICTED, "evicted", &key);
        evicted += 1;
        // Every few keys, check the real picture and the clock.
        if evicted.is_multiple_of(16) {
            if used_memory(server) <= limit {
                break;
            }
            if started.elapsed().as_micros() as u64 > budget_us {
                server.eviction.running = true;
                record_cycle(server, started);
                return Outcome::Running;
            }
        }
    }
    record_cycle(server, started);
    Outcome::Ok
}

fn record_cycle(server: &mut Server, started: Instant) {
    let now = server.clock.now_ms();
    crate::diagnostics::latency::sample_if_over(server, "eviction-cycle", started.elapsed(), now);
}

/// The next key to evict under the current policy, with its database.
fn pick_victim(server: &mut Server, now: i64) -> Option<(usize, SmallBytes)> {
    let policy = server.config.maxmemory_policy;
    let from = policy.candidates();
    if policy.is_random() {
        let n = server.dbs.len();
        for _ in 0..n {
            server.eviction.next_db = (server.eviction.next_db + 1) % n;
            let db = &server.dbs[server.eviction.next_db];
            if db.candidate_count(from) > 0 {
                let seed = server.eviction.rng.next_u64();
                return db.random_candidate(from, seed).map(|key| (server.eviction.next_db, key));
            }
        }
        return None;
    }
    loop {
        let mut total = 0;
        for i in 0..server.dbs.len() {
            let count = server.dbs[i].candidate_count(from);
            if count > 0 {
                populate(server, i, now);
                total += count;
            }
        }
        if total == 0 {
            return None;
        }
        // The pool may hold keys deleted since they were sampled: skip those.
        while let Some(best) = server.eviction.pool.pop_best() {
            if server.dbs.get(best.db).is_some_and(|db| db.is_candidate(from, &best.key)) {
                return Some((best.db, best.key));
            }
        }
    }
}

/// Samples database `db` into the pool, ranking each key by the policy.
fn populate(server: &mut Server, db: usize, now: i64) {
    let config = &server.config;
    let (policy, samples, decay) = (config.maxmemory_policy, config.maxmemory_samples, config.lfu_decay_time);
    let Evictor { pool, rng, .. } = &mut server.eviction;
    let from = policy.candidates();
    server.dbs[db].sample(from, samples, rng, |key, meta, deadline| {
        let score = match policy {
            Policy::VolatileTtl => u64::MAX - deadline.max(0) as u64,
            Policy::AllKeysLfu | Policy::VolatileLfu => 255 - lfu_counter(meta, now, decay) as u64,
            _ => lru_idle_ms(meta, now),
        };
        pool.offer(db, key, score);
    });
}

/// Forgets the pooled candidates (FLUSHALL, a policy change …): they would
/// only be skipped as ghosts, but need not be held.
pub fn reset_pool(server: &mut Server) {
    server.eviction.pool.clear();
}
