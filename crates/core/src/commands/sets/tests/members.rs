//! SADD SREM SMOVE SMEMBERS SISMEMBER SMISMEMBER SCARD.

use super::*;

#[test]
fn sadd_counts_only_new_members_and_creates_the_key() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["sadd", "s", "a", "b", "a"]), int(2));
    assert_eq!(c.cmd(&["sadd", "s", "b", "c"]), int(1));
    assert_eq!(c.cmd(&["sadd", "s", "a"]), int(0));
    assert_eq!(c.cmd(&["type", "s"]), "+set\r\n");
    assert_eq!(c.cmd(&["smembers", "s"]), bulks(&["a", "b", "c"]));
    assert_eq!(c.cmd(&["scard", "s"]), int(3));
}

#[test]
fn members_are_binary_safe() {
    let mut c = TestConn::new();
    let odd: &[&[u8]] = &[b"sadd", b"s", b"", b"\x00\xff", b"a\r\nb", b"  "];
    assert_eq!(c.cmd_bytes(odd), b":4\r\n");
    assert_eq!(c.cmd_bytes(&[b"sismember", b"s", b""]), b":1\r\n");
    assert_eq!(c.cmd_bytes(&[b"sismember", b"s", b"\x00\xff"]), b":1\r\n");
    assert_eq!(c.cmd_bytes(&[b"smembers", b"s"]), b"*4\r\n$0\r\n\r\n$2\r\n\x00\xff\r\n$4\r\na\r\nb\r\n$2\r\n  \r\n");
    assert_eq!(c.cmd_bytes(&[b"srem", b"s", b"a\r\nb", b""]), b":2\r\n");
    assert_eq!(c.cmd_bytes(&[b"smembers", b"s"]), b"*2\r\n$2\r\n\x00\xff\r\n$2\r\n  \r\n");
}

#[test]
fn srem_counts_removed_members_and_deletes_an_emptied_key() {
    let mut c = TestConn::new();
    sadd(&mut c, "s", &["a", "b", "c"]);
    assert_eq!(c.cmd(&["srem", "s", "a", "a", "nosuch"]), int(1));
    assert_eq!(c.cmd(&["smembers", "s"]), bulks(&["b", "c"]));
    assert_eq!(c.cmd(&["srem", "nosuch", "a"]), int(0));
    assert_eq!(c.cmd(&["srem", "s", "b", "c", "d"]), int(2));
    assert!(!exists(&mut c, "s"));
    assert_eq!(c.cmd(&["scard", "s"]), int(0));
    // Integers, and strings an intset can never hold.
    sadd(&mut c, "i", &["1", "2", "3"]);
    assert_eq!(c.cmd(&["srem", "i", "01", "x", "+1", "2"]), int(1));
    assert_eq!(c.cmd(&["smembers", "i"]), bulks(&["1", "3"]));
}

#[test]
fn smembers_orders() {
    let mut c = TestConn::new();
    // An intset is ascending; a listpack keeps insertion order (7.2).
    sadd(&mut c, "i", &["10", "-2", "7", "0"]);
    assert_eq!(c.cmd(&["smembers", "i"]), bulks(&["-2", "0", "7", "10"]));
    sadd(&mut c, "l", &["b", "a", "10", "c"]);
    assert_eq!(c.cmd(&["smembers", "l"]), bulks(&["b", "a", "10", "c"]));
    // Turning an intset into a listpack keeps the ascending integers first.
    sadd(&mut c, "m", &["3", "1", "z", "2"]);
    assert_eq!(c.cmd(&["smembers", "m"]), bulks(&["1", "3", "z", "2"]));
    assert_eq!(c.cmd(&["smembers", "nosuch"]), "*0\r\n");
}

