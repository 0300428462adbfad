//! LPUSH RPUSH LPUSHX RPUSHX LINSERT LSET.

use super::*;

#[test]
pub(super) fn push_to_both_ends() {
    let c = run_owned(script![
        ("RPUSH k a", int(1)),
        ("RPUSH k b c", int(3)),
        ("LPUSH k z y", int(5)),
        ("LRANGE k 0 -1", bulks(&["y", "z", "a", "b", "c"])),
        ("lpush k x", int(6)),
        ("rPush k d", int(7)),
        ("LRANGE k 0 -1", bulks(&["x", "y", "z", "a", "b", "c", "d"])),
        // Duplicates and integers are elements like any other.
        ("RPUSH n 1 1 -1 10", int(4)),
        ("LRANGE n 0 -1", bulks(&["1", "1", "-1", "10"])),
        ("SET s v", OK),
        ("LPUSH s a", WRONGTYPE),
        ("RPUSH s a", WRONGTYPE),
        ("GET s", bulk("v")),
        ("LPUSH k", "-ERR wrong number of arguments for 'lpush' command\r\n"),
        ("RPUSH k", "-ERR wrong number of arguments for 'rpush' command\r\n"),
    ]);
    // 1 + 2 + 2 + 1 + 1 + 4 elements pushed, the SET.
    assert_eq!(stats(&c).2, 12);
}

#[test]
pub(super) fn pushx_only_on_existing_lists() {
    let c = run_owned(script![
        ("LPUSHX k a", int(0)),
        ("RPUSHX k a b", int(0)),
        ("EXISTS k", int(0)),
        ("RPUSH k m", int(1)),
        ("LPUSHX k a b", int(3)),
        ("RPUSHX k y z", int(5)),
        ("LRANGE k 0 -1", bulks(&["b", "a", "m", "y", "z"])),
        ("SET s v", OK),
        ("LPUSHX s a", WRONGTYPE),
        ("RPUSHX s a", WRONGTYPE),
        ("LPUSHX k", "-ERR wrong number of arguments for 'lpushx' command\r\n"),
        ("RPUSHX k", "-ERR wrong number of arguments for 'rpushx' command\r\n"),
    ]);
    assert_eq!(stats(&c).2, 6);
}

#[test]
fn binary_and_empty_elements() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd_bytes(&[b"RPUSH", b"k", b"", b"\x00\r\n\xff", b""]), b":3\r\n");
    assert_eq!(c.cmd_bytes(&[b"LRANGE", b"k", b"0", b"-1"]), b"*3\r\n$0\r\n\r\n$4\r\n\x00\r\n\xff\r\n$0\r\n\r\n");
    assert_eq!(c.cmd_bytes(&[b"LPOS", b"k", b""]), b":0\r\n");
    assert_eq!(c.cmd_bytes(&[b"LREM", b"k", b"0", b""]), b":2\r\n");
    assert_eq!(c.cmd_bytes(&[b"LINDEX", b"k", b"0"]), b"$4\r\n\x00\r\n\xff\r\n");
    assert_eq!(c.cmd_bytes(&[b"RPUSH", b"\xff\x00", b"x"]), b":1\r\n");
    assert_eq!(c.cmd_bytes(&[b"LMPOP", b"1", b"\xff\x00", b"LEFT"]), b"*2\r\n$2\r\n\xff\x00\r\n*1\r\n$1\r\nx\r\n");
    // Long elements (varint lengths of 2 and 3 bytes) survive every path.
    let long = vec![b'x'; 20_000];
    assert_eq!(c.cmd_bytes(&[b"LPUSH", b"k", &long, b"200-bytes"]), b":3\r\n");
    let mut want = b"$20000\r\n".to_vec();
    want.extend_from_slice(&long);
    want.extend_from_slice(b"\r\n");
    assert_eq!(c.cmd_bytes(&[b"LINDEX", b"k", b"1"]), want);
    assert_eq!(c.cmd_bytes(&[b"RPOP", b"k"]), b"$4\r\n\x00\r\n\xff\r\n");
    assert_eq!(c.cmd_bytes(&[b"RPOP", b"k"]), want);
}

#[test]
pub(super) fn linsert() {
    let c = run_owned(script![
        ("LINSERT k BEFORE a x", int(0)),
        ("EXISTS k", int(0)),
        ("RPUSH k a b c b", int(4)),
        ("LINSERT k BEFORE b x", int(5)),
        ("LINSERT k AFTER b y", int(6)),
        ("LRANGE k 0 -1", bulks(&["a", "x", "b", "y", "c", "b"])),
        ("LINSERT k after c z", int(7)),
        ("LINSERT k before a first", int(8)),
        ("LINSERT k AFTER b last", int(9)),
        ("LRANGE k 0 -1", bulks(&["first", "a", "x", "b", "last", "y", "c", "z", "b"])),
        // No pivot: -1 and nothing changes.
        ("LINSERT k BEFORE nope x", int(-1)),
        ("LLEN k", int(9)),
        ("LINSERT k AROUND a x", SYNTAX),
        ("LINSERT nokey AROUND a x", SYNTAX),
        ("SET s v", OK),
        ("LINSERT s BEFORE a x", WRONGTYPE),
        ("LINSERT s AROUND a x", SYNTAX),
        ("LINSERT k BEFORE a", "-ERR wrong number of arguments for 'linsert' command\r\n"),
    ]);
    // 4 pushed, 5 inserts, the SET.
    assert_eq!(stats(&c).2, 10);
}

#[test]
pub(super) fn lset() {
    run_owned(script![
        ("LSET k 0 x", "-ERR no such key\r\n"),
        ("LSET k abc x", "-ERR no such key\r\n"),
        ("RPUSH k a b c", int(3)),
        ("LSET k 0 x", OK),
        ("LSET k -1 z", OK),
        ("LSET k 1 yy", OK),
        ("LRANGE k 0 -1", bulks(&["x", "yy", "z"])),
        ("LSET k 3 w", "-ERR index out of range\r\n"),
        ("LSET k -4 w", "-ERR index out of range\r\n"),
        ("LSET k abc w", NOT_INTEGER),
        ("LSET k 1.5 w", NOT_INTEGER),
        ("LSET k 99999999999999999999 w", NOT_INTEGER),
        ("SET s v", OK),
        ("LSET s 0 x", WRONGTYPE),
        ("LSET s abc x", WRONGTYPE),
        ("LRANGE k 0 -1", bulks(&["x", "yy", "z"])),
    ]);
}

#[test]
fn lset_index_wraps_at_32_bits_as_in_7_2() {
    // Redis 7.2 passes LSET's index to a C int (7.0 kept the long).
    run_owned(script![
        ("RPUSH k a b c", int(3)),
        ("LSET k 4294967296 x", OK),
        ("LSET k 4294967298 z", OK),
        ("LSET k 4294967295 w", OK),
        ("LRANGE k 0 -1", bulks(&["x", "b", "w"])),
        ("LSET k 2147483648 v", "-ERR index out of range\r\n"),
    ]);
}
