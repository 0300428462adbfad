use crate::engine::Batch;
use crate::testing::reply::int;
use crate::testing::TestConn;

fn frame(words: &[&str], count: i64) -> String {
    let mut s = format!("*{}\r\n", words.len() + 1);
    for w in words {
        s.push_str(&format!("${}\r\n{w}\r\n", w.len()));
    }
    s + &int(count)
}

fn batches(t: &mut TestConn) -> Vec<Batch> {
    t.engine.take_events().batches
}

#[test]
fn subscribe_counts_channels_and_patterns_but_not_shard_channels() {
    let mut t = TestConn::new();
    let reply = t.cmd(&["SUBSCRIBE", "a", "b", "a"]);
    assert_eq!(reply, frame(&["subscribe", "a"], 1) + &frame(&["subscribe", "b"], 2) + &frame(&["subscribe", "a"], 2));
    assert_eq!(t.cmd(&["PSUBSCRIBE", "h*"]), frame(&["psubscribe", "h*"], 3));
    assert_eq!(t.cmd(&["SSUBSCRIBE", "s"]), frame(&["ssubscribe", "s"], 1));
    assert_eq!(t.cmd(&["UNSUBSCRIBE", "b", "zz"]), frame(&["unsubscribe", "b"], 2) + &frame(&["unsubscribe", "zz"], 2));
    assert_eq!(t.cmd(&["SUNSUBSCRIBE"]), frame(&["sunsubscribe", "s"], 0));
    assert_eq!(t.cmd(&["SUNSUBSCRIBE"]), "*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n");
    assert_eq!(t.cmd(&["PUNSUBSCRIBE"]), frame(&["punsubscribe", "h*"], 1));
    assert_eq!(t.cmd(&["PUNSUBSCRIBE"]), "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:1\r\n");
    assert_eq!(t.cmd(&["UNSUBSCRIBE"]), frame(&["unsubscribe", "a"], 0));
    assert_eq!(t.cmd(&["UNSUBSCRIBE"]), "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
    assert_eq!(t.cmd(&["GET", "x"]), "$-1\r\n", "out of subscribed mode");
}

#[test]
fn resp3_subscriptions_are_push_frames_and_normal_commands_keep_working() {
    let mut t = TestConn::new();
    t.cmd(&["HELLO", "3"]);
    assert_eq!(t.cmd(&["SUBSCRIBE", "a"]), ">3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
    assert_eq!(t.cmd(&["SET", "k", "v"]), "+OK\r\n");
    assert_eq!(t.cmd(&["PING"]), "+PONG\r\n");
    assert_eq!(t.cmd(&["PUNSUBSCRIBE"]), ">3\r\n$12\r\npunsubscribe\r\n_\r\n:1\r\n");
}

#[test]
fn resp2_subscribed_mode_refuses_other_commands_and_pings_as_a_message() {
    let mut t = TestConn::new();
    t.cmd(&["SUBSCRIBE", "a"]);
    assert_eq!(
        t.cmd(&["GET", "k"]),
        "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"
    );
    assert_eq!(
        t.cmd(&["CLIENT", "ID"]),
        "-ERR Can't execute 'client|id': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n"
    );
    assert_eq!(t.cmd(&["PING"]), "*2\r\n$4\r\npong\r\n$0\r\n\r\n");
    assert_eq!(t.cmd(&["PING", "hi"]), "*2\r\n$4\r\npong\r\n$2\r\nhi\r\n");
    assert_eq!(t.cmd(&["RESET"]), "+RESET\r\n");
    assert_eq!(t.cmd(&["PUBSUB", "NUMSUB", "a"]), "*2\r\n$1\r\na\r\n:0\r\n", "RESET left the channel");
}

#[test]
fn publish_encodes_once_per_protocol_and_names_every_receiver() {
    let mut t = TestConn::new();
    let a = t.handle;
    let b = t.connect();
    let c = t.connect();
    let publisher = t.connect();
    t.cmd_on(a, &["SUBSCRIBE", "ch"]);
    t.cmd_on(b, &["SUBSCRIBE", "ch"]);
    t.cmd_on(c, &["HELLO", "3"]);
    t.cmd_on(c, &["SUBSCRIBE", "ch"]);
    t.cmd_on(c, &["PSUBSCRIBE", "c*"]);
    batches(&mut t);
    assert_eq!(t.cmd_on(publisher, &["PUBLISH", "ch", "hi"]), int(4));
    let got = batches(&mut t);
    // c's message and pmessage follow one another for the same receiver: one batch.
    assert_eq!(got.len(), 2);
    assert_eq!(got[0].targets, vec![a, b]);
    assert_eq!(got[0].bytes, b"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
    assert_eq!(got[1].targets, vec![c]);
    assert_eq!(
        got[1].bytes,
        b">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n>4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nhi\r\n"
    );
    assert_eq!(t.cmd_on(publisher, &["SPUBLISH", "ch", "hi"]), int(0), "shard channels are their own namespace");
}

#[test]
fn shard_messages_reach_only_shard_subscribers() {
    let mut t = TestConn::new();
    let sub = t.connect();
    t.cmd_on(sub, &["SSUBSCRIBE", "s"]);
    t.cmd_on(sub, &["PSUBSCRIBE", "*"]);
    batches(&mut t);
    assert_eq!(t.cmd(&["SPUBLISH", "s", "m"]), int(1));
    let got = batches(&mut t);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].bytes, b"*3\r\n$8\r\nsmessage\r\n$1\r\ns\r\n$1\r\nm\r\n");
    assert_eq!(t.cmd(&["PUBLISH", "s", "m"]), int(1), "only the pattern matches a plain publish");
}

#[test]
fn protocol_change_and_disconnect_update_the_registry() {
    let mut t = TestConn::new();
    let sub = t.connect();
    t.cmd_on(sub, &["HELLO", "3"]);
    t.cmd_on(sub, &["SUBSCRIBE", "ch"]);
    t.cmd_on(sub, &["HELLO", "2"]);
    batches(&mut t);
    t.cmd(&["PUBLISH", "ch", "x"]);
    assert_eq!(batches(&mut t)[0].bytes, b"*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nx\r\n");
    assert!(t.cmd_on(sub, &["HELLO", "3"]).starts_with("-ERR Can't execute 'hello'"));
    t.engine.disconnect(sub);
    assert_eq!(t.cmd(&["PUBLISH", "ch", "x"]), int(0));
    assert_eq!(t.cmd(&["PUBSUB", "CHANNELS"]), "*0\r\n");
}

#[test]
fn pubsub_introspection() {
    let mut t = TestConn::new();
    let s1 = t.connect();
    let s2 = t.connect();
    t.cmd_on(s1, &["SUBSCRIBE", "news.a", "other"]);
    t.cmd_on(s2, &["SUBSCRIBE", "news.a"]);
    t.cmd_on(s2, &["PSUBSCRIBE", "news.*", "x*"]);
    t.cmd_on(s1, &["PSUBSCRIBE", "news.*"]);
    t.cmd_on(s1, &["SSUBSCRIBE", "sh"]);
    assert_eq!(t.cmd(&["PUBSUB", "CHANNELS", "news.*"]), "*1\r\n$6\r\nnews.a\r\n");
    assert_eq!(
        t.cmd(&["PUBSUB", "NUMSUB", "news.a", "other", "none"]),
        "*6\r\n$6\r\nnews.a\r\n:2\r\n$5\r\nother\r\n:1\r\n$4\r\nnone\r\n:0\r\n"
    );
    assert_eq!(t.cmd(&["PUBSUB", "NUMSUB"]), "*0\r\n");
    assert_eq!(t.cmd(&["PUBSUB", "NUMPAT"]), int(2));
    assert_eq!(t.cmd(&["PUBSUB", "SHARDCHANNELS"]), "*1\r\n$2\r\nsh\r\n");
    assert_eq!(t.cmd(&["PUBSUB", "SHARDNUMSUB", "sh"]), "*2\r\n$2\r\nsh\r\n:1\r\n");
    assert_eq!(
        t.cmd(&["PUBSUB", "CHANNELS", "a", "b"]),
        "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n"
    );
    assert_eq!(t.cmd(&["PUBSUB", "NUMPAT", "x"]), "-ERR wrong number of arguments for 'pubsub|numpat' command\r\n");
    // Redis 7.2's wording ("Print", where 7.0 says "Prints"); the differential suite's 7.0 oracle differs.
    let help = t.cmd(&["PUBSUB", "HELP"]);
    assert!(help.starts_with(
        "*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CHANNELS [<pattern>]\r\n"
    ));
    assert!(help.ends_with("+SHARDNUMSUB [<shardchannel> ...]\r\n+    Return the number of subscribers for the specified shard level channel(s)\r\n+HELP\r\n+    Print this help.\r\n"));
    assert_eq!(t.cmd(&["PUBLISH", "news.a", "m"]), int(4));
}

#[test]
fn client_list_shows_subscriptions() {
    let mut t = TestConn::new();
    t.cmd(&["SUBSCRIBE", "a", "b"]);
    t.cmd(&["PSUBSCRIBE", "p"]);
    t.cmd(&["SSUBSCRIBE", "s"]);
    let other = t.connect();
    let list = t.cmd_on(other, &["CLIENT", "LIST", "TYPE", "pubsub"]);
    assert!(list.contains(" flags=P db=0 sub=2 psub=1 ssub=1 "), "{list}");
    let normal = t.cmd_on(other, &["CLIENT", "LIST", "TYPE", "normal"]);
    assert!(!normal.contains("flags=P"), "{normal}");
}

#[test]
fn publish_inside_a_feed_with_no_subscribers_produces_no_events() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["PUBLISH", "ch", "x"]), int(0));
    assert!(t.engine.take_events().is_empty());
}

