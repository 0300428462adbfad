//! SET and its variants. Every reply here was checked against redis-server.

use super::*;

#[test]
fn set_stores_with_redis_encodings() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["SET", "k", "123"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$3\r\n123\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("int"));
    assert_eq!(c.cmd(&["SET", "k", "-123"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("int"));
    assert_eq!(c.cmd(&["SET", "k", "0"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("int"));
    // Leading zeros, "-0", "+1" and spaces are not integers to Redis.
    assert_eq!(c.cmd(&["SET", "k", "007"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["GET", "k"]), "$3\r\n007\r\n");
    assert_eq!(c.cmd(&["SET", "k", "-0"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["SET", "k", "+1"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["SET", "k", " 1"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["SET", "k", "9223372036854775807"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("int"));
    assert_eq!(c.cmd(&["SET", "k", "-9223372036854775808"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("int"));
    assert_eq!(c.cmd(&["SET", "k", "9223372036854775808"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["SET", "k", ""]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["GET", "k"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["SET", "k", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["SET", "k", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]), "+OK\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("raw"));
    assert_eq!(c.cmd(&["GET", "k"]), "$45\r\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n");
    assert_eq!(stats(&c), (5, 0, 14));
}

#[test]
fn set_nx_xx() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v", "XX"]), "$-1\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "NX"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["SET", "k", "w", "NX"]), "$-1\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["SET", "k", "w", "XX"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nw\r\n");
    assert_eq!(c.cmd(&["SET", "k", "x", "nx", "nx"]), "$-1\r\n");
    assert_eq!(c.cmd(&["SET", "k", "x", "Xx", "xX"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nx\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "NX", "XX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "XX", "NX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "XX", "GET", "NX"]), "-ERR syntax error\r\n");
    assert_eq!(stats(&c), (4, 1, 3));
}

#[test]
fn set_get_returns_the_old_value() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v", "GET"]), "$-1\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["SET", "k", "w", "GET"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nw\r\n");
    assert_eq!(c.cmd(&["SET", "k", "x", "GET", "GET"]), "$1\r\nw\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nx\r\n");
    // NX with GET is allowed since 7.0: the old value comes back, nothing is set.
    assert_eq!(c.cmd(&["SET", "k", "y", "NX", "GET"]), "$1\r\nx\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nx\r\n");
    assert_eq!(c.cmd(&["SET", "n", "y", "NX", "GET"]), "$-1\r\n");
    assert_eq!(c.cmd(&["GET", "n"]), "$1\r\ny\r\n");
    assert_eq!(c.cmd(&["SET", "m", "y", "XX", "GET"]), "$-1\r\n");
    assert_eq!(c.cmd(&["GET", "m"]), "$-1\r\n");
    assert_eq!(c.cmd(&["SET", "n", "z", "XX", "GET"]), "$1\r\ny\r\n");
    assert_eq!(c.cmd(&["GET", "n"]), "$1\r\nz\r\n");
    assert_eq!(c.cmd(&["SET", "i", "10", "GET"]), "$-1\r\n");
    assert_eq!(c.cmd(&["SET", "i", "11", "GET"]), "$2\r\n10\r\n");
    assert_eq!(stats(&c), (11, 5, 7));
}

#[test]
fn set_expiry_options() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "100"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "k"), 100);
    assert_eq!(c.cmd(&["SET", "k", "v", "PX", "100000"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "k"), 100);
    assert_eq!(c.cmd(&["SET", "k", "v", "EXAT", "4102444800"]), "+OK\r\n");
    assert_eq!(pexpiretime(&mut c, "k"), 4102444800000);
    assert_eq!(c.cmd(&["SET", "k", "v", "PXAT", "4102444800123"]), "+OK\r\n");
    assert_eq!(pexpiretime(&mut c, "k"), 4102444800123);
    // The same option twice is allowed and the last value wins.
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "EX", "200"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "k"), 200);
    assert_eq!(c.cmd(&["SET", "k", "v", "ex", "300"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "k"), 300);
    assert_eq!(c.cmd(&["SET", "k", "v", "Px", "400000", "NX"]), "$-1\r\n");
    assert_eq!(ttl(&mut c, "k"), 300);
    assert_eq!(c.cmd(&["SET", "k", "v", "pxat", "4102444800999", "XX"]), "+OK\r\n");
    assert_eq!(pexpiretime(&mut c, "k"), 4102444800999);
    // A plain SET drops the deadline.
    assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "k"), -1);
    assert_eq!(stats(&c), (0, 0, 8));
}

#[test]
fn set_keepttl() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "100"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SET", "k", "w", "KEEPTTL"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "k"), 100);
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nw\r\n");
    assert_eq!(c.cmd(&["SET", "k", "x", "KEEPTTL", "KEEPTTL", "GET"]), "$1\r\nw\r\n");
    assert_eq!(ttl(&mut c, "k"), 100);
    assert_eq!(c.cmd(&["SET", "n", "v", "KEEPTTL"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "n"), -1);
    assert_eq!(c.cmd(&["SET", "k", "y"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "k"), -1);
}

#[test]
fn set_option_conflicts_are_syntax_errors() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "PX", "100"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "PX", "100", "EX", "10"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "EXAT", "4102444800"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "PXAT", "4102444800000", "EXAT", "4102444800"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "KEEPTTL"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "KEEPTTL", "EX", "10"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "KEEPTTL", "PXAT", "4102444800000"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "PX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "NX", "EX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "PERSIST"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "FOO"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "10", "FOO"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "NXX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "GETT"]), "-ERR syntax error\r\n");
    // The whole line is parsed before the deadline is judged.
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "0", "NX", "XX"]), "-ERR syntax error\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "abc", "FOO"]), "-ERR syntax error\r\n");
    assert_eq!(dbsize(&c), 0);
    assert_eq!(stats(&c), (0, 0, 0));
}

#[test]
fn set_invalid_expire_times() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "0"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "-1"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "PX", "0"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "PX", "-100"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EXAT", "0"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "PXAT", "-5"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "abc"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "1.5"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "PX", " 1"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(
        c.cmd(&["SET", "k", "v", "EX", "99999999999999999999"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    // Seconds that overflow once in milliseconds, or once now is added.
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "9223372036854776"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "9223372036854775"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "PX", "9223372036854775807"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EXAT", "9223372036854776"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(dbsize(&c), 0);
    // Absolute deadlines are not offset by now, so the largest ones are fine.
    assert_eq!(c.cmd(&["SET", "k", "v", "PXAT", "9223372036854775807"]), "+OK\r\n");
    assert_eq!(pexpiretime(&mut c, "k"), 9223372036854775807);
    assert_eq!(c.cmd(&["SET", "k", "v", "EXAT", "9223372036854775"]), "+OK\r\n");
    assert_eq!(pexpiretime(&mut c, "k"), 9223372036854775000);
    // The deadline is checked before GET looks at the key.
    assert_eq!(c.cmd(&["SET", "k", "v", "GET", "EX", "0"]), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(stats(&c), (0, 0, 2));
}

#[test]
fn set_with_past_deadline_expires_on_next_access() {
    let mut c = TestConn::new();
    // redis-server stores the key with its past deadline; the next access removes it.
    assert_eq!(c.cmd(&["SET", "k", "v", "PXAT", "1"]), "+OK\r\n");
    assert_eq!(dbsize(&c), 1);
    assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
    assert_eq!(dbsize(&c), 0);
    assert_eq!(c.cmd(&["SET", "k", "v", "EXAT", "1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SET", "k", "w", "EXAT", "1", "GET"]), "$-1\r\n");
    assert_eq!(dbsize(&c), 1);
    assert_eq!(c.cmd(&["SET", "k", "v", "EXAT", "1", "NX"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
    assert_eq!(stats(&c), (0, 3, 4));
}

#[test]
fn set_expires_when_the_clock_passes() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "v", "PX", "100"]), "+OK\r\n");
    c.advance(50);
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    c.advance(60);
    assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "EX", "1"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "XX"]), "+OK\r\n");
    c.advance(1100);
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["SET", "k", "v", "PX", "100"]), "+OK\r\n");
    c.advance(150);
    assert_eq!(c.cmd(&["SET", "k", "w", "NX"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nw\r\n");
    assert_eq!(ttl(&mut c, "k"), -1);
    assert_eq!(stats(&c), (3, 1, 5));
}

#[test]
fn setnx() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SETNX", "k", "v"]), ":1\r\n");
    assert_eq!(c.cmd(&["SETNX", "k", "w"]), ":0\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["SETNX", "n", "42"]), ":1\r\n");
    assert_eq!(encoding(&mut c, "n"), Some("int"));
    assert_eq!(c.cmd(&["SET", "t", "v", "PX", "100"]), "+OK\r\n");
    c.advance(150);
    assert_eq!(c.cmd(&["SETNX", "t", "w"]), ":1\r\n");
    assert_eq!(c.cmd(&["GET", "t"]), "$1\r\nw\r\n");
    assert_eq!(stats(&c), (2, 0, 4));
}

#[test]
fn setex_and_psetex() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SETEX", "k", "100", "v"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "k"), 100);
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["SETEX", "k", "200", "123"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "k"), 200);
    assert_eq!(encoding(&mut c, "k"), Some("int"));
    assert_eq!(c.cmd(&["PSETEX", "k", "300000", "v"]), "+OK\r\n");
    assert_eq!(ttl(&mut c, "k"), 300);
    assert_eq!(c.cmd(&["SETEX", "k", "0", "v"]), "-ERR invalid expire time in 'setex' command\r\n");
    assert_eq!(c.cmd(&["SETEX", "k", "-1", "v"]), "-ERR invalid expire time in 'setex' command\r\n");
    assert_eq!(c.cmd(&["PSETEX", "k", "0", "v"]), "-ERR invalid expire time in 'psetex' command\r\n");
    assert_eq!(c.cmd(&["PSETEX", "k", "-1", "v"]), "-ERR invalid expire time in 'psetex' command\r\n");
    assert_eq!(c.cmd(&["SETEX", "k", "abc", "v"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["PSETEX", "k", "1.5", "v"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SETEX", "k", "9223372036854776", "v"]), "-ERR invalid expire time in 'setex' command\r\n");
    assert_eq!(c.cmd(&["PSETEX", "k", "9223372036854775807", "v"]), "-ERR invalid expire time in 'psetex' command\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(ttl(&mut c, "k"), 300);
    assert_eq!(c.cmd(&["PSETEX", "p", "100", "v"]), "+OK\r\n");
    c.advance(101);
    assert_eq!(c.cmd(&["GET", "p"]), "$-1\r\n");
    assert_eq!(stats(&c), (2, 1, 4));
}

#[test]
fn set_arity() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET"]), "-ERR wrong number of arguments for 'set' command\r\n");
    assert_eq!(c.cmd(&["SET", "k"]), "-ERR wrong number of arguments for 'set' command\r\n");
    assert_eq!(c.cmd(&["SETNX", "k"]), "-ERR wrong number of arguments for 'setnx' command\r\n");
    assert_eq!(c.cmd(&["SETNX", "k", "v", "x"]), "-ERR wrong number of arguments for 'setnx' command\r\n");
    assert_eq!(c.cmd(&["SETEX", "k", "10"]), "-ERR wrong number of arguments for 'setex' command\r\n");
    assert_eq!(c.cmd(&["PSETEX", "k", "10", "v", "x"]), "-ERR wrong number of arguments for 'psetex' command\r\n");
}
