//! Lists, stored and encoded as Redis 7.2 stores them.
//!
//! A list is a run of nodes, each a buffer of packed entries ([`node`]). A
//! small list is one node and reports `listpack`; once it outgrows
//! `list-max-listpack-size` it reports `quicklist` and spreads over nodes
//! filled up to that limit, and it goes back to one `listpack` node when it
//! shrinks below half the limit (7.2's `listTypeTryConversion`).
//!
//! Redis decides when to convert and where to split or merge nodes from
//! its listpacks' byte sizes; every node tracks that size, and the
//! operations here follow quicklist's rules (`_quicklistNodeAllowInsert`,
//! `_quicklistInsert` with its split and merges, node removal when empty),
//! so the encoding OBJECT ENCODING reports is Redis's after any sequence of
//! commands. Redis's separate "plain" nodes for elements of 1 GB and more
//! are not reproduced: such an element shares a node like any other.
//!
//! With `list-compress-depth` D > 0 (taken, like the fill, when the list
//! becomes a quicklist), the D nodes at each end stay as they are and the
//! nodes between are LZF-compressed where Redis would compress them
//! ([`Node::compress`]). As in quicklist.c, only the nodes an operation
//! touches and the two just inside the uncompressed ends are (re)compressed
//! after it ([`List::settle`]), which keeps every inner node compressed
//! without visiting them all. A write decompresses the node it changes; a
//! read decompresses a copy, so reading through `&List` needs no lock and
//! leaves nothing to recompress.
//!
//! Finding an index skips whole nodes from the nearer end of the list, then
//! walks entries from the nearer end of the node, as Redis does.

mod node;
#[cfg(test)]
mod tests;

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::Range;

use node::{Entries, Node, Pos, LP_EMPTY};

/// One end of a list: LEFT is the head, RIGHT the tail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    Left,
    Right,
}

/// Node sizes for `list-max-listpack-size` -1 .. -5.
const SIZE_LEVELS: [usize; 5] = [4096, 8192, 16384, 32768, 65536];
/// With a count limit, no node with more than one entry grows past this.
const SIZE_SAFETY_LIMIT: usize = 8192;
/// What quicklist adds to an element's length to estimate its entry size.
const SIZE_ESTIMATE_OVERHEAD: usize = 8;
/// The range quicklist keeps its own copy of the fill in.
const FILL_MIN: i64 = -5;
const FILL_MAX: i64 = 32767;
/// quicklist keeps the compress depth in 16 bits.
const DEPTH_MAX: i64 = u16::MAX as i64;

/// The limit a `list-max-listpack-size` value sets on one node: a byte
/// size (negative values) or an entry count (positive; 0 counts as 1).
#[derive(Clone, Copy, Debug)]
struct Limit {
    size: usize,
    count: u64,
}

impl Limit {
    fn of(fill: i64) -> Limit {
        let fill = fill.clamp(i32::MIN as i64, i32::MAX as i64);
        if fill >= 0 {
            Limit { size: usize::MAX, count: fill.max(1) as u64 }
        } else {
            let level = ((-fill - 1) as usize).min(SIZE_LEVELS.len() - 1);
            Limit { size: SIZE_LEVELS[level], count: u32::MAX as u64 }
        }
    }

    /// Redis's `quicklistNodeExceedsLimit`.
    fn exceeded(self, size: usize, count: usize) -> bool {
        if self.size != usize::MAX {
            size > self.size
        } else {
            size > SIZE_SAFETY_LIMIT || count as u64 > self.count
        }
    }
}

/// A list value.
#[derive(Clone, Debug, Default)]
pub struct List {
    /// The first node: the whole list while it is a listpack. Empty only
    /// when the list is (then `rest` is empty too).
    head: Node,
    /// The nodes after the first, when the list is a quicklist (boxed: a
    /// listpack, the common small list, pays one word for them).
    #[allow(clippy::box_collection)] // one word inline instead of four
    rest: Option<Box<VecDeque<Node>>>,
    len: usize,
    quick: bool,
    /// The fill the list had when it became a quicklist (quicklist keeps its
    /// own copy, so a later CONFIG SET changes conversions, not its nodes).
    fill: i16,
    /// The `list-compress-depth` it had then, for the same reason.
    depth: u16,
}

impl List {
    pub fn new() -> List {
        List::default()
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The name OBJECT ENCODING replies with.
    pub fn encoding(&self) -> &'static str {
        if self.quick {
            "quicklist"
        } else {
            "listpack"
        }
    }

