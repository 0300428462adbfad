//! SLOWLOG and LATENCY through the real command path.

use crate::commands::server::apply_config;
use crate::testing::TestConn;

fn config(t: &mut TestConn, name: &str, value: &str) {
    apply_config(&mut t.engine.server, name, value).unwrap();
}

/// A connection whose every command lands in the slow log.
fn logging_everything() -> TestConn {
    let mut t = TestConn::new();
    config(&mut t, "slowlog-log-slower-than", "0");
    t
}

#[test]
fn slowlog_get_shows_newest_first_with_every_field() {
    let mut t = logging_everything();
    t.engine.server.clock.set(1_700_000_123_456);
    t.cmd(&["SET", "k", "v"]);
    t.cmd(&["CLIENT", "SETNAME", "worker"]);
    t.cmd(&["GET", "k"]);
    let reply = t.cmd(&["SLOWLOG", "GET"]);
    let expected_head = "*3\r\n*6\r\n:2\r\n:1700000123\r\n:";
    assert!(reply.starts_with(expected_head), "{reply}");
    assert!(
        reply.contains("\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n$15\r\n127.0.0.1:50000\r\n$6\r\nworker\r\n*6\r\n:1\r\n"),
        "{reply}"
    );
    assert!(
        reply.ends_with("\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n$15\r\n127.0.0.1:50000\r\n$0\r\n\r\n"),
        "{reply}"
    );
    // SLOWLOG GET itself was logged after it ran.
    assert_eq!(t.cmd(&["SLOWLOG", "LEN"]), ":4\r\n");
}

#[test]
fn slowlog_count_and_its_errors() {
    let mut t = logging_everything();
    for i in 0..12 {
        t.cmd(&["ECHO", &i.to_string()]);
    }
    assert!(t.cmd(&["SLOWLOG", "GET"]).starts_with("*10\r\n"));
    assert!(t.cmd(&["SLOWLOG", "GET", "2"]).starts_with("*2\r\n*6\r\n:12\r\n"));
    assert_eq!(t.cmd(&["SLOWLOG", "GET", "0"]), "*0\r\n");
    assert!(t.cmd(&["SLOWLOG", "GET", "-1"]).starts_with("*15\r\n"));
    assert!(t.cmd(&["SLOWLOG", "GET", "1000"]).starts_with("*16\r\n"));
    let bad = "-ERR count should be greater than or equal to -1\r\n";
    assert_eq!(t.cmd(&["SLOWLOG", "GET", "-2"]), bad);
    assert_eq!(t.cmd(&["SLOWLOG", "GET", "x"]), bad);
    assert_eq!(
        t.cmd(&["slowlog", "Get", "1", "2"]),
        "-ERR unknown subcommand or wrong number of arguments for 'Get'. Try SLOWLOG HELP.\r\n"
    );
    assert_eq!(t.cmd(&["SLOWLOG", "LEN", "x"]), "-ERR wrong number of arguments for 'slowlog|len' command\r\n");
    assert_eq!(t.cmd(&["SLOWLOG", "NOPE"]), "-ERR unknown subcommand 'NOPE'. Try SLOWLOG HELP.\r\n");
}

#[test]
fn slowlog_respects_max_len_threshold_and_reset() {
    let mut t = logging_everything();
    config(&mut t, "slowlog-max-len", "3");
    for i in 0..5 {
        t.cmd(&["ECHO", &i.to_string()]);
    }
    assert_eq!(t.cmd(&["SLOWLOG", "LEN"]), ":3\r\n");
    assert_eq!(t.cmd(&["SLOWLOG", "RESET"]), "+OK\r\n");
    // The RESET itself was logged after the log emptied.
    assert_eq!(t.cmd(&["SLOWLOG", "LEN"]), ":1\r\n");
    config(&mut t, "slowlog-log-slower-than", "-1");
    t.cmd(&["SLOWLOG", "RESET"]);
    t.cmd(&["PING"]);
    assert_eq!(t.cmd(&["SLOWLOG", "LEN"]), ":0\r\n");
    // A threshold no command reaches in a test logs nothing.
    config(&mut t, "slowlog-log-slower-than", "100000000");
    t.cmd(&["PING"]);
    assert_eq!(t.cmd(&["SLOWLOG", "LEN"]), ":0\r\n");
    // Ids keep counting across a reset.
    config(&mut t, "slowlog-log-slower-than", "0");
    t.cmd(&["PING"]);
    assert!(t.cmd(&["SLOWLOG", "GET", "1"]).starts_with("*1\r\n*6\r\n:8\r\n"));
}

#[test]
fn slowlog_trims_long_commands() {
    let mut t = logging_everything();
    let long = "y".repeat(300);
    let mut argv = vec!["RPUSH", "list"];
    argv.extend(std::iter::repeat_n(long.as_str(), 40));
    t.cmd(&argv);
    let reply = t.cmd(&["SLOWLOG", "GET", "1"]);
    assert!(reply.contains("\r\n*32\r\n$5\r\nRPUSH\r\n$4\r\nlist\r\n"), "{reply}");
    assert!(reply.contains(&format!("$148\r\n{}... (172 more bytes)\r\n", "y".repeat(128))));
    assert!(reply.contains("$23\r\n... (11 more arguments)\r\n"), "{reply}");
}

