//! The AOF: what each family logs, the files on disk, loading and rewriting.

use std::path::{Path, PathBuf};

use super::load::{self, Outcome};
use super::scan;
use crate::commands::server::apply_config;
use crate::testing::TestConn;

fn temp_dir(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("ferrokv-aof-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A connection whose server records propagation (no file behind it).
fn recording() -> TestConn {
    let mut c = TestConn::new();
    c.engine.server.persistence.propagation.enabled = true;
    c
}

/// The commands logged since the last call, as words.
fn logged(c: &mut TestConn) -> Vec<Vec<String>> {
    let buf = std::mem::take(&mut c.engine.server.persistence.aof.buf);
    let s = scan::scan(&buf, 0);
    assert_eq!(s.ending, scan::Ending::Clean);
    s.commands
        .iter()
        .map(|&(a, b)| {
            let mut words = Vec::new();
            let mut rest = &buf[a..b];
            // Skip "*N\r\n", then read "$len\r\nbytes\r\n" items.
            let nl = rest.iter().position(|&x| x == b'\n').unwrap();
            rest = &rest[nl + 1..];
            while !rest.is_empty() {
                let nl = rest.iter().position(|&x| x == b'\n').unwrap();
                let len: usize = std::str::from_utf8(&rest[1..nl - 1]).unwrap().parse().unwrap();
                words.push(String::from_utf8_lossy(&rest[nl + 1..nl + 1 + len]).into_owned());
                rest = &rest[nl + 1 + len + 2..];
            }
            words
        })
        .collect()
}

fn cmds(list: &[&[&str]]) -> Vec<Vec<String>> {
    list.iter().map(|c| c.iter().map(|w| w.to_string()).collect()).collect()
}

#[test]
fn writes_are_logged_as_sent_and_reads_not_at_all() {
    let mut c = recording();
    c.cmd(&["SET", "k", "v"]);
    c.cmd(&["GET", "k"]);
    c.cmd(&["LPUSH", "l", "a", "b"]);
    assert_eq!(logged(&mut c), cmds(&[&["SELECT", "0"], &["SET", "k", "v"], &["LPUSH", "l", "a", "b"]]));
    // A command that changed nothing, or failed, leaves nothing.
    c.cmd(&["DEL", "missing"]);
    c.cmd(&["LPUSH", "k", "x"]);
    assert!(logged(&mut c).is_empty());
}

#[test]
fn flushes_are_logged_even_when_the_databases_were_empty() {
    let mut c = recording();
    c.cmd(&["FLUSHALL"]);
    c.cmd(&["FLUSHDB", "ASYNC"]);
    assert_eq!(logged(&mut c), cmds(&[&["SELECT", "0"], &["FLUSHALL"], &["FLUSHDB", "ASYNC"]]));
}

#[test]
fn select_is_logged_when_the_database_changes() {
    let mut c = recording();
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["SELECT", "3"]);
    c.cmd(&["SET", "b", "2"]);
    c.cmd(&["SET", "c", "3"]);
    assert_eq!(
        logged(&mut c),
        cmds(&[&["SELECT", "0"], &["SET", "a", "1"], &["SELECT", "3"], &["SET", "b", "2"], &["SET", "c", "3"]])
    );
}

#[test]
fn relative_expiry_is_logged_as_an_absolute_deadline() {
    let mut c = recording();
    let now = c.now();
    c.cmd(&["SET", "k", "v", "EX", "10"]);
    c.cmd(&["SETEX", "s", "5", "v"]);
    c.cmd(&["PSETEX", "p", "500", "v"]);
    c.cmd(&["EXPIRE", "k", "100", "GT"]);
    c.cmd(&["PEXPIREAT", "k", "99999999999999"]);
    c.cmd(&["EXPIRE", "s", "-1"]);
    let at = |ms: i64| (now + ms).to_string();
    assert_eq!(
        logged(&mut c),
        vec![
            vec!["SELECT".into(), "0".into()],
            vec!["SET".into(), "k".into(), "v".into(), "PXAT".into(), at(10_000)],
            vec!["SET".into(), "s".into(), "v".into(), "PXAT".into(), at(5_000)],
            vec!["SET".into(), "p".into(), "v".into(), "PXAT".into(), at(500)],
            vec!["PEXPIREAT".into(), "k".into(), at(100_000), "GT".into()],
            vec!["PEXPIREAT".into(), "k".into(), "99999999999999".into()],
            vec!["DEL".into(), "s".into()],
        ]
    );
}

#[test]
fn getex_is_logged_as_pexpireat_persist_or_del() {
    let mut c = recording();
    let now = c.now();
    c.cmd(&["SET", "k", "v"]);
    c.cmd(&["GETEX", "k", "PX", "300"]);
    c.cmd(&["GETEX", "k", "PERSIST"]);
    c.cmd(&["GETEX", "k"]);
    c.cmd(&["GETEX", "k", "PXAT", "1"]);
    let at = (now + 300).to_string();
    assert_eq!(
        logged(&mut c),
        cmds(&[&["SELECT", "0"], &["SET", "k", "v"], &["PEXPIREAT", "k", &at], &["PERSIST", "k"], &["DEL", "k"]])
    );
}

#[test]
fn random_and_float_effects_are_logged_as_their_results() {
    let mut c = recording();
    c.cmd(&["SADD", "s", "only"]);
    c.cmd(&["SPOP", "s"]);
    c.cmd(&["SADD", "t", "a", "b", "c"]);
    logged(&mut c);
    let popped = crate::testing::reply::bulk_strings(&c.cmd(&["SPOP", "t", "2"]));
    let mut expected = vec!["SREM".to_string(), "t".to_string()];
    expected.extend(popped);
    assert_eq!(logged(&mut c), vec![expected]);
    c.cmd(&["SPOP", "t", "5"]);
    assert_eq!(logged(&mut c), cmds(&[&["DEL", "t"]]));
    c.cmd(&["SRANDMEMBER", "t"]);
    c.cmd(&["INCRBYFLOAT", "f", "1.5"]);
    c.cmd(&["HINCRBYFLOAT", "h", "x", "0.25"]);
    assert_eq!(logged(&mut c), cmds(&[&["SET", "f", "1.5", "KEEPTTL"], &["HSET", "h", "x", "0.25"]]));
}

#[test]
fn spop_of_the_last_member_logs_srem_of_it() {
    let mut c = recording();
    c.cmd(&["SADD", "s", "only"]);
    c.cmd(&["SPOP", "s"]);
    assert_eq!(logged(&mut c), cmds(&[&["SELECT", "0"], &["SADD", "s", "only"], &["SREM", "s", "only"]]));
}

#[test]
fn a_transaction_is_logged_between_multi_and_exec() {
    let mut c = recording();
    c.cmd(&["MULTI"]);
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["GET", "a"]);
    c.cmd(&["INCR", "a"]);
    c.cmd(&["EXEC"]);
    assert_eq!(logged(&mut c), cmds(&[&["SELECT", "0"], &["MULTI"], &["SET", "a", "1"], &["INCR", "a"], &["EXEC"]]));
    // A transaction of reads logs nothing.
    c.cmd(&["MULTI"]);
    c.cmd(&["GET", "a"]);
    c.cmd(&["EXEC"]);
    assert!(logged(&mut c).is_empty());
}

