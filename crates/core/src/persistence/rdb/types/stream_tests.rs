//! Streams in RDB form: payloads Redis 7.0 and 7.2 wrote, round trips of
//! every part of a stream, and damaged input refused without a panic.

use super::*;
use crate::config::EncodingLimits;
use crate::persistence::{crc64, dump};
use crate::testing::TestConn;

const SAVE: SaveCtx = SaveCtx { compress: true, list_fill: -2 };

/// Redis 7.0.15's DUMP of: XADD s 1-1 f v, XADD s 1-2 f 123,
/// XADD s 5-0 g x h -7, XDEL s 1-2, XGROUP CREATE s grp 1-1.
const REDIS70_SIMPLE: &str = "130110000000000000000100000000000000013e3e00000018000201010101018166020001020100010001\
8176020401030100010101 7b01040100010401dfff020201816702817802816802dff9020801ff02050001010102030103677270010181\
ffffffffffffffff00000a004a74aa5fe3cb4351";
/// Redis 7.0.15's DUMP of XADD e MAXLEN 0 3-3 a b.
const REDIS70_EMPTY: &str = "13000003030000000001000a003c18877a003af20a";
/// The stream above, then XGROUP CREATE s g2 0, XREADGROUP as alice
/// (COUNT 1) and bob, XGROUP CREATECONSUMER s g2 carol: Redis 7.0's DUMP
/// (type 19) and Redis 7.2's (type 21, with active times).
const REDIS70_GROUPS: &str = "130110000000000000000100000000000000013e3e0000001800020101010101816602000102010001000181\
760204010301000101017b01040100010401dfff020201816702817802816802dff9020801ff02050001010102030202673205000302000000\
00000000010000000000000001bf5935fea10100000100000000000000050000000000000000cb5935fea1010000010305616c696365bf5935\
fea1010000010000000000000001000000000000000103626f62cb5935fea10100000100000000000000050000000000000000056361726f6c\
d55935fea10100000003677270010181ffffffffffffffff00000a00a87b775eb731e174";
const REDIS72_GROUPS: &str = "150110000000000000000100000000000000013e3e0000001800020101010101816602000102010001000181\
760204010301000101017b01040100010401dfff020201816702817802816802dff9020801ff02050001010102030202673205000302000000\
00000000010000000000000001eb5935fea10100000100000000000000050000000000000000f75935fea1010000010305616c696365eb5935\
fea1010000eb5935fea1010000010000000000000001000000000000000103626f62f75935fea1010000f75935fea101000001000000000000\
00050000000000000000056361726f6cff5935fea1010000ffffffffffffffff0003677270010181ffffffffffffffff00000b006193dc5d83d4\
4740";

fn bulk(b: &[u8]) -> Vec<u8> {
    let mut out = format!("${}\r\n", b.len()).into_bytes();
    out.extend_from_slice(b);
    out.extend_from_slice(b"\r\n");
    out
}

fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits.chunks(2).map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap(), 16).unwrap()).collect()
}

/// Everything a stream holds, in a canonical text. Consumers' active times
/// are left out unless `active` asks (a type 19 payload does not carry them).
fn describe(s: &Stream, active: bool) -> String {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut out = format!(
        "len={} last={} first={} maxdel={} added={}\n",
        s.len(),
        s.last_id,
        s.first_id,
        s.max_deleted_id,
        s.entries_added
    );
    for (&master, node) in s.node_map() {
        let fields: Vec<String> = node.master_fields().map(text).collect();
        out += &format!("node {master} live={} deleted={} master={fields:?}\n", node.live, node.deleted);
        for at in node.offsets(master) {
            let e = node.entry_at(master, at);
            let pairs: Vec<String> = e.fields().map(|(f, v)| format!("{}={}", text(f), text(v))).collect();
            out += &format!(" {} del={} same={} {pairs:?}\n", e.id, e.is_deleted(), e.shares_master_fields());
        }
    }
    for (name, g) in &s.groups {
        out += &format!("group {} last={} read={}\n", text(name), g.last_id, g.entries_read);
        for (id, p) in &g.pel {
            out += &format!(" pel {id} {} {} {}\n", text(&p.consumer), p.delivery_time, p.delivery_count);
        }
        for (name, c) in &g.consumers {
            let act = if active { c.active_time.to_string() } else { "-".into() };
            out += &format!(" consumer {} seen={} active={act} {:?}\n", text(name), c.seen_time, c.pel);
        }
    }
    out
}

