//! SSCAN.

use std::collections::BTreeSet;

use super::*;

/// A whole SSCAN iteration; returns every member seen (with repeats) and
/// how many calls it took.
fn sscan_all(c: &mut TestConn, key: &str, opts: &[&str]) -> (Vec<String>, usize) {
    let mut cursor = "0".to_string();
    let mut seen = Vec::new();
    let mut calls = 0;
    loop {
        let mut args = vec!["sscan", key, cursor.as_str()];
        args.extend_from_slice(opts);
        let reply = c.cmd(&args);
        assert!(reply.starts_with("*2\r\n$"), "{reply:?}");
        let mut items = bulk_items(&reply).into_iter();
        cursor = items.next().unwrap();
        seen.extend(items);
        calls += 1;
        assert!(calls < 100_000, "SSCAN does not terminate");
        if cursor == "0" {
            return (seen, calls);
        }
    }
}

fn scan_reply(cursor: &str, items: &[&str]) -> String {
    format!("*2\r\n{}{}", bulk(cursor), bulks(items))
}

#[test]
fn compact_sets_come_back_whole_with_cursor_zero() {
    let mut c = TestConn::new();
    sadd(&mut c, "i", &["5", "3", "10", "1"]);
    assert_eq!(c.cmd(&["sscan", "i", "0"]), scan_reply("0", &["1", "3", "5", "10"]));
    // Any cursor, any COUNT: the whole set.
    assert_eq!(c.cmd(&["sscan", "i", "7"]), scan_reply("0", &["1", "3", "5", "10"]));
    assert_eq!(c.cmd(&["sscan", "i", "0", "COUNT", "1"]), scan_reply("0", &["1", "3", "5", "10"]));
    assert_eq!(c.cmd(&["sscan", "i", "0", "MATCH", "1*"]), scan_reply("0", &["1", "10"]));
    assert_eq!(c.cmd(&["sscan", "i", "0", "match", "*", "count", "2"]), scan_reply("0", &["1", "3", "5", "10"]));
    assert_eq!(c.cmd(&["sscan", "i", "0", "MATCH", "nomatch"]), scan_reply("0", &[]));
    // Repeated options: the last wins.
    assert_eq!(c.cmd(&["sscan", "i", "0", "MATCH", "x", "MATCH", "3"]), scan_reply("0", &["3"]));
    sadd(&mut c, "l", &["foo", "bar", "baz", "qux"]);
    assert_eq!(c.cmd(&["sscan", "l", "0"]), scan_reply("0", &["foo", "bar", "baz", "qux"]));
    assert_eq!(c.cmd(&["sscan", "l", "0", "MATCH", "ba?"]), scan_reply("0", &["bar", "baz"]));
    assert_eq!(c.cmd(&["sscan", "l", "0", "MATCH", "*[rx]"]), scan_reply("0", &["bar", "qux"]));
    assert_eq!(c.cmd(&["sscan", "nosuch", "0"]), scan_reply("0", &[]));
}

#[test]
fn a_hashtable_is_walked_with_a_cursor() {
    let mut c = TestConn::new();
    sadd_n(&mut c, "h", 1000, |i| format!("k{i}"));
    assert_eq!(encoding(&mut c, "h"), "hashtable");
    let (seen, calls) = sscan_all(&mut c, "h", &[]);
    assert!(calls > 10, "COUNT 10 takes many calls ({calls})");
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), 1000);
    assert_eq!(seen.len(), 1000, "no repeats while the set does not change");
    let (seen, calls) = sscan_all(&mut c, "h", &["COUNT", "100000"]);
    assert_eq!((seen.len(), calls), (1000, 1));
    let (seen, _) = sscan_all(&mut c, "h", &["MATCH", "k1?", "COUNT", "7"]);
    assert_eq!(sorted(seen), sorted((10..20).map(|i| format!("k{i}")).collect()));
}

#[test]
fn members_present_throughout_are_seen_despite_changes() {
    let mut c = TestConn::new();
    sadd_n(&mut c, "h", 2000, |i| format!("k{i}"));
    let mut cursor = "0".to_string();
    let mut seen = BTreeSet::new();
    let mut round = 0;
    loop {
        let reply = c.cmd(&["sscan", "h", &cursor, "COUNT", "50"]);
        let mut items = bulk_items(&reply).into_iter();
        cursor = items.next().unwrap();
        seen.extend(items);
        // Grow and shrink the table under the cursor.
        round += 1;
        if round % 3 == 0 {
            sadd_n(&mut c, "h", 500, |i| format!("extra{round}-{i}"));
        } else if round % 3 == 1 {
            let extras: Vec<String> = (0..500).map(|i| format!("extra{}-{i}", round - 1)).collect();
            let refs: Vec<&str> = extras.iter().map(String::as_str).collect();
            c.cmd(&[&["srem", "h"][..], &refs].concat());
        }
        if cursor == "0" {
            break;
        }
    }
    for i in 0..2000 {
        assert!(seen.contains(&format!("k{i}")), "k{i} missed");
    }
}

#[test]
fn errors_and_their_order() {
    let mut c = TestConn::new();
    sadd(&mut c, "i", &["1"]);
    sadd_n(&mut c, "h", 600, |i| format!("k{i}"));
    c.cmd(&["set", "str", "v"]);
    let invalid = err("ERR invalid cursor");
    for cursor in ["x", " 1", "1 ", "18446744073709551616", "1.5", "+", "-"] {
        assert_eq!(c.cmd(&["sscan", "i", cursor]), invalid, "{cursor:?}");
    }
    assert_eq!(c.cmd(&["sscan", "i", "-1"]), scan_reply("0", &["1"]));
    assert_eq!(c.cmd(&["sscan", "i", ""]), scan_reply("0", &["1"]));
    assert_eq!(c.cmd(&["sscan", "i", "18446744073709551615"]), scan_reply("0", &["1"]));
    // The cursor first, then the key, then the options.
    assert_eq!(c.cmd(&["sscan", "str", "x"]), invalid);
    assert_eq!(c.cmd(&["sscan", "nosuch", "x"]), invalid);
    assert_eq!(c.cmd(&["sscan", "str", "0", "COUNT", "0"]), WRONGTYPE);
    assert_eq!(c.cmd(&["sscan", "nosuch", "0", "COUNT", "0"]), scan_reply("0", &[]));
    assert_eq!(c.cmd(&["sscan", "nosuch", "0", "BADOPT"]), scan_reply("0", &[]));
    for key in ["i", "h"] {
        let syntax = err("ERR syntax error");
        assert_eq!(c.cmd(&["sscan", key, "0", "COUNT", "0"]), syntax);
        assert_eq!(c.cmd(&["sscan", key, "0", "COUNT", "-1"]), syntax);
        assert_eq!(c.cmd(&["sscan", key, "0", "COUNT", "x"]), err("ERR value is not an integer or out of range"));
        assert_eq!(c.cmd(&["sscan", key, "0", "COUNT"]), syntax);
        assert_eq!(c.cmd(&["sscan", key, "0", "MATCH"]), syntax);
        assert_eq!(c.cmd(&["sscan", key, "0", "TYPE", "set"]), syntax);
        assert_eq!(c.cmd(&["sscan", key, "0", "FOO", "bar"]), syntax);
        assert_eq!(c.cmd(&["sscan", key, "0", "COUNT", "5", "FOO"]), syntax);
    }
    assert_eq!(c.cmd(&["sscan", "i"]), err("ERR wrong number of arguments for 'sscan' command"));
}
