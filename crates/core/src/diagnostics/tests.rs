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
    assert!(
        help.starts_with("*17\r\n+LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+DOCTOR\r\n"),
        "{help}"
    );
    assert!(help.contains("+HISTOGRAM [COMMAND ...]\r\n"), "{help}");
    assert_eq!(t.cmd(&["LATENCY", "GRAPH"]), "-ERR wrong number of arguments for 'latency|graph' command\r\n");
    assert_eq!(t.cmd(&["LATENCY", "DOCTOR", "x"]), "-ERR wrong number of arguments for 'latency|doctor' command\r\n");
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

/// The samples a Redis 7.2.4 recorded for eight DEBUG SLEEPs a second apart,
/// and the graph it drew for them one second after the last.
const REDIS_SAMPLES: [(i64, u64); 8] = [
    (1795273206, 5),
    (1795273207, 12),
    (1795273208, 3),
    (1795273209, 30),
    (1795273210, 20),
    (1795273211, 8),
    (1795273212, 50),
    (1795273213, 15),
];
const REDIS_GRAPH: &str = "command - high 50 ms, low 3 ms (all time high 50 ms)\n\
--------------------------------------------------------------------------------\n      # \n   _  | \n   |o |_\n_#_||o||\n        \n87654321\nssssssss\n";

fn with_redis_samples() -> TestConn {
    let mut t = TestConn::new();
    config(&mut t, "latency-monitor-threshold", "1");
    for (time, ms) in REDIS_SAMPLES {
        t.engine.server.latency.add("command", time, ms);
    }
    t.engine.server.clock.set(1_795_273_214_507);
    t
}

#[test]
fn latency_graph_draws_what_redis_draws() {
    let mut t = with_redis_samples();
    let graph = t.cmd(&["LATENCY", "GRAPH", "command"]);
    assert_eq!(graph, format!("${}\r\n{REDIS_GRAPH}\r\n", REDIS_GRAPH.len()));
    // RESP3 marks it as verbatim text.
    t.cmd(&["HELLO", "3"]);
    let graph = t.cmd(&["LATENCY", "GRAPH", "command"]);
    assert_eq!(graph, format!("={}\r\ntxt:{REDIS_GRAPH}\r\n", REDIS_GRAPH.len() + 4));
    assert_eq!(t.cmd(&["LATENCY", "GRAPH", "nosuch"]), "-ERR No samples available for event 'nosuch'\r\n");
}

#[test]
fn latency_graph_labels_minutes_hours_days_and_wraps_at_80_columns() {
    let mut t = TestConn::new();
    let now = 1_800_000_000;
    for (ago, ms) in [(3 * 86_400, 10), (5 * 3600, 10), (90, 10), (59, 10)] {
        t.engine.server.latency.add("expire-cycle", now - ago, ms);
    }
    t.engine.server.clock.set(now * 1000);
    let reply = t.cmd(&["LATENCY", "GRAPH", "expire-cycle"]);
    // Equal samples sit on the lowest level; labels are 3d, 5h, 1m, 59s.
    assert!(reply.ends_with("----\n    \n    \n    \n____\n    \n3515\ndhm9\n   s\n\r\n"), "{reply:?}");
    for i in 0..100 {
        t.engine.server.latency.add("eviction-cycle", now - 99 + i, (i % 7) as u64);
    }
    let reply = t.cmd(&["LATENCY", "GRAPH", "eviction-cycle"]);
    let lines: Vec<&str> = reply.split('\n').collect();
    // The bulk's header, title, rule, a band of 80 columns (4 rows, spacer,
    // 3 label rows: "1m" then "59s" … "20s"), a blank line, a band of 20.
    assert!(lines[2].chars().all(|c| c == '-') && lines[2].len() == 80);
    assert_eq!(lines[3].len(), 80);
    assert_eq!(lines[8], format!("{}{}", "1".repeat(40), "5555555555444444444433333333332222222222"));
    assert_eq!(lines[11], "");
    assert_eq!(lines[12].len(), 20);
    assert_eq!(lines[19], "ssssssssss          ");
}

#[test]
fn latency_doctor_reports_each_event_and_advice() {
    let mut t = TestConn::new();
    let off = t.cmd(&["LATENCY", "DOCTOR"]);
    assert!(off.contains("latency-monitor-threshold is 0"), "{off}");
    config(&mut t, "latency-monitor-threshold", "1");
    assert!(t.cmd(&["LATENCY", "DOCTOR"]).contains("No latency spike has been recorded"));
    let mut t = with_redis_samples();
    t.engine.server.latency.add("fast-command", 1795273213, 4);
    let report = t.cmd(&["LATENCY", "DOCTOR"]);
    assert!(
        report.contains(
            "\n1. command: 8 latency spikes (average 17ms, mean deviation 11ms, period 1.00 sec). Worst all time event 50ms.\n\
             2. fast-command: 1 latency spikes (average 4ms, mean deviation 0ms, period 1.00 sec). Worst all time event 4ms.\n"
        ),
        "{report}"
    );
    // The slow log's 10 ms threshold is above the monitor's 1 ms; SLOWLOG and the scheduler are mentioned.
    assert!(report.contains("slowlog-log-slower-than to 1000"), "{report}");
    assert!(report.contains("SLOWLOG GET"), "{report}");
    assert!(report.contains("descheduled"), "{report}");
}