fn stream_at<'a>(c: &'a TestConn, key: &str) -> &'a Stream {
    match c.engine.server.dbs[0].keys().get(key.as_bytes()) {
        Some(Value::Stream(s)) => s,
        other => panic!("{key} is not a stream: {other:?}"),
    }
}

fn restore(payload: &[u8]) -> Result<Stream, dump::PayloadError> {
    match dump::restore(payload, &EncodingLimits::default(), true)? {
        Value::Stream(s) => Ok(*s),
        other => panic!("not a stream: {}", other.type_name()),
    }
}

fn dump_of(s: &Stream) -> Vec<u8> {
    dump::dump(&Value::Stream(Box::new(s.clone())), &SAVE).unwrap()
}

/// Saves and loads `s`, checks nothing but active times changed and that
/// saving again gives the same bytes; returns the payload.
fn assert_round_trips(s: &Stream) -> Vec<u8> {
    let payload = dump_of(s);
    let back = restore(&payload).unwrap();
    assert_eq!(describe(&back, false), describe(s, false));
    for g in back.groups.values() {
        for c in g.consumers.values() {
            assert_eq!(c.active_time, c.seen_time, "a type 19 payload takes the seen time as active time");
        }
    }
    assert_eq!(dump_of(&back), payload, "saving what was loaded changes nothing");
    payload
}

fn run(c: &mut TestConn, cmds: &[&str]) {
    for cmd in cmds {
        let args: Vec<&str> = cmd.split(' ').collect();
        let r = c.cmd(&args);
        assert!(!r.starts_with('-'), "{cmd}: {r}");
    }
}

#[test]
fn payloads_match_redis_70_byte_for_byte() {
    let mut c = TestConn::new();
    run(
        &mut c,
        &["XADD s 1-1 f v", "XADD s 1-2 f 123", "XADD s 5-0 g x h -7", "XDEL s 1-2", "XGROUP CREATE s grp 1-1"],
    );
    run(&mut c, &["XADD e MAXLEN 0 3-3 a b"]);
    assert_eq!(c.cmd_bytes(&[b"DUMP", b"s"]), bulk(&hex(REDIS70_SIMPLE)));
    assert_eq!(c.cmd_bytes(&[b"DUMP", b"e"]), bulk(&hex(REDIS70_EMPTY)));
    assert_eq!(dump_of(stream_at(&c, "s")), hex(REDIS70_SIMPLE));
}

/// Redis 7.2's XINFO STREAM FULL of its own payload (REDIS72_GROUPS), and
/// of the 7.0 payload restored into 7.2 (active time taken from seen time).
const XINFO_72: &str = "*18\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n\
$17\r\nlast-generated-id\r\n$3\r\n5-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-2\r\n$13\r\nentries-added\r\n:3\r\n\
$23\r\nrecorded-first-entry-id\r\n$3\r\n1-1\r\n$7\r\nentries\r\n*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n\
*2\r\n$3\r\n5-0\r\n*4\r\n$1\r\ng\r\n$1\r\nx\r\n$1\r\nh\r\n$2\r\n-7\r\n$6\r\ngroups\r\n*2\r\n*14\r\n$4\r\nname\r\n\
$2\r\ng2\r\n$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n:3\r\n$3\r\nlag\r\n:0\r\n$9\r\npel-count\r\n\
:2\r\n$7\r\npending\r\n*2\r\n*4\r\n$3\r\n1-1\r\n$5\r\nalice\r\n:ALICE\r\n:1\r\n*4\r\n$3\r\n5-0\r\n$3\r\nbob\r\n:BOB\r\n\
:1\r\n$9\r\nconsumers\r\n*3\r\n*10\r\n$4\r\nname\r\n$5\r\nalice\r\n$9\r\nseen-time\r\n:ALICE\r\n$11\r\nactive-time\r\n\
:ALICE\r\n$9\r\npel-count\r\n:1\r\n$7\r\npending\r\n*1\r\n*3\r\n$3\r\n1-1\r\n:ALICE\r\n:1\r\n*10\r\n$4\r\nname\r\n\
$3\r\nbob\r\n$9\r\nseen-time\r\n:BOB\r\n$11\r\nactive-time\r\n:BOB\r\n$9\r\npel-count\r\n:1\r\n$7\r\npending\r\n*1\r\n\
*3\r\n$3\r\n5-0\r\n:BOB\r\n:1\r\n*10\r\n$4\r\nname\r\n$5\r\ncarol\r\n$9\r\nseen-time\r\n:CAROL\r\n$11\r\nactive-time\r\n\
:CAROL_ACTIVE\r\n$9\r\npel-count\r\n:0\r\n$7\r\npending\r\n*0\r\n*14\r\n$4\r\nname\r\n$3\r\ngrp\r\n$17\r\n\
last-delivered-id\r\n$3\r\n1-1\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n$9\r\npel-count\r\n:0\r\n$7\r\n\
pending\r\n*0\r\n$9\r\nconsumers\r\n*0\r\n";

