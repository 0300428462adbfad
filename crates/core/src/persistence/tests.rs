//! The format end to end: every type and encoding written and read back,
//! old encodings Redis wrote in earlier versions, and corrupt files (cut
//! anywhere, any byte changed, random mutations) refused with an error,
//! never a panic.

use super::rdb::encoding::{put_len, put_string};
use super::rdb::reader::{load, LoadOptions, Loaded};
use super::rdb::writer::{write, DbRef, SaveOptions};
use super::rdb::{kind, listpack, opcode, ziplist};
use crate::config::EncodingLimits;
use crate::keyspace::db::Tracking;
use crate::keyspace::Db;
use crate::testing::TestConn;
use crate::types::set::Member;
use crate::types::Value;
use crate::util::rng::Rng;

fn save_opts() -> SaveOptions {
    SaveOptions {
        compress: true,
        checksum: true,
        access: None,
        list_fill: -2,
        now_ms: 1_700_000_000_000,
        used_mem: 0,
        redis_version: "7.2.4",
        aof_base: false,
    }
}

fn load_opts() -> LoadOptions {
    LoadOptions {
        databases: 16,
        limits: EncodingLimits::default(),
        now_ms: 1_700_000_000_000,
        tracking: Tracking::Lru,
        verify_checksum: true,
        drop_expired: true,
    }
}

fn file_of(dbs: &[Db], opts: &SaveOptions) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, &DbRef::all(dbs), opts).unwrap();
    out
}

/// A value's type, encoding and contents in a canonical text (unordered
/// collections sorted), for comparing two databases.
fn describe(v: &Value) -> String {
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let body = match v {
        Value::Str(s) => s.with_bytes(text),
        Value::List(l) => l.iter().map(|e| text(&e)).collect::<Vec<_>>().join(","),
        Value::Hash(h) => {
            let mut pairs: Vec<String> = h.iter().map(|(f, v)| format!("{}={}", text(f), text(v))).collect();
            if !h.is_listpack() {
                pairs.sort();
            }
            pairs.join(",")
        }
        Value::Set(s) => {
            let mut m: Vec<String> = s.iter().map(|m| m.with_bytes(text)).collect();
            m.sort();
            m.join(",")
        }
        Value::ZSet(z) => z.iter().map(|(m, s)| format!("{}:{s}", text(m))).collect::<Vec<_>>().join(","),
        // Types without a codec here never reach these tests.
        #[allow(unreachable_patterns)]
        other => other.type_name().to_string(),
    };
    format!("{}/{}/{body}", v.type_name(), v.encoding())
}

fn describe_db(db: &Db) -> Vec<String> {
    let mut keys: Vec<String> = db
        .keys()
        .iter()
        .map(|(k, v)| format!("{}@{:?} {}", String::from_utf8_lossy(k), db.expire_at(k), describe(v)))
        .collect();
    keys.sort();
    keys
}

