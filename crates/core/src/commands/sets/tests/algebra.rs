//! SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE.

use super::*;

fn abc(c: &mut TestConn) {
    sadd(c, "a", &["1", "2", "3", "4", "5", "6"]);
    sadd(c, "b", &["4", "5", "6", "7", "8"]);
    sadd(c, "c", &["5", "6", "9"]);
}

#[test]
fn sinter() {
    let mut c = TestConn::new();
    abc(&mut c);
    assert_eq!(c.cmd(&["sinter", "a", "b"]), bulks(&["4", "5", "6"]));
    assert_eq!(c.cmd(&["sinter", "a", "b", "c"]), bulks(&["5", "6"]));
    assert_eq!(c.cmd(&["sinter", "c", "b", "a"]), bulks(&["5", "6"]));
    assert_eq!(c.cmd(&["sinter", "a"]), bulks(&["1", "2", "3", "4", "5", "6"]));
    assert_eq!(c.cmd(&["sinter", "a", "a"]), bulks(&["1", "2", "3", "4", "5", "6"]));
    assert_eq!(c.cmd(&["sinter", "a", "nosuch"]), "*0\r\n");
    assert_eq!(c.cmd(&["sinter", "nosuch", "a"]), "*0\r\n");
    sadd(&mut c, "s", &["x", "5", "y"]);
    sadd(&mut c, "t", &["y", "6", "5", "x", "z"]);
    // The smallest set is walked: its order is the reply's.
    assert_eq!(c.cmd(&["sinter", "t", "s"]), bulks(&["x", "5", "y"]));
    assert_eq!(c.cmd(&["sinter", "a", "s"]), bulks(&["5"]));
    sadd_n(&mut c, "h", 600, |i| i.to_string());
    assert_eq!(c.cmd(&["sinter", "h", "c"]), bulks(&["5", "6", "9"]));
}

#[test]
fn sintercard() {
    let mut c = TestConn::new();
    abc(&mut c);
    assert_eq!(c.cmd(&["sintercard", "2", "a", "b"]), int(3));
    assert_eq!(c.cmd(&["sintercard", "3", "a", "b", "c"]), int(2));
    assert_eq!(c.cmd(&["sintercard", "1", "a"]), int(6));
    assert_eq!(c.cmd(&["sintercard", "2", "a", "nosuch"]), int(0));
    assert_eq!(c.cmd(&["sintercard", "2", "a", "b", "LIMIT", "0"]), int(3));
    assert_eq!(c.cmd(&["sintercard", "2", "a", "b", "LIMIT", "1"]), int(1));
    assert_eq!(c.cmd(&["sintercard", "2", "a", "b", "limit", "2"]), int(2));
    assert_eq!(c.cmd(&["sintercard", "2", "a", "b", "LIMIT", "100"]), int(3));
    assert_eq!(c.cmd(&["sintercard", "2", "a", "b", "LIMIT", "1", "LIMIT", "2"]), int(2));
    // The keys are counted by numkeys: a key named LIMIT is a key.
    assert_eq!(c.cmd(&["sintercard", "2", "a", "LIMIT"]), int(0));
}

