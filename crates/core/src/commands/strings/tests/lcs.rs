//! LCS. Every reply here was checked against redis-server.

use super::*;

#[test]
fn lcs_string_and_len() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["MSET", "key1", "ohmytext", "key2", "mynewtext"]), "+OK\r\n");
    assert_eq!(c.cmd(&["LCS", "key1", "key2"]), "$6\r\nmytext\r\n");
    assert_eq!(c.cmd(&["LCS", "key2", "key1"]), "$6\r\nmytext\r\n");
    assert_eq!(c.cmd(&["LCS", "key1", "key2", "LEN"]), ":6\r\n");
    assert_eq!(c.cmd(&["lcs", "key1", "key2", "len"]), ":6\r\n");
    assert_eq!(c.cmd(&["LCS", "key1", "missing"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["LCS", "missing", "key1", "LEN"]), ":0\r\n");
    assert_eq!(c.cmd(&["LCS", "missing", "other"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["SET", "a", "12345"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SET", "b", "2345"]), "+OK\r\n");
    assert_eq!(c.cmd(&["LCS", "a", "b"]), "$4\r\n2345\r\n");
    assert_eq!(c.cmd(&["LCS", "a", "a"]), "$5\r\n12345\r\n");
    // Ties: the walk back prefers dropping a byte of the second string.
    assert_eq!(c.cmd(&["SET", "x", "ab"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SET", "y", "ba"]), "+OK\r\n");
    assert_eq!(c.cmd(&["LCS", "x", "y"]), "$1\r\nb\r\n");
    assert_eq!(c.cmd(&["LCS", "y", "x"]), "$1\r\na\r\n");
    assert_eq!(c.cmd(&["SET", "x", "abcabc"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SET", "y", "cbacba"]), "+OK\r\n");
    assert_eq!(c.cmd(&["LCS", "x", "y"]), "$3\r\ncbc\r\n");
    assert_eq!(c.cmd(&["LCS", "y", "x"]), "$3\r\naba\r\n");
    assert_eq!(stats(&c), (22, 4, 8));
}

#[test]
fn lcs_idx() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["MSET", "key1", "ohmytext", "key2", "mynewtext"]), "+OK\r\n");
    assert_eq!(c.cmd(&["LCS", "key1", "key2", "IDX"]), "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
    assert_eq!(
        c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4"]),
        "*4\r\n$7\r\nmatches\r\n*1\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n$3\r\nlen\r\n:6\r\n"
    );
    assert_eq!(
        c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "4", "WITHMATCHLEN"]),
        "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n"
    );
    assert_eq!(c.cmd(&["LCS", "key1", "key2", "WITHMATCHLEN", "IDX"]), "*4\r\n$7\r\nmatches\r\n*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:6\r\n");
    assert_eq!(c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "-5"]), "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n");
    assert_eq!(
        c.cmd(&["LCS", "key1", "key2", "IDX", "MINMATCHLEN", "100"]),
        "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:6\r\n"
    );
    assert_eq!(c.cmd(&["LCS", "key1", "key2", "MINMATCHLEN", "4", "LEN"]), ":6\r\n");
    assert_eq!(c.cmd(&["LCS", "key1", "key2", "WITHMATCHLEN"]), "$6\r\nmytext\r\n");
    assert_eq!(c.cmd(&["LCS", "key1", "missing", "IDX"]), "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n");
    assert_eq!(
        c.cmd(&["LCS", "missing", "other", "IDX", "WITHMATCHLEN"]),
        "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n"
    );
    assert_eq!(c.cmd(&["SET", "x", "abcabc"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SET", "y", "cbacba"]), "+OK\r\n");
    assert_eq!(c.cmd(&["LCS", "x", "y", "IDX", "WITHMATCHLEN"]), "*4\r\n$7\r\nmatches\r\n*3\r\n*3\r\n*2\r\n:5\r\n:5\r\n*2\r\n:3\r\n:3\r\n:1\r\n*3\r\n*2\r\n:4\r\n:4\r\n*2\r\n:1\r\n:1\r\n:1\r\n*3\r\n*2\r\n:2\r\n:2\r\n*2\r\n:0\r\n:0\r\n:1\r\n$3\r\nlen\r\n:3\r\n");
    assert_eq!(c.cmd(&["SET", "p", "aaaa"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SET", "q", "aa"]), "+OK\r\n");
    assert_eq!(
        c.cmd(&["LCS", "p", "q", "IDX", "WITHMATCHLEN"]),
        "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n$3\r\nlen\r\n:2\r\n"
    );
    assert_eq!(
        c.cmd(&["LCS", "q", "p", "IDX", "WITHMATCHLEN"]),
        "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:0\r\n:1\r\n*2\r\n:2\r\n:3\r\n:2\r\n$3\r\nlen\r\n:2\r\n"
    );
}

#[test]
fn lcs_errors() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["MSET", "key1", "ohmytext", "key2", "mynewtext"]), "+OK\r\n");
    assert_eq!(
        c.cmd(&["LCS", "key1", "key2", "LEN", "IDX"]),
        "-ERR If you want both the length and indexes, please just use IDX.\r\n"
    );
    assert_eq!(
        c.cmd(&["LCS", "key1", "key2", "IDX", "LEN"]),
        "-ERR If you want both the length and indexes, please just use IDX.\r\n"
    );
    assert_eq!(c.cmd(&["LCS", "key1", "key2", "FOO"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["LCS", "key1", "key2", "MINMATCHLEN"]), "-ERR syntax error\r\n");
    assert_eq!(
        c.cmd(&["LCS", "key1", "key2", "MINMATCHLEN", "abc"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(
        c.cmd(&["LCS", "key1", "key2", "MINMATCHLEN", "1.5", "IDX"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(
        c.cmd(&["LCS", "key1", "key2", "IDX", "IDX", "LEN", "LEN"]),
        "-ERR If you want both the length and indexes, please just use IDX.\r\n"
    );
    assert_eq!(c.cmd(&["LCS", "key1"]), "-ERR wrong number of arguments for 'lcs' command\r\n");
    assert_eq!(c.cmd(&["LCS"]), "-ERR wrong number of arguments for 'lcs' command\r\n");
    assert_eq!(stats(&c), (14, 0, 2));
}

#[test]
fn lcs_table_limited_by_proto_max_bulk_len() {
    let mut c = TestConn::new();
    set_config(&mut c, "proto-max-bulk-len", "1048576");
    // 501 x 501 cells of 4 bytes fit in 1MB; 601 x 601 do not.
    assert_eq!(c.cmd(&["SETRANGE", "a", "499", "x"]), ":500\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "b", "499", "y"]), ":500\r\n");
    assert_eq!(c.cmd(&["LCS", "a", "b", "LEN"]), ":499\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "a", "599", "x"]), ":600\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "b", "599", "y"]), ":600\r\n");
    assert_eq!(
        c.cmd(&["LCS", "a", "b", "LEN"]),
        "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n"
    );
    assert_eq!(
        c.cmd(&["LCS", "a", "b"]),
        "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n"
    );
    assert_eq!(c.cmd(&["LCS", "a", "missing", "LEN"]), ":0\r\n");
}
