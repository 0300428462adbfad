//! A stream among the other families: TYPE, OBJECT, COPY, RENAME, DEL,
//! SCAN TYPE, MEMORY USAGE, and the keyspace events Redis 7.2 publishes.

use super::{with_stream, OK};
use crate::notify::{class, parse_flags};
use crate::pubsub::Subscriber;
use crate::resp::writer::Protocol;
use crate::testing::reply::{bulk, bulk_strings, int};
use crate::testing::TestConn;

#[test]
fn generic_commands_see_a_stream() {
    let mut t = with_stream("s", 3);
    t.cmd(&["XGROUP", "CREATE", "s", "g", "0"]);
    assert_eq!(t.cmd(&["TYPE", "s"]), "+stream\r\n");
    assert_eq!(t.cmd(&["OBJECT", "ENCODING", "s"]), bulk("stream"));
    assert_eq!(t.cmd(&["COPY", "s", "c"]), int(1));
    assert_eq!(t.cmd(&["XLEN", "c"]), int(3));
    // The copy has its own groups.
    t.cmd(&["XGROUP", "DESTROY", "c", "g"]);
    assert!(t.cmd(&["XINFO", "STREAM", "s"]).contains("groups\r\n:1\r\n"));
    assert_eq!(t.cmd(&["RENAME", "c", "r"]), OK);
    assert_eq!(t.cmd(&["XRANGE", "r", "-", "+", "COUNT", "1"]), t.cmd(&["XRANGE", "s", "-", "+", "COUNT", "1"]));
    t.cmd(&["SET", "str", "x"]);
    assert_eq!(bulk_strings(&t.cmd(&["SCAN", "0", "TYPE", "stream"]))[1..].len(), 2);
    let usage: i64 = t.cmd(&["MEMORY", "USAGE", "s"]).trim_start_matches(':').trim().parse().unwrap();
    assert!(usage > 100, "{usage}");
    assert_eq!(t.cmd(&["DEL", "s", "r"]), int(2));
    assert_eq!(t.cmd(&["EXISTS", "s"]), int(0));
}

/// The events a command published, as (channel, message).
fn published(t: &mut TestConn, cmd: &[&str]) -> Vec<(String, String)> {
    t.engine.take_events();
    t.cmd(cmd);
    let mut out = Vec::new();
    for (_, bytes) in t.engine.take_events().deliveries() {
        let parts = bulk_strings(&String::from_utf8_lossy(&bytes));
        out.push((parts[2].clone(), parts[3].clone()));
    }
    out
}

#[test]
fn keyspace_events_follow_redis() {
    let mut t = TestConn::new();
    t.engine.server.config.notify_keyspace_events = parse_flags("KEA").unwrap();
    assert_ne!(t.engine.server.config.notify_keyspace_events & class::STREAM, 0);
    t.engine.server.pubsub.psubscribe(b"*", Subscriber { handle: 99, proto: Protocol::Resp2 });
    let ev = |key: &str, event: &str| {
        vec![(format!("__keyspace@0__:{key}"), event.to_string()), (format!("__keyevent@0__:{event}"), key.to_string())]
    };
    assert_eq!(published(&mut t, &["XADD", "s", "1-0", "f", "v"]), ev("s", "xadd"));
    t.cmd(&["XADD", "s", "2-0", "f", "v"]);
    assert_eq!(
        published(&mut t, &["XADD", "s", "MAXLEN", "1", "3-0", "f", "v"]),
        [ev("s", "xadd"), ev("s", "xtrim")].concat()
    );
    assert_eq!(published(&mut t, &["XTRIM", "s", "MAXLEN", "5"]), vec![]);
    t.cmd(&["XADD", "s", "4-0", "f", "v"]);
    assert_eq!(published(&mut t, &["XTRIM", "s", "MAXLEN", "1"]), ev("s", "xtrim"));
    assert_eq!(published(&mut t, &["XDEL", "s", "9-0"]), vec![]);
    assert_eq!(published(&mut t, &["XDEL", "s", "4-0"]), ev("s", "xdel"));
    assert_eq!(published(&mut t, &["XSETID", "s", "10-0"]), ev("s", "xsetid"));
    assert_eq!(published(&mut t, &["XGROUP", "CREATE", "s", "g", "$"]), ev("s", "xgroup-create"));
    assert_eq!(published(&mut t, &["XGROUP", "SETID", "s", "g", "0"]), ev("s", "xgroup-setid"));
    assert_eq!(published(&mut t, &["XGROUP", "CREATECONSUMER", "s", "g", "c"]), ev("s", "xgroup-createconsumer"));
    assert_eq!(published(&mut t, &["XGROUP", "CREATECONSUMER", "s", "g", "c"]), vec![]);
    assert_eq!(
        published(&mut t, &["XREADGROUP", "GROUP", "g", "d", "STREAMS", "s", ">"]),
        ev("s", "xgroup-createconsumer")
    );
    assert_eq!(published(&mut t, &["XGROUP", "DELCONSUMER", "s", "g", "c"]), ev("s", "xgroup-delconsumer"));
    assert_eq!(published(&mut t, &["XGROUP", "DESTROY", "s", "g"]), ev("s", "xgroup-destroy"));
    assert_eq!(published(&mut t, &["XGROUP", "CREATE", "new", "g", "$", "MKSTREAM"]), ev("new", "xgroup-create"));
}
