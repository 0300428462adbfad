//! SORT through the real `feed` path; the replies were checked against
//! redis-server (the differential suite compares the rest byte for byte).

use crate::testing::TestConn;

fn with_data() -> TestConn {
    let mut t = TestConn::new();
    t.cmd(&["RPUSH", "l", "3", "10", "1", "2"]);
    t.cmd(&["MSET", "w_3", "30", "w_10", "5", "w_1", "20", "name_3", "c", "name_1", "a"]);
    t.cmd(&["HSET", "h_3", "f", "x3"]);
    t.cmd(&["HSET", "h_10", "f", "x10"]);
    t
}

#[test]
fn numeric_alpha_desc_and_limit() {
    let mut t = with_data();
    assert_eq!(t.cmd(&["SORT", "l"]), "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n");
    assert_eq!(t.cmd(&["SORT", "l", "ALPHA"]), "*4\r\n$1\r\n1\r\n$2\r\n10\r\n$1\r\n2\r\n$1\r\n3\r\n");
    assert_eq!(t.cmd(&["SORT", "l", "DESC", "LIMIT", "1", "2"]), "*2\r\n$1\r\n3\r\n$1\r\n2\r\n");
    assert_eq!(t.cmd(&["SORT", "l", "LIMIT", "10", "2"]), "*0\r\n");
    assert_eq!(t.cmd(&["SORT", "missing"]), "*0\r\n");
}

#[test]
fn by_and_get_patterns_with_hash_fields() {
    let mut t = with_data();
    // w_2 is missing: it sorts as 0.
    assert_eq!(t.cmd(&["SORT", "l", "BY", "w_*"]), "*4\r\n$1\r\n2\r\n$2\r\n10\r\n$1\r\n1\r\n$1\r\n3\r\n");
    assert_eq!(
        t.cmd(&["SORT", "l", "BY", "w_*", "GET", "#", "GET", "name_*", "GET", "h_*->f"]),
        "*12\r\n$1\r\n2\r\n$-1\r\n$-1\r\n$2\r\n10\r\n$-1\r\n$3\r\nx10\r\n$1\r\n1\r\n$1\r\na\r\n$-1\r\n$1\r\n3\r\n$1\r\nc\r\n$2\r\nx3\r\n"
    );
    // A constant BY keeps the list's own order (reversed with DESC).
    assert_eq!(t.cmd(&["SORT", "l", "BY", "nosort", "DESC", "LIMIT", "0", "2"]), "*2\r\n$1\r\n2\r\n$1\r\n1\r\n");
}

#[test]
fn store_makes_a_list_or_deletes() {
    let mut t = with_data();
    assert_eq!(t.cmd(&["SORT", "l", "GET", "name_*", "STORE", "dst"]), ":4\r\n");
    assert_eq!(t.cmd(&["LRANGE", "dst", "0", "-1"]), "*4\r\n$1\r\na\r\n$0\r\n\r\n$1\r\nc\r\n$0\r\n\r\n");
    assert_eq!(t.cmd(&["SORT", "missing", "STORE", "dst"]), ":0\r\n");
    assert_eq!(t.cmd(&["EXISTS", "dst"]), ":0\r\n");
    assert_eq!(t.cmd(&["SORT_RO", "l", "STORE", "dst"]), "-ERR syntax error\r\n");
}

#[test]
fn errors() {
    let mut t = with_data();
    t.cmd(&["RPUSH", "words", "a", "b"]);
    assert_eq!(t.cmd(&["SORT", "words"]), "-ERR One or more scores can't be converted into double\r\n");
    assert_eq!(t.cmd(&["SORT", "w_1"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(t.cmd(&["SORT", "l", "LIMIT", "x", "1"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(t.cmd(&["SORT", "l", "FOO"]), "-ERR syntax error\r\n");
}