/// A server holding every type in every encoding, with deadlines, in
/// several databases.
fn populated() -> TestConn {
    let mut c = TestConn::new();
    let far = (c.now() + 3_600_000).to_string();
    let big = "x".repeat(5000);
    let cmds: Vec<Vec<String>> = vec![
        vec!["SET".into(), "int".into(), "12345".into()],
        vec!["SET".into(), "negint".into(), "-9223372036854775808".into()],
        vec!["SET".into(), "emb".into(), "hello".into()],
        vec!["SET".into(), "raw".into(), big.clone()],
        vec!["SET".into(), "empty".into(), "".into()],
        vec!["SET".into(), "bin".into(), "\u{0}\u{1}\u{ff}".into()],
        vec!["RPUSH".into(), "lp".into(), "a".into(), "1".into(), "-5000".into(), "b".into()],
        vec!["SADD".into(), "ints".into(), "1".into(), "-70000".into(), "5".into()],
        vec!["SADD".into(), "spack".into(), "a".into(), "b".into(), "3".into()],
        vec!["HSET".into(), "hlp".into(), "f".into(), "v".into(), "n".into(), "7".into()],
        vec![
            "ZADD".into(),
            "zlp".into(),
            "1".into(),
            "a".into(),
            "2.5".into(),
            "b".into(),
            "-inf".into(),
            "c".into(),
            "1e300".into(),
            "d".into(),
        ],
        vec!["PEXPIREAT".into(), "emb".into(), far.clone()],
        vec!["PEXPIREAT".into(), "zlp".into(), far.clone()],
    ];
    for cmd in &cmds {
        let args: Vec<&str> = cmd.iter().map(String::as_str).collect();
        let r = c.cmd(&args);
        assert!(!r.starts_with('-'), "{cmd:?}: {r}");
    }
    for i in 0..3000 {
        let (m, s) = (format!("m{i}"), format!("{}", i as f64 / 7.0));
        c.cmd(&["RPUSH", "quick", &m]);
        c.cmd(&["HSET", "htable", &m, &s]);
        c.cmd(&["SADD", "stable", &m]);
        c.cmd(&["SADD", "bigints", &i.to_string()]);
        c.cmd(&["ZADD", "zskip", &s, &m]);
    }
    c.cmd(&["RPUSH", "quick", &big]);
    c.cmd(&["SELECT", "3"]);
    c.cmd(&["SET", "db3", "three"]);
    c.cmd(&["PEXPIREAT", "db3", &far]);
    c.cmd(&["SELECT", "15"]);
    c.cmd(&["LPUSH", "db15", "x"]);
    c.cmd(&["SELECT", "0"]);
    c
}

/// The error loading `bytes` reports (the load must fail).
fn load_error(bytes: &[u8]) -> String {
    match load(bytes, &load_opts(), None) {
        Ok(_) => panic!("a bad file loaded"),
        Err(e) => e.reason,
    }
}

fn loaded_of(bytes: &[u8]) -> Loaded {
    load(bytes, &load_opts(), None).unwrap_or_else(|e| panic!("load failed: {e}"))
}

#[test]
fn every_type_and_encoding_round_trips() {
    let c = populated();
    let dbs = &c.engine.server.dbs;
    let encodings: Vec<&str> = dbs[0].keys().iter().map(|(_, v)| v.encoding()).collect();
    for enc in ["int", "embstr", "raw", "listpack", "quicklist", "intset", "hashtable", "skiplist"] {
        assert!(encodings.contains(&enc), "the fixture lacks {enc}");
    }
    for compress in [true, false] {
        let opts = SaveOptions { compress, ..save_opts() };
        let bytes = file_of(dbs, &opts);
        assert_eq!(&bytes[..9], b"REDIS0010");
        let loaded = loaded_of(&bytes);
        assert_eq!(loaded.keys_loaded, dbs.iter().map(|d| d.len() as u64).sum::<u64>());
        for (i, db) in dbs.iter().enumerate() {
            assert_eq!(describe_db(&loaded.dbs[i]), describe_db(db), "db {i}, compress {compress}");
        }
        assert_eq!(loaded.consumed, bytes.len());
        let aux: Vec<&str> = loaded.aux.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(aux, ["redis-ver", "redis-bits", "ctime", "used-mem", "aof-base"]);
    }
}

#[test]
fn compression_shrinks_repetitive_strings() {
    let c = populated();
    let packed = file_of(&c.engine.server.dbs, &save_opts());
    let plain = file_of(&c.engine.server.dbs, &SaveOptions { compress: false, ..save_opts() });
    assert!(packed.len() < plain.len(), "{} vs {}", packed.len(), plain.len());
}

