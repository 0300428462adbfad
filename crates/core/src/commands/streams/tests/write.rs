//! XADD XLEN XRANGE XREVRANGE XDEL XTRIM XSETID.

use super::{entries, entry, with_stream, INVALID_ID, OK, WRONGTYPE};
use crate::testing::reply::{bulk, int};
use crate::testing::TestConn;

#[test]
fn xadd_takes_explicit_ids_in_order_and_refuses_smaller_ones() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["XADD", "s", "1-1", "a", "1", "b", "2"]), bulk("1-1"));
    assert_eq!(t.cmd(&["XADD", "s", "1-*", "a", "5"]), bulk("1-2"));
    assert_eq!(t.cmd(&["XADD", "s", "2", "c", "6"]), bulk("2-0"));
    let too_small = "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n";
    assert_eq!(t.cmd(&["XADD", "s", "2", "c", "6"]), too_small);
    assert_eq!(t.cmd(&["XADD", "s", "1-5", "c", "6"]), too_small);
    assert_eq!(t.cmd(&["XADD", "s", "0-0", "x", "y"]), "-ERR The ID specified in XADD must be greater than 0-0\r\n");
    assert_eq!(t.cmd(&["XADD", "s", "bad", "f", "v"]), INVALID_ID);
    assert_eq!(t.cmd(&["XADD", "s", "3-0", "x"]), "-ERR wrong number of arguments for 'xadd' command\r\n");
    assert_eq!(t.cmd(&["XADD", "s", "MAXLEN", "2"]), "-ERR wrong number of arguments for 'xadd' command\r\n");
    assert_eq!(t.cmd(&["XLEN", "s"]), int(3));
}

#[test]
fn star_ids_come_from_the_command_clock() {
    let mut t = TestConn::new();
    let now = t.now();
    assert_eq!(t.cmd(&["XADD", "s", "*", "f", "v"]), bulk(&format!("{now}-0")));
    assert_eq!(t.cmd(&["XADD", "s", "*", "f", "v"]), bulk(&format!("{now}-1")));
    t.advance(5);
    assert_eq!(t.cmd(&["XADD", "s", "*", "f", "v"]), bulk(&format!("{}-0", now + 5)));
    // A last ID ahead of the clock keeps counting from itself.
    let ahead = (now + 1000).to_string();
    t.cmd(&["XADD", "s", &format!("{ahead}-7"), "f", "v"]);
    assert_eq!(t.cmd(&["XADD", "s", "*", "f", "v"]), bulk(&format!("{ahead}-8")));
    assert_eq!(t.cmd(&["XADD", "s", &format!("{ahead}-*"), "f", "v"]), bulk(&format!("{ahead}-9")));
}

#[test]
fn the_last_possible_id_exhausts_the_stream() {
    let mut t = TestConn::new();
    let max = "18446744073709551615-18446744073709551615";
    assert_eq!(t.cmd(&["XADD", "s", max, "f", "v"]), bulk(max));
    assert_eq!(
        t.cmd(&["XADD", "s", "*", "f", "v"]),
        "-ERR The stream has exhausted the last possible ID, unable to add more items\r\n"
    );
}

#[test]
fn nomkstream_and_option_errors() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["XADD", "s", "NOMKSTREAM", "5-1", "f", "v"]), "$-1\r\n");
    assert_eq!(t.cmd(&["EXISTS", "s"]), int(0));
    assert_eq!(t.cmd(&["XADD", "s", "MAXLEN", "-1", "*", "f", "v"]), "-ERR The MAXLEN argument must be >= 0.\r\n");
    assert_eq!(
        t.cmd(&["XADD", "s", "MAXLEN", "2", "MINID", "1", "*", "f", "v"]),
        "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n"
    );
    assert_eq!(
        t.cmd(&["XADD", "s", "LIMIT", "10", "*", "f", "v"]),
        "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n"
    );
    assert_eq!(
        t.cmd(&["XADD", "s", "MAXLEN", "10", "LIMIT", "10", "*", "f", "v"]),
        "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n"
    );
    assert_eq!(
        t.cmd(&["XADD", "s", "MAXLEN", "~", "1", "LIMIT", "-1", "*", "f", "v"]),
        "-ERR The LIMIT argument must be >= 0.\r\n"
    );
    assert_eq!(t.cmd(&["EXISTS", "s"]), int(0));
    t.cmd(&["SET", "str", "x"]);
    assert_eq!(t.cmd(&["XADD", "str", "*", "a", "b"]), WRONGTYPE);
}