#[test]
fn sismember_smismember_scard() {
    let mut c = TestConn::new();
    sadd(&mut c, "s", &["a", "1"]);
    assert_eq!(c.cmd(&["sismember", "s", "a"]), int(1));
    assert_eq!(c.cmd(&["sismember", "s", "1"]), int(1));
    assert_eq!(c.cmd(&["sismember", "s", "z"]), int(0));
    assert_eq!(c.cmd(&["sismember", "nosuch", "a"]), int(0));
    assert_eq!(c.cmd(&["smismember", "s", "a", "z", "1", "a"]), ints(&[1, 0, 1, 1]));
    assert_eq!(c.cmd(&["smismember", "nosuch", "a", "b"]), ints(&[0, 0]));
    assert_eq!(c.cmd(&["scard", "s"]), int(2));
    assert_eq!(c.cmd(&["scard", "nosuch"]), int(0));
    sadd(&mut c, "i", &["5", "-9223372036854775808"]);
    assert_eq!(
        c.cmd(&["smismember", "i", "5", "05", "+5", "5.0", " 5", "-9223372036854775808", "x"]),
        ints(&[1, 0, 0, 0, 0, 1, 0])
    );
}

#[test]
fn wrong_types_and_arity() {
    let mut c = TestConn::new();
    c.cmd(&["set", "str", "v"]);
    for cmd in [
        &["sadd", "str", "a"][..],
        &["srem", "str", "a"],
        &["smembers", "str"],
        &["sismember", "str", "a"],
        &["smismember", "str", "a"],
        &["scard", "str"],
    ] {
        assert_eq!(c.cmd(cmd), WRONGTYPE, "{cmd:?}");
    }
    assert_eq!(c.cmd(&["get", "str"]), bulk("v"));
    for (cmd, name) in [
        (&["sadd", "s"][..], "sadd"),
        (&["srem", "s"], "srem"),
        (&["smembers"], "smembers"),
        (&["smembers", "a", "b"], "smembers"),
        (&["sismember", "s"], "sismember"),
        (&["sismember", "s", "a", "b"], "sismember"),
        (&["smismember", "s"], "smismember"),
        (&["scard"], "scard"),
        (&["smove", "a", "b"], "smove"),
        (&["smove", "a", "b", "c", "d"], "smove"),
    ] {
        assert_eq!(c.cmd(cmd), err(&format!("ERR wrong number of arguments for '{name}' command")));
    }
}

#[test]
fn smove_moves_one_member() {
    let mut c = TestConn::new();
    sadd(&mut c, "src", &["1", "2", "3"]);
    sadd(&mut c, "dst", &["3", "4"]);
    assert_eq!(c.cmd(&["smove", "src", "dst", "1"]), int(1));
    assert_eq!(c.cmd(&["smembers", "src"]), bulks(&["2", "3"]));
    assert_eq!(c.cmd(&["smembers", "dst"]), bulks(&["1", "3", "4"]));
    // Already in the destination: still moved (gone from the source).
    assert_eq!(c.cmd(&["smove", "src", "dst", "3"]), int(1));
    assert_eq!(c.cmd(&["smembers", "src"]), bulks(&["2"]));
    assert_eq!(c.cmd(&["smembers", "dst"]), bulks(&["1", "3", "4"]));
    assert_eq!(c.cmd(&["smove", "src", "dst", "nosuch"]), int(0));
    assert_eq!(c.cmd(&["smove", "nosuch", "dst", "1"]), int(0));
    // The last member: the source goes, a missing destination is created.
    assert_eq!(c.cmd(&["smove", "src", "new", "2"]), int(1));
    assert!(!exists(&mut c, "src"));
    assert_eq!(c.cmd(&["smembers", "new"]), bulks(&["2"]));
    assert_eq!(encoding(&mut c, "new"), "intset");
    assert_eq!(c.cmd(&["smove", "dst", "new2", "x"]), int(0));
    assert!(!exists(&mut c, "new2"));
    sadd(&mut c, "strs", &["a", "b"]);
    assert_eq!(c.cmd(&["smove", "strs", "new3", "a"]), int(1));
    assert_eq!(encoding(&mut c, "new3"), "listpack");
}

