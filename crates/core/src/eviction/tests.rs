//! Eviction through the real command path. Without a memory probe the
//! databases' own byte counts are the measure, so which keys go is exact.

use crate::commands::server::apply_config;
use crate::testing::TestConn;

use super::{used_memory, Policy};

const OOM: &str = "-OOM command not allowed when used memory > 'maxmemory'.\r\n";

fn config(t: &mut TestConn, name: &str, value: &str) {
    apply_config(&mut t.engine.server, name, value).unwrap();
}

fn exists(t: &mut TestConn, key: &str) -> bool {
    t.cmd(&["EXISTS", key]) == ":1\r\n"
}

/// Sets maxmemory to what is used now minus `less` bytes.
fn limit_below_current(t: &mut TestConn, less: usize) {
    let used = used_memory(&t.engine.server);
    t.engine.server.config.maxmemory = (used - less) as u64;
}

fn fill(t: &mut TestConn, keys: &[&str]) {
    for k in keys {
        assert_eq!(t.cmd(&["SET", k, &"v".repeat(100)]), "+OK\r\n");
    }
}

#[test]
fn policy_names_round_trip() {
    for name in [
        "noeviction",
        "allkeys-lru",
        "allkeys-lfu",
        "allkeys-random",
        "volatile-lru",
        "volatile-lfu",
        "volatile-random",
        "volatile-ttl",
    ] {
        assert_eq!(Policy::parse(name).unwrap().name(), name);
    }
    assert_eq!(Policy::parse("lru"), None);
}

#[test]
fn noeviction_refuses_denyoom_commands_but_serves_reads_and_deletes() {
    let mut t = TestConn::new();
    fill(&mut t, &["a", "b"]);
    limit_below_current(&mut t, 1);
    assert_eq!(t.cmd(&["SET", "c", "x"]), OOM);
    assert_eq!(t.cmd(&["GET", "a"]), format!("$100\r\n{}\r\n", "v".repeat(100)));
    // DEL is a write but not denyoom: it goes through and frees memory.
    assert_eq!(t.cmd(&["DEL", "a"]), ":1\r\n");
    assert_eq!(t.cmd(&["SET", "c", "x"]), "+OK\r\n");
    let info = t.cmd(&["INFO", "stats"]);
    assert!(info.contains("evicted_keys:0\r\n"), "{info}");
    let errors = t.cmd(&["INFO", "errorstats"]);
    assert!(errors.contains("errorstat_OOM:count=1\r\n"), "{errors}");
    let commandstats = t.cmd(&["INFO", "commandstats"]);
    assert!(commandstats.contains("cmdstat_set:calls=3,usec="), "{commandstats}");
    assert!(commandstats.contains("rejected_calls=1,failed_calls=0"), "{commandstats}");
}

#[test]
fn allkeys_lru_evicts_the_least_recently_used_first() {
    let mut t = TestConn::new();
    config(&mut t, "maxmemory-policy", "allkeys-lru");
    fill(&mut t, &["old", "mid", "new"]);
    t.advance(10_000);
    t.cmd(&["GET", "mid"]);
    t.advance(10_000);
    t.cmd(&["GET", "new"]);
    t.advance(10_000);
    // Room for two of the three keys only.
    limit_below_current(&mut t, 50);
    assert_eq!(t.cmd(&["SET", "x", "1"]), "+OK\r\n");
    assert!(!exists(&mut t, "old"));
    assert!(exists(&mut t, "mid") && exists(&mut t, "new") && exists(&mut t, "x"));
    assert!(t.cmd(&["INFO", "stats"]).contains("evicted_keys:1\r\n"));
}

#[test]
fn allkeys_lfu_evicts_the_least_frequently_used_first() {
    let mut t = TestConn::new();
    config(&mut t, "maxmemory-policy", "allkeys-lfu");
    fill(&mut t, &["cold", "warm", "hot"]);
    for _ in 0..3 {
        t.cmd(&["GET", "warm"]);
    }
    for _ in 0..30 {
        t.cmd(&["GET", "hot"]);
    }
    limit_below_current(&mut t, 50);
    assert_eq!(t.cmd(&["SET", "x", "1"]), "+OK\r\n");
    assert!(!exists(&mut t, "cold"));
    assert!(exists(&mut t, "warm") && exists(&mut t, "hot"));
    assert!(t.cmd(&["OBJECT", "FREQ", "hot"]).starts_with(':'));
}