#[test]
fn rejected_commands_are_not_logged_and_blocked_ones_once_unblocked() {
    let mut t = logging_everything();
    t.cmd(&["NOSUCHCOMMAND"]);
    t.cmd(&["GET"]);
    t.cmd(&["BLPOP", "empty", "0"]);
    t.cmd(&["BLPOP", "never", "1"]);
    let other = t.connect();
    assert_eq!(t.cmd_on(other, &["SLOWLOG", "LEN"]), ":0\r\n");
    // Served by a push: logged then, after the push's own entry (Redis serves
    // waiters once the command's call is over).
    t.cmd_on(other, &["RPUSH", "empty", "x"]);
    let reply = t.cmd_on(other, &["SLOWLOG", "GET"]);
    assert!(reply.starts_with("*3\r\n"), "{reply}");
    assert!(reply.contains("*3\r\n$5\r\nBLPOP\r\n$5\r\nempty\r\n$1\r\n0\r\n"), "{reply}");
    let rpush_at = reply.find("RPUSH").unwrap();
    assert!(reply.find("BLPOP").unwrap() < rpush_at, "newest first: {reply}");
}

#[test]
fn latency_monitor_records_slow_commands_by_event() {
    let mut t = TestConn::new();
    config(&mut t, "enable-debug-command", "yes");
    t.engine.server.clock.set(1_700_000_000_000);
    // Off (threshold 0) by default.
    t.cmd(&["DEBUG", "SLEEP", "0.002"]);
    assert_eq!(t.cmd(&["LATENCY", "LATEST"]), "*0\r\n");
    config(&mut t, "latency-monitor-threshold", "1");
    t.cmd(&["DEBUG", "SLEEP", "0.003"]);
    let latest = t.cmd(&["LATENCY", "LATEST"]);
    assert!(latest.starts_with("*1\r\n*4\r\n$7\r\ncommand\r\n:1700000000\r\n:"), "{latest}");
    let history = t.cmd(&["LATENCY", "HISTORY", "command"]);
    assert!(history.starts_with("*1\r\n*2\r\n:1700000000\r\n:"), "{history}");
    let ms: u64 = history.split("\r\n").nth(3).unwrap()[1..].parse().unwrap();
    assert!(ms >= 3, "{history}");
    // A later second adds a sample; the same second keeps the worst.
    t.advance(1000);
    t.cmd(&["DEBUG", "SLEEP", "0.001"]);
    assert!(t.cmd(&["LATENCY", "HISTORY", "command"]).starts_with("*2\r\n"));
    assert_eq!(t.cmd(&["LATENCY", "HISTORY", "fast-command"]), "*0\r\n");
    assert_eq!(t.cmd(&["LATENCY", "RESET", "nosuch", "command"]), ":1\r\n");
    assert_eq!(t.cmd(&["LATENCY", "LATEST"]), "*0\r\n");
    t.cmd(&["DEBUG", "SLEEP", "0.001"]);
    assert_eq!(t.cmd(&["LATENCY", "RESET"]), ":1\r\n");
    assert_eq!(t.cmd(&["LATENCY", "RESET"]), ":0\r\n");
}

#[test]
fn latency_errors_and_help() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["LATENCY", "HISTORY"]), "-ERR wrong number of arguments for 'latency|history' command\r\n");
    assert_eq!(t.cmd(&["LATENCY", "LATEST", "x"]), "-ERR wrong number of arguments for 'latency|latest' command\r\n");
    assert_eq!(t.cmd(&["LATENCY", "FOO"]), "-ERR unknown subcommand 'FOO'. Try LATENCY HELP.\r\n");
    assert_eq!(t.cmd(&["LATENCY"]), "-ERR wrong number of arguments for 'latency' command\r\n");
    let help = t.cmd(&["LATENCY", "HELP"]);
    assert!(help.starts_with("*10\r\n+LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"), "{help}");
    let help = t.cmd(&["SLOWLOG", "HELP"]);
    assert!(help.starts_with("*12\r\n+SLOWLOG <subcommand>"), "{help}");
    // Redis 7.2's wording (7.0 said "Prints this help.").
    assert!(help.ends_with("+HELP\r\n+    Print this help.\r\n"), "{help}");
}

#[test]
fn fast_commands_report_the_fast_command_event() {
    use crate::client::{Client, ConnInfo};
    let mut t = TestConn::new();
    config(&mut t, "latency-monitor-threshold", "5");
    t.engine.server.clock.set(1_700_000_000_000);
    let client = Client::new(99, 99, ConnInfo::default(), 0, true);
    let get = t.engine.server.commands.get(b"get").unwrap();
    let set = t.engine.server.commands.get(b"set").unwrap();
    let now = t.now();
    let server = &mut t.engine.server;
    // Under the threshold: nothing.
    super::after_command(server, &client, get, &[b"GET", b"k"], 4_999, now);
    assert_eq!(server.latency.events().len(), 0);
    super::after_command(server, &client, get, &[b"GET", b"k"], 7_000, now);
    super::after_command(server, &client, set, &[b"SET", b"k", b"v"], 12_000, now);
    let names: Vec<&str> = server.latency.events().map(|(name, _)| *name).collect();
    assert_eq!(names, ["fast-command", "command"]);
    assert_eq!(server.latency.get(b"fast-command").unwrap().max_ms, 7);
    assert_eq!(server.latency.get(b"command").unwrap().latest().latency_ms, 12);
    // The slow log (default threshold 10 ms) took only the SET.
    assert_eq!(server.slowlog.len(), 1);
    assert_eq!(server.slowlog.newest(1).next().unwrap().duration_us, 12_000);
}
