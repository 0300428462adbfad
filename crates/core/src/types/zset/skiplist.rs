//! The `skiplist` encoding: Redis's skiplist with spans (O(log n) ranks)
//! plus a member → node index, built without `unsafe`.
//!
//! Layout, chosen for memory:
//! - Nodes live in one `Vec` (an arena) and link to each other by `u32`
//!   index; freed slots are chained into a free list and reused.
//! - A node carries its level-0 link inline (its span is always 1, so only
//!   the forward index is kept). The levels above 0 — a quarter of the nodes
//!   have any — sit in a second pool, `upper`, as one block of `height - 1`
//!   consecutive `Level`s per node, with a free list per height.
//! - A node is 48 bytes (member 24 with up to 22 bytes inline, score 8, three
//!   links, height); upper levels add 8 bytes × 1/3 on average. Redis spends
//!   a 48-64 byte node plus a separate sds per member.
//! - Members are found by an [`Index`] of node numbers (5 bytes a slot with its hash tag), so
//!   each member is stored once, in its node.
//!
//! Spans follow Redis's `zskiplist`: `span` of a link is how many nodes it
//! skips, so summing spans while descending yields ranks. Spans of links to
//! nothing are never read, and are updated with wrapping arithmetic.

use std::fmt;

use super::index::Index;
use crate::keyspace::bytes::SmallBytes;

/// No node.
const NIL: u32 = u32::MAX;
/// The header (its levels are `SkipList::head`).
const HEAD: u32 = u32::MAX - 1;
/// Redis's ZSKIPLIST_MAXLEVEL.
pub const MAX_LEVEL: usize = 32;

/// A forward link. It carries the score of the node it points to and where
/// that node's upper levels are, so a descent decides each step from the
/// link alone and moves on to the next node's levels without reading the
/// node itself (it reads the node only on a score tie): one cache miss a
/// step, as Redis's nodes with inline levels have, instead of two or three.
#[derive(Clone, Copy, Debug, Default)]
struct Level {
    next: u32,
    span: u32,
    /// The score of `next` (meaningless when `next` is NIL).
    score: f64,
    /// `next`'s first upper level in `upper` (meaningless when it has none).
    up: u32,
}

const EMPTY_LEVEL: Level = Level { next: NIL, span: 0, score: 0.0, up: NIL };

#[derive(Clone)]
struct Node {
    member: SmallBytes,
    score: f64,
    backward: u32,
    /// Level 0's forward link (a free node: the next free slot).
    next0: u32,
    /// This node's first level above 0 in `upper` (when `height > 1`).
    upper: u32,
    height: u8,
}

#[derive(Clone)]
pub struct SkipList {
    nodes: Vec<Node>,
    free_node: u32,
    upper: Vec<Level>,
    /// Freed blocks of `upper`, one chain per node height.
    free_upper: [u32; MAX_LEVEL + 1],
    head: [Level; MAX_LEVEL],
    tail: u32,
    len: u32,
    level: u8,
    rng: u64,
    index: Index,
}

impl fmt::Debug for SkipList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter_from(0, false).map(|(m, s)| (String::from_utf8_lossy(m), s))).finish()
    }
}

impl Default for SkipList {
    fn default() -> Self {
        SkipList {
            nodes: Vec::new(),
            free_node: NIL,
            upper: Vec::new(),
            free_upper: [NIL; MAX_LEVEL + 1],
            head: [EMPTY_LEVEL; MAX_LEVEL],
            tail: NIL,
            len: 0,
            level: 1,
            rng: 0x9e37_79b9_7f4a_7c15,
            index: Index::default(),
        }
    }
}

/// (score, member) order: by score, then by member bytes (Redis's `sdscmp`).
#[inline]
fn before(a_score: f64, a_member: &[u8], b_score: f64, b_member: &[u8]) -> bool {
    a_score < b_score || (a_score == b_score && a_member < b_member)
}

impl SkipList {
    pub fn with_capacity(n: usize) -> Self {
        let mut s = SkipList::default();
        s.nodes.reserve_exact(n);
        s.index.reserve(n, |_| &[]);
        s
    }

    #[inline]
    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn lvl(&self, x: u32, i: usize) -> Level {
        if x == HEAD {
            self.head[i]
        } else {
            let n = &self.nodes[x as usize];
            if i == 0 {
                let (score, up) = match self.nodes.get(n.next0 as usize) {
                    Some(next) if n.next0 != NIL => (next.score, next.upper),
                    _ => (0.0, NIL),
                };
                Level { next: n.next0, span: 1, score, up }
            } else {
                self.upper[n.upper as usize + i - 1]
            }
        }
    }

