//! The string family through the real `feed` path, asserting exact reply
//! bytes. The expected replies come from redis-server 7.0.15 (the oracle),
//! which for these commands behaves as Redis 7.2. Keys' encodings, deadlines
//! and the database size are read from the engine, standing in for OBJECT
//! ENCODING, TTL, PEXPIRETIME and DBSIZE, which live in other families.

use crate::testing::TestConn;

mod counters;
mod get;
mod lcs;
mod ranges;
mod resp3;
mod set;
mod table;

/// OBJECT ENCODING key.
fn encoding(c: &mut TestConn, key: &str) -> Option<&'static str> {
    let now = c.now();
    c.engine.server.dbs[0].get(key.as_bytes(), now).map(|v| v.encoding())
}

/// PEXPIRETIME key: -2 without the key, -1 without a deadline.
fn pexpiretime(c: &mut TestConn, key: &str) -> i64 {
    let now = c.now();
    let db = &mut c.engine.server.dbs[0];
    if db.get(key.as_bytes(), now).is_none() {
        return -2;
    }
    db.expire_at(key.as_bytes()).unwrap_or(-1)
}

/// TTL key, rounded to the nearest second as Redis rounds it.
fn ttl(c: &mut TestConn, key: &str) -> i64 {
    let now = c.now();
    match pexpiretime(c, key) {
        at if at < 0 => at,
        at => ((at - now).max(0) + 500) / 1000,
    }
}

/// DBSIZE: keys whose deadline passed still count until something touches them.
fn dbsize(c: &TestConn) -> usize {
    c.engine.server.dbs[0].len()
}

/// (keyspace_hits, keyspace_misses, changes since the engine started).
fn stats(c: &TestConn) -> (u64, u64, u64) {
    let s = &c.engine.server.stats;
    (s.keyspace_hits, s.keyspace_misses, s.dirty)
}

fn set_config(c: &mut TestConn, name: &str, value: &str) {
    c.engine.server.config.set(name, value).unwrap();
}
