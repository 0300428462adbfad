//! The list against a plain `VecDeque` model under random operations, and
//! the encoding thresholds. (Node layouts are checked against a real Redis
//! 7.2 in `commands::lists::tests::oracle`.)

use std::collections::VecDeque;

use super::{End, List};
use crate::util::rng::Rng;

fn contents(l: &List) -> Vec<Vec<u8>> {
    l.iter().map(|e| e.to_vec()).collect()
}

fn list_of(fill: i64, elems: &[&str]) -> List {
    let mut l = List::new();
    for e in elems {
        l.grow(fill, e.len(), 1);
        l.push(End::Right, e.as_bytes());
    }
    l
}

#[test]
fn random_operations_match_a_plain_deque() {
    for seed in 1..=60u64 {
        let mut rng = Rng::new(seed);
        let mut r = |n: usize| (rng.next_u64() % n as u64) as usize;
        let fill = [-1i64, -2, -5, 1, 2, 4, 16, 128][r(8)];
        // Compressed inner nodes behave the same (depth 0 compresses none).
        let depth = [0i64, 1, 2, 3][r(4)];
        let mut list = List::new();
        let mut model: VecDeque<Vec<u8>> = VecDeque::new();
        for step in 0..3000 {
            let elem: Vec<u8> = match r(6) {
                0 => vec![b'z'; r(300)],
                1 => r(100_000).to_string().into_bytes(),
                _ => format!("v{}", r(9)).into_bytes(),
            };
            match r(11) {
                0..=2 => {
                    let end = if r(2) == 0 { End::Left } else { End::Right };
                    list.grow_with_depth(fill, depth, elem.len(), 1);
                    list.push(end, &elem);
                    match end {
                        End::Left => model.push_front(elem),
                        End::Right => model.push_back(elem),
                    }
                }
                3 => {
                    let end = if r(2) == 0 { End::Left } else { End::Right };
                    let n = r(5);
                    let mut got = Vec::new();
                    list.pop_each(end, n, |e| got.push(e.to_vec()));
                    let want: Vec<Vec<u8>> = (0..n)
                        .map_while(|_| if end == End::Left { model.pop_front() } else { model.pop_back() })
                        .collect();
                    assert_eq!(got, want, "seed {seed} step {step}");
                }
                4 => {
                    let got = list.pop(End::Right);
                    assert_eq!(got, model.pop_back());
                }
                5 if !model.is_empty() => {
                    let pivot = model[r(model.len())].clone();
                    let after = r(2) == 0;
                    list.grow_with_depth(fill, depth, elem.len(), 1);
                    assert!(list.insert(&pivot, &elem, after));
                    let at = model.iter().position(|e| *e == pivot).unwrap() + after as usize;
                    model.insert(at, elem);
                }
                6 if !model.is_empty() => {
                    let idx = r(model.len());
                    list.grow_with_depth(fill, depth, elem.len(), 1);
                    let index = if r(2) == 0 { idx as i64 } else { idx as i64 - model.len() as i64 };
                    assert!(list.set(index, &elem));
                    model[idx] = elem;
                    list.shrink(fill);
                }
                7 => {
                    let count = r(5) as i64 - 2;
                    let target = format!("v{}", r(9)).into_bytes();
                    let removed = list.remove(&target, count);
                    let mut want = 0;
                    let limit = if count == 0 { usize::MAX } else { count.unsigned_abs() as usize };
                    if count >= 0 {
                        let mut i = 0;
                        while i < model.len() && want < limit {
                            if model[i] == target {
                                model.remove(i);
                                want += 1;
                            } else {
                                i += 1;
                            }
                        }
                    } else {
                        let mut i = model.len();
                        while i > 0 && want < limit {
                            i -= 1;
                            if model[i] == target {
                                model.remove(i);
                                want += 1;
                            }
                        }
                    }
                    assert_eq!(removed, want, "seed {seed} step {step}");
                    list.shrink(fill);
                }
                8 => {
                    let (front, back) = (r(3), r(3));
                    list.trim(front, back);
                    for _ in 0..front {
                        model.pop_front();
                    }
                    for _ in 0..back {
                        model.pop_back();
                    }
                    list.shrink(fill);
                }
                _ => {
                    let index = r(2 * model.len() + 3) as i64 - model.len() as i64 - 1;
                    let want = if index < 0 {
                        model.len().checked_sub(index.unsigned_abs() as usize).and_then(|i| model.get(i))
                    } else {
                        model.get(index as usize)
                    };
                    assert_eq!(list.get(index).as_deref(), want.map(|v| v.as_slice()));
                }
            }
            list.check();
            assert_eq!(list.len(), model.len());
            if step % 50 == 0 {
                assert_eq!(contents(&list), Vec::from(model.clone()), "seed {seed} step {step}");
                assert_eq!(list.missed_compressions(), 0, "seed {seed} step {step}");
                if !model.is_empty() {
                    let from = r(model.len());
                    let fwd: Vec<_> = list.iter_from(from).collect();
                    assert_eq!(fwd, model.range(from..).map(|v| v.as_slice()).collect::<Vec<_>>());
                    let back: Vec<_> = list.iter_back_from(from).collect();
                    assert_eq!(back, model.range(..=from).rev().map(|v| v.as_slice()).collect::<Vec<_>>());
                    let n = r(model.len() + 2);
                    let mut lent = Vec::new();
                    list.each_from(from, n, |e| lent.push(e.to_vec()));
                    assert_eq!(lent, model.range(from..).take(n).cloned().collect::<Vec<_>>());
                }
            }
        }
    }
}