    /// (next, span) of a link, without reading the next node.
    #[inline]
    fn link_of(&self, x: u32, i: usize) -> (u32, u32) {
        if x == HEAD {
            (self.head[i].next, self.head[i].span)
        } else if i == 0 {
            (self.nodes[x as usize].next0, 1)
        } else {
            let l = self.upper[self.nodes[x as usize].upper as usize + i - 1];
            (l.next, l.span)
        }
    }

    /// Records a new score for the node that `x`'s link at level `i` points to.
    #[inline]
    fn set_next_score(&mut self, x: u32, i: usize, score: f64) {
        if x == HEAD {
            self.head[i].score = score;
        } else if i > 0 {
            let at = self.nodes[x as usize].upper as usize + i - 1;
            self.upper[at].score = score;
        }
    }

    #[inline]
    fn set_lvl(&mut self, x: u32, i: usize, l: Level) {
        if x == HEAD {
            self.head[i] = l;
        } else if i == 0 {
            self.nodes[x as usize].next0 = l.next;
        } else {
            let at = self.nodes[x as usize].upper as usize + i - 1;
            self.upper[at] = l;
        }
    }

    #[inline]
    fn node(&self, x: u32) -> &Node {
        &self.nodes[x as usize]
    }

    /// Redis's `zslRandomLevel`: each level with probability 1/4.
    fn random_level(&mut self) -> usize {
        let mut x = self.rng;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.rng = x;
        let mut r = x.wrapping_mul(0x2545_f491_4f6c_dd1d);
        let mut level = 1;
        while level < MAX_LEVEL && r & 3 == 0 {
            level += 1;
            r >>= 2;
        }
        level
    }

    fn alloc(&mut self, member: SmallBytes, score: f64, height: usize) -> u32 {
        let mut upper = NIL;
        if height > 1 {
            let free = self.free_upper[height];
            if free != NIL {
                self.free_upper[height] = self.upper[free as usize].next;
                upper = free;
            } else {
                upper = self.upper.len() as u32;
                self.upper.resize(self.upper.len() + height - 1, EMPTY_LEVEL);
            }
        }
        let node = Node { member, score, backward: NIL, next0: NIL, upper, height: height as u8 };
        if self.free_node != NIL {
            let x = self.free_node;
            self.free_node = self.nodes[x as usize].next0;
            self.nodes[x as usize] = node;
            x
        } else {
            assert!(self.nodes.len() < HEAD as usize, "sorted set too large");
            self.nodes.push(node);
            (self.nodes.len() - 1) as u32
        }
    }

    /// Returns the node's slot to the free lists, handing back its member.
    fn release(&mut self, x: u32) -> SmallBytes {
        let free = self.free_node;
        let n = &mut self.nodes[x as usize];
        let member = std::mem::replace(&mut n.member, SmallBytes::new(b""));
        let (h, up) = (n.height as usize, n.upper);
        n.height = 0;
        n.next0 = free;
        self.free_node = x;
        if h > 1 {
            self.upper[up as usize].next = self.free_upper[h];
            self.free_upper[h] = up;
        }
        member
    }

    /// The predecessors of (score, member) at every level, and their ranks.
    fn find_update(&self, score: f64, member: &[u8]) -> ([u32; MAX_LEVEL], [u32; MAX_LEVEL]) {
        let mut update = [HEAD; MAX_LEVEL];
        let mut rank = [0u32; MAX_LEVEL];
        let mut x = HEAD;
        // Where `x`'s upper levels are, carried over from the link that led to it.
        let mut x_up = NIL;
        let level = self.level as usize;
        for i in (0..level).rev() {
            rank[i] = if i == level - 1 { 0 } else { rank[i + 1] };
            loop {
                let l = if x == HEAD {
                    self.head[i]
                } else if i == 0 {
                    self.lvl(x, 0)
                } else {
                    self.upper[x_up as usize + i - 1]
                };
                if l.next != NIL
                    && (l.score < score || (l.score == score && self.node(l.next).member.as_bytes() < member))
                {
                    rank[i] = rank[i].wrapping_add(l.span);
                    x = l.next;
                    x_up = l.up;
                } else {
                    break;
                }
            }
            update[i] = x;
        }
        (update, rank)
    }

