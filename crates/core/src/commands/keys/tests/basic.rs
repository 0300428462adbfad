use super::*;

#[test]
fn del_and_unlink_count_only_deleted_keys() {
    for cmd in ["del", "unlink"] {
        let mut c = TestConn::new();
        set(&mut c, "a", "1");
        set(&mut c, "b", "2");
        // A key named twice is deleted once.
        assert_eq!(c.cmd(&[cmd, "a", "a", "nokey", "b"]), int(2));
        assert_eq!(c.cmd(&[cmd, "a"]), int(0));
        assert_eq!(c.cmd(&["dbsize"]), int(0));
        assert_eq!(c.cmd(&[cmd]), format!("-ERR wrong number of arguments for '{cmd}' command\r\n"));
    }
}

#[test]
fn del_of_an_expired_key_is_not_a_deletion() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["pexpire", "k", "100"]), int(1));
    c.advance(100);
    let dirty = c.engine.server.stats.dirty;
    assert_eq!(c.cmd(&["del", "k"]), int(0));
    assert_eq!(c.engine.server.stats.dirty, dirty);
    assert_eq!(c.engine.server.dbs[0].len(), 0);
    assert_eq!(c.engine.server.dbs[0].expired, 1);
}

#[test]
fn del_counts_each_deletion_as_a_change() {
    let mut c = TestConn::new();
    set(&mut c, "a", "1");
    set(&mut c, "b", "2");
    let dirty = c.engine.server.stats.dirty;
    assert_eq!(c.cmd(&["del", "a", "b", "c"]), int(2));
    assert_eq!(c.engine.server.stats.dirty, dirty + 2);
}

#[test]
fn exists_counts_duplicates_and_skips_expired() {
    let mut c = TestConn::new();
    set(&mut c, "a", "1");
    set(&mut c, "b", "2");
    assert_eq!(c.cmd(&["exists", "a", "a", "b", "nokey"]), int(3));
    assert_eq!(c.cmd(&["exists", "nokey"]), int(0));
    assert_eq!(c.cmd(&["pexpire", "a", "10"]), int(1));
    c.advance(10);
    assert_eq!(c.cmd(&["exists", "a", "b"]), int(1));
}

#[test]
fn type_reports_string_or_none() {
    let mut c = TestConn::new();
    set(&mut c, "s", "hello");
    set(&mut c, "n", "12");
    assert_eq!(c.cmd(&["type", "s"]), "+string\r\n");
    assert_eq!(c.cmd(&["type", "n"]), "+string\r\n");
    assert_eq!(c.cmd(&["type", "nokey"]), "+none\r\n");
    assert_eq!(c.cmd(&["type", "s", "x"]), "-ERR wrong number of arguments for 'type' command\r\n");
}

#[test]
fn touch_counts_existing_keys() {
    let mut c = TestConn::new();
    set(&mut c, "a", "1");
    assert_eq!(c.cmd(&["touch", "a", "a", "nokey"]), int(2));
    assert_eq!(c.cmd(&["touch", "nokey"]), int(0));
}

#[test]
fn lookups_count_keyspace_hits_and_misses_as_redis_does() {
    let mut c = TestConn::new();
    set(&mut c, "k", "v");
    let before = (c.engine.server.stats.keyspace_hits, c.engine.server.stats.keyspace_misses);
    // Read lookups count (TYPE, TTL, EXISTS, OBJECT, SCAN TYPE, TOUCH, COPY's
    // source); write lookups and key walks do not — as measured on Redis.
    for cmd in [
        &["type", "k"][..],
        &["type", "nokey"],
        &["ttl", "k"],
        &["exists", "k"],
        &["object", "encoding", "k"],
        &["object", "encoding", "nokey"],
        &["scan", "0", "type", "string"],
        &["randomkey"],
        &["keys", "*"],
        &["touch", "k", "nokey"],
        &["expire", "k", "100"],
        &["persist", "k"],
        &["del", "nokey"],
        &["copy", "k", "k2"],
        &["copy", "nokey", "k3"],
        &["rename", "k", "k4"],
        &["move", "k4", "1"],
    ] {
        c.cmd(cmd);
    }
    let stats = &c.engine.server.stats;
    assert_eq!((stats.keyspace_hits - before.0, stats.keyspace_misses - before.1), (7, 4));
}