#[test]
fn a_resp3_subscriber_gets_its_own_messages_before_the_reply() {
    let mut t = TestConn::new();
    t.cmd(&["HELLO", "3"]);
    t.cmd(&["SUBSCRIBE", "me"]);
    assert_eq!(t.cmd(&["PUBLISH", "me", "hi"]), ">3\r\n$7\r\nmessage\r\n$2\r\nme\r\n$2\r\nhi\r\n:1\r\n");
    assert!(t.engine.take_events().is_empty());
}

#[test]
fn info_stats_count_channels_patterns_and_shard_channels() {
    let mut t = TestConn::new();
    let sub = t.connect();
    t.cmd_on(sub, &["SUBSCRIBE", "a", "b"]);
    t.cmd_on(sub, &["PSUBSCRIBE", "p*"]);
    t.cmd_on(sub, &["SSUBSCRIBE", "s"]);
    let info = t.cmd(&["INFO", "stats"]);
    assert!(info.contains("pubsub_channels:2\r\npubsub_patterns:1\r\npubsubshard_channels:1\r\n"), "{info}");
}

#[test]
fn own_keyspace_pushes_sit_where_redis_writes_them() {
    let mut t = TestConn::new();
    t.engine.server.config.notify_keyspace_events = crate::notify::parse_flags("KEA").unwrap();
    t.cmd(&["HELLO", "3"]);
    t.cmd(&["SUBSCRIBE", "__keyevent@0__:del", "__keyevent@0__:set", "__keyevent@0__:expired"]);
    let push =
        |event: &str| format!(">3\r\n$7\r\nmessage\r\n${}\r\n__keyevent@0__:{event}\r\n$1\r\nk\r\n", 15 + event.len());
    // SET announces the change before its reply; GETDEL replies with the value first.
    assert_eq!(t.cmd(&["SET", "k", "v", "PX", "5"]), push("set") + "+OK\r\n");
    t.cmd(&["SET", "k", "v"]);
    assert_eq!(t.cmd(&["GETDEL", "k"]), "$1\r\nv\r\n".to_string() + &push("del"));
    t.cmd(&["SET", "k", "v", "PX", "5"]);
    t.advance(10);
    assert_eq!(t.cmd(&["GET", "k"]), push("expired") + "_\r\n");
    assert!(t.engine.take_events().is_empty());
}

