//! The declarations against COMMAND INFO from Redis.

use crate::command::spec::Group;
use crate::commands::hashes::COMMANDS;

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
    assert_eq!(COMMANDS.len(), expected.len());
    let sorted = |words: Vec<&str>| {
        let mut w: Vec<String> = words.into_iter().map(String::from).collect();
        w.sort();
        w
    };
    for (name, arity, flags, categories) in expected {
        let spec = COMMANDS.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name} not declared"));
        assert_eq!(spec.arity, arity, "{name}");
        let declared: Vec<&str> = spec.flag_names().collect();
        assert_eq!(sorted(declared), sorted(flags.split(' ').collect()), "{name}");
        assert_eq!((spec.keys.first, spec.keys.last, spec.keys.step), (1, 1, 1), "{name}");
        let cats: Vec<&str> = spec.acl_category_names().collect();
        let want: Vec<&str> = categories.split(' ').map(|c| &c[1..]).collect();
        assert_eq!(sorted(cats), sorted(want), "{name}");
        assert_eq!(spec.group, Group::Hash, "{name}");
    }
}
