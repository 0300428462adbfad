//! Tests for the key commands: exact reply bytes through the real feed path,
//! with the engine's clock frozen. Error strings and edge cases were checked
//! against redis-server 7.0.15; where 7.2 differs a comment says so.

use crate::testing::reply::{bulk, bulk_strings, bulks, int};
use crate::testing::TestConn;

mod basic;
mod declarations;
mod expire;
mod iterate;
mod object;
mod rename;

const OK: &str = "+OK\r\n";
const NIL: &str = "$-1\r\n";

/// KEYS' reply as a sorted list (the order is the table's).
fn sorted_keys(c: &mut TestConn, pattern: &str) -> Vec<String> {
    let mut keys = bulk_strings(&c.cmd(&["keys", pattern]));
    keys.sort();
    keys
}

fn set(c: &mut TestConn, key: &str, value: &str) {
    assert_eq!(c.cmd(&["set", key, value]), OK);
}
