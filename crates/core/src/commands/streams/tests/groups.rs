//! XGROUP XREADGROUP XACK XINFO, with Redis 7's entries-read and lag.

use super::{entry, read_reply, with_stream, OK, WRONGTYPE};
use crate::testing::reply::int;
use crate::testing::TestConn;

fn e(i: u64) -> String {
    entry(&format!("{i}-0"), &["f", &i.to_string()])
}

/// `XINFO GROUPS` for one group, RESP2.
fn group_info(name: &str, consumers: i64, pending: i64, last: &str, read: Option<i64>, lag: Option<i64>) -> String {
    let opt = |v: Option<i64>| v.map_or("$-1\r\n".to_string(), int);
    format!(
        "*1\r\n*12\r\n$4\r\nname\r\n${}\r\n{name}\r\n$9\r\nconsumers\r\n{}$7\r\npending\r\n{}$17\r\nlast-delivered-id\r\n${}\r\n{last}\r\n$12\r\nentries-read\r\n{}$3\r\nlag\r\n{}",
        name.len(),
        int(consumers),
        int(pending),
        last.len(),
        opt(read),
        opt(lag)
    )
}

#[test]
fn xgroup_create_checks_the_key_the_id_and_the_name() {
    let mut t = TestConn::new();
    assert_eq!(
        t.cmd(&["XGROUP", "CREATE", "s", "g", "$"]),
        "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n"
    );
    assert_eq!(t.cmd(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]), OK);
    assert_eq!(
        t.cmd(&["XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"]),
        "-BUSYGROUP Consumer Group name already exists\r\n"
    );
    assert_eq!(t.cmd(&["XGROUP", "CREATE", "s", "g2", "0", "ENTRIESREAD", "0"]), OK);
    assert_eq!(
        t.cmd(&["XGROUP", "CREATE", "s", "g3", "0", "ENTRIESREAD", "-2"]),
        "-ERR value for ENTRIESREAD must be positive or -1\r\n"
    );
    let syntax = "-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n";
    assert_eq!(t.cmd(&["XGROUP", "CREATE", "s", "g3", "0", "FOO"]), syntax);
    assert_eq!(
        t.cmd(&["XGROUP", "CREATE", "s", "g3", "bad"]),
        "-ERR Invalid stream ID specified as stream command argument\r\n"
    );
    assert_eq!(
        t.cmd(&["XGROUP", "SETID", "s", "nog", "0"]),
        "-NOGROUP No such consumer group 'nog' for key name 's'\r\n"
    );
    assert_eq!(t.cmd(&["XGROUP", "DESTROY", "s", "nog"]), int(0));
    assert_eq!(t.cmd(&["XGROUP", "DESTROY", "s", "g2"]), int(1));
    assert_eq!(t.cmd(&["XGROUP", "FOO"]), "-ERR unknown subcommand 'FOO'. Try XGROUP HELP.\r\n");
    assert_eq!(t.cmd(&["XGROUP", "CREATE", "s"]), "-ERR wrong number of arguments for 'xgroup|create' command\r\n");
    t.cmd(&["SET", "str", "x"]);
    assert_eq!(t.cmd(&["XGROUP", "CREATE", "str", "g", "$"]), WRONGTYPE);
    let help = t.cmd(&["XGROUP", "HELP"]);
    assert!(help.starts_with("*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), "{help}");
    assert!(help.ends_with("+HELP\r\n+    Print this help.\r\n"), "{help}");
}

#[test]
fn xreadgroup_delivers_new_entries_then_the_consumers_history() {
    let mut t = with_stream("s", 3);
    assert_eq!(t.cmd(&["XGROUP", "CREATE", "s", "g", "0"]), OK);
    assert_eq!(
        t.cmd(&["XREADGROUP", "GROUP", "g", "alice", "COUNT", "2", "STREAMS", "s", ">"]),
        read_reply("s", &[e(1), e(2)])
    );
    assert_eq!(t.cmd(&["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"]), read_reply("s", &[e(3)]));
    assert_eq!(t.cmd(&["XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"]), "*-1\r\n");
    assert_eq!(t.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"]), read_reply("s", &[e(1), e(2)]));
    assert_eq!(t.cmd(&["XINFO", "GROUPS", "s"]), group_info("g", 2, 3, "3-0", Some(3), Some(0)));
    assert_eq!(t.cmd(&["XACK", "s", "g", "1-0", "9-0"]), int(1));
    // A pending entry deleted from the stream reads back as [id, nil].
    assert_eq!(t.cmd(&["XDEL", "s", "2-0"]), int(1));
    assert_eq!(
        t.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"]),
        "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*-1\r\n"
    );
    // NOACK moves the group on without a PEL entry.
    t.cmd(&["XADD", "s", "4-0", "f", "4"]);
    assert_eq!(t.cmd(&["XREADGROUP", "GROUP", "g", "carol", "NOACK", "STREAMS", "s", ">"]), read_reply("s", &[e(4)]));
    assert_eq!(t.cmd(&["XINFO", "GROUPS", "s"]), group_info("g", 3, 2, "4-0", Some(4), Some(0)));
}

#[test]
fn xreadgroup_argument_errors() {
    let mut t = with_stream("s", 1);
    t.cmd(&["XGROUP", "CREATE", "s", "g", "0"]);
    assert_eq!(
        t.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", "$"]),
        "-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.\r\n"
    );
    assert_eq!(
        t.cmd(&["XREADGROUP", "GROUP", "nog", "c", "STREAMS", "s", ">"]),
        "-NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option\r\n"
    );
    assert_eq!(
        t.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">", "x"]),
        "-ERR Unbalanced 'xreadgroup' list of streams: for each stream key an ID or '>' must be specified.\r\n"
    );
    assert_eq!(
        t.cmd(&["XREADGROUP", "COUNT", "1", "NOACK", "STREAMS", "s", ">"]),
        "-ERR Missing GROUP option for XREADGROUP\r\n"
    );
    assert_eq!(
        t.cmd(&["XREAD", "GROUP", "g", "c", "STREAMS", "s", ">"]),
        "-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n"
    );
    assert_eq!(
        t.cmd(&["XREAD", "NOACK", "STREAMS", "s", "0"]),
        "-ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.\r\n"
    );
    assert_eq!(
        t.cmd(&["XREAD", "STREAMS", "s", ">"]),
        "-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.\r\n"
    );
    assert_eq!(t.cmd(&["XREAD", "BLOCK", "-1", "STREAMS", "s", "0"]), "-ERR timeout is negative\r\n");
    assert_eq!(
        t.cmd(&["XREAD", "BLOCK", "x", "STREAMS", "s", "0"]),
        "-ERR timeout is not an integer or out of range\r\n"
    );
    assert_eq!(t.cmd(&["XREAD", "FOO", "STREAMS", "s", "0"]), "-ERR syntax error\r\n");
    // 7.2 names the command in lower case, quoted (7.0: "Unbalanced XREAD list").
    assert_eq!(
        t.cmd(&["XREAD", "STREAMS", "s", "other", "0"]),
        "-ERR Unbalanced 'xread' list of streams: for each stream key an ID or '$' must be specified.\r\n"
    );
    assert_eq!(t.cmd(&["XREAD", "COUNT", "1", "s", "0"]), "-ERR syntax error\r\n");
}

