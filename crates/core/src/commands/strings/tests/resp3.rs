//! Replies that differ under RESP3 (HELLO 3). Every reply here was checked
//! against redis-server.

use super::*;

#[test]
fn resp3_nulls() {
    let mut c = TestConn::new();
    c.cmd(&["HELLO", "3"]);
    assert_eq!(c.cmd(&["GET", "k"]), "_\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "XX"]), "_\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "GET"]), "_\r\n");
    assert_eq!(c.cmd(&["SET", "k", "w", "NX"]), "_\r\n");
    assert_eq!(c.cmd(&["SETNX", "k", "w"]), ":0\r\n");
    assert_eq!(c.cmd(&["MGET", "k", "missing"]), "*2\r\n$1\r\nv\r\n_\r\n");
    assert_eq!(c.cmd(&["GETEX", "missing", "EX", "10"]), "_\r\n");
    assert_eq!(c.cmd(&["GETDEL", "missing"]), "_\r\n");
    assert_eq!(c.cmd(&["GETSET", "missing", "v"]), "_\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "nothing", "0", "-1"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["INCRBYFLOAT", "f", "1.5"]), "$3\r\n1.5\r\n");
    assert_eq!(c.cmd(&["SET", "k2", "v", "NX", "GET"]), "_\r\n");
}

#[test]
fn resp3_lcs_idx_is_a_map() {
    let mut c = TestConn::new();
    c.cmd(&["HELLO", "3"]);
    assert_eq!(c.cmd(&["MSET", "key1", "ohmytext", "key2", "mynewtext"]), "+OK\r\n");
    assert_eq!(
        c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"]),
        "%2\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n"
    );
    assert_eq!(c.cmd(&["LCS", "key1", "key2", "LEN"]), ":6\r\n");
    assert_eq!(c.cmd(&["LCS", "key1", "key2"]), "$6\r\nmytext\r\n");
    assert_eq!(c.cmd(&["LCS", "a", "b", "IDX"]), "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n");
}