#[test]
fn sintercard_errors() {
    let mut c = TestConn::new();
    abc(&mut c);
    let numkeys = err("ERR numkeys should be greater than 0");
    for n in ["0", "-1", "x", "", "1.5", "9223372036854775808"] {
        assert_eq!(c.cmd(&["sintercard", n, "a"]), numkeys, "{n:?}");
    }
    assert_eq!(c.cmd(&["sintercard", "3", "a", "b"]), err("ERR Number of keys can't be greater than number of args"));
    assert_eq!(
        c.cmd(&["sintercard", "9223372036854775807", "a"]),
        err("ERR Number of keys can't be greater than number of args")
    );
    let negative = err("ERR LIMIT can't be negative");
    for l in ["-1", "x", "1.5", ""] {
        assert_eq!(c.cmd(&["sintercard", "2", "a", "b", "LIMIT", l]), negative, "{l:?}");
    }
    assert_eq!(c.cmd(&["sintercard", "2", "a", "b", "LIMIT"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["sintercard", "2", "a", "b", "FOO", "1"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["sintercard", "1", "a", "b"]), err("ERR syntax error"));
    // Options are checked before keys are looked up.
    c.cmd(&["set", "str", "v"]);
    assert_eq!(c.cmd(&["sintercard", "1", "str", "LIMIT", "-1"]), negative);
    assert_eq!(c.cmd(&["sintercard", "1", "str"]), WRONGTYPE);
    assert_eq!(c.cmd(&["sintercard", "2", "nosuch", "str"]), WRONGTYPE);
    assert_eq!(c.cmd(&["sintercard", "1"]), err("ERR wrong number of arguments for 'sintercard' command"));
}

#[test]
fn sinterstore() {
    let mut c = TestConn::new();
    abc(&mut c);
    assert_eq!(c.cmd(&["sinterstore", "dst", "a", "b"]), int(3));
    assert_eq!(c.cmd(&["smembers", "dst"]), bulks(&["4", "5", "6"]));
    // Empty: the destination goes, whatever it held.
    assert_eq!(c.cmd(&["sinterstore", "dst", "a", "nosuch"]), int(0));
    assert!(!exists(&mut c, "dst"));
    c.cmd(&["set", "dst", "str"]);
    sadd(&mut c, "d", &["100"]);
    assert_eq!(c.cmd(&["sinterstore", "dst", "a", "d"]), int(0));
    assert!(!exists(&mut c, "dst"));
    // A result replaces any value and its deadline.
    c.cmd(&["set", "dst", "str"]);
    c.cmd(&["expire", "dst", "100"]);
    assert_eq!(c.cmd(&["sinterstore", "dst", "a", "b"]), int(3));
    assert_eq!(c.cmd(&["type", "dst"]), "+set\r\n");
    assert_eq!(c.cmd(&["ttl", "dst"]), int(-1));
    // A source may be the destination.
    assert_eq!(c.cmd(&["sinterstore", "a", "a", "c"]), int(2));
    assert_eq!(c.cmd(&["smembers", "a"]), bulks(&["5", "6"]));
}

#[test]
fn sunion_and_sunionstore() {
    let mut c = TestConn::new();
    sadd(&mut c, "a", &["3", "1", "2"]);
    sadd(&mut c, "b", &["2", "5", "4"]);
    assert_eq!(c.cmd(&["sunion", "a", "b"]), bulks(&["1", "2", "3", "4", "5"]));
    assert_eq!(c.cmd(&["sunion", "b", "a", "nosuch"]), bulks(&["1", "2", "3", "4", "5"]));
    assert_eq!(c.cmd(&["sunion", "nosuch"]), "*0\r\n");
    assert_eq!(c.cmd(&["sunion", "nosuch", "nosuch2"]), "*0\r\n");
    sadd(&mut c, "s", &["y", "x", "1"]);
    assert_eq!(c.cmd(&["sunion", "s", "a"]), bulks(&["y", "x", "1", "2", "3"]));
    assert_eq!(c.cmd(&["sunion", "a", "s"]), bulks(&["1", "2", "3", "y", "x"]));
    assert_eq!(c.cmd(&["sunionstore", "dst", "a", "b"]), int(5));
    assert_eq!(c.cmd(&["smembers", "dst"]), bulks(&["1", "2", "3", "4", "5"]));
    assert_eq!(c.cmd(&["sunionstore", "dst", "nosuch", "nosuch2"]), int(0));
    assert!(!exists(&mut c, "dst"));
    c.cmd(&["set", "dst", "v"]);
    c.cmd(&["expire", "dst", "100"]);
    assert_eq!(c.cmd(&["sunionstore", "dst", "a"]), int(3));
    assert_eq!(c.cmd(&["ttl", "dst"]), int(-1));
    assert_eq!(c.cmd(&["sunionstore", "a", "a", "b"]), int(5));
    assert_eq!(c.cmd(&["smembers", "a"]), bulks(&["1", "2", "3", "4", "5"]));
    // Big: every member once.
    sadd_n(&mut c, "h1", 400, |i| format!("m{i}"));
    sadd_n(&mut c, "h2", 400, |i| format!("m{}", i + 200));
    assert_eq!(c.cmd(&["sunionstore", "u", "h1", "h2"]), int(600));
    assert_eq!(members(&mut c, "u"), sorted((0..600).map(|i| format!("m{i}")).collect()));
    assert_eq!(encoding(&mut c, "u"), "hashtable");
}

#[test]
fn sdiff_and_sdiffstore() {
    let mut c = TestConn::new();
    sadd(&mut c, "a", &["1", "2", "3", "4", "5"]);
    sadd(&mut c, "b", &["2", "4"]);
    sadd(&mut c, "c", &["5", "6"]);
    assert_eq!(c.cmd(&["sdiff", "a", "b"]), bulks(&["1", "3", "5"]));
    assert_eq!(c.cmd(&["sdiff", "a", "b", "c"]), bulks(&["1", "3"]));
    assert_eq!(c.cmd(&["sdiff", "a", "nosuch"]), bulks(&["1", "2", "3", "4", "5"]));
    assert_eq!(c.cmd(&["sdiff", "a"]), bulks(&["1", "2", "3", "4", "5"]));
    assert_eq!(c.cmd(&["sdiff", "nosuch", "a"]), "*0\r\n");
    assert_eq!(c.cmd(&["sdiff", "a", "a"]), "*0\r\n");
    assert_eq!(c.cmd(&["sdiff", "a", "b", "a"]), "*0\r\n");
    assert_eq!(c.cmd(&["sdiff", "a", "nosuch", "nosuch"]), bulks(&["1", "2", "3", "4", "5"]));
    sadd(&mut c, "s", &["x", "1", "y", "3"]);
    assert_eq!(c.cmd(&["sdiff", "s", "a"]), bulks(&["x", "y"]));
    assert_eq!(c.cmd(&["sdiffstore", "dst", "a", "b", "c"]), int(2));
    assert_eq!(c.cmd(&["smembers", "dst"]), bulks(&["1", "3"]));
    assert_eq!(c.cmd(&["sdiffstore", "dst", "a", "a"]), int(0));
    assert!(!exists(&mut c, "dst"));
    c.cmd(&["set", "dst", "v"]);
    assert_eq!(c.cmd(&["sdiffstore", "dst", "nosuch", "a"]), int(0));
    assert!(!exists(&mut c, "dst"));
    c.cmd(&["set", "dst", "v"]);
    c.cmd(&["expire", "dst", "100"]);
    assert_eq!(c.cmd(&["sdiffstore", "dst", "a", "b"]), int(3));
    assert_eq!(c.cmd(&["ttl", "dst"]), int(-1));
    assert_eq!(c.cmd(&["sdiffstore", "a", "a", "b"]), int(3));
    assert_eq!(c.cmd(&["smembers", "a"]), bulks(&["1", "3", "5"]));
    // Both algorithms give the same members.
    sadd_n(&mut c, "big", 300, |i| format!("m{i}"));
    sadd(&mut c, "few", &["m1", "m2", "zzz"]);
    sadd(&mut c, "one", &["m3"]);
    let expect: Vec<String> = sorted((4..300).map(|i| format!("m{i}")).chain(["m0".to_string()]).collect());
    assert_eq!(sorted(bulk_items(&c.cmd(&["sdiff", "big", "few", "one"]))), expect);
    assert_eq!(c.cmd(&["sdiff", "few", "big"]), bulks(&["zzz"]));
    sadd_n(&mut c, "most", 290, |i| format!("m{i}"));
    assert_eq!(
        sorted(bulk_items(&c.cmd(&["sdiff", "big", "most"]))),
        sorted((290..300).map(|i| format!("m{i}")).collect())
    );
    assert_eq!(c.cmd(&["sdiffstore", "d", "big", "big", "few"]), int(0));
}

#[test]
fn wrong_types_anywhere_among_the_sources() {
    let mut c = TestConn::new();
    sadd(&mut c, "s", &["a"]);
    c.cmd(&["set", "str", "v"]);
    for cmd in [
        &["sinter", "s", "str"][..],
        &["sinter", "nosuch", "str"],
        &["sinter", "str", "nosuch"],
        &["sinterstore", "dst", "s", "str"],
        &["sinterstore", "dst", "nosuch", "str"],
        &["sunion", "s", "str"],
        &["sunion", "nosuch", "str"],
        &["sunionstore", "dst", "s", "str"],
        &["sdiff", "s", "str"],
        &["sdiff", "nosuch", "str"],
        &["sdiff", "str", "s"],
        &["sdiffstore", "dst", "s", "str"],
        &["sdiffstore", "dst", "nosuch", "str"],
    ] {
        assert_eq!(c.cmd(cmd), WRONGTYPE, "{cmd:?}");
    }
    assert!(!exists(&mut c, "dst"));
    // A destination of another type is simply replaced.
    for cmd in ["sinterstore", "sunionstore", "sdiffstore"] {
        c.cmd(&["set", "str", "v"]);
        assert_eq!(c.cmd(&[cmd, "str", "s"]), int(1));
        assert_eq!(c.cmd(&["type", "str"]), "+set\r\n");
    }
    for (cmd, name) in [
        (&["sinter"][..], "sinter"),
        (&["sinterstore", "d"], "sinterstore"),
        (&["sunion"], "sunion"),
        (&["sunionstore", "d"], "sunionstore"),
        (&["sdiff"], "sdiff"),
        (&["sdiffstore", "d"], "sdiffstore"),
    ] {
        assert_eq!(c.cmd(cmd), err(&format!("ERR wrong number of arguments for '{name}' command")));
    }
}

#[test]
fn stores_count_changes_and_sources_count_reads() {
    let mut c = TestConn::new();
    abc(&mut c);
    let d0 = dirty(&c);
    let h0 = hits(&c);
    c.cmd(&["sinterstore", "d", "a", "b"]);
    c.cmd(&["sunionstore", "d", "a", "nosuch"]);
    c.cmd(&["sdiffstore", "d", "a", "b", "c"]);
    assert_eq!(dirty(&c) - d0, 3);
    assert_eq!((hits(&c).0 - h0.0, hits(&c).1 - h0.1), (6, 1));
    // Deleting a destination counts; finding nothing to delete does not.
    c.cmd(&["sinterstore", "d", "a", "nosuch"]);
    c.cmd(&["sinterstore", "d", "a", "nosuch"]);
    c.cmd(&["sdiffstore", "d", "a", "a"]);
    assert_eq!(dirty(&c) - d0, 4);
    let h1 = hits(&c);
    c.cmd(&["sinter", "a", "b"]);
    c.cmd(&["sintercard", "2", "a", "nosuch"]);
    c.cmd(&["sunion", "a"]);
    c.cmd(&["sdiff", "nosuch", "b"]);
    assert_eq!((hits(&c).0 - h1.0, hits(&c).1 - h1.1), (5, 2));
}

#[test]
fn large_intersections() {
    let mut c = TestConn::new();
    sadd_n(&mut c, "x", 1000, |i| format!("m{i}"));
    sadd_n(&mut c, "y", 1000, |i| format!("m{}", i + 500));
    assert_eq!(c.cmd(&["sintercard", "2", "x", "y"]), int(500));
    assert_eq!(c.cmd(&["sintercard", "2", "x", "y", "LIMIT", "10"]), int(10));
    assert_eq!(c.cmd(&["sinterstore", "z", "x", "y"]), int(500));
    assert_eq!(members(&mut c, "z"), sorted((500..1000).map(|i| format!("m{i}")).collect()));
    assert_eq!(encoding(&mut c, "z"), "hashtable");
    assert_eq!(sorted(bulk_items(&c.cmd(&["sinter", "y", "x"]))), members(&mut c, "z"));
}
