//! Tests for the key commands: exact reply bytes through the real feed path,
//! with the engine's clock frozen. Error strings and edge cases were checked
//! against redis-server 7.0.15; where 7.2 differs a comment says so.

use crate::testing::TestConn;

mod basic;
mod declarations;
mod expire;
mod iterate;
mod object;
mod rename;

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

const OK: &str = "+OK\r\n";
const NIL: &str = "$-1\r\n";

/// Splits a reply made only of arrays and bulk strings into its bulk
/// strings, in order (enough to read KEYS and SCAN replies).
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
            assert!(line.starts_with('*'), "unexpected line {line:?} in {reply:?}");
        }
    }
    out
}

/// KEYS' reply as a sorted list (the order is the table's).
fn sorted_keys(c: &mut TestConn, pattern: &str) -> Vec<String> {
    let mut keys = bulk_strings(&c.cmd(&["keys", pattern]));
    keys.sort();
    keys
}

fn set(c: &mut TestConn, key: &str, value: &str) {
    assert_eq!(c.cmd(&["set", key, value]), OK);
}
