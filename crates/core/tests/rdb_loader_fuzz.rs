//! A seeded property test of the RDB file loader and the DUMP payload
//! decoder at scale: millions of inputs made by damaging small valid files
//! and payloads of every type and encoding ferrokv reads (strings raw, int
//! and LZF; quicklists, listpacks, intsets, hash tables, skiplists; and the
//! old ziplist, zipmap and linked-list forms of versions before 7.0).
//!
//! Each input is mutated (bytes changed, inserted, removed, lengths made
//! huge, truncated, spliced with another seed), then its checksum is
//! recomputed so the parser runs past the CRC into the damage. The
//! properties: the loader never panics; whatever it accepts is a database it
//! can write out again and read back with the same number of keys; a payload
//! RESTORE accepts dumps again.

use ferrokv_core::config::EncodingLimits;
use ferrokv_core::keyspace::db::Tracking;
use ferrokv_core::persistence::crc64::crc64;
use ferrokv_core::persistence::dump;
use ferrokv_core::persistence::rdb::encoding::{put_len, put_string};
use ferrokv_core::persistence::rdb::reader::{load, LoadOptions};
use ferrokv_core::persistence::rdb::types::SaveCtx;
use ferrokv_core::persistence::rdb::writer::{write, DbRef, SaveOptions};
use ferrokv_core::persistence::rdb::{kind, opcode};
use ferrokv_core::testing::TestConn;
use ferrokv_core::util::rng::Rng;

const NOW_MS: i64 = 1_700_000_000_000;

fn load_opts(verify_checksum: bool) -> LoadOptions {
    LoadOptions {
        databases: 16,
        limits: EncodingLimits::default(),
        now_ms: NOW_MS,
        tracking: Tracking::Lru,
        verify_checksum,
        drop_expired: true,
    }
}

fn save_opts() -> SaveOptions {
    SaveOptions {
        compress: true,
        checksum: true,
        access: None,
        list_fill: 2,
        now_ms: NOW_MS,
        used_mem: 0,
        redis_version: "7.2.4",
        aof_base: false,
    }
}

/// Runs commands on a fresh engine with small encoding limits (so tiny
/// collections still take their big encodings); the engine is the seed's source.
fn engine_with(cmds: &[&[&str]]) -> TestConn {
    let mut t = TestConn::new();
    for (name, value) in [
        ("hash-max-listpack-entries", "2"),
        ("zset-max-listpack-entries", "2"),
        ("set-max-listpack-entries", "2"),
        ("set-max-intset-entries", "2"),
        ("list-max-listpack-size", "2"),
    ] {
        ferrokv_core::commands::server::apply_config(&mut t.engine.server, name, value).unwrap();
    }
    for cmd in cmds {
        let reply = t.cmd(cmd);
        assert!(!reply.starts_with('-'), "{cmd:?}: {reply}");
    }
    t
}

fn file_of(t: &TestConn) -> Vec<u8> {
    let mut out = Vec::new();
    write(&mut out, &DbRef::all(&t.engine.server.dbs), &save_opts()).unwrap();
    out
}

const LONG: &str = "compressible compressible compressible compressible";

/// Small valid files written by ferrokv, one family (and encoding) each,
/// plus one holding a bit of everything across databases with deadlines.
fn written_seeds() -> Vec<Vec<u8>> {
    let groups: Vec<Vec<&[&str]>> = vec![
        vec![&["SET", "i", "12345"], &["SET", "s", "hello"], &["SET", "c", LONG], &["SET", "e", ""]],
        vec![&["RPUSH", "l", "a", "1"], &["RPUSH", "q", "a", "b", "c", "-70000", LONG]],
        vec![
            &["SADD", "is", "1", "2"],
            &["SADD", "bis", "1", "2", "3"],
            &["SADD", "ls", "a", "b"],
            &["SADD", "hs", "a", "b", "c"],
        ],
        vec![&["HSET", "hl", "f", "v"], &["HSET", "ht", "a", "1", "b", "2", "c", LONG]],
        vec![&["ZADD", "zl", "1", "a", "2.5", "b"], &["ZADD", "zs", "1", "a", "-inf", "b", "1e300", "c"]],
        vec![
            &["SET", "k", "v", "PX", "100000"],
            &["SELECT", "3"],
            &["RPUSH", "l", "x"],
            &["HSET", "h", "f", "1"],
            &["ZADD", "z", "3", "m"],
            &["SADD", "s", "7"],
            &["PEXPIRE", "l", "50000"],
        ],
    ];
    groups.iter().map(|cmds| file_of(&engine_with(cmds))).collect()
}

