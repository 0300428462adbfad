use std::collections::{HashMap, HashSet};

use super::*;

const SMALL: Limits = Limits { max_entries: 4, max_value: 8 };

fn fields(h: &Hash) -> Vec<String> {
    h.iter().map(|(f, _)| String::from_utf8_lossy(f).into_owned()).collect()
}

#[test]
fn stays_compact() {
    assert_eq!(std::mem::size_of::<Hash>(), 16);
    let h = Hash::default();
    assert_eq!((h.len(), h.heap_size(), h.encoding()), (0, 0, "listpack"));
}

#[test]
fn listpack_until_one_field_too_many() {
    let mut h = Hash::default();
    for (i, f) in ["d", "c", "b", "a"].iter().enumerate() {
        assert!(h.set(f.as_bytes(), i.to_string().as_bytes(), SMALL));
    }
    assert!(!h.set(b"c", b"new", SMALL));
    assert_eq!(h.encoding(), "listpack");
    assert_eq!(fields(&h), ["d", "c", "b", "a"]);
    assert_eq!(h.get(b"c"), Some(&b"new"[..]));
    assert!(h.set(b"e", b"4", SMALL));
    assert_eq!((h.encoding(), h.len()), ("hashtable", 5));
    assert_eq!(h.get(b"c"), Some(&b"new"[..]));
    // Never back, even when small again.
    for f in ["a", "b", "c", "d"] {
        assert!(h.remove(f.as_bytes()));
    }
    assert!(!h.remove(b"a"));
    assert_eq!((h.encoding(), h.len()), ("hashtable", 1));
}

#[test]
fn long_strings_convert_at_the_limit_plus_one() {
    let mut h = Hash::default();
    h.set(b"f", &[b'x'; 8], SMALL);
    h.set(&[b'y'; 8], b"v", SMALL);
    assert_eq!(h.encoding(), "listpack");
    h.set(b"g", &[b'x'; 9], SMALL);
    assert_eq!(h.encoding(), "hashtable");
    let mut h = Hash::default();
    h.set(&[b'y'; 9], b"v", SMALL);
    assert_eq!((h.encoding(), h.len()), ("hashtable", 1));
}

#[test]
fn prepare_looks_at_every_argument_before_writing() {
    let mut h = Hash::default();
    h.prepare(&[b"f", b"v", b"g", b"123456789"], SMALL);
    assert_eq!(h.encoding(), "hashtable");
    // More pairs than a listpack holds converts even if they repeat (Redis 7.2).
    let mut h = Hash::default();
    h.prepare(&[b"f", b"1", b"f", b"2", b"f", b"3", b"f", b"4", b"f", b"5"], SMALL);
    assert_eq!(h.encoding(), "hashtable");
    let mut h = Hash::default();
    h.prepare(&[b"f", b"1", b"f", b"2", b"f", b"3", b"f", b"4"], SMALL);
    assert_eq!(h.encoding(), "listpack");
    // Zero entries allowed: the first field converts.
    let mut h = Hash::default();
    h.set(b"f", b"v", Limits { max_entries: 0, max_value: 64 });
    assert_eq!(h.encoding(), "hashtable");
}

#[test]
fn conversion_keeps_every_pair() {
    let limits = Limits { max_entries: 512, max_value: 64 };
    let mut h = Hash::default();
    let mut model = HashMap::new();
    for i in 0..600 {
        let (f, v) = (format!("field:{i}"), format!("{}", i * 7));
        h.set(f.as_bytes(), v.as_bytes(), limits);
        model.insert(f, v);
        assert_eq!(h.encoding(), if i < 512 { "listpack" } else { "hashtable" });
    }
    assert_eq!(h.len(), model.len());
    for (f, v) in &model {
        assert_eq!(h.get(f.as_bytes()), Some(v.as_bytes()));
    }
    let seen: HashSet<_> = h.iter().map(|(f, _)| f.to_vec()).collect();
    assert_eq!(seen.len(), 600);
}

