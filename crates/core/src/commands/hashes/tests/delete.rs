//! HDEL.

use super::*;

#[test]
fn hdel_counts_and_removes_the_empty_key() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HSET h a 1 b 2 c 3"), int(3));
    assert_eq!(run(&mut c, "HDEL h zz"), int(0));
    assert_eq!(run(&mut c, "HDEL h a a zz"), int(1));
    assert_eq!(run(&mut c, "HGETALL h"), bulks(&["b", "2", "c", "3"]));
    assert_eq!(run(&mut c, "HDEL h c b zz"), int(2));
    assert_eq!(run(&mut c, "EXISTS h"), int(0));
    assert_eq!(run(&mut c, "HDEL h a"), int(0));
    assert_eq!(run(&mut c, "HDEL nokey a"), int(0));
    // Three set, three deleted.
    assert_eq!(stats(&c).0, 6);
}

#[test]
fn hdel_on_a_hashtable() {
    let mut c = TestConn::new();
    config(&mut c, "hash-max-listpack-entries", "1");
    assert_eq!(run(&mut c, "HSET h a 1 b 2"), int(2));
    assert_eq!(encoding(&mut c, "h"), bulk("hashtable"));
    assert_eq!(run(&mut c, "HDEL h a"), int(1));
    assert_eq!(encoding(&mut c, "h"), bulk("hashtable"));
    assert_eq!(run(&mut c, "HDEL h b"), int(1));
    assert_eq!(run(&mut c, "EXISTS h"), int(0));
}

#[test]
fn re_added_fields_go_last() {
    let mut c = TestConn::new();
    assert_eq!(run(&mut c, "HSET h a 1 b 2"), int(2));
    assert_eq!(run(&mut c, "HDEL h a"), int(1));
    assert_eq!(run(&mut c, "HSET h a 1"), int(1));
    assert_eq!(run(&mut c, "HKEYS h"), bulks(&["b", "a"]));
}