#[test]
fn redis_payloads_restore_as_redis_72_shows_them() {
    let mut c = TestConn::new();
    let cases = [
        (REDIS72_GROUPS, ["1795266271723", "1795266271735", "1795266271743", "-1"]),
        (REDIS70_GROUPS, ["1795266271679", "1795266271691", "1795266271701", "1795266271701"]),
    ];
    for (payload, [alice, bob, carol, carol_active]) in cases {
        c.cmd(&["DEL", "k"]);
        assert_eq!(c.cmd_bytes(&[b"RESTORE", b"k", b"0", &hex(payload)]), b"+OK\r\n");
        let expected = XINFO_72
            .replace("CAROL_ACTIVE", carol_active)
            .replace("ALICE", alice)
            .replace("BOB", bob)
            .replace("CAROL", carol);
        assert_eq!(c.cmd(&["XINFO", "STREAM", "k", "FULL"]), expected);
    }
    // Saved again as type 19, the 7.0 payload comes out as it went in.
    assert_eq!(dump_of(stream_at(&c, "k")), hex(REDIS70_GROUPS));
}

#[test]
fn empty_streams_round_trip() {
    let mut c = TestConn::new();
    run(&mut c, &["XADD a MAXLEN 0 7-1 f v", "XGROUP CREATE b g $ MKSTREAM", "XGROUP CREATE a g 7-1 ENTRIESREAD 1"]);
    for key in ["a", "b"] {
        let s = stream_at(&c, key);
        assert!(s.is_empty());
        assert_round_trips(s);
    }
    let payload = c.cmd_bytes(&[b"DUMP", b"a"]);
    let payload = &payload[payload.iter().position(|&b| b == b'\n').unwrap() + 1..payload.len() - 2];
    assert_eq!(c.cmd_bytes(&[b"RESTORE", b"a2", b"0", payload]), b"+OK\r\n");
    assert_eq!(c.cmd(&["XINFO", "STREAM", "a2"]), c.cmd(&["XINFO", "STREAM", "a"]));
    assert_eq!(c.cmd(&["EXISTS", "a2"]), ":1\r\n");
}

#[test]
fn deleted_entries_and_counters_round_trip() {
    let mut c = TestConn::new();
    run(&mut c, &["XADD s 1-1 a 1 b 2", "XADD s 1-2 a 3 b 4", "XADD s 2-0 c 5", "XADD s 3-0 a 6 b 7"]);
    run(&mut c, &["XDEL s 1-1 2-0", "XSETID s 9-9 ENTRIESADDED 40 MAXDELETEDID 3-0"]);
    let s = stream_at(&c, "s");
    assert_eq!((s.len(), s.node_count()), (2, 1));
    let described = describe(s, true);
    assert!(described.contains("1-1 del=true same=true"), "{described}");
    assert!(described.contains("2-0 del=true same=false"), "{described}");
    assert_round_trips(s);
}