#[test]
fn xread_serves_every_stream_with_entries_after_its_id() {
    let mut t = with_stream("s", 3);
    t.cmd(&["XADD", "other", "5-0", "f", "5"]);
    assert_eq!(
        t.cmd(&["XREAD", "COUNT", "1", "STREAMS", "s", "nokey", "other", "1", "0", "0"]),
        format!("*2\r\n*2\r\n$1\r\ns\r\n*1\r\n{}*2\r\n$5\r\nother\r\n*1\r\n{}", e(2), entry("5-0", &["f", "5"]))
    );
    assert_eq!(t.cmd(&["XREAD", "STREAMS", "s", "$"]), "*-1\r\n");
    assert_eq!(t.cmd(&["XREAD", "STREAMS", "s", "3"]), "*-1\r\n");
    t.cmd(&["HELLO", "3"]);
    assert_eq!(t.cmd(&["XREAD", "STREAMS", "s", "2"]), format!("%1\r\n$1\r\ns\r\n*1\r\n{}", e(3)));
    assert_eq!(t.cmd(&["XREAD", "STREAMS", "s", "3"]), "_\r\n");
}

#[test]
fn lag_and_entries_read_follow_redis_7() {
    let mut t = with_stream("s", 5);
    t.cmd(&["XGROUP", "CREATE", "s", "g", "0"]);
    t.cmd(&["XGROUP", "CREATE", "s", "g4", "0", "ENTRIESREAD", "3"]);
    assert_eq!(t.cmd(&["XINFO", "GROUPS", "s"]).matches("lag\r\n:5\r\n").count(), 1);
    t.cmd(&["XREADGROUP", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">"]);
    assert!(t
        .cmd(&["XINFO", "GROUPS", "s"])
        .starts_with(&format!("*2\r\n{}", &group_info("g", 1, 2, "2-0", Some(2), Some(3))[4..])));
    // A tombstone after the group's position makes the lag unknown...
    t.cmd(&["XDEL", "s", "4-0"]);
    assert!(t.cmd(&["XINFO", "GROUPS", "s"]).contains("entries-read\r\n:2\r\n$3\r\nlag\r\n$-1\r\n"));
    // ...until the group reads past it.
    t.cmd(&["XREADGROUP", "GROUP", "g", "c", "STREAMS", "s", ">"]);
    assert!(t
        .cmd(&["XINFO", "GROUPS", "s"])
        .contains("last-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n"));
    t.cmd(&["XGROUP", "SETID", "s", "g", "0"]);
    assert!(t
        .cmd(&["XINFO", "GROUPS", "s"])
        .contains("last-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n"));
    t.cmd(&["XGROUP", "SETID", "s", "g", "$", "ENTRIESREAD", "5"]);
    assert!(t.cmd(&["XINFO", "GROUPS", "s"]).contains("entries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n"));
}