#[test]
fn expired_keys_are_dropped_on_load_and_counted() {
    let mut c = TestConn::new();
    c.cmd(&["SET", "gone", "v"]);
    c.cmd(&["SET", "kept", "v"]);
    let now = c.now();
    c.cmd(&["PEXPIREAT", "gone", &(now + 10).to_string()]);
    let bytes = file_of(&c.engine.server.dbs, &SaveOptions { now_ms: now, ..save_opts() });
    let loaded = load(&bytes, &LoadOptions { now_ms: now + 10, ..load_opts() }, None).unwrap();
    assert_eq!((loaded.keys_loaded, loaded.keys_expired), (1, 1));
    assert!(loaded.dbs[0].keys().contains(b"kept"));
}

#[test]
fn idle_times_and_frequencies_are_saved_under_eviction_policies() {
    let mut c = TestConn::new();
    c.cmd(&["SET", "k", "v"]);
    let now = c.now() + 500_000;
    let opts = SaveOptions { access: Some(Tracking::Lru), now_ms: now, ..save_opts() };
    let bytes = file_of(&c.engine.server.dbs, &opts);
    assert!(bytes.windows(1).any(|w| w[0] == opcode::IDLE));
    let loaded = load(&bytes, &LoadOptions { now_ms: now, ..load_opts() }, None).unwrap();
    assert_eq!(loaded.dbs[0].idle_ms(b"k", now), Some(500_000));
    let lfu = Tracking::LFU_DEFAULT;
    let bytes = file_of(&c.engine.server.dbs, &SaveOptions { access: Some(lfu), ..save_opts() });
    let loaded = load(&bytes, &LoadOptions { tracking: lfu, ..load_opts() }, None).unwrap();
    assert!(loaded.dbs[0].keys().contains(b"k"));
}

/// A file with the given value records (type byte, key, encoded value).
fn handmade(version: u16, records: &[(u8, &[u8], Vec<u8>)]) -> Vec<u8> {
    let mut out = format!("REDIS{version:04}").into_bytes();
    out.push(opcode::SELECTDB);
    put_len(&mut out, 0);
    for (kind, key, body) in records {
        out.push(*kind);
        put_string(&mut out, key, false);
        out.extend_from_slice(body);
    }
    out.push(opcode::EOF);
    if version >= 5 {
        let crc = super::crc64::crc64(&out);
        out.extend_from_slice(&crc.to_le_bytes());
    }
    out
}

fn string_body(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    put_string(&mut v, s, false);
    v
}

fn strings_body(items: &[&[u8]]) -> Vec<u8> {
    let mut v = Vec::new();
    put_len(&mut v, items.len() as u64);
    for i in items {
        put_string(&mut v, i, false);
    }
    v
}