    /// Bytes owned on the heap.
    pub fn heap_size(&self) -> usize {
        let rest = self.rest.as_deref().map_or(0, |r| {
            std::mem::size_of::<VecDeque<Node>>()
                + r.capacity() * std::mem::size_of::<Node>()
                + r.iter().map(Node::capacity).sum::<usize>()
        });
        self.head.capacity() + rest
    }

    /// The nodes and their listpack bytes in all: what DEBUG OBJECT shows
    /// of a quicklist as `ql_nodes` and `ql_uncompressed_size`.
    pub fn node_stats(&self) -> (usize, usize) {
        let n = self.nodes();
        (n, (0..n).map(|i| self.node(i).lp).sum())
    }

    /// The fill and compress depth a quicklist keeps (DEBUG OBJECT's
    /// `ql_listpack_max`, and `ql_compressed` when the depth is not 0).
    pub fn quicklist_settings(&self) -> (i16, u16) {
        (self.fill, self.depth)
    }

    // ---- encoding conversions (7.2's listTypeTryConversion) ----

    /// Tests' shorthand for [`List::grow_with_depth`] without compression.
    #[cfg(test)]
    pub fn grow(&mut self, fill: i64, bytes: usize, count: usize) {
        self.grow_with_depth(fill, 0, bytes, count);
    }

    /// Before adding `count` elements of `bytes` bytes in all: a listpack
    /// that would outgrow `fill` (the current `list-max-listpack-size`)
    /// becomes a quicklist, keeping `depth` nodes at each end uncompressed
    /// (`list-compress-depth`; 0 compresses none). Redis counts the
    /// elements' raw lengths, not their encoded sizes, and calls this before
    /// LPUSH/RPUSH, LINSERT (pivot found or not), LSET and the push half of
    /// LMOVE.
    pub fn grow_with_depth(&mut self, fill: i64, depth: i64, bytes: usize, count: usize) {
        if self.quick || !Limit::of(fill).exceeded(self.head.lp + bytes, self.len + count) {
            return;
        }
        self.quick = true;
        self.fill = fill.clamp(FILL_MIN, FILL_MAX) as i16;
        self.depth = depth.clamp(0, DEPTH_MAX) as u16;
        if self.len == 0 {
            self.head = Node::default();
        }
    }

    /// After removing elements: a quicklist down to one node within half
    /// of `fill`'s limit becomes a listpack again.
    pub fn shrink(&mut self, fill: i64) {
        if !self.quick || self.nodes() != 1 {
            return;
        }
        let limit = Limit::of(fill);
        if self.head.lp <= limit.size / 2 && self.len as u64 <= limit.count / 2 {
            self.quick = false;
            self.rest = None;
            self.depth = 0;
            self.head.decompress();
        }
    }

    // ---- nodes ----

    fn nodes(&self) -> usize {
        if self.head.count == 0 {
            0
        } else {
            1 + self.rest.as_deref().map_or(0, VecDeque::len)
        }
    }

    fn node(&self, i: usize) -> &Node {
        if i == 0 {
            &self.head
        } else {
            &self.rest.as_deref().expect("node index in range")[i - 1]
        }
    }

    fn node_mut(&mut self, i: usize) -> &mut Node {
        if i == 0 {
            &mut self.head
        } else {
            &mut self.rest.as_deref_mut().expect("node index in range")[i - 1]
        }
    }

    fn insert_node(&mut self, i: usize, node: Node) {
        if i == 0 {
            let old = std::mem::replace(&mut self.head, node);
            if old.count > 0 {
                self.rest.get_or_insert_default().push_front(old);
            }
        } else {
            self.rest.get_or_insert_default().insert(i - 1, node);
        }
    }

    fn remove_node(&mut self, i: usize) -> Node {
        if i == 0 {
            let next = self.rest.as_deref_mut().and_then(VecDeque::pop_front).unwrap_or_default();
            std::mem::replace(&mut self.head, next)
        } else {
            self.rest.as_deref_mut().and_then(|r| r.remove(i - 1)).expect("node index in range")
        }
    }

    /// Node `i`, decompressed to be changed.
    fn node_raw(&mut self, i: usize) -> &mut Node {
        let node = self.node_mut(i);
        node.decompress();
        node
    }

    /// Merges node `i + 1` into node `i`.
    fn merge(&mut self, i: usize) {
        let right = self.remove_node(i + 1);
        self.node_raw(i).append(right);
    }

    // ---- compression (quicklist's __quicklistCompress) ----

