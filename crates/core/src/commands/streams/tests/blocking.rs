//! XREAD BLOCK and XREADGROUP BLOCK on the engine's blocking framework:
//! woken by XADD in the order clients blocked, timed out on the tick, and
//! group readers told when their group goes away (Redis 7.2).

use super::{entry, read_reply, with_stream};
use crate::testing::reply::bulk;
use crate::testing::TestConn;

fn events(t: &mut TestConn) -> Vec<(u32, String)> {
    let ev = t.engine.take_events();
    ev.deliveries().into_iter().map(|(h, b)| (h, String::from_utf8_lossy(&b).into_owned())).collect()
}

const NOGROUP: &str = "-NOGROUP No such key 's' or consumer group 'g' in XREADGROUP with GROUP option\r\n";

#[test]
fn xread_block_wakes_every_reader_on_xadd() {
    let mut t = with_stream("s", 1);
    let (a, b) = (t.connect(), t.connect());
    assert_eq!(t.cmd_on(a, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]), "");
    assert_eq!(t.cmd_on(b, &["XREAD", "BLOCK", "0", "COUNT", "1", "STREAMS", "x", "s", "$", "$"]), "");
    assert_eq!(t.cmd(&["XADD", "s", "2-0", "f", "v"]), bulk("2-0"));
    let reply = read_reply("s", &[entry("2-0", &["f", "v"])]);
    assert_eq!(events(&mut t), vec![(a, reply.clone()), (b, reply)]);
    // Served clients are free again.
    assert_eq!(t.cmd_on(a, &["XLEN", "s"]), ":2\r\n");
}

#[test]
fn dollar_means_the_last_id_when_the_call_blocked() {
    let mut t = TestConn::new();
    let a = t.connect();
    // A missing stream waits from 0-0: its first entry serves the reader.
    assert_eq!(t.cmd_on(a, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]), "");
    t.cmd(&["XADD", "s", "1-0", "f", "v"]);
    assert_eq!(events(&mut t), vec![(a, read_reply("s", &[entry("1-0", &["f", "v"])]))]);
    // A stream that becomes another type keeps the reader waiting.
    assert_eq!(t.cmd_on(a, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]), "");
    t.cmd(&["SET", "s", "x"]);
    assert!(events(&mut t).is_empty());
    t.cmd(&["DEL", "s"]);
    t.cmd(&["XADD", "s", "7-0", "f", "v"]);
    assert_eq!(events(&mut t), vec![(a, read_reply("s", &[entry("7-0", &["f", "v"])]))]);
}

#[test]
fn group_readers_are_served_in_order_each_entry_once() {
    let mut t = with_stream("s", 1);
    t.cmd(&["XGROUP", "CREATE", "s", "g", "$"]);
    let (a, b) = (t.connect(), t.connect());
    assert_eq!(t.cmd_on(a, &["XREADGROUP", "GROUP", "g", "c1", "BLOCK", "0", "STREAMS", "s", ">"]), "");
    assert_eq!(t.cmd_on(b, &["XREADGROUP", "GROUP", "g", "c2", "BLOCK", "0", "STREAMS", "s", ">"]), "");
    t.cmd(&["XADD", "s", "6-0", "f", "v"]);
    assert_eq!(events(&mut t), vec![(a, read_reply("s", &[entry("6-0", &["f", "v"])]))]);
    t.cmd(&["XADD", "s", "7-0", "f", "v"]);
    assert_eq!(events(&mut t), vec![(b, read_reply("s", &[entry("7-0", &["f", "v"])]))]);
    assert!(t
        .cmd(&["XINFO", "GROUPS", "s"])
        .contains("pending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n7-0\r\n$12\r\nentries-read\r\n:3\r\n"));
}

#[test]
fn group_readers_learn_that_their_group_is_gone() {
    for (gone, reply) in [
        (vec!["DEL", "s"], NOGROUP),
        (vec!["XGROUP", "DESTROY", "s", "g"], NOGROUP),
        (vec!["FLUSHALL"], NOGROUP),
        (vec!["SET", "s", "x"], "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n"),
    ] {
        let mut t = with_stream("s", 1);
        t.cmd(&["XGROUP", "CREATE", "s", "g", "$"]);
        let a = t.connect();
        assert_eq!(t.cmd_on(a, &["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"]), "");
        t.cmd(&gone);
        assert_eq!(events(&mut t), vec![(a, reply.to_string())], "{gone:?}");
        assert!(t.engine.client(a).unwrap().blocked.is_none());
    }
}

#[test]
fn a_block_timeout_replies_null() {
    let mut t = with_stream("s", 1);
    let a = t.connect();
    assert_eq!(t.cmd_on(a, &["XREAD", "BLOCK", "50", "STREAMS", "s", "$"]), "");
    t.advance(49);
    t.engine.tick();
    assert!(events(&mut t).is_empty());
    t.advance(1);
    t.engine.tick();
    assert_eq!(events(&mut t), vec![(a, "*-1\r\n".to_string())]);
    // Without BLOCK nothing waits.
    assert_eq!(t.cmd_on(a, &["XREAD", "STREAMS", "s", "$"]), "*-1\r\n");
}

#[test]
fn each_command_serves_its_readers_before_the_next_runs() {
    let mut t = with_stream("s", 1);
    t.cmd(&["XGROUP", "CREATE", "s", "g", "$"]);
    let a = t.connect();
    t.cmd_on(a, &["XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"]);
    // Pipelined with a delete of the same entry, as Redis serves after every command.
    let mut pipeline = Vec::new();
    for cmd in [["XADD", "s", "9-0", "f", "v"].as_slice(), ["XDEL", "s", "9-0"].as_slice()] {
        pipeline.extend_from_slice(format!("*{}\r\n", cmd.len()).as_bytes());
        for arg in cmd {
            pipeline.extend_from_slice(format!("${}\r\n{arg}\r\n", arg.len()).as_bytes());
        }
    }
    t.raw(&pipeline);
    let served = events(&mut t);
    assert_eq!(served, vec![(a, read_reply("s", &[entry("9-0", &["f", "v"])]))]);
}

#[test]
fn a_woken_xread_runs_again_and_meets_a_key_of_another_type() {
    // Redis 7.2 re-runs the whole command (7.0 served the ready key alone).
    let mut t = TestConn::new();
    let a = t.connect();
    assert_eq!(t.cmd_on(a, &["XREAD", "BLOCK", "0", "COUNT", "5", "STREAMS", "a", "s", "$", "$"]), "");
    t.cmd(&["SET", "a", "x"]);
    assert!(events(&mut t).is_empty());
    t.cmd(&["XADD", "s", "3-0", "f", "v"]);
    assert_eq!(
        events(&mut t),
        vec![(a, "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n".to_string())]
    );
}
