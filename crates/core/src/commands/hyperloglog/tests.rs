//! The HyperLogLog family through the real `feed` path. `redis72.txt` is a
//! transcript taken from redis-server 7.2.4 (sparse and dense values,
//! promotion, merges, PFDEBUG, damaged values); every command is replayed
//! here and must get the same bytes back.

use crate::commands::bitmaps::tests::events::{dirty, events, published};
use crate::commands::bitmaps::tests::replay;
use crate::testing::TestConn;

#[test]
fn replies_match_redis_7_2() {
    replay(include_str!("redis72.txt"));
}

#[test]
fn pfadd_and_pfmerge_report_pfadd() {
    let mut c = TestConn::new();
    let listener = events(&mut c);
    let before = dirty(&c);
    assert_eq!(c.cmd(&["PFADD", "h", "a", "b", "c"]), ":1\r\n");
    assert_eq!(published(&mut c, listener), ["pfadd h"]);
    // The creation and each changed register count.
    assert_eq!(dirty(&c), before + 4);
    assert_eq!(c.cmd(&["PFADD", "h", "a"]), ":0\r\n");
    assert_eq!(published(&mut c, listener), Vec::<String>::new());
    assert_eq!(c.cmd(&["PFMERGE", "m", "h"]), "+OK\r\n");
    assert_eq!(published(&mut c, listener), ["pfadd m"]);
    assert_eq!(dirty(&c), before + 5);
}

#[test]
fn pfcount_refreshes_the_cache_as_a_silent_write() {
    let mut c = TestConn::new();
    c.cmd(&["PFADD", "h", "a", "b"]);
    let listener = events(&mut c);
    let before = dirty(&c);
    assert_eq!(c.cmd(&["PFCOUNT", "h"]), ":2\r\n");
    assert_eq!(dirty(&c), before + 1);
    // Served from the cache now: no write.
    assert_eq!(c.cmd(&["PFCOUNT", "h"]), ":2\r\n");
    assert_eq!(dirty(&c), before + 1);
    // Signalled (WATCH sees it) but not published.
    assert_eq!(published(&mut c, listener), Vec::<String>::new());
}

#[test]
fn pfdebug_conversions_count_as_writes() {
    let mut c = TestConn::new();
    c.cmd(&["PFADD", "h", "a"]);
    let before = dirty(&c);
    assert_eq!(c.cmd(&["PFDEBUG", "TODENSE", "h"]), ":1\r\n");
    assert_eq!(dirty(&c), before + 1);
    assert_eq!(c.cmd(&["PFDEBUG", "TODENSE", "h"]), ":0\r\n");
    assert_eq!(c.cmd(&["PFDEBUG", "DECODE", "h"]), "-ERR HLL encoding is not sparse\r\n");
    assert_eq!(dirty(&c), before + 1);
}

#[test]
fn sparse_limit_follows_the_config() {
    let mut c = TestConn::new();
    c.engine.server.config.set("hll-sparse-max-bytes", "100").unwrap();
    let elements: Vec<String> = (1..=28).map(|i| format!("e{i}")).collect();
    let mut args = vec!["PFADD", "h"];
    args.extend(elements.iter().map(String::as_str));
    c.cmd(&args);
    assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", "h"]), "+sparse\r\n");
    // Redis 7.2 turns this set dense at its 29th element under a 100-byte limit.
    c.cmd(&["PFADD", "h", "e29"]);
    assert_eq!(c.cmd(&["PFDEBUG", "ENCODING", "h"]), "+dense\r\n");
    assert_eq!(c.cmd(&["STRLEN", "h"]), ":12304\r\n");
}

#[test]
fn pfselftest_passes() {
    let mut c = TestConn::new();
    // The full self-test adds ten million elements: release builds only.
    if cfg!(debug_assertions) {
        let effort = crate::types::hll::selftest::Effort { register_rounds: 2, elements: 20_000 };
        let server = &mut c.engine.server;
        assert_eq!(crate::types::hll::selftest::run(&effort, 3000, || server.random()), Ok(()));
    } else {
        assert_eq!(c.cmd(&["PFSELFTEST"]), "+OK\r\n");
    }
}
