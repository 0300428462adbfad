use super::*;
use crate::client::{Client, ConnInfo};
use crate::engine::Ctx;
use crate::keyspace::db::Tracking;
use crate::resp::writer::Reply;

const LFU_NOT_SELECTED: &str = "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n";
const LFU_SELECTED: &str = "-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n";

/// What the engine does before each command (see `Db::set_now`): tells the
/// selected database the time, so values created without a lookup (the
/// placeholder SET) are stamped with it.
/// It also puts the clock on a whole second, as the LRU clock counts whole
/// seconds and the tests advance by fractions of one.
fn sync_clock(c: &mut TestConn) {
    let now = c.now() / 1000 * 1000;
    c.engine.server.clock.set(now);
    for db in &mut c.engine.server.dbs {
        db.set_now(now);
    }
}

fn use_lfu(c: &mut TestConn) {
    for db in &mut c.engine.server.dbs {
        db.set_tracking(Tracking::LFU_DEFAULT);
    }
}

#[test]
fn encoding_and_refcount() {
    let mut c = TestConn::new();
    set(&mut c, "int", "100");
    set(&mut c, "bigint", "10000");
    set(&mut c, "neg", "-1");
    set(&mut c, "emb", "hello");
    set(&mut c, "raw", &"x".repeat(45));
    assert_eq!(c.cmd(&["object", "encoding", "int"]), bulk("int"));
    assert_eq!(c.cmd(&["object", "encoding", "bigint"]), bulk("int"));
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "emb"]), bulk("embstr"));
    assert_eq!(c.cmd(&["object", "encoding", "raw"]), bulk("raw"));
    assert_eq!(c.cmd(&["object", "encoding", "nokey"]), NIL);
    // Redis shares the integers 0..9999 and reports their refcount as INT_MAX.
    assert_eq!(c.cmd(&["object", "refcount", "int"]), int(2147483647));
    assert_eq!(c.cmd(&["object", "refcount", "bigint"]), int(1));
    assert_eq!(c.cmd(&["object", "refcount", "neg"]), int(1));
    assert_eq!(c.cmd(&["object", "refcount", "emb"]), int(1));
    assert_eq!(c.cmd(&["object", "refcount", "nokey"]), NIL);
}

#[test]
fn subcommand_errors_and_help() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["object", "foo"]), "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n");
    assert_eq!(c.cmd(&["object"]), "-ERR wrong number of arguments for 'object' command\r\n");
    assert_eq!(c.cmd(&["object", "encoding"]), "-ERR wrong number of arguments for 'object|encoding' command\r\n");
    assert_eq!(
        c.cmd(&["object", "encoding", "a", "b"]),
        "-ERR wrong number of arguments for 'object|encoding' command\r\n"
    );
    assert_eq!(c.cmd(&["object", "help", "x"]), "-ERR wrong number of arguments for 'object|help' command\r\n");
    let help = c.cmd(&["object", "help"]);
    assert!(help
        .starts_with("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n"));
    assert!(help.ends_with("+HELP\r\n+    Print this help.\r\n"));
}

#[test]
fn idletime_grows_until_the_key_is_accessed() {
    let mut c = TestConn::new();
    sync_clock(&mut c);
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["object", "idletime", "k"]), int(0));
    c.advance(5_500);
    assert_eq!(c.cmd(&["object", "idletime", "k"]), int(5));
    // Inspecting does not count as an access …
    for cmd in [&["type", "k"][..], &["exists", "k"], &["ttl", "k"], &["object", "encoding", "k"], &["keys", "*"]] {
        c.cmd(cmd);
    }
    c.advance(1_000);
    assert_eq!(c.cmd(&["object", "idletime", "k"]), int(6));
    // … reading, writing or touching does.
    assert_eq!(c.cmd(&["get", "k"]), bulk("v"));
    assert_eq!(c.cmd(&["object", "idletime", "k"]), int(0));
    c.advance(3_000);
    assert_eq!(c.cmd(&["expire", "k", "100"]), int(1));
    assert_eq!(c.cmd(&["object", "idletime", "k"]), int(0));
    c.advance(3_000);
    assert_eq!(c.cmd(&["touch", "k"]), int(1));
    assert_eq!(c.cmd(&["object", "idletime", "k"]), int(0));
    assert_eq!(c.cmd(&["object", "idletime", "nokey"]), NIL);
    assert_eq!(c.cmd(&["object", "freq", "k"]), LFU_NOT_SELECTED);
    // A missing key is nil before the policy is looked at.
    assert_eq!(c.cmd(&["object", "freq", "nokey"]), NIL);
}

