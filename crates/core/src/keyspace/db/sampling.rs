//! What eviction reads from a database: a few entries drawn at random from
//! either every key or only the keys with a deadline, with the bits each
//! policy ranks them by.

use super::Db;
use crate::keyspace::SmallBytes;
use crate::util::rng::Rng;

/// Which keys a policy may evict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Candidates {
    AllKeys,
    /// Only keys with a deadline (the `volatile-*` policies).
    Volatile,
}

impl Db {
    /// How many keys a policy drawing from `from` could evict here.
    pub fn candidate_count(&self, from: Candidates) -> usize {
        match from {
            Candidates::AllKeys => self.keys.len(),
            Candidates::Volatile => self.expires.len(),
        }
    }

    /// Whether `key` is still a candidate (a pooled key may have been
    /// deleted, or lost its deadline, since it was sampled).
    pub fn is_candidate(&self, from: Candidates, key: &[u8]) -> bool {
        match from {
            Candidates::AllKeys => self.keys.contains(key),
            Candidates::Volatile => self.expires.contains(key),
        }
    }

    /// Visits up to `count` entries drawn at random from `from`, each with
    /// its access bits and its deadline (`i64::MAX` for none). A table no
    /// bigger than `count` is visited whole, so small keyspaces (and tests)
    /// see every key, where Redis's bucket walk would see most of them.
    pub fn sample(&self, from: Candidates, count: usize, rng: &mut Rng, mut visit: impl FnMut(&SmallBytes, u32, i64)) {
        match from {
            Candidates::AllKeys => {
                let deadline = |key: &SmallBytes| {
                    if self.expires.is_empty() {
                        i64::MAX
                    } else {
                        self.expires.get(key).copied().unwrap_or(i64::MAX)
                    }
                };
                if self.keys.len() <= count {
                    for (key, _) in self.keys.iter() {
                        visit(key, self.keys.meta(key).unwrap_or(0), deadline(key));
                    }
                    return;
                }
                for _ in 0..count {
                    if let Some((key, _)) = self.keys.random(rng.next_u64()) {
                        visit(key, self.keys.meta(key).unwrap_or(0), deadline(key));
                    }
                }
            }
            Candidates::Volatile => {
                let meta = |key: &SmallBytes| self.keys.meta(key).unwrap_or(0);
                if self.expires.len() <= count {
                    for (key, &at) in self.expires.iter() {
                        visit(key, meta(key), at);
                    }
                    return;
                }
                for _ in 0..count {
                    if let Some((key, &at)) = self.expires.random(rng.next_u64()) {
                        visit(key, meta(key), at);
                    }
                }
            }
        }
    }

    /// One key drawn uniformly from `from` (the `*-random` policies).
    pub fn random_candidate(&self, from: Candidates, seed: u64) -> Option<SmallBytes> {
        match from {
            Candidates::AllKeys => self.keys.random(seed).map(|(k, _)| k.clone()),
            Candidates::Volatile => self.expires.random(seed).map(|(k, _)| k.clone()),
        }
    }
}

/// Milliseconds since the access recorded in LRU bits (eviction's rank
/// under the `*-lru` policies).
pub fn lru_idle_ms(meta: u32, now_ms: i64) -> u64 {
    super::access::idle_ms(meta, now_ms)
}

/// The decayed counter held in LFU bits (eviction ranks by 255 minus it).
pub fn lfu_counter(meta: u32, now_ms: i64, decay_minutes: u32) -> u32 {
    super::access::lfu_count(meta, now_ms, decay_minutes)
}
