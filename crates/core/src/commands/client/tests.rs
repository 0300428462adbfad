use std::collections::HashMap;

use crate::engine::status;
use crate::testing::TestConn;

/// The body of a bulk (or RESP3 verbatim) reply.
fn body(reply: &str) -> &str {
    let rest = &reply[reply.find("\r\n").unwrap() + 2..];
    let rest = rest.strip_suffix("\r\n").unwrap();
    rest.strip_prefix("txt:").unwrap_or(rest)
}

/// One CLIENT LIST line as (field, value) pairs, in order.
fn fields(line: &str) -> Vec<(&str, &str)> {
    line.split(' ').map(|f| f.split_once('=').unwrap()).collect()
}

fn list(t: &mut TestConn) -> Vec<HashMap<String, String>> {
    let reply = t.cmd(&["CLIENT", "LIST"]);
    let text = body(&reply);
    assert!(text.ends_with('\n'));
    text.lines().map(|l| fields(l).into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()).collect()
}

#[test]
fn id_and_names() {
    let mut t = TestConn::new();
    let other = t.connect();
    assert_eq!(t.cmd(&["CLIENT", "ID"]), ":1\r\n");
    assert_eq!(t.cmd_on(other, &["client", "id"]), ":2\r\n");
    assert_eq!(t.cmd(&["CLIENT", "GETNAME"]), "$-1\r\n");
    assert_eq!(t.cmd(&["CLIENT", "SETNAME", "worker-1"]), "+OK\r\n");
    assert_eq!(t.cmd(&["CLIENT", "GETNAME"]), "$8\r\nworker-1\r\n");
    assert_eq!(
        t.cmd(&["CLIENT", "SETNAME", "a b"]),
        "-ERR Client names cannot contain spaces, newlines or special characters.\r\n"
    );
    assert_eq!(t.cmd(&["CLIENT", "SETNAME", ""]), "+OK\r\n");
    assert_eq!(t.cmd(&["CLIENT", "GETNAME"]), "$-1\r\n");
}

#[test]
fn arity_and_unknown_subcommands() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["CLIENT"]), "-ERR wrong number of arguments for 'client' command\r\n");
    assert_eq!(t.cmd(&["CLIENT", "ID", "x"]), "-ERR wrong number of arguments for 'client|id' command\r\n");
    assert_eq!(t.cmd(&["client", "foo"]), "-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n");
    assert_eq!(t.cmd(&["CLIENT", "LIST", "foo"]), "-ERR syntax error\r\n");
    let help = t.cmd(&["client", "help"]);
    assert!(help.starts_with("*54\r\n+CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"));
    assert!(help.ends_with("+HELP\r\n+    Print this help.\r\n"));
}

#[test]
fn list_lines_follow_redis_field_order() {
    let mut t = TestConn::new();
    let other = t.connect();
    t.cmd_on(other, &["PING"]);
    t.advance(3_000);
    let reply = t.cmd(&["CLIENT", "LIST"]);
    let text = body(&reply);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    let order = [
        "id",
        "addr",
        "laddr",
        "fd",
        "name",
        "age",
        "idle",
        "flags",
        "db",
        "sub",
        "psub",
        "ssub",
        "multi",
        "qbuf",
        "qbuf-free",
        "argv-mem",
        "multi-mem",
        "rbs",
        "rbp",
        "obl",
        "oll",
        "omem",
        "tot-mem",
        "events",
        "cmd",
        "user",
        "redir",
        "resp",
        "lib-name",
        "lib-ver",
    ];
    for line in &lines {
        let names: Vec<&str> = fields(line).iter().map(|(k, _)| *k).collect();
        assert_eq!(names, order);
    }
    let me: HashMap<_, _> = fields(lines[0]).into_iter().collect();
    let them: HashMap<_, _> = fields(lines[1]).into_iter().collect();
    assert_eq!(me["id"], "1");
    assert_eq!(me["addr"], "127.0.0.1:50000");
    assert_eq!(me["laddr"], "127.0.0.1:6379");
    assert_eq!(me["fd"], "8");
    assert_eq!(me["age"], "3");
    assert_eq!(me["idle"], "0");
    assert_eq!(me["flags"], "N");
    assert_eq!(me["cmd"], "client|list");
    assert_eq!(me["user"], "default");
    assert_eq!(me["resp"], "2");
    assert_eq!(me["multi"], "-1");
    // The command being run is in the query buffer: *2 $6 client $4 list.
    assert_eq!(me["qbuf"], "26");
    assert_eq!(me["argv-mem"], "10");
    assert_eq!(them["id"], "2");
    assert_eq!(them["idle"], "3");
    assert_eq!(them["cmd"], "ping");
    assert_eq!(them["qbuf"], "0");
}

