//! XPENDING XCLAIM XAUTOCLAIM, with idle times on the frozen clock.

use super::{entries, entry, with_stream};
use crate::testing::reply::int;
use crate::testing::TestConn;

fn e(i: u64) -> String {
    entry(&format!("{i}-0"), &["f", &i.to_string()])
}

/// One XPENDING extended row.
fn row(id: &str, consumer: &str, idle: i64, count: i64) -> String {
    format!("*4\r\n${}\r\n{id}\r\n${}\r\n{consumer}\r\n{}{}", id.len(), consumer.len(), int(idle), int(count))
}

/// Four entries, a group, alice holding 1-0 … 3-0 delivered at the start.
fn delivered() -> TestConn {
    let mut t = with_stream("s", 4);
    t.cmd(&["XGROUP", "CREATE", "s", "g", "0"]);
    t.cmd(&["XREADGROUP", "GROUP", "g", "alice", "COUNT", "3", "STREAMS", "s", ">"]);
    t
}

#[test]
fn xpending_summary_and_extended_forms() {
    let mut t = delivered();
    t.advance(50);
    assert_eq!(
        t.cmd(&["XPENDING", "s", "g"]),
        "*4\r\n:3\r\n$3\r\n1-0\r\n$3\r\n3-0\r\n*1\r\n*2\r\n$5\r\nalice\r\n$1\r\n3\r\n"
    );
    assert_eq!(
        t.cmd(&["XPENDING", "s", "g", "(1-0", "+", "10"]),
        format!("*2\r\n{}{}", row("2-0", "alice", 50, 1), row("3-0", "alice", 50, 1))
    );
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "-", "+", "1"]), format!("*1\r\n{}", row("1-0", "alice", 50, 1)));
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "-", "+", "0"]), "*0\r\n");
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "-", "+", "10", "nobody"]), "*0\r\n");
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "IDLE", "51", "-", "+", "10"]), "*0\r\n");
    assert_eq!(
        t.cmd(&["XPENDING", "s", "g", "IDLE", "50", "-", "(2-0", "10", "alice"]),
        format!("*1\r\n{}", row("1-0", "alice", 50, 1))
    );
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "-", "+"]), "-ERR syntax error\r\n");
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "IDLE", "0", "-", "+"]), "-ERR syntax error\r\n");
    assert_eq!(
        t.cmd(&["XPENDING", "s", "g", "IDLE", "x", "-", "+", "10"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "-", "+", "x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(t.cmd(&["XPENDING", "nokey", "g"]), "-NOGROUP No such key 'nokey' or consumer group 'g'\r\n");
    // Redis ignores a ninth argument after the consumer.
    assert_eq!(
        t.cmd(&["XPENDING", "s", "g", "-", "+", "1", "alice", "extra"]),
        format!("*1\r\n{}", row("1-0", "alice", 50, 1))
    );
}

#[test]
fn xclaim_moves_entries_that_are_idle_enough() {
    let mut t = delivered();
    t.advance(100);
    // Only entries idle for at least min-idle-time move.
    assert_eq!(t.cmd(&["XCLAIM", "s", "g", "bob", "101", "1-0"]), "*0\r\n");
    assert_eq!(t.cmd(&["XCLAIM", "s", "g", "bob", "100", "1-0", "2-0"]), entries(&[e(1), e(2)]));
    assert_eq!(
        t.cmd(&["XPENDING", "s", "g", "-", "+", "10"]),
        format!("*3\r\n{}{}{}", row("1-0", "bob", 0, 2), row("2-0", "bob", 0, 2), row("3-0", "alice", 100, 1))
    );
    // 4-0 is pending for nobody: only FORCE claims it (its delivery counts twice without JUSTID).
    assert_eq!(t.cmd(&["XCLAIM", "s", "g", "bob", "0", "4-0"]), "*0\r\n");
    assert_eq!(t.cmd(&["XCLAIM", "s", "g", "bob", "500", "4-0", "FORCE"]), entries(&[e(4)]));
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "4-0", "4-0", "1"]), format!("*1\r\n{}", row("4-0", "bob", 0, 2)));
    // RETRYCOUNT sets the count, IDLE and TIME set the delivery time, JUSTID leaves the count.
    assert_eq!(
        t.cmd(&["XCLAIM", "s", "g", "carol", "0", "3-0", "RETRYCOUNT", "7", "IDLE", "40", "JUSTID"]),
        "*1\r\n$3\r\n3-0\r\n"
    );
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "3-0", "3-0", "1"]), format!("*1\r\n{}", row("3-0", "carol", 40, 7)));
    let time = (t.now() - 25).to_string();
    t.cmd(&["XCLAIM", "s", "g", "carol", "0", "3-0", "TIME", &time, "JUSTID"]);
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "3-0", "3-0", "1"]), format!("*1\r\n{}", row("3-0", "carol", 25, 7)));
    assert_eq!(t.cmd(&["XCLAIM", "s", "g", "carol", "0", "1-0", "LASTID", "9-0", "JUSTID"]), "*1\r\n$3\r\n1-0\r\n");
    assert!(t.cmd(&["XINFO", "GROUPS", "s"]).contains("last-delivered-id\r\n$3\r\n9-0\r\n"));
    assert_eq!(t.cmd(&["XCLAIM", "s", "g", "carol", "0", "1-0", "bad"]), "-ERR Unrecognized XCLAIM option 'bad'\r\n");
    assert_eq!(t.cmd(&["XCLAIM", "s", "g", "carol", "x", "1-0"]), "-ERR Invalid min-idle-time argument for XCLAIM\r\n");
    assert_eq!(
        t.cmd(&["XCLAIM", "s", "g", "carol", "0", "1-0", "IDLE", "x"]),
        "-ERR Invalid IDLE option argument for XCLAIM\r\n"
    );
    assert_eq!(
        t.cmd(&["XCLAIM", "nokey", "g", "c", "0", "1-0"]),
        "-NOGROUP No such key 'nokey' or consumer group 'g'\r\n"
    );
    // A deleted entry leaves the PEL when claimed.
    t.cmd(&["XDEL", "s", "2-0"]);
    assert_eq!(t.cmd(&["XCLAIM", "s", "g", "carol", "0", "2-0"]), "*0\r\n");
    assert_eq!(t.cmd(&["XPENDING", "s", "g", "2-0", "2-0", "1"]), "*0\r\n");
}

