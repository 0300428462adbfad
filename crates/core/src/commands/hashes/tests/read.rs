//! HGET HMGET HGETALL HKEYS HVALS HLEN HEXISTS HSTRLEN.

use super::*;

fn sample(c: &mut TestConn) {
    assert_eq!(run(c, "HSET h b 2 a 1 c 33"), int(3));
}

#[test]
fn single_fields() {
    let mut c = TestConn::new();
    sample(&mut c);
    assert_eq!(run(&mut c, "HGET h a"), bulk("1"));
    assert_eq!(run(&mut c, "HGET h A"), NIL);
    assert_eq!(run(&mut c, "HGET nokey a"), NIL);
    assert_eq!(run(&mut c, "HEXISTS h c"), int(1));
    assert_eq!(run(&mut c, "HEXISTS h d"), int(0));
    assert_eq!(run(&mut c, "HEXISTS nokey a"), int(0));
    assert_eq!(run(&mut c, "HSTRLEN h c"), int(2));
    assert_eq!(run(&mut c, "HSTRLEN h d"), int(0));
    assert_eq!(run(&mut c, "HSTRLEN nokey d"), int(0));
    assert_eq!(run(&mut c, "HLEN h"), int(3));
    assert_eq!(run(&mut c, "HLEN nokey"), int(0));
    // Reads count keyspace hits and misses, as lookupKeyRead does.
    assert_eq!(stats(&c), (3, 7, 4));
}

#[test]
fn hmget_nulls_for_missing_fields_and_keys() {
    let mut c = TestConn::new();
    sample(&mut c);
    assert_eq!(run(&mut c, "HMGET h a zz c"), "*3\r\n$1\r\n1\r\n$-1\r\n$2\r\n33\r\n");
    assert_eq!(run(&mut c, "HMGET nokey a b"), "*2\r\n$-1\r\n$-1\r\n");
    assert_eq!(run(&mut c, "HMGET h"), arity("hmget"));
}

#[test]
fn whole_hash_in_insertion_order() {
    let mut c = TestConn::new();
    sample(&mut c);
    assert_eq!(run(&mut c, "HGETALL h"), bulks(&["b", "2", "a", "1", "c", "33"]));
    assert_eq!(run(&mut c, "HKEYS h"), bulks(&["b", "a", "c"]));
    assert_eq!(run(&mut c, "HVALS h"), bulks(&["2", "1", "33"]));
    for cmd in ["HGETALL", "HKEYS", "HVALS"] {
        assert_eq!(run(&mut c, &format!("{cmd} nokey")), "*0\r\n");
        assert_eq!(run(&mut c, &format!("{cmd} h extra")), arity(&cmd.to_lowercase()));
    }
}

#[test]
fn readers_refuse_other_types() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "SET s v"), OK);
    for line in [
        "HGET s a",
        "HMGET s a",
        "HGETALL s",
        "HKEYS s",
        "HVALS s",
        "HLEN s",
        "HEXISTS s a",
        "HSTRLEN s a",
        "HRANDFIELD s",
        "HRANDFIELD s 0",
        "HSCAN s 0",
    ] {
        assert_eq!(run(&mut c, line), WRONGTYPE, "{line}");
    }
    assert_eq!(run(&mut c, "TYPE s"), "+string\r\n");
    assert_eq!(run(&mut c, "HSET h a 1"), int(1));
    assert_eq!(run(&mut c, "TYPE h"), "+hash\r\n");
    assert_eq!(run(&mut c, "GET h"), WRONGTYPE);
}

#[test]
fn arities() {
    let mut c = TestConn::new();
    for (line, cmd) in [
        ("HGET h", "hget"),
        ("HGET h a b", "hget"),
        ("HLEN", "hlen"),
        ("HEXISTS h", "hexists"),
        ("HSTRLEN h a b", "hstrlen"),
        ("HRANDFIELD", "hrandfield"),
        ("HSCAN h", "hscan"),
        ("HDEL h", "hdel"),
        ("HINCRBY h a", "hincrby"),
        ("HINCRBYFLOAT h a 1 2", "hincrbyfloat"),
    ] {
        assert_eq!(run(&mut c, line), arity(cmd), "{line}");
    }
}