#[test]
fn list_filters() {
    let mut t = TestConn::new();
    t.connect();
    assert_eq!(list(&mut t).len(), 2);
    let normal = t.cmd(&["CLIENT", "LIST", "TYPE", "normal"]);
    assert_eq!(body(&normal).lines().count(), 2);
    assert_eq!(t.cmd(&["CLIENT", "LIST", "TYPE", "pubsub"]), "$0\r\n\r\n");
    assert_eq!(t.cmd(&["CLIENT", "LIST", "TYPE", "foo"]), "-ERR Unknown client type 'foo'\r\n");
    let by_id = t.cmd(&["CLIENT", "LIST", "ID", "2", "99", "1"]);
    let ids: Vec<&str> = body(&by_id).lines().map(|l| fields(l)[0].1).collect();
    assert_eq!(ids, ["2", "1"]);
    assert_eq!(t.cmd(&["CLIENT", "LIST", "ID", "abc"]), "-ERR Invalid client ID\r\n");
}

#[test]
fn info_is_one_line_and_resp3_is_verbatim() {
    let mut t = TestConn::new();
    t.cmd(&["HELLO", "3"]);
    let reply = t.cmd(&["CLIENT", "INFO"]);
    assert!(reply.starts_with('='), "{reply}");
    let text = body(&reply);
    assert_eq!(text.matches('\n').count(), 1);
    let f: HashMap<_, _> = fields(text.trim_end()).into_iter().collect();
    assert_eq!(f["cmd"], "client|info");
    assert_eq!(f["resp"], "3");
}

#[test]
fn setinfo_validates_like_redis() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["CLIENT", "SETINFO", "LIB-NAME", "redis-py"]), "+OK\r\n");
    assert_eq!(t.cmd(&["CLIENT", "SETINFO", "lib-ver", "5.0.1"]), "+OK\r\n");
    assert_eq!(t.cmd(&["CLIENT", "SETINFO", "foo", "x"]), "-ERR Unrecognized option 'foo'\r\n");
    assert_eq!(
        t.cmd(&["CLIENT", "SETINFO", "lib-name", "a b"]),
        "-ERR lib-name cannot contain spaces, newlines or special characters.\r\n"
    );
    let me = &list(&mut t)[0];
    assert_eq!(me["lib-name"], "redis-py");
    assert_eq!(me["lib-ver"], "5.0.1");
    assert_eq!(t.cmd(&["CLIENT", "SETINFO", "lib-ver", ""]), "+OK\r\n");
    assert_eq!(list(&mut t)[0]["lib-ver"], "");
}

#[test]
fn no_evict_and_no_touch_show_in_flags() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["CLIENT", "NO-EVICT", "on"]), "+OK\r\n");
    assert_eq!(list(&mut t)[0]["flags"], "e");
    assert_eq!(t.cmd(&["CLIENT", "NO-TOUCH", "ON"]), "+OK\r\n");
    assert_eq!(list(&mut t)[0]["flags"], "eT");
    assert!(t.engine.client(t.handle).unwrap().no_touch);
    assert_eq!(t.cmd(&["CLIENT", "NO-EVICT", "off"]), "+OK\r\n");
    assert_eq!(t.cmd(&["CLIENT", "NO-TOUCH", "off"]), "+OK\r\n");
    assert_eq!(list(&mut t)[0]["flags"], "N");
    assert_eq!(t.cmd(&["CLIENT", "NO-EVICT", "maybe"]), "-ERR syntax error\r\n");
    assert_eq!(t.cmd(&["CLIENT", "NO-TOUCH", "maybe"]), "-ERR syntax error\r\n");
}