#[test]
fn xautoclaim_scans_the_pel_from_a_cursor() {
    let mut t = delivered();
    t.cmd(&["XDEL", "s", "2-0"]);
    t.advance(10);
    assert_eq!(
        t.cmd(&["XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "1"]),
        format!("*3\r\n$3\r\n2-0\r\n{}*0\r\n", entries(&[e(1)]))
    );
    // The deleted 2-0 counts towards COUNT and is reported.
    assert_eq!(
        t.cmd(&["XAUTOCLAIM", "s", "g", "dave", "0", "2-0", "COUNT", "1", "JUSTID"]),
        "*3\r\n$3\r\n3-0\r\n*0\r\n*1\r\n$3\r\n2-0\r\n"
    );
    assert_eq!(t.cmd(&["XAUTOCLAIM", "s", "g", "dave", "11", "0"]), "*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n");
    assert_eq!(
        t.cmd(&["XAUTOCLAIM", "s", "g", "dave", "10", "(1-0"]),
        format!("*3\r\n$3\r\n0-0\r\n{}*0\r\n", entries(&[e(3)]))
    );
    assert_eq!(t.cmd(&["XAUTOCLAIM", "s", "g", "dave", "0", "0", "COUNT", "0"]), "-ERR COUNT must be > 0\r\n");
    assert_eq!(t.cmd(&["XAUTOCLAIM", "s", "g", "dave", "0", "0", "FOO"]), "-ERR syntax error\r\n");
    assert_eq!(
        t.cmd(&["XAUTOCLAIM", "s", "nog", "dave", "0", "0"]),
        "-NOGROUP No such key 's' or consumer group 'nog'\r\n"
    );
    assert_eq!(
        t.cmd(&["XAUTOCLAIM", "s", "g", "dave", "x", "0"]),
        "-ERR Invalid min-idle-time argument for XAUTOCLAIM\r\n"
    );
    assert_eq!(
        t.cmd(&["XAUTOCLAIM", "s", "g", "dave", "0", "(18446744073709551615-18446744073709551615"]),
        "-ERR invalid start ID for the interval\r\n"
    );
    assert_eq!(
        t.cmd(&["XPENDING", "s", "g"]),
        "*4\r\n:2\r\n$3\r\n1-0\r\n$3\r\n3-0\r\n*1\r\n*2\r\n$4\r\ndave\r\n$1\r\n2\r\n"
    );
}

#[test]
fn xack_counts_what_was_pending() {
    let mut t = delivered();
    assert_eq!(t.cmd(&["XACK", "s", "g", "1-0", "9-0", "1-0"]), int(1));
    assert_eq!(t.cmd(&["XACK", "s", "g", "bad"]), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(t.cmd(&["XACK", "s", "nog", "bad"]), int(0));
    assert_eq!(t.cmd(&["XACK", "nokey", "g", "1-0"]), int(0));
    assert_eq!(
        t.cmd(&["XPENDING", "s", "g", "-", "+", "10", "alice"]),
        format!("*2\r\n{}{}", row("2-0", "alice", 0, 1), row("3-0", "alice", 0, 1))
    );
}
