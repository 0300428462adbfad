//! Keyspace events, dirty counts and encodings of the bitmap writers.

use crate::pubsub::Subscriber;
use crate::resp::Protocol;
use crate::testing::TestConn;

/// Turns keyspace events on and subscribes a second connection to every
/// keyevent channel of database 0 (as PSUBSCRIBE does from the host).
pub(crate) fn events(c: &mut TestConn) -> u32 {
    c.engine.server.config.set("notify-keyspace-events", "KEA").unwrap();
    let handle = c.connect();
    let listener = Subscriber { handle, proto: Protocol::Resp2 };
    c.engine.server.pubsub.psubscribe(b"__keyevent@0__:*", listener);
    handle
}

/// The events published to `listener` since the last call, as `event key`.
pub(crate) fn published(c: &mut TestConn, listener: u32) -> Vec<String> {
    let out = c.engine.take_events();
    let mut seen = Vec::new();
    for (to, bytes) in out.deliveries() {
        if to != listener {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let parts: Vec<&str> = text.split("\r\n").collect();
        // *4 $8 pmessage $n pattern $n channel $n key
        let channel = parts[6];
        let key = parts[8];
        seen.push(format!("{} {key}", channel.trim_start_matches("__keyevent@0__:")));
    }
    seen
}

pub(crate) fn dirty(c: &TestConn) -> u64 {
    c.engine.server.stats.dirty
}

#[test]
fn setbit_reports_only_real_changes() {
    let mut c = TestConn::new();
    let listener = events(&mut c);
    assert_eq!(c.cmd(&["SETBIT", "k", "3", "1"]), ":0\r\n");
    assert_eq!(published(&mut c, listener), ["setbit k"]);
    let before = dirty(&c);
    assert_eq!(c.cmd(&["SETBIT", "k", "3", "1"]), ":1\r\n");
    assert_eq!(published(&mut c, listener), Vec::<String>::new());
    assert_eq!(dirty(&c), before);
    // Clearing a bit past the end still grows the string: a change.
    assert_eq!(c.cmd(&["SETBIT", "k", "20", "0"]), ":0\r\n");
    assert_eq!(published(&mut c, listener), ["setbit k"]);
    assert_eq!(dirty(&c), before + 1);
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":3\r\n");
}

#[test]
fn bitop_sets_or_deletes() {
    let mut c = TestConn::new();
    c.cmd(&["SET", "a", "abc"]);
    c.cmd(&["SET", "dest", "x"]);
    c.cmd(&["EXPIRE", "dest", "100"]);
    let listener = events(&mut c);
    let before = dirty(&c);
    assert_eq!(c.cmd(&["BITOP", "OR", "dest", "a"]), ":3\r\n");
    assert_eq!(published(&mut c, listener), ["set dest"]);
    // The result replaces the value and its deadline.
    assert_eq!(c.cmd(&["TTL", "dest"]), ":-1\r\n");
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "dest"]), "$3\r\nraw\r\n");
    assert_eq!(c.cmd(&["BITOP", "AND", "dest", "missing"]), ":0\r\n");
    assert_eq!(published(&mut c, listener), ["del dest"]);
    assert_eq!(c.cmd(&["BITOP", "AND", "dest", "missing"]), ":0\r\n");
    assert_eq!(published(&mut c, listener), Vec::<String>::new());
    assert_eq!(dirty(&c), before + 2);
}

#[test]
fn bitfield_counts_each_changing_write() {
    let mut c = TestConn::new();
    let listener = events(&mut c);
    let before = dirty(&c);
    // A new key: every write counts, even one that writes zero.
    assert_eq!(c.cmd(&["BITFIELD", "f", "SET", "u8", "0", "0", "SET", "u8", "8", "5"]), "*2\r\n:0\r\n:0\r\n");
    assert_eq!(published(&mut c, listener), ["setbit f"]);
    assert_eq!(dirty(&c), before + 2);
    // Same values again: nothing changes, nothing is reported.
    assert_eq!(c.cmd(&["BITFIELD", "f", "SET", "u8", "0", "0", "SET", "u8", "8", "5"]), "*2\r\n:0\r\n:5\r\n");
    assert_eq!(published(&mut c, listener), Vec::<String>::new());
    // A refused write (FAIL) changes nothing either.
    assert_eq!(c.cmd(&["BITFIELD", "f", "OVERFLOW", "FAIL", "INCRBY", "u8", "8", "300"]), "*1\r\n$-1\r\n");
    assert_eq!(dirty(&c), before + 2);
    assert_eq!(c.cmd(&["BITFIELD", "f", "INCRBY", "u8", "8", "1", "GET", "u8", "8"]), "*2\r\n:6\r\n:6\r\n");
    assert_eq!(published(&mut c, listener), ["setbit f"]);
    assert_eq!(dirty(&c), before + 3);
}

#[test]
fn setbit_respects_proto_max_bulk_len() {
    let mut c = TestConn::new();
    c.engine.server.config.set("proto-max-bulk-len", "1048576").unwrap();
    let err = "-ERR bit offset is not an integer or out of range\r\n";
    assert_eq!(c.cmd(&["SETBIT", "k", "8388608", "1"]), err);
    assert_eq!(c.cmd(&["GETBIT", "k", "8388608"]), err);
    assert_eq!(c.cmd(&["BITFIELD", "k", "GET", "u8", "#1048576"]), err);
    assert_eq!(c.cmd(&["SETBIT", "k", "8388607", "1"]), ":0\r\n");
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":1048576\r\n");
}
