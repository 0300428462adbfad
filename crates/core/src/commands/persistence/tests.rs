//! SAVE, BGSAVE, LASTSAVE, DUMP, RESTORE, DEBUG RELOAD, MISCONF, LOADING
//! and INFO persistence through the real command path.

use std::path::PathBuf;

use crate::commands::server::apply_config;
use crate::persistence::{load, save};
use crate::testing::{reply::bulk, TestConn};

/// A fresh directory for one test's files.
fn temp_dir(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("ferrokv-rdb-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn conn_in(dir: &std::path::Path) -> TestConn {
    let mut c = TestConn::new();
    apply_config(&mut c.engine.server, "dir", dir.to_str().unwrap()).unwrap();
    apply_config(&mut c.engine.server, "enable-debug-command", "yes").unwrap();
    c
}

fn info_field(c: &mut TestConn, name: &str) -> String {
    let info = c.cmd(&["INFO", "persistence"]);
    let prefix = format!("{name}:");
    info.split("\r\n").find_map(|l| l.strip_prefix(&prefix)).unwrap_or_else(|| panic!("no {name}")).to_string()
}

/// DUMP's payload as raw bytes.
fn dump(c: &mut TestConn, key: &str) -> Vec<u8> {
    let reply = c.cmd_bytes(&[b"DUMP", key.as_bytes()]);
    let header_end = reply.iter().position(|&b| b == b'\n').unwrap() + 1;
    reply[header_end..reply.len() - 2].to_vec()
}

#[test]
fn dump_of_a_string_matches_redis_bytes() {
    let mut c = TestConn::new();
    c.cmd(&["SET", "k", "hello"]);
    // What Redis 7.0 replies to DUMP for "hello": type, string, version 10, CRC-64.
    let payload = dump(&mut c, "k");
    assert_eq!(&payload[..8], &b"\x00\x05hello\x0a"[..8]);
    assert_eq!(&payload[7..9], &[0x0a, 0x00]);
    assert_eq!(payload.len(), 17);
    c.cmd(&["SET", "n", "10"]);
    assert_eq!(&dump(&mut c, "n")[..4], &[0x00, 0xc0, 0x0a, 0x0a]);
    assert_eq!(c.cmd(&["DUMP", "missing"]), "$-1\r\n");
}

#[test]
fn restore_recreates_every_type_with_options() {
    let mut c = TestConn::new();
    c.cmd(&["RPUSH", "l", "a", "b", "c"]);
    c.cmd(&["HSET", "h", "f", "v"]);
    c.cmd(&["SADD", "s", "1", "2"]);
    c.cmd(&["ZADD", "z", "1", "m", "2", "n"]);
    c.cmd(&["SET", "str", "value"]);
    for key in ["l", "h", "s", "z", "str"] {
        let payload = dump(&mut c, key);
        let copy = format!("{key}-copy");
        let r = c.cmd_bytes(&[b"RESTORE", copy.as_bytes(), b"0", &payload]);
        assert_eq!(r, b"+OK\r\n", "{key}");
        let r = c.cmd_bytes(&[b"RESTORE", copy.as_bytes(), b"0", &payload]);
        assert_eq!(r, b"-BUSYKEY Target key name already exists.\r\n");
        let r = c.cmd_bytes(&[b"RESTORE", copy.as_bytes(), b"0", &payload, b"REPLACE"]);
        assert_eq!(r, b"+OK\r\n");
        assert_eq!(c.cmd(&["TYPE", &copy]), c.cmd(&["TYPE", key]));
    }
    assert_eq!(c.cmd(&["LRANGE", "l-copy", "0", "-1"]), c.cmd(&["LRANGE", "l", "0", "-1"]));
    assert_eq!(c.cmd(&["ZRANGE", "z-copy", "0", "-1", "WITHSCORES"]), c.cmd(&["ZRANGE", "z", "0", "-1", "WITHSCORES"]));
    assert_eq!(c.cmd(&["OBJECT", "ENCODING", "s-copy"]), "$6\r\nintset\r\n");
    let payload = dump(&mut c, "str");
    let now = c.now();
    let r = c.cmd_bytes(&[b"RESTORE", b"ttl", b"5000", &payload]);
    assert_eq!(r, b"+OK\r\n");
    assert_eq!(c.cmd(&["PTTL", "ttl"]), ":5000\r\n");
    let abs = (now + 9000).to_string();
    c.cmd_bytes(&[b"RESTORE", b"abs", abs.as_bytes(), &payload, b"ABSTTL"]);
    assert_eq!(c.cmd(&["PTTL", "abs"]), ":9000\r\n");
    // A deadline already past: nothing stored, the old key deleted.
    let past = (now - 1).to_string();
    let r = c.cmd_bytes(&[b"RESTORE", b"abs", past.as_bytes(), &payload, b"ABSTTL", b"REPLACE"]);
    assert_eq!(r, b"+OK\r\n");
    assert_eq!(c.cmd(&["EXISTS", "abs"]), ":0\r\n");
    c.cmd_bytes(&[b"RESTORE", b"idle", b"0", &payload, b"IDLETIME", b"1000"]);
    assert_eq!(c.cmd(&["OBJECT", "IDLETIME", "idle"]), ":1000\r\n");
}

#[test]
fn restore_errors_in_redis_order() {
    let mut c = TestConn::new();
    c.cmd(&["SET", "k", "v"]);
    let payload = dump(&mut c, "k");
    let r = |c: &mut TestConn, args: &[&[u8]]| String::from_utf8(c.cmd_bytes(args)).unwrap();
    assert_eq!(r(&mut c, &[b"RESTORE", b"k", b"0", &payload, b"BOGUS"]), "-ERR syntax error\r\n");
    assert_eq!(r(&mut c, &[b"RESTORE", b"k", b"x", &payload]), "-BUSYKEY Target key name already exists.\r\n");
    assert_eq!(r(&mut c, &[b"RESTORE", b"n", b"x", &payload]), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(r(&mut c, &[b"RESTORE", b"n", b"-1", &payload]), "-ERR Invalid TTL value, must be >= 0\r\n");
    assert_eq!(
        r(&mut c, &[b"RESTORE", b"n", b"0", &payload, b"IDLETIME", b"-1"]),
        "-ERR Invalid IDLETIME value, must be >= 0\r\n"
    );
    assert_eq!(
        r(&mut c, &[b"RESTORE", b"n", b"0", &payload, b"FREQ", b"256"]),
        "-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n"
    );
    assert_eq!(
        r(&mut c, &[b"RESTORE", b"n", b"0", &payload, b"IDLETIME", b"1", b"FREQ", b"1"]),
        "-ERR syntax error\r\n"
    );
    let mut bad_crc = payload.clone();
    let n = bad_crc.len();
    bad_crc[n - 1] ^= 1;
    assert_eq!(r(&mut c, &[b"RESTORE", b"n", b"0", &bad_crc]), "-ERR DUMP payload version or checksum are wrong\r\n");
    assert_eq!(r(&mut c, &[b"RESTORE", b"n", b"0", b"short"]), "-ERR DUMP payload version or checksum are wrong\r\n");
    // A valid footer around garbage.
    let mut garbage = vec![0x63u8, 1, 2, 3, 10, 0];
    let crc = crate::persistence::crc64::crc64(&garbage);
    garbage.extend_from_slice(&crc.to_le_bytes());
    assert_eq!(r(&mut c, &[b"RESTORE", b"n", b"0", &garbage]), "-ERR Bad data format\r\n");
}

#[test]
fn restore_notifies_and_counts_a_change() {
    let mut c = TestConn::new();
    c.cmd(&["SET", "k", "v"]);
    let payload = dump(&mut c, "k");
    apply_config(&mut c.engine.server, "notify-keyspace-events", "KEA").unwrap();
    let sub = c.connect();
    let subscriber = crate::pubsub::Subscriber { handle: sub, proto: crate::resp::writer::Protocol::Resp2 };
    c.engine.server.pubsub.psubscribe(b"__key*__:*", subscriber);
    let dirty = c.engine.server.stats.dirty;
    c.cmd_bytes(&[b"RESTORE", b"new", b"0", &payload]);
    assert_eq!(c.engine.server.stats.dirty, dirty + 1);
    let events = c.engine.take_events();
    let text: String = events.deliveries().iter().map(|(_, m)| String::from_utf8_lossy(m).into_owned()).collect();
    assert!(text.contains("__keyevent@0__:restore"), "{text}");
}

#[test]
fn save_writes_the_file_and_debug_reload_reads_it_back() {
    let dir = temp_dir("save");
    let mut c = conn_in(&dir);
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["RPUSH", "l", "x", "y"]);
    c.cmd(&["SELECT", "2"]);
    c.cmd(&["SADD", "s", "m"]);
    c.cmd(&["SELECT", "0"]);
    // RPUSH of two elements counts two changes, as in Redis.
    assert_eq!(info_field(&mut c, "rdb_changes_since_last_save"), "4");
    c.advance(5_000);
    assert_eq!(c.cmd(&["SAVE"]), "+OK\r\n");
    assert!(dir.join("dump.rdb").exists());
    assert_eq!(c.cmd(&["LASTSAVE"]), format!(":{}\r\n", c.now() / 1000));
    assert_eq!(info_field(&mut c, "rdb_changes_since_last_save"), "0");
    c.cmd(&["SET", "a", "changed"]);
    c.cmd(&["SET", "extra", "1"]);
    assert_eq!(c.cmd(&["DEBUG", "RELOAD", "NOSAVE"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "a"]), bulk("1"));
    assert_eq!(c.cmd(&["EXISTS", "extra"]), ":0\r\n");
    assert_eq!(c.cmd(&["SELECT", "2"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SMEMBERS", "s"]), "*1\r\n$1\r\nm\r\n");
    c.cmd(&["SET", "mine", "v"]);
    assert_eq!(c.cmd(&["DEBUG", "RELOAD"]), "+OK\r\n");
    assert_eq!(c.cmd(&["GET", "mine"]), bulk("v"));
    assert_eq!(
        c.cmd(&["DEBUG", "RELOAD", "BAD"]),
        "-ERR DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.\r\n"
    );
    // NOFLUSH refuses keys already present unless MERGE.
    assert!(c.cmd(&["DEBUG", "RELOAD", "NOSAVE", "NOFLUSH"]).starts_with("-ERR Error trying to load"));
    assert_eq!(c.cmd(&["DEBUG", "RELOAD", "NOSAVE", "NOFLUSH", "MERGE"]), "+OK\r\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_corrupt_file_changes_nothing_on_reload() {
    let dir = temp_dir("corrupt");
    let mut c = conn_in(&dir);
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["SAVE"]);
    let path = dir.join("dump.rdb");
    let mut bytes = std::fs::read(&path).unwrap();
    let n = bytes.len();
    bytes[n - 12] ^= 0xff;
    std::fs::write(&path, &bytes).unwrap();
    c.cmd(&["SET", "b", "2"]);
    assert!(c.cmd(&["DEBUG", "RELOAD", "NOSAVE"]).starts_with("-ERR Error trying to load"));
    assert_eq!(c.cmd(&["DBSIZE"]), ":2\r\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bgsave_writes_the_snapshot_as_of_its_start() {
    let dir = temp_dir("bgsave");
    let mut c = conn_in(&dir);
    for i in 0..5000 {
        c.cmd(&["SET", &format!("k{i}"), "before"]);
    }
    assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
    assert_eq!(c.cmd(&["BGSAVE"]), "-ERR Background save already in progress\r\n");
    assert_eq!(c.cmd(&["SAVE"]), "-ERR Background save already in progress\r\n");
    assert_eq!(c.cmd(&["BGSAVE", "NOW"]), "-ERR syntax error\r\n");
    // Written after the snapshot began: not in the file.
    c.cmd(&["SET", "k0", "after"]);
    c.cmd(&["SET", "late", "x"]);
    c.cmd(&["DEL", "k1"]);
    assert_eq!(info_field(&mut c, "rdb_bgsave_in_progress"), "1");
    let now = c.now();
    save::wait_bgsave(&mut c.engine.server, now);
    assert_eq!(info_field(&mut c, "rdb_bgsave_in_progress"), "0");
    assert_eq!(info_field(&mut c, "rdb_last_bgsave_status"), "ok");
    assert_eq!(info_field(&mut c, "rdb_saves"), "1");
    // The three writes after the snapshot are still unsaved.
    assert_eq!(info_field(&mut c, "rdb_changes_since_last_save"), "3");
    load::load_now(&mut c.engine.server, now, true, false).unwrap();
    assert_eq!(c.cmd(&["GET", "k0"]), bulk("before"));
    assert_eq!(c.cmd(&["EXISTS", "late"]), ":0\r\n");
    assert_eq!(c.cmd(&["GET", "k1"]), bulk("before"));
    assert_eq!(c.cmd(&["DBSIZE"]), ":5000\r\n");
    assert_eq!(c.cmd(&["BGSAVE", "SCHEDULE"]), "+Background saving started\r\n");
    save::wait_bgsave(&mut c.engine.server, now);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn save_points_start_a_bgsave_on_the_tick() {
    let dir = temp_dir("points");
    let mut c = conn_in(&dir);
    apply_config(&mut c.engine.server, "save", "10 2").unwrap();
    c.cmd(&["SET", "a", "1"]);
    c.advance(11_000);
    c.engine.tick();
    assert!(!c.engine.server.persistence.bgsave_in_progress(), "one change is not enough");
    c.cmd(&["SET", "b", "1"]);
    c.engine.tick();
    assert!(c.engine.server.persistence.bgsave_in_progress());
    let now = c.now();
    save::wait_bgsave(&mut c.engine.server, now);
    assert!(dir.join("dump.rdb").exists());
    let log = crate::persistence::take_log(&mut c.engine.server);
    assert!(log.iter().any(|(_, l)| l == "2 changes in 10 seconds. Saving..."), "{log:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_failed_bgsave_stops_writes_with_misconf() {
    let dir = temp_dir("misconf");
    let mut c = conn_in(&dir);
    apply_config(&mut c.engine.server, "save", "3600 1").unwrap();
    apply_config(&mut c.engine.server, "dir", dir.join("missing").to_str().unwrap()).unwrap();
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["BGSAVE"]);
    let now = c.now();
    save::wait_bgsave(&mut c.engine.server, now);
    assert_eq!(info_field(&mut c, "rdb_last_bgsave_status"), "err");
    let misconf = c.cmd(&["SET", "b", "2"]);
    assert!(misconf.starts_with("-MISCONF Redis is configured to save RDB snapshots"), "{misconf}");
    assert!(c.cmd(&["PING"]).starts_with("-MISCONF"));
    assert_eq!(c.cmd(&["GET", "a"]), bulk("1"));
    assert_eq!(c.cmd(&["SAVE"]), "-ERR\r\n");
    apply_config(&mut c.engine.server, "stop-writes-on-bgsave-error", "no").unwrap();
    assert_eq!(c.cmd(&["SET", "b", "2"]), "+OK\r\n");
    apply_config(&mut c.engine.server, "stop-writes-on-bgsave-error", "yes").unwrap();
    apply_config(&mut c.engine.server, "dir", dir.to_str().unwrap()).unwrap();
    assert_eq!(c.cmd(&["SAVE"]), "+OK\r\n");
    assert_eq!(c.cmd(&["SET", "c", "3"]), "+OK\r\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn startup_load_answers_loading_until_done() {
    let dir = temp_dir("startup");
    let mut c = conn_in(&dir);
    for i in 0..2000 {
        c.cmd(&["HSET", "h", &format!("f{i}"), "v"]);
    }
    c.cmd(&["SAVE"]);
    let mut fresh = conn_in(&dir);
    let now = fresh.now();
    assert!(load::start(&mut fresh.engine.server, now));
    assert_eq!(fresh.cmd(&["GET", "x"]), "-LOADING Redis is loading the dataset in memory\r\n");
    // A shutdown now must not overwrite the file being read.
    let before = std::fs::read(dir.join("dump.rdb")).unwrap();
    save::save_for_shutdown(&mut fresh.engine.server, now).unwrap();
    assert_eq!(std::fs::read(dir.join("dump.rdb")).unwrap(), before);
    assert_eq!(info_field(&mut fresh, "loading"), "1");
    assert!(fresh.cmd(&["INFO", "persistence"]).contains("loading_total_bytes:"));
    while fresh.engine.server.persistence.is_loading() {
        fresh.engine.tick();
        std::thread::yield_now();
    }
    assert_eq!(fresh.cmd(&["HLEN", "h"]), ":2000\r\n");
    assert_eq!(info_field(&mut fresh, "rdb_last_load_keys_loaded"), "1");
    // Nothing to load: no file.
    let empty = temp_dir("nofile");
    let mut none = conn_in(&empty);
    assert!(!load::start(&mut none.engine.server, now));
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&empty);
}

#[test]
fn a_corrupt_startup_file_is_reported_and_loads_nothing() {
    let dir = temp_dir("badstart");
    std::fs::write(dir.join("dump.rdb"), b"REDIS0010\xfe\x00\x00\x01k").unwrap();
    let mut c = conn_in(&dir);
    let now = c.now();
    assert!(load::start(&mut c.engine.server, now));
    let outcome = loop {
        if let Some(r) = load::poll(&mut c.engine.server) {
            break r;
        }
        std::thread::yield_now();
    };
    assert!(outcome.unwrap_err().contains("Bad RDB file"));
    assert!(c.engine.server.persistence.load_error.is_some());
    assert_eq!(c.cmd(&["DBSIZE"]), ":0\r\n");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every key of databases 0 and 1 with its DUMP payload and PEXPIRETIME:
/// what a file must bring back.
fn dataset(c: &mut TestConn) -> std::collections::BTreeMap<(u8, String), (Vec<u8>, String)> {
    let mut all = std::collections::BTreeMap::new();
    for db in 0..2u8 {
        c.cmd(&["SELECT", &db.to_string()]);
        let reply = c.cmd(&["KEYS", "*"]);
        // *N, then $len and the name for each key (the test's names are ASCII).
        let names: Vec<String> = reply.split("\r\n").skip(1).skip(1).step_by(2).map(str::to_string).collect();
        for name in names.into_iter().filter(|n| !n.is_empty()) {
            let payload = dump(c, &name);
            let at = c.cmd(&["PEXPIRETIME", &name]);
            all.insert((db, name), (payload, at));
        }
    }
    c.cmd(&["SELECT", "0"]);
    all
}

#[test]
fn bgsave_keeps_the_dataset_of_its_start_through_every_kind_of_write() {
    use crate::persistence::snapshot;
    let dir = temp_dir("bgsave-writes");
    let mut c = conn_in(&dir);
    for i in 0..3000 {
        c.cmd(&["SET", &format!("k{i}"), &format!("v{i}")]);
    }
    c.cmd(&["RPUSH", "list", "a", "b", "c"]);
    c.cmd(&["HSET", "hash", "f", "v"]);
    c.cmd(&["SADD", "set", "m"]);
    c.cmd(&["ZADD", "zset", "1", "m"]);
    c.cmd(&["XADD", "stream", "1-1", "f", "v"]);
    c.cmd(&["PFADD", "hll", "a", "b"]);
    c.cmd(&["SET", "ttl", "x", "PX", "100000"]);
    c.cmd(&["SET", "counter", "10"]);
    c.cmd(&["SELECT", "1"]);
    c.cmd(&["SET", "in-one", "1"]);
    c.cmd(&["SELECT", "0"]);
    let want = dataset(&mut c);
    assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
    let writes: &[&[&str]] = &[
        &["SET", "k0", "changed"],
        &["APPEND", "k1", "more"],
        &["DEL", "k2"],
        &["RENAME", "k3", "k4"],
        &["MOVE", "k5", "1"],
        &["EXPIRE", "k6", "100"],
        &["PERSIST", "ttl"],
        &["SETRANGE", "k7", "0", "X"],
        &["INCR", "counter"],
        &["RPUSH", "list", "d"],
        &["LPOP", "list"],
        &["HSET", "hash", "f2", "v2"],
        &["SADD", "set", "m2"],
        &["ZINCRBY", "zset", "5", "m"],
        &["XADD", "stream", "2-1", "f", "v"],
        &["PFADD", "hll", "c"],
        &["COPY", "k8", "k9", "REPLACE"],
        &["SWAPDB", "0", "1"],
        &["FLUSHDB"],
        &["SET", "new", "1"],
        &["SELECT", "1"],
        &["GETDEL", "k10"],
        &["FLUSHDB"],
        &["SET", "k11", "after the flush"],
    ];
    for (i, w) in writes.iter().enumerate() {
        assert!(!c.cmd(w).starts_with('-'), "{w:?}");
        // Part of the walk between writes, as the host does between turns.
        if i % 3 == 0 {
            snapshot::step(&mut c.engine.server, 150);
        }
    }
    c.cmd(&["SELECT", "0"]);
    let now = c.now();
    save::wait_bgsave(&mut c.engine.server, now);
    assert_eq!(info_field(&mut c, "rdb_last_bgsave_status"), "ok");
    assert_eq!(info_field(&mut c, "current_save_keys_processed"), "0");
    load::load_now(&mut c.engine.server, now, true, false).unwrap();
    assert_eq!(dataset(&mut c), want);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bgsave_waits_for_a_rewrite_and_for_exec() {
    let dir = temp_dir("bgsave-schedule");
    let mut c = conn_in(&dir);
    c.cmd(&["SET", "a", "1"]);
    assert_eq!(c.cmd(&["BGREWRITEAOF"]), "+Background append only file rewriting started\r\n");
    assert_eq!(
        c.cmd(&["BGSAVE"]),
        "-ERR Another child process is active (AOF?): can't BGSAVE right now. Use BGSAVE SCHEDULE in order to schedule a BGSAVE whenever possible.\r\n"
    );
    assert_eq!(c.cmd(&["BGSAVE", "SCHEDULE"]), "+Background saving scheduled\r\n");
    assert_eq!(info_field(&mut c, "rdb_bgsave_in_progress"), "0");
    // The tick reaps the rewrite (once its capture is walked), then starts the save.
    let now = c.now();
    crate::persistence::aof::rewrite::reap(&mut c.engine.server, now, true);
    c.engine.tick();
    assert_eq!(info_field(&mut c, "rdb_bgsave_in_progress"), "1");
    save::wait_bgsave(&mut c.engine.server, now);
    assert_eq!(info_field(&mut c, "rdb_saves"), "1");
    // Inside EXEC the save waits for the transaction to end.
    c.cmd(&["MULTI"]);
    c.cmd(&["BGSAVE"]);
    c.cmd(&["SET", "b", "2"]);
    let exec = c.cmd(&["EXEC"]);
    assert!(exec.starts_with("*2\r\n+Background saving scheduled\r\n"), "{exec}");
    c.engine.tick();
    save::wait_bgsave(&mut c.engine.server, now);
    assert_eq!(info_field(&mut c, "rdb_saves"), "2");
    load::load_now(&mut c.engine.server, now, true, false).unwrap();
    assert_eq!(c.cmd(&["GET", "b"]), bulk("2"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn flushall_stops_a_bgsave_and_saves_the_empty_dataset_when_save_points_are_set() {
    let dir = temp_dir("flushall");
    let mut c = conn_in(&dir);
    for i in 0..100 {
        c.cmd(&["SET", &format!("k{i}"), "v"]);
    }
    c.cmd(&["SAVE"]);
    assert_eq!(c.cmd(&["BGSAVE"]), "+Background saving started\r\n");
    // No save points: the BGSAVE stops and nothing is written.
    apply_config(&mut c.engine.server, "save", "").unwrap();
    assert_eq!(c.cmd(&["FLUSHALL"]), "+OK\r\n");
    assert_eq!(info_field(&mut c, "rdb_bgsave_in_progress"), "0");
    assert_eq!(info_field(&mut c, "rdb_changes_since_last_save"), "100");
    let now = c.now();
    load::load_now(&mut c.engine.server, now, true, false).unwrap();
    assert_eq!(c.cmd(&["DBSIZE"]), ":100\r\n");
    // With save points the flushed dataset is saved at once.
    apply_config(&mut c.engine.server, "save", "3600 1").unwrap();
    assert_eq!(c.cmd(&["FLUSHALL"]), "+OK\r\n");
    assert_eq!(info_field(&mut c, "rdb_changes_since_last_save"), "0");
    load::load_now(&mut c.engine.server, now, true, false).unwrap();
    assert_eq!(c.cmd(&["DBSIZE"]), ":0\r\n");
    let _ = std::fs::remove_dir_all(&dir);
}
