//! The declarations, as COMMAND INFO prints them (taken from redis-server).

use crate::commands::lists::COMMANDS;
use crate::testing::{assert_declarations, Declaration};

#[test]
fn declarations_match_command_info() {
    // name, arity, flags, (first, last, step) keys, ACL categories.
    let expected: &[Declaration] = &[
        ("lpush", -3, "write denyoom fast", (1, 1, 1), "@write @list @fast"),
        ("rpush", -3, "write denyoom fast", (1, 1, 1), "@write @list @fast"),
        ("lpushx", -3, "write denyoom fast", (1, 1, 1), "@write @list @fast"),
        ("rpushx", -3, "write denyoom fast", (1, 1, 1), "@write @list @fast"),
        ("lpop", -2, "write fast", (1, 1, 1), "@write @list @fast"),
        ("rpop", -2, "write fast", (1, 1, 1), "@write @list @fast"),
        ("llen", 2, "readonly fast", (1, 1, 1), "@read @list @fast"),
        ("lrange", 4, "readonly", (1, 1, 1), "@read @list @slow"),
        ("lindex", 3, "readonly", (1, 1, 1), "@read @list @slow"),
        ("lset", 4, "write denyoom", (1, 1, 1), "@write @list @slow"),
        ("linsert", 5, "write denyoom", (1, 1, 1), "@write @list @slow"),
        ("lrem", 4, "write", (1, 1, 1), "@write @list @slow"),
        ("ltrim", 4, "write", (1, 1, 1), "@write @list @slow"),
        ("lpos", -3, "readonly", (1, 1, 1), "@read @list @slow"),
        ("lmove", 5, "write denyoom", (1, 2, 1), "@write @list @slow"),
        ("rpoplpush", 3, "write denyoom", (1, 2, 1), "@write @list @slow"),
        ("lmpop", -4, "write movablekeys", (0, 0, 0), "@write @list @slow"),
        ("blpop", -3, "write blocking", (1, -2, 1), "@write @list @slow @blocking"),
        ("brpop", -3, "write blocking", (1, -2, 1), "@write @list @slow @blocking"),
        ("blmove", 6, "write denyoom blocking", (1, 2, 1), "@write @list @slow @blocking"),
        ("brpoplpush", 4, "write denyoom blocking", (1, 2, 1), "@write @list @slow @blocking"),
        ("blmpop", -5, "write blocking movablekeys", (0, 0, 0), "@write @list @slow @blocking"),
    ];
    assert_declarations(COMMANDS, expected);
}
