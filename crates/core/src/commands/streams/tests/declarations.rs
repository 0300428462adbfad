//! The declarations against COMMAND INFO from Redis 7.2.

use crate::commands::streams::COMMANDS;

#[test]
fn declarations_match_command_info() {
    // name arity flags (first last step) categories, as redis-server 7.2.4 prints them.
    let expected = [
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
    let subcommands = [
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
    let all = COMMANDS.iter().chain(COMMANDS.iter().flat_map(|c| c.subcommands.iter()));
    let declared: Vec<_> = all.collect();
    assert_eq!(declared.len(), expected.len() + subcommands.len());
    let sorted = |words: Vec<&str>| {
        let mut w: Vec<String> = words.into_iter().filter(|w| !w.is_empty()).map(String::from).collect();
        w.sort();
        w
    };
    for (name, arity, flags, keys, categories) in expected.into_iter().chain(subcommands) {
        let spec = declared.iter().find(|s| s.name == name).unwrap_or_else(|| panic!("{name} not declared"));
        assert_eq!(spec.arity, arity, "{name}");
        assert_eq!(sorted(spec.flag_names().collect()), sorted(flags.split(' ').collect()), "{name}");
        assert_eq!((spec.keys.first, spec.keys.last, spec.keys.step), keys, "{name}");
        let cats: Vec<String> = spec.acl_category_names().map(|c| format!("@{c}")).collect();
        let cats: Vec<&str> = cats.iter().map(String::as_str).collect();
        assert_eq!(sorted(cats), sorted(categories.split(' ').collect()), "{name}");
    }
}