/// A ziplist of short strings, as Redis before 7.0 wrote it.
fn ziplist(items: &[&[u8]]) -> Vec<u8> {
    let mut entries = Vec::new();
    let mut prev_len = 0usize;
    let mut tail = 10;
    for item in items {
        tail = 10 + entries.len();
        let start = entries.len();
        entries.push(prev_len as u8);
        entries.push(item.len() as u8); // 00pppppp: a string under 64 bytes
        entries.extend_from_slice(item);
        prev_len = entries.len() - start;
    }
    let total = 10 + entries.len() + 1;
    let mut zl = Vec::with_capacity(total);
    zl.extend_from_slice(&(total as u32).to_le_bytes());
    zl.extend_from_slice(&(tail as u32).to_le_bytes());
    zl.extend_from_slice(&(items.len() as u16).to_le_bytes());
    zl.extend_from_slice(&entries);
    zl.push(0xff);
    zl
}

/// A zipmap (hashes before Redis 2.6).
fn zipmap(pairs: &[(&[u8], &[u8])]) -> Vec<u8> {
    let mut zm = vec![pairs.len() as u8];
    for (k, v) in pairs {
        zm.push(k.len() as u8);
        zm.extend_from_slice(k);
        zm.push(v.len() as u8);
        zm.push(0); // free bytes after the value
        zm.extend_from_slice(v);
    }
    zm.push(0xff);
    zm
}

fn string_body(s: &[u8]) -> Vec<u8> {
    let mut v = Vec::new();
    put_string(&mut v, s, false);
    v
}

/// Files in the old encodings, written by hand as older Redis versions did.
fn legacy_seeds() -> Vec<Vec<u8>> {
    let zl = ziplist(&[b"a", b"1", b"b", b"2"]);
    let zm = zipmap(&[(b"f", b"v"), (b"g", b"w")]);
    let mut linked = Vec::new();
    put_len(&mut linked, 2);
    put_string(&mut linked, b"1", false);
    put_string(&mut linked, b"x", false);
    let mut quick_v1 = Vec::new();
    put_len(&mut quick_v1, 2);
    put_string(&mut quick_v1, &ziplist(&[b"x", b"y"]), false);
    put_string(&mut quick_v1, &ziplist(&[b"z"]), false);
    let mut text_zset = Vec::new();
    put_len(&mut text_zset, 2);
    put_string(&mut text_zset, b"m", false);
    text_zset.extend_from_slice(&[3, b'1', b'.', b'5']);
    put_string(&mut text_zset, b"n", false);
    text_zset.push(254); // the text form of +inf
    let mut intset = Vec::new();
    intset.extend_from_slice(&2u32.to_le_bytes());
    intset.extend_from_slice(&2u32.to_le_bytes());
    intset.extend_from_slice(&1i16.to_le_bytes());
    intset.extend_from_slice(&7i16.to_le_bytes());
    let records: Vec<(u8, &[u8], Vec<u8>)> = vec![
        (kind::LIST, b"linked", linked),
        (kind::LIST_ZIPLIST, b"lzl", string_body(&zl)),
        (kind::LIST_QUICKLIST, b"q1", quick_v1),
        (kind::HASH_ZIPMAP, b"hzm", string_body(&zm)),
        (kind::HASH_ZIPLIST, b"hzl", string_body(&zl)),
        (kind::ZSET_ZIPLIST, b"zzl", string_body(&ziplist(&[b"a", b"1", b"b", b"2"]))),
        (kind::ZSET, b"ztext", text_zset),
        (kind::SET_INTSET, b"iset", string_body(&intset)),
    ];
    [3u16, 6, 9].iter().map(|&v| handmade(v, &records)).collect()
}

