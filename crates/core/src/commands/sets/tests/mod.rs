//! The set family through the real `feed` path, asserting exact reply
//! bytes as Redis 7.2 sends them. Encodings are 7.2's (listpack sets are
//! new in 7.2); SPOP and SRANDMEMBER are checked by what is deterministic:
//! sizes, membership, distinctness.

use crate::testing::reply::{bulk, bulks, int};
use crate::testing::TestConn;

mod algebra;
mod encodings;
mod members;
mod random;
mod resp3;
mod scan;
mod table;

/// A RESP3 set of bulk strings.
fn set3(items: &[&str]) -> String {
    let mut out = format!("~{}\r\n", items.len());
    items.iter().for_each(|i| out.push_str(&bulk(i)));
    out
}

fn ints(ns: &[i64]) -> String {
    let mut out = format!("*{}\r\n", ns.len());
    ns.iter().for_each(|n| out.push_str(&int(*n)));
    out
}

fn err(msg: &str) -> String {
    format!("-{msg}\r\n")
}

const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";

/// Every bulk string of a reply, in order (headers and integers skipped).
fn bulk_items(reply: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = reply;
    while let Some(line_end) = rest.find("\r\n") {
        let line = &rest[..line_end];
        rest = &rest[line_end + 2..];
        if let Some(len) = line.strip_prefix('$') {
            let n: i64 = len.parse().unwrap();
            if n >= 0 {
                out.push(rest[..n as usize].to_string());
                rest = &rest[n as usize + 2..];
            }
        }
    }
    out
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

/// SADD key members… (asserting the reply is an integer).
fn sadd(c: &mut TestConn, key: &str, members: &[&str]) -> i64 {
    let mut args = vec!["sadd", key];
    args.extend_from_slice(members);
    let reply = c.cmd(&args);
    reply
        .strip_prefix(':')
        .and_then(|r| r.strip_suffix("\r\n"))
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("SADD replied {reply:?}"))
}

/// SADD key with `n` members made by `f`.
fn sadd_n(c: &mut TestConn, key: &str, n: usize, f: impl Fn(usize) -> String) {
    let members: Vec<String> = (0..n).map(f).collect();
    let refs: Vec<&str> = members.iter().map(String::as_str).collect();
    for chunk in refs.chunks(50) {
        sadd(c, key, chunk);
    }
}

/// OBJECT ENCODING key, as text ("none" when missing).
fn encoding(c: &mut TestConn, key: &str) -> String {
    let reply = c.cmd(&["object", "encoding", key]);
    bulk_items(&reply).pop().unwrap_or_else(|| "none".into())
}

/// SMEMBERS key, sorted.
fn members(c: &mut TestConn, key: &str) -> Vec<String> {
    sorted(bulk_items(&c.cmd(&["smembers", key])))
}

fn config(c: &mut TestConn, name: &str, value: &str) {
    c.engine.server.config.set(name, value).unwrap();
}

fn exists(c: &mut TestConn, key: &str) -> bool {
    c.cmd(&["exists", key]) == int(1)
}

/// Changes since the engine started (rdb_changes_since_last_save).
fn dirty(c: &TestConn) -> u64 {
    c.engine.server.stats.dirty
}

/// (keyspace_hits, keyspace_misses).
fn hits(c: &TestConn) -> (u64, u64) {
    let s = &c.engine.server.stats;
    (s.keyspace_hits, s.keyspace_misses)
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}