#[test]
fn volatile_policies_only_evict_keys_with_a_deadline() {
    for policy in ["volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"] {
        let mut t = TestConn::new();
        config(&mut t, "maxmemory-policy", policy);
        fill(&mut t, &["keep1", "keep2", "temp"]);
        t.cmd(&["EXPIRE", "temp", "100"]);
        limit_below_current(&mut t, 50);
        assert_eq!(t.cmd(&["SET", "x", "1"]), "+OK\r\n", "{policy}");
        assert!(!exists(&mut t, "temp"), "{policy}");
        // Nothing volatile is left: the next write is refused.
        limit_below_current(&mut t, 50);
        assert_eq!(t.cmd(&["SET", "y", "1"]), OOM, "{policy}");
        assert!(exists(&mut t, "keep1") && exists(&mut t, "keep2"), "{policy}");
    }
}

#[test]
fn volatile_ttl_evicts_the_nearest_deadline_first() {
    let mut t = TestConn::new();
    config(&mut t, "maxmemory-policy", "volatile-ttl");
    fill(&mut t, &["soon", "later", "latest"]);
    t.cmd(&["EXPIRE", "later", "500"]);
    t.cmd(&["EXPIRE", "soon", "50"]);
    t.cmd(&["EXPIRE", "latest", "5000"]);
    limit_below_current(&mut t, 50);
    assert_eq!(t.cmd(&["SET", "x", "1"]), "+OK\r\n");
    assert!(!exists(&mut t, "soon"));
    assert!(exists(&mut t, "later") && exists(&mut t, "latest"));
}

#[test]
fn allkeys_random_evicts_across_databases_until_under_the_limit() {
    let mut t = TestConn::new();
    config(&mut t, "maxmemory-policy", "allkeys-random");
    fill(&mut t, &["a", "b", "c", "d"]);
    t.cmd(&["SELECT", "3"]);
    fill(&mut t, &["e", "f", "g", "h"]);
    let used = used_memory(&t.engine.server);
    t.engine.server.config.maxmemory = (used / 2) as u64;
    assert_eq!(t.cmd(&["SET", "x", "1"]), "+OK\r\n");
    // Deleting a key gives back its bytes but not its table slot: more
    // than half the keys go to free half the memory.
    let left: usize = t.engine.server.dbs.iter().map(|db| db.len()).sum();
    assert!((2..=5).contains(&left), "{left} keys left");
    let evicted = t.engine.server.stats.evicted_keys;
    assert_eq!(evicted as usize, 9 - left);
    assert_eq!(t.cmd(&["GET", "x"]), "$1\r\n1\r\n");
}

#[test]
fn evicted_keys_publish_the_evicted_event() {
    let mut t = TestConn::new();
    config(&mut t, "maxmemory-policy", "allkeys-lru");
    config(&mut t, "notify-keyspace-events", "Ee");
    fill(&mut t, &["victim"]);
    let handle = t.connect();
    t.cmd_on(handle, &["SUBSCRIBE", "__keyevent@0__:evicted"]);
    t.engine.server.config.maxmemory = 1;
    // Nothing is left to evict after "victim": still refused.
    assert_eq!(t.cmd(&["SET", "x", "1"]), OOM);
    let events = t.engine.take_events();
    let bytes: Vec<u8> = events.deliveries().into_iter().flat_map(|(_, b)| b).collect();
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("__keyevent@0__:evicted\r\n$6\r\nvictim\r\n"), "{text}");
    assert_eq!(t.engine.server.stats.evicted_keys, 1);
}