#[test]
fn consumers_are_created_deleted_and_listed() {
    let mut t = with_stream("s", 2);
    t.cmd(&["XGROUP", "CREATE", "s", "g", "0"]);
    assert_eq!(t.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "c9"]), int(1));
    assert_eq!(t.cmd(&["XGROUP", "CREATECONSUMER", "s", "g", "c9"]), int(0));
    assert_eq!(
        t.cmd(&["XGROUP", "CREATECONSUMER", "s", "nog", "c"]),
        "-NOGROUP No such consumer group 'nog' for key name 's'\r\n"
    );
    t.advance(100);
    t.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", ">"]);
    t.advance(30);
    assert_eq!(
        t.cmd(&["XINFO", "CONSUMERS", "s", "g"]),
        "*2\r\n*8\r\n$4\r\nname\r\n$5\r\nalice\r\n$7\r\npending\r\n:2\r\n$4\r\nidle\r\n:30\r\n$8\r\ninactive\r\n:30\r\n*8\r\n$4\r\nname\r\n$2\r\nc9\r\n$7\r\npending\r\n:0\r\n$4\r\nidle\r\n:130\r\n$8\r\ninactive\r\n:-1\r\n"
    );
    assert_eq!(t.cmd(&["XGROUP", "DELCONSUMER", "s", "g", "alice"]), int(2));
    assert_eq!(t.cmd(&["XGROUP", "DELCONSUMER", "s", "g", "nobody"]), int(0));
    assert_eq!(t.cmd(&["XPENDING", "s", "g"]), "*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n");
    assert_eq!(
        t.cmd(&["XINFO", "CONSUMERS", "s", "nog"]),
        "-NOGROUP No such consumer group 'nog' for key name 's'\r\n"
    );
}

#[test]
fn xinfo_stream_full_shows_entries_groups_and_pending() {
    let mut t = with_stream("s", 2);
    let now = t.now();
    t.cmd(&["XGROUP", "CREATE", "s", "g", "0"]);
    t.cmd(&["XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "STREAMS", "s", ">"]);
    let full = t.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "1"]);
    let expected = format!(
        "*18\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n\
$17\r\nlast-generated-id\r\n$3\r\n2-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:2\r\n\
$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$7\r\nentries\r\n*1\r\n{}$6\r\ngroups\r\n*1\r\n*14\r\n$4\r\nname\r\n$1\r\ng\r\n\
$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n:1\r\n$9\r\npel-count\r\n:1\r\n\
$7\r\npending\r\n*1\r\n*4\r\n$3\r\n1-0\r\n$1\r\nc\r\n:{now}\r\n:1\r\n$9\r\nconsumers\r\n*1\r\n*10\r\n$4\r\nname\r\n$1\r\nc\r\n\
$9\r\nseen-time\r\n:{now}\r\n$11\r\nactive-time\r\n:{now}\r\n$9\r\npel-count\r\n:1\r\n$7\r\npending\r\n*1\r\n*3\r\n$3\r\n1-0\r\n:{now}\r\n:1\r\n",
        e(1)
    );
    assert_eq!(full, expected);
    let syntax = "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n";
    assert_eq!(t.cmd(&["XINFO", "STREAM", "s", "FOO"]), syntax);
    assert_eq!(t.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT"]), syntax);
    assert_eq!(
        t.cmd(&["XINFO", "STREAM", "s", "FULL", "COUNT", "x"]),
        "-ERR value is not an integer or out of range\r\n"
    );
    assert_eq!(t.cmd(&["XINFO", "STREAM", "nokey"]), "-ERR no such key\r\n");
    // Redis 7.2's text (7.0 ended with "Prints this help.").
    assert_eq!(
        t.cmd(&["XINFO", "HELP"]),
        "*9\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CONSUMERS <key> <groupname>\r\n\
+    Show consumers of <groupname>.\r\n+GROUPS <key>\r\n+    Show the stream consumer groups.\r\n\
+STREAM <key> [FULL [COUNT <count>]\r\n+    Show information about the stream.\r\n+HELP\r\n+    Print this help.\r\n"
    );
}