#[test]
fn groups_with_pending_entries_and_consumers_round_trip() {
    let mut c = TestConn::new();
    for i in 1..=20 {
        c.cmd(&["XADD", "s", &format!("{i}-0"), "f", &i.to_string()]);
    }
    run(&mut c, &["XGROUP CREATE s g1 0", "XGROUP CREATE s g0 5-0", "XGROUP CREATE s empty $"]);
    run(&mut c, &["XREADGROUP GROUP g1 alice COUNT 5 STREAMS s >"]);
    c.advance(1000);
    run(&mut c, &["XREADGROUP GROUP g1 bob COUNT 5 STREAMS s >", "XACK s g1 2-0 7-0"]);
    c.advance(500);
    run(&mut c, &["XCLAIM s g1 carol 0 3-0 RETRYCOUNT 7", "XREADGROUP GROUP g0 alice STREAMS s >"]);
    run(&mut c, &["XGROUP CREATECONSUMER s g1 idle", "XDEL s 4-0 5-0"]);
    let s = stream_at(&c, "s");
    assert_eq!(s.groups.len(), 3);
    let payload = assert_round_trips(s);
    // Restored through the command, every view of the groups matches.
    assert_eq!(c.cmd_bytes(&[b"RESTORE", b"t", b"0", &payload]), b"+OK\r\n");
    for view in [
        vec!["XPENDING", "KEY", "g1", "-", "+", "100"],
        vec!["XPENDING", "KEY", "g0"],
        vec!["XINFO", "GROUPS", "KEY"],
        vec!["XRANGE", "KEY", "-", "+"],
    ] {
        let on = |key: &'static str| view.iter().map(|a| if *a == "KEY" { key } else { a }).collect::<Vec<_>>();
        assert_eq!(c.cmd(&on("t")), c.cmd(&on("s")), "{view:?}");
    }
}

/// A stream of many nodes: mixed fields, integers of every width, values
/// too big for a node, and deletions.
fn big_stream(c: &mut TestConn) {
    let big = "y".repeat(5000);
    for i in 0..1500u64 {
        let id = format!("{}-{}", 1_000 + i / 3, i % 3);
        let n = (i as i64 * 7919 - 5_000_000).to_string();
        let args: Vec<&str> = match i % 5 {
            0 => vec!["XADD", "big", &id, "name", "alpha", "n", &n],
            1 => vec!["XADD", "big", &id, "name", "beta", "n", "0"],
            2 => vec!["XADD", "big", &id, "other", &n],
            3 if i % 50 == 3 => vec!["XADD", "big", &id, "blob", &big],
            _ => vec!["XADD", "big", &id, "name", "", "n", "-9223372036854775808", "x", "18446744073709551616"],
        };
        assert!(!c.cmd(&args).starts_with('-'));
    }
    for i in (0..1500u64).step_by(7) {
        c.cmd(&["XDEL", "big", &format!("{}-{}", 1_000 + i / 3, i % 3)]);
    }
}

#[test]
fn big_streams_spanning_nodes_round_trip() {
    let mut c = TestConn::new();
    big_stream(&mut c);
    let s = stream_at(&c, "big");
    assert!(s.node_count() > 20, "{} nodes", s.node_count());
    let payload = assert_round_trips(s);
    assert_eq!(c.cmd_bytes(&[b"RESTORE", b"copy", b"0", &payload]), b"+OK\r\n");
    assert_eq!(c.cmd(&["XRANGE", "copy", "-", "+"]), c.cmd(&["XRANGE", "big", "-", "+"]));
    assert_eq!(c.cmd(&["XINFO", "STREAM", "copy"]), c.cmd(&["XINFO", "STREAM", "big"]));
    // Appending after a load splits nodes where the original would.
    for key in ["copy", "big"] {
        for i in 0..300 {
            c.cmd(&["XADD", key, "*", "k", &"z".repeat(i)]);
        }
    }
    assert_eq!(stream_at(&c, "copy").node_count(), stream_at(&c, "big").node_count());
}

/// The type 15 form (Redis 5 to 6.2) of `s`: no first ID, deleted ID,
/// entries-added or group read counters, no active times.
fn old_form(s: &Stream) -> Vec<u8> {
    let mut out = vec![kind::STREAM_LISTPACKS];
    put_len(&mut out, s.node_count() as u64);
    for (&master, node) in s.node_map() {
        put_string(&mut out, &raw_id(master), false);
        put_string(&mut out, &node_listpack(master, node), false);
    }
    put_len(&mut out, s.len());
    put_id(&mut out, s.last_id);
    put_len(&mut out, s.groups.len() as u64);
    for (name, g) in &s.groups {
        put_string(&mut out, name, false);
        put_id(&mut out, g.last_id);
        put_len(&mut out, g.pel.len() as u64);
        for (&id, p) in &g.pel {
            out.extend_from_slice(&raw_id(id));
            out.extend_from_slice(&p.delivery_time.to_le_bytes());
            put_len(&mut out, p.delivery_count);
        }
        put_len(&mut out, g.consumers.len() as u64);
        for (name, c) in &g.consumers {
            put_string(&mut out, name, false);
            out.extend_from_slice(&c.seen_time.to_le_bytes());
            put_len(&mut out, c.pel.len() as u64);
            for &id in &c.pel {
                out.extend_from_slice(&raw_id(id));
            }
        }
    }
    out
}

