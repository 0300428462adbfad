//! listpack → hashtable, following hash-max-listpack-entries and
//! hash-max-listpack-value as CONFIG SET changes them.

use super::*;

#[test]
fn small_hashes_are_listpacks() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HSET h a 1"), int(1));
    assert_eq!(encoding(&mut c, "h"), bulk("listpack"));
    let value = "v".repeat(64);
    assert_eq!(c.cmd(&["HSET", "h", &"f".repeat(64), &value]), int(1));
    assert_eq!(encoding(&mut c, "h"), bulk("listpack"));
    for i in 3..=512 {
        assert_eq!(c.cmd(&["HSET", "h", &format!("f{i}"), "v"]), int(1));
    }
    assert_eq!(run(&mut c, "HLEN h"), int(512));
    assert_eq!(encoding(&mut c, "h"), bulk("listpack"));
    assert_eq!(run(&mut c, "HSET h one-more v"), int(1));
    assert_eq!(encoding(&mut c, "h"), bulk("hashtable"));
    assert_eq!(run(&mut c, "HLEN h"), int(513));
    assert_eq!(run(&mut c, "HGET h a"), bulk("1"));
}

#[test]
fn value_limit() {
    let mut c = TestConn::new();
    config(&mut c, "hash-max-listpack-value", "3");
    assert_eq!(run(&mut c, "HSET h abc 123"), int(1));
    assert_eq!(encoding(&mut c, "h"), bulk("listpack"));
    assert_eq!(run(&mut c, "HSET h long 1234"), int(1));
    assert_eq!(encoding(&mut c, "h"), bulk("hashtable"));
    // A long field counts too, and so does HSETNX's.
    assert_eq!(run(&mut c, "HSET h2 abcd 1"), int(1));
    assert_eq!(encoding(&mut c, "h2"), bulk("hashtable"));
    assert_eq!(run(&mut c, "HSETNX h3 abcd 1"), int(1));
    assert_eq!(encoding(&mut c, "h3"), bulk("hashtable"));
    // HINCRBY's result is checked as it is stored.
    assert_eq!(run(&mut c, "HINCRBY h4 f 999"), int(999));
    assert_eq!(encoding(&mut c, "h4"), bulk("listpack"));
    assert_eq!(run(&mut c, "HINCRBY h4 f 1"), int(1000));
    assert_eq!(encoding(&mut c, "h4"), bulk("hashtable"));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h5 f 0.5"), bulk("0.5"));
    assert_eq!(encoding(&mut c, "h5"), bulk("listpack"));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h5 f 0.25"), bulk("0.75"));
    assert_eq!(encoding(&mut c, "h5"), bulk("hashtable"));
    // The legacy name is the same directive.
    config(&mut c, "hash-max-ziplist-value", "64");
    assert_eq!(run(&mut c, "HSET h6 long 1234"), int(1));
    assert_eq!(encoding(&mut c, "h6"), bulk("listpack"));
}

#[test]
fn entries_limit() {
    let mut c = TestConn::new();
    config(&mut c, "hash-max-listpack-entries", "2");
    assert_eq!(run(&mut c, "HSET h a 1 b 2"), int(2));
    assert_eq!(encoding(&mut c, "h"), bulk("listpack"));
    assert_eq!(run(&mut c, "HSET h b 3"), int(0));
    assert_eq!(encoding(&mut c, "h"), bulk("listpack"));
    assert_eq!(run(&mut c, "HSET h c 3"), int(1));
    assert_eq!(encoding(&mut c, "h"), bulk("hashtable"));
    // Never back: not when deleting, nor when the limit is raised.
    assert_eq!(run(&mut c, "HDEL h a b"), int(2));
    config(&mut c, "hash-max-listpack-entries", "512");
    assert_eq!(run(&mut c, "HSET h d 4"), int(1));
    assert_eq!(encoding(&mut c, "h"), bulk("hashtable"));
    // Raising the limit changes nothing for hashes already converted, and
    // lowering it changes nothing until the next write.
    assert_eq!(run(&mut c, "HSET small a 1 b 2 c 3"), int(3));
    config(&mut c, "hash-max-listpack-entries", "1");
    assert_eq!(encoding(&mut c, "small"), bulk("listpack"));
    assert_eq!(run(&mut c, "HSET small a 9"), int(0));
    assert_eq!(encoding(&mut c, "small"), bulk("hashtable"));
}

