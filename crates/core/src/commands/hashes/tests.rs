//! The hash family through the real `feed` path, asserting exact reply
//! bytes. Expected replies were taken from redis-server 7.0.15 (the oracle);
//! where Redis 7.2 differs, a comment says so and the test follows 7.2.

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

/// RESP2 bulk string.
fn bulk(s: &str) -> String {
    format!("${}\r\n{s}\r\n", s.len())
}

/// RESP2 array of bulk strings.
fn bulks(items: &[&str]) -> String {
    let mut out = format!("*{}\r\n", items.len());
    for it in items {
        out.push_str(&bulk(it));
    }
    out
}

fn int(n: i64) -> String {
    format!(":{n}\r\n")
}

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

/// Splits a reply made only of arrays and bulk strings into its bulk
/// strings, in order.
fn bulk_strings(reply: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = reply;
    while let Some(end) = rest.find("\r\n") {
        let line = &rest[..end];
        rest = &rest[end + 2..];
        if let Some(len) = line.strip_prefix('$') {
            let len: usize = len.parse().unwrap();
            out.push(rest[..len].to_string());
            rest = &rest[len + 2..];
        } else {
            assert!(line.starts_with(['*', '%']), "unexpected line {line:?} in {reply:?}");
        }
    }
    out
}

/// (changes since the engine started, keyspace hits, keyspace misses).
fn stats(c: &TestConn) -> (u64, u64, u64) {
    let s = &c.engine.server.stats;
    (s.dirty, s.keyspace_hits, s.keyspace_misses)
}
