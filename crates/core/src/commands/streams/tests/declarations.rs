//! The declarations against COMMAND INFO from Redis 7.2.

use crate::commands::streams::COMMANDS;
use crate::testing::{assert_declarations, Declaration};

#[test]
fn declarations_match_command_info() {
    // name arity flags (first last step) categories, as redis-server 7.2.4 prints them.
    let expected: &[Declaration] = &[
        ("xadd", -5, "write denyoom fast", (1, 1, 1), "@write @stream @fast"),
        ("xlen", 2, "readonly fast", (1, 1, 1), "@read @stream @fast"),
        ("xrange", -4, "readonly", (1, 1, 1), "@read @stream @slow"),
        ("xrevrange", -4, "readonly", (1, 1, 1), "@read @stream @slow"),
        ("xdel", -3, "write fast", (1, 1, 1), "@write @stream @fast"),
        ("xtrim", -4, "write", (1, 1, 1), "@write @stream @slow"),
        ("xsetid", -3, "write denyoom fast", (1, 1, 1), "@write @stream @fast"),
        ("xread", -4, "readonly blocking movablekeys", (0, 0, 0), "@read @stream @slow @blocking"),
        ("xreadgroup", -7, "write blocking movablekeys", (0, 0, 0), "@write @stream @slow @blocking"),
        ("xack", -4, "write fast", (1, 1, 1), "@write @stream @fast"),
        ("xpending", -3, "readonly", (1, 1, 1), "@read @stream @slow"),
        ("xclaim", -6, "write fast", (1, 1, 1), "@write @stream @fast"),
        ("xautoclaim", -6, "write fast", (1, 1, 1), "@write @stream @fast"),
        ("xgroup", -2, "", (0, 0, 0), "@slow"),
        ("xinfo", -2, "", (0, 0, 0), "@slow"),
    ];
    let subcommands: &[Declaration] = &[
        ("xgroup|create", -5, "write denyoom", (2, 2, 1), "@write @stream @slow"),
        ("xgroup|setid", -5, "write", (2, 2, 1), "@write @stream @slow"),
        ("xgroup|destroy", 4, "write", (2, 2, 1), "@write @stream @slow"),
        ("xgroup|createconsumer", 5, "write denyoom", (2, 2, 1), "@write @stream @slow"),
        ("xgroup|delconsumer", 5, "write", (2, 2, 1), "@write @stream @slow"),
        ("xgroup|help", 2, "loading stale", (0, 0, 0), "@stream @slow"),
        ("xinfo|stream", -3, "readonly", (2, 2, 1), "@read @stream @slow"),
        ("xinfo|groups", 3, "readonly", (2, 2, 1), "@read @stream @slow"),
        ("xinfo|consumers", 4, "readonly", (2, 2, 1), "@read @stream @slow"),
        ("xinfo|help", 2, "loading stale", (0, 0, 0), "@stream @slow"),
    ];
    assert_eq!(COMMANDS.len(), expected.len());
    assert_declarations(COMMANDS, &[expected, subcommands].concat());
}