#[test]
fn rename_and_move_keep_history_while_copy_starts_fresh() {
    let mut c = TestConn::new();
    use_lfu(&mut c);
    sync_clock(&mut c);
    set(&mut c, "k", "v");
    // At the initial value every access counts.
    assert_eq!(c.cmd(&["get", "k"]), bulk("v"));
    assert_eq!(c.cmd(&["object", "freq", "k"]), int(6));
    assert_eq!(c.cmd(&["copy", "k", "copied"]), int(1));
    assert_eq!(c.cmd(&["object", "freq", "copied"]), int(5));
    let before: i64 = c.cmd(&["object", "freq", "k"])[1..].trim().parse().unwrap();
    assert_eq!(c.cmd(&["rename", "k", "renamed"]), OK);
    let after: i64 = c.cmd(&["object", "freq", "renamed"])[1..].trim().parse().unwrap();
    assert!(after >= before, "{before} -> {after}");
    assert_eq!(c.cmd(&["move", "renamed", "1"]), int(1));
    assert_eq!(c.cmd(&["select", "1"]), OK);
    let moved: i64 = c.cmd(&["object", "freq", "renamed"])[1..].trim().parse().unwrap();
    assert!(moved >= after);
}

#[test]
fn lfu_counter_decays_and_idletime_is_refused() {
    let mut c = TestConn::new();
    use_lfu(&mut c);
    sync_clock(&mut c);
    set(&mut c, "k", "v");
    assert_eq!(c.cmd(&["object", "freq", "k"]), int(5));
    assert_eq!(c.cmd(&["object", "idletime", "k"]), LFU_SELECTED);
    // One point per minute (lfu-decay-time 1), reported without an access.
    c.advance(3 * 60_000);
    assert_eq!(c.cmd(&["object", "freq", "k"]), int(2));
    c.advance(10 * 60_000);
    assert_eq!(c.cmd(&["object", "freq", "k"]), int(0));
}

#[test]
fn refcount_of_integers_under_lfu_with_maxmemory_is_one() {
    let mut c = TestConn::new();
    set(&mut c, "k", "5");
    use_lfu(&mut c);
    c.engine.server.config.maxmemory = 1 << 30;
    assert_eq!(c.cmd(&["object", "refcount", "k"]), int(1));
}

/// Runs a key-family handler as a client under CLIENT NO-TOUCH (the CLIENT
/// family is written elsewhere). NO-TOUCH is new in Redis 7.2, so this
/// follows 7.2's `lookupKey`, not the 7.0 oracle.
fn run_no_touch(c: &mut TestConn, handler: crate::command::Handler, argv: &[&str]) -> String {
    let mut client = Client::new(99, 99, ConnInfo::default(), c.now(), true);
    client.no_touch = true;
    let mut out = Reply::default();
    let argv: Vec<&[u8]> = argv.iter().map(|a| a.as_bytes()).collect();
    let mut ctx = Ctx {
        now: c.now(),
        server: &mut c.engine.server,
        client: &mut client,
        others: &mut [],
        out: &mut out,
        spec: &crate::commands::keys::COMMANDS[0],
    };
    handler(&mut ctx, &argv).unwrap();
    String::from_utf8(out.buf).unwrap()
}

#[test]
fn no_touch_clients_leave_idle_time_alone_except_with_touch() {
    let mut c = TestConn::new();
    sync_clock(&mut c);
    set(&mut c, "k", "v");
    set(&mut c, "other", "1");
    c.advance(4_000);
    assert_eq!(run_no_touch(&mut c, super::super::expire::persist, &["persist", "k"]), int(0));
    assert_eq!(run_no_touch(&mut c, super::super::rename::copy, &["copy", "k", "k2"]), int(1));
    assert_eq!(c.cmd(&["object", "idletime", "k"]), int(4));
    assert_eq!(run_no_touch(&mut c, super::super::basic::touch, &["touch", "k"]), int(1));
    assert_eq!(c.cmd(&["object", "idletime", "k"]), int(0));
}