/// Records `usecs` into `name`'s histogram as calls of that length would.
fn record(t: &mut TestConn, name: &'static str, usecs: &[u64]) {
    let entry = t.engine.server.stats.commands.entry(name);
    for &usec in usecs {
        entry.calls += 1;
        entry.latency.get_or_insert_default().record(usec);
    }
}

#[test]
fn latency_histogram_replies_calls_and_power_of_two_steps() {
    let mut t = TestConn::new();
    record(&mut t, "set", &[0, 1, 2, 3, 40]);
    record(&mut t, "config|get", &[500]);
    let set = "$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:5\r\n$14\r\nhistogram_usec\r\n*8\r\n:1\r\n:2\r\n:2\r\n:3\r\n:4\r\n:4\r\n:66\r\n:5\r\n";
    let config_get = "$10\r\nconfig|get\r\n*4\r\n$5\r\ncalls\r\n:1\r\n$14\r\nhistogram_usec\r\n*2\r\n:528\r\n:1\r\n";
    assert_eq!(t.cmd(&["LATENCY", "HISTOGRAM", "SET"]), format!("*2\r\n{set}"));
    // A container brings its subcommands; unknown names and commands without calls bring nothing; a repeat repeats.
    assert_eq!(
        t.cmd(&["LATENCY", "HISTOGRAM", "nosuch", "config", "get", "config|nosuch", "config|get|x", "Config|Get"]),
        format!("*4\r\n{config_get}{config_get}")
    );
    t.cmd(&["HELLO", "3"]);
    let resp3 = t.cmd(&["LATENCY", "HISTOGRAM", "set"]);
    assert_eq!(
        resp3,
        "%1\r\n$3\r\nset\r\n%2\r\n$5\r\ncalls\r\n:5\r\n$14\r\nhistogram_usec\r\n%4\r\n:1\r\n:2\r\n:2\r\n:3\r\n:4\r\n:4\r\n:66\r\n:5\r\n"
    );
}

#[test]
fn every_call_lands_in_its_commands_histogram_unless_tracking_is_off() {
    let mut t = TestConn::new();
    for _ in 0..3 {
        t.cmd(&["SET", "k", "v"]);
    }
    t.cmd(&["CONFIG", "GET", "x"]);
    let h = t.engine.server.stats.commands["set"].latency.as_ref().unwrap();
    assert_eq!(h.calls(), 3);
    assert_eq!(h.cumulative_usec().last().unwrap().1, 3);
    // Without names: every command with calls, by name (the HISTOGRAM call itself is not in yet).
    let all = t.cmd(&["LATENCY", "HISTOGRAM"]);
    assert!(all.starts_with("*2\r\n$3\r\nset\r\n*4\r\n$5\r\ncalls\r\n:3\r\n"), "{all}");
    config(&mut t, "latency-tracking", "no");
    t.cmd(&["SET", "k", "v"]);
    let set = &t.engine.server.stats.commands["set"];
    assert_eq!((set.calls, set.latency.as_ref().unwrap().calls()), (4, 3));
    assert_eq!(t.cmd(&["INFO", "latencystats"]), "$16\r\n# Latencystats\r\n\r\n");
    // CONFIG RESETSTAT drops the histograms with the rest of the stats.
    crate::commands::server::reset_stats(&mut t.engine.server);
    assert_eq!(t.cmd(&["LATENCY", "HISTOGRAM"]), "*0\r\n");
}

#[test]
fn info_latencystats_reports_the_configured_percentiles() {
    let mut t = TestConn::new();
    record(&mut t, "set", &[8, 8, 8, 12]);
    record(&mut t, "config|get", &[18, 330]);
    let info = |t: &mut TestConn| {
        let reply = t.cmd(&["INFO", "latencystats"]);
        reply.split_once("\r\n").unwrap().1.trim_end_matches("\r\n").to_string()
    };
    assert_eq!(
        info(&mut t),
        "# Latencystats\r\n\
         latency_percentiles_usec_config|get:p50=18.047,p99=331.775,p99.9=331.775\r\n\
         latency_percentiles_usec_set:p50=8.031,p99=12.031,p99.9=12.031"
    );
    config(&mut t, "latency-tracking-info-percentiles", "0 100 99.99");
    assert!(
        info(&mut t).ends_with("latency_percentiles_usec_set:p0=8.000,p100=12.031,p99.99=12.031"),
        "{}",
        info(&mut t)
    );
    config(&mut t, "latency-tracking-info-percentiles", "");
    assert!(info(&mut t).ends_with("\r\nlatency_percentiles_usec_set:"));
    let bad = apply_config(&mut t.engine.server, "latency-tracking-info-percentiles", "50 101");
    assert_eq!(bad.unwrap_err(), "Invalid latency-tracking-info-percentiles parameters");
}
