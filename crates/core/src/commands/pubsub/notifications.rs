//! Keyspace notifications as a subscriber sees them: each write's events
//! with Redis 7.2's names and order, expiry, key creation and misses.

use crate::notify::parse_flags;
use crate::testing::TestConn;

/// A connection subscribed to every keyevent channel, and the engine with
/// `flags` configured.
fn setup(flags: &str) -> (TestConn, u32) {
    let mut t = TestConn::new();
    t.engine.server.config.notify_keyspace_events = parse_flags(flags).unwrap();
    let sub = t.connect();
    t.cmd_on(sub, &["PSUBSCRIBE", "__keyevent@*"]);
    t.engine.take_events();
    (t, sub)
}

/// The events published since the last call, as "event key" strings.
fn events(t: &mut TestConn) -> Vec<String> {
    let mut seen = Vec::new();
    for (_, bytes) in t.engine.take_events().deliveries() {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let parts: Vec<&str> = text.split("\r\n").collect();
        // *4 $8 pmessage $len pattern $len channel $len payload
        let channel = parts[6];
        let event = channel.rsplit(':').next().unwrap();
        seen.push(format!("{event} {}", parts[8]));
    }
    seen
}

#[test]
fn string_and_generic_events() {
    let (mut t, _) = setup("KEA");
    t.cmd(&["SET", "s", "1", "EX", "100"]);
    t.cmd(&["INCRBY", "s", "2"]);
    t.cmd(&["INCRBYFLOAT", "s", "0.5"]);
    t.cmd(&["APPEND", "s", "x"]);
    t.cmd(&["SETRANGE", "s", "0", "ab"]);
    t.cmd(&["MSET", "a", "1", "b", "2"]);
    t.cmd(&["PERSIST", "s"]);
    t.cmd(&["EXPIRE", "a", "100"]);
    t.cmd(&["RENAME", "a", "c"]);
    t.cmd(&["MOVE", "c", "1"]);
    t.cmd(&["COPY", "b", "d"]);
    t.cmd(&["DEL", "b", "nothing", "d"]);
    t.cmd(&["GETDEL", "s"]);
    assert_eq!(
        events(&mut t),
        [
            "set s",
            "expire s",
            "incrby s",
            "incrbyfloat s",
            "append s",
            "setrange s",
            "set a",
            "set b",
            "persist s",
            "expire a",
            "rename_from a",
            "rename_to c",
            "move_from c",
            "move_to c",
            "copy_to d",
            "del b",
            "del d",
            "del s"
        ]
    );
}

#[test]
fn list_events_include_the_deletion_of_an_emptied_list() {
    let (mut t, _) = setup("KEA");
    t.cmd(&["RPUSH", "l", "a", "b", "c"]);
    t.cmd(&["LPUSH", "l", "z"]);
    t.cmd(&["LSET", "l", "0", "y"]);
    t.cmd(&["LINSERT", "l", "BEFORE", "a", "q"]);
    t.cmd(&["LREM", "l", "0", "q"]);
    t.cmd(&["LTRIM", "l", "0", "2"]);
    t.cmd(&["LMOVE", "l", "m", "LEFT", "RIGHT"]);
    t.cmd(&["RPOP", "l", "5"]);
    assert_eq!(
        events(&mut t),
        ["rpush l", "lpush l", "lset l", "linsert l", "lrem l", "ltrim l", "rpush m", "lpop l", "rpop l", "del l"]
    );
}

#[test]
fn hash_set_and_zset_events() {
    let (mut t, _) = setup("KEA");
    t.cmd(&["HSET", "h", "f", "1"]);
    t.cmd(&["HINCRBY", "h", "f", "1"]);
    t.cmd(&["HINCRBYFLOAT", "h", "f", "1"]);
    t.cmd(&["HDEL", "h", "f"]);
    t.cmd(&["SADD", "s", "a", "b"]);
    t.cmd(&["SADD", "s", "a"]);
    t.cmd(&["SREM", "s", "a"]);
    t.cmd(&["SMOVE", "s", "t", "b"]);
    t.cmd(&["SUNIONSTORE", "u", "t"]);
    t.cmd(&["ZADD", "z", "1", "a", "2", "b", "3", "c"]);
    t.cmd(&["ZINCRBY", "z", "1", "a"]);
    t.cmd(&["ZREM", "z", "a"]);
    t.cmd(&["ZREMRANGEBYSCORE", "z", "0", "2"]);
    t.cmd(&["ZPOPMAX", "z"]);
    t.cmd(&["SORT", "t", "ALPHA", "STORE", "sorted"]);
    assert_eq!(
        events(&mut t),
        [
            "hset h",
            "hincrby h",
            "hincrbyfloat h",
            "hdel h",
            "del h",
            "sadd s",
            "srem s",
            "srem s",
            "del s",
            "sadd t",
            "sunionstore u",
            "zadd z",
            "zincr z",
            "zrem z",
            "zremrangebyscore z",
            "zpopmax z",
            "del z",
            "sortstore sorted"
        ]
    );
}

#[test]
fn new_keys_expiry_and_misses() {
    let (mut t, _) = setup("KEA" /* A leaves out n and m */);
    t.engine.server.config.notify_keyspace_events |= parse_flags("nm").unwrap();
    t.cmd(&["RPUSH", "l", "a"]);
    t.cmd(&["SET", "k", "v", "PX", "10"]);
    t.cmd(&["GET", "missing"]);
    t.advance(20);
    t.cmd(&["GET", "k"]);
    t.cmd(&["SET", "gone", "v", "PX", "10"]);
    t.advance(20);
    t.engine.tick();
    assert_eq!(
        events(&mut t),
        [
            "new l",
            "rpush l",
            "new k",
            "set k",
            "expire k",
            "keymiss missing",
            "expired k",
            "keymiss k",
            "new gone",
            "set gone",
            "expire gone",
            "expired gone"
        ]
    );
}

#[test]
fn keyspace_channels_carry_the_event_and_classes_filter() {
    let mut t = TestConn::new();
    t.engine.server.config.notify_keyspace_events = parse_flags("Kl").unwrap();
    let sub = t.connect();
    t.cmd_on(sub, &["SUBSCRIBE", "__keyspace@0__:l"]);
    t.engine.take_events();
    t.cmd(&["SET", "l2", "x"]);
    t.cmd(&["LPUSH", "l", "x"]);
    let got = t.engine.take_events().deliveries();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1, b"*3\r\n$7\r\nmessage\r\n$16\r\n__keyspace@0__:l\r\n$5\r\nlpush\r\n");
}

#[test]
fn object_misses_publish_nothing_but_touch_and_type_misses_do() {
    let (mut t, _) = setup("Em");
    t.cmd(&["OBJECT", "ENCODING", "a"]);
    t.cmd(&["TYPE", "b"]);
    t.cmd(&["TOUCH", "c"]);
    t.cmd(&["EXISTS", "d"]);
    assert_eq!(events(&mut t), ["keymiss b", "keymiss c", "keymiss d"]);
}