fn load_body(body: &[u8]) -> RdbResult<Stream> {
    let limits = EncodingLimits::default();
    let mut src = Source::new(body);
    let kind = src.u8()?;
    match load_value_of(kind, &mut src, &limits)? {
        Some(Value::Stream(s)) if src.is_at_end() => Ok(*s),
        _ => Err(RdbError::at(src.pos, "bytes left over")),
    }
}

fn load_value_of(kind: u8, src: &mut Source, limits: &EncodingLimits) -> RdbResult<Option<Value>> {
    super::super::load_value(kind, src, &LoadCtx { limits })
}

#[test]
fn the_pre_7_form_loads_with_derived_counters() {
    let mut c = TestConn::new();
    run(&mut c, &["XADD s 1-0 f a", "XADD s 2-0 f b", "XADD s 3-0 f c", "XDEL s 1-0"]);
    run(&mut c, &["XGROUP CREATE s g 2-0", "XGROUP CREATE s h 0", "XREADGROUP GROUP h alice COUNT 1 STREAMS s >"]);
    let s = stream_at(&c, "s");
    let old = load_body(&old_form(s)).unwrap();
    assert_eq!((old.len(), old.entries_added), (2, 2));
    assert_eq!(old.first_id, StreamId::new(2, 0));
    assert!(old.max_deleted_id.is_zero());
    // Group read counters are estimated as Redis 7 does on migration.
    assert_eq!(old.groups[&b"g"[..]].entries_read, 1);
    assert_eq!(old.groups[&b"h"[..]].entries_read, 1);
    assert_eq!(old.groups[&b"h"[..]].pel[&StreamId::new(2, 0)].consumer, b"alice");
}

#[test]
fn damaged_payloads_are_errors_never_panics() {
    let mut c = TestConn::new();
    run(&mut c, &["XADD s 1-1 f v n 5", "XADD s 1-2 f w n 600", "XADD s 2-0 other 1", "XADD s 3-0 f x n -70000"]);
    run(&mut c, &["XGROUP CREATE s g 0", "XREADGROUP GROUP g a COUNT 2 STREAMS s >", "XDEL s 1-2"]);
    run(&mut c, &["XREADGROUP GROUP g b STREAMS s >", "XGROUP CREATECONSUMER s g idle"]);
    let payload = dump_of(stream_at(&c, "s"));
    let limits = EncodingLimits::default();
    let body = payload.len() - 10;
    // Cut anywhere: the footer moves, so checksum off to reach the parser.
    for cut in 1..body {
        let mut p = payload[..cut].to_vec();
        p.extend_from_slice(&payload[body..body + 2]);
        p.extend_from_slice(&[0; 8]);
        assert!(dump::restore(&p, &limits, false).is_err(), "cut at {cut}");
    }
    let mut loaded = 0;
    for i in 0..body {
        for change in [0x01u8, 0x02, 0x10, 0x80, 0xff] {
            let mut p = payload.clone();
            p[i] ^= change;
            let crc = crc64::crc64(&p[..p.len() - 8]);
            let n = p.len();
            p[n - 8..].copy_from_slice(&crc.to_le_bytes());
            if let Ok(Value::Stream(s)) = dump::restore(&p, &limits, true) {
                // Whatever loads is consistent enough to save and load again.
                loaded += 1;
                assert_round_trips(&s);
            }
        }
    }
    assert!(loaded > 0, "changed value bytes and times still load");
}