#[test]
fn a_count_limit_converts_past_it_and_back_below_half() {
    let mut l = list_of(4, &["a", "b", "c", "d"]);
    assert_eq!(l.encoding(), "listpack");
    l.grow(4, 1, 1);
    l.push(End::Right, b"e");
    assert_eq!(l.encoding(), "quicklist");
    assert_eq!(l.node_stats().0, 2);
    // One node again, but 4 > 4 / 2: still a quicklist.
    l.pop(End::Right);
    l.shrink(4);
    assert_eq!((l.encoding(), l.node_stats().0), ("quicklist", 1));
    l.pop(End::Right);
    l.pop(End::Right);
    l.shrink(4);
    assert_eq!(l.encoding(), "listpack");
}

#[test]
fn a_size_limit_counts_listpack_bytes_and_raw_lengths() {
    // -1: 4096 bytes. 40 entries of 100 bytes weigh 7 + 40 * 103 = 4127 as
    // a listpack: the 40th push is checked as 7 + 39 * 103 + 100 = 4124 > 4096.
    let elem = "x".repeat(100);
    let mut l = List::new();
    for i in 0..40 {
        l.grow(-1, 100, 1);
        l.push(End::Right, elem.as_bytes());
        let want = if i < 39 { "listpack" } else { "quicklist" };
        assert_eq!(l.encoding(), want, "after {} pushes", i + 1);
    }
    // The 40th went to a second node (4024 + 100 + 8 > 4096). Back to a
    // listpack once one node is left within half the limit (2048 bytes):
    // 19 entries, 1964 bytes.
    assert_eq!(l.node_stats(), (2, 7 + 39 * 103 + 7 + 103));
    while l.len() > 20 {
        l.pop(End::Right);
        l.shrink(-1);
        assert_eq!(l.encoding(), "quicklist");
    }
    l.pop(End::Right);
    l.shrink(-1);
    assert_eq!((l.len(), l.encoding()), (19, "listpack"));
}

#[test]
fn integers_weigh_as_listpack_integers() {
    // 1500 small integers take 2 bytes each in a listpack (3007 bytes, a
    // listpack under -1's 4096); 1500 two-letter strings take 4 bytes each.
    let mut ints = List::new();
    let mut strs = List::new();
    for i in 0..1500 {
        let e = (i % 100).to_string();
        ints.grow(-1, e.len(), 1);
        ints.push(End::Right, e.as_bytes());
        strs.grow(-1, 2, 1);
        strs.push(End::Right, b"ab");
    }
    assert_eq!((ints.encoding(), ints.node_stats().1), ("listpack", 7 + 3000));
    assert_eq!(strs.encoding(), "quicklist");
}

#[test]
fn a_fresh_list_with_a_big_element_starts_as_a_quicklist() {
    let big = vec![b'x'; 9000];
    let mut l = List::new();
    l.grow(-2, big.len(), 1);
    l.push(End::Left, &big);
    assert_eq!((l.encoding(), l.node_stats().0), ("quicklist", 1));
    l.check();
}

#[test]
fn quicklist_nodes_keep_their_fill_after_the_limit_changes() {
    // Became a quicklist under 2 entries a node; the limit is then raised.
    let mut l = list_of(2, &["a", "b", "c", "d", "e"]);
    assert_eq!(l.node_stats().0, 3);
    l.grow(100, 1, 1);
    l.push(End::Right, b"f");
    assert_eq!(l.node_stats().0, 3, "node 3 takes its second entry");
    l.push(End::Right, b"g");
    assert_eq!(l.node_stats().0, 4, "a node still holds 2 at most");
    // Conversions follow the new limit: one node, and 1 <= 100 / 2.
    l.trim(6, 0);
    l.shrink(100);
    assert_eq!((l.len(), l.encoding()), (1, "listpack"));
}

#[test]
fn a_list_value_is_small() {
    // One node inline, the others behind one pointer: 72 bytes, which
    // glibc serves from the same 80-byte chunk as 64.
    assert_eq!(std::mem::size_of::<List>(), 72);
}

#[test]
fn heap_size_counts_node_buffers() {
    let l = list_of(-2, &["hello", "world"]);
    assert!(l.heap_size() >= 14);
    assert_eq!(List::new().heap_size(), 0);
}