#[test]
fn zero_entries_means_always_a_hashtable() {
    let mut c = TestConn::new();
    config(&mut c, "hash-max-ziplist-entries", "0");
    assert_eq!(run(&mut c, "HSET a f 1"), int(1));
    assert_eq!(run(&mut c, "HINCRBY b f 1"), int(1));
    assert_eq!(run(&mut c, "HINCRBYFLOAT c f 1"), bulk("1"));
    assert_eq!(run(&mut c, "HSETNX d f 1"), int(1));
    assert_eq!(run(&mut c, "HMSET e f 1"), OK);
    for key in ["a", "b", "c", "d", "e"] {
        assert_eq!(encoding(&mut c, key), bulk("hashtable"), "{key}");
    }
}

/// Redis 7.2 sizes the table for a long HSET before writing it, so more
/// pairs than a listpack holds convert even when they repeat a field. (7.0
/// kept such a hash a listpack.)
#[test]
fn more_pairs_than_the_limit_convert_up_front() {
    let mut c = TestConn::new();
    config(&mut c, "hash-max-listpack-entries", "2");
    assert_eq!(run(&mut c, "HSET h a 1 a 2"), int(1));
    assert_eq!(encoding(&mut c, "h"), bulk("listpack"));
    assert_eq!(run(&mut c, "HSET h2 a 1 a 2 a 3"), int(1));
    assert_eq!(encoding(&mut c, "h2"), bulk("hashtable"));
    assert_eq!(run(&mut c, "HLEN h2"), int(1));
}

#[test]
fn hashtables_answer_like_listpacks() {
    let mut c = TestConn::new();
    config(&mut c, "hash-max-listpack-entries", "0");
    assert_eq!(run(&mut c, "HSET h a 1 b 2 c 3"), int(3));
    assert_eq!(run(&mut c, "HSET h b 22"), int(0));
    assert_eq!(run(&mut c, "HGET h b"), bulk("22"));
    assert_eq!(run(&mut c, "HMGET h a zz c"), "*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n3\r\n");
    assert_eq!(run(&mut c, "HSTRLEN h b"), int(2));
    assert_eq!(run(&mut c, "HEXISTS h c"), int(1));
    assert_eq!(run(&mut c, "HSETNX h c 4"), int(0));
    assert_eq!(run(&mut c, "HINCRBY h a 10"), int(11));
    assert_eq!(run(&mut c, "HINCRBYFLOAT h a 0.5"), bulk("11.5"));
    let mut all = bulk_strings(&run(&mut c, "HGETALL h"));
    assert_eq!(all.len(), 6);
    let mut pairs: Vec<_> = all.chunks(2).map(|p| (p[0].clone(), p[1].clone())).collect();
    pairs.sort();
    assert_eq!(pairs, [("a", "11.5"), ("b", "22"), ("c", "3")].map(|(f, v)| (f.to_string(), v.to_string())));
    all = bulk_strings(&run(&mut c, "HKEYS h"));
    all.sort();
    assert_eq!(all, ["a", "b", "c"]);
}

#[test]
fn copy_keeps_the_encoding_and_memory_usage_grows_with_the_hash() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HSET h a 1"), int(1));
    assert_eq!(run(&mut c, "COPY h h2"), int(1));
    assert_eq!(encoding(&mut c, "h2"), bulk("listpack"));
    assert_eq!(run(&mut c, "HSET h2 b 2"), int(1));
    assert_eq!(run(&mut c, "HLEN h"), int(1));
    let usage = |c: &mut TestConn, key: &str| -> i64 {
        let reply = c.cmd(&["MEMORY", "USAGE", key]);
        reply.trim_start_matches(':').trim_end().parse().unwrap()
    };
    let small = usage(&mut c, "h");
    for i in 0..1000 {
        c.cmd(&["HSET", "h", &format!("field:{i}"), &format!("value:{i}")]);
    }
    assert_eq!(encoding(&mut c, "h"), bulk("hashtable"));
    let big = usage(&mut c, "h");
    assert!(big > small + 1000 * 56, "{small} → {big}");
}