    /// Whether node `i` lies between the uncompressed ends.
    fn inner(&self, i: usize) -> bool {
        let depth = self.depth as usize;
        depth > 0 && i >= depth && i + depth < self.nodes()
    }

    /// After nodes came or went: the `depth` nodes at each end
    /// decompressed (nodes move into them as others go), the first node
    /// past each end compressed (nodes move there as others come), and so
    /// the nodes in `touched` that are inner. (Called only then: a node
    /// that LZF would not shrink is not tried again until it changes.)
    fn settle(&mut self, touched: Range<usize>) {
        let depth = self.depth as usize;
        if depth == 0 {
            return;
        }
        let n = self.nodes();
        for i in (0..depth.min(n)).chain(n.saturating_sub(depth)..n) {
            self.node_mut(i).decompress();
        }
        for i in [depth, n.saturating_sub(depth + 1)].into_iter().chain(touched) {
            self.compress_inner(i);
        }
    }

    /// Compresses node `i` if it is inner.
    fn compress_inner(&mut self, i: usize) {
        if self.inner(i) {
            self.node_mut(i).compress();
        }
    }

    /// Whether node `i` holds `elem` (LREM skips a compressed node that
    /// does not, rather than decompress and compress it again).
    fn holds(&self, i: usize, elem: &[u8]) -> bool {
        self.entries(i).contains(elem)
    }

