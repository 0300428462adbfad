//! BZPOPMIN BZPOPMAX BZMPOP on the engine's blocking framework, and plain
//! sets as inputs of the set operations. Replies checked against redis-server.

use crate::testing::TestConn;

fn messages(t: &mut TestConn) -> Vec<(u32, String)> {
    t.engine
        .take_events()
        .deliveries()
        .into_iter()
        .map(|(h, b)| (h, String::from_utf8_lossy(&b).into_owned()))
        .collect()
}

#[test]
fn served_at_once_or_when_members_arrive() {
    let mut t = TestConn::new();
    t.cmd(&["ZADD", "z", "1", "a", "2", "b"]);
    assert_eq!(t.cmd(&["BZPOPMIN", "z", "0"]), "*3\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(
        t.cmd(&["BZMPOP", "0", "1", "z", "MAX", "COUNT", "5"]),
        "*2\r\n$1\r\nz\r\n*1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n"
    );
    let a = t.connect();
    t.cmd_on(a, &["HELLO", "3"]);
    assert_eq!(t.cmd_on(a, &["BZPOPMAX", "z", "other", "0"]), "");
    t.cmd(&["ZADD", "other", "1.5", "x", "3", "y"]);
    assert_eq!(messages(&mut t), vec![(a, "*3\r\n$5\r\nother\r\n$1\r\ny\r\n,3\r\n".into())]);
    // A store that creates the key wakes waiters too.
    assert_eq!(t.cmd_on(a, &["BZPOPMIN", "dst", "0"]), "");
    t.cmd(&["ZUNIONSTORE", "dst", "1", "other"]);
    assert_eq!(messages(&mut t), vec![(a, "*3\r\n$3\r\ndst\r\n$1\r\nx\r\n,1.5\r\n".into())]);
}

#[test]
fn timeouts_and_errors() {
    let mut t = TestConn::new();
    let a = t.connect();
    assert_eq!(t.cmd_on(a, &["BZPOPMIN", "z", "0.5"]), "");
    t.advance(500);
    assert!(t.engine.tick());
    assert_eq!(messages(&mut t), vec![(a, "*-1\r\n".into())]);
    t.cmd(&["SET", "s", "v"]);
    assert_eq!(
        t.cmd(&["BZPOPMIN", "s", "0"]),
        "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"
    );
    assert_eq!(t.cmd(&["BZPOPMAX", "z", "-1"]), "-ERR timeout is negative\r\n");
    assert_eq!(t.cmd(&["BZMPOP", "0", "0", "z", "MIN"]), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(t.cmd(&["BZMPOP", "0", "1", "z", "UP"]), "-ERR syntax error\r\n");
}

#[test]
fn plain_sets_count_as_members_scored_one() {
    let mut t = TestConn::new();
    t.cmd(&["SADD", "s", "a", "b", "c"]);
    t.cmd(&["ZADD", "z", "5", "a", "7", "d"]);
    let pairs = |items: &[&str]| {
        let mut r = format!("*{}\r\n", items.len());
        for i in items {
            r.push_str(&format!("${}\r\n{i}\r\n", i.len()));
        }
        r
    };
    assert_eq!(t.cmd(&["ZUNION", "2", "z", "s", "WITHSCORES"]), pairs(&["b", "1", "c", "1", "a", "6", "d", "7"]));
    assert_eq!(t.cmd(&["ZINTER", "2", "z", "s", "WITHSCORES"]), pairs(&["a", "6"]));
    assert_eq!(t.cmd(&["ZDIFF", "2", "s", "z", "WITHSCORES"]), pairs(&["b", "1", "c", "1"]));
    assert_eq!(t.cmd(&["ZUNIONSTORE", "d", "2", "s", "z", "WEIGHTS", "2", "1"]), ":4\r\n");
    assert_eq!(t.cmd(&["ZRANGE", "d", "0", "-1", "WITHSCORES"]), pairs(&["b", "2", "c", "2", "a", "7", "d", "7"]));
    assert_eq!(t.cmd(&["ZINTERCARD", "2", "s", "z"]), ":1\r\n");
}

#[test]
fn declared_as_redis_7_2_declares_them() {
    // 7.2.4's COMMAND INFO (7.0 also had `noscript`).
    let mut t = TestConn::new();
    let info = t.cmd(&["COMMAND", "INFO", "bzpopmin", "bzmpop"]);
    assert!(info.starts_with("*2\r\n*10\r\n$8\r\nbzpopmin\r\n:-3\r\n*3\r\n+write\r\n+blocking\r\n+fast\r\n:1\r\n:-2\r\n:1\r\n*4\r\n+@write\r\n+@sortedset\r\n+@fast\r\n+@blocking\r\n"), "{info:?}");
    assert!(info.contains("$6\r\nbzmpop\r\n:-5\r\n*3\r\n+write\r\n+blocking\r\n+movablekeys\r\n:0\r\n:0\r\n:0\r\n*4\r\n+@write\r\n+@sortedset\r\n+@slow\r\n+@blocking\r\n"), "{info:?}");
}
