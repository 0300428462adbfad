//! SPOP and SRANDMEMBER: replies checked by what is deterministic (sizes,
//! membership, distinctness), plus that every member can come out.

use std::collections::BTreeSet;

use super::*;

fn abc(c: &mut TestConn) -> Vec<String> {
    sadd(c, "s", &["a", "b", "c", "d", "e"]);
    strs(&["a", "b", "c", "d", "e"])
}

fn num(i: usize) -> String {
    i.to_string()
}

fn name(i: usize) -> String {
    format!("m{i}")
}

/// (set size, count, member maker).
type Case = (usize, usize, fn(usize) -> String);

/// Every encoding, and for each the strategies Redis picks between by how
/// much of the set is asked for.
const CASES: &[Case] =
    &[(20, 3, num), (20, 18, num), (50, 5, name), (50, 45, name), (600, 20, name), (600, 550, name), (600, 300, num)];

fn distinct(v: &[String]) -> bool {
    v.iter().collect::<BTreeSet<_>>().len() == v.len()
}

#[test]
fn spop_one_member() {
    let mut c = TestConn::new();
    let all = abc(&mut c);
    let mut popped = Vec::new();
    for left in (0..5).rev() {
        let reply = c.cmd(&["spop", "s"]);
        let m = bulk_items(&reply).pop().unwrap();
        assert_eq!(reply, bulk(&m));
        assert!(all.contains(&m));
        assert_eq!(c.cmd(&["sismember", "s", &m]), int(0));
        assert_eq!(c.cmd(&["scard", "s"]), int(left));
        popped.push(m);
    }
    assert_eq!(sorted(popped), all);
    assert!(!exists(&mut c, "s"));
    assert_eq!(c.cmd(&["spop", "s"]), "$-1\r\n");
    sadd(&mut c, "i", &["-7"]);
    assert_eq!(c.cmd(&["spop", "i"]), bulk("-7"));
    assert!(!exists(&mut c, "i"));
}

#[test]
fn spop_count() {
    let mut c = TestConn::new();
    let all = abc(&mut c);
    assert_eq!(c.cmd(&["spop", "s", "0"]), "*0\r\n");
    assert_eq!(c.cmd(&["scard", "s"]), int(5));
    let two = bulk_items(&c.cmd(&["spop", "s", "2"]));
    assert_eq!(two.len(), 2);
    assert!(distinct(&two) && two.iter().all(|m| all.contains(m)));
    let left = members(&mut c, "s");
    assert_eq!(left.len(), 3);
    assert!(two.iter().all(|m| !left.contains(m)));
    // A count at least the size pops it all and deletes the key.
    let rest = c.cmd(&["spop", "s", "3"]);
    assert_eq!(sorted(bulk_items(&rest)), left);
    assert!(rest.starts_with("*3\r\n"));
    assert!(!exists(&mut c, "s"));
    assert_eq!(c.cmd(&["spop", "s", "3"]), "*0\r\n");
    assert_eq!(c.cmd(&["spop", "s", "0"]), "*0\r\n");
    sadd(&mut c, "i", &["5", "3", "1"]);
    assert_eq!(c.cmd(&["spop", "i", "9223372036854775807"]), bulks(&["1", "3", "5"]));
    assert!(!exists(&mut c, "i"));
    // The whole of a listpack comes out as a union would list it.
    sadd(&mut c, "l", &["b", "3", "a", "1"]);
    assert_eq!(c.cmd(&["spop", "l", "4"]), bulks(&["b", "3", "a", "1"]));
    sadd(&mut c, "l", &["3", "1", "b"]);
    assert_eq!(c.cmd(&["spop", "l", "10"]), bulks(&["1", "3", "b"]));
}