/// `n` elements `element:0` … pushed on the right under `fill` and `depth`.
fn elements(fill: i64, depth: i64, n: usize) -> List {
    let mut l = List::new();
    for i in 0..n {
        let e = format!("element:{i}");
        l.grow_with_depth(fill, depth, e.len(), 1);
        l.push(End::Right, e.as_bytes());
    }
    l
}

#[test]
fn inner_nodes_compress_beyond_the_depth() {
    for depth in [1, 2] {
        let mut l = elements(-2, depth, 20_000);
        let nodes = l.node_stats().0;
        assert!(nodes > 10);
        assert_eq!(l.compressed_nodes(), nodes - 2 * depth as usize, "depth {depth}");
        l.check();
        // Replies are the same; only the memory differs.
        let plain = elements(-2, 0, 20_000);
        assert_eq!(plain.compressed_nodes(), 0);
        assert!(l.heap_size() < plain.heap_size() / 2, "{} vs {}", l.heap_size(), plain.heap_size());
        assert_eq!(contents(&l), contents(&plain));
        assert_eq!(l.get(10_000).as_deref(), Some(&b"element:10000"[..]));
        let back: Vec<_> = l.iter_back_from(12_345).take(3).collect();
        assert_eq!(back, [&b"element:12345"[..], b"element:12344", b"element:12343"]);
        // A change to an inner node leaves it compressed again.
        assert!(l.set(10_000, b"changed"));
        assert!(l.insert(b"element:9000", b"new", true));
        assert_eq!(l.remove(b"element:5000", 0), 1);
        l.check();
        assert_eq!((l.compressed_nodes(), l.missed_compressions()), (l.node_stats().0 - 2 * depth as usize, 0));
        assert_eq!(l.get(10_000).as_deref(), Some(&b"changed"[..]));
        // Nodes that come to an end are decompressed as the others go.
        l.trim(15_000, 0);
        l.check();
        while l.len() > 100 {
            l.pop_each(End::Right, 997, |_| {});
            l.check();
        }
    }
}

#[test]
fn small_or_incompressible_nodes_and_listpacks_stay_as_they_are() {
    // Nodes of two `element:N`: 7 + 2 * 15 listpack bytes, under 48.
    let small = elements(2, 1, 200);
    assert_eq!((small.node_stats().0, small.compressed_nodes()), (100, 0));
    // Three of `element:NNNN`: 49 bytes, and LZF saves enough on them.
    let three = elements(3, 1, 3000);
    assert!(three.compressed_nodes() > 600);
    assert_eq!(three.missed_compressions(), 0);
    // Random bytes of random lengths (their length codes too are noise):
    // LZF would not save 8 bytes.
    let mut rng = Rng::new(5);
    let mut noise = List::new();
    for _ in 0..2000 {
        let len = 10 + rng.next_u64() as usize % 240;
        let e: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
        noise.grow_with_depth(-1, 1, e.len(), 1);
        noise.push(End::Left, &e);
    }
    assert!(noise.node_stats().0 > 5);
    assert_eq!((noise.compressed_nodes(), noise.missed_compressions()), (0, 0));
    // A listpack is one node: never compressed, whatever the depth.
    let lp = elements(-2, 1, 100);
    assert_eq!((lp.encoding(), lp.compressed_nodes()), ("listpack", 0));
}

#[test]
fn the_depth_is_the_one_the_list_had_when_it_became_a_quicklist() {
    // As quicklist keeps its own copy: converted under depth 0, a later
    // depth does not compress it; converted again after shrinking, it does.
    let mut l = elements(-2, 0, 5000);
    for i in 0..5000 {
        l.grow_with_depth(-2, 1, 10, 1);
        l.push(End::Left, format!("more:{i}").as_bytes());
    }
    assert_eq!(l.compressed_nodes(), 0);
    l.trim(0, l.len() - 10);
    l.shrink(-2);
    assert_eq!(l.encoding(), "listpack");
    for i in 0..5000 {
        l.grow_with_depth(-2, 1, 10, 1);
        l.push(End::Right, format!("again:{i}").as_bytes());
    }
    assert_eq!(l.compressed_nodes(), l.node_stats().0 - 2);
}

#[test]
fn a_million_elements_compressed_and_not() {
    // The figure for the record: `element:N` strings, 8 KB nodes.
    let n = 1_000_000;
    let plain = elements(-2, 0, n);
    let packed = elements(-2, 1, n);
    let (a, b) = (plain.heap_size(), packed.heap_size());
    println!(
        "{n} elements in {} nodes: {a} bytes at depth 0 ({:.2}/element), {b} at depth 1 ({:.2}/element)",
        plain.node_stats().0,
        a as f64 / n as f64,
        b as f64 / n as f64
    );
    assert!(b < a / 2);
}
