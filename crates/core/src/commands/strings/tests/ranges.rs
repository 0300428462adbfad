//! APPEND GETRANGE SUBSTR SETRANGE. Every reply here was checked against
//! redis-server.

use super::*;

#[test]
fn append() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["APPEND", "k", "hello"]), ":5\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("embstr"));
    assert_eq!(c.cmd(&["APPEND", "k", " world"]), ":11\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("raw"));
    assert_eq!(c.cmd(&["GET", "k"]), "$11\r\nhello world\r\n");
    // A new key is stored as SET would store it; an edit makes it raw.
    assert_eq!(c.cmd(&["APPEND", "i", "123"]), ":3\r\n");
    assert_eq!(encoding(&mut c, "i"), Some("int"));
    assert_eq!(c.cmd(&["APPEND", "i", ""]), ":3\r\n");
    assert_eq!(encoding(&mut c, "i"), Some("raw"));
    assert_eq!(c.cmd(&["GET", "i"]), "$3\r\n123\r\n");
    assert_eq!(c.cmd(&["APPEND", "e", ""]), ":0\r\n");
    assert_eq!(dbsize(&c), 3);
    assert_eq!(encoding(&mut c, "e"), Some("embstr"));
    assert_eq!(c.cmd(&["GET", "e"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["SET", "t", "v", "EX", "100"]), "+OK\r\n");
    assert_eq!(c.cmd(&["APPEND", "t", "w"]), ":2\r\n");
    assert_eq!(ttl(&mut c, "t"), 100);
    assert_eq!(c.cmd(&["APPEND", "k"]), "-ERR wrong number of arguments for 'append' command\r\n");
    assert_eq!(c.cmd(&["APPEND"]), "-ERR wrong number of arguments for 'append' command\r\n");
    assert_eq!(stats(&c), (3, 0, 7));
}

#[test]
fn append_past_proto_max_bulk_len() {
    let mut c = TestConn::new();
    set_config(&mut c, "proto-max-bulk-len", "1048576");
    assert_eq!(c.cmd(&["SETRANGE", "k", "1048570", "x"]), ":1048571\r\n");
    assert_eq!(c.cmd(&["APPEND", "k", "12345"]), ":1048576\r\n");
    assert_eq!(c.cmd(&["APPEND", "k", "123456"]), "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
    assert_eq!(c.cmd(&["APPEND", "k", ""]), ":1048576\r\n");
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":1048576\r\n");
    assert_eq!(stats(&c), (1, 0, 3));
}

#[test]
fn getrange() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "Hello World"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "0", "4"]), "$5\r\nHello\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "0", "-1"]), "$11\r\nHello World\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "-5", "-1"]), "$5\r\nWorld\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "6", "100"]), "$5\r\nWorld\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "100", "200"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "4", "4"]), "$1\r\no\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "5", "3"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "-100", "-1"]), "$11\r\nHello World\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "-1", "-5"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "-1", "-1"]), "$1\r\nd\r\n");
    // Redis 7.2 clamps a negative end to 0 (Redis 8 returns "" here).
    assert_eq!(c.cmd(&["GETRANGE", "k", "0", "-100"]), "$1\r\nH\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "-100", "-50"]), "$1\r\nH\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "3", "-100"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "-9223372036854775808", "9223372036854775807"]), "$11\r\nHello World\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "9223372036854775807", "-9223372036854775808"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["SET", "i", "12345"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "i", "1", "3"]), "$3\r\n234\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "i", "-2", "-1"]), "$2\r\n45\r\n");
    assert_eq!(encoding(&mut c, "i"), Some("int"));
    assert_eq!(c.cmd(&["SET", "e", ""]), "+OK\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "e", "0", "-1"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "e", "0", "0"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "e", "-1", "0"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "missing", "0", "-1"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "missing", "abc", "1"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "1", "abc"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "1.5", "2"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "0"]), "-ERR wrong number of arguments for 'getrange' command\r\n");
    assert_eq!(c.cmd(&["GETRANGE", "k", "0", "1", "2"]), "-ERR wrong number of arguments for 'getrange' command\r\n");
    assert_eq!(stats(&c), (20, 1, 3));
}