#[test]
fn old_encodings_load() {
    let zl = ziplist::tests::build(&[b"a", b"1", b"b", b"2"]);
    let zm = ziplist::tests::build_zipmap(&[(b"f", b"v"), (b"g", b"w")]);
    let mut quick_v1 = Vec::new();
    put_len(&mut quick_v1, 2);
    put_string(&mut quick_v1, &ziplist::tests::build(&[b"x", b"y"]), false);
    put_string(&mut quick_v1, &ziplist::tests::build(&[b"z"]), false);
    let mut text_zset = Vec::new();
    put_len(&mut text_zset, 2);
    put_string(&mut text_zset, b"m", false);
    text_zset.extend_from_slice(&[3, b'1', b'.', b'5']);
    put_string(&mut text_zset, b"n", false);
    text_zset.push(254);
    let mut set_lp = listpack::Builder::new();
    set_lp.push(b"p");
    set_lp.push(b"q");
    let set_lp = set_lp.finish();
    let mut expiring = vec![opcode::EXPIRETIME];
    expiring.extend_from_slice(&2_000_000_000u32.to_le_bytes());
    for version in [3u16, 9, 11, 12] {
        let mut file = handmade(
            version,
            &[
                (kind::LIST, b"linked", strings_body(&[b"1", b"2"])),
                (kind::LIST_ZIPLIST, b"lzl", string_body(&zl)),
                (kind::LIST_QUICKLIST, b"q1", quick_v1.clone()),
                (kind::HASH_ZIPMAP, b"hzm", string_body(&zm)),
                (kind::HASH_ZIPLIST, b"hzl", string_body(&zl)),
                (kind::ZSET_ZIPLIST, b"zzl", string_body(&zl)),
                (kind::ZSET, b"ztext", text_zset.clone()),
                (kind::SET_LISTPACK, b"slp", string_body(&set_lp)),
                (kind::SET, b"splain", strings_body(&[b"x", b"7"])),
            ],
        );
        // A key with a deadline in seconds, as files before version 3 wrote them.
        let eof = file.iter().rposition(|&b| b == opcode::EOF).unwrap();
        let at = if version >= 5 { file.len() - 9 } else { eof };
        let mut record = expiring.clone();
        record.push(kind::STRING);
        put_string(&mut record, b"secs", false);
        put_string(&mut record, b"v", false);
        file.splice(at..at, record);
        if version >= 5 {
            let crc = super::crc64::crc64(&file[..file.len() - 8]);
            let n = file.len();
            file[n - 8..].copy_from_slice(&crc.to_le_bytes());
        }
        let loaded = loaded_of(&file);
        let db = &loaded.dbs[0];
        let got = describe_db(db);
        let expect = [
            "hzl@None hash/listpack/a=1,b=2",
            "hzm@None hash/listpack/f=v,g=w",
            "linked@None list/listpack/1,2",
            "lzl@None list/listpack/a,1,b,2",
            "q1@None list/listpack/x,y,z",
            "secs@Some(2000000000000) string/embstr/v",
            "slp@None set/listpack/p,q",
            "splain@None set/listpack/7,x",
            "ztext@None zset/listpack/m:1.5,n:inf",
            "zzl@None zset/listpack/a:1,b:2",
        ];
        assert_eq!(got, expect, "version {version}");
    }
}

#[test]
fn large_old_collections_take_their_big_encodings() {
    let members: Vec<Vec<u8>> =
        (0..600).map(|i| format!("member-{i}-long-enough-to-fill-nodes").into_bytes()).collect();
    let refs: Vec<&[u8]> = members.iter().map(Vec::as_slice).collect();
    let file = handmade(9, &[(kind::SET, b"s", strings_body(&refs)), (kind::LIST, b"l", strings_body(&refs))]);
    let loaded = loaded_of(&file);
    let db = &loaded.dbs[0];
    assert_eq!(db.keys().get(b"s").unwrap().encoding(), "hashtable");
    assert_eq!(db.keys().get(b"l").unwrap().encoding(), "quicklist");
    let Some(Value::Set(s)) = db.keys().get(b"s") else { panic!() };
    assert!(s.contains(Member::Bytes(b"member-599-long-enough-to-fill-nodes")));
}

#[test]
fn structural_errors_are_refused() {
    let dup = handmade(9, &[(kind::SET, b"s", strings_body(&[b"a", b"a"]))]);
    assert!(load_error(&dup).contains("duplicate set members"));
    let dup_key = handmade(9, &[(kind::STRING, b"k", string_body(b"1")), (kind::STRING, b"k", string_body(b"2"))]);
    assert!(load_error(&dup_key).contains("duplicated key 'k'"));
    let mut nan = Vec::new();
    put_len(&mut nan, 1);
    put_string(&mut nan, b"m", false);
    nan.extend_from_slice(&f64::NAN.to_le_bytes());
    let nan = handmade(9, &[(kind::ZSET_2, b"z", nan)]);
    assert!(load_error(&nan).contains("NaN"));
    // No nodes, yet a length of 1.
    let stream = handmade(9, &[(kind::STREAM_LISTPACKS_2, b"x", vec![0, 1])]);
    assert!(load_error(&stream).contains("stream length 1"));
    let future = handmade(13, &[]);
    assert!(load_error(&future).contains("version 13"));
    let mut many_dbs = b"REDIS0009".to_vec();
    many_dbs.extend_from_slice(&[opcode::SELECTDB, 20, opcode::EOF]);
    assert!(load_error(&many_dbs).contains("16 databases"));
    assert!(load(b"NOTREDIS0009", &load_opts(), None).is_err());
}

