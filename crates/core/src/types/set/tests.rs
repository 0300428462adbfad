use super::*;

fn lim() -> EncodingLimits {
    EncodingLimits::default()
}

fn names(s: &Set) -> Vec<String> {
    s.iter().map(|m| String::from_utf8(m.to_vec()).unwrap()).collect()
}

fn add_all(s: &mut Set, members: &[&str]) -> usize {
    members.iter().filter(|m| s.add(Member::Bytes(m.as_bytes()), &lim())).count()
}

#[test]
fn a_set_is_small_and_boxed_values_stay_24_bytes() {
    assert!(std::mem::size_of::<Set>() <= 64, "{}", std::mem::size_of::<Set>());
    assert_eq!(std::mem::size_of::<crate::types::Value>(), 24);
}

#[test]
fn members_compare_as_bytes_across_encodings() {
    for start in [Set::intset(), Set::listpack(), Set::hashtable(0)] {
        let mut s = start;
        assert_eq!(add_all(&mut s, &["1", "2", "-3"]), 3);
        assert!(s.contains(Member::Int(2)) && s.contains(Member::Bytes(b"2")));
        assert!(!s.contains(Member::Bytes(b"02")) && !s.contains(Member::Bytes(b"+2")));
        assert!(!s.add(Member::Int(-3), &lim()));
        assert!(s.remove(Member::Int(1)) && !s.remove(Member::Bytes(b"1")));
        assert_eq!(s.len(), 2);
    }
}

#[test]
fn conversions_keep_every_member_in_order() {
    let mut s = Set::intset();
    add_all(&mut s, &["30", "10", "20"]);
    assert_eq!(s.kind(), Encoding::IntSet);
    add_all(&mut s, &["b", "a"]);
    assert_eq!(s.kind(), Encoding::ListPack);
    assert_eq!(names(&s), ["10", "20", "30", "b", "a"]);
    let long = "x".repeat(100);
    s.add(Member::Bytes(long.as_bytes()), &lim());
    assert_eq!(s.kind(), Encoding::HashTable);
    assert_eq!(names(&s), ["10", "20", "30", "b", "a", long.as_str()]);
    assert_eq!(s.len(), 6);
    // The members' own heap is tracked as they come and go.
    let base = s.heap_size();
    s.remove(Member::Bytes(long.as_bytes()));
    assert_eq!(base - s.heap_size(), 100);
}

#[test]
fn maybe_convert_to_intset_needs_only_integers() {
    let mut s = Set::listpack();
    add_all(&mut s, &["5", "1", "3"]);
    s.maybe_convert_to_intset(&lim());
    assert_eq!((s.kind(), names(&s)), (Encoding::IntSet, vec!["1".to_string(), "3".into(), "5".into()]));
    let mut t = Set::listpack();
    add_all(&mut t, &["5", "x"]);
    t.maybe_convert_to_intset(&lim());
    assert_eq!(t.kind(), Encoding::ListPack);
}

#[test]
fn clones_are_independent_and_debug_shows_members() {
    let mut s = Set::intset();
    add_all(&mut s, &["1", "a"]);
    let t = s.clone();
    s.add(Member::Bytes(b"b"), &lim());
    assert_eq!(t.len(), 2);
    assert_eq!(format!("{t:?}"), r#"Set { encoding: "listpack", members: ["1", "a"] }"#);
}

#[test]
fn random_draws_cover_every_member() {
    let mut rng = Rng::new(7);
    for start in [Set::intset(), Set::listpack(), Set::hashtable(0)] {
        let mut s = start;
        add_all(&mut s, &["1", "2", "3", "4"]);
        let mut seen = std::collections::BTreeSet::new();
        for _ in 0..100 {
            seen.insert(s.random_member(&mut rng).unwrap().to_vec());
        }
        assert_eq!(seen.len(), 4);
        let mut picks = Vec::new();
        s.sample_distinct(3, &mut rng, |m| picks.push(m.to_vec()));
        picks.sort();
        picks.dedup();
        assert_eq!(picks.len(), 3);
        let mut popped = Vec::new();
        while let Some(p) = s.pop_random(&mut rng) {
            popped.push(p.member().to_vec());
        }
        popped.sort();
        assert_eq!(popped, [b"1".to_vec(), b"2".to_vec(), b"3".to_vec(), b"4".to_vec()]);
        assert!(s.is_empty() && s.random_member(&mut rng).is_none());
    }
}

#[test]
fn pop_many_takes_exactly_count() {
    let mut rng = Rng::new(3);
    for (n, count) in [(10, 2), (10, 9), (300, 10), (300, 290)] {
        let mut s = Set::intset();
        for i in 0..n {
            s.add(Member::Bytes(format!("m{i}").as_bytes()), &lim());
        }
        let mut out = Vec::new();
        s.pop_many(count, &mut rng, &lim(), |m| out.push(m.to_vec()));
        assert_eq!(out.len(), count);
        assert_eq!(s.len(), n - count);
        for m in &out {
            assert!(!s.contains(Member::Bytes(m)));
        }
        out.sort();
        out.dedup();
        assert_eq!(out.len(), count);
    }
}

#[test]
fn a_big_hashtable_costs_about_40_bytes_a_short_member() {
    // 32-byte entries (members up to 22 bytes inline), an eighth of them
    // spare at most, and 4-byte index slots at most 3/4 full.
    let n = 200_000;
    let mut s = Set::hashtable(0);
    for i in 0..n {
        s.add(Member::Bytes(format!("member:{i}").as_bytes()), &lim());
    }
    let per_member = s.heap_size() as f64 / n as f64;
    assert!(per_member < 48.0, "{per_member:.1} bytes per member");
}
