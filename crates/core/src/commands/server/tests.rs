use std::collections::HashMap;
use std::time::Instant;

use super::reset_stats;
use crate::engine::status;
use crate::testing::TestConn;

/// The body of a bulk (or RESP3 verbatim) reply, checking its length prefix.
fn body(reply: &str) -> &str {
    let (head, rest) = reply.split_once("\r\n").unwrap();
    let rest = rest.strip_suffix("\r\n").unwrap();
    assert_eq!(head[1..].parse::<usize>().unwrap(), rest.len());
    rest.strip_prefix("txt:").unwrap_or(rest)
}

/// INFO text → (section headers in order, field → value).
fn parse_info(text: &str) -> (Vec<String>, HashMap<String, String>) {
    assert!(text.is_empty() || text.ends_with("\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare newline in INFO");
    let mut headers = Vec::new();
    let mut fields = HashMap::new();
    for line in text.split("\r\n").filter(|l| !l.is_empty()) {
        if let Some(h) = line.strip_prefix("# ") {
            headers.push(h.to_string());
        } else {
            let (k, v) = line.split_once(':').unwrap();
            fields.insert(k.to_string(), v.to_string());
        }
    }
    (headers, fields)
}

fn info(t: &mut TestConn, args: &[&str]) -> String {
    let mut cmd = vec!["INFO"];
    cmd.extend_from_slice(args);
    body(&t.cmd(&cmd)).to_string()
}

#[test]
fn info_default_sections_and_server_fields() {
    let mut t = TestConn::new();
    t.engine.server.host.tcp_port = 6390;
    t.advance(90_061_000);
    let text = info(&mut t, &[]);
    let (headers, f) = parse_info(&text);
    assert_eq!(
        headers,
        [
            "Server",
            "Clients",
            "Memory",
            "Persistence",
            "Stats",
            "Replication",
            "CPU",
            "Modules",
            "Errorstats",
            "Cluster",
            "Keyspace"
        ]
    );
    assert!(text.starts_with("# Server\r\nredis_version:7.2.4\r\n"));
    // Sections are separated by one blank line.
    assert!(text.contains("\r\n\r\n# Clients\r\n"));
    assert_eq!(f["redis_mode"], "standalone");
    assert_eq!(f["arch_bits"], "64");
    assert_eq!(f["tcp_port"], "6390");
    assert_eq!(f["uptime_in_seconds"], "90061");
    assert_eq!(f["uptime_in_days"], "1");
    assert_eq!(f["hz"], "10");
    assert_eq!(f["ferrokv_version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(f["listener0"], "name=tcp,bind=*,bind=-::*,port=6390");
    assert_eq!(f["run_id"].len(), 40);
    assert!(f["run_id"].bytes().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(f["process_id"], std::process::id().to_string());
    assert_eq!(f["connected_clients"], "1");
    assert_eq!(f["role"], "master");
    assert_eq!(f["cluster_enabled"], "0");
    assert_eq!(f["server_time_usec"], (t.now() * 1000).to_string());
    assert!(f["used_memory"].parse::<u64>().unwrap() > 0);
    assert!(f["used_memory_human"].ends_with(['B', 'K', 'M', 'G']));
    assert_eq!(f["rdb_last_bgsave_status"], "ok");
    assert!(f["used_cpu_sys"].contains('.'));
}

#[test]
fn info_section_selection() {
    let mut t = TestConn::new();
    let (headers, _) = parse_info(&info(&mut t, &["SERVER", "keyspace"]));
    assert_eq!(headers, ["Server", "Keyspace"]);
    // Sections come in Redis's order whatever the order asked.
    let (headers, _) = parse_info(&info(&mut t, &["cpu", "clients"]));
    assert_eq!(headers, ["Clients", "CPU"]);
    assert_eq!(t.cmd(&["INFO", "nosuch"]), "$0\r\n\r\n");
    let (all, _) = parse_info(&info(&mut t, &["all"]));
    assert!(all.iter().any(|h| h == "Commandstats") && all.iter().any(|h| h == "Latencystats"));
    assert!(!all.iter().any(|h| h == "Debug"));
    let (every, _) = parse_info(&info(&mut t, &["everything"]));
    assert_eq!(all, every);
    let (headers, _) = parse_info(&info(&mut t, &["default", "commandstats"]));
    assert_eq!(headers.len(), 12);
    let (headers, f) = parse_info(&info(&mut t, &["debug"]));
    assert_eq!(headers, ["Debug"]);
    assert_eq!(f["eventloop_duration_max"], "0");
    t.cmd(&["HELLO", "3"]);
    assert!(t.cmd(&["INFO", "server"]).starts_with('='));
}

#[test]
fn info_keyspace_counts_keys_and_deadlines() {
    let mut t = TestConn::new();
    t.cmd(&["SET", "a", "1"]);
    t.cmd(&["SET", "b", "2"]);
    t.cmd(&["SELECT", "3"]);
    t.cmd(&["SET", "c", "3"]);
    let deadline = t.now() + 100_000;
    t.engine.server.dbs[0].set_expire(b"a", deadline);
    assert_eq!(
        info(&mut t, &["keyspace"]),
        "# Keyspace\r\ndb0:keys=2,expires=1,avg_ttl=0\r\ndb3:keys=1,expires=0,avg_ttl=0\r\n"
    );
}

#[test]
fn info_commandstats_and_errorstats() {
    let mut t = TestConn::new();
    t.cmd(&["SET", "k", "v"]);
    t.cmd(&["GET", "k"]);
    t.cmd(&["GET", "k"]);
    t.cmd(&["GET"]);
    t.cmd(&["NOSUCH"]);
    t.cmd(&["CLIENT", "ID"]);
    let text = info(&mut t, &["commandstats"]);
    let (_, f) = parse_info(&text);
    let get: HashMap<&str, &str> = f["cmdstat_get"].split(',').map(|kv| kv.split_once('=').unwrap()).collect();
    assert_eq!(get["calls"], "2");
    assert_eq!(get["rejected_calls"], "1");
    assert_eq!(get["failed_calls"], "0");
    assert!(get["usec_per_call"].contains('.'));
    assert!(f["cmdstat_client|id"].starts_with("calls=1,"));
    assert!(f["cmdstat_set"].starts_with("calls=1,"));
    let names: Vec<&str> = text.lines().skip(1).map(|l| l.split(':').next().unwrap()).collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
    assert_eq!(info(&mut t, &["errorstats"]), "# Errorstats\r\nerrorstat_ERR:count=2\r\n");
    let (_, f) = parse_info(&info(&mut t, &["stats"]));
    assert_eq!(f["total_error_replies"], "2");
    assert_eq!(f["total_connections_received"], "1");
    assert_eq!(f["keyspace_hits"], "2");
}

#[test]
fn reset_stats_clears_counters_but_not_dirty() {
    let mut t = TestConn::new();
    t.cmd(&["SET", "k", "v"]);
    t.cmd(&["GET"]);
    reset_stats(&mut t.engine.server);
    let (_, f) = parse_info(&info(&mut t, &["all"]));
    assert_eq!(f["total_commands_processed"], "0");
    assert_eq!(f["total_error_replies"], "0");
    assert_eq!(f["total_connections_received"], "0");
    assert_eq!(f["rdb_changes_since_last_save"], "1");
    assert!(!f.keys().any(|k| k.starts_with("cmdstat_") || k.starts_with("errorstat_")));
}

#[test]
fn command_count_and_list_match_the_table() {
    let mut t = TestConn::new();
    let n = t.engine.server.commands.len();
    assert_eq!(t.cmd(&["COMMAND", "COUNT"]), format!(":{n}\r\n"));
    assert!(t.cmd(&["COMMAND"]).starts_with(&format!("*{n}\r\n*10\r\n")));
    assert!(t.cmd(&["COMMAND", "INFO"]).starts_with(&format!("*{n}\r\n*10\r\n")));
    let list = t.cmd(&["COMMAND", "LIST"]);
    let total: usize = t.engine.server.commands.iter().map(|s| 1 + s.subcommands.len()).sum();
    assert!(list.starts_with(&format!("*{total}\r\n")));
    assert!(list.contains("$3\r\nget\r\n") && list.contains("$11\r\nclient|list\r\n"));
    let clients = t.cmd(&["COMMAND", "LIST", "FILTERBY", "PATTERN", "CLIENT*"]);
    let client_subs = t.engine.server.commands.get(b"client").unwrap().subcommands.len();
    assert!(clients.starts_with(&format!("*{}\r\n$6\r\nclient\r\n", client_subs + 1)));
    let admin = t.cmd(&["COMMAND", "LIST", "FILTERBY", "ACLCAT", "Admin"]);
    assert!(admin.contains("$11\r\nclient|kill\r\n") && !admin.contains("$3\r\nget\r\n"));
    assert_eq!(t.cmd(&["COMMAND", "LIST", "FILTERBY", "ACLCAT", "nosuch"]), "*0\r\n");
    assert_eq!(t.cmd(&["COMMAND", "LIST", "FILTERBY", "MODULE", "m"]), "*0\r\n");
    assert_eq!(t.cmd(&["COMMAND", "LIST", "FILTERBY", "foo", "bar"]), "-ERR syntax error\r\n");
    assert_eq!(t.cmd(&["COMMAND", "LIST", "foo"]), "-ERR syntax error\r\n");
    assert_eq!(t.cmd(&["COMMAND", "LIST", "FILTERBY", "PATTERN", "a", "b"]), "-ERR syntax error\r\n");
}

#[test]
fn command_info_matches_redis_bytes() {
    let mut t = TestConn::new();
    // Byte for byte what Redis 7 answers.
    assert_eq!(
        t.cmd(&["COMMAND", "INFO", "get", "nosuch"]),
        "*2\r\n*10\r\n$3\r\nget\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+@string\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n$-1\r\n"
    );
    assert_eq!(
        t.cmd(&["COMMAND", "INFO", "LASTSAVE"]),
        "*1\r\n*10\r\n$8\r\nlastsave\r\n:1\r\n*3\r\n+loading\r\n+stale\r\n+fast\r\n:0\r\n:0\r\n:0\r\n*3\r\n+@admin\r\n+@fast\r\n+@dangerous\r\n*0\r\n*0\r\n*0\r\n"
    );
    assert_eq!(
        t.cmd(&["COMMAND", "INFO", "client|list"]),
        "*1\r\n*10\r\n$11\r\nclient|list\r\n:-2\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n:0\r\n:0\r\n:0\r\n*4\r\n+@admin\r\n+@slow\r\n+@dangerous\r\n+@connection\r\n*0\r\n*0\r\n*0\r\n"
    );
    assert_eq!(t.cmd(&["COMMAND", "INFO", "get|x", "a|b|c"]), "*2\r\n$-1\r\n$-1\r\n");
    let config = t.cmd(&["COMMAND", "INFO", "config"]);
    assert!(config
        .starts_with("*1\r\n*10\r\n$6\r\nconfig\r\n:-2\r\n*0\r\n:0\r\n:0\r\n:0\r\n*1\r\n+@slow\r\n*0\r\n*0\r\n*5\r\n"));
    assert!(config.contains("$10\r\nconfig|set\r\n:-4\r\n*4\r\n+admin\r\n+noscript\r\n+loading\r\n+stale\r\n"));
    let usage = t.cmd(&["COMMAND", "INFO", "memory|usage"]);
    assert!(usage.contains(":2\r\n:2\r\n:1\r\n*2\r\n+@read\r\n+@slow\r\n"), "{usage}");
    t.cmd(&["HELLO", "3"]);
    let resp3 = t.cmd(&["COMMAND", "INFO", "get", "nosuch"]);
    assert!(resp3.starts_with("*2\r\n*10\r\n$3\r\nget\r\n:2\r\n~2\r\n+readonly\r\n"));
    assert!(resp3.ends_with("%3\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n~0\r\n_\r\n"));
}

#[test]
fn command_docs() {
    let mut t = TestConn::new();
    assert_eq!(
        t.cmd(&["COMMAND", "DOCS", "get", "nosuch"]),
        "*2\r\n$3\r\nget\r\n*8\r\n$7\r\nsummary\r\n$34\r\nReturns the string value of a key.\r\n$5\r\nsince\r\n$5\r\n1.0.0\r\n$5\r\ngroup\r\n$6\r\nstring\r\n$10\r\ncomplexity\r\n$4\r\nO(1)\r\n"
    );
    assert_eq!(t.cmd(&["COMMAND", "DOCS", "nosuch"]), "*0\r\n");
    let memory = t.cmd(&["COMMAND", "DOCS", "memory"]);
    assert!(memory.starts_with(
        "*2\r\n$6\r\nmemory\r\n*10\r\n$7\r\nsummary\r\n$44\r\nA container for memory diagnostics commands.\r\n"
    ));
    assert!(memory.contains("$11\r\nsubcommands\r\n*12\r\n$13\r\nmemory|doctor\r\n*8\r\n"));
    let n = t.engine.server.commands.len();
    assert!(t.cmd(&["COMMAND", "DOCS"]).starts_with(&format!("*{}\r\n", 2 * n)));
    t.cmd(&["HELLO", "3"]);
    assert!(t.cmd(&["COMMAND", "DOCS", "get"]).starts_with("%1\r\n$3\r\nget\r\n%4\r\n"));
}

#[test]
fn command_getkeys() {
    let mut t = TestConn::new();
    let cases: [(&[&str], &str); 9] = [
        (&["get", "a"], "*1\r\n$1\r\na\r\n"),
        (&["SET", "k", "v", "EX", "10"], "*1\r\n$1\r\nk\r\n"),
        (&["memory", "usage", "foo"], "*1\r\n$3\r\nfoo\r\n"),
        (&["nosuch", "a"], "-ERR Invalid command specified\r\n"),
        (&["client", "nosuch"], "-ERR Invalid command specified\r\n"),
        (&["client", "list"], "-ERR The command has no key arguments\r\n"),
        (&["ping", "x"], "-ERR The command has no key arguments\r\n"),
        (&["get", "a", "b"], "-ERR Invalid number of arguments specified for command\r\n"),
        (&["memory", "usage"], "-ERR Invalid number of arguments specified for command\r\n"),
    ];
    for (cmd, want) in cases {
        let mut full = vec!["COMMAND", "GETKEYS"];
        full.extend_from_slice(cmd);
        assert_eq!(t.cmd(&full), want, "{cmd:?}");
    }
    // Redis 7.2's arity is -3 (7.0 said -4): the command's own arity decides.
    assert_eq!(t.cmd(&["COMMAND", "GETKEYS", "get"]), "-ERR Invalid number of arguments specified for command\r\n");
    assert_eq!(t.cmd(&["COMMAND", "GETKEYS"]), "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
    assert_eq!(
        t.cmd(&["COMMAND", "GETKEYSANDFLAGS", "set", "k", "v"]),
        "*1\r\n*2\r\n$1\r\nk\r\n*2\r\n+RW\r\n+update\r\n"
    );
}

#[test]
fn command_errors_and_help() {
    let mut t = TestConn::new();
    assert_eq!(t.cmd(&["COMMAND", "FOO"]), "-ERR unknown subcommand 'FOO'. Try COMMAND HELP.\r\n");
    assert_eq!(t.cmd(&["COMMAND", "COUNT", "x"]), "-ERR wrong number of arguments for 'command|count' command\r\n");
    let help = t.cmd(&["command", "help"]);
    assert!(help.starts_with("*21\r\n+COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n"));
    // The last command shown by CLIENT LIST is the subcommand.
    t.cmd(&["COMMAND", "COUNT"]);
    let list = t.cmd(&["CLIENT", "INFO"]);
    assert!(list.contains("cmd=client|info"));
    let other = t.connect();
    t.cmd_on(other, &["COMMAND", "COUNT"]);
    assert!(t.cmd(&["CLIENT", "LIST"]).contains("cmd=command|count"));
}

#[test]
fn time_and_lastsave() {
    let mut t = TestConn::new();
    t.engine.server.clock.set(1_700_000_000_123);
    assert_eq!(t.cmd(&["TIME"]), "*2\r\n$10\r\n1700000000\r\n$6\r\n123000\r\n");
    t.engine.server.lastsave = 1_600_000_000;
    assert_eq!(t.cmd(&["LASTSAVE"]), ":1600000000\r\n");
    assert_eq!(t.cmd(&["TIME", "x"]), "-ERR wrong number of arguments for 'time' command\r\n");
}

#[test]
fn memory_usage_and_errors() {
    let mut t = TestConn::new();
    t.cmd(&["SET", "foo", "bar"]);
    assert_eq!(t.cmd(&["MEMORY", "USAGE", "foo"]), ":64\r\n");
    assert_eq!(t.cmd(&["MEMORY", "USAGE", "foo", "SAMPLES", "0"]), ":64\r\n");
    assert_eq!(t.cmd(&["MEMORY", "USAGE", "nosuch"]), "$-1\r\n");
    assert_eq!(t.cmd(&["MEMORY", "USAGE", "foo", "SAMPLES", "-1"]), "-ERR syntax error\r\n");
    assert_eq!(t.cmd(&["MEMORY", "USAGE", "foo", "SAMPLES"]), "-ERR syntax error\r\n");
    assert_eq!(t.cmd(&["MEMORY", "USAGE", "foo", "SAMPLES", "x"]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(t.cmd(&["MEMORY", "FOO"]), "-ERR unknown subcommand 'FOO'. Try MEMORY HELP.\r\n");
    assert_eq!(t.cmd(&["MEMORY", "PURGE"]), "+OK\r\n");
    assert_eq!(t.cmd(&["MEMORY", "MALLOC-STATS"]), "$45\r\nStats not supported for the current allocator\r\n");
    assert!(t.cmd(&["MEMORY", "DOCTOR"]).contains("Hi Sam, this instance is empty"));
    assert!(t.cmd(&["MEMORY", "HELP"]).starts_with("*14\r\n+MEMORY <subcommand>"));
    // 27 fields plus one per non-empty database, as a flat RESP2 map.
    let stats = t.cmd(&["MEMORY", "STATS"]);
    assert!(stats.starts_with("*56\r\n$14\r\npeak.allocated\r\n:"));
    assert!(stats.contains("$4\r\ndb.0\r\n*6\r\n$23\r\noverhead.hashtable.main\r\n"));
    assert!(stats.contains("$10\r\nkeys.count\r\n:1\r\n"));
}

/// A connection (from 127.0.0.1) to an engine whose DEBUG is enabled, as
/// Redis's own test suite runs.
fn debug_enabled() -> TestConn {
    let mut t = TestConn::new();
    t.engine.server.config.set("enable-debug-command", "yes").unwrap();
    t
}

#[test]
fn debug_is_refused_unless_enabled() {
    use crate::client::ConnInfo;
    const REFUSED: &str = "-ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", you can run it from a local connection, otherwise you need to set this option in the configuration file, and then restart the server.\r\n";
    let mut t = TestConn::new();
    // Arity is checked first, then the protection, then the subcommand.
    assert_eq!(t.cmd(&["DEBUG"]), "-ERR wrong number of arguments for 'debug' command\r\n");
    assert_eq!(t.cmd(&["DEBUG", "POPULATE", "3"]), REFUSED);
    assert_eq!(t.cmd(&["DEBUG", "NOSUCH"]), REFUSED);
    assert_eq!(t.engine.server.dbs[0].len(), 0);
    // "local": loopback and unix-socket clients only.
    t.engine.server.config.set("enable-debug-command", "local").unwrap();
    assert_eq!(t.cmd(&["DEBUG", "POPULATE", "3"]), "+OK\r\n");
    for (addr, allowed) in [("[::1]:5000", true), ("/tmp/redis.sock:0", true), ("10.0.0.7:5000", false)] {
        let remote = t.engine.connect(ConnInfo { addr: addr.into(), laddr: "0.0.0.0:6379".into(), fd: 10 });
        let reply = t.cmd_on(remote, &["DEBUG", "SLEEP", "0"]);
        assert_eq!(reply == "+OK\r\n", allowed, "{addr}: {reply}");
    }
}

#[test]
fn debug_sleep_really_blocks() {
    let mut t = debug_enabled();
    let started = Instant::now();
    assert_eq!(t.cmd(&["DEBUG", "SLEEP", "0.05"]), "+OK\r\n");
    assert!(started.elapsed().as_millis() >= 50);
    assert_eq!(t.cmd(&["DEBUG", "SLEEP", "abc"]), "+OK\r\n");
}

#[test]
fn debug_set_active_expire_toggles_the_cycle() {
    let mut t = debug_enabled();
    assert_eq!(t.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "0"]), "+OK\r\n");
    assert!(!t.engine.server.config.active_expire_enabled);
    assert_eq!(t.cmd(&["debug", "set-active-expire", "1"]), "+OK\r\n");
    assert!(t.engine.server.config.active_expire_enabled);
    // atoi: anything that is not a number is 0.
    assert_eq!(t.cmd(&["DEBUG", "SET-ACTIVE-EXPIRE", "x"]), "+OK\r\n");
    assert!(!t.engine.server.config.active_expire_enabled);
}

#[test]
fn debug_populate_creates_keys() {
    let mut t = debug_enabled();
    t.cmd(&["SET", "key:3", "mine"]);
    assert_eq!(t.cmd(&["DEBUG", "POPULATE", "10"]), "+OK\r\n");
    assert_eq!(t.engine.server.dbs[0].len(), 10);
    for i in [0, 9] {
        assert_eq!(t.cmd(&["GET", &format!("key:{i}")]), format!("$7\r\nvalue:{i}\r\n"));
    }
    // Existing keys are left alone.
    assert_eq!(t.cmd(&["GET", "key:3"]), "$4\r\nmine\r\n");
    assert_eq!(t.cmd(&["DEBUG", "POPULATE", "2", "p", "12"]), "+OK\r\n");
    assert_eq!(t.cmd(&["GET", "p:1"]), "$12\r\nvalue:1\0\0\0\0\0\r\n");
    assert_eq!(t.cmd(&["DEBUG", "POPULATE", "1", "q", "3"]), "+OK\r\n");
    assert_eq!(t.cmd(&["GET", "q:0"]), "$3\r\nval\r\n");
    assert_eq!(t.cmd(&["DEBUG", "POPULATE", "-1"]), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(t.cmd(&["DEBUG", "POPULATE", "abc"]), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(t.cmd(&["DEBUG", "POPULATE", "3", "p", "-2"]), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(
        t.cmd(&["DEBUG", "POPULATE", "3", "p", "2", "x"]),
        "-ERR unknown subcommand or wrong number of arguments for 'POPULATE'. Try DEBUG HELP.\r\n"
    );
    assert_eq!(t.engine.server.dbs[0].len(), 13);
}

#[test]
fn debug_misc() {
    let mut t = debug_enabled();
    assert_eq!(t.cmd(&["DEBUG"]), "-ERR wrong number of arguments for 'debug' command\r\n");
    assert_eq!(
        t.cmd(&["DEBUG", "FOO"]),
        "-ERR unknown subcommand or wrong number of arguments for 'FOO'. Try DEBUG HELP.\r\n"
    );
    assert_eq!(t.cmd(&["DEBUG", "ERROR", "FOO bar"]), "-FOO bar\r\n");
    assert_eq!(t.cmd(&["DEBUG", "LOG", "hi"]), "+OK\r\n");
    assert_eq!(t.cmd(&["DEBUG", "PROTOCOL", "map"]), "*6\r\n:0\r\n:0\r\n:1\r\n:1\r\n:2\r\n:0\r\n");
    assert_eq!(t.cmd(&["DEBUG", "PROTOCOL", "push"]), "-ERR RESP2 is not supported by this command\r\n");
    t.cmd(&["SET", "k", "value"]);
    let obj = t.cmd(&["DEBUG", "OBJECT", "k"]);
    assert!(obj.starts_with("+Value at:0x") && obj.contains(" refcount:1 encoding:embstr serializedlength:6 lru:"));
    assert_eq!(t.cmd(&["DEBUG", "OBJECT", "nosuch"]), "-ERR no such key\r\n");
    assert!(t.cmd(&["DEBUG", "HELP"]).starts_with("*38\r\n+DEBUG <subcommand>"));
    t.cmd(&["HELLO", "3"]);
    assert_eq!(t.cmd(&["DEBUG", "PROTOCOL", "map"]), "%3\r\n:0\r\n#f\r\n:1\r\n#t\r\n:2\r\n#f\r\n");
    assert_eq!(
        t.cmd(&["DEBUG", "PROTOCOL", "push"]),
        ">2\r\n$16\r\nserver-cpu-usage\r\n:42\r\n$40\r\nSome real reply following the push reply\r\n"
    );
}

#[test]
fn maxmemory_policy_switches_every_database_to_lfu_and_back() {
    let mut t = TestConn::new();
    t.cmd(&["SET", "k", "v"]);
    let lfu_error = "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n";
    assert_eq!(t.cmd(&["OBJECT", "FREQ", "k"]), lfu_error);
    super::apply_config(&mut t.engine.server, "maxmemory-policy", "allkeys-lfu").unwrap();
    assert!(t.engine.server.dbs.iter().all(|db| db.tracking().is_lfu()));
    assert!(t.cmd(&["OBJECT", "FREQ", "k"]).starts_with(':'));
    assert!(t.cmd(&["OBJECT", "IDLETIME", "k"]).starts_with("-ERR An LFU maxmemory policy is selected"));
    super::apply_config(&mut t.engine.server, "lfu-decay-time", "0").unwrap();
    assert_eq!(
        t.engine.server.dbs[3].tracking(),
        crate::keyspace::db::Tracking::Lfu { log_factor: 10, decay_minutes: 0 }
    );
    super::apply_config(&mut t.engine.server, "maxmemory-policy", "volatile-lru").unwrap();
    assert!(!t.engine.server.dbs[0].tracking().is_lfu());
    assert_eq!(t.cmd(&["OBJECT", "FREQ", "k"]), lfu_error);
}

#[test]
fn config_and_shutdown_go_to_the_host() {
    let mut t = TestConn::new();
    let h = t.handle;
    let st = t.engine.feed(h, b"*3\r\n$6\r\nCONFIG\r\n$3\r\nGET\r\n$2\r\nhz\r\n");
    assert_eq!(st & status::HOST_COMMAND, status::HOST_COMMAND);
    assert_eq!(t.engine.take_host_command(h).unwrap(), vec![b"CONFIG".to_vec(), b"GET".to_vec(), b"hz".to_vec()]);
    assert_eq!(t.engine.output(), b"");
    assert_eq!(t.cmd(&["CONFIG", "SET", "hz"]), "-ERR wrong number of arguments for 'config|set' command\r\n");
    assert_eq!(t.cmd(&["CONFIG", "nope"]), "-ERR unknown subcommand 'nope'. Try CONFIG HELP.\r\n");
    let st = t.engine.feed(h, b"SHUTDOWN NOSAVE\r\n");
    assert_eq!(st & status::HOST_COMMAND, status::HOST_COMMAND);
}

#[test]
fn host_calls_count_in_commandstats_and_errorstats() {
    let mut t = TestConn::new();
    super::record_host_call(&mut t.engine.server, "config|get", 7, None);
    super::record_host_call(&mut t.engine.server, "config|set", 3, Some("ERR CONFIG SET failed"));
    let stats = t.cmd(&["INFO", "commandstats"]);
    assert!(stats.contains("cmdstat_config|get:calls=1,usec=7,usec_per_call=7.00,rejected_calls=0,failed_calls=0"));
    assert!(stats.contains("cmdstat_config|set:calls=1,usec=3,usec_per_call=3.00,rejected_calls=0,failed_calls=1"));
    assert!(t.cmd(&["INFO", "errorstats"]).contains("errorstat_ERR:count=1"));
    // The two host calls and the two INFOs.
    assert_eq!(t.engine.server.stats.total_commands_processed, 4);
}