#[test]
fn expired_keys_are_logged_as_del() {
    let mut c = recording();
    c.cmd(&["SET", "k", "v", "PX", "10"]);
    logged(&mut c);
    c.advance(20);
    assert_eq!(c.cmd(&["GET", "k"]), "$-1\r\n");
    c.cmd(&["SET", "other", "x"]);
    let log = logged(&mut c);
    assert!(log.contains(&vec!["DEL".to_string(), "k".to_string()]), "{log:?}");
    assert_eq!(log.last().unwrap(), &vec!["SET".to_string(), "other".to_string(), "x".to_string()]);
}

#[test]
fn restore_with_a_relative_ttl_is_logged_with_absttl() {
    let mut c = recording();
    c.cmd(&["SET", "src", "hello"]);
    let payload = c.cmd_bytes(&[b"DUMP", b"src"]);
    let payload = crate::testing::frames(&payload)[0].to_vec();
    // "$len\r\n<bytes>\r\n" → bytes
    let nl = payload.iter().position(|&b| b == b'\n').unwrap();
    let bytes = &payload[nl + 1..payload.len() - 2];
    logged(&mut c);
    let now = c.now();
    c.cmd_bytes(&[b"RESTORE", b"dst", b"5000", bytes]);
    let log = logged(&mut c);
    assert_eq!(log[0][..3], ["RESTORE".to_string(), "dst".into(), (now + 5000).to_string()]);
    assert_eq!(log[0].last().unwrap(), "ABSTTL");
}

// ---- files ----

fn server_in(dir: &Path, extra: &[(&str, &str)]) -> TestConn {
    let mut c = TestConn::new();
    let s = &mut c.engine.server;
    apply_config(s, "dir", dir.to_str().unwrap()).unwrap();
    apply_config(s, "appendonly", "yes").unwrap();
    for (k, v) in extra {
        apply_config(s, k, v).unwrap();
    }
    c
}