    /// The entries of node `i`, decompressed into a copy if need be.
    fn entries(&self, i: usize) -> Entries<'_> {
        self.node(i).entries()
    }

    /// The node holding element `idx` and the element's index within it,
    /// skipping nodes from the nearer end of the list.
    fn locate(&self, idx: usize) -> (usize, usize) {
        debug_assert!(idx < self.len);
        let n = self.nodes();
        if idx < self.len / 2 {
            let mut first = 0;
            for i in 0..n {
                let count = self.node(i).count as usize;
                if idx < first + count {
                    return (i, idx - first);
                }
                first += count;
            }
        } else {
            let mut first = self.len;
            for i in (0..n).rev() {
                first -= self.node(i).count as usize;
                if idx >= first {
                    return (i, idx - first);
                }
            }
        }
        unreachable!("index {idx} within a list of {}", self.len)
    }

    /// A Redis index (negative from the end) as a position, if in range.
    fn index(&self, index: i64) -> Option<usize> {
        let idx = if index < 0 { index.checked_add(self.len as i64)? } else { index };
        usize::try_from(idx).ok().filter(|&i| i < self.len)
    }

    /// `_quicklistNodeAllowInsert`: node `i` takes one more element of `len` bytes.
    fn allow_insert(&self, i: usize, len: usize) -> bool {
        let node = self.node(i);
        !Limit::of(self.fill as i64).exceeded(node.lp + len + SIZE_ESTIMATE_OVERHEAD, node.count as usize + 1)
    }

    /// `_quicklistNodeAllowMerge`: nodes `a` and `b` fit in one.
    fn allow_merge(&self, a: usize, b: usize) -> bool {
        let (a, b) = (self.node(a), self.node(b));
        let size = a.lp + b.lp - LP_EMPTY;
        !Limit::of(self.fill as i64).exceeded(size, (a.count + b.count) as usize)
    }

    // ---- reading ----

    /// The element at a Redis index (negative from the end); a copy when
    /// it sits in a compressed node.
    pub fn get(&self, index: i64) -> Option<Cow<'_, [u8]>> {
        let idx = self.index(index)?;
        let (i, local) = self.locate(idx);
        let entries = self.entries(i);
        let (elem, _) = entries.next(entries.seek(local));
        Some(entries.element(elem))
    }

    /// Every element from the head.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_from(0)
    }

    /// The elements from position `idx` towards the tail.
    pub fn iter_from(&self, idx: usize) -> Iter<'_> {
        if idx >= self.len {
            return Iter { list: self, cur: Entries::empty(), node: 0, pos: Pos::default(), left: 0 };
        }
        let (i, local) = self.locate(idx);
        let cur = self.entries(i);
        let pos = cur.seek(local);
        Iter { list: self, cur, node: i, pos, left: self.len - idx }
    }

    /// Hands up to `n` elements from position `idx` towards the tail to
    /// `f`, each lent for the call: no copy even of an integer, which the
    /// iterators return spelt out in a new buffer (LRANGE's path).
    pub fn each_from(&self, idx: usize, n: usize, mut f: impl FnMut(&[u8])) {
        // The walk of `Iter::next`, written out: through a shared step
        // function LRANGE of strings measured ~12% slower (feed_loop).
        if idx >= self.len {
            return;
        }
        let (mut i, local) = self.locate(idx);
        let mut cur = self.entries(i);
        let mut pos = cur.seek(local);
        for _ in 0..n.min(self.len - idx) {
            if cur.at_end(pos) {
                i += 1;
                cur = self.entries(i);
                pos = Pos::default();
            }
            let (elem, next) = cur.next(pos);
            f(cur.get(elem).as_bytes());
            pos = next;
        }
    }

    /// The elements from position `idx` towards the head.
    pub fn iter_back_from(&self, idx: usize) -> RevIter<'_> {
        if idx >= self.len {
            return RevIter { list: self, cur: Entries::empty(), node: 0, end: Pos::default(), left: 0 };
        }
        let (i, local) = self.locate(idx);
        let cur = self.entries(i);
        let end = cur.seek(local + 1);
        RevIter { list: self, cur, node: i, end, left: idx + 1 }
    }

    // ---- writing ----

    /// Adds an element at one end (call [`List::grow`] first).
    pub fn push(&mut self, end: End, elem: &[u8]) {
        let n = self.nodes();
        if !self.quick || n == 0 {
            match end {
                End::Left => self.head.push_front(elem),
                End::Right => self.head.push_back(elem),
            }
        } else {
            let i = match end {
                End::Left => 0,
                End::Right => n - 1,
            };
            if self.allow_insert(i, elem.len()) {
                match end {
                    End::Left => self.node_raw(0).push_front(elem),
                    End::Right => self.node_raw(i).push_back(elem),
                }
            } else {
                let full = self.node_raw(i);
                full.seal();
                // Room for as much as the full node holds and two elements
                // more: the next node fills about as full, give or take one.
                let size = full.used() + 2 * full.used() / full.count.max(1) as usize;
                let at = if end == End::Left { 0 } else { n };
                self.insert_node(at, Node::with_capacity(elem, size.max(elem.len() + 20)));
                self.settle(0..0);
            }
        }
        self.len += 1;
    }

    /// Removes and returns the element at one end.
    pub fn pop(&mut self, end: End) -> Option<Vec<u8>> {
        if self.len == 0 {
            return None;
        }
        let i = match end {
            End::Left => 0,
            End::Right => self.nodes() - 1,
        };
        let node = self.node_raw(i);
        let elem = match end {
            End::Left => node.pop_front(),
            End::Right => node.pop_back(),
        };
        if node.count == 0 {
            self.remove_node(i);
            self.settle(0..0);
        }
        self.len -= 1;
        Some(elem)
    }

    /// Removes up to `n` elements from one end, handing each to `f` in the
    /// order they leave (from the tail backwards for RIGHT).
    pub fn pop_each(&mut self, end: End, n: usize, mut f: impl FnMut(&[u8])) -> usize {
        let total = n.min(self.len);
        let mut want = total;
        let nodes = self.nodes();
        while want > 0 {
            let i = match end {
                End::Left => 0,
                End::Right => self.nodes() - 1,
            };
            let node = self.node_raw(i);
            let take = want.min(node.count as usize);
            match end {
                End::Left => node.drain_front(take, &mut f),
                End::Right => node.drain_back(take, &mut f),
            }
            if node.count == 0 {
                self.remove_node(i);
            }
            want -= take;
            self.len -= take;
        }
        if self.nodes() != nodes {
            self.settle(0..0);
        }
        total
    }

    /// Removes `front` elements from the head and `back` from the tail
    /// (LTRIM). Whole nodes go without being decompressed.
    pub fn trim(&mut self, mut front: usize, mut back: usize) {
        let nodes = self.nodes();
        while front > 0 && front >= self.head.count as usize && self.nodes() > 1 {
            let count = self.remove_node(0).count as usize;
            (front, self.len) = (front - count, self.len - count);
        }
        while back > 0 && self.nodes() > 1 {
            let last = self.nodes() - 1;
            let count = self.node(last).count as usize;
            if back < count {
                break;
            }
            self.remove_node(last);
            (back, self.len) = (back - count, self.len - count);
        }
        self.pop_each(End::Left, front, |_| {});
        self.pop_each(End::Right, back, |_| {});
        if self.nodes() != nodes {
            self.settle(0..0);
        }
    }

    /// Replaces the element at a Redis index; false if out of range.
    pub fn set(&mut self, index: i64, elem: &[u8]) -> bool {
        let Some(idx) = self.index(index) else {
            return false;
        };
        let (i, local) = self.locate(idx);
        let node = self.node_raw(i);
        let pos = node.seek(local);
        node.replace_at(pos, elem);
        self.compress_inner(i);
        true
    }

    /// Inserts `elem` before or after the first element equal to `pivot`
    /// (LINSERT; call [`List::grow`] first); false if there is none.
    pub fn insert(&mut self, pivot: &[u8], elem: &[u8], after: bool) -> bool {
        let mut found = None;
        'search: for i in 0..self.nodes() {
            let entries = self.entries(i);
            let (mut pos, mut offset) = (Pos::default(), 0);
            while !entries.at_end(pos) {
                let (e, next) = entries.next(pos);
                if entries.get(e).as_bytes() == pivot {
                    found = Some((i, offset, if after { next } else { pos }));
                    break 'search;
                }
                pos = next;
                offset += 1;
            }
        }
        let Some((i, offset, pos)) = found else {
            return false;
        };
        if self.quick {
            self.insert_quick(i, offset, pos, elem, after);
            self.settle(i.saturating_sub(2)..i + 4);
        } else {
            self.head.insert_at(pos, elem);
        }
        self.len += 1;
        true
    }

    /// `_quicklistInsert`: `elem` goes next to entry `offset` of node `i`
    /// (at `pos`) if the node has room; otherwise into the neighbour
    /// when inserting at the node's edge and the neighbour has room, or a
    /// new node there; otherwise node `i` is split at the entry and the
    /// nodes around it merged where they fit.
    fn insert_quick(&mut self, i: usize, offset: usize, pos: Pos, elem: &[u8], after: bool) {
        let len = elem.len();
        let count = self.node(i).count as usize;
        let full = !self.allow_insert(i, len);
        let at_tail = after && offset == count - 1;
        let at_head = !after && offset == 0;
        let next_free = at_tail && i + 1 < self.nodes() && self.allow_insert(i + 1, len);
        let prev_free = at_head && i > 0 && self.allow_insert(i - 1, len);
        // Splits and merges below may touch any of these.
        for j in i.saturating_sub(1)..(i + 2).min(self.nodes()) {
            self.node_mut(j).decompress();
        }
        if !full {
            self.node_mut(i).insert_at(pos, elem);
        } else if next_free {
            self.node_mut(i + 1).push_front(elem);
        } else if prev_free {
            self.node_mut(i - 1).push_back(elem);
        } else if at_tail || at_head {
            self.insert_node(if after { i + 1 } else { i }, Node::with(elem));
        } else if after {
            let mut right = self.node_mut(i).split_off(offset + 1);
            right.push_front(elem);
            self.insert_node(i + 1, right);
            self.merge_around(i);
        } else {
            let right = self.node_mut(i).split_off(offset);
            let mut left = std::mem::replace(self.node_mut(i), right);
            left.push_back(elem);
            self.insert_node(i, left);
            self.merge_around(i + 1);
        }
    }

    /// `_quicklistMergeNodes`: after a split at node `c`, merge the two
    /// nodes before it, the two after it, then it with its previous and
    /// the result with its next, each where the pair fits in one node.
    fn merge_around(&mut self, mut c: usize) {
        if c >= 2 && self.allow_merge(c - 1, c - 2) {
            self.merge(c - 2);
            c -= 1;
        }
        if c + 2 < self.nodes() && self.allow_merge(c + 1, c + 2) {
            self.merge(c + 1);
        }
        let target = if c >= 1 && self.allow_merge(c, c - 1) {
            self.merge(c - 1);
            c - 1
        } else {
            c
        };
        if target + 1 < self.nodes() && self.allow_merge(target, target + 1) {
            self.merge(target);
        }
    }

    /// Removes elements equal to `elem` (LREM): the first `count` from the
    /// head, or with a negative count the last `-count`; all with 0.
    /// Returns how many went.
    pub fn remove(&mut self, elem: &[u8], count: i64) -> usize {
        let from_back = count < 0;
        let mut limit =
            if count == 0 { usize::MAX } else { usize::try_from(count.unsigned_abs()).unwrap_or(usize::MAX) };
        let mut removed = 0;
        let nodes = self.nodes();
        if from_back {
            let mut i = self.nodes();
            while i > 0 && limit > 0 {
                i -= 1;
                if self.node(i).is_compressed() && !self.holds(i, elem) {
                    continue;
                }
                let was_compressed = self.node(i).is_compressed();
                let r = self.node_raw(i).remove_matching(elem, limit, true);
                if self.node(i).count == 0 {
                    self.remove_node(i);
                } else if r > 0 || was_compressed {
                    self.compress_inner(i);
                }
                (limit, removed) = (limit - r, removed + r);
            }
        } else {
            let mut i = 0;
            while i < self.nodes() && limit > 0 {
                if self.node(i).is_compressed() && !self.holds(i, elem) {
                    i += 1;
                    continue;
                }
                let was_compressed = self.node(i).is_compressed();
                let r = self.node_raw(i).remove_matching(elem, limit, false);
                if self.node(i).count == 0 {
                    self.remove_node(i);
                } else {
                    if r > 0 || was_compressed {
                        self.compress_inner(i);
                    }
                    i += 1;
                }
                (limit, removed) = (limit - r, removed + r);
            }
        }
        self.len -= removed;
        if self.nodes() != nodes {
            self.settle(0..0);
        }
        removed
    }
}

