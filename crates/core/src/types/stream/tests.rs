//! The stream type on its own: appending, ranges both ways across nodes,
//! deletion, trimming and the counters Redis keeps.

use super::*;

fn id(ms: u64) -> StreamId {
    StreamId::new(ms, 0)
}

fn filled(n: u64, limits: NodeLimits) -> Stream {
    let mut s = Stream::new();
    for i in 1..=n {
        let v = i.to_string();
        s.append(id(i), &[b"f", v.as_bytes()], limits);
    }
    s
}

fn ids(r: Range<'_>) -> Vec<u64> {
    r.map(|e| e.id.ms).collect()
}

#[test]
fn nodes_fill_to_the_entry_limit() {
    let s = filled(250, NodeLimits::default());
    assert_eq!(s.node_count(), 3);
    assert_eq!(s.len(), 250);
    assert_eq!((s.first_id, s.last_id, s.entries_added), (id(1), id(250), 250));
    let small = filled(10, NodeLimits { max_bytes: 4096, max_entries: 3 });
    assert_eq!(small.node_count(), 4);
    let unlimited = filled(500, NodeLimits { max_bytes: 0, max_entries: 0 });
    assert_eq!(unlimited.node_count(), 1);
}

#[test]
fn ranges_cross_nodes_both_ways() {
    let s = filled(10, NodeLimits { max_bytes: 4096, max_entries: 3 });
    assert_eq!(ids(s.range(id(2), id(8), false)), vec![2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(ids(s.range(id(2), id(8), true)), vec![8, 7, 6, 5, 4, 3, 2]);
    assert_eq!(ids(s.range(StreamId::new(3, 1), StreamId::new(5, 0), false)), vec![4, 5]);
    assert_eq!(ids(s.range(id(8), id(2), false)), Vec::<u64>::new());
    assert_eq!(s.edge_id(true), Some(id(1)));
    assert_eq!(s.edge_id(false), Some(id(10)));
}

#[test]
fn deleting_leaves_tombstones_and_drops_empty_nodes() {
    let mut s = filled(6, NodeLimits { max_bytes: 4096, max_entries: 3 });
    assert!(s.delete(id(2)));
    assert!(!s.delete(id(2)));
    assert!(!s.delete(id(99)));
    assert_eq!(ids(s.range(StreamId::MIN, StreamId::MAX, false)), vec![1, 3, 4, 5, 6]);
    assert!(s.delete(id(4)) && s.delete(id(5)) && s.delete(id(6)));
    assert_eq!(s.node_count(), 1);
    assert_eq!(s.len(), 2);
    assert_eq!(ids(s.range(StreamId::MIN, StreamId::MAX, true)), vec![3, 1]);
}

#[test]
fn exact_trimming_flags_entries_inside_the_boundary_node() {
    let mut s = filled(10, NodeLimits { max_bytes: 4096, max_entries: 4 });
    let exact = |trim| TrimArgs { trim, approx: false, limit: 0 };
    assert_eq!(s.trim(&exact(Trim::MaxLen(7))), 3);
    assert_eq!(s.node_count(), 3);
    assert_eq!(s.first_id, id(4));
    assert_eq!(s.trim(&exact(Trim::MinId(id(6)))), 2);
    assert_eq!(s.node_count(), 2);
    assert_eq!(ids(s.range(StreamId::MIN, StreamId::MAX, false)), vec![6, 7, 8, 9, 10]);
    let approx = TrimArgs { trim: Trim::MaxLen(0), approx: true, limit: 3 };
    assert_eq!(s.trim(&approx), 3);
    assert_eq!(s.trim(&TrimArgs { limit: 0, ..approx }), 2);
    assert!(s.is_empty());
    assert_eq!(s.first_id, StreamId::MIN);
}

#[test]
fn ids_follow_the_clock_and_the_last_id() {
    let mut s = Stream::new();
    assert_eq!(s.next_id(None, 1000), Ok(StreamId::new(1000, 0)));
    s.append(StreamId::new(1000, 0), &[b"f", b"v"], NodeLimits::default());
    assert_eq!(s.next_id(None, 1000), Ok(StreamId::new(1000, 1)));
    assert_eq!(s.next_id(None, 999), Ok(StreamId::new(1000, 1)));
    let star = |ms| Some(ParsedId { id: StreamId::new(ms, 0), seq_given: false });
    assert_eq!(s.next_id(star(1000), 0), Ok(StreamId::new(1000, 1)));
    assert_eq!(s.next_id(star(2000), 0), Ok(StreamId::new(2000, 0)));
    assert_eq!(s.next_id(star(5), 0), Err(AddError::IdTooSmall));
}

#[test]
fn lag_needs_no_tombstone_after_the_group() {
    let mut s = filled(5, NodeLimits::default());
    let mut g = Group::new(StreamId::MIN, 0);
    s.advance_group(&mut g, id(1));
    s.advance_group(&mut g, id(2));
    assert_eq!((g.entries_read, s.lag(&g)), (2, Some(3)));
    s.delete(id(4));
    s.max_deleted_id = id(4);
    assert_eq!(s.lag(&g), None);
    // Reading 3 past the tombstone loses count; the last entry restores it.
    s.advance_group(&mut g, id(3));
    assert_eq!(g.entries_read, INVALID_ENTRIES_READ);
    s.advance_group(&mut g, id(5));
    assert_eq!((g.entries_read, s.lag(&g)), (5, Some(0)));
    let unknown = Group::new(id(1), INVALID_ENTRIES_READ);
    assert_eq!(s.lag(&unknown), None);
}

#[test]
fn radix_tree_nodes_count_as_redis_does() {
    // One key: a compressed node and its leaf.
    assert_eq!(filled(1, NodeLimits::default()).radix_tree_nodes(), 2);
    assert_eq!(Stream::new().radix_tree_nodes(), 1);
    // 350 entries in nodes of 100 (keys 1, 101, 201, 301), as redis-server 7.2.4 reports.
    let s = filled(350, NodeLimits::default());
    assert_eq!((s.node_count(), s.radix_tree_nodes()), (4, 11));
}

#[test]
fn ids_print_as_ms_dash_seq_up_to_the_largest() {
    for (ms, seq, text) in [(0, 0, "0-0"), (1526919030474, 55, "1526919030474-55"), (9, 10, "9-10")] {
        let id = StreamId::new(ms, seq);
        assert_eq!(id.to_string(), text);
        assert_eq!(id.to_bytes(), text.as_bytes());
    }
    let max = format!("{}-{}", u64::MAX, u64::MAX);
    assert_eq!(max.len(), StreamId::TEXT_MAX);
    assert_eq!(StreamId::MAX.to_string(), max);
}
