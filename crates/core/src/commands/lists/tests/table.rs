//! The declarations, as COMMAND INFO prints them (taken from redis-server).

use crate::commands::lists::COMMANDS;

#[test]
fn declarations_match_command_info() {
    // name, arity, flags, (first, last, step) keys, ACL categories.
    let expected = [
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
    assert_eq!(COMMANDS.len(), expected.len());
    let sorted = |words: Vec<&str>| {
        let mut w: Vec<String> = words.into_iter().map(String::from).collect();
        w.sort();
        w
    };
    for (name, arity, flags, (first, last, step), acl) in expected {
        let spec = COMMANDS.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name} not declared"));
        assert_eq!(spec.arity, arity, "{name}");
        let have_flags = spec.flag_names().collect();
        assert_eq!(sorted(have_flags), sorted(flags.split(' ').collect()), "{name}");
        assert_eq!((spec.keys.first, spec.keys.last, spec.keys.step), (first, last, step), "{name}");
        let have_acl: Vec<String> = spec.acl_category_names().map(|c| format!("@{c}")).collect();
        assert_eq!(sorted(have_acl.iter().map(String::as_str).collect()), sorted(acl.split(' ').collect()), "{name}");
    }
}
