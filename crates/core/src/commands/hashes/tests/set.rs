//! HSET HMSET HSETNX.

use super::*;

#[test]
fn hset_counts_new_fields_and_keeps_order() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HSET h a 1 b 2 a 3"), int(2));
    assert_eq!(run(&mut c, "HGETALL h"), bulks(&["a", "3", "b", "2"]));
    assert_eq!(run(&mut c, "HSET h b x c y"), int(1));
    assert_eq!(run(&mut c, "HGETALL h"), bulks(&["a", "3", "b", "x", "c", "y"]));
    assert_eq!(run(&mut c, "hset h c z"), int(0));
    // Three pairs, then two, then one: one change each.
    assert_eq!(stats(&c).0, 6);
}

#[test]
fn hmset_replies_ok() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HMSET h a 1"), OK);
    assert_eq!(run(&mut c, "HMSET h a 2 b 3"), OK);
    assert_eq!(run(&mut c, "HGETALL h"), bulks(&["a", "2", "b", "3"]));
    assert_eq!(stats(&c).0, 3);
}

#[test]
fn odd_arguments_are_an_arity_error() {
    let mut c = TestConn::new();
    for (line, cmd) in [
        ("HSET h", "hset"),
        ("HSET h a", "hset"),
        ("HSET h a 1 b", "hset"),
        ("HMSET h a", "hmset"),
        ("hmset h a 1 b", "hmset"),
        ("HSETNX h a", "hsetnx"),
        ("HSETNX h a 1 2", "hsetnx"),
    ] {
        assert_eq!(run(&mut c, line), arity(cmd), "{line}");
    }
    assert_eq!(run(&mut c, "EXISTS h"), int(0));
    assert_eq!(stats(&c).0, 0);
}

#[test]
fn hsetnx_sets_only_missing_fields() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HSETNX h a 1"), int(1));
    assert_eq!(run(&mut c, "HSETNX h a 2"), int(0));
    assert_eq!(run(&mut c, "HSETNX h b 2"), int(1));
    assert_eq!(run(&mut c, "HGETALL h"), bulks(&["a", "1", "b", "2"]));
    assert_eq!(stats(&c).0, 2);
}

#[test]
fn writers_refuse_other_types() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "SET s v"), OK);
    for line in ["HSET s a 1", "HMSET s a 1", "HSETNX s a 1", "HDEL s a", "HINCRBY s a 1", "HINCRBYFLOAT s a 1"] {
        assert_eq!(run(&mut c, line), WRONGTYPE, "{line}");
    }
    assert_eq!(run(&mut c, "GET s"), bulk("v"));
}

#[test]
fn binary_and_empty_fields() {
    let mut c = TestConn::new();
    let odd: &[u8] = b"\x00\r\n\xff";
    assert_eq!(c.cmd_bytes(&[b"HSET", b"h", odd, odd, b"", b""]), b":2\r\n");
    assert_eq!(c.cmd_bytes(&[b"HGET", b"h", odd]), b"$4\r\n\x00\r\n\xff\r\n");
    assert_eq!(c.cmd_bytes(&[b"HGET", b"h", b""]), b"$0\r\n\r\n");
    assert_eq!(c.cmd_bytes(&[b"HSTRLEN", b"h", odd]), b":4\r\n");
    assert_eq!(
        c.cmd_bytes(&[b"HGETALL", b"h"]),
        b"*4\r\n$4\r\n\x00\r\n\xff\r\n$4\r\n\x00\r\n\xff\r\n$0\r\n\r\n$0\r\n\r\n"
    );
}

#[test]
fn a_write_keeps_the_deadline() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HSET h a 1"), int(1));
    assert_eq!(run(&mut c, "PEXPIRE h 1000"), int(1));
    assert_eq!(run(&mut c, "HSET h b 2"), int(1));
    assert_eq!(run(&mut c, "HINCRBY h a 1"), int(2));
    assert_eq!(run(&mut c, "PTTL h"), int(1000));
    c.advance(1000);
    assert_eq!(run(&mut c, "HLEN h"), int(0));
    assert_eq!(run(&mut c, "HSET h c 3"), int(1));
    assert_eq!(run(&mut c, "HGETALL h"), bulks(&["c", "3"]));
    assert_eq!(run(&mut c, "PTTL h"), int(-1));
}
