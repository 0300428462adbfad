//! The readers (GET MGET STRLEN), the GET-and-change commands (GETEX
//! GETDEL GETSET) and the multi-key writers (MSET MSETNX). Every reply here
//! was checked against redis-server.

use super::*;

#[test]
fn get() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
    assert_eq!(c.cmd(&["SET", "k", "hello"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$5\r\nhello\r\n");
    assert_eq!(c.cmd(&["SET", "k", "12"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$2\r\n12\r\n");
    assert_eq!(c.cmd(&["SET", "k", "-9223372036854775808"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$20\r\n-9223372036854775808\r\n");
    assert_eq!(c.cmd(&["GET"]), "-ERR wrong number of arguments for 'get' command\r\n");
    assert_eq!(c.cmd(&["GET", "a", "b"]), "-ERR wrong number of arguments for 'get' command\r\n");
    assert_eq!(stats(&c), (3, 1, 3));
}

#[test]
fn getex_without_options_is_a_get() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["GETEX", "k"]), "$-1\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "100"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETEX", "k"]), "$1\r\nv\r\n");
    assert_eq!(ttl(&mut c, "k"), 100);
    assert_eq!(stats(&c), (1, 1, 1));
}

#[test]
fn getex_sets_deadlines() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "EX", "100"]), "$1\r\nv\r\n");
    assert_eq!(ttl(&mut c, "k"), 100);
    assert_eq!(c.cmd(&["GETEX", "k", "PX", "200000"]), "$1\r\nv\r\n");
    assert_eq!(ttl(&mut c, "k"), 200);
    assert_eq!(c.cmd(&["GETEX", "k", "EXAT", "4102444800"]), "$1\r\nv\r\n");
    assert_eq!(pexpiretime(&mut c, "k"), 4102444800000);
    assert_eq!(c.cmd(&["GETEX", "k", "PXAT", "4102444800123"]), "$1\r\nv\r\n");
    assert_eq!(pexpiretime(&mut c, "k"), 4102444800123);
    assert_eq!(c.cmd(&["GETEX", "k", "ex", "10", "ex", "300"]), "$1\r\nv\r\n");
    assert_eq!(ttl(&mut c, "k"), 300);
    assert_eq!(c.cmd(&["GETEX", "k", "PERSIST"]), "$1\r\nv\r\n");
    assert_eq!(ttl(&mut c, "k"), -1);
    // PERSIST on a key without a deadline changes nothing.
    assert_eq!(c.cmd(&["GETEX", "k", "PERSIST", "PERSIST"]), "$1\r\nv\r\n");
    assert_eq!(ttl(&mut c, "k"), -1);
    assert_eq!(c.cmd(&["SET", "i", "42"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETEX", "i", "EX", "100"]), "$2\r\n42\r\n");
    assert_eq!(encoding(&mut c, "i"), Some("int"));
    assert_eq!(stats(&c), (8, 0, 9));
}

#[test]
fn getex_past_absolute_deadline_deletes() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "EXAT", "1"]), "$1\r\nv\r\n");
    assert_eq!(dbsize(&c), 0);
    assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "PXAT", "1000"]), "$1\r\nv\r\n");
    assert_eq!(dbsize(&c), 0);
    assert_eq!(stats(&c), (2, 1, 4));
}