#[test]
fn empty_collections_are_skipped_like_redis() {
    let file = handmade(9, &[(kind::SET, b"s", strings_body(&[])), (kind::STRING, b"k", string_body(b"v"))]);
    let loaded = loaded_of(&file);
    assert_eq!(loaded.keys_loaded, 1);
}

#[test]
fn checksum_is_verified_unless_disabled_or_absent() {
    let c = populated();
    let mut bytes = file_of(&c.engine.server.dbs, &save_opts());
    let n = bytes.len();
    bytes[n - 1] ^= 1;
    assert!(load_error(&bytes).contains("wrong RDB checksum"));
    assert!(load(&bytes, &LoadOptions { verify_checksum: false, ..load_opts() }, None).is_ok());
    let unsummed = file_of(&c.engine.server.dbs, &SaveOptions { checksum: false, ..save_opts() });
    assert_eq!(&unsummed[unsummed.len() - 8..], &[0; 8]);
    assert!(loaded_of(&unsummed).checksum.is_none());
}

/// A small file with one key of each type, for the exhaustive corruption tests.
fn small_file() -> Vec<u8> {
    let mut c = TestConn::new();
    c.cmd(&["SET", "s", "value"]);
    c.cmd(&["SET", "n", "42"]);
    c.cmd(&["RPUSH", "l", "a", "b", "300"]);
    c.cmd(&["HSET", "h", "f", "v"]);
    c.cmd(&["SADD", "i", "1", "2"]);
    c.cmd(&["SADD", "t", "x", "y"]);
    c.cmd(&["ZADD", "z", "1.5", "m"]);
    c.cmd(&["PEXPIRE", "s", "100000"]);
    file_of(&c.engine.server.dbs, &SaveOptions { now_ms: c.now(), ..save_opts() })
}

#[test]
fn a_file_cut_anywhere_is_an_error() {
    let bytes = small_file();
    assert!(load(&bytes, &load_opts(), None).is_ok());
    for cut in 0..bytes.len() {
        assert!(load(&bytes[..cut], &load_opts(), None).is_err(), "cut at {cut} loaded");
    }
}

#[test]
fn every_byte_changed_is_an_error() {
    // With the checksum verified, any change must be refused; without it,
    // nothing may panic.
    let bytes = small_file();
    for i in 0..bytes.len() {
        for delta in [1u8, 0x80, 0xff] {
            let mut bad = bytes.clone();
            bad[i] = bad[i].wrapping_add(delta);
            assert!(load(&bad, &load_opts(), None).is_err(), "byte {i} + {delta} loaded");
            let _ = load(&bad, &LoadOptions { verify_checksum: false, ..load_opts() }, None);
        }
    }
}

#[test]
fn random_mutations_never_panic() {
    let base = small_file();
    let mut rng = Rng::new(0x5eed);
    let unchecked = LoadOptions { verify_checksum: false, ..load_opts() };
    for _ in 0..20_000 {
        let mut bad = base.clone();
        for _ in 0..1 + rng.next_u64() % 4 {
            let i = (rng.next_u64() as usize) % bad.len();
            match rng.next_u64() % 3 {
                0 => bad[i] = rng.next_u64() as u8,
                1 => {
                    bad.insert(i, rng.next_u64() as u8);
                }
                _ => {
                    bad.remove(i);
                }
            }
        }
        let _ = load(&bad, &unchecked, None);
    }
}