/// Elements from some position towards the tail: borrowed from the list,
/// copies from a compressed node.
pub struct Iter<'a> {
    list: &'a List,
    /// The entries of the node being walked, its index, and where its next
    /// entry starts.
    cur: Entries<'a>,
    node: usize,
    pos: Pos,
    left: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = Cow<'a, [u8]>;

    #[inline]
    fn next(&mut self) -> Option<Cow<'a, [u8]>> {
        if self.left == 0 {
            return None;
        }
        if self.cur.at_end(self.pos) {
            self.node += 1;
            self.cur = self.list.entries(self.node);
            self.pos = Pos::default();
        }
        let (elem, next) = self.cur.next(self.pos);
        self.pos = next;
        self.left -= 1;
        Some(self.cur.element(elem))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

/// Elements from some position towards the head.
pub struct RevIter<'a> {
    list: &'a List,
    cur: Entries<'a>,
    node: usize,
    /// Where the next element's entry ends in the node being walked.
    end: Pos,
    left: usize,
}

impl<'a> Iterator for RevIter<'a> {
    type Item = Cow<'a, [u8]>;

    #[inline]
    fn next(&mut self) -> Option<Cow<'a, [u8]>> {
        if self.left == 0 {
            return None;
        }
        if self.end == Pos::default() {
            self.node -= 1;
            self.cur = self.list.entries(self.node);
            self.end = self.cur.end();
        }
        let (elem, start) = self.cur.prev(self.end);
        self.end = start;
        self.left -= 1;
        Some(self.cur.element(elem))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for RevIter<'_> {}

#[cfg(test)]
impl List {
    /// Panics unless the nodes agree with the list: counts add up, sizes
    /// match the elements, no empty node, one node at most as a listpack.
    pub(crate) fn check(&self) {
        let n = self.nodes();
        assert!(
            self.head.count > 0 || self.rest.as_ref().is_none_or(|r| r.is_empty()),
            "empty head before other nodes"
        );
        let mut total = 0;
        for i in 0..n {
            let compressed = self.node(i).is_compressed();
            assert!(!compressed || self.inner(i), "node {i} of {n} compressed within depth {}", self.depth);
            let mut node = self.node(i).clone();
            node.decompress();
            let node = &node;
            assert!(node.count > 0, "empty node {i}");
            assert_eq!(node.lp, node.recount_lp(), "listpack size of node {i}");
            // The sizes kept and read off entries, against the elements' own.
            let (mut pos, mut count, mut lp) = (Pos::default(), 0, LP_EMPTY);
            while pos != node.end() {
                let (elem, next) = node.next(pos);
                lp += node::lp_entry_size(node.get(elem).as_bytes());
                pos = next;
                count += 1;
            }
            assert_eq!(lp, node.lp, "listpack size of node {i} from its elements");
            assert_eq!(node.seek(count), pos, "node {i} walked back");
            assert_eq!(count, node.count as usize, "entries of node {i}");
            total += count;
        }
        assert_eq!(total, self.len);
        if !self.quick {
            assert!(n <= 1, "a listpack of {n} nodes");
        }
    }

    /// How many nodes are compressed.
    pub(crate) fn compressed_nodes(&self) -> usize {
        (0..self.nodes()).filter(|&i| self.node(i).is_compressed()).count()
    }

    /// The inner nodes left uncompressed although Redis's rules would
    /// compress them.
    fn missed_compressions(&self) -> usize {
        (0..self.nodes())
            .filter(|&i| self.inner(i) && !self.node(i).is_compressed() && self.node(i).clone().compress())
            .count()
    }
}
