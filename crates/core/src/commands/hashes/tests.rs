//! The hash family through the real `feed` path, asserting exact reply
//! bytes. Expected replies were taken from redis-server 7.0.15 (the oracle);
//! where Redis 7.2 differs, a comment says so and the test follows 7.2.

use crate::testing::reply::{bulk, bulk_strings, bulks, int};
use crate::testing::TestConn;

mod counters;
mod declarations;
mod delete;
mod encoding;
mod random;
mod read;
mod resp3;
mod scan;
mod set;

const OK: &str = "+OK\r\n";
const NIL: &str = "$-1\r\n";
const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

fn arity(cmd: &str) -> String {
    format!("-ERR wrong number of arguments for '{cmd}' command\r\n")
}

/// Sends a command given as one line of words (no quoting needed here).
fn run(c: &mut TestConn, line: &str) -> String {
    let words: Vec<&str> = line.split(' ').collect();
    c.cmd(&words)
}

/// CONFIG SET as the host pushes it to the core.
fn config(c: &mut TestConn, name: &str, value: &str) {
    c.engine.server.config.set(name, value).unwrap();
}

fn encoding(c: &mut TestConn, key: &str) -> String {
    c.cmd(&["OBJECT", "ENCODING", key])
}

/// (changes since the engine started, keyspace hits, keyspace misses).
fn stats(c: &TestConn) -> (u64, u64, u64) {
    let s = &c.engine.server.stats;
    (s.dirty, s.keyspace_hits, s.keyspace_misses)
}
