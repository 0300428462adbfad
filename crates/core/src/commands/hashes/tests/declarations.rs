//! The declarations against COMMAND INFO from Redis.

use crate::command::spec::Group;
use crate::commands::hashes::COMMANDS;
use crate::testing::{assert_declarations, Declaration};

#[test]
fn declarations_match_command_info() {
    // name arity flags (first last step) categories, as redis-server 7.0.15
    // prints them (the same in 7.2).
    let expected = [
        ("hset", -4, "write denyoom fast", "@write @hash @fast"),
        ("hsetnx", 4, "write denyoom fast", "@write @hash @fast"),
        ("hmset", -4, "write denyoom fast", "@write @hash @fast"),
        ("hget", 3, "readonly fast", "@read @hash @fast"),
        ("hmget", -3, "readonly fast", "@read @hash @fast"),
        ("hgetall", 2, "readonly", "@read @hash @slow"),
        ("hkeys", 2, "readonly", "@read @hash @slow"),
        ("hvals", 2, "readonly", "@read @hash @slow"),
        ("hlen", 2, "readonly fast", "@read @hash @fast"),
        ("hexists", 3, "readonly fast", "@read @hash @fast"),
        ("hstrlen", 3, "readonly fast", "@read @hash @fast"),
        ("hdel", -3, "write fast", "@write @hash @fast"),
        ("hincrby", 4, "write denyoom fast", "@write @hash @fast"),
        ("hincrbyfloat", 4, "write denyoom fast", "@write @hash @fast"),
        ("hrandfield", -2, "readonly", "@read @hash @slow"),
        ("hscan", -3, "readonly", "@read @hash @slow"),
    ];
    // Every hash command takes its one key first.
    let expected: Vec<Declaration> =
        expected.iter().map(|&(name, arity, flags, categories)| (name, arity, flags, (1, 1, 1), categories)).collect();
    assert_declarations(COMMANDS, &expected);
    assert!(COMMANDS.iter().all(|spec| spec.group == Group::Hash));
}