thread_local! {
    static FAKE_USED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn fake_probe() -> usize {
    FAKE_USED.with(|c| c.get())
}

#[test]
fn the_allocator_probe_decides_and_info_reports_the_limit() {
    let mut t = TestConn::new();
    fill(&mut t, &["a", "b"]);
    t.engine.server.memory_probe = Some(fake_probe);
    FAKE_USED.with(|c| c.set(2_000_000));
    config(&mut t, "maxmemory-policy", "allkeys-lru");
    config(&mut t, "maxmemory", "1000000");
    // Memory that deleting keys does not give back: everything goes, then OOM.
    assert_eq!(t.cmd(&["SET", "c", "1"]), OOM);
    assert_eq!(t.cmd(&["DBSIZE"]), ":0\r\n");
    // Non-denyoom commands still run.
    assert_eq!(t.cmd(&["PING"]), "+PONG\r\n");
    FAKE_USED.with(|c| c.set(900_000));
    assert_eq!(t.cmd(&["SET", "c", "1"]), "+OK\r\n");
    let info = t.cmd(&["INFO", "memory"]);
    assert!(info.contains("\r\nused_memory:900000\r\n"), "{info}");
    assert!(info.contains("\r\nmaxmemory:1000000\r\n"), "{info}");
    assert!(info.contains("\r\nmaxmemory_human:976.56K\r\n"), "{info}");
    assert!(info.contains("\r\nmaxmemory_policy:allkeys-lru\r\n"), "{info}");
}

#[test]
fn lowering_maxmemory_evicts_at_once() {
    let mut t = TestConn::new();
    config(&mut t, "maxmemory-policy", "allkeys-lru");
    fill(&mut t, &["a", "b", "c"]);
    let used = used_memory(&t.engine.server);
    config(&mut t, "maxmemory", &(used - 50).to_string());
    assert_eq!(t.engine.server.stats.evicted_keys, 1);
    assert_eq!(t.cmd(&["DBSIZE"]), ":2\r\n");
}

#[test]
fn object_freq_needs_an_lfu_policy() {
    let mut t = TestConn::new();
    fill(&mut t, &["k"]);
    assert!(t.cmd(&["OBJECT", "FREQ", "k"]).starts_with("-ERR An LFU maxmemory policy is not selected"));
    config(&mut t, "maxmemory-policy", "volatile-lfu");
    assert_eq!(t.cmd(&["OBJECT", "FREQ", "k"]), ":0\r\n");
}

#[test]
fn tenacity_sets_the_time_budget() {
    assert_eq!(super::time_limit_us(0), 0);
    assert_eq!(super::time_limit_us(10), 500);
    assert_eq!(super::time_limit_us(11), 575);
    assert_eq!(super::time_limit_us(100), u64::MAX);
}

#[test]
fn scripts_obey_the_oom_state_their_command_started_in() {
    let mut t = TestConn::new();
    fill(&mut t, &["a", "b"]);
    limit_below_current(&mut t, 1);
    let sha = "67ed14c1cb086d8c2fcf91ebe13410ba087fd0f8";
    // As recorded from Redis 7.2.4 over maxmemory under noeviction.
    assert_eq!(
        t.cmd(&["EVAL", "return redis.call('set','a','1')", "0"]),
        format!("-{} script: {sha}, on @user_script:1.\r\n", &OOM[1..OOM.len() - 2])
    );
    assert_eq!(t.cmd(&["EVAL", "return redis.pcall('set','a','1')", "0"]), OOM);
    assert_eq!(t.cmd(&["EVAL", "return redis.call('exists','a')", "0"]), ":1\r\n");
    // A shebang script that may write is refused whole, unless allow-oom.
    assert_eq!(t.cmd(&["EVAL", "#!lua\nreturn redis.call('exists','a')", "0"]), OOM);
    assert_eq!(t.cmd(&["EVAL", "#!lua flags=no-writes\nreturn redis.call('exists','a')", "0"]), ":1\r\n");
    assert_eq!(t.cmd(&["EVAL", "#!lua flags=allow-oom\nreturn redis.call('set','c','2')", "0"]), "+OK\r\n");
    // Once a script has written it cannot stop halfway: later writes go through.
    assert_eq!(t.cmd(&["EVAL", "redis.call('del','zz'); return redis.call('set','d','1')", "0"]), "+OK\r\n");
    assert_eq!(t.cmd(&["SET", "e", "1"]), OOM);
}