#[test]
fn reply_off_and_skip_suppress_output() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["CLIENT", "REPLY", "OFF"]), "");
    assert_eq!(t.cmd(&["PING"]), "");
    assert_eq!(t.cmd(&["GET", "x", "y"]), "");
    // SKIP while OFF changes nothing.
    assert_eq!(t.cmd(&["CLIENT", "REPLY", "SKIP"]), "");
    assert_eq!(t.cmd(&["CLIENT", "REPLY", "ON"]), "+OK\r\n");
    assert_eq!(t.cmd(&["PING"]), "+PONG\r\n");
    assert_eq!(t.cmd(&["CLIENT", "REPLY", "SKIP"]), "");
    assert_eq!(t.cmd(&["PING"]), "");
    assert_eq!(t.cmd(&["PING"]), "+PONG\r\n");
    // Pipelined: only the command after SKIP is silenced.
    let out = t
        .raw(b"*3\r\n$6\r\nCLIENT\r\n$5\r\nREPLY\r\n$4\r\nSKIP\r\n*2\r\n$4\r\nECHO\r\n$1\r\na\r\n*1\r\n$4\r\nPING\r\n");
    assert_eq!(out, b"+PONG\r\n");
    assert_eq!(t.cmd(&["CLIENT", "REPLY", "bogus"]), "-ERR syntax error\r\n");
}

#[test]
fn kill_by_address_closes_the_other_connection() {
    let mut t = TestConn::new();
    let other = t.connect();
    assert_eq!(t.cmd(&["CLIENT", "KILL", "127.0.0.1:50001"]), "+OK\r\n");
    assert_eq!(t.engine.take_events().closes, vec![other]);
    assert_eq!(list(&mut t).len(), 1);
    // Already killed: gone, as Redis frees it at once.
    assert_eq!(t.cmd(&["CLIENT", "KILL", "127.0.0.1:50001"]), "-ERR No such client\r\n");
    assert_eq!(t.engine.feed(other, b"PING\r\n") & status::CLOSE, status::CLOSE);
    assert_eq!(t.cmd(&["CLIENT", "KILL", "10.0.0.1:1"]), "-ERR No such client\r\n");
}

#[test]
fn kill_filters_count_and_skip_the_caller() {
    let mut t = TestConn::new();
    let a = t.connect();
    let b = t.connect();
    assert_eq!(t.cmd(&["CLIENT", "KILL", "ID", "2"]), ":1\r\n");
    assert_eq!(t.engine.take_events().closes, vec![a]);
    assert_eq!(t.cmd(&["CLIENT", "KILL", "ID", "99"]), ":0\r\n");
    // Both remaining connections share the laddr; the caller is skipped by default.
    assert_eq!(t.cmd(&["CLIENT", "KILL", "LADDR", "127.0.0.1:6379"]), ":1\r\n");
    assert_eq!(t.engine.take_events().closes, vec![b]);
    assert_eq!(t.cmd(&["CLIENT", "KILL", "USER", "default", "SKIPME", "yes"]), ":0\r\n");
    assert!(t.engine.take_events().closes.is_empty());
    // SKIPME no: the caller gets its reply, then is closed.
    assert_eq!(t.cmd(&["CLIENT", "KILL", "TYPE", "normal", "SKIPME", "no"]), ":1\r\n");
    assert!(t.engine.client(t.handle).unwrap().close_after_reply);
    assert!(t.engine.take_events().closes.is_empty());
}

