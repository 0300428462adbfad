//! HRANDFIELD: which picks, how many, in which shape. The picks are random,
//! so these check the rules (distinct or not, counts, membership, that
//! every field comes up), not the draws.

use std::collections::{HashMap, HashSet};

use super::*;

const FIELDS: usize = 20;

/// h → f0..f19 with values v0..v19, in the given encoding.
fn hash(c: &mut TestConn, hashtable: bool) {
    if hashtable {
        config(c, "hash-max-listpack-entries", "0");
    }
    for i in 0..FIELDS {
        c.cmd(&["HSET", "h", &format!("f{i}"), &format!("v{i}")]);
    }
    let expected = if hashtable { "hashtable" } else { "listpack" };
    assert_eq!(encoding(c, "h"), bulk(expected));
}

fn index(field: &str) -> usize {
    field[1..].parse().unwrap()
}

#[test]
fn missing_keys_and_zero() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HRANDFIELD nokey"), NIL);
    assert_eq!(run(&mut c, "HRANDFIELD nokey 5"), "*0\r\n");
    assert_eq!(run(&mut c, "HRANDFIELD nokey -5 WITHVALUES"), "*0\r\n");
    assert_eq!(run(&mut c, "HRANDFIELD nokey 0"), "*0\r\n");
    assert_eq!(run(&mut c, "HSET h a 1"), int(1));
    assert_eq!(run(&mut c, "HRANDFIELD h 0"), "*0\r\n");
    assert_eq!(run(&mut c, "HRANDFIELD h 0 withvalues"), "*0\r\n");
    assert_eq!(run(&mut c, "HRANDFIELD h"), bulk("a"));
    assert_eq!(run(&mut c, "HRANDFIELD h 1"), bulks(&["a"]));
    assert_eq!(run(&mut c, "HRANDFIELD h -3"), bulks(&["a", "a", "a"]));
    assert_eq!(run(&mut c, "HRANDFIELD h -2 WITHVALUES"), bulks(&["a", "1", "a", "1"]));
    assert_eq!(run(&mut c, "HRANDFIELD h 5 WITHVALUES"), bulks(&["a", "1"]));
}

#[test]
fn errors_come_before_the_lookup() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "SET s v"), OK);
    let not_int = "-ERR value is not an integer or out of range\r\n";
    for line in ["HRANDFIELD s 1.5", "HRANDFIELD s abc WITHVALUES", "HRANDFIELD s 99999999999999999999"] {
        assert_eq!(run(&mut c, line), not_int, "{line}");
    }
    let range = "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n";
    assert_eq!(run(&mut c, "HRANDFIELD s -9223372036854775808"), range);
    assert_eq!(run(&mut c, "HRANDFIELD s -9223372036854775808 WITHVALUES x"), range);
    for line in ["HRANDFIELD s 1 x", "HRANDFIELD s 1 WITHVALUES x", "HRANDFIELD s -4611686018427387903 WITHVALUES x"] {
        assert_eq!(run(&mut c, line), "-ERR syntax error\r\n", "{line}");
    }
    for line in ["HRANDFIELD s 4611686018427387904 WITHVALUES", "HRANDFIELD s -4611686018427387904 withvalues"] {
        assert_eq!(run(&mut c, line), "-ERR value is out of range\r\n", "{line}");
    }
    assert_eq!(run(&mut c, "HRANDFIELD s 4611686018427387903 WITHVALUES"), WRONGTYPE);
    assert_eq!(run(&mut c, "HRANDFIELD s 0"), WRONGTYPE);
    assert_eq!(run(&mut c, "HRANDFIELD s"), WRONGTYPE);
}