/// Starts a server on `dir` as the host does: load, then open for appending.
fn start(dir: &Path, extra: &[(&str, &str)]) -> Result<TestConn, String> {
    let mut c = server_in(dir, extra);
    load::load(&mut c.engine)?;
    let now = c.now();
    super::open_at_startup(&mut c.engine.server, now)?;
    Ok(c)
}

fn flush(c: &mut TestConn) {
    c.engine.server.persistence.aof.flush().unwrap();
}

fn aof_dir(dir: &Path) -> PathBuf {
    dir.join("appendonlydir")
}

fn incr_path(dir: &Path, seq: u64) -> PathBuf {
    aof_dir(dir).join(format!("appendonly.aof.{seq}.incr.aof"))
}

#[test]
fn a_fresh_start_creates_base_incr_and_manifest() {
    let dir = temp_dir("fresh");
    let mut c = start(&dir, &[]).unwrap();
    let manifest = std::fs::read_to_string(aof_dir(&dir).join("appendonly.aof.manifest")).unwrap();
    assert_eq!(manifest, "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n");
    assert!(std::fs::read(aof_dir(&dir).join("appendonly.aof.1.base.rdb")).unwrap().starts_with(b"REDIS0010"));
    c.cmd(&["SET", "k", "v"]);
    flush(&mut c);
    assert_eq!(
        std::fs::read(incr_path(&dir, 1)).unwrap(),
        b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_restart_replays_every_command_and_appends_to_the_last_file() {
    let dir = temp_dir("restart");
    {
        let mut c = start(&dir, &[("appendfsync", "always")]).unwrap();
        c.cmd(&["SET", "k", "v"]);
        c.cmd(&["SELECT", "2"]);
        c.cmd(&["RPUSH", "l", "a", "b", "c"]);
        c.cmd(&["INCRBYFLOAT", "f", "0.1"]);
        c.cmd(&["INCRBYFLOAT", "f", "0.2"]);
        c.cmd(&["SET", "t", "v", "EX", "1000"]);
        flush(&mut c);
    }
    let mut c = start(&dir, &[]).unwrap();
    assert_eq!(c.cmd(&["GET", "k"]), "$1\r\nv\r\n");
    c.cmd(&["SELECT", "2"]);
    assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(c.cmd(&["GET", "f"]), "$3\r\n0.3\r\n");
    assert_eq!(c.cmd(&["TTL", "t"]), ":1000\r\n");
    c.cmd(&["SET", "more", "1"]);
    flush(&mut c);
    drop(c);
    let mut c = start(&dir, &[]).unwrap();
    c.cmd(&["SELECT", "2"]);
    assert_eq!(c.cmd(&["GET", "more"]), "$1\r\n1\r\n");
    // Still one incremental file.
    assert!(!incr_path(&dir, 2).exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_torn_tail_is_cut_with_a_warning_or_refused() {
    let dir = temp_dir("torn");
    {
        let mut c = start(&dir, &[]).unwrap();
        c.cmd(&["SET", "a", "1"]);
        c.cmd(&["SET", "b", "2"]);
        flush(&mut c);
    }
    let path = incr_path(&dir, 1);
    let whole = std::fs::read(&path).unwrap();
    let torn_len = whole.len() - 5;
    std::fs::write(&path, &whole[..torn_len]).unwrap();
    let refused = start(&dir, &[("aof-load-truncated", "no")]).err().unwrap();
    assert!(refused.contains("Unexpected end of file"), "{refused}");
    assert_eq!(std::fs::metadata(&path).unwrap().len(), torn_len as u64);
    let mut c = start(&dir, &[]).unwrap();
    assert_eq!(c.cmd(&["GET", "a"]), "$1\r\n1\r\n");
    assert_eq!(c.cmd(&["EXISTS", "b"]), ":0\r\n");
    let log = crate::persistence::take_log(&mut c.engine.server);
    assert!(log.iter().any(|(_, l)| l.contains("aof-load-truncated")), "{log:?}");
    // The file was cut back to its last complete command.
    let cut = std::fs::read(&path).unwrap();
    assert_eq!(scan::scan(&cut, 0).ending, scan::Ending::Clean);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn corruption_before_the_end_refuses_to_load_anything() {
    let dir = temp_dir("corrupt");
    {
        let mut c = start(&dir, &[]).unwrap();
        c.cmd(&["SET", "a", "1"]);
        c.cmd(&["SET", "b", "2"]);
        flush(&mut c);
    }
    let path = incr_path(&dir, 1);
    let mut bytes = std::fs::read(&path).unwrap();
    let at = bytes.len() / 2;
    bytes[at] = b'!';
    bytes[at + 1] = b'!';
    std::fs::write(&path, &bytes).unwrap();
    let mut c = server_in(&dir, &[]);
    let err = load::load(&mut c.engine).unwrap_err();
    assert!(err.contains("Bad file format"), "{err}");
    assert_eq!(c.cmd(&["DBSIZE"]), ":0\r\n");
    // Damaged manifests are refused too.
    std::fs::write(aof_dir(&dir).join("appendonly.aof.manifest"), "file x seq one type b\n").unwrap();
    assert!(load::load(&mut server_in(&dir, &[]).engine).is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn no_aof_directory_is_not_found() {
    let dir = temp_dir("none");
    let mut c = server_in(&dir, &[]);
    assert_eq!(load::load(&mut c.engine).unwrap(), Outcome::NotFound);
    let _ = std::fs::remove_dir_all(&dir);
}

fn wait_rewrite(c: &mut TestConn) {
    let now = c.now();
    super::rewrite::reap(&mut c.engine.server, now, true);
}

#[test]
fn bgrewriteaof_switches_to_a_new_base_and_incr_file() {
    let dir = temp_dir("rewrite");
    let mut c = start(&dir, &[]).unwrap();
    for i in 0..50 {
        c.cmd(&["INCR", "counter"]);
        c.cmd(&["SET", &format!("k{i}"), "v"]);
    }
    assert_eq!(c.cmd(&["BGREWRITEAOF"]), "+Background append only file rewriting started\r\n");
    // Writes during the rewrite land in the new incremental file.
    c.cmd(&["SET", "during", "yes"]);
    flush(&mut c);
    wait_rewrite(&mut c);
    let manifest = std::fs::read_to_string(aof_dir(&dir).join("appendonly.aof.manifest")).unwrap();
    assert_eq!(manifest, "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n");
    assert!(!aof_dir(&dir).join("appendonly.aof.1.base.rdb").exists());
    assert!(!incr_path(&dir, 1).exists());
    let info = c.cmd(&["INFO", "persistence"]);
    assert!(info.contains("aof_enabled:1\r\n") && info.contains("aof_rewrites:1\r\n"), "{info}");
    drop(c);
    let mut c = start(&dir, &[]).unwrap();
    assert_eq!(c.cmd(&["GET", "counter"]), "$2\r\n50\r\n");
    assert_eq!(c.cmd(&["DBSIZE"]), ":52\r\n");
    assert_eq!(c.cmd(&["GET", "during"]), "$3\r\nyes\r\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn config_set_appendonly_yes_starts_with_a_rewrite() {
    let dir = temp_dir("turn-on");
    let mut c = TestConn::new();
    apply_config(&mut c.engine.server, "dir", dir.to_str().unwrap()).unwrap();
    let now = c.now();
    super::open_at_startup(&mut c.engine.server, now).unwrap();
    c.cmd(&["SET", "before", "1"]);
    apply_config(&mut c.engine.server, "appendonly", "yes").unwrap();
    c.engine.tick();
    c.cmd(&["SET", "after", "2"]);
    wait_rewrite(&mut c);
    flush(&mut c);
    assert!(c.cmd(&["INFO", "persistence"]).contains("aof_enabled:1\r\n"));
    drop(c);
    let mut c = start(&dir, &[]).unwrap();
    assert_eq!(c.cmd(&["MGET", "before", "after"]), "*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn xadd_logs_the_id_it_chose_and_exact_trims() {
    let mut c = recording();
    let id = c.cmd(&["XADD", "s", "*", "f", "v"]);
    let id = crate::testing::reply::bulk_strings(&format!("*1\r\n{id}"))[0].clone();
    c.cmd(&["XADD", "s", "MAXLEN", "1", "99999999999999-1", "f", "v"]);
    let log = logged(&mut c);
    assert_eq!(log[1], vec!["XADD".to_string(), "s".into(), id, "f".into(), "v".into()]);
    assert_eq!(log[2], ["XADD", "s", "MAXLEN", "1", "99999999999999-1", "f", "v"].map(String::from).to_vec());
    for i in 0..300 {
        c.cmd(&["XADD", "big", &format!("{}-1", i + 1), "f", "v"]);
    }
    logged(&mut c);
    c.cmd(&["XADD", "big", "MAXLEN", "~", "10", "1000-1", "f", "v"]);
    let log = logged(&mut c);
    let len = c.cmd(&["XLEN", "big"]);
    let len = len.trim_start_matches(':').trim_end().to_string();
    assert_eq!(
        log,
        vec![
            vec!["MULTI".to_string()],
            ["XADD", "big", "1000-1", "f", "v"].map(String::from).to_vec(),
            vec!["XTRIM".into(), "big".into(), "MAXLEN".into(), "=".into(), len],
            vec!["EXEC".to_string()],
        ]
    );
}

#[test]
fn blocking_pops_log_the_pop_they_did() {
    let mut c = recording();
    c.cmd(&["RPUSH", "l", "a", "b", "c"]);
    c.cmd(&["ZADD", "z", "1", "m", "2", "n"]);
    logged(&mut c);
    c.cmd(&["BLPOP", "missing", "l", "0"]);
    c.cmd(&["BRPOP", "l", "0"]);
    c.cmd(&["BLMOVE", "l", "dst", "LEFT", "RIGHT", "0"]);
    c.cmd(&["BZPOPMAX", "z", "0"]);
    c.cmd(&["BZMPOP", "0", "1", "z", "MIN", "COUNT", "1"]);
    assert_eq!(
        logged(&mut c),
        cmds(&[
            &["LPOP", "l"],
            &["RPOP", "l"],
            &["LMOVE", "l", "dst", "LEFT", "RIGHT"],
            &["ZPOPMAX", "z"],
            &["ZMPOP", "1", "z", "MIN", "COUNT", "1"],
        ])
    );
    // Served after blocking: logged when it ran, as the pop.
    let other = c.connect();
    c.cmd(&["BLPOP", "later", "0"]);
    c.cmd_on(other, &["RPUSH", "later", "x"]);
    assert_eq!(logged(&mut c), cmds(&[&["RPUSH", "later", "x"], &["LPOP", "later"]]));
}

#[test]
fn check_aof_reports_and_fixes_a_torn_tail() {
    let dir = temp_dir("check");
    {
        let mut c = start(&dir, &[]).unwrap();
        c.cmd(&["SET", "a", "1"]);
        flush(&mut c);
    }
    let manifest = aof_dir(&dir).join("appendonly.aof.manifest");
    let ok = super::check::check_path(&manifest, false);
    assert!(ok.ok, "{:?}", ok.lines);
    let path = incr_path(&dir, 1);
    let mut bytes = std::fs::read(&path).unwrap();
    let whole = bytes.len();
    bytes.extend_from_slice(b"*3\r\n$3\r\nSET");
    std::fs::write(&path, &bytes).unwrap();
    let bad = super::check::check_path(&manifest, false);
    assert!(!bad.ok && bad.truncated);
    let fixed = super::check::check_path(&manifest, true);
    assert!(fixed.ok, "{:?}", fixed.lines);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), whole as u64);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn without_the_rdb_preamble_the_base_is_restore_commands() {
    let dir = temp_dir("no-preamble");
    let mut c = start(&dir, &[("aof-use-rdb-preamble", "no")]).unwrap();
    assert!(aof_dir(&dir).join("appendonly.aof.1.base.aof").exists());
    c.cmd(&["RPUSH", "l", "a", "b"]);
    c.cmd(&["HSET", "h", "f", "v"]);
    c.cmd(&["SET", "t", "v", "PX", "500000"]);
    c.cmd(&["SELECT", "4"]);
    c.cmd(&["ZADD", "z", "1.5", "m"]);
    c.cmd(&["BGREWRITEAOF"]);
    wait_rewrite(&mut c);
    let base = std::fs::read(aof_dir(&dir).join("appendonly.aof.2.base.aof")).unwrap();
    assert!(base.starts_with(b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*"), "{:?}", &base[..40]);
    assert_eq!(scan::scan(&base, 0).ending, scan::Ending::Clean);
    let deadline = c.now() + 500_000;
    drop(c);
    let mut c = start(&dir, &[("aof-use-rdb-preamble", "no")]).unwrap();
    assert_eq!(c.cmd(&["LRANGE", "l", "0", "-1"]), "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    assert_eq!(c.cmd(&["HGET", "h", "f"]), "$1\r\nv\r\n");
    assert_eq!(c.cmd(&["PEXPIRETIME", "t"]), format!(":{deadline}\r\n"));
    c.cmd(&["SELECT", "4"]);
    assert_eq!(c.cmd(&["ZSCORE", "z", "m"]), "$3\r\n1.5\r\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_old_single_file_aof_is_loaded_and_moved_into_the_directory() {
    let dir = temp_dir("legacy");
    std::fs::write(
        dir.join("appendonly.aof"),
        b"*2\r\n$6\r\nSELECT\r\n$1\r\n0\r\n*3\r\n$3\r\nSET\r\n$3\r\nold\r\n$5\r\nvalue\r\n",
    )
    .unwrap();
    let mut c = start(&dir, &[]).unwrap();
    assert_eq!(c.cmd(&["GET", "old"]), "$5\r\nvalue\r\n");
    assert!(!dir.join("appendonly.aof").exists());
    assert_eq!(
        std::fs::read_to_string(aof_dir(&dir).join("appendonly.aof.manifest")).unwrap(),
        "file appendonly.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n"
    );
    c.cmd(&["SET", "new", "1"]);
    flush(&mut c);
    drop(c);
    let mut c = start(&dir, &[]).unwrap();
    assert_eq!(c.cmd(&["MGET", "old", "new"]), "*2\r\n$5\r\nvalue\r\n$1\r\n1\r\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn expired_keys_log_unlink_under_lazyfree() {
    let mut c = recording();
    apply_config(&mut c.engine.server, "lazyfree-lazy-expire", "yes").unwrap();
    c.cmd(&["SET", "k", "v", "PX", "10"]);
    logged(&mut c);
    c.advance(20);
    c.cmd(&["GET", "k"]);
    c.engine.tick();
    assert_eq!(logged(&mut c), cmds(&[&["UNLINK", "k"]]));
}

#[test]
fn a_failed_write_refuses_writes_with_misconf_until_one_succeeds() {
    let dir = temp_dir("write-error");
    let mut c = start(&dir, &[]).unwrap();
    c.cmd(&["SET", "a", "1"]);
    flush(&mut c);
    let path = incr_path(&dir, 1);
    let good = std::fs::metadata(&path).unwrap().len();
    // A descriptor opened read-only: every write fails.
    c.engine.server.persistence.aof.file = Some(std::fs::File::open(&path).unwrap());
    c.cmd(&["SET", "b", "2"]);
    assert!(c.engine.server.persistence.aof.flush().is_err());
    let refused = c.cmd(&["SET", "c", "3"]);
    assert!(refused.starts_with("-MISCONF Errors writing to the AOF file: "), "{refused}");
    assert_eq!(c.cmd(&["GET", "a"]), "$1\r\n1\r\n");
    assert!(c.cmd(&["INFO", "persistence"]).contains("aof_last_write_status:err\r\n"));
    // Writable again: the kept buffer goes out once, and writes are accepted.
    c.engine.server.persistence.aof.use_file(&path).unwrap();
    flush(&mut c);
    assert_eq!(c.cmd(&["SET", "c", "3"]), "+OK\r\n");
    flush(&mut c);
    drop(c);
    assert!(std::fs::metadata(&path).unwrap().len() > good);
    let mut c = start(&dir, &[]).unwrap();
    assert_eq!(c.cmd(&["MGET", "a", "b", "c"]), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn xreadgroup_logs_the_claims_it_made() {
    let mut c = recording();
    c.cmd(&["XADD", "s", "1-1", "f", "v"]);
    c.cmd(&["XADD", "s", "2-1", "f", "v"]);
    c.cmd(&["XGROUP", "CREATE", "s", "g", "0"]);
    logged(&mut c);
    let now = c.now().to_string();
    c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "COUNT", "1", "STREAMS", "s", ">"]);
    let claim = |id: &str, count: &str| {
        ["XCLAIM", "s", "g", "alice", "0", id, "TIME", &now, "RETRYCOUNT", count, "FORCE", "JUSTID", "LASTID", id]
            .map(String::from)
            .to_vec()
    };
    assert_eq!(
        logged(&mut c),
        vec![
            vec!["MULTI".to_string()],
            ["XGROUP", "CREATECONSUMER", "s", "g", "alice"].map(String::from).to_vec(),
            claim("1-1", "1"),
            vec!["EXEC".to_string()],
        ]
    );
    c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "NOACK", "STREAMS", "s", ">"]);
    assert_eq!(logged(&mut c), cmds(&[&["XGROUP", "SETID", "s", "g", "2-1", "ENTRIESREAD", "2"]]));
    // Re-reading its history bumps the delivery count.
    c.cmd(&["XREADGROUP", "GROUP", "g", "alice", "STREAMS", "s", "0"]);
    let mut again = claim("1-1", "2");
    again[13] = "2-1".into();
    assert_eq!(logged(&mut c), vec![again]);
    // Replayed, the log gives the same group state.
    let mut r = TestConn::new();
    for cmd in [
        vec!["XADD", "s", "1-1", "f", "v"],
        vec!["XADD", "s", "2-1", "f", "v"],
        vec!["XGROUP", "CREATE", "s", "g", "0"],
        vec!["XGROUP", "CREATECONSUMER", "s", "g", "alice"],
        vec![
            "XCLAIM",
            "s",
            "g",
            "alice",
            "0",
            "1-1",
            "TIME",
            &now,
            "RETRYCOUNT",
            "2",
            "FORCE",
            "JUSTID",
            "LASTID",
            "2-1",
        ],
        vec!["XGROUP", "SETID", "s", "g", "2-1", "ENTRIESREAD", "2"],
    ] {
        r.cmd(&cmd);
    }
    assert_eq!(r.cmd(&["XPENDING", "s", "g"]), c.cmd(&["XPENDING", "s", "g"]));
}

#[test]
fn replayed_commands_leave_no_counts_behind() {
    let dir = temp_dir("counts");
    {
        let mut c = start(&dir, &[]).unwrap();
        c.cmd(&["SET", "a", "1"]);
        c.cmd(&["INCR", "a"]);
        flush(&mut c);
    }
    let mut c = start(&dir, &[]).unwrap();
    assert_eq!(c.cmd(&["GET", "a"]), "$1\r\n2\r\n");
    let stats = c.cmd(&["INFO", "commandstats"]);
    assert!(!stats.contains("cmdstat_incr"), "{stats}");
    let persistence = c.cmd(&["INFO", "persistence"]);
    assert!(persistence.contains("rdb_changes_since_last_save:0\r\n"), "{persistence}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_transaction_paused_at_a_host_command_is_logged_whole() {
    let mut c = recording();
    c.cmd(&["MULTI"]);
    c.cmd(&["SET", "a", "1"]);
    c.cmd(&["CONFIG", "GET", "maxmemory"]);
    c.cmd(&["SET", "b", "2"]);
    let h = c.handle;
    c.engine.feed(h, b"*1\r\n$4\r\nEXEC\r\n");
    c.engine.clear_output();
    assert!(c.engine.take_host_command(h).is_some());
    // Paused: nothing logged yet.
    assert!(c.engine.server.persistence.aof.buf.is_empty());
    c.engine.feed(h, b"");
    c.engine.clear_output();
    assert_eq!(
        logged(&mut c),
        cmds(&[&["SELECT", "0"], &["MULTI"], &["SET", "a", "1"], &["SET", "b", "2"], &["EXEC"]])
    );
}

#[test]
fn scripts_are_logged_as_their_effects_in_one_transaction() {
    let mut c = recording();
    c.cmd(&[
        "EVAL",
        "redis.call('set', KEYS[1], 'v'); redis.call('expire', KEYS[1], 100); return redis.call('get', KEYS[1])",
        "1",
        "k",
    ]);
    let at = c.engine.server.dbs[0].expire_at(b"k").expect("a deadline").to_string();
    assert_eq!(
        logged(&mut c),
        cmds(&[&["SELECT", "0"], &["MULTI"], &["set", "k", "v"], &["PEXPIREAT", "k", &at], &["EXEC"]])
    );
    // Commands keep the spelling the script used. A script that changed
    // nothing logs nothing; one write needs no MULTI.
    c.cmd(&["EVAL", "return redis.call('get', 'k')", "0"]);
    c.cmd(&["EVAL", "return redis.call('incr', 'n')", "0"]);
    assert_eq!(logged(&mut c), cmds(&[&["incr", "n"]]));
}

#[test]
fn a_large_aof_loads_in_slices_while_clients_get_loading() {
    let dir = temp_dir("slices");
    let value = "v".repeat(1000);
    let mut aof = Vec::new();
    for i in 0..3000 {
        let key = format!("key:{i}");
        aof.extend_from_slice(
            format!("*3\r\n$3\r\nSET\r\n${}\r\n{key}\r\n${}\r\n{value}\r\n", key.len(), value.len()).as_bytes(),
        );
    }
    std::fs::write(dir.join("appendonly.aof"), &aof).unwrap();
    let mut c = server_in(&dir, &[]);
    assert!(load::begin(&mut c.engine).unwrap());
    let loading = "-LOADING Redis is loading the dataset in memory\r\n";
    assert_eq!(c.cmd(&["GET", "key:0"]), loading);
    let info = c.cmd(&["INFO", "persistence"]);
    assert!(info.contains("\r\nloading:1\r\n"), "{info}");
    assert!(info.contains(&format!("\r\nloading_total_bytes:{}\r\n", aof.len())), "{info}");
    assert!(info.contains("\r\nloading_loaded_bytes:0\r\n"), "{info}");
    // A thread reads and checks the file first; then each step is one
    // slice, a megabyte of commands, after which clients are served again.
    let mut progress = load::step(&mut c.engine).unwrap();
    while progress == load::Progress::Reading {
        assert_eq!(c.cmd(&["PING"]), loading);
        std::thread::sleep(std::time::Duration::from_millis(1));
        progress = load::step(&mut c.engine).unwrap();
    }
    assert_eq!(progress, load::Progress::More);
    assert_eq!(c.cmd(&["DBSIZE"]), loading);
    let info = c.cmd(&["INFO", "persistence"]);
    let loaded: u64 = info.split("loading_loaded_bytes:").nth(1).unwrap().split('\r').next().unwrap().parse().unwrap();
    assert!(loaded > 0 && loaded < aof.len() as u64, "{info}");
    let mut slices = 1;
    let commands = loop {
        slices += 1;
        if let load::Progress::Done { commands } = load::step(&mut c.engine).unwrap() {
            break commands;
        }
    };
    assert_eq!((commands, slices), (3000, 3));
    assert_eq!(c.cmd(&["DBSIZE"]), ":3000\r\n");
    assert_eq!(c.cmd(&["STRLEN", "key:2999"]), ":1000\r\n");
    let info = c.cmd(&["INFO", "persistence"]);
    assert!(info.contains("\r\nloading:0\r\n") && !info.contains("loading_total_bytes"), "{info}");
    // The replay left no trace in the stats; the clients' refusals and INFO calls stay.
    let stats = c.cmd(&["INFO", "commandstats"]);
    assert!(!stats.contains("cmdstat_set"), "{stats}");
    assert!(stats.contains("cmdstat_info:calls=3,"), "{stats}");
    assert!(stats.contains("cmdstat_get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,failed_calls=0"), "{stats}");
    let info = c.cmd(&["INFO", "stats"]);
    assert!(info.contains("\r\ntotal_connections_received:1\r\n"), "{info}");
    assert!(info.contains("\r\ntotal_commands_processed:6\r\n"), "{info}");
    assert!(c.cmd(&["INFO", "persistence"]).contains("\r\nrdb_changes_since_last_save:0\r\n"));
    // The old file moved into the AOF directory.
    assert!(aof_dir(&dir).join("appendonly.aof").is_file());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_rdb_base_is_parsed_by_the_loading_thread_with_progress() {
    let dir = temp_dir("rdb-base");
    {
        let mut c = start(&dir, &[]).unwrap();
        for i in 0..2000 {
            c.cmd(&["SET", &format!("k{i}"), &"x".repeat(200)]);
        }
        c.cmd(&["BGREWRITEAOF"]);
        wait_rewrite(&mut c);
        c.cmd(&["SET", "after", "1"]);
        flush(&mut c);
    }
    let base = std::fs::metadata(aof_dir(&dir).join("appendonly.aof.2.base.rdb")).unwrap().len();
    let mut c = server_in(&dir, &[]);
    assert!(load::begin(&mut c.engine).unwrap());
    let mut steps = Vec::new();
    loop {
        let progress = load::step(&mut c.engine).unwrap();
        if matches!(progress, load::Progress::Done { .. }) {
            steps.push(progress);
            break;
        }
        assert_eq!(c.cmd(&["GET", "after"]), "-LOADING Redis is loading the dataset in memory\r\n");
        let info = c.cmd(&["INFO", "persistence"]);
        let loaded: u64 =
            info.split("loading_loaded_bytes:").nth(1).unwrap().split('\r').next().unwrap().parse().unwrap();
        if progress == load::Progress::More {
            // The preamble is in: the progress has passed it.
            assert!(loaded >= base, "{info}");
        }
        steps.push(progress);
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    // Once read: the base's dataset, then the incremental file's commands (SELECT and SET), one slice each.
    let tail: Vec<_> = steps.iter().filter(|p| **p != load::Progress::Reading).collect();
    assert_eq!(tail, [&load::Progress::More, &load::Progress::Done { commands: 2 }]);
    assert_eq!(c.cmd(&["DBSIZE"]), ":2001\r\n");
    assert!(c.cmd(&["INFO", "persistence"]).contains("\r\nrdb_last_load_keys_loaded:2000\r\n"));
    let _ = std::fs::remove_dir_all(&dir);
}
