//! Tests for SWAPDB DBSIZE FLUSHDB FLUSHALL; error strings checked against
//! redis-server 7.0.15 (same in 7.2).

use crate::testing::reply::int;
use crate::testing::TestConn;

const OK: &str = "+OK\r\n";
const SYNTAX: &str = "-ERR syntax error\r\n";

fn fill(c: &mut TestConn, db: &str, keys: &[&str]) {
    assert_eq!(c.cmd(&["select", db]), OK);
    for k in keys {
        assert_eq!(c.cmd(&["set", k, "v"]), OK);
    }
}

#[test]
fn dbsize_counts_the_selected_database() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["dbsize"]), int(0));
    fill(&mut c, "0", &["a", "b"]);
    fill(&mut c, "1", &["c"]);
    assert_eq!(c.cmd(&["dbsize"]), int(1));
    assert_eq!(c.cmd(&["select", "0"]), OK);
    assert_eq!(c.cmd(&["dbsize"]), int(2));
    assert_eq!(c.cmd(&["dbsize", "x"]), "-ERR wrong number of arguments for 'dbsize' command\r\n");
}

#[test]
fn flushdb_empties_only_the_selected_database() {
    let mut c = TestConn::new();
    fill(&mut c, "1", &["c"]);
    fill(&mut c, "0", &["a", "b"]);
    assert_eq!(c.cmd(&["expire", "a", "100"]), int(1));
    let dirty = c.engine.server.stats.dirty;
    assert_eq!(c.cmd(&["flushdb"]), OK);
    assert_eq!(c.engine.server.stats.dirty, dirty + 2);
    assert_eq!(c.cmd(&["dbsize"]), int(0));
    assert_eq!(c.engine.server.dbs[0].expires_len(), 0);
    assert_eq!(c.cmd(&["select", "1"]), OK);
    assert_eq!(c.cmd(&["dbsize"]), int(1));
    assert_eq!(c.cmd(&["flushdb", "SYNC"]), OK);
    assert_eq!(c.cmd(&["flushdb", "async"]), OK);
    assert_eq!(c.cmd(&["dbsize"]), int(0));
}

#[test]
fn flushall_empties_every_database() {
    let mut c = TestConn::new();
    fill(&mut c, "0", &["a", "b"]);
    fill(&mut c, "15", &["c"]);
    let dirty = c.engine.server.stats.dirty;
    assert_eq!(c.cmd(&["flushall"]), OK);
    assert_eq!(c.engine.server.stats.dirty, dirty + 3);
    assert!(c.engine.server.dbs.iter().all(|db| db.is_empty()));
    assert_eq!(c.cmd(&["flushall", "ASYNC"]), OK);
    assert_eq!(c.cmd(&["flushall", "sync"]), OK);
}

#[test]
fn flush_options_are_one_word() {
    let mut c = TestConn::new();
    fill(&mut c, "0", &["a"]);
    for cmd in ["flushdb", "flushall"] {
        assert_eq!(c.cmd(&[cmd, "x"]), SYNTAX);
        assert_eq!(c.cmd(&[cmd, "sync", "async"]), SYNTAX);
        assert_eq!(c.cmd(&[cmd, "async", "async"]), SYNTAX);
    }
    assert_eq!(c.cmd(&["dbsize"]), int(1));
}

#[test]
fn swapdb_exchanges_data_under_connected_clients() {
    let mut c = TestConn::new();
    let other = c.connect();
    fill(&mut c, "1", &["in1"]);
    fill(&mut c, "0", &["in0a", "in0b"]);
    assert_eq!(c.cmd(&["expire", "in0a", "100"]), int(1));
    assert_eq!(c.cmd_on(other, &["select", "1"]), OK);
    let dirty = c.engine.server.stats.dirty;
    assert_eq!(c.cmd(&["swapdb", "0", "1"]), OK);
    assert_eq!(c.engine.server.stats.dirty, dirty + 1);
    // Both clients stay on their index and see the other data.
    assert_eq!(c.cmd(&["keys", "*"]), "*1\r\n$3\r\nin1\r\n");
    assert_eq!(c.cmd_on(other, &["dbsize"]), int(2));
    assert_eq!(c.cmd_on(other, &["ttl", "in0a"]), int(100));
    // Swapping a database with itself is allowed.
    assert_eq!(c.cmd(&["swapdb", "3", "3"]), OK);
    assert_eq!(c.cmd(&["swapdb", "1", "0"]), OK);
    assert_eq!(c.cmd(&["dbsize"]), int(2));
}

#[test]
fn swapdb_errors() {
    let mut c = TestConn::new();
    assert_eq!(c.cmd(&["swapdb", "x", "1"]), "-ERR invalid first DB index\r\n");
    assert_eq!(c.cmd(&["swapdb", "1", "x"]), "-ERR invalid second DB index\r\n");
    // Both indexes are parsed before either is range-checked.
    assert_eq!(c.cmd(&["swapdb", "99", "x"]), "-ERR invalid second DB index\r\n");
    assert_eq!(c.cmd(&["swapdb", "2147483648", "0"]), "-ERR invalid first DB index\r\n");
    assert_eq!(c.cmd(&["swapdb", "0", "4294967296"]), "-ERR invalid second DB index\r\n");
    assert_eq!(c.cmd(&["swapdb", "0", "16"]), "-ERR DB index is out of range\r\n");
    assert_eq!(c.cmd(&["swapdb", "-1", "0"]), "-ERR DB index is out of range\r\n");
    assert_eq!(c.cmd(&["swapdb", "0"]), "-ERR wrong number of arguments for 'swapdb' command\r\n");
}
