//! BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP on the engine's blocking framework:
//! served in the order clients blocked, replies delivered as events to the
//! waiting connection, deadlines on the tick with the frozen clock.

use crate::testing::TestConn;

/// The events the engine queued for other connections: (handle, bytes) and resumes.
fn events(t: &mut TestConn) -> (Vec<(u32, String)>, Vec<u32>) {
    let ev = t.engine.take_events();
    let resumes = ev.resumes.clone();
    let messages = ev.deliveries().into_iter().map(|(h, b)| (h, String::from_utf8_lossy(&b).into_owned())).collect();
    (messages, resumes)
}

#[test]
fn a_push_serves_the_waiter_first_come_first_served() {
    let mut t = TestConn::new();
    let (a, b) = (t.connect(), t.connect());
    assert_eq!(t.cmd_on(a, &["BLPOP", "q", "0"]), "");
    assert_eq!(t.cmd_on(b, &["BLPOP", "q", "other", "0"]), "");
    assert!(t.cmd(&["CLIENT", "LIST"]).contains("flags=b"));
    assert_eq!(t.cmd(&["RPUSH", "q", "x"]), ":1\r\n");
    assert_eq!(events(&mut t), (vec![(a, "*2\r\n$1\r\nq\r\n$1\r\nx\r\n".into())], vec![a]));
    // The second waiter still waits, and is served by the next push.
    assert_eq!(t.cmd(&["LPUSH", "other", "y"]), ":1\r\n");
    assert_eq!(events(&mut t), (vec![(b, "*2\r\n$5\r\nother\r\n$1\r\ny\r\n".into())], vec![b]));
    assert_eq!(t.cmd(&["EXISTS", "q", "other"]), ":0\r\n");
}

#[test]
fn data_already_there_is_served_at_once() {
    let mut t = TestConn::new();
    t.cmd(&["RPUSH", "q", "a", "b"]);
    assert_eq!(t.cmd(&["BRPOP", "missing", "q", "1"]), "*2\r\n$1\r\nq\r\n$1\r\nb\r\n");
    assert_eq!(t.cmd(&["BLMPOP", "0", "1", "q", "LEFT", "COUNT", "5"]), "*2\r\n$1\r\nq\r\n*1\r\n$1\r\na\r\n");
    t.cmd(&["SET", "s", "v"]);
    assert_eq!(t.cmd(&["BLPOP", "s", "0"]), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

#[test]
fn timeouts_follow_the_clock_on_the_tick() {
    let mut t = TestConn::new();
    let a = t.connect();
    assert_eq!(t.cmd_on(a, &["BLPOP", "q", "1.5"]), "");
    t.advance(1499);
    assert!(!t.engine.tick());
    t.advance(1);
    assert!(t.engine.tick());
    assert_eq!(events(&mut t), (vec![(a, "*-1\r\n".into())], vec![a]));
    // Every blocking command times out with a null array, BLMOVE too (Redis
    // 7.2.4); in RESP3 it is `_`.
    assert_eq!(t.cmd_on(a, &["BLMOVE", "src", "dst", "LEFT", "RIGHT", "0.01"]), "");
    t.advance(10);
    t.engine.tick();
    assert_eq!(events(&mut t).0, vec![(a, "*-1\r\n".into())]);
    t.cmd_on(a, &["HELLO", "3"]);
    t.cmd_on(a, &["BRPOPLPUSH", "src", "dst", "1"]);
    t.advance(1000);
    t.engine.tick();
    assert_eq!(events(&mut t).0, vec![(a, "_\r\n".into())]);
}

#[test]
fn commands_sent_while_blocked_wait_for_the_reply() {
    let mut t = TestConn::new();
    let a = t.connect();
    assert_eq!(t.raw_on(a, b"*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*1\r\n$4\r\nPING\r\n"), b"");
    assert_eq!(t.raw_on(a, b"*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n"), b"");
    t.cmd(&["RPUSH", "q", "x"]);
    let (messages, resumes) = events(&mut t);
    assert_eq!(messages, vec![(a, "*2\r\n$1\r\nq\r\n$1\r\nx\r\n".into())]);
    assert_eq!(resumes, vec![a]);
    // The host feeds a resumed connection again: its held commands run now.
    assert_eq!(t.raw_on(a, b""), b"+PONG\r\n$2\r\nhi\r\n");
}

#[test]
fn a_key_recreated_with_another_type_keeps_the_waiter_waiting() {
    // Redis 7.2.4 re-runs a waiter only when its key holds the type it waits for.
    let mut t = TestConn::new();
    let a = t.connect();
    t.cmd_on(a, &["BLPOP", "q", "0"]);
    t.cmd(&["SET", "q", "now a string"]);
    assert_eq!(events(&mut t), (vec![], vec![]));
    t.cmd(&["DEL", "q"]);
    t.cmd(&["RPUSH", "q", "x"]);
    assert_eq!(events(&mut t).0, vec![(a, "*2\r\n$1\r\nq\r\n$1\r\nx\r\n".into())]);
}

#[test]
fn blmove_waits_on_its_source_and_moves() {
    let mut t = TestConn::new();
    let a = t.connect();
    t.cmd_on(a, &["BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"]);
    t.cmd(&["RPUSH", "src", "1", "2"]);
    assert_eq!(events(&mut t).0, vec![(a, "$1\r\n2\r\n".into())]);
    assert_eq!(t.cmd(&["LRANGE", "dst", "0", "-1"]), "*1\r\n$1\r\n2\r\n");
    assert_eq!(t.cmd(&["LRANGE", "src", "0", "-1"]), "*1\r\n$1\r\n1\r\n");
}

#[test]
fn client_unblock_and_disconnect() {
    let mut t = TestConn::new();
    let (a, b) = (t.connect(), t.connect());
    t.cmd_on(a, &["BLPOP", "q", "0"]);
    t.cmd_on(b, &["BLPOP", "q", "0"]);
    let id = t.cmd_on(a, &["CLIENT", "ID"]);
    // A blocked client's own commands are held, so ask its id from the engine.
    let a_id = t.engine.client(a).map(|c| c.id).unwrap();
    assert_eq!(id, "");
    assert_eq!(t.cmd(&["CLIENT", "UNBLOCK", &a_id.to_string(), "ERROR"]), ":1\r\n");
    assert_eq!(events(&mut t).0, vec![(a, "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n".into())]);
    assert_eq!(t.cmd(&["CLIENT", "UNBLOCK", &a_id.to_string()]), ":0\r\n");
    assert_eq!(
        t.cmd(&["CLIENT", "UNBLOCK", "1", "MAYBE"]),
        "-ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR\r\n"
    );
    t.engine.disconnect(b);
    assert_eq!(t.cmd(&["RPUSH", "q", "x"]), ":1\r\n");
    assert_eq!(events(&mut t).0, vec![]);
    assert_eq!(t.cmd(&["LLEN", "q"]), ":1\r\n");
}

#[test]
fn timeout_errors() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["BLPOP", "q", "-1"]), "-ERR timeout is negative\r\n");
    assert_eq!(t.cmd(&["BLPOP", "q", "x"]), "-ERR timeout is not a float or out of range\r\n");
    assert_eq!(t.cmd(&["BLMOVE", "a", "b", "UP", "LEFT", "0"]), "-ERR syntax error\r\n");
    assert_eq!(t.cmd(&["BLMPOP", "0", "0", "q", "LEFT"]), "-ERR numkeys should be greater than 0\r\n");
}