    /// Links a new node for (score, member), which must not be present.
    fn link(&mut self, member: SmallBytes, score: f64) -> u32 {
        let height = self.random_level();
        let x = self.alloc(member, score, height);
        self.link_node(x);
        x
    }

    /// Links again an unlinked node `x` (keeping its number, height and
    /// level block) with a new score.
    fn relink(&mut self, x: u32, member: SmallBytes, score: f64) {
        let n = &mut self.nodes[x as usize];
        n.member = member;
        n.score = score;
        self.link_node(x);
    }

    /// Redis's `zslInsert` for an allocated, unlinked node.
    fn link_node(&mut self, x: u32) {
        let (mut update, mut rank) = {
            let n = self.node(x);
            self.find_update(n.score, &n.member)
        };
        let height = self.node(x).height as usize;
        let level = self.level as usize;
        if height > level {
            for i in level..height {
                rank[i] = 0;
                update[i] = HEAD;
                self.head[i] = Level { next: NIL, span: self.len, score: 0.0, up: NIL };
            }
            self.level = height as u8;
        }
        let (score, up) = (self.node(x).score, self.node(x).upper);
        for i in 0..height {
            let u = self.lvl(update[i], i);
            let gap = rank[0].wrapping_sub(rank[i]);
            self.set_lvl(x, i, Level { next: u.next, span: u.span.wrapping_sub(gap), score: u.score, up: u.up });
            self.set_lvl(update[i], i, Level { next: x, span: gap.wrapping_add(1), score, up });
        }
        for (i, &u) in update.iter().enumerate().take(self.level as usize).skip(height) {
            let mut l = self.lvl(u, i);
            l.span = l.span.wrapping_add(1);
            self.set_lvl(u, i, l);
        }
        self.nodes[x as usize].backward = if update[0] == HEAD { NIL } else { update[0] };
        let next = self.nodes[x as usize].next0;
        if next != NIL {
            self.nodes[next as usize].backward = x;
        } else {
            self.tail = x;
        }
        self.len += 1;
    }

    /// Redis's `zslDeleteNode`: unlinks `x` given its predecessors.
    fn unlink(&mut self, x: u32, update: &[u32; MAX_LEVEL]) {
        for (i, &u) in update.iter().enumerate().take(self.level as usize) {
            let mut ul = self.lvl(u, i);
            if ul.next == x {
                let xl = self.lvl(x, i);
                ul.span = ul.span.wrapping_add(xl.span).wrapping_sub(1);
                ul.next = xl.next;
                ul.score = xl.score;
                ul.up = xl.up;
            } else {
                ul.span = ul.span.wrapping_sub(1);
            }
            self.set_lvl(u, i, ul);
        }
        let (next, back) = (self.nodes[x as usize].next0, self.nodes[x as usize].backward);
        if next != NIL {
            self.nodes[next as usize].backward = back;
        } else {
            self.tail = back;
        }
        while self.level > 1 && self.head[self.level as usize - 1].next == NIL {
            self.level -= 1;
        }
        self.len -= 1;
    }

    // ---- the member-level interface ----

    /// The node holding `member`.
    #[inline]
    fn find(&self, member: &[u8]) -> Option<u32> {
        let nodes = &self.nodes;
        self.index.find(member, |n| nodes[n as usize].member.as_bytes())
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.find(member).map(|x| self.node(x).score)
    }

    /// Adds a member known to be absent.
    pub fn insert(&mut self, member: &[u8], score: f64) {
        let x = self.link(SmallBytes::new(member), score);
        let nodes = &self.nodes;
        self.index.insert(x, member, |n| nodes[n as usize].member.as_bytes());
    }

