use super::*;

/// Runs a whole SCAN iteration with `opts`; returns every key seen, sorted,
/// and how many calls it took.
fn scan_all(c: &mut TestConn, opts: &[&str]) -> (Vec<String>, usize) {
    let mut cursor = "0".to_string();
    let mut keys = Vec::new();
    let mut calls = 0;
    loop {
        let mut args = vec!["scan", cursor.as_str()];
        args.extend_from_slice(opts);
        let reply = c.cmd(&args);
        assert!(reply.starts_with("*2\r\n$"), "{reply:?}");
        let mut items = bulk_strings(&reply).into_iter();
        cursor = items.next().unwrap();
        keys.extend(items);
        calls += 1;
        assert!(calls < 100_000, "SCAN does not terminate");
        if cursor == "0" {
            break;
        }
    }
    keys.sort();
    (keys, calls)
}

fn names(prefix: &str, n: usize) -> Vec<String> {
    let mut v: Vec<String> = (0..n).map(|i| format!("{prefix}{i}")).collect();
    v.sort();
    v
}

#[test]
fn keys_matches_glob_patterns() {
    let mut c = TestConn::new();
    for k in ["a", "b", "c", "ab", "hello", "hallo", "h*llo"] {
        set(&mut c, k, "1");
    }
    assert_eq!(sorted_keys(&mut c, "*"), ["a", "ab", "b", "c", "h*llo", "hallo", "hello"]);
    assert_eq!(sorted_keys(&mut c, "a*"), ["a", "ab"]);
    assert_eq!(sorted_keys(&mut c, "[ab]"), ["a", "b"]);
    assert_eq!(sorted_keys(&mut c, "h?llo"), ["h*llo", "hallo", "hello"]);
    assert_eq!(sorted_keys(&mut c, "h\\*llo"), ["h*llo"]);
    assert_eq!(sorted_keys(&mut c, "H*"), Vec::<String>::new());
    assert_eq!(c.cmd(&["keys", "zz*"]), "*0\r\n");
    assert_eq!(c.cmd(&["keys"]), "-ERR wrong number of arguments for 'keys' command\r\n");
}

#[test]
fn keys_leaves_out_expired_keys_without_deleting_them() {
    let mut c = TestConn::new();
    set(&mut c, "live", "1");
    set(&mut c, "dead", "1");
    assert_eq!(c.cmd(&["pexpire", "dead", "10"]), int(1));
    c.advance(10);
    assert_eq!(c.cmd(&["keys", "*"]), bulks(&["live"]));
    // Still in the table (DBSIZE counts it) until something reclaims it.
    assert_eq!(c.cmd(&["dbsize"]), int(2));
}

#[test]
fn scan_iterates_every_key() {
    let mut c = TestConn::new();
    let all = names("key:", 1000);
    for k in &all {
        set(&mut c, k, "v");
    }
    let (keys, _) = scan_all(&mut c, &[]);
    assert_eq!(keys, all);
    let (keys, _) = scan_all(&mut c, &["count", "1"]);
    assert_eq!(keys, all);
    let (keys, _) = scan_all(&mut c, &["COUNT", "100000"]);
    assert_eq!(keys, all);
}

#[test]
fn scan_match_and_type_filter() {
    let mut c = TestConn::new();
    let users = names("user:", 300);
    for k in &users {
        set(&mut c, k, "v");
    }
    for k in names("order:", 200) {
        set(&mut c, &k, "v");
    }
    let (keys, _) = scan_all(&mut c, &["match", "user:*"]);
    assert_eq!(keys, users);
    let (keys, _) = scan_all(&mut c, &["match", "user:1?", "count", "7"]);
    assert_eq!(keys, names("user:1", 10)[..].iter().filter(|k| k.len() == 7).cloned().collect::<Vec<_>>());
    let (keys, _) = scan_all(&mut c, &["type", "STRING", "match", "user:*"]);
    assert_eq!(keys, users);
    let (keys, _) = scan_all(&mut c, &["type", "list"]);
    assert!(keys.is_empty());
    // Redis 7.2 accepts an unknown type name and matches nothing.
    let (keys, _) = scan_all(&mut c, &["type", "nosuchtype"]);
    assert!(keys.is_empty());
    let (keys, _) = scan_all(&mut c, &["match", "*", "count", "50", "type", "string"]);
    assert_eq!(keys.len(), 500);
}