#[test]
fn getex_errors() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "EX", "0"]), "-ERR invalid expire time in 'getex' command\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "PX", "-1"]), "-ERR invalid expire time in 'getex' command\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "EXAT", "0"]), "-ERR invalid expire time in 'getex' command\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "EX", "abc"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "EX", "9223372036854776"]), "-ERR invalid expire time in 'getex' command\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "PX", "9223372036854775807"]), "-ERR invalid expire time in 'getex' command\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "NX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "XX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "GET"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "KEEPTTL"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "EX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "EX", "10", "PX", "10"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "EX", "10", "PERSIST"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "PERSIST", "EX", "10"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "PXAT", "1", "EXAT", "1"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["GETEX", "k", "FOO"]), "-ERR syntax error\r\n");
    // On a missing key a bad deadline is never looked at, but syntax still is.
    assert_eq!(c.cmd(&["GETEX", "n", "EX", "0"]), "$-1\r\n");
    assert_eq!(c.cmd(&["GETEX", "n", "EX", "abc"]), "$-1\r\n");
    assert_eq!(c.cmd(&["GETEX", "n", "NX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["GETEX"]), "-ERR wrong number of arguments for 'getex' command\r\n");
    assert_eq!(ttl(&mut c, "k"), -1);
    assert_eq!(stats(&c), (6, 2, 1));
}

#[test]
fn getdel() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["GETDEL", "k"]), "$-1\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "100"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETDEL", "k"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["GETDEL", "k"]), "$-1\r\n");
    assert_eq!(dbsize(&c), 0);
    assert_eq!(c.cmd(&["SET", "i", "7"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETDEL", "i"]), "$1\r\n7\r\n");
    assert_eq!(stats(&c), (2, 2, 4));
}

#[test]
fn getset() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["GETSET", "k", "v"]), "$-1\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["GETSET", "k", "123"]), "$1\r\nv\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("int"));
    assert_eq!(c.cmd(&["GETSET", "k", "w"]), "$3\r\n123\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nw\r\n");
    // GETSET drops the deadline, as a plain SET does.
    assert_eq!(c.cmd(&["SET", "t", "v", "EX", "100"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETSET", "t", "w"]), "$1\r\nv\r\n");
    assert_eq!(ttl(&mut c, "t"), -1);
    assert_eq!(stats(&c), (5, 1, 5));
}

#[test]
fn mget() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "a", "1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SET", "b", "two"]), "+OK\r\n");
    assert_eq!(c.cmd(&["MGET", "a", "b", "missing", "a"]), "*4\r\n$1\r\n1\r\n$3\r\ntwo\r\n$-1\r\n$1\r\n1\r\n");
    assert_eq!(c.cmd(&["MGET", "missing"]), "*1\r\n$-1\r\n");
    assert_eq!(c.cmd(&["MGET", "a"]), "*1\r\n$1\r\n1\r\n");
    assert_eq!(stats(&c), (4, 2, 2));
}

#[test]
fn mset() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["MSET", "a", "1", "b", "two"]), "+OK\r\n");
    assert_eq!(c.cmd(&["MGET", "a", "b"]), "*2\r\n$1\r\n1\r\n$3\r\ntwo\r\n");
    assert_eq!(encoding(&mut c, "a"), Some("int"));
    assert_eq!(encoding(&mut c, "b"), Some("embstr"));
    assert_eq!(c.cmd(&["MSET", "a", "x", "a", "y"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "a"]), "$1\r\ny\r\n");
    assert_eq!(c.cmd(&["SET", "t", "v", "EX", "100"]), "+OK\r\n");
    assert_eq!(c.cmd(&["MSET", "t", "w"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "t"), -1);
    // An odd number of arguments past the name is an arity error.
    assert_eq!(c.cmd(&["MSET", "a", "1", "b"]), "-ERR wrong number of arguments for 'mset' command\r\n");
    assert_eq!(c.cmd(&["MSET", "a"]), "-ERR wrong number of arguments for 'mset' command\r\n");
    assert_eq!(c.cmd(&["MSET"]), "-ERR wrong number of arguments for 'mset' command\r\n");
    assert_eq!(stats(&c), (3, 0, 6));
}

#[test]
fn msetnx() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["MSETNX", "a", "1", "b", "2"]), ":1\r\n");
    assert_eq!(c.cmd(&["MGET", "a", "b"]), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    // One existing key and nothing is written.
    assert_eq!(c.cmd(&["MSETNX", "c", "3", "a", "9"]), ":0\r\n");
    assert_eq!(c.cmd(&["MGET", "a", "c"]), "*2\r\n$1\r\n1\r\n$-1\r\n");
    assert_eq!(c.cmd(&["MSETNX", "d", "1", "d", "2"]), ":1\r\n");
    assert_eq!(c.cmd(&["GET", "d"]), "$1\r\n2\r\n");
    assert_eq!(c.cmd(&["MSETNX", "e", "1", "f"]), "-ERR wrong number of arguments for 'msetnx' command\r\n");
    assert_eq!(c.cmd(&["MSETNX", "e"]), "-ERR wrong number of arguments for 'msetnx' command\r\n");
    assert_eq!(c.cmd(&["SET", "t", "v", "PX", "100"]), "+OK\r\n");
    c.advance(150);
    assert_eq!(c.cmd(&["MSETNX", "t", "w"]), ":1\r\n");
    assert_eq!(c.cmd(&["GET", "t"]), "$1\r\nw\r\n");
    assert_eq!(stats(&c), (5, 1, 6));
}

#[test]
fn strlen() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":0\r\n");
    assert_eq!(c.cmd(&["SET", "k", "hello"]), "+OK\r\n");
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":5\r\n");
    assert_eq!(c.cmd(&["SET", "k", "12345"]), "+OK\r\n");
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":5\r\n");
    assert_eq!(c.cmd(&["SET", "k", "-1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":2\r\n");
    assert_eq!(c.cmd(&["SET", "k", ""]), "+OK\r\n");
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":0\r\n");
    assert_eq!(stats(&c), (4, 1, 4));
}
