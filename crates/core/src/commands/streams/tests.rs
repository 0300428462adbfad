//! The stream family through the real `feed` path, asserting exact reply
//! bytes. Expected replies were taken from redis-server 7.2.4.

use crate::testing::TestConn;

mod blocking;
mod declarations;
mod groups;
mod keyspace;
mod pending;
mod write;

const OK: &str = "+OK\r\n";
const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const INVALID_ID: &str = "-ERR Invalid stream ID specified as stream command argument\r\n";

/// One entry as RESP2 text: `[id, [field, value, …]]`.
fn entry(id: &str, pairs: &[&str]) -> String {
    let mut out = format!("*2\r\n${}\r\n{id}\r\n*{}\r\n", id.len(), pairs.len());
    for p in pairs {
        out.push_str(&format!("${}\r\n{p}\r\n", p.len()));
    }
    out
}

/// An array of entries.
fn entries(items: &[String]) -> String {
    format!("*{}\r\n{}", items.len(), items.concat())
}

/// XREAD's RESP2 reply for one stream.
fn read_reply(key: &str, items: &[String]) -> String {
    format!("*1\r\n*2\r\n${}\r\n{key}\r\n{}", key.len(), entries(items))
}

/// A connection with `key` holding entries 1-0 … n-0 (`f` → `i`).
fn with_stream(key: &str, n: u64) -> TestConn {
    let mut t = TestConn::new();
    for i in 1..=n {
        t.cmd(&["XADD", key, &format!("{i}-0"), "f", &i.to_string()]);
    }
    t
}