#[test]
fn xadd_trims_exactly_or_by_whole_nodes() {
    let mut t = with_stream("s", 5);
    assert_eq!(t.cmd(&["XADD", "s", "MAXLEN", "2", "6-0", "f", "6"]), bulk("6-0"));
    assert_eq!(t.cmd(&["XRANGE", "s", "-", "+"]), entries(&[entry("5-0", &["f", "5"]), entry("6-0", &["f", "6"])]));
    // With `~` nothing goes until a whole node (100 entries) can.
    let mut t = with_stream("s", 150);
    assert_eq!(t.cmd(&["XADD", "s", "MAXLEN", "~", "10", "151-0", "f", "v"]), bulk("151-0"));
    assert_eq!(t.cmd(&["XLEN", "s"]), int(51));
    assert_eq!(t.cmd(&["XADD", "s", "MINID", "=", "149", "152-0", "f", "v"]), bulk("152-0"));
    assert_eq!(t.cmd(&["XLEN", "s"]), int(4));
}

#[test]
fn xrange_reads_inclusive_exclusive_and_counted_ranges() {
    let mut t = with_stream("s", 4);
    let e = |i: u64| entry(&format!("{i}-0"), &["f", &i.to_string()]);
    assert_eq!(t.cmd(&["XRANGE", "s", "-", "+"]), entries(&[e(1), e(2), e(3), e(4)]));
    assert_eq!(t.cmd(&["XRANGE", "s", "(1-0", "(4-0"]), entries(&[e(2), e(3)]));
    // A bare end means its last sequence, so `(4` still includes 4-0.
    assert_eq!(t.cmd(&["XRANGE", "s", "(1-0", "(4"]), entries(&[e(2), e(3), e(4)]));
    assert_eq!(t.cmd(&["XRANGE", "s", "2", "2"]), entries(&[e(2)]));
    assert_eq!(t.cmd(&["XRANGE", "s", "-", "+", "COUNT", "2"]), entries(&[e(1), e(2)]));
    assert_eq!(t.cmd(&["XRANGE", "s", "-", "+", "COUNT", "0"]), "*-1\r\n");
    assert_eq!(t.cmd(&["XRANGE", "s", "-", "+", "COUNT", "-1"]), "*-1\r\n");
    assert_eq!(t.cmd(&["XRANGE", "s", "-", "+", "COUNT"]), "-ERR syntax error\r\n");
    assert_eq!(t.cmd(&["XREVRANGE", "s", "+", "-", "COUNT", "2"]), entries(&[e(4), e(3)]));
    assert_eq!(t.cmd(&["XREVRANGE", "s", "(4-0", "(1"]), entries(&[e(3), e(2)]));
    assert_eq!(t.cmd(&["XRANGE", "s", "3", "1"]), "*0\r\n");
    assert_eq!(
        t.cmd(&["XRANGE", "s", "(18446744073709551615-18446744073709551615", "+"]),
        "-ERR invalid start ID for the interval\r\n"
    );
    assert_eq!(t.cmd(&["XRANGE", "s", "-", "(0-0"]), "-ERR invalid end ID for the interval\r\n");
    assert_eq!(t.cmd(&["XRANGE", "s", "(-", "+"]), INVALID_ID);
    assert_eq!(t.cmd(&["XRANGE", "s", "(", "+"]), INVALID_ID);
    assert_eq!(t.cmd(&["XRANGE", "nokey", "-", "+"]), "*0\r\n");
    assert_eq!(t.cmd(&["XLEN", "nokey"]), int(0));
}

#[test]
fn entries_sharing_field_names_and_not_read_back_alike() {
    let mut t = TestConn::new();
    t.cmd(&["XADD", "s", "1", "a", "1", "b", "2"]);
    t.cmd(&["XADD", "s", "2", "a", "3", "b", "4"]);
    t.cmd(&["XADD", "s", "3", "b", "5"]);
    t.cmd(&["XADD", "s", "4", "a", "", "b", "12345678901234567890123"]);
    assert_eq!(
        t.cmd(&["XRANGE", "s", "-", "+"]),
        entries(&[
            entry("1-0", &["a", "1", "b", "2"]),
            entry("2-0", &["a", "3", "b", "4"]),
            entry("3-0", &["b", "5"]),
            entry("4-0", &["a", "", "b", "12345678901234567890123"]),
        ])
    );
}

#[test]
fn xdel_leaves_tombstones_that_lag_accounting_sees() {
    let mut t = with_stream("s", 3);
    assert_eq!(t.cmd(&["XDEL", "s", "1-0", "1-0", "9-9"]), int(1));
    assert_eq!(t.cmd(&["XDEL", "s", "bad"]), INVALID_ID);
    assert_eq!(t.cmd(&["XDEL", "nokey", "bad"]), int(0));
    assert_eq!(t.cmd(&["XRANGE", "s", "-", "+", "COUNT", "1"]), entries(&[entry("2-0", &["f", "2"])]));
    let info = t.cmd(&["XINFO", "STREAM", "s"]);
    assert!(info.contains("$20\r\nmax-deleted-entry-id\r\n$3\r\n1-0\r\n"), "{info}");
    assert!(info.contains("$23\r\nrecorded-first-entry-id\r\n$3\r\n2-0\r\n"), "{info}");
    assert_eq!(t.cmd(&["XDEL", "s", "2-0", "3-0"]), int(2));
    assert!(t.cmd(&["XINFO", "STREAM", "s"]).contains("recorded-first-entry-id\r\n$3\r\n0-0\r\n"));
    assert_eq!(t.cmd(&["EXISTS", "s"]), int(1));
}