#[test]
fn substr_is_getrange() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SET", "k", "Hello World"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SUBSTR", "k", "0", "4"]), "$5\r\nHello\r\n");
    assert_eq!(c.cmd(&["SUBSTR", "k", "-5", "-1"]), "$5\r\nWorld\r\n");
    assert_eq!(c.cmd(&["SUBSTR", "k", "0", "-100"]), "$1\r\nH\r\n");
    assert_eq!(c.cmd(&["SUBSTR", "missing", "0", "1"]), "$0\r\n\r\n");
    assert_eq!(c.cmd(&["SUBSTR", "k", "x", "1"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SUBSTR", "k", "0"]), "-ERR wrong number of arguments for 'substr' command\r\n");
    assert_eq!(stats(&c), (3, 1, 1));
}

#[test]
fn setrange() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SETRANGE", "k", "5", "hello"]), ":10\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$10\r\n\x00\x00\x00\x00\x00hello\r\n");
    assert_eq!(encoding(&mut c, "k"), Some("raw"));
    assert_eq!(c.cmd(&["SETRANGE", "k", "0", "HE"]), ":10\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$10\r\nHE\x00\x00\x00hello\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "k", "8", "LLO!"]), ":12\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$12\r\nHE\x00\x00\x00helLLO!\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "k", "20", "x"]), ":21\r\n");
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":21\r\n");
    // Writing nothing returns the length and changes nothing.
    assert_eq!(c.cmd(&["SETRANGE", "k", "100", ""]), ":21\r\n");
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":21\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "n", "0", ""]), ":0\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "n", "100", ""]), ":0\r\n");
    assert_eq!(dbsize(&c), 1);
    assert_eq!(c.cmd(&["SET", "i", "12345"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "i", "1", ""]), ":5\r\n");
    assert_eq!(encoding(&mut c, "i"), Some("int"));
    assert_eq!(c.cmd(&["SETRANGE", "i", "1", "9"]), ":5\r\n");
    assert_eq!(encoding(&mut c, "i"), Some("raw"));
    assert_eq!(c.cmd(&["GET", "i"]), "$5\r\n19345\r\n");
    assert_eq!(c.cmd(&["SET", "s", "short"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "s", "0", "S"]), ":5\r\n");
    assert_eq!(encoding(&mut c, "s"), Some("raw"));
    assert_eq!(c.cmd(&["SET", "t", "v", "EX", "100"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "t", "1", "w"]), ":2\r\n");
    assert_eq!(ttl(&mut c, "t"), 100);
    assert_eq!(c.cmd(&["GET", "t"]), "$2\r\nvw\r\n");
    assert_eq!(stats(&c), (7, 0, 10));
}

#[test]
fn setrange_errors() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["SETRANGE", "k", "-1", "x"]), "-ERR offset is out of range\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "k", "-1", ""]), "-ERR offset is out of range\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "k", "abc", "x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "k", "1.5", "x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(
        c.cmd(&["SETRANGE", "k", "99999999999999999999", "x"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    // The default proto-max-bulk-len is 512MB.
    assert_eq!(
        c.cmd(&["SETRANGE", "k", "536870912", "x"]),
        "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    );
    assert_eq!(
        c.cmd(&["SETRANGE", "k", "536870911", "xy"]),
        "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    );
    assert_eq!(
        c.cmd(&["SETRANGE", "k", "9223372036854775807", "x"]),
        "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    );
    assert_eq!(c.cmd(&["SETRANGE", "k", "536870912", ""]), ":0\r\n");
    assert_eq!(dbsize(&c), 0);
    assert_eq!(c.cmd(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(
        c.cmd(&["SETRANGE", "k", "536870912", "x"]),
        "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    );
    assert_eq!(c.cmd(&["SETRANGE", "k", "536870912", ""]), ":1\r\n");
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["SETRANGE", "k", "1"]), "-ERR wrong number of arguments for 'setrange' command\r\n");
    assert_eq!(c.cmd(&["SETRANGE"]), "-ERR wrong number of arguments for 'setrange' command\r\n");
    assert_eq!(stats(&c), (1, 0, 1));
}

#[test]
fn setrange_under_a_lower_proto_max_bulk_len() {
    let mut c = TestConn::new();
    set_config(&mut c, "proto-max-bulk-len", "1048576");
    assert_eq!(c.cmd(&["SETRANGE", "k", "1048575", "x"]), ":1048576\r\n");
    assert_eq!(
        c.cmd(&["SETRANGE", "k", "1048576", "x"]),
        "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    );
    assert_eq!(
        c.cmd(&["SETRANGE", "k", "1048575", "xy"]),
        "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    );
    assert_eq!(c.cmd(&["STRLEN", "k"]), ":1048576\r\n");
    assert_eq!(
        c.cmd(&["SETRANGE", "n", "1048575", "xy"]),
        "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n"
    );
    assert_eq!(dbsize(&c), 1);
}