/// A type 19 body from parts, for building inconsistent streams.
fn body_of(nodes: &[(StreamId, Vec<u8>)], length: u64, last: StreamId, groups: &[u8]) -> Vec<u8> {
    let mut out = vec![kind::STREAM_LISTPACKS_2];
    put_len(&mut out, nodes.len() as u64);
    for (master, lp) in nodes {
        put_string(&mut out, &raw_id(*master), false);
        put_string(&mut out, lp, false);
    }
    put_len(&mut out, length);
    put_id(&mut out, last);
    put_id(&mut out, StreamId::MIN);
    put_id(&mut out, StreamId::MIN);
    put_len(&mut out, length);
    out.extend_from_slice(groups);
    out
}

/// A node listpack of single-field entries: (ms delta, seq delta, flags).
fn node_lp(live: i64, deleted: i64, entries: &[(i64, i64, i64)], lp_count: i64) -> Vec<u8> {
    let mut lp = listpack::Builder::new();
    for n in [live, deleted, 1] {
        lp.push_int(n);
    }
    lp.push(b"f");
    lp.push_int(0);
    for &(ms, seq, flags) in entries {
        lp.push_int(flags);
        lp.push_int(ms);
        lp.push_int(seq);
        lp.push(b"v");
        lp.push_int(lp_count);
    }
    lp.finish()
}

fn id(ms: u64, seq: u64) -> StreamId {
    StreamId::new(ms, seq)
}

/// One group "g" with the given PEL and consumers (name, owned IDs).
fn group_bytes(pel: &[StreamId], consumers: &[(&str, &[StreamId])]) -> Vec<u8> {
    let mut out = Vec::new();
    put_len(&mut out, 1);
    put_string(&mut out, b"g", false);
    put_id(&mut out, id(9, 0));
    put_len(&mut out, 0);
    put_len(&mut out, pel.len() as u64);
    for &p in pel {
        out.extend_from_slice(&raw_id(p));
        out.extend_from_slice(&5i64.to_le_bytes());
        put_len(&mut out, 1);
    }
    put_len(&mut out, consumers.len() as u64);
    for (name, owned) in consumers {
        put_string(&mut out, name.as_bytes(), false);
        out.extend_from_slice(&5i64.to_le_bytes());
        put_len(&mut out, owned.len() as u64);
        for &o in *owned {
            out.extend_from_slice(&raw_id(o));
        }
    }
    out
}

fn error_of(body: &[u8]) -> String {
    match load_body(body) {
        Ok(s) => panic!("loaded: {}", describe(&s, true)),
        Err(e) => e.reason,
    }
}

#[test]
fn inconsistent_streams_are_refused() {
    let same = FLAG_SAME_FIELDS;
    let good = node_lp(2, 0, &[(0, 0, same), (1, 0, same)], 4);
    let no_groups = [0u8];
    // The well-formed base loads.
    let s = load_body(&body_of(&[(id(1, 0), good.clone())], 2, id(2, 0), &no_groups)).unwrap();
    assert_eq!(s.len(), 2);

    let cases: Vec<(Vec<u8>, &str)> = vec![
        (body_of(&[(id(1, 0), good.clone())], 3, id(2, 0), &no_groups), "stream length 3"),
        (body_of(&[(id(1, 0), good.clone())], 2, id(1, 5), &no_groups), "last ID is below"),
        (
            body_of(&[(id(1, 0), good.clone()), (id(1, 5), good.clone())], 4, id(9, 0), &no_groups),
            "out of order or repeated",
        ),
        (body_of(&[(id(1, 0), node_lp(2, 0, &[(0, 0, same), (1, 0, same)], 5))], 2, id(2, 0), &no_groups), "items"),
        (body_of(&[(id(1, 0), node_lp(3, 0, &[(0, 0, same), (1, 0, same)], 4))], 2, id(2, 0), &no_groups), "counts"),
        (body_of(&[(id(1, 0), node_lp(2, 0, &[(0, 0, same), (0, 0, same)], 4))], 2, id(2, 0), &no_groups), "order"),
        (body_of(&[(id(1, 0), node_lp(1, 0, &[(0, 0, 8)], 4))], 1, id(2, 0), &no_groups), "unknown entry flags"),
        (body_of(&[(id(1, 0), node_lp(0, 1, &[(0, 0, same | 1)], 4))], 0, id(2, 0), &no_groups), "without live"),
        (
            body_of(&[(id(1, 0), good.clone())], 2, id(2, 0), &group_bytes(&[id(1, 0)], &[])),
            "PEL entry without consumer",
        ),
        (
            body_of(&[(id(1, 0), good.clone())], 2, id(2, 0), &group_bytes(&[id(1, 0)], &[("a", &[id(2, 0)])])),
            "not found in group global PEL",
        ),
        (
            body_of(
                &[(id(1, 0), good.clone())],
                2,
                id(2, 0),
                &group_bytes(&[id(1, 0)], &[("a", &[id(1, 0)]), ("b", &[id(1, 0)])]),
            ),
            "owned by two consumers",
        ),
        (
            body_of(&[(id(1, 0), good.clone())], 2, id(2, 0), &group_bytes(&[id(1, 0), id(1, 0)], &[])),
            "duplicated global PEL entry",
        ),
        (
            body_of(&[(id(1, 0), good.clone())], 2, id(2, 0), &group_bytes(&[], &[("a", &[]), ("a", &[])])),
            "duplicate stream consumer",
        ),
    ];
    for (body, expected) in cases {
        let err = error_of(&body);
        assert!(err.contains(expected), "expected {expected:?}, got {err:?}");
    }
    // Two groups of one name.
    let mut twice = group_bytes(&[], &[]);
    let one = twice[1..].to_vec();
    twice[0] = 2;
    twice.extend_from_slice(&one);
    assert!(error_of(&body_of(&[(id(1, 0), good)], 2, id(2, 0), &twice)).contains("duplicated consumer group"));
}