#[test]
fn client_reply_off_does_not_silence_pushes() {
    let mut t = TestConn::new();
    t.cmd(&["CLIENT", "REPLY", "OFF"]);
    assert_eq!(t.cmd(&["SUBSCRIBE", "a"]), "");
    assert_eq!(t.cmd(&["PING"]), "", "a reply, not a push");
    assert_eq!(t.cmd(&["UNSUBSCRIBE", "a"]), "");
    let me = t.handle;
    let pushed: Vec<(u32, Vec<u8>)> = t.engine.take_events().deliveries();
    assert_eq!(
        pushed,
        vec![(me, frame(&["subscribe", "a"], 1).into_bytes()), (me, frame(&["unsubscribe", "a"], 0).into_bytes()),]
    );
    t.cmd(&["HELLO", "3"]);
    t.cmd(&["SUBSCRIBE", "a"]);
    t.engine.take_events();
    assert_eq!(t.cmd(&["PUBLISH", "a", "hi"]), "");
    let pushed = t.engine.take_events().deliveries();
    assert_eq!(pushed, vec![(me, b">3\r\n$7\r\nmessage\r\n$1\r\na\r\n$2\r\nhi\r\n".to_vec())]);
}

#[test]
fn a_burst_of_publishes_to_the_same_subscribers_is_one_batch() {
    let mut t = TestConn::new();
    let (s1, s2) = (t.connect(), t.connect());
    t.cmd_on(s1, &["SUBSCRIBE", "ch"]);
    t.cmd_on(s2, &["SUBSCRIBE", "ch"]);
    batches(&mut t);
    let publish = "*3\r\n$7\r\nPUBLISH\r\n$2\r\nch\r\n$1\r\nx\r\n".repeat(3);
    assert_eq!(t.raw(publish.as_bytes()), int(2).repeat(3).into_bytes());
    let got = batches(&mut t);
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].targets, vec![s1, s2]);
    assert_eq!(got[0].bytes, "*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$1\r\nx\r\n".repeat(3).into_bytes());
}

