//! INFO's sections and field names, in order, against the list recorded from
//! Redis 7.2.4's `INFO everything` (tests/fixtures/info-fields-redis-7.2.4.txt).
//! Families whose members depend on what ran (cmdstat_*, errorstat_*,
//! latency_percentiles_usec_*, db<N>) are left out of the comparison.

use ferrokv_core::testing::TestConn;

const FERROKV_ONLY: [&str; 2] = ["ferrokv_version", "node_version"];

const RECORDED: &str = include_str!("fixtures/info-fields-redis-7.2.4.txt");

/// "# Section" headers and field names, one per line, as in the fixture.
fn field_names(info: &str) -> Vec<String> {
    info.split("\r\n")
        .filter(|l| !l.is_empty())
        .filter_map(|l| {
            if l.starts_with('#') {
                return Some(l.to_string());
            }
            let name = l.split(':').next().unwrap_or("");
            let per_run = ["cmdstat_", "errorstat_", "latency_percentiles_usec_"].iter().any(|p| name.starts_with(p))
                || (name.starts_with("db") && name[2..].bytes().all(|b| b.is_ascii_digit()));
            (!per_run).then(|| name.to_string())
        })
        .collect()
}

/// The text of INFO's bulk (or RESP3 verbatim) reply.
fn info_text(reply: &str) -> &str {
    let body = &reply[reply.find("\r\n").unwrap() + 2..];
    body.strip_prefix("txt:").unwrap_or(body)
}

#[test]
fn info_everything_has_redis_7_2_fields_in_order() {
    let mut t = TestConn::new();
    // The listener line needs a port, as a running server has.
    t.engine.server.host.tcp_port = 6379;
    t.engine.server.host.node_version = "22.0.0".into();
    t.cmd(&["SET", "k", "v"]);
    let reply = t.cmd(&["INFO", "everything"]);
    let ours = field_names(info_text(&reply));
    let recorded: Vec<String> = RECORDED.lines().map(str::to_string).collect();
    let missing: Vec<&String> = recorded.iter().filter(|f| !ours.contains(f)).collect();
    let extra: Vec<&String> = ours.iter().filter(|f| !recorded.contains(f)).collect();
    assert!(missing.is_empty(), "missing {missing:?}");
    // ferrokv adds its own version and the Node.js it runs on, at the end of # Server.
    assert_eq!(extra, ["ferrokv_version", "node_version"]);
    let comparable: Vec<String> = ours.into_iter().filter(|f| !FERROKV_ONLY.contains(&f.as_str())).collect();
    assert_eq!(comparable, recorded);
}

#[test]
fn every_field_has_a_value() {
    let mut t = TestConn::new();
    let reply = t.cmd(&["INFO", "everything"]);
    if std::env::var_os("SHOW_INFO").is_some() {
        println!("{reply}");
    }
    for line in info_text(&reply).split("\r\n").filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let (name, value) = line.split_once(':').unwrap_or_else(|| panic!("no value in {line:?}"));
        assert!(!name.is_empty(), "{line:?}");
        // Only a few fields are legitimately empty on an idle server (no config file, no module list).
        if value.is_empty() {
            assert!(["config_file", "executable"].contains(&name), "{line:?}");
        }
    }
}

/// One `name:value` line of INFO's reply.
fn field(reply: &str, name: &str) -> String {
    let prefix = format!("{name}:");
    info_text(reply).split("\r\n").find_map(|l| l.strip_prefix(&prefix)).unwrap_or_default().to_string()
}

#[test]
fn client_counts_follow_blocked_and_configured_state() {
    let mut t = TestConn::new();
    let (a, b) = (t.connect(), t.connect());
    t.cmd_on(a, &["BLPOP", "l1", "l2", "5"]);
    t.cmd_on(b, &["BLPOP", "l2", "0"]);
    let reply = t.cmd(&["INFO", "clients"]);
    assert_eq!(field(&reply, "blocked_clients"), "2");
    assert_eq!(field(&reply, "total_blocking_keys"), "2");
    // Only the waiter with a deadline is in the timeout table.
    assert_eq!(field(&reply, "clients_in_timeout_table"), "1");
    ferrokv_core::commands::server::apply_config(&mut t.engine.server, "maxclients", "42").unwrap();
    assert_eq!(field(&t.cmd(&["INFO", "clients"]), "maxclients"), "42");
}
