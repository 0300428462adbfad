//! Randomized checks of both encodings against a sorted `Vec` model.

use super::*;
use crate::util::rng::Rng;

type Model = Vec<(f64, Vec<u8>)>;

fn sort(m: &mut Model) {
    m.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap().then_with(|| a.1.cmp(&b.1)));
}

fn contents(z: &ZSet) -> Model {
    z.iter().map(|(m, s)| (s, m.to_vec())).collect()
}

fn member(rng: &mut Rng, space: u64) -> Vec<u8> {
    let n = rng.next_u64() % space;
    if n.is_multiple_of(7) {
        // Some members too long to sit inline.
        format!("a-rather-long-member-name-{n:08}").into_bytes()
    } else {
        format!("m{n}").into_bytes()
    }
}

fn run(limits: Limits, seed: u64, steps: usize, equal_scores: bool) {
    let mut rng = Rng::new(seed);
    let mut z = ZSet::default();
    let mut model: Model = Vec::new();
    for step in 0..steps {
        let score = if equal_scores { 0.0 } else { (rng.next_u64() % 50) as f64 - 10.0 };
        match rng.next_u64() % 10 {
            0..=3 => {
                let m = member(&mut rng, 400);
                match z.score(&m) {
                    Some(old) => {
                        z.update(&m, old, score);
                        let i = model.iter().position(|e| e.1 == m).unwrap();
                        model[i].0 = score;
                    }
                    None => {
                        z.insert(&m, score, limits);
                        model.push((score, m));
                    }
                }
                sort(&mut model);
            }
            4 | 5 => {
                let m = member(&mut rng, 400);
                let got = z.remove(&m);
                let want = model.iter().position(|e| e.1 == m).map(|i| model.remove(i).0);
                assert_eq!(got, want);
            }
            6 => {
                if !model.is_empty() && rng.next_u64().is_multiple_of(8) {
                    let lo = (rng.next_u64() as usize) % model.len();
                    let hi = lo + (rng.next_u64() as usize) % 5;
                    let n = z.remove_ranks(lo, hi);
                    let hi = hi.min(model.len());
                    model.drain(lo..hi);
                    assert_eq!(n, hi - lo);
                }
            }
            7 => {
                let a = (rng.next_u64() % 60) as f64 - 15.0;
                let b = (rng.next_u64() % 60) as f64 - 15.0;
                let r = ScoreRange {
                    min: a,
                    max: b,
                    minex: rng.next_u64().is_multiple_of(2),
                    maxex: rng.next_u64().is_multiple_of(2),
                };
                let (lo, hi) = z.score_ranks(&r);
                let want: Vec<_> = model.iter().filter(|e| r.gte_min(e.0) && r.lte_max(e.0)).cloned().collect();
                let got: Vec<_> = if hi > lo {
                    z.iter_from(lo, false).take(hi - lo).map(|(m, s)| (s, m.to_vec())).collect()
                } else {
                    vec![]
                };
                assert_eq!(got, want, "score range {r:?}");
            }
            8 if equal_scores => {
                let bound = |rng: &mut Rng| {
                    let m = member(rng, 400);
                    match rng.next_u64() % 6 {
                        0 => LexBound::Min,
                        1 => LexBound::Max,
                        2 | 3 => LexBound::Incl(m),
                        _ => LexBound::Excl(m),
                    }
                };
                let r = LexRange { min: bound(&mut rng), max: bound(&mut rng) };
                let (lo, hi) = z.lex_ranks(&r);
                let want: Vec<_> = model.iter().filter(|e| r.gte_min(&e.1) && r.lte_max(&e.1)).cloned().collect();
                let got: Vec<_> = if hi > lo {
                    z.iter_from(lo, false).take(hi - lo).map(|(m, s)| (s, m.to_vec())).collect()
                } else {
                    vec![]
                };
                assert_eq!(got, want, "lex range {r:?}");
            }
            _ => {
                if !model.is_empty() {
                    let i = (rng.next_u64() as usize) % model.len();
                    let (s, m) = &model[i];
                    assert_eq!(z.rank(m), Some((i, *s)));
                    assert_eq!(z.get(i), Some((m.as_slice(), *s)));
                    let rev: Vec<_> = z.iter_from(i, true).map(|(m, s)| (s, m.to_vec())).collect();
                    let want: Vec<_> = model[..=i].iter().rev().cloned().collect();
                    assert_eq!(rev, want);
                }
                assert_eq!(z.rank(b"absent"), None);
            }
        }
        assert_eq!(z.len(), model.len());
        if step % 97 == 0 {
            z.check();
            assert_eq!(contents(&z), model);
        }
    }
    z.check();
    assert_eq!(contents(&z), model);
}

#[test]
fn skiplist_matches_a_sorted_vec() {
    let sl = Limits { max_entries: 0, max_value: 0 };
    for seed in 1..6 {
        run(sl, seed, 6000, false);
        run(sl, seed * 31, 3000, true);
    }
}

#[test]
fn listpack_and_conversions_match_a_sorted_vec() {
    let lp = Limits { max_entries: 128, max_value: 64 };
    for seed in 1..4 {
        run(lp, seed, 3000, false);
        run(lp, seed + 100, 2000, true);
        // Small limits: the set converts part way through.
        run(Limits { max_entries: 20, max_value: 64 }, seed + 7, 3000, false);
    }
}

#[test]
fn big_removals_compact_the_arena() {
    let sl = Limits { max_entries: 0, max_value: 0 };
    let mut z = ZSet::default();
    for i in 0..10_000 {
        z.insert(format!("m{i}").as_bytes(), i as f64, sl);
    }
    let before = z.heap_size();
    assert_eq!(z.remove_ranks(0, 9_990), 9_990);
    z.check();
    assert!(z.heap_size() < before / 10, "{} then {}", before, z.heap_size());
    let left: Vec<_> = z.iter().map(|(_, s)| s as i64).collect();
    assert_eq!(left, (9_990..10_000).collect::<Vec<_>>());
    assert_eq!(z.rank(b"m9995"), Some((5, 9995.0)));
}

#[test]
fn encodings_follow_the_limits() {
    let l = Limits { max_entries: 3, max_value: 5 };
    let mut z = ZSet::with_hint(1, 1, l);
    assert_eq!(z.encoding(), "listpack");
    for (i, m) in ["a", "b", "c"].iter().enumerate() {
        z.insert(m.as_bytes(), i as f64, l);
    }
    assert_eq!(z.encoding(), "listpack");
    z.insert(b"d", 9.0, l);
    assert_eq!(z.encoding(), "skiplist");
    let mut z = ZSet::with_hint(1, 1, l);
    z.insert(b"toolong", 1.0, l);
    assert_eq!(z.encoding(), "skiplist");
    assert_eq!(ZSet::with_hint(4, 1, l).encoding(), "skiplist");
    assert_eq!(ZSet::with_hint(1, 6, l).encoding(), "skiplist");
    let items = vec![(b"a".to_vec(), 1.0), (b"b".to_vec(), 2.0)];
    assert_eq!(ZSet::from_sorted(items.clone(), l).encoding(), "listpack");
    assert_eq!(ZSet::from_sorted(items, Limits { max_entries: 1, max_value: 5 }).encoding(), "skiplist");
}