    /// Changes the score of a present member (Redis's `zslUpdateScore`:
    /// in place when the node keeps its position).
    pub fn update(&mut self, member: &[u8], new_score: f64) {
        let Some(x) = self.find(member) else { return };
        let n = self.node(x);
        let back_ok = n.backward == NIL || {
            let b = self.node(n.backward);
            before(b.score, &b.member, new_score, member)
        };
        let next_ok = n.next0 == NIL || {
            let f = self.node(n.next0);
            before(new_score, member, f.score, &f.member)
        };
        let (update, _) = self.find_update(n.score, member);
        if back_ok && next_ok {
            let height = n.height as usize;
            self.nodes[x as usize].score = new_score;
            for (i, &u) in update.iter().enumerate().take(height) {
                self.set_next_score(u, i, new_score);
            }
            return;
        }
        debug_assert_eq!(self.lvl(update[0], 0).next, x);
        self.unlink(x, &update);
        // The node is relinked under the same number, so the index stays right.
        let m = std::mem::replace(&mut self.nodes[x as usize].member, SmallBytes::new(b""));
        self.relink(x, m, new_score);
    }

    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        let nodes = &self.nodes;
        let x = self.index.remove(member, |n| nodes[n as usize].member.as_bytes())?;
        let score = self.node(x).score;
        let (update, _) = self.find_update(score, member);
        self.unlink(x, &update);
        self.release(x);
        self.maybe_compact();
        Some(score)
    }

    /// 0-based rank of a member from the lowest, with its score.
    pub fn rank(&self, member: &[u8]) -> Option<(usize, f64)> {
        let target = self.find(member)?;
        let score = self.node(target).score;
        let mut x = HEAD;
        let mut rank = 0u32;
        for i in (0..self.level as usize).rev() {
            loop {
                let l = self.lvl(x, i);
                if l.next != NIL
                    && (l.score < score
                        || (l.score == score && (l.next == target || self.node(l.next).member.as_bytes() <= member)))
                {
                    rank = rank.wrapping_add(l.span);
                    x = l.next;
                } else {
                    break;
                }
            }
            if x == target {
                return Some((rank as usize - 1, score));
            }
        }
        None
    }

    /// The node at 0-based `rank`.
    fn at_rank(&self, rank: usize) -> u32 {
        if rank >= self.len() {
            return NIL;
        }
        if rank == self.len() - 1 {
            return self.tail;
        }
        let target = rank as u32 + 1;
        let mut traversed = 0u32;
        let mut x = HEAD;
        for i in (0..self.level as usize).rev() {
            loop {
                let (next, span) = self.link_of(x, i);
                if next != NIL && traversed.wrapping_add(span) <= target {
                    traversed = traversed.wrapping_add(span);
                    x = next;
                } else {
                    break;
                }
            }
            if traversed == target {
                return x;
            }
        }
        NIL
    }

    pub fn get(&self, rank: usize) -> Option<(&[u8], f64)> {
        let x = self.at_rank(rank);
        (x != NIL).then(|| (self.node(x).member.as_bytes(), self.node(x).score))
    }

    /// How many elements, from the lowest, have a score satisfying `pred`
    /// (true for a prefix of the order), reading only the links.
    pub fn count_while_score(&self, pred: impl Fn(f64) -> bool) -> usize {
        let mut x = HEAD;
        let mut rank = 0u32;
        for i in (0..self.level as usize).rev() {
            loop {
                let l = self.lvl(x, i);
                if l.next != NIL && pred(l.score) {
                    rank = rank.wrapping_add(l.span);
                    x = l.next;
                } else {
                    break;
                }
            }
        }
        rank as usize
    }

    /// How many elements, from the lowest, satisfy `pred` (which must hold
    /// for a prefix of the order): the rank where it stops holding.
    pub fn count_while(&self, pred: impl Fn(f64, &[u8]) -> bool) -> usize {
        let mut x = HEAD;
        let mut rank = 0u32;
        for i in (0..self.level as usize).rev() {
            loop {
                let l = self.lvl(x, i);
                if l.next != NIL && pred(l.score, &self.node(l.next).member) {
                    rank = rank.wrapping_add(l.span);
                    x = l.next;
                } else {
                    break;
                }
            }
        }
        rank as usize
    }

    /// Elements from 0-based `rank` on, upwards or (`rev`) downwards.
    pub fn iter_from(&self, rank: usize, rev: bool) -> Iter<'_> {
        let x = if rank == 0 && !rev { self.head[0].next } else { self.at_rank(rank) };
        Iter { list: self, x, rev }
    }

    /// Removes the elements of 0-based ranks `start..end` (Redis's
    /// `zslDeleteRangeByRank`); returns how many it removed.
    pub fn remove_ranks(&mut self, start: usize, end: usize) -> usize {
        if start >= end {
            return 0;
        }
        let (start, end) = (start as u32 + 1, end as u32);
        let mut update = [HEAD; MAX_LEVEL];
        let mut traversed = 0u32;
        let mut x = HEAD;
        for i in (0..self.level as usize).rev() {
            loop {
                let (next, span) = self.link_of(x, i);
                if next != NIL && traversed.wrapping_add(span) < start {
                    traversed = traversed.wrapping_add(span);
                    x = next;
                } else {
                    break;
                }
            }
            update[i] = x;
        }
        traversed += 1;
        x = self.link_of(x, 0).0;
        let mut removed = 0;
        while x != NIL && traversed <= end {
            let next = self.node(x).next0;
            self.unlink(x, &update);
            let nodes = &self.nodes;
            self.index.remove(nodes[x as usize].member.as_bytes(), |n| nodes[n as usize].member.as_bytes());
            self.release(x);
            removed += 1;
            traversed += 1;
            x = next;
        }
        self.maybe_compact();
        removed
    }

    /// A uniformly chosen element, from `seed`.
    pub fn random(&self, seed: u64) -> Option<(&[u8], f64)> {
        if self.len == 0 {
            return None;
        }
        // Arena slots are live or free; compaction keeps at least a quarter live.
        let mut r = seed;
        loop {
            let n = &self.nodes[(r % self.nodes.len() as u64) as usize];
            if n.height != 0 {
                return Some((n.member.as_bytes(), n.score));
            }
            r = r.wrapping_mul(0x9e37_79b9_7f4a_7c15).rotate_left(29) ^ 0x2545_f491_4f6c_dd1d;
        }
    }

    /// One step of a scan of the member index (see `Index::scan`).
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(&[u8], f64)) -> u64 {
        let nodes = &self.nodes;
        self.index.scan(
            cursor,
            |n| nodes[n as usize].member.as_bytes(),
            |n| {
                let node = &nodes[n as usize];
                visit(node.member.as_bytes(), node.score)
            },
        )
    }

    /// Rebuilds the arena once most of it is free slots, so memory follows
    /// the set down after big removals.
    fn maybe_compact(&mut self) {
        if self.nodes.len() > 64 && self.len() * 4 < self.nodes.len() {
            let mut items = Vec::with_capacity(self.len());
            let mut x = self.head[0].next;
            while x != NIL {
                let n = &mut self.nodes[x as usize];
                items.push((std::mem::replace(&mut n.member, SmallBytes::new(b"")), n.score));
                x = n.next0;
            }
            let mut index = std::mem::take(&mut self.index);
            index.clear();
            let rng = self.rng;
            // The index keeps its hasher, so a ZSCAN in progress stays valid.
            *self = SkipList { rng, index, ..SkipList::default() };
            self.nodes.reserve_exact(items.len());
            for (m, s) in items {
                let x = self.link(m, s);
                let nodes = &self.nodes;
                let member = nodes[x as usize].member.as_bytes();
                self.index.insert(x, member, |n| nodes[n as usize].member.as_bytes());
            }
        }
    }

    /// Bytes owned on the heap (arena, level pool, index, long members).
    pub fn heap_size(&self) -> usize {
        let members: usize = self.nodes.iter().map(|n| n.member.heap_size()).sum();
        self.nodes.capacity() * std::mem::size_of::<Node>()
            + self.upper.capacity() * std::mem::size_of::<Level>()
            + self.index.heap_size()
            + members
    }

    /// Checks every invariant (tests).
    #[cfg(test)]
    pub fn check(&self) {
        let mut x = self.head[0].next;
        let mut prev = NIL;
        let mut count = 0;
        while x != NIL {
            let n = self.node(x);
            assert_eq!(n.backward, prev);
            if prev != NIL {
                let p = self.node(prev);
                assert!(before(p.score, &p.member, n.score, &n.member));
            }
            assert_eq!(self.find(&n.member), Some(x));
            count += 1;
            prev = x;
            x = n.next0;
        }
        assert_eq!(self.tail, prev);
        assert_eq!(count, self.len());
        assert_eq!(self.index.len(), self.len());
        // Spans: each link's span equals the rank difference.
        for i in 0..self.level as usize {
            let mut x = HEAD;
            let mut rank = 0u32;
            loop {
                let l = self.lvl(x, i);
                if l.next == NIL {
                    break;
                }
                assert_eq!(l.score, self.node(l.next).score, "cached score at level {i}");
                if i > 0 {
                    assert_eq!(l.up, self.node(l.next).upper, "cached level block at level {i}");
                }
                let r = self.rank(&self.node(l.next).member).unwrap().0 as u32 + 1;
                assert_eq!(rank + l.span, r, "span at level {i}");
                rank = r;
                x = l.next;
            }
        }
    }
}

pub struct Iter<'a> {
    list: &'a SkipList,
    x: u32,
    rev: bool,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], f64);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.x == NIL {
            return None;
        }
        let n = self.list.node(self.x);
        self.x = if self.rev { n.backward } else { n.next0 };
        Some((n.member.as_bytes(), n.score))
    }
}
