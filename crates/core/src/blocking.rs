//! Clients blocked on keys (BLPOP, BZPOPMIN, XREAD BLOCK …).
//!
//! A command that finds nothing to serve blocks its client on some keys; a
//! write that gives such a key data signals it ready; after that write (or
//! after EXEC / a script, as a whole) the engine serves the key's waiters in
//! the order they blocked.

use std::collections::{HashMap, VecDeque};

/// (database index, key)
pub type DbKey = (usize, Vec<u8>);

#[derive(Default)]
pub struct Blocking {
    /// Handles of the clients waiting on each key, first come first served.
    pub waiters: HashMap<DbKey, VecDeque<u32>>,
    /// Keys signalled ready since the last time waiters were served.
    pub ready: Vec<DbKey>,
}

impl Blocking {
    /// Records that `key` got data, if anyone waits on it (nothing to do otherwise).
    #[inline]
    pub fn signal(&mut self, db: usize, key: &[u8]) {
        if self.waiters.is_empty() {
            return;
        }
        let k = (db, key.to_vec());
        if self.waiters.contains_key(&k) && !self.ready.contains(&k) {
            self.ready.push(k);
        }
    }
}