#[test]
fn files_with_streams_round_trip() {
    use crate::keyspace::db::Tracking;
    use crate::persistence::rdb::reader::{load, LoadOptions};
    use crate::persistence::rdb::writer::{write, DbRef, SaveOptions};

    let mut c = TestConn::new();
    big_stream(&mut c);
    run(&mut c, &["XGROUP CREATE big g 0", "XREADGROUP GROUP g a COUNT 3 STREAMS big >", "SET plain x"]);
    let db = &c.engine.server.dbs[0];
    let refs = [DbRef { index: 0, keys: db.keys(), expires: db.expires() }];
    let opts = SaveOptions {
        compress: true,
        checksum: true,
        access: None,
        list_fill: -2,
        now_ms: c.now(),
        used_mem: 0,
        redis_version: "7.2.4",
        aof_base: false,
    };
    let mut file = Vec::new();
    write(&mut file, &refs, &opts).unwrap();
    let load_opts = LoadOptions {
        databases: 16,
        limits: EncodingLimits::default(),
        now_ms: c.now(),
        tracking: Tracking::Lru,
        verify_checksum: true,
        drop_expired: true,
    };
    let loaded = load(&file, &load_opts, None).unwrap();
    let back = match loaded.dbs[0].keys().get(&b"big"[..]) {
        Some(Value::Stream(s)) => s,
        _ => panic!("the stream did not load"),
    };
    assert_eq!(describe(back, false), describe(stream_at(&c, "big"), false));
    assert_eq!(loaded.keys_loaded, 2);
}

#[test]
fn restore_serves_clients_blocked_on_the_key() {
    let mut c = TestConn::new();
    run(&mut c, &["XADD src 1-1 f v", "RPUSH list a"]);
    let stream_payload = dump_of(stream_at(&c, "src"));
    let list_payload = c.cmd_bytes(&[b"DUMP", b"list"]);
    let list_payload =
        &list_payload[list_payload.iter().position(|&b| b == b'\n').unwrap() + 1..list_payload.len() - 2];
    let (a, b) = (c.connect(), c.connect());
    assert_eq!(c.cmd_on(a, &["XREAD", "BLOCK", "0", "STREAMS", "s", "$"]), "");
    assert_eq!(c.cmd_on(b, &["BLPOP", "l", "0"]), "");
    assert_eq!(c.cmd_bytes(&[b"RESTORE", b"s", b"0", &stream_payload]), b"+OK\r\n");
    assert_eq!(c.cmd_bytes(&[b"RESTORE", b"l", b"0", list_payload]), b"+OK\r\n");
    let served: Vec<(u32, String)> = c
        .engine
        .take_events()
        .deliveries()
        .into_iter()
        .map(|(h, r)| (h, String::from_utf8_lossy(&r).into_owned()))
        .collect();
    let xread = "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n";
    assert_eq!(served, vec![(a, xread.to_string()), (b, "*2\r\n$1\r\nl\r\n$1\r\na\r\n".to_string())]);
}