#[test]
fn random_picks_every_pair() {
    for limits in [SMALL, Limits { max_entries: 0, max_value: 0 }] {
        let mut h = Hash::default();
        assert_eq!(h.random(3), None);
        for f in ["a", "b", "c"] {
            h.set(f.as_bytes(), b"v", limits);
        }
        let picked: HashSet<_> = (0..30).filter_map(|seed| h.random(seed)).map(|(f, _)| f.to_vec()).collect();
        assert_eq!(picked.len(), 3, "{}", h.encoding());
    }
}

#[test]
fn scan_visits_a_listpack_at_once_and_a_table_by_cursor() {
    let mut h = Hash::default();
    for f in ["x", "y"] {
        h.set(f.as_bytes(), b"v", SMALL);
    }
    let mut n = 0;
    assert_eq!(h.scan(12345, |_, _| n += 1), 0);
    assert_eq!(n, 2);

    let mut h = Hash::default();
    for i in 0..1000 {
        h.set(format!("f{i}").as_bytes(), b"v", SMALL);
    }
    let mut seen = HashSet::new();
    let mut cursor = 0;
    loop {
        cursor = h.scan(cursor, |f, _| {
            seen.insert(f.to_vec());
        });
        if cursor == 0 {
            break;
        }
    }
    assert_eq!(seen.len(), 1000);
}

#[test]
fn heap_size_counts_the_table_and_long_strings() {
    let mut h = Hash::default();
    h.set(b"f", b"v", SMALL);
    assert_eq!(h.heap_size(), 4 + 2 + 2);
    let mut h = Hash::default();
    h.set(b"f", &[b'v'; 30], Limits { max_entries: 0, max_value: 64 });
    assert!(h.heap_size() >= 30 + 56);
    let dbg = format!("{h:?}");
    assert!(dbg.starts_with("Hash(hashtable) {\"f\": \"vvv"), "{dbg}");
}

/// Random sets, batch sets and removes against a model that keeps insertion
/// order: a listpack must match it in order, a hashtable as a set.
#[test]
fn matches_an_ordered_model() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for limits in [Limits { max_entries: 16, max_value: 12 }, Limits { max_entries: 512, max_value: 64 }] {
        let mut h = Hash::default();
        let mut model: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
        for _ in 0..5000 {
            let field = format!("f{}", next(40)).into_bytes();
            let value = vec![b'v'; next(14) as usize];
            match next(4) {
                0 => {
                    let removed = h.remove(&field);
                    let at = model.iter().position(|(f, _)| *f == field);
                    assert_eq!(removed, at.is_some());
                    if let Some(i) = at {
                        model.remove(i);
                    }
                }
                1 => {
                    let other = format!("f{}", next(40)).into_bytes();
                    let pairs: [&[u8]; 4] = [&field, &value, &other, b"x"];
                    h.set_pairs(&pairs, limits);
                    for p in pairs.chunks(2) {
                        match model.iter_mut().find(|(f, _)| f == p[0]) {
                            Some(e) => e.1 = p[1].to_vec(),
                            None => model.push((p[0].to_vec(), p[1].to_vec())),
                        }
                    }
                }
                _ => {
                    let added = h.set(&field, &value, limits);
                    match model.iter_mut().find(|(f, _)| *f == field) {
                        Some(e) => {
                            assert!(!added);
                            e.1 = value;
                        }
                        None => {
                            assert!(added);
                            model.push((field, value));
                        }
                    }
                }
            }
            assert_eq!(h.len(), model.len());
            let pairs: Vec<(Vec<u8>, Vec<u8>)> = h.iter().map(|(f, v)| (f.to_vec(), v.to_vec())).collect();
            if h.is_listpack() {
                assert_eq!(pairs, model);
                // Exact size: nothing left over from a batch or a shorter value.
                let packed: usize = model.iter().map(|(f, v)| 2 + f.len() + v.len()).sum();
                assert_eq!(h.heap_size(), if model.is_empty() { 0 } else { 4 + packed });
            } else {
                let mut a = pairs.clone();
                let mut b = model.clone();
                a.sort();
                b.sort();
                assert_eq!(a, b);
            }
        }
        for (f, v) in &model {
            assert_eq!(h.get(f), Some(&v[..]));
        }
    }
}