#[test]
fn spop_count_errors() {
    let mut c = TestConn::new();
    abc(&mut c);
    let positive = err("ERR value is out of range, must be positive");
    for count in ["-1", "x", "1.5", "", "-9223372036854775808", "9223372036854775808"] {
        assert_eq!(c.cmd(&["spop", "s", count]), positive, "{count:?}");
    }
    // The count is checked before the key.
    assert_eq!(c.cmd(&["spop", "nosuch", "-1"]), positive);
    c.cmd(&["set", "str", "v"]);
    assert_eq!(c.cmd(&["spop", "str", "-1"]), positive);
    assert_eq!(c.cmd(&["spop", "str", "1"]), WRONGTYPE);
    assert_eq!(c.cmd(&["spop", "str", "0"]), WRONGTYPE);
    assert_eq!(c.cmd(&["spop", "str"]), WRONGTYPE);
    assert_eq!(c.cmd(&["spop", "s", "1", "2"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["spop", "nosuch", "1", "2"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["spop"]), err("ERR wrong number of arguments for 'spop' command"));
    assert_eq!(c.cmd(&["scard", "s"]), int(5));
}

#[test]
fn spop_count_on_every_encoding_and_strategy() {
    for &(n, count, f) in CASES {
        let mut c = TestConn::new();
        sadd_n(&mut c, "s", n, f);
        let all: BTreeSet<String> = (0..n).map(f).collect();
        let reply = c.cmd(&["spop", "s", &count.to_string()]);
        assert!(reply.starts_with(&format!("*{count}\r\n")), "{n} {count}");
        let popped = bulk_items(&reply);
        assert_eq!(popped.len(), count);
        assert!(distinct(&popped));
        assert!(popped.iter().all(|m| all.contains(m)));
        let left: BTreeSet<String> = members(&mut c, "s").into_iter().collect();
        assert_eq!(left.len(), n - count);
        let mut union = left.clone();
        union.extend(popped);
        assert_eq!(union, all, "popped and left make up the set ({n} {count})");
    }
}

#[test]
fn srandmember_without_count() {
    let mut c = TestConn::new();
    let all = abc(&mut c);
    let mut seen = BTreeSet::new();
    for _ in 0..200 {
        let m = bulk_items(&c.cmd(&["srandmember", "s"])).pop().unwrap();
        assert!(all.contains(&m));
        seen.insert(m);
    }
    assert_eq!(seen.len(), 5, "every member comes up");
    assert_eq!(c.cmd(&["scard", "s"]), int(5));
    assert_eq!(c.cmd(&["srandmember", "nosuch"]), "$-1\r\n");
    sadd(&mut c, "i", &["42"]);
    assert_eq!(c.cmd(&["srandmember", "i"]), bulk("42"));
}

#[test]
fn srandmember_count() {
    let mut c = TestConn::new();
    let all = abc(&mut c);
    assert_eq!(c.cmd(&["srandmember", "s", "0"]), "*0\r\n");
    assert_eq!(c.cmd(&["srandmember", "nosuch", "5"]), "*0\r\n");
    assert_eq!(c.cmd(&["srandmember", "nosuch", "-5"]), "*0\r\n");
    assert_eq!(c.cmd(&["srandmember", "nosuch", "0"]), "*0\r\n");
    for count in 1..=4 {
        let got = bulk_items(&c.cmd(&["srandmember", "s", &count.to_string()]));
        assert_eq!(got.len(), count);
        assert!(distinct(&got) && got.iter().all(|m| all.contains(m)));
    }
    // At least the size: the whole set, in its order.
    assert_eq!(c.cmd(&["srandmember", "s", "5"]), bulks(&["a", "b", "c", "d", "e"]));
    assert_eq!(c.cmd(&["srandmember", "s", "9223372036854775807"]), bulks(&["a", "b", "c", "d", "e"]));
    // Negative: exactly that many draws, repeats allowed.
    let got = bulk_items(&c.cmd(&["srandmember", "s", "-100"]));
    assert_eq!(got.len(), 100);
    assert!(got.iter().all(|m| all.contains(m)));
    assert_eq!(got.iter().collect::<BTreeSet<_>>().len(), 5);
    assert_eq!(bulk_items(&c.cmd(&["srandmember", "s", "-1"])).len(), 1);
    assert_eq!(c.cmd(&["scard", "s"]), int(5));
    sadd(&mut c, "i", &["9", "-4", "2"]);
    assert_eq!(c.cmd(&["srandmember", "i", "3"]), bulks(&["-4", "2", "9"]));
}

#[test]
fn srandmember_count_errors() {
    let mut c = TestConn::new();
    abc(&mut c);
    let not_int = err("ERR value is not an integer or out of range");
    for count in ["x", "1.5", "", "9223372036854775808", "-9223372036854775809"] {
        assert_eq!(c.cmd(&["srandmember", "s", count]), not_int, "{count:?}");
    }
    assert_eq!(
        c.cmd(&["srandmember", "s", "-9223372036854775808"]),
        err("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807")
    );
    c.cmd(&["set", "str", "v"]);
    assert_eq!(c.cmd(&["srandmember", "str", "x"]), not_int);
    assert_eq!(c.cmd(&["srandmember", "str", "1"]), WRONGTYPE);
    assert_eq!(c.cmd(&["srandmember", "str", "0"]), WRONGTYPE);
    assert_eq!(c.cmd(&["srandmember", "str"]), WRONGTYPE);
    assert_eq!(c.cmd(&["srandmember", "s", "1", "2"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["srandmember"]), err("ERR wrong number of arguments for 'srandmember' command"));
}

#[test]
fn srandmember_count_on_every_encoding_and_strategy() {
    for &(n, count, f) in CASES {
        let mut c = TestConn::new();
        sadd_n(&mut c, "s", n, f);
        let all: BTreeSet<String> = (0..n).map(f).collect();
        let mut seen = BTreeSet::new();
        for _ in 0..20 {
            let got = bulk_items(&c.cmd(&["srandmember", "s", &count.to_string()]));
            assert_eq!(got.len(), count);
            assert!(distinct(&got), "{n} {count}");
            assert!(got.iter().all(|m| all.contains(m)));
            seen.extend(got);
        }
        assert!(seen.len() > count, "not always the same members ({n} {count})");
        let got = bulk_items(&c.cmd(&["srandmember", "s", &format!("-{count}")]));
        assert_eq!(got.len(), count);
        assert!(got.iter().all(|m| all.contains(m)));
        assert_eq!(c.cmd(&["scard", "s"]), int(n as i64));
    }
}

#[test]
fn random_picks_reach_every_member_of_a_hashtable() {
    let mut c = TestConn::new();
    sadd_n(&mut c, "h", 300, |i| format!("m{i}"));
    let mut seen = BTreeSet::new();
    for _ in 0..20 {
        seen.extend(bulk_items(&c.cmd(&["srandmember", "h", "-300"])));
    }
    assert_eq!(seen.len(), 300);
}

#[test]
fn pops_count_as_changes_and_srandmember_as_reads() {
    let mut c = TestConn::new();
    sadd_n(&mut c, "s", 10, |i| format!("m{i}"));
    let d0 = dirty(&c);
    c.cmd(&["spop", "s"]);
    c.cmd(&["spop", "s", "3"]);
    c.cmd(&["spop", "s", "0"]);
    assert_eq!(dirty(&c) - d0, 4);
    c.cmd(&["spop", "s", "100"]);
    assert_eq!(dirty(&c) - d0, 10);
    sadd(&mut c, "t", &["a"]);
    let h0 = hits(&c);
    c.cmd(&["srandmember", "t"]);
    c.cmd(&["srandmember", "t", "2"]);
    c.cmd(&["srandmember", "nosuch", "2"]);
    assert_eq!((hits(&c).0 - h0.0, hits(&c).1 - h0.1), (2, 1));
}