#[test]
fn scan_never_returns_expired_keys() {
    let mut c = TestConn::new();
    for i in 0..100 {
        let k = format!("k{i}");
        set(&mut c, &k, "v");
        if i % 2 == 0 {
            assert_eq!(c.cmd(&["pexpire", &k, "10"]), int(1));
        }
    }
    c.advance(10);
    let (keys, _) = scan_all(&mut c, &[]);
    assert_eq!(keys.len(), 50);
    assert!(keys.iter().all(|k| k[1..].parse::<u32>().unwrap() % 2 == 1));
    // The ones SCAN met were reclaimed on the way.
    assert_eq!(c.cmd(&["dbsize"]), int(50));
    let (keys, _) = scan_all(&mut c, &["type", "string"]);
    assert_eq!(keys.len(), 50);
}

#[test]
fn scan_of_an_empty_database() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["scan", "0"]), "*2\r\n$1\r\n0\r\n*0\r\n");
}

#[test]
fn scan_reply_shape_for_one_key() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["scan", "0"]), format!("*2\r\n{}{}", bulk("0"), bulks(&["k"])));
}

#[test]
fn scan_cursor_is_read_like_strtoul() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    for bad in ["abc", " 1", "1 ", "18446744073709551616", "+", "-", "1.0"] {
        assert_eq!(c.cmd(&["scan", bad]), "-ERR invalid cursor\r\n", "{bad:?}");
    }
    // Accepted by Redis too: empty (0), signs, the full unsigned range. Any
    // cursor value is safe to resume from.
    for good in ["", "+0", "-1", "18446744073709551615", "12345"] {
        assert!(c.cmd(&["scan", good]).starts_with("*2\r\n$"), "{good:?}");
    }
    assert_eq!(c.cmd(&["scan", ""]), c.cmd(&["scan", "0"]));
}

#[test]
fn scan_option_errors() {
    let mut c = TestConn::new();
    const SYNTAX: &str = "-ERR syntax error\r\n";
    assert_eq!(c.cmd(&["scan", "0", "count", "0"]), SYNTAX);
    assert_eq!(c.cmd(&["scan", "0", "count", "-1"]), SYNTAX);
    assert_eq!(c.cmd(&["scan", "0", "count", "x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(c.cmd(&["scan", "0", "count"]), SYNTAX);
    assert_eq!(c.cmd(&["scan", "0", "match"]), SYNTAX);
    assert_eq!(c.cmd(&["scan", "0", "type"]), SYNTAX);
    assert_eq!(c.cmd(&["scan", "0", "foo", "bar"]), SYNTAX);
    assert_eq!(c.cmd(&["scan", "0", "count", "1", "count", "0"]), SYNTAX);
    // The cursor is checked first.
    assert_eq!(c.cmd(&["scan", "x", "foo"]), "-ERR invalid cursor\r\n");
    assert_eq!(c.cmd(&["scan"]), "-ERR wrong number of arguments for 'scan' command\r\n");
}

#[test]
fn randomkey_returns_live_keys_or_nil() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["randomkey"]), NIL);
    set(&mut c, "only", "v");
    assert_eq!(c.cmd(&["randomkey"]), bulk("only"));
    for k in ["a", "b", "c"] {
        set(&mut c, k, "v");
    }
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..200 {
        seen.extend(bulk_strings(&c.cmd(&["randomkey"])));
    }
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), ["a", "b", "c", "only"]);
    assert_eq!(c.cmd(&["randomkey", "x"]), "-ERR wrong number of arguments for 'randomkey' command\r\n");
}

#[test]
fn randomkey_skips_and_reclaims_expired_keys() {
    let mut c = TestConn::new();
    for i in 0..20 {
        let k = format!("dead{i}");
        set(&mut c, &k, "v");
        assert_eq!(c.cmd(&["pexpire", &k, "5"]), int(1));
    }
    set(&mut c, "live", "v");
    c.advance(5);
    for _ in 0..10 {
        assert_eq!(c.cmd(&["randomkey"]), bulk("live"));
    }
    // Only expired keys: each pick is reclaimed until none is left.
    assert_eq!(c.cmd(&["del", "live"]), int(1));
    for i in 0..5 {
        set(&mut c, &format!("x{i}"), "v");
        assert_eq!(c.cmd(&["pexpire", &format!("x{i}"), "1"]), int(1));
    }
    c.advance(1);
    assert_eq!(c.cmd(&["randomkey"]), NIL);
    assert_eq!(c.cmd(&["dbsize"]), int(0));
}

#[test]
fn resp3_replies() {
    let mut c = TestConn::new();
    assert!(c.cmd(&["hello", "3"]).starts_with('%'));
    assert_eq!(c.cmd(&["randomkey"]), "_\r\n");
    assert_eq!(c.cmd(&["scan", "0"]), "*2\r\n$1\r\n0\r\n*0\r\n");
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["keys", "*"]), bulks(&["k"]));
    assert_eq!(c.cmd(&["type", "k"]), "+string\r\n");
    assert_eq!(c.cmd(&["ttl", "k"]), int(-1));
}
