//! The eviction pool: the best candidates seen so far across every
//! database, kept in ascending order of how evictable they are, so each
//! sampling round only has to beat what the pool already holds.

use crate::keyspace::SmallBytes;

/// How many candidates the pool keeps (Redis's `EVPOOL_SIZE`).
pub const POOL_SIZE: usize = 16;

#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub db: usize,
    pub key: SmallBytes,
    /// Higher evicts sooner: idle ms (LRU), 255 - counter (LFU), or the
    /// inverted deadline (volatile-ttl).
    pub score: u64,
}

#[derive(Default, Debug)]
pub struct Pool {
    /// Ascending by score; the best victim is last.
    entries: Vec<Candidate>,
}

impl Pool {
    /// Offers a sampled key. A full pool takes it only if it beats the
    /// worst entry, which then drops out; ties go after the entries they
    /// tie with only when there is room (as Redis inserts them).
    pub fn offer(&mut self, db: usize, key: &SmallBytes, score: u64) {
        let at = self.entries.iter().position(|c| c.score >= score).unwrap_or(self.entries.len());
        if self.entries.len() == POOL_SIZE {
            if at == 0 {
                return;
            }
            self.entries.remove(0);
            self.entries.insert(at - 1, Candidate { db, key: key.clone(), score });
        } else {
            self.entries.insert(at, Candidate { db, key: key.clone(), score });
        }
    }

    /// Takes the most evictable candidate out.
    pub fn pop_best(&mut self) -> Option<Candidate> {
        self.entries.pop()
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> SmallBytes {
        SmallBytes::from(s.as_bytes())
    }

    #[test]
    fn keeps_the_sixteen_best_in_order() {
        let mut pool = Pool::default();
        for score in [5u64, 1, 9, 3] {
            pool.offer(0, &key(&score.to_string()), score);
        }
        assert_eq!(pool.pop_best().unwrap().score, 9);
        for score in 10..30u64 {
            pool.offer(1, &key(&score.to_string()), score);
        }
        assert_eq!(pool.len(), POOL_SIZE);
        // Worse than the worst of a full pool: refused.
        pool.offer(0, &key("low"), 0);
        let mut scores = Vec::new();
        while let Some(c) = pool.pop_best() {
            scores.push(c.score);
        }
        assert_eq!(scores, (14..30).rev().collect::<Vec<u64>>());
    }
}
