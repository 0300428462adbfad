//! What the recorded transcripts (`oracle.rs`) do not show: encodings and
//! their conversions, Redis 7.2's ZRANK WITHSCORE, the pop function the
//! blocking commands use, ZSCAN over a skiplist, TTLs of stored results.

use super::*;
use crate::commands::zsets::pop::pop_extremes;
use crate::engine::Ctx;

fn enc(c: &mut TestConn, key: &str) -> String {
    c.cmd(&["object", "encoding", key])
}

fn set_config(c: &mut TestConn, name: &str, value: &str) {
    c.engine.server.config.set(name, value).unwrap();
}

#[test]
fn listpack_until_the_limits_then_skiplist_for_good() {
    let mut c = TestConn::new();
    for i in 0..128 {
        c.cmd(&["zadd", "z", &i.to_string(), &format!("m{i}")]);
    }
    assert_eq!(enc(&mut c, "z"), bulk("listpack"));
    c.cmd(&["zadd", "z", "1000", "one-more"]);
    assert_eq!(enc(&mut c, "z"), bulk("skiplist"));
    // Shrinking does not convert back.
    c.cmd(&["zremrangebyrank", "z", "0", "-3"]);
    assert_eq!(c.cmd(&["zcard", "z"]), int(2));
    assert_eq!(enc(&mut c, "z"), bulk("skiplist"));
    // A member over zset-max-listpack-value converts.
    let long = "x".repeat(65);
    c.cmd(&["zadd", "l", "1", "a"]);
    c.cmd(&["zadd", "l", "2", &long]);
    assert_eq!(enc(&mut c, "l"), bulk("skiplist"));
    let ok = "x".repeat(64);
    c.cmd(&["zadd", "l2", "1", &ok]);
    assert_eq!(enc(&mut c, "l2"), bulk("listpack"));
    // A new key sized by its first member and the number of pairs (zsetTypeCreate).
    c.cmd(&["zadd", "first-long", "1", &long, "2", "a"]);
    assert_eq!(enc(&mut c, "first-long"), bulk("skiplist"));
    let mut many = vec!["zadd".to_string(), "dups".to_string()];
    for _ in 0..129 {
        many.push("1".into());
        many.push("same".into());
    }
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    assert_eq!(c.cmd(&many), int(1));
    assert_eq!(enc(&mut c, "dups"), bulk("skiplist"));
    // An existing listpack given more than the limit of pairs converts first (zsetTypeMaybeConvert).
    c.cmd(&["zadd", "grow", "1", "same"]);
    let mut more = vec!["zadd", "grow"];
    more.extend(std::iter::repeat_n(["1", "same"], 129).flatten());
    assert_eq!(c.cmd(&more), int(0));
    assert_eq!(enc(&mut c, "grow"), bulk("skiplist"));
}

#[test]
fn configured_limits_apply() {
    let mut c = TestConn::new();
    set_config(&mut c, "zset-max-listpack-entries", "2");
    set_config(&mut c, "zset-max-listpack-value", "3");
    c.cmd(&["zadd", "z", "1", "a", "2", "b"]);
    assert_eq!(enc(&mut c, "z"), bulk("listpack"));
    c.cmd(&["zadd", "z", "3", "c"]);
    assert_eq!(enc(&mut c, "z"), bulk("skiplist"));
    c.cmd(&["zadd", "v", "1", "abcd"]);
    assert_eq!(enc(&mut c, "v"), bulk("skiplist"));
    set_config(&mut c, "zset-max-ziplist-entries", "0");
    c.cmd(&["zadd", "zero", "1", "a"]);
    assert_eq!(enc(&mut c, "zero"), bulk("skiplist"));
}

#[test]
fn stored_results_take_the_encoding_that_fits() {
    let mut c = TestConn::new();
    set_config(&mut c, "zset-max-listpack-entries", "0");
    c.cmd(&["zadd", "big", "1", "a", "2", "b", "3", "c"]);
    assert_eq!(enc(&mut c, "big"), bulk("skiplist"));
    set_config(&mut c, "zset-max-listpack-entries", "128");
    for cmd in [
        vec!["zunionstore", "d", "1", "big"],
        vec!["zinterstore", "d", "1", "big"],
        vec!["zdiffstore", "d", "1", "big"],
        vec!["zrangestore", "d", "big", "0", "-1"],
        // 7.2.4 made BYSCORE/BYLEX results skiplists (a size hint of -1), fixed in 7.2.5.
        vec!["zrangestore", "d", "big", "-inf", "+inf", "byscore"],
        vec!["zrangestore", "d", "big", "-", "+", "bylex"],
    ] {
        assert_eq!(c.cmd(&cmd), int(3), "{cmd:?}");
        assert_eq!(enc(&mut c, "d"), bulk("listpack"), "{cmd:?}");
    }
    set_config(&mut c, "zset-max-listpack-entries", "2");
    c.cmd(&["zunionstore", "d", "1", "big"]);
    assert_eq!(enc(&mut c, "d"), bulk("skiplist"));
    c.cmd(&["zrangestore", "d", "big", "0", "1"]);
    assert_eq!(enc(&mut c, "d"), bulk("listpack"));
}

