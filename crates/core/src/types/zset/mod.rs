//! Sorted sets, in Redis's two encodings:
//!
//! - `listpack` — small sets: one vector of (score, member) kept sorted by
//!   score then member; every operation is a binary search or a short scan.
//!   Used while the set has at most `zset-max-listpack-entries` members and
//!   none is longer than `zset-max-listpack-value` bytes.
//! - `skiplist` — everything else: see [`skiplist`].
//!
//! A set converts to `skiplist` when it outgrows the limits and never back,
//! except that results built whole (ZRANGESTORE, Z*STORE) pick the encoding
//! that fits them, as Redis does.
//!
//! Commands address elements by 0-based rank (ascending): a score or lex
//! range becomes a half-open rank interval, which both encodings compute in
//! O(log n).

mod index;
pub mod skiplist;
#[cfg(test)]
mod tests;

use crate::config::EncodingLimits;
use crate::keyspace::bytes::SmallBytes;
use skiplist::SkipList;

/// The thresholds a sorted set converts at (`zset-max-listpack-*`).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    pub max_entries: usize,
    pub max_value: usize,
}

impl From<&EncodingLimits> for Limits {
    fn from(e: &EncodingLimits) -> Self {
        Limits { max_entries: e.zset_max_listpack_entries, max_value: e.zset_max_listpack_value }
    }
}

#[derive(Clone, Debug)]
pub struct LpEntry {
    score: f64,
    member: SmallBytes,
}

#[derive(Clone, Debug)]
enum Repr {
    Listpack(Vec<LpEntry>),
    Skiplist(Box<SkipList>),
}

/// A zset value.
#[derive(Clone, Debug)]
pub struct ZSet {
    repr: Repr,
}

impl Default for ZSet {
    fn default() -> Self {
        ZSet { repr: Repr::Listpack(Vec::new()) }
    }
}

/// A score interval (`ZRANGEBYSCORE`'s min and max, "(" for exclusive).
#[derive(Clone, Copy, Debug)]
pub struct ScoreRange {
    pub min: f64,
    pub max: f64,
    pub minex: bool,
    pub maxex: bool,
}

impl ScoreRange {
    #[inline]
    pub fn gte_min(&self, v: f64) -> bool {
        if self.minex {
            v > self.min
        } else {
            v >= self.min
        }
    }

    #[inline]
    pub fn lte_max(&self, v: f64) -> bool {
        if self.maxex {
            v < self.max
        } else {
            v <= self.max
        }
    }
}

/// One end of a lex range: "-", "+", "[x" or "(x".
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LexBound {
    /// "-": below every string.
    Min,
    /// "+": above every string.
    Max,
    Incl(Vec<u8>),
    Excl(Vec<u8>),
}

#[derive(Clone, Debug)]
pub struct LexRange {
    pub min: LexBound,
    pub max: LexBound,
}

impl LexRange {
    pub fn gte_min(&self, m: &[u8]) -> bool {
        match &self.min {
            LexBound::Min => true,
            LexBound::Max => false,
            LexBound::Incl(b) => m >= b.as_slice(),
            LexBound::Excl(b) => m > b.as_slice(),
        }
    }

    pub fn lte_max(&self, m: &[u8]) -> bool {
        match &self.max {
            LexBound::Min => false,
            LexBound::Max => true,
            LexBound::Incl(b) => m <= b.as_slice(),
            LexBound::Excl(b) => m < b.as_slice(),
        }
    }
}

/// A listpack stores a score as text, and -0 as the integer 0: Redis's
/// listpack sets read -0 back as 0 (its skiplists keep -0).
#[inline]
fn lp_score(score: f64) -> f64 {
    score + 0.0
}

impl ZSet {
    /// Redis's `zsetTypeCreate`: a set about to receive `size_hint` members,
    /// the first `first_len` bytes long.
    pub fn with_hint(size_hint: usize, first_len: usize, limits: Limits) -> Self {
        if size_hint <= limits.max_entries && first_len <= limits.max_value {
            ZSet::default()
        } else {
            ZSet { repr: Repr::Skiplist(Box::new(SkipList::with_capacity(size_hint))) }
        }
    }

    /// Redis's `zsetTypeMaybeConvert`: about to add up to `size_hint` members.
    pub fn maybe_convert(&mut self, size_hint: usize, limits: Limits) {
        if matches!(self.repr, Repr::Listpack(_)) && size_hint > limits.max_entries {
            self.convert_to_skiplist(self.len() + size_hint);
        }
    }

    /// A set built whole from members in order (sorted, no duplicates), in
    /// the encoding that fits it (Z*STORE and ZRANGESTORE results).
    pub fn from_sorted(items: Vec<(Vec<u8>, f64)>, limits: Limits) -> Self {
        let longest = items.iter().map(|(m, _)| m.len()).max().unwrap_or(0);
        if items.len() <= limits.max_entries && longest <= limits.max_value {
            let v = items
                .into_iter()
                .map(|(m, score)| LpEntry { score: lp_score(score), member: SmallBytes::from_vec(m) })
                .collect();
            ZSet { repr: Repr::Listpack(v) }
        } else {
            let mut sl = SkipList::with_capacity(items.len());
            for (m, s) in items {
                sl.insert(&m, s);
            }
            ZSet { repr: Repr::Skiplist(Box::new(sl)) }
        }
    }