#[test]
fn kill_by_user_knows_every_acl_user_connected_or_not() {
    use crate::acl::user::{Selector, User};
    let mut t = TestConn::new();
    let everything = Selector { all_commands: true, all_keys: true, ..Default::default() };
    let password = crate::acl::sha256::digest(b"pw");
    t.engine.acl_install_user(User::new("idle".into(), true, false, vec![password], vec![everything.clone()]));
    t.engine.acl_install_user(User::new("worker".into(), true, false, vec![password], vec![everything]));
    // A user with no connection is no error: nothing to kill.
    assert_eq!(t.cmd(&["CLIENT", "KILL", "USER", "idle"]), ":0\r\n");
    let w = t.connect();
    assert_eq!(t.cmd_on(w, &["AUTH", "worker", "pw"]), "+OK\r\n");
    let other = t.connect();
    assert_eq!(t.cmd(&["CLIENT", "KILL", "USER", "worker"]), ":1\r\n");
    assert_eq!(t.engine.take_events().closes, vec![w]);
    let id = other_id(&mut t, other);
    assert_eq!(t.cmd(&["CLIENT", "KILL", "USER", "default", "ID", &id]), ":1\r\n");
    assert_eq!(t.engine.take_events().closes, vec![other]);
    assert_eq!(t.cmd(&["CLIENT", "KILL", "USER", "gone"]), "-ERR No such user 'gone'\r\n");
}

/// A connection's CLIENT ID, asked on that connection.
fn other_id(t: &mut TestConn, handle: u32) -> String {
    t.cmd_on(handle, &["CLIENT", "ID"]).trim_start_matches(':').trim_end().to_string()
}

#[test]
fn kill_errors_as_redis_7_2_gives_them() {
    let mut t = TestConn::new();
    let errors = [
        (vec!["ID", "0"], "-ERR client-id should be greater than 0\r\n"),
        (vec!["ID", "abc"], "-ERR client-id should be greater than 0\r\n"),
        (vec!["ID", "5", "SKIPME"], "-ERR syntax error\r\n"),
        (vec!["TYPE", "foo"], "-ERR Unknown client type 'foo'\r\n"),
        (vec!["USER", "nobody"], "-ERR No such user 'nobody'\r\n"),
        (vec!["SKIPME", "maybe"], "-ERR syntax error\r\n"),
        // MAXAGE came with Redis 7.4.
        (vec!["MAXAGE", "1"], "-ERR syntax error\r\n"),
        (vec!["BOGUS", "1"], "-ERR syntax error\r\n"),
    ];
    for (args, want) in errors {
        let mut cmd = vec!["CLIENT", "KILL"];
        cmd.extend(args);
        assert_eq!(t.cmd(&cmd), want, "{cmd:?}");
    }
    for kind in ["master", "slave", "replica", "pubsub"] {
        assert_eq!(t.cmd(&["CLIENT", "KILL", "TYPE", kind]), ":0\r\n");
    }
    assert!(t.engine.take_events().closes.is_empty());
}

#[test]
fn getredir_and_trackinginfo_without_tracking() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["CLIENT", "GETREDIR"]), ":-1\r\n");
    assert_eq!(
        t.cmd(&["CLIENT", "TRACKINGINFO"]),
        "*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n*0\r\n"
    );
}

mod pause {
    use super::*;

    /// The clients the engine handed back to the host to feed again.
    fn resumed(t: &mut TestConn) -> Vec<u32> {
        t.engine.take_events().resumes
    }

    /// What the host does with a resumed client: feed it nothing, collect the replies.
    fn feed_again(t: &mut TestConn, handle: u32) -> String {
        String::from_utf8_lossy(&t.raw_on(handle, b"")).into_owned()
    }

    #[test]
    fn write_pause_holds_writes_and_lets_reads_through() {
        let mut t = TestConn::new();
        let writer = t.connect();
        assert_eq!(t.cmd(&["CLIENT", "PAUSE", "1000", "WRITE"]), "+OK\r\n");
        // Held, not refused: no reply yet, and what follows waits behind it.
        assert_eq!(t.cmd_on(writer, &["SET", "k", "v"]), "");
        assert_eq!(t.cmd_on(writer, &["GET", "k"]), "");
        assert_eq!(t.cmd(&["GET", "k"]), "$-1\r\n");
        let publisher = t.connect();
        assert_eq!(t.cmd_on(publisher, &["PUBLISH", "ch", "m"]), "");
        let clients = list(&mut t);
        let held = clients.iter().find(|c| c["id"] == "2").unwrap();
        assert_eq!((held["flags"].as_str(), held["cmd"].as_str()), ("b", "set"));
        assert!(t.cmd(&["INFO", "clients"]).contains("blocked_clients:2\r\n"));
        t.advance(999);
        t.engine.tick();
        assert!(resumed(&mut t).is_empty());
        t.advance(1);
        t.engine.tick();
        assert_eq!(resumed(&mut t), vec![writer, publisher]);
        assert_eq!(feed_again(&mut t, writer), "+OK\r\n$1\r\nv\r\n");
        assert_eq!(feed_again(&mut t, publisher), ":0\r\n");
        assert!(t.cmd(&["INFO", "clients"]).contains("blocked_clients:0\r\n"));
    }