fn handmade(version: u16, records: &[(u8, &[u8], Vec<u8>)]) -> Vec<u8> {
    let mut out = format!("REDIS{version:04}").into_bytes();
    out.push(opcode::SELECTDB);
    put_len(&mut out, 0);
    let mut deadline = vec![opcode::EXPIRETIME_MS];
    deadline.extend_from_slice(&(NOW_MS + 60_000).to_le_bytes());
    for (i, (kind, key, body)) in records.iter().enumerate() {
        if i == 1 {
            out.extend_from_slice(&deadline);
        }
        out.push(*kind);
        put_string(&mut out, key, false);
        out.extend_from_slice(body);
    }
    out.push(opcode::EOF);
    if version >= 5 {
        out.extend_from_slice(&crc64(&out).to_le_bytes());
    }
    out
}

/// The file Redis 7.2.4 saved that the loader's own tests read.
const REDIS_72_FILE: &[u8] = include_bytes!("../src/persistence/fixtures/redis-7.2.rdb");

/// DUMP payloads of every value in the written seeds.
fn payload_seeds() -> Vec<Vec<u8>> {
    let ctx = SaveCtx { compress: true, list_fill: 2 };
    let mut payloads = Vec::new();
    for file in written_seeds() {
        let loaded = load(&file, &load_opts(true), None).unwrap();
        for db in &loaded.dbs {
            for (_, value) in db.keys().iter() {
                payloads.push(dump::dump(value, &ctx).unwrap());
            }
        }
    }
    payloads
}