#[test]
fn stores_replace_the_destination_and_its_ttl() {
    let mut c = TestConn::new();
    c.cmd(&["zadd", "src", "1", "a"]);
    c.cmd(&["set", "d", "x"]);
    c.cmd(&["expire", "d", "100"]);
    assert_eq!(c.cmd(&["zunionstore", "d", "1", "src"]), int(1));
    assert_eq!(c.cmd(&["ttl", "d"]), int(-1));
    assert_eq!(c.cmd(&["type", "d"]), "+zset\r\n");
    // An empty result deletes the destination.
    assert_eq!(c.cmd(&["zinterstore", "d", "2", "src", "nokey"]), int(0));
    assert_eq!(c.cmd(&["exists", "d"]), int(0));
    // ZADD on a key with a TTL keeps it.
    c.cmd(&["expire", "src", "100"]);
    c.cmd(&["zadd", "src", "2", "b"]);
    assert_eq!(c.cmd(&["ttl", "src"]), int(100));
}

#[test]
fn zrank_withscore_as_redis_7_2() {
    // Redis 7.2 (not 7.0): ZRANK/ZREVRANK key member [WITHSCORE].
    let mut c = TestConn::new();
    c.cmd(&["zadd", "z", "1", "a", "2.5", "b"]);
    assert_eq!(c.cmd(&["zrank", "z", "a", "withscore"]), "*2\r\n:0\r\n$1\r\n1\r\n");
    assert_eq!(c.cmd(&["zrevrank", "z", "a", "WITHSCORE"]), "*2\r\n:1\r\n$1\r\n1\r\n");
    assert_eq!(c.cmd(&["zrank", "z", "x", "withscore"]), "*-1\r\n");
    assert_eq!(c.cmd(&["zrank", "nokey", "x", "withscore"]), "*-1\r\n");
    assert_eq!(c.cmd(&["zrank", "z", "a", "withscores"]), err("ERR syntax error"));
    assert_eq!(c.cmd(&["zrank", "z", "a", "withscore", "x"]), err("ERR wrong number of arguments for 'zrank' command"));
    assert_eq!(c.cmd(&["zrank", "z"]), err("ERR wrong number of arguments for 'zrank' command"));
    c.cmd(&["hello", "3"]);
    assert_eq!(c.cmd(&["zrank", "z", "b", "withscore"]), "*2\r\n:1\r\n,2.5\r\n");
    assert_eq!(c.cmd(&["zrank", "z", "x", "withscore"]), "_\r\n");
    assert_eq!(c.cmd(&["zrank", "z", "x"]), "_\r\n");
}

/// Runs `f` with a command context on the test connection (as a handler would).
fn with_ctx<R>(c: &mut TestConn, f: impl FnOnce(&mut Ctx) -> R) -> R {
    let engine = &mut c.engine;
    let mut client = engine_client(engine, c.handle);
    let spec = engine.server.commands.get(b"zpopmin").unwrap();
    let mut out = crate::resp::writer::Reply::default();
    let now = engine.server.clock.now_ms();
    let mut ctx = Ctx { server: &mut engine.server, client: &mut client, others: &mut [], out: &mut out, now, spec };
    f(&mut ctx)
}

fn engine_client(engine: &crate::engine::Engine, handle: u32) -> crate::client::Client {
    let info = engine.client(handle).unwrap();
    let mut c = crate::client::Client::new(
        info.id,
        handle,
        crate::client::ConnInfo { addr: "127.0.0.1:1".into(), laddr: "127.0.0.1:2".into(), fd: 1 },
        0,
        true,
    );
    c.db = info.db;
    c
}