#[test]
fn check_reports_contents_or_the_problem() {
    let bytes = small_file();
    let report = super::check::check("dump.rdb", &bytes);
    assert!(report.ok);
    assert!(report.lines.iter().any(|l| l.contains("RDB looks OK")), "{:?}", report.lines);
    assert!(report.lines.iter().any(|l| l == "[info] 7 keys read"), "{:?}", report.lines);
    assert!(report.lines.iter().any(|l| l == "[info] 1 expires"), "{:?}", report.lines);
    let mut bad = bytes.clone();
    bad[20] ^= 0xff;
    let report = super::check::check("dump.rdb", &bad);
    assert!(!report.ok);
    assert!(report.lines.iter().any(|l| l == "--- RDB ERROR DETECTED ---"));
}

/// A dump.rdb that Redis 7.2.4 saved (version 11: a set listpack, a
/// function library, a key with a deadline, two databases).
const REDIS_72_FILE: &[u8] = include_bytes!("fixtures/redis-7.2.rdb");

#[test]
fn a_redis_7_2_file_loads() {
    let loaded = loaded_of(REDIS_72_FILE);
    assert_eq!(loaded.version, 11);
    assert_eq!(loaded.keys_loaded, 10);
    assert_eq!(loaded.warnings, ["skipped a function library: ferrokv has no functions"]);
    let got = describe_db(&loaded.dbs[0]);
    let big = "abc".repeat(200);
    let expect = [
        format!("big@None string/raw/{big}"),
        "hash@None hash/listpack/f=v,n=7".to_string(),
        "int@None string/int/42".to_string(),
        "intset@None set/intset/1,2,3".to_string(),
        "list@None list/listpack/a,b,1".to_string(),
        "str@None string/embstr/hello".to_string(),
        "strset@None set/listpack/a,b,c".to_string(),
        "ttl@Some(4102444800000) string/embstr/v".to_string(),
        "zset@None zset/listpack/m:1.5,n:2".to_string(),
    ];
    assert_eq!(got, expect);
    assert_eq!(describe_db(&loaded.dbs[3]), ["db3@None string/embstr/x"]);
    let report = super::check::check("redis-7.2.rdb", REDIS_72_FILE);
    assert!(report.ok, "{:?}", report.lines);
}

#[test]
fn bytes_after_the_checksum_are_left_to_the_caller() {
    // An AOF with an RDB preamble: the commands follow the file.
    let mut bytes = small_file();
    let file_len = bytes.len();
    bytes.extend_from_slice(b"*1\r\n$4\r\nPING\r\n");
    let loaded = loaded_of(&bytes);
    assert_eq!(loaded.consumed, file_len);
    let base = file_of(&[], &SaveOptions { aof_base: true, ..save_opts() });
    assert!(loaded_of(&base).aux.contains(&("aof-base".to_string(), "1".to_string())));
}

#[test]
fn mutated_dump_payloads_with_a_valid_checksum_never_panic() {
    // Re-checksummed after each mutation, so the value parser itself (not
    // just the CRC) meets the damage.
    let c = populated();
    let ctx = super::rdb::types::SaveCtx { compress: true, list_fill: -2 };
    let limits = EncodingLimits::default();
    let payloads: Vec<Vec<u8>> = ["lp", "ints", "spack", "hlp", "zlp", "int", "raw"]
        .iter()
        .map(|k| super::dump::dump(c.engine.server.dbs[0].keys().get(k.as_bytes()).unwrap(), &ctx).unwrap())
        .collect();
    let mut rng = Rng::new(42);
    let mut loaded = 0;
    for round in 0..30_000 {
        let mut p = payloads[round % payloads.len()].clone();
        let body = p.len() - 10;
        for _ in 0..1 + rng.next_u64() % 3 {
            let i = (rng.next_u64() as usize) % body;
            p[i] = rng.next_u64() as u8;
        }
        let crc = super::crc64::crc64(&p[..p.len() - 8]);
        let n = p.len();
        p[n - 8..].copy_from_slice(&crc.to_le_bytes());
        if let Ok(v) = super::dump::restore(&p, &limits, true) {
            // Whatever loaded is a well-formed value.
            assert!(!describe(&v).is_empty());
            loaded += 1;
        }
    }
    assert!(loaded > 0, "some mutations (in string bytes) still load");
}