/// Damages `input` in one to four ways.
fn mutate(rng: &mut Rng, input: &mut Vec<u8>, donors: &[Vec<u8>]) {
    for _ in 0..1 + rng.next_u64() % 4 {
        if input.is_empty() {
            input.push(rng.next_u64() as u8);
        }
        let i = (rng.next_u64() as usize) % input.len();
        match rng.next_u64() % 9 {
            0 => input[i] = rng.next_u64() as u8,
            1 => input[i] ^= 1 << (rng.next_u64() % 8),
            2 => input.insert(i, rng.next_u64() as u8),
            3 => {
                input.remove(i);
            }
            4 => input.truncate(i),
            5 => {
                // A length prefix made huge: 32- or 64-bit lengths, or a special encoding.
                const HOSTILE: [&[u8]; 5] = [
                    &[0x80, 0xff, 0xff, 0xff, 0xff],
                    &[0x81, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
                    &[0xc3],
                    &[0xff],
                    &[0x3f, 0xff],
                ];
                let h = HOSTILE[(rng.next_u64() as usize) % HOSTILE.len()];
                let end = (i + h.len()).min(input.len());
                input.splice(i..end, h.iter().copied());
            }
            6 => {
                // Splice a piece of another seed in.
                let donor = &donors[(rng.next_u64() as usize) % donors.len()];
                if !donor.is_empty() {
                    let a = (rng.next_u64() as usize) % donor.len();
                    let b = (a + 1 + (rng.next_u64() as usize) % 24).min(donor.len());
                    let end = (i + (rng.next_u64() as usize) % 8).min(input.len());
                    input.splice(i..end, donor[a..b].iter().copied());
                }
            }
            7 => {
                // Repeat a stretch (counts that disagree with contents).
                let end = (i + 1 + (rng.next_u64() as usize) % 16).min(input.len());
                let copy = input[i..end].to_vec();
                input.splice(i..i, copy);
            }
            _ => {
                let n = 1 + (rng.next_u64() % 3) as u8;
                input[i] = input[i].wrapping_add(n);
            }
        }
    }
}

/// Writes a valid CRC-64 over everything before the last 8 bytes.
fn fix_checksum(bytes: &mut [u8]) {
    if bytes.len() > 8 {
        let n = bytes.len();
        let crc = crc64(&bytes[..n - 8]);
        bytes[n - 8..].copy_from_slice(&crc.to_le_bytes());
    }
}

/// A file the loader accepted must survive a save and a load.
fn check_round_trip(loaded: &ferrokv_core::persistence::rdb::reader::Loaded, what: &str) {
    let mut out = Vec::new();
    if write(&mut out, &DbRef::all(&loaded.dbs), &save_opts()).is_err() {
        return;
    }
    let again = load(&out, &load_opts(true), None).unwrap_or_else(|e| panic!("{what}: its re-save fails to load: {e}"));
    let keys = |l: &ferrokv_core::persistence::rdb::reader::Loaded| l.dbs.iter().map(|d| d.keys().len()).sum::<usize>();
    assert_eq!(keys(&again), keys(loaded), "{what}: a re-save changed the key count");
}

#[derive(Default)]
struct Tally {
    files: usize,
    files_loaded: usize,
    payloads: usize,
    payloads_restored: usize,
}

fn run(seed: u64, count: usize, files: &[Vec<u8>], payloads: &[Vec<u8>]) -> Tally {
    let mut rng = Rng::new(seed);
    let limits = EncodingLimits::default();
    let (checked, unchecked) = (load_opts(true), load_opts(false));
    let mut tally = Tally::default();
    for i in 0..count {
        if i % 2 == 0 {
            let mut file = files[(rng.next_u64() as usize) % files.len()].clone();
            mutate(&mut rng, &mut file, files);
            fix_checksum(&mut file);
            tally.files += 1;
            // Mostly with the checksum verified (it now matches); sometimes without.
            let opts = if i % 16 == 0 { &unchecked } else { &checked };
            if let Ok(loaded) = load(&file, opts, None) {
                tally.files_loaded += 1;
                if tally.files_loaded.is_multiple_of(8) {
                    check_round_trip(&loaded, &format!("seed {seed} input {i}"));
                }
            }
        } else {
            let mut p = payloads[(rng.next_u64() as usize) % payloads.len()].clone();
            let body = p.len() - 10;
            let mut head = p[..body].to_vec();
            mutate(&mut rng, &mut head, payloads);
            // Keep the footer (version, CRC) most of the time, recomputed over the damaged body.
            let mut footer = p.split_off(body);
            if i % 32 == 1 {
                footer[0] = rng.next_u64() as u8;
            }
            head.extend_from_slice(&footer);
            fix_checksum(&mut head);
            tally.payloads += 1;
            if let Ok(value) = dump::restore(&head, &limits, true) {
                tally.payloads_restored += 1;
                let ctx = SaveCtx { compress: true, list_fill: 2 };
                if let Ok(again) = dump::dump(&value, &ctx) {
                    assert!(dump::restore(&again, &limits, true).is_ok(), "seed {seed} input {i}: re-dump refused");
                }
            }
        }
    }
    tally
}

#[test]
fn seeds_are_valid() {
    for file in written_seeds().iter().chain(&legacy_seeds()).chain([&REDIS_72_FILE.to_vec()]) {
        let loaded = load(file, &load_opts(true), None).expect("a seed loads");
        assert!(loaded.keys_loaded > 0);
    }
    assert_eq!(payload_seeds().len(), 19);
}

#[test]
fn loaders_survive_millions_of_damaged_inputs() {
    const INPUTS_PER_THREAD: usize = 1_500_000;
    let mut files = written_seeds();
    files.extend(legacy_seeds());
    files.push(REDIS_72_FILE.to_vec());
    let payloads = payload_seeds();
    let tallies: Vec<Tally> = std::thread::scope(|s| {
        let workers: Vec<_> = [0x0bad_f11e_u64, 0x0bad_f11f]
            .map(|seed| {
                let (files, payloads) = (&files, &payloads);
                s.spawn(move || run(seed, INPUTS_PER_THREAD, files, payloads))
            })
            .into();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    let total = |f: fn(&Tally) -> usize| tallies.iter().map(f).sum::<usize>();
    assert_eq!(total(|t| t.files) + total(|t| t.payloads), 2 * INPUTS_PER_THREAD);
    // The damage is not all caught by one early check: some inputs still
    // load (changes inside string bytes), most are refused.
    assert!(total(|t| t.files_loaded) > 0 && total(|t| t.files_loaded) < total(|t| t.files));
    assert!(total(|t| t.payloads_restored) > 0 && total(|t| t.payloads_restored) < total(|t| t.payloads));
}
