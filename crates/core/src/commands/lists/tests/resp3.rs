//! Replies that differ under RESP3 (HELLO 3): nulls.

use super::*;

#[test]
fn resp3_nulls() {
    run_owned(script![
        ("HELLO 3", ANY),
        ("LPOP k", "_\r\n"),
        ("RPOP k 2", "_\r\n"),
        ("LINDEX k 0", "_\r\n"),
        ("LPOS k a", "_\r\n"),
        ("LPOS k a COUNT 0", EMPTY),
        ("LMPOP 1 k LEFT", "_\r\n"),
        ("LMOVE k d LEFT LEFT", "_\r\n"),
        ("RPOPLPUSH k d", "_\r\n"),
        ("LRANGE k 0 -1", EMPTY),
        ("RPUSH k a", int(1)),
        ("LINDEX k 5", "_\r\n"),
        ("LPOS k b", "_\r\n"),
        ("LPOP k 0", EMPTY),
        ("LMPOP 1 k LEFT COUNT 3", "*2\r\n$1\r\nk\r\n*1\r\n$1\r\na\r\n"),
        ("HELLO 2", ANY),
        ("LPOP k", NULL),
    ]);
}