    #[test]
    fn all_pause_holds_everything_even_unpause() {
        let mut t = TestConn::new();
        let other = t.connect();
        assert_eq!(t.cmd(&["CLIENT", "PAUSE", "500"]), "+OK\r\n");
        assert_eq!(t.cmd_on(other, &["PING"]), "");
        assert_eq!(t.cmd(&["CLIENT", "UNPAUSE"]), "");
        t.advance(500);
        t.engine.tick();
        assert_eq!(resumed(&mut t), vec![other, t.handle]);
        assert_eq!(feed_again(&mut t, other), "+PONG\r\n");
        let h = t.handle;
        assert_eq!(feed_again(&mut t, h), "+OK\r\n");
    }

    #[test]
    fn unpause_releases_held_clients_in_order() {
        let mut t = TestConn::new();
        let (a, b) = (t.connect(), t.connect());
        t.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]);
        t.cmd_on(b, &["RPUSH", "l", "b"]);
        t.cmd_on(a, &["RPUSH", "l", "a"]);
        assert_eq!(t.cmd(&["CLIENT", "UNPAUSE"]), "+OK\r\n");
        assert_eq!(resumed(&mut t), vec![b, a]);
        assert_eq!(feed_again(&mut t, b), ":1\r\n");
        assert_eq!(feed_again(&mut t, a), ":2\r\n");
        assert_eq!(t.cmd(&["RPUSH", "l", "c"]), ":3\r\n");
    }

    #[test]
    fn a_later_pause_keeps_the_later_end_and_takes_the_new_mode() {
        let mut t = TestConn::new();
        let other = t.connect();
        t.cmd(&["CLIENT", "PAUSE", "1000", "WRITE"]);
        t.cmd(&["CLIENT", "PAUSE", "10", "WRITE"]);
        t.advance(500);
        assert_eq!(t.cmd_on(other, &["SET", "a", "1"]), "");
        t.advance(500);
        t.engine.tick();
        assert_eq!(resumed(&mut t), vec![other]);
        assert_eq!(feed_again(&mut t, other), "+OK\r\n");
        // WRITE after ALL: reads flow again.
        t.cmd(&["CLIENT", "PAUSE", "1000", "ALL"]);
        let h = t.handle;
        t.engine.server.pause.start(crate::pause::PauseMode::Write, 0);
        assert_eq!(t.cmd_on(other, &["GET", "a"]), "$1\r\n1\r\n");
        assert_eq!(t.cmd_on(h, &["SET", "a", "2"]), "");
    }

    #[test]
    fn exec_that_would_write_waits_and_a_read_only_one_runs() {
        let mut t = TestConn::new();
        let other = t.connect();
        t.cmd_on(other, &["MULTI"]);
        t.cmd_on(other, &["GET", "a"]);
        t.cmd(&["MULTI"]);
        t.cmd(&["INCR", "a"]);
        assert_eq!(t.cmd_on(other, &["CLIENT", "PAUSE", "1000", "WRITE"]), "+QUEUED\r\n");
        // The pause is queued in the other transaction; start one for real.
        let third = t.connect();
        t.cmd_on(third, &["CLIENT", "PAUSE", "1000", "WRITE"]);
        assert_eq!(t.cmd(&["EXEC"]), "");
        assert_eq!(t.cmd_on(other, &["EXEC"]), "*2\r\n$-1\r\n+OK\r\n");
        t.cmd_on(third, &["CLIENT", "UNPAUSE"]);
        let h = t.handle;
        assert_eq!(resumed(&mut t), vec![h]);
        assert_eq!(feed_again(&mut t, h), "*1\r\n:1\r\n");
    }

    #[test]
    fn expiry_waits_for_the_pause() {
        let mut t = TestConn::new();
        t.cmd(&["SET", "k", "v", "PX", "10"]);
        t.cmd(&["CLIENT", "PAUSE", "1000", "WRITE"]);
        t.advance(20);
        for _ in 0..5 {
            t.engine.tick();
        }
        // Active expiry did not run: the key is still stored (DBSIZE counts it).
        assert_eq!(t.cmd(&["DBSIZE"]), ":1\r\n");
        // A lookup sees it gone but leaves it stored, as Redis 7.2 does.
        assert_eq!(t.cmd(&["GET", "k"]), "$-1\r\n");
        assert_eq!(t.cmd(&["EXISTS", "k"]), ":0\r\n");
        assert_eq!(t.cmd(&["DBSIZE"]), ":1\r\n");
        assert!(t.cmd(&["INFO", "stats"]).contains("expired_keys:0\r\n"));
        // Only expired keys left: RANDOMKEY still ends (Redis 7.2.4 would spin here).
        assert_eq!(t.cmd(&["RANDOMKEY"]), "$1\r\nk\r\n");
        t.advance(1000);
        t.engine.tick();
        t.engine.tick();
        assert_eq!(t.cmd(&["DBSIZE"]), ":0\r\n");
        assert!(t.cmd(&["INFO", "stats"]).contains("expired_keys:1\r\n"));
    }

    #[test]
    fn eviction_waits_for_the_pause_and_no_oom_is_given_meanwhile() {
        use crate::commands::server::apply_config;
        let mut t = TestConn::new();
        for k in ["a", "b", "c"] {
            t.cmd(&["SET", k, &"v".repeat(100)]);
        }
        apply_config(&mut t.engine.server, "maxmemory-policy", "allkeys-lru").unwrap();
        let writer = t.connect();
        t.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]);
        // A limit below what is stored: CONFIG SET and reads evict nothing while paused.
        let used = crate::eviction::used_memory(&t.engine.server);
        apply_config(&mut t.engine.server, "maxmemory", &(used - 1).to_string()).unwrap();
        assert_eq!(t.cmd(&["GET", "a"]), format!("$100\r\n{}\r\n", "v".repeat(100)));
        t.engine.tick();
        assert_eq!(t.cmd(&["DBSIZE"]), ":3\r\n");
        assert_eq!(t.cmd_on(writer, &["SET", "d", "x"]), "");
        assert!(t.cmd(&["INFO", "stats"]).contains("evicted_keys:0\r\n"));
        t.cmd(&["CLIENT", "UNPAUSE"]);
        assert_eq!(feed_again(&mut t, writer), "+OK\r\n");
        assert!(!t.cmd(&["INFO", "stats"]).contains("evicted_keys:0\r\n"));
        // Under noeviction a paused server gives no OOM either: the write is held, not refused.
        apply_config(&mut t.engine.server, "maxmemory-policy", "noeviction").unwrap();
        let used = crate::eviction::used_memory(&t.engine.server);
        apply_config(&mut t.engine.server, "maxmemory", &(used - 1).to_string()).unwrap();
        t.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]);
        assert_eq!(t.cmd_on(writer, &["SET", "e", "x"]), "");
        t.cmd(&["CLIENT", "UNPAUSE"]);
        assert_eq!(feed_again(&mut t, writer), "-OOM command not allowed when used memory > 'maxmemory'.\r\n");
    }

    #[test]
    fn pause_arguments_are_checked_as_redis_does() {
        let mut t = TestConn::new();
        let cases = [
            (vec!["abc"], "-ERR timeout is not an integer or out of range\r\n"),
            (vec!["-1"], "-ERR timeout is negative\r\n"),
            (vec!["10", "foo"], "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n"),
            // The mode is checked before the timeout.
            (vec!["abc", "foo"], "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n"),
            (
                vec!["10", "write", "extra"],
                "-ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.\r\n",
            ),
        ];
        for (args, want) in cases {
            let mut cmd = vec!["client", "pause"];
            cmd.extend(args);
            assert_eq!(t.cmd(&cmd), want, "{cmd:?}");
        }
        assert_eq!(
            t.cmd(&["CLIENT", "UNPAUSE", "x"]),
            "-ERR wrong number of arguments for 'client|unpause' command\r\n"
        );
        // A zero timeout pauses nothing.
        assert_eq!(t.cmd(&["CLIENT", "PAUSE", "0"]), "+OK\r\n");
        assert_eq!(t.cmd(&["PING"]), "+PONG\r\n");
    }

    #[test]
    fn write_pause_lets_scripts_declared_no_writes_through() {
        let mut t = TestConn::new();
        let library = "#!lua name=lib\n\
            redis.register_function{function_name='ro', callback=function(k) return redis.call('get', k[1]) end, flags={'no-writes'}}\n\
            redis.register_function('rw', function() return 1 end)";
        assert_eq!(t.cmd(&["FUNCTION", "LOAD", library]), "$3\r\nlib\r\n");
        t.cmd(&["SET", "k", "v"]);
        let sha = t.cmd(&["SCRIPT", "LOAD", "#!lua flags=no-writes\nreturn 2"]);
        let sha = sha.split("\r\n").nth(1).unwrap().to_string();
        t.cmd(&["CLIENT", "PAUSE", "100000", "WRITE"]);
        let read_only_scripts: [&[&str]; 6] = [
            &["EVAL", "#!lua flags=no-writes\nreturn redis.call('get', KEYS[1])", "1", "k"],
            &["EVALSHA", &sha, "0"],
            &["EVAL_RO", "#!lua flags=no-writes\nreturn 1", "0"],
            // Without a shebang EVAL_RO keeps its command's flags: read-only.
            &["EVAL_RO", "return 1", "0"],
            &["FCALL", "ro", "1", "k"],
            &["FCALL_RO", "ro", "1", "k"],
        ];
        let c = t.connect();
        for (cmd, expected) in
            read_only_scripts.iter().zip(["$1\r\nv\r\n", ":2\r\n", ":1\r\n", ":1\r\n", "$1\r\nv\r\n", "$1\r\nv\r\n"])
        {
            assert_eq!(t.cmd_on(c, cmd), expected, "{cmd:?}");
        }
        // A transaction of read-only scripts runs too.
        t.cmd_on(c, &["MULTI"]);
        t.cmd_on(c, &["EVAL", "#!lua flags=no-writes\nreturn 3", "0"]);
        t.cmd_on(c, &["FCALL", "ro", "1", "k"]);
        assert_eq!(t.cmd_on(c, &["EXEC"]), "*2\r\n:3\r\n$1\r\nv\r\n");
        // Everything else that runs a script is held: no shebang, a shebang
        // without no-writes, a function without it, an unknown one.
        let may_write: [&[&str]; 5] = [
            &["EVAL", "return 1", "0"],
            &["EVAL", "#!lua\nreturn 1", "0"],
            &["EVAL", "#!lua flags=allow-oom\nreturn 1", "0"],
            &["FCALL", "rw", "0"],
            &["FCALL", "nosuch", "0"],
        ];
        let mut held = Vec::new();
        for cmd in may_write {
            let h = t.connect();
            assert_eq!(t.cmd_on(h, cmd), "", "{cmd:?} is held");
            held.push(h);
        }
        assert_eq!(t.cmd(&["CLIENT", "UNPAUSE"]), "+OK\r\n");
        assert_eq!(resumed(&mut t), held);
        let replies: Vec<String> = held.iter().map(|&h| feed_again(&mut t, h)).collect();
        assert_eq!(replies[..4], [":1\r\n", ":1\r\n", ":1\r\n", ":1\r\n"]);
        assert_eq!(replies[4], "-ERR Function not found\r\n");
    }
}