#[test]
fn messages_move_into_host_memory_joined_per_receivers() {
    let mut t = TestConn::new();
    let (a, b) = (t.connect(), t.connect());
    t.cmd_on(a, &["SUBSCRIBE", "news"]);
    t.cmd_on(b, &["SUBSCRIBE", "news", "other"]);
    t.engine.take_events();
    t.cmd(&["PUBLISH", "news", "1"]);
    t.cmd(&["PUBLISH", "news", "2"]);
    t.cmd(&["PUBLISH", "other", "3"]);
    let frame = |ch: &str, msg: &str| format!("*3\r\n$7\r\nmessage\r\n${}\r\n{ch}\r\n$1\r\n{msg}\r\n", ch.len());
    let (mut out, mut meta) = (vec![0u8; 4096], vec![0u32; 64]);
    // Too little room: nothing is taken, and the events stay for take_events.
    assert_eq!(t.engine.take_messages_into(&mut out[..10], &mut meta), None);
    assert_eq!(t.engine.take_messages_into(&mut out, &mut meta[..3]), None);
    let written = t.engine.take_messages_into(&mut out, &mut meta).expect("fits");
    let both = frame("news", "1") + &frame("news", "2");
    assert_eq!(String::from_utf8_lossy(&out[..written]), both.clone() + &frame("other", "3"));
    // Two batches: both publishes to "news" for a and b together, then b's "other".
    assert_eq!(&meta[..8], &[2, both.len() as u32, 2, a, b, frame("other", "3").len() as u32, 1, b]);
    assert!(t.engine.take_events().deliveries().is_empty(), "taken once");
}
