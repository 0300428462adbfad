//! The declarations and what cannot be spelled as text: COMMAND INFO's
//! fields and binary values. Expected values were taken from redis-server.

use super::*;
use crate::commands::strings::COMMANDS;
use crate::testing::{assert_declarations, Declaration};

#[test]
fn declarations_match_command_info() {
    // name, arity, flags, (first, last, step) keys, ACL categories, as COMMAND INFO prints them.
    let expected: &[Declaration] = &[
        ("get", 2, "readonly fast", (1, 1, 1), "@read @string @fast"),
        ("set", -3, "write denyoom", (1, 1, 1), "@write @string @slow"),
        ("setnx", 3, "write denyoom fast", (1, 1, 1), "@write @string @fast"),
        ("setex", 4, "write denyoom", (1, 1, 1), "@write @string @slow"),
        ("psetex", 4, "write denyoom", (1, 1, 1), "@write @string @slow"),
        ("getex", -2, "write fast", (1, 1, 1), "@write @string @fast"),
        ("getdel", 2, "write fast", (1, 1, 1), "@write @string @fast"),
        ("getset", 3, "write denyoom fast", (1, 1, 1), "@write @string @fast"),
        ("mget", -2, "readonly fast", (1, -1, 1), "@read @string @fast"),
        ("mset", -3, "write denyoom", (1, -1, 2), "@write @string @slow"),
        ("msetnx", -3, "write denyoom", (1, -1, 2), "@write @string @slow"),
        ("incr", 2, "write denyoom fast", (1, 1, 1), "@write @string @fast"),
        ("decr", 2, "write denyoom fast", (1, 1, 1), "@write @string @fast"),
        ("incrby", 3, "write denyoom fast", (1, 1, 1), "@write @string @fast"),
        ("decrby", 3, "write denyoom fast", (1, 1, 1), "@write @string @fast"),
        ("incrbyfloat", 3, "write denyoom fast", (1, 1, 1), "@write @string @fast"),
        ("append", 3, "write denyoom fast", (1, 1, 1), "@write @string @fast"),
        ("strlen", 2, "readonly fast", (1, 1, 1), "@read @string @fast"),
        ("getrange", 4, "readonly", (1, 1, 1), "@read @string @slow"),
        ("setrange", 4, "write denyoom", (1, 1, 1), "@write @string @slow"),
        ("substr", 4, "readonly", (1, 1, 1), "@read @string @slow"),
        ("lcs", -3, "readonly", (1, 2, 1), "@read @string @slow"),
    ];
    assert_declarations(COMMANDS, expected);
}

#[test]
fn values_and_keys_are_binary_safe() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd_bytes(&[b"SET", b"k", b"\x00\xff\x80ab"]), b"+OK\r\n");
    assert_eq!(c.cmd_bytes(&[b"GET", b"k"]), b"$5\r\n\x00\xff\x80ab\r\n");
    assert_eq!(c.cmd_bytes(&[b"SETRANGE", b"k", b"1", b"\xfe\x00"]), b":5\r\n");
    assert_eq!(c.cmd_bytes(&[b"GETRANGE", b"k", b"0", b"2"]), b"$3\r\n\x00\xfe\x00\r\n");
    assert_eq!(c.cmd_bytes(&[b"APPEND", b"k", b"\r\n"]), b":7\r\n");
    assert_eq!(c.cmd_bytes(&[b"STRLEN", b"k"]), b":7\r\n");
    assert_eq!(c.cmd_bytes(&[b"GET", b"k"]), b"$7\r\n\x00\xfe\x00ab\r\n\r\n");
    assert_eq!(c.cmd_bytes(&[b"SET", b"x", b"\xff\x00\xfe"]), b"+OK\r\n");
    assert_eq!(c.cmd_bytes(&[b"SET", b"y", b"\x00\xfe"]), b"+OK\r\n");
    assert_eq!(c.cmd_bytes(&[b"LCS", b"x", b"y"]), b"$2\r\n\x00\xfe\r\n");
    assert_eq!(c.cmd_bytes(&[b"INCR", b"k"]), b"-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd_bytes(&[b"INCRBYFLOAT", b"k", b"1"]), b"-ERR value is not a valid float\r\n");
    assert_eq!(c.cmd_bytes(&[b"MGET", b"k", b"x"]), b"*2\r\n$7\r\n\x00\xfe\x00ab\r\n\r\n$3\r\n\xff\x00\xfe\r\n");
    assert_eq!(c.cmd_bytes(&[b"SET", b"\xff\x00key", b"v"]), b"+OK\r\n");
    assert_eq!(c.cmd_bytes(&[b"GET", b"\xff\x00key"]), b"$1\r\nv\r\n");
    // A NUL inside a number ends strtold early: not a float.
    assert_eq!(c.cmd_bytes(&[b"INCRBYFLOAT", b"f", b"1\x002"]), b"-ERR value is not a valid float\r\n");
}

#[test]
fn pipelined_replies_stay_in_order() {
    // GET and MGET move the reply writer out of the context and back while
    // they run; replies of earlier commands in the same feed must survive.
    let mut c = TestConn::new();
    let out = c.raw(b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n*3\r\n$4\r\nMGET\r\n$1\r\nk\r\n$1\r\nm\r\n");
    assert_eq!(out, b"+OK\r\n$1\r\nv\r\n*2\r\n$1\r\nv\r\n$-1\r\n");
}
