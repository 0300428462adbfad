//! LREM LTRIM.

use super::*;

#[test]
pub(super) fn lrem() {
    let c = run_owned(script![
        ("LREM k 0 a", int(0)),
        ("RPUSH k a b a c a b a", int(7)),
        ("LREM k 2 a", int(2)),
        ("LRANGE k 0 -1", bulks(&["b", "c", "a", "b", "a"])),
        ("LREM k -1 b", int(1)),
        ("LRANGE k 0 -1", bulks(&["b", "c", "a", "a"])),
        ("LREM k 0 a", int(2)),
        ("LREM k 0 nope", int(0)),
        ("LREM k 100 c", int(1)),
        ("LREM k -100 b", int(1)),
        ("EXISTS k", int(0)),
        ("RPUSH k x y x", int(3)),
        ("LREM k -9223372036854775808 x", int(2)),
        ("LRANGE k 0 -1", bulks(&["y"])),
        ("LREM k abc x", NOT_INTEGER),
        ("LREM nokey abc x", NOT_INTEGER),
        ("SET s v", OK),
        ("LREM s 0 x", WRONGTYPE),
        ("LREM s abc x", NOT_INTEGER),
        ("LREM k 0", "-ERR wrong number of arguments for 'lrem' command\r\n"),
    ]);
    // 7 + 3 pushed, 2 + 1 + 2 + 1 + 1 + 2 removed, the SET.
    assert_eq!(stats(&c).2, 20);
}

#[test]
pub(super) fn ltrim() {
    let c = run_owned(script![
        ("LTRIM k 0 1", OK),
        ("EXISTS k", int(0)),
        ("RPUSH k a b c d e f", int(6)),
        ("LTRIM k 1 -2", OK),
        ("LRANGE k 0 -1", bulks(&["b", "c", "d", "e"])),
        ("LTRIM k -3 100", OK),
        ("LRANGE k 0 -1", bulks(&["c", "d", "e"])),
        ("LTRIM k 0 -1", OK),
        ("LRANGE k 0 -1", bulks(&["c", "d", "e"])),
        ("LTRIM k -100 0", OK),
        ("LRANGE k 0 -1", bulks(&["c"])),
        // An empty range empties the list, which takes the key with it.
        ("LTRIM k 1 0", OK),
        ("EXISTS k", int(0)),
        ("RPUSH k a b c", int(3)),
        ("LTRIM k 5 10", OK),
        ("EXISTS k", int(0)),
        ("RPUSH k a b c", int(3)),
        ("LTRIM k -1 -2", OK),
        ("EXISTS k", int(0)),
        ("RPUSH k a b c", int(3)),
        ("LTRIM k -9223372036854775808 9223372036854775807", OK),
        ("LLEN k", int(3)),
        ("LTRIM k a 1", NOT_INTEGER),
        ("LTRIM k 0 b", NOT_INTEGER),
        ("LTRIM nokey a 1", NOT_INTEGER),
        ("SET s v", OK),
        ("LTRIM s 0 1", WRONGTYPE),
        ("LTRIM s a 1", NOT_INTEGER),
        ("LTRIM k 0", "-ERR wrong number of arguments for 'ltrim' command\r\n"),
    ]);
    // 6 + 3 + 3 + 3 pushed; 2 + 1 + 0 + 2 + 1 + 3 + 3 trimmed; the SET.
    assert_eq!(stats(&c).2, 28);
}