#[test]
fn positive_counts_are_distinct() {
    for hashtable in [false, true] {
        let mut c = TestConn::new();
        hash(&mut c, hashtable);
        // Small, middling (the shuffle) and large counts, and beyond the size.
        for n in [1, 2, 5, 7, 15, 19, 20, 25] {
            let mut seen = [0usize; FIELDS];
            // Enough draws that a field is missed by chance with odds ~1e-21, not ~1e-3.
            for _ in 0..1000 {
                let fields = bulk_strings(&run(&mut c, &format!("HRANDFIELD h {n}")));
                assert_eq!(fields.len(), n.min(FIELDS));
                let distinct: HashSet<_> = fields.iter().collect();
                assert_eq!(distinct.len(), fields.len(), "{n}: {fields:?}");
                fields.iter().for_each(|f| seen[index(f)] += 1);
            }
            assert!(seen.iter().all(|&s| s > 0), "hashtable {hashtable}, {n}: {seen:?}");
        }
        // All of it: the whole hash, in HGETALL's order.
        assert_eq!(run(&mut c, "HRANDFIELD h 20"), run(&mut c, "HKEYS h"));
        assert_eq!(run(&mut c, "HRANDFIELD h 100 WITHVALUES"), run(&mut c, "HGETALL h"));
    }
}

#[test]
fn a_listpack_returns_distinct_picks_in_its_order() {
    let mut c = TestConn::new();
    hash(&mut c, false);
    for _ in 0..100 {
        let picks: Vec<usize> = bulk_strings(&run(&mut c, "HRANDFIELD h 8")).iter().map(|f| index(f)).collect();
        assert!(picks.windows(2).all(|w| w[0] < w[1]), "{picks:?}");
    }
}

#[test]
fn negative_counts_repeat_and_spread_evenly() {
    for hashtable in [false, true] {
        let mut c = TestConn::new();
        hash(&mut c, hashtable);
        let fields = bulk_strings(&run(&mut c, "HRANDFIELD h -4000"));
        assert_eq!(fields.len(), 4000);
        let mut counts: HashMap<&str, usize> = HashMap::new();
        fields.iter().for_each(|f| *counts.entry(f).or_default() += 1);
        // 200 expected each; a fair draw stays well within this.
        assert_eq!(counts.len(), FIELDS);
        assert!(counts.values().all(|&n| (120..=280).contains(&n)), "{counts:?}");
        // More picks than fields, still exactly as many as asked.
        assert_eq!(bulk_strings(&run(&mut c, "HRANDFIELD h -50")).len(), 50);
    }
}

#[test]
fn with_values_keeps_pairs_together() {
    for hashtable in [false, true] {
        let mut c = TestConn::new();
        hash(&mut c, hashtable);
        for line in ["HRANDFIELD h 5 WITHVALUES", "HRANDFIELD h -30 withvalues", "HRANDFIELD h 1 WithValues"] {
            let items = bulk_strings(&run(&mut c, line));
            assert!(!items.is_empty());
            for pair in items.chunks(2) {
                assert_eq!(pair[1], format!("v{}", index(&pair[0])), "{line}");
            }
        }
    }
}

#[test]
fn a_single_field_comes_from_anywhere() {
    for hashtable in [false, true] {
        let mut c = TestConn::new();
        hash(&mut c, hashtable);
        let seen: HashSet<String> = (0..400).map(|_| bulk_strings(&run(&mut c, "HRANDFIELD h")).remove(0)).collect();
        assert_eq!(seen.len(), FIELDS);
    }
}

#[test]
fn an_impossible_reply_closes_the_connection() {
    // Redis would try to build 2^63 picks; past 1 GB the client is dropped,
    // as Redis drops a client over its output buffer limit.
    let mut c = TestConn::new();
    let big = "x".repeat(1 << 20);
    config(&mut c, "hash-max-listpack-value", "0");
    assert_eq!(c.cmd(&["HSET", "h", "f", &big]), int(1));
    assert_eq!(c.cmd(&["HRANDFIELD", "h", "-4611686018427387903", "WITHVALUES"]), "");
    assert!(c.engine.client(c.handle).unwrap().close_after_reply);
}