#[test]
fn pop_extremes_for_the_blocking_commands() {
    let mut c = TestConn::new();
    c.cmd(&["zadd", "z", "1", "a", "2", "b", "3", "c"]);
    c.cmd(&["set", "s", "x"]);
    let (min, max, none, wrong, zero, rest) = with_ctx(&mut c, |ctx| {
        (
            pop_extremes(ctx, b"z", false, 1),
            pop_extremes(ctx, b"z", true, 1),
            pop_extremes(ctx, b"nokey", false, 1),
            pop_extremes(ctx, b"s", false, 1),
            pop_extremes(ctx, b"z", false, 0),
            pop_extremes(ctx, b"z", false, 10),
        )
    });
    assert_eq!(min, Ok(Some(vec![(b"a".to_vec(), 1.0)])));
    assert_eq!(max, Ok(Some(vec![(b"c".to_vec(), 3.0)])));
    assert_eq!(none, Ok(None));
    assert_eq!(wrong, Err(crate::command::errors::WRONGTYPE));
    assert_eq!(zero, Ok(Some(vec![])));
    assert_eq!(rest, Ok(Some(vec![(b"b".to_vec(), 2.0)])));
    // The emptied set is gone.
    assert_eq!(c.cmd(&["exists", "z"]), int(0));
    // The reply shapes the blocking commands write.
    use crate::commands::zsets::pop::{reply_popped, PopReply};
    let popped = vec![(b"m".to_vec(), 1.5)];
    let out = |how: PopReply| {
        let mut t = TestConn::new();
        let reply = with_ctx(&mut t, |ctx| {
            reply_popped(ctx, b"k", &popped, how);
            ctx.out.buf.clone()
        });
        String::from_utf8(reply).unwrap()
    };
    assert_eq!(out(PopReply::FlatWithKey), "*3\r\n$1\r\nk\r\n$1\r\nm\r\n$3\r\n1.5\r\n");
    assert_eq!(out(PopReply::WithKey), "*2\r\n$1\r\nk\r\n*1\r\n*2\r\n$1\r\nm\r\n$3\r\n1.5\r\n");
    assert_eq!(out(PopReply::Flat { nested: false }), "*2\r\n$1\r\nm\r\n$3\r\n1.5\r\n");
}

#[test]
fn zscan_walks_a_skiplist_through_its_dictionary() {
    let mut c = TestConn::new();
    let mut args = vec!["zadd".to_string(), "z".into()];
    for i in 0..1000 {
        args.push(format!("{i}.5"));
        args.push(format!("m{i}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    c.cmd(&args);
    assert_eq!(enc(&mut c, "z"), bulk("skiplist"));
    let mut cursor = "0".to_string();
    let mut seen = std::collections::HashMap::new();
    let mut steps = 0;
    loop {
        let r = c.cmd(&["zscan", "z", &cursor, "count", "20"]);
        let words: Vec<&str> = r.split("\r\n").filter(|l| !l.starts_with('*') && !l.starts_with('$')).collect();
        cursor = words[0].to_string();
        for pair in words[1..].chunks(2) {
            if pair.len() == 2 {
                seen.insert(pair[0].to_string(), pair[1].to_string());
            }
        }
        steps += 1;
        if cursor == "0" {
            break;
        }
    }
    assert!(steps > 10, "{steps} steps");
    assert_eq!(seen.len(), 1000);
    assert_eq!(seen["m7"], "7.5");
    // MATCH filters members.
    let r = c.cmd(&["zscan", "z", "0", "match", "m99*", "count", "100000"]);
    assert_eq!(r.matches("\r\nm99").count(), 11);
}

#[test]
fn big_sets_rank_and_range_in_both_directions() {
    let mut c = TestConn::new();
    let mut args = vec!["zadd".to_string(), "z".into()];
    for i in 0..5000 {
        args.push(i.to_string());
        args.push(format!("m{i:05}"));
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    assert_eq!(c.cmd(&args), int(5000));
    assert_eq!(c.cmd(&["zrank", "z", "m04321"]), int(4321));
    assert_eq!(c.cmd(&["zrevrank", "z", "m04321"]), int(678));
    assert_eq!(c.cmd(&["zrange", "z", "2500", "2501"]), bulks(&["m02500", "m02501"]));
    assert_eq!(
        c.cmd(&["zrange", "z", "20", "(10", "byscore", "rev", "limit", "2", "3"]),
        bulks(&["m00018", "m00017", "m00016"])
    );
    assert_eq!(c.cmd(&["zcount", "z", "(100", "200"]), int(100));
    assert_eq!(c.cmd(&["zlexcount", "z", "[m00100", "(m00200"]), int(100));
    assert_eq!(c.cmd(&["zremrangebyscore", "z", "1000", "+inf"]), int(4000));
    assert_eq!(c.cmd(&["zcard", "z"]), int(1000));
    assert_eq!(c.cmd(&["zpopmax", "z"]), bulks(&["m00999", "999"]));
    assert_eq!(c.cmd(&["zscore", "z", "m00500"]), bulk("500"));
}