#[test]
fn xtrim_by_length_and_id() {
    let mut t = with_stream("s", 10);
    assert_eq!(t.cmd(&["XTRIM", "s", "MAXLEN", "8"]), int(2));
    assert_eq!(t.cmd(&["XTRIM", "s", "MINID", "5"]), int(2));
    assert_eq!(t.cmd(&["XTRIM", "s", "MAXLEN", "=", "3"]), int(3));
    assert_eq!(t.cmd(&["XRANGE", "s", "-", "-"]), "*0\r\n");
    assert_eq!(t.cmd(&["XLEN", "s"]), int(3));
    assert_eq!(t.cmd(&["XTRIM", "s"]), "-ERR wrong number of arguments for 'xtrim' command\r\n");
    assert_eq!(t.cmd(&["XTRIM", "s", "FOO", "1"]), "-ERR syntax error\r\n");
    assert_eq!(t.cmd(&["XTRIM", "s", "LIMIT", "1", "x"]), "-ERR syntax error\r\n");
    assert_eq!(t.cmd(&["XTRIM", "nokey", "MAXLEN", "1"]), int(0));
    let mut t = with_stream("s", 250);
    // Whole nodes only, at most LIMIT entries.
    assert_eq!(t.cmd(&["XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "50"]), int(0));
    assert_eq!(t.cmd(&["XTRIM", "s", "MAXLEN", "~", "0", "LIMIT", "100"]), int(100));
    assert_eq!(t.cmd(&["XTRIM", "s", "MINID", "~", "240"]), int(100));
    assert_eq!(t.cmd(&["XLEN", "s"]), int(50));
}

#[test]
fn xsetid_moves_the_last_id_with_redis_checks() {
    let mut t = with_stream("s", 5);
    t.cmd(&["XDEL", "s", "2-0"]);
    assert_eq!(
        t.cmd(&["XSETID", "s", "1-0"]),
        "-ERR The ID specified in XSETID is smaller than current max_deleted_entry_id\r\n"
    );
    assert_eq!(
        t.cmd(&["XSETID", "s", "3-0"]),
        "-ERR The ID specified in XSETID is smaller than the target stream top item\r\n"
    );
    assert_eq!(
        t.cmd(&["XSETID", "s", "99-0", "ENTRIESADDED", "1"]),
        "-ERR The entries_added specified in XSETID is smaller than the target stream length\r\n"
    );
    assert_eq!(
        t.cmd(&["XSETID", "s", "99-0", "MAXDELETEDID", "100-0"]),
        "-ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id\r\n"
    );
    assert_eq!(t.cmd(&["XSETID", "s", "99-0", "ENTRIESADDED", "-1"]), "-ERR entries_added must be positive\r\n");
    assert_eq!(t.cmd(&["XSETID", "s", "99-0", "ENTRIESADDED", "100", "MAXDELETEDID", "50-0"]), OK);
    assert_eq!(
        t.cmd(&["XSETID", "s", "40-0"]),
        "-ERR The ID specified in XSETID is smaller than current max_deleted_entry_id\r\n"
    );
    assert_eq!(t.cmd(&["XSETID", "nokey", "1-1"]), "-ERR no such key\r\n");
    assert_eq!(t.cmd(&["XSETID", "s", "99-0", "FOO"]), "-ERR syntax error\r\n");
    let info = t.cmd(&["XINFO", "STREAM", "s"]);
    assert!(info.contains("last-generated-id\r\n$4\r\n99-0\r\n"), "{info}");
    assert!(info.contains("entries-added\r\n:100\r\n"), "{info}");
    assert!(t.cmd(&["XADD", "s", "99-0", "f", "v"]).starts_with("-ERR The ID specified in XADD"));
}

#[test]
fn nodes_split_at_the_configured_limits() {
    let mut t = TestConn::new();
    t.engine.server.config.set("stream-node-max-entries", "5").unwrap();
    t.engine.server.config.set("stream-node-max-bytes", "100").unwrap();
    for i in 1..60 {
        t.cmd(&["XADD", "s", &format!("{i}-{i}"), &format!("f{}", i % 2), &"x".repeat(i * 3)]);
    }
    // Numbers from redis-server 7.2.4 for the same commands and limits.
    let info = t.cmd(&["XINFO", "STREAM", "s"]);
    assert!(info.contains("radix-tree-keys\r\n:53\r\n$16\r\nradix-tree-nodes\r\n:108\r\n"), "{info}");
    assert_eq!(t.cmd(&["XTRIM", "s", "MAXLEN", "~", "30"]), int(29));
    let info = t.cmd(&["XINFO", "STREAM", "s"]);
    assert!(info.contains("radix-tree-keys\r\n:30\r\n$16\r\nradix-tree-nodes\r\n:62\r\n"), "{info}");
}