#[test]
fn smove_to_itself_and_wrong_types() {
    let mut c = TestConn::new();
    sadd(&mut c, "s", &["a", "b"]);
    assert_eq!(c.cmd(&["smove", "s", "s", "a"]), int(1));
    assert_eq!(c.cmd(&["smove", "s", "s", "z"]), int(0));
    assert_eq!(c.cmd(&["smembers", "s"]), bulks(&["a", "b"]));
    c.cmd(&["set", "str", "v"]);
    assert_eq!(c.cmd(&["smove", "str", "s", "a"]), WRONGTYPE);
    assert_eq!(c.cmd(&["smove", "s", "str", "a"]), WRONGTYPE);
    // Even a member the source lacks: the types are checked first.
    assert_eq!(c.cmd(&["smove", "s", "str", "zz"]), WRONGTYPE);
    assert_eq!(c.cmd(&["smove", "str", "str", "a"]), WRONGTYPE);
    // A missing source is 0 whatever the destination holds.
    assert_eq!(c.cmd(&["smove", "nosuch", "str", "a"]), int(0));
    assert_eq!(c.cmd(&["smembers", "s"]), bulks(&["a", "b"]));
}

#[test]
fn writes_count_as_changes() {
    let mut c = TestConn::new();
    let d0 = dirty(&c);
    sadd(&mut c, "s", &["a", "b", "a"]);
    assert_eq!(dirty(&c) - d0, 2);
    sadd(&mut c, "s", &["a"]);
    assert_eq!(dirty(&c) - d0, 2);
    c.cmd(&["srem", "s", "a", "x"]);
    assert_eq!(dirty(&c) - d0, 3);
    sadd(&mut c, "t", &["b"]);
    let d1 = dirty(&c);
    // Removed from one and added to the other: two changes; already there: one.
    c.cmd(&["smove", "s", "u", "b"]);
    assert_eq!(dirty(&c) - d1, 2);
    sadd(&mut c, "s", &["b"]);
    let d2 = dirty(&c);
    c.cmd(&["smove", "s", "t", "b"]);
    assert_eq!(dirty(&c) - d2, 1);
    c.cmd(&["smove", "t", "t", "b"]);
    c.cmd(&["smove", "t", "u", "nosuch"]);
    assert_eq!(dirty(&c) - d2, 1);
}

#[test]
fn reads_count_keyspace_hits_and_misses() {
    let mut c = TestConn::new();
    sadd(&mut c, "s", &["a"]);
    let h0 = hits(&c);
    for cmd in [&["smembers", "s"][..], &["sismember", "s", "a"], &["smismember", "s", "a"], &["scard", "s"]] {
        c.cmd(cmd);
    }
    c.cmd(&["scard", "nosuch"]);
    assert_eq!((hits(&c).0 - h0.0, hits(&c).1 - h0.1), (4, 1));
    // Writes look keys up without counting.
    c.cmd(&["sadd", "s", "b"]);
    c.cmd(&["srem", "s", "b"]);
    c.cmd(&["smove", "s", "t", "zz"]);
    assert_eq!((hits(&c).0 - h0.0, hits(&c).1 - h0.1), (4, 1));
}

#[test]
fn expired_sets_are_gone() {
    let mut c = TestConn::new();
    sadd(&mut c, "s", &["a", "b"]);
    c.cmd(&["pexpire", "s", "100"]);
    c.advance(100);
    assert_eq!(c.cmd(&["scard", "s"]), int(0));
    sadd(&mut c, "t", &["a"]);
    c.cmd(&["pexpire", "t", "100"]);
    c.advance(100);
    // A new set, without the old members or deadline.
    assert_eq!(c.cmd(&["sadd", "t", "b"]), int(1));
    assert_eq!(c.cmd(&["smembers", "t"]), bulks(&["b"]));
    assert_eq!(c.cmd(&["pttl", "t"]), int(-1));
    sadd(&mut c, "u", &["a"]);
    c.cmd(&["pexpire", "u", "100"]);
    c.advance(100);
    assert_eq!(c.cmd(&["smove", "u", "v", "a"]), int(0));
    assert!(!exists(&mut c, "v"));
}
