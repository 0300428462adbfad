//! Walking a stream's live entries between two IDs, either way, node by
//! node without copying them out.

use std::collections::btree_map;

use super::id::StreamId;
use super::node::{Entry, Node};
use super::Stream;

pub struct Range<'a> {
    start: StreamId,
    end: StreamId,
    dir: Direction<'a>,
    done: bool,
}

enum Direction<'a> {
    Forward {
        nodes: btree_map::Range<'a, StreamId, Node>,
        current: Option<(StreamId, &'a Node, Option<usize>)>,
    },
    Backward {
        nodes: std::iter::Rev<btree_map::Range<'a, StreamId, Node>>,
        current: Option<(StreamId, &'a Node, Vec<usize>)>,
    },
}

impl<'a> Range<'a> {
    pub(super) fn new(stream: &'a Stream, start: StreamId, end: StreamId, rev: bool) -> Range<'a> {
        let nodes = stream.nodes();
        let done = start > end;
        let dir = if rev {
            Direction::Backward { nodes: nodes.range(..=end).rev(), current: None }
        } else {
            // The node holding `start` is the last one keyed at or before it.
            let from = nodes.range(..=start).next_back().map_or(start, |(k, _)| *k);
            Direction::Forward { nodes: nodes.range(from..), current: None }
        };
        Range { start, end, dir, done }
    }
}

impl<'a> Iterator for Range<'a> {
    type Item = Entry<'a>;

    fn next(&mut self) -> Option<Entry<'a>> {
        if self.done {
            return None;
        }
        loop {
            match &mut self.dir {
                Direction::Forward { nodes, current } => {
                    let Some((master, node, at)) = current else {
                        let (k, n) = nodes.next()?;
                        if *k > self.end {
                            self.done = true;
                            return None;
                        }
                        *current = Some((*k, n, n.first_at()));
                        continue;
                    };
                    let Some(a) = *at else {
                        *current = None;
                        continue;
                    };
                    let node: &'a Node = node;
                    let e = node.entry_at(*master, a);
                    *at = node.next_at(&e);
                    if e.id > self.end {
                        self.done = true;
                        return None;
                    }
                    if e.id >= self.start && !e.is_deleted() {
                        return Some(e);
                    }
                }
                Direction::Backward { nodes, current } => {
                    let Some((master, node, offsets)) = current else {
                        let (k, n) = nodes.next()?;
                        *current = Some((*k, n, n.offsets(*k)));
                        continue;
                    };
                    let Some(a) = offsets.pop() else {
                        *current = None;
                        continue;
                    };
                    let node: &'a Node = node;
                    let e = node.entry_at(*master, a);
                    if e.id < self.start {
                        self.done = true;
                        return None;
                    }
                    if e.id <= self.end && !e.is_deleted() {
                        return Some(e);
                    }
                }
            }
        }
    }
}