    fn convert_to_skiplist(&mut self, capacity: usize) {
        if let Repr::Listpack(v) = &self.repr {
            let mut sl = SkipList::with_capacity(capacity.max(v.len()));
            for e in v {
                sl.insert(&e.member, e.score);
            }
            self.repr = Repr::Skiplist(Box::new(sl));
        }
    }

    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Listpack(v) => v.len(),
            Repr::Skiplist(s) => s.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The name OBJECT ENCODING replies with.
    pub fn encoding(&self) -> &'static str {
        match &self.repr {
            Repr::Listpack(_) => "listpack",
            Repr::Skiplist(_) => "skiplist",
        }
    }

    /// Bytes owned on the heap.
    pub fn heap_size(&self) -> usize {
        match &self.repr {
            Repr::Listpack(v) => {
                v.capacity() * std::mem::size_of::<LpEntry>() + v.iter().map(|e| e.member.heap_size()).sum::<usize>()
            }
            Repr::Skiplist(s) => std::mem::size_of::<SkipList>() + s.heap_size(),
        }
    }

    /// Position of (score, member) in a listpack: Ok if present.
    fn lp_search(v: &[LpEntry], score: f64, member: &[u8]) -> Result<usize, usize> {
        v.binary_search_by(|e| {
            e.score
                .partial_cmp(&score)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| e.member.as_bytes().cmp(member))
        })
    }

    pub fn score(&self, member: &[u8]) -> Option<f64> {
        match &self.repr {
            Repr::Listpack(v) => v.iter().find(|e| e.member.as_bytes() == member).map(|e| e.score),
            Repr::Skiplist(s) => s.score(member),
        }
    }

    /// Adds a member known to be absent, converting to `skiplist` first when
    /// the listpack would outgrow `limits` (Redis's `zsetAdd`).
    pub fn insert(&mut self, member: &[u8], score: f64, limits: Limits) {
        if let Repr::Listpack(v) = &self.repr {
            if v.len() + 1 > limits.max_entries || member.len() > limits.max_value {
                self.convert_to_skiplist(v.len() + 1);
            }
        }
        match &mut self.repr {
            Repr::Listpack(v) => {
                let at = Self::lp_search(v, score, member).unwrap_or_else(|i| i);
                v.insert(at, LpEntry { score: lp_score(score), member: SmallBytes::new(member) });
            }
            Repr::Skiplist(s) => s.insert(member, score),
        }
    }

    /// Changes a present member's score.
    pub fn update(&mut self, member: &[u8], old: f64, new: f64) {
        match &mut self.repr {
            Repr::Listpack(v) => {
                if let Ok(i) = Self::lp_search(v, old, member) {
                    let mut e = v.remove(i);
                    e.score = lp_score(new);
                    let at = Self::lp_search(v, new, member).unwrap_or_else(|i| i);
                    v.insert(at, e);
                }
            }
            Repr::Skiplist(s) => s.update(member, new),
        }
    }

    /// Removes a member; its score if it was there.
    pub fn remove(&mut self, member: &[u8]) -> Option<f64> {
        match &mut self.repr {
            Repr::Listpack(v) => {
                let i = v.iter().position(|e| e.member.as_bytes() == member)?;
                Some(v.remove(i).score)
            }
            Repr::Skiplist(s) => s.remove(member),
        }
    }

    /// 0-based rank from the lowest score, and the score.
    pub fn rank(&self, member: &[u8]) -> Option<(usize, f64)> {
        match &self.repr {
            Repr::Listpack(v) => v.iter().position(|e| e.member.as_bytes() == member).map(|i| (i, v[i].score)),
            Repr::Skiplist(s) => s.rank(member),
        }
    }

    /// The element at 0-based rank.
    pub fn get(&self, rank: usize) -> Option<(&[u8], f64)> {
        match &self.repr {
            Repr::Listpack(v) => v.get(rank).map(|e| (e.member.as_bytes(), e.score)),
            Repr::Skiplist(s) => s.get(rank),
        }
    }

    /// Elements from `rank` on, upwards or (`rev`) downwards.
    pub fn iter_from(&self, rank: usize, rev: bool) -> Iter<'_> {
        match &self.repr {
            Repr::Listpack(v) => {
                let it = if rev {
                    let end = if rank < v.len() { rank + 1 } else { 0 };
                    LpIter::Rev(v[..end].iter().rev())
                } else {
                    LpIter::Fwd(v[rank.min(v.len())..].iter())
                };
                Iter::Lp(it)
            }
            Repr::Skiplist(s) => Iter::Sl(s.iter_from(rank, rev)),
        }
    }

    /// Every element in order.
    pub fn iter(&self) -> Iter<'_> {
        self.iter_from(0, false)
    }

    /// The ranks `lo..hi` whose scores are in `range` (empty when hi <= lo).
    pub fn score_ranks(&self, range: &ScoreRange) -> (usize, usize) {
        match &self.repr {
            Repr::Listpack(v) => {
                (v.partition_point(|e| !range.gte_min(e.score)), v.partition_point(|e| range.lte_max(e.score)))
            }
            Repr::Skiplist(s) => {
                (s.count_while_score(|sc| !range.gte_min(sc)), s.count_while_score(|sc| range.lte_max(sc)))
            }
        }
    }

    /// The ranks `lo..hi` whose members are in `range`. Lex ranges assume
    /// equal scores; otherwise the answer follows Redis's walk of each
    /// encoding (a scan of the listpack, a descent of the skiplist).
    pub fn lex_ranks(&self, range: &LexRange) -> (usize, usize) {
        // Redis's `zslIsInLexRange`: empty ranges, and sets wholly outside.
        let (first, last) = match (self.get(0), self.len().checked_sub(1).and_then(|i| self.get(i))) {
            (Some(f), Some(l)) => (f.0, l.0),
            _ => return (0, 0),
        };
        if !Self::lex_nonempty(range) || !range.gte_min(last) || !range.lte_max(first) {
            return (0, 0);
        }
        match &self.repr {
            Repr::Listpack(v) => {
                let Some(lo) = v.iter().position(|e| range.gte_min(&e.member)) else { return (0, 0) };
                let hi = lo + v[lo..].iter().take_while(|e| range.lte_max(&e.member)).count();
                (lo, hi)
            }
            Repr::Skiplist(s) => {
                let lo = s.count_while(|_, m| !range.gte_min(m));
                let hi = s.count_while(|_, m| range.lte_max(m));
                (lo, hi.max(lo))
            }
        }
    }

    /// Redis's `zslIsInLexRange` first test: ranges that are always empty.
    fn lex_nonempty(range: &LexRange) -> bool {
        use LexBound::*;
        let (a, a_ex): (&[u8], bool) = match &range.min {
            Min => return !matches!(range.max, Min),
            Max => return false,
            Incl(b) => (b, false),
            Excl(b) => (b, true),
        };
        let (b, b_ex): (&[u8], bool) = match &range.max {
            Min => return false,
            Max => return true,
            Incl(b) => (b, false),
            Excl(b) => (b, true),
        };
        a < b || (a == b && !a_ex && !b_ex)
    }

    /// Removes the elements of ranks `lo..hi`; returns how many.
    pub fn remove_ranks(&mut self, lo: usize, hi: usize) -> usize {
        let hi = hi.min(self.len());
        if lo >= hi {
            return 0;
        }
        match &mut self.repr {
            Repr::Listpack(v) => {
                v.drain(lo..hi);
                hi - lo
            }
            Repr::Skiplist(s) => s.remove_ranks(lo, hi),
        }
    }

    /// A uniformly chosen element, drawn from `seed`.
    pub fn random(&self, seed: u64) -> Option<(&[u8], f64)> {
        match &self.repr {
            Repr::Listpack(v) => {
                if v.is_empty() {
                    None
                } else {
                    let e = &v[(seed % v.len() as u64) as usize];
                    Some((e.member.as_bytes(), e.score))
                }
            }
            Repr::Skiplist(s) => s.random(seed),
        }
    }

    /// One ZSCAN step: a listpack is returned whole (next cursor 0), a
    /// skiplist is scanned through its dictionary.
    pub fn scan(&self, cursor: u64, mut visit: impl FnMut(&[u8], f64)) -> u64 {
        match &self.repr {
            Repr::Listpack(v) => {
                for e in v {
                    visit(&e.member, e.score);
                }
                0
            }
            Repr::Skiplist(s) => s.scan(cursor, visit),
        }
    }

    /// True for the `skiplist` encoding (ZSCAN steps through it).
    pub fn is_skiplist(&self) -> bool {
        matches!(self.repr, Repr::Skiplist(_))
    }

    #[cfg(test)]
    pub fn check(&self) {
        match &self.repr {
            Repr::Listpack(v) => {
                for w in v.windows(2) {
                    assert!(
                        w[0].score < w[1].score
                            || (w[0].score == w[1].score && w[0].member.as_bytes() < w[1].member.as_bytes()),
                        "listpack out of order"
                    );
                }
            }
            Repr::Skiplist(s) => s.check(),
        }
    }
}

pub enum LpIter<'a> {
    Fwd(std::slice::Iter<'a, LpEntry>),
    Rev(std::iter::Rev<std::slice::Iter<'a, LpEntry>>),
}

pub enum Iter<'a> {
    Lp(LpIter<'a>),
    Sl(skiplist::Iter<'a>),
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], f64);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Iter::Lp(LpIter::Fwd(it)) => it.next().map(|e| (e.member.as_bytes(), e.score)),
            Iter::Lp(LpIter::Rev(it)) => it.next().map(|e| (e.member.as_bytes(), e.score)),
            Iter::Sl(it) => it.next(),
        }
    }
}
