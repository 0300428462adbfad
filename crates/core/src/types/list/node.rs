//! One node of a list: its elements packed back to back in one buffer.
//!
//! An entry is `len element len`, the length written as a little-endian
//! base-128 varint before the element and mirrored after it, so the node
//! walks both ways without an index: a short element costs its bytes plus
//! two, as in Redis's listpack.
//!
//! Beside its own bytes a node keeps the size Redis's listpack would have
//! for the same elements ([`lp_entry_size`]): Redis decides node splits and
//! encoding conversions on that size, and reproducing its decisions needs it.
//!
//! An inner node of a quicklist may hold its buffer LZF-compressed
//! (`list-compress-depth`); the entry methods then must not be called until
//! [`Node::decompress`], and readers go through [`Node::bytes`].

use std::borrow::Cow;

use crate::resp::parser::parse_i64;
use crate::util::lzf;

/// Redis compresses no node smaller than this (`MIN_COMPRESS_BYTES`) …
const MIN_COMPRESS_BYTES: usize = 48;
/// … and keeps a node uncompressed unless LZF saves more than this
/// (`MIN_COMPRESS_IMPROVE`).
const MIN_COMPRESS_IMPROVE: usize = 8;

/// A listpack's header (total bytes, element count) and end marker.
pub const LP_EMPTY: usize = 7;

/// Writes `n` as a varint into `out`; returns how many bytes it took.
#[inline]
fn varint(out: &mut [u8; 10], mut n: usize) -> usize {
    let mut k = 0;
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out[k] = low;
            return k + 1;
        }
        out[k] = low | 0x80;
        k += 1;
    }
}

/// The element length starting at `pos` and the bytes its varint took.
#[inline]
fn len_forward(buf: &[u8], pos: usize) -> (usize, usize) {
    let b = buf[pos];
    if b < 0x80 {
        return (b as usize, 1);
    }
    let (mut n, mut shift, mut i) = (0usize, 0, pos);
    loop {
        let b = buf[i];
        n |= ((b & 0x7f) as usize) << shift;
        i += 1;
        if b & 0x80 == 0 {
            return (n, i - pos);
        }
        shift += 7;
    }
}

/// The element whose entry starts at byte `pos` of `buf`, and where the
/// next entry starts.
#[inline]
pub fn entry_at(buf: &[u8], pos: usize) -> (&[u8], usize) {
    let (len, k) = len_forward(buf, pos);
    let data = pos + k;
    (&buf[data..data + len], data + len + k)
}

/// The element whose entry ends at byte `end` of `buf`, and where that
/// entry starts.
#[inline]
pub fn entry_before(buf: &[u8], end: usize) -> (&[u8], usize) {
    let (len, k) = len_backward(buf, end);
    let data = end - k - len;
    (&buf[data..data + len], data - k)
}

/// The byte position of entry `idx` of the `count` in `buf` (`count` is
/// the end), walked from the nearer end.
pub fn offset_in(buf: &[u8], count: usize, idx: usize) -> usize {
    debug_assert!(idx <= count);
    if idx <= count / 2 {
        let mut pos = 0;
        for _ in 0..idx {
            pos = entry_at(buf, pos).1;
        }
        pos
    } else {
        let mut pos = buf.len();
        for _ in idx..count {
            pos = entry_before(buf, pos).1;
        }
        pos
    }
}

/// The element length whose mirrored varint ends at `end`, and its bytes.
#[inline]
fn len_backward(buf: &[u8], end: usize) -> (usize, usize) {
    let b = buf[end - 1];
    if b < 0x80 {
        return (b as usize, 1);
    }
    let (mut n, mut shift, mut i) = (0usize, 0, end);
    loop {
        i -= 1;
        let b = buf[i];
        n |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            return (n, end - i);
        }
        shift += 7;
    }
}

/// The bytes an element takes in a Redis listpack: strings that read as a
/// 64-bit integer (strictly: no sign quirks, no leading zeros) are stored
/// as one in 1 to 9 bytes, others behind a 1, 2 or 5 byte header; then
/// the entry's own length, written backwards in 1 to 5 bytes.
pub fn lp_entry_size(elem: &[u8]) -> usize {
    let len = elem.len();
    let int =
        if (1..=20).contains(&len) && (elem[0].is_ascii_digit() || elem[0] == b'-') { parse_i64(elem) } else { None };
    let enc = match int {
        Some(0..=127) => 1,
        Some(-4096..=4095) => 2,
        Some(-32768..=32767) => 3,
        Some(-8_388_608..=8_388_607) => 4,
        Some(-2_147_483_648..=2_147_483_647) => 5,
        Some(_) => 9,
        None if len < 64 => 1 + len,
        None if len < 4096 => 2 + len,
        None => 5 + len,
    };
    let backlen = match enc {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    };
    enc + backlen
}

#[derive(Clone, Debug)]
pub struct Node {
    /// The entries, or while `packed` is not zero their LZF compression.
    pub buf: Vec<u8>,
    pub count: u32,
    /// The uncompressed length of a compressed buffer; 0 when it is not.
    packed: u32,
    /// What Redis's listpack of these elements would weigh (`lpBytes`).
    pub lp: usize,
}

impl Default for Node {
    fn default() -> Self {
        Node { buf: Vec::new(), count: 0, packed: 0, lp: LP_EMPTY }
    }
}

impl Node {
    pub fn with(elem: &[u8]) -> Node {
        let mut n = Node::default();
        n.push_back(elem);
        n
    }

    /// A node for `elem` with room for `capacity` bytes of entries: a list
    /// growing at one end fills its new node about as full as the one before,
    /// so it is allocated once rather than doubled up to that size (each
    /// doubling leaves a freed buffer behind, which costs RSS).
    pub fn with_capacity(elem: &[u8], capacity: usize) -> Node {
        let mut n = Node { buf: Vec::with_capacity(capacity), ..Node::default() };
        n.push_back(elem);
        n
    }

    /// The element at byte `pos` and where the next entry starts.
    #[inline]
    pub fn at(&self, pos: usize) -> (&[u8], usize) {
        debug_assert!(!self.is_compressed());
        entry_at(&self.buf, pos)
    }

    /// The element whose entry ends at byte `end`, and where that entry starts.
    #[inline]
    pub fn before(&self, end: usize) -> (&[u8], usize) {
        debug_assert!(!self.is_compressed());
        entry_before(&self.buf, end)
    }

    /// The byte position of entry `idx` (`count` is the end), walked from
    /// the nearer end of the node.
    pub fn offset_of(&self, idx: usize) -> usize {
        debug_assert!(!self.is_compressed());
        offset_in(&self.buf, self.count as usize, idx)
    }

    pub fn is_compressed(&self) -> bool {
        self.packed != 0
    }

    /// The entries, decompressed into a copy if the node is compressed.
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        if self.is_compressed() {
            Cow::Owned(lzf::decompress(&self.buf, self.packed as usize).expect("a node decompresses"))
        } else {
            Cow::Borrowed(&self.buf)
        }
    }

    /// Compresses the buffer when Redis would (`__quicklistCompressNode`):
    /// a node of at least 48 listpack bytes whose compression saves more
    /// than 8 bytes. Returns whether the node is compressed.
    pub fn compress(&mut self) -> bool {
        if self.is_compressed() {
            return true;
        }
        let raw = self.buf.len();
        if self.lp < MIN_COMPRESS_BYTES || raw > u32::MAX as usize || raw <= MIN_COMPRESS_IMPROVE {
            return false;
        }
        let Some(mut packed) = lzf::compress(&self.buf, raw - MIN_COMPRESS_IMPROVE - 1) else {
            return false;
        };
        packed.shrink_to_fit();
        self.buf = packed;
        self.packed = raw as u32;
        true
    }

    /// Restores the entries of a compressed node (the node is then changed
    /// or read in place, and compressed again by its list).
    pub fn decompress(&mut self) {
        if self.is_compressed() {
            self.buf = lzf::decompress(&self.buf, self.packed as usize).expect("a node decompresses");
            self.packed = 0;
        }
    }

    /// Inserts `elem` as an entry starting at byte `pos`.
    pub fn insert_at(&mut self, pos: usize, elem: &[u8]) {
        let mut head = [0u8; 10];
        let k = varint(&mut head, elem.len());
        let add = 2 * k + elem.len();
        let old = self.buf.len();
        if pos == old {
            self.buf.reserve(add);
            self.buf.extend_from_slice(&head[..k]);
            self.buf.extend_from_slice(elem);
            self.buf.extend(head[..k].iter().rev());
        } else {
            self.buf.resize(old + add, 0);
            self.buf.copy_within(pos..old, pos + add);
            let slot = &mut self.buf[pos..pos + add];
            slot[..k].copy_from_slice(&head[..k]);
            slot[k..k + elem.len()].copy_from_slice(elem);
            for (i, b) in head[..k].iter().rev().enumerate() {
                slot[k + elem.len() + i] = *b;
            }
        }
        self.count += 1;
        self.lp += lp_entry_size(elem);
    }

    #[inline]
    pub fn push_back(&mut self, elem: &[u8]) {
        self.insert_at(self.buf.len(), elem);
    }

    #[inline]
    pub fn push_front(&mut self, elem: &[u8]) {
        self.insert_at(0, elem);
    }

    /// Removes the entry starting at byte `pos`; returns where the next
    /// entry now starts (that is, `pos`).
    pub fn remove_at(&mut self, pos: usize) -> usize {
        let (elem, end) = self.at(pos);
        self.lp -= lp_entry_size(elem);
        self.buf.drain(pos..end);
        self.count -= 1;
        pos
    }

    /// Replaces the element of the entry at byte `pos`.
    pub fn replace_at(&mut self, pos: usize, elem: &[u8]) {
        self.remove_at(pos);
        self.insert_at(pos, elem);
    }

    pub fn pop_front(&mut self) -> Vec<u8> {
        let (elem, _) = self.at(0);
        let out = elem.to_vec();
        self.remove_at(0);
        out
    }

    pub fn pop_back(&mut self) -> Vec<u8> {
        let (elem, start) = self.before(self.buf.len());
        let out = elem.to_vec();
        self.lp -= lp_entry_size(elem);
        self.buf.truncate(start);
        self.count -= 1;
        out
    }

    /// Removes the first `n` entries, handing each element to `f` in order.
    pub fn drain_front(&mut self, n: usize, mut f: impl FnMut(&[u8])) {
        let (mut pos, mut lp) = (0, 0);
        for _ in 0..n {
            let (elem, next) = self.at(pos);
            lp += lp_entry_size(elem);
            f(elem);
            pos = next;
        }
        self.buf.drain(..pos);
        self.count -= n as u32;
        self.lp -= lp;
    }

    /// Removes the last `n` entries, handing each element to `f` from the
    /// last one backwards.
    pub fn drain_back(&mut self, n: usize, mut f: impl FnMut(&[u8])) {
        let (mut pos, mut lp) = (self.buf.len(), 0);
        for _ in 0..n {
            let (elem, start) = self.before(pos);
            lp += lp_entry_size(elem);
            f(elem);
            pos = start;
        }
        self.buf.truncate(pos);
        self.count -= n as u32;
        self.lp -= lp;
    }

    /// Moves the entries from `idx` on into a new node.
    pub fn split_off(&mut self, idx: usize) -> Node {
        let pos = self.offset_of(idx);
        let buf = self.buf.split_off(pos);
        let mut tail = Node { buf, count: self.count - idx as u32, packed: 0, lp: LP_EMPTY };
        tail.lp = tail.recount_lp();
        self.count = idx as u32;
        self.lp -= tail.lp - LP_EMPTY;
        tail
    }

    /// Appends every entry of `other` (which comes right after this node).
    pub fn append(&mut self, mut other: Node) {
        other.decompress();
        if self.count == 0 {
            *self = other;
            return;
        }
        self.buf.extend_from_slice(&other.buf);
        self.count += other.count;
        self.lp += other.lp - LP_EMPTY;
    }

    /// Removes up to `limit` entries equal to `elem`: the first ones, or with
    /// `from_back` the last ones. Returns how many went.
    pub fn remove_matching(&mut self, elem: &[u8], limit: usize, from_back: bool) -> usize {
        // Matches to keep before removing: with `from_back`, all but the last `limit`.
        let mut skip = 0;
        if from_back {
            let mut matches = 0;
            let mut pos = 0;
            while pos < self.buf.len() {
                let (e, next) = self.at(pos);
                matches += (e == elem) as usize;
                pos = next;
            }
            skip = matches.saturating_sub(limit);
        }
        let (mut read, mut write, mut removed) = (0, 0, 0);
        let len = self.buf.len();
        while read < len {
            let (e, next) = self.at(read);
            let gone = e == elem && removed < limit && {
                if skip > 0 {
                    skip -= 1;
                    false
                } else {
                    true
                }
            };
            if gone {
                removed += 1;
            } else {
                if write != read {
                    self.buf.copy_within(read..next, write);
                }
                write += next - read;
            }
            read = next;
        }
        if removed > 0 {
            self.buf.truncate(write);
            self.count -= removed as u32;
            self.lp -= removed * lp_entry_size(elem);
        }
        removed
    }

    /// The listpack size, computed from the elements.
    pub fn recount_lp(&self) -> usize {
        let mut pos = 0;
        let mut lp = LP_EMPTY;
        while pos < self.buf.len() {
            let (e, next) = self.at(pos);
            lp += lp_entry_size(e);
            pos = next;
        }
        lp
    }

    /// Gives back spare capacity once the node is full (more than an eighth).
    pub fn seal(&mut self) {
        if self.buf.capacity() - self.buf.len() > self.buf.len() / 8 {
            self.buf.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elems(n: &Node) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < n.buf.len() {
            let (e, next) = n.at(pos);
            out.push(e.to_vec());
            pos = next;
        }
        out
    }

    fn elems_back(n: &Node) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        let mut pos = n.buf.len();
        while pos > 0 {
            let (e, start) = n.before(pos);
            out.push(e.to_vec());
            pos = start;
        }
        out.reverse();
        out
    }

    #[test]
    fn entries_walk_both_ways_at_every_varint_width() {
        let sizes = [0usize, 1, 127, 128, 300, 16383, 16384, 70000];
        let mut n = Node::default();
        for (i, &s) in sizes.iter().enumerate() {
            n.push_back(&vec![b'a' + i as u8; s]);
        }
        n.push_front(b"front");
        n.insert_at(n.offset_of(3), b"mid");
        let fwd = elems(&n);
        assert_eq!(fwd, elems_back(&n));
        assert_eq!(fwd.len(), n.count as usize);
        assert_eq!(fwd[0], b"front");
        assert_eq!(fwd[3], b"mid");
        assert_eq!(fwd.iter().map(|e| e.len()).collect::<Vec<_>>()[5..], [128, 300, 16383, 16384, 70000]);
        for i in 0..=n.count as usize {
            let mut pos = 0;
            for _ in 0..i {
                pos = n.at(pos).1;
            }
            assert_eq!(n.offset_of(i), pos, "entry {i}");
        }
        assert_eq!(n.lp, n.recount_lp());
    }

    #[test]
    fn listpack_sizes_follow_redis_encodings() {
        // (element, bytes in a Redis listpack) — integers by range, strings by header size.
        let cases: [(&[u8], usize); 14] = [
            (b"0", 2),
            (b"127", 2),
            (b"128", 3),
            (b"-1", 3),
            (b"-4096", 3),
            (b"4096", 4),
            (b"-32768", 4),
            (b"32768", 5),
            (b"8388608", 6),
            (b"2147483648", 10),
            (b"-0", 4),
            (b"007", 5),
            (b"", 2),
            (b"hello", 7),
        ];
        for (e, size) in cases {
            assert_eq!(lp_entry_size(e), size, "{:?}", String::from_utf8_lossy(e));
        }
        assert_eq!(lp_entry_size(&[b'x'; 63]), 65);
        assert_eq!(lp_entry_size(&[b'x'; 64]), 67);
        assert_eq!(lp_entry_size(&[b'x'; 126]), 130);
        assert_eq!(lp_entry_size(&[b'x'; 4095]), 4097 + 2);
        assert_eq!(lp_entry_size(&[b'x'; 4096]), 4101 + 2);
        assert_eq!(lp_entry_size(&[b'x'; 20000]), 20005 + 3);
        assert_eq!(lp_entry_size(b"9223372036854775807"), 10);
        assert_eq!(lp_entry_size(b"9223372036854775808"), 21);
    }

    #[test]
    fn drains_splits_and_removals_keep_the_sizes() {
        let mut n = Node::default();
        for i in 0..20 {
            n.push_back(format!("e{}", i % 4).as_bytes());
        }
        let mut got = Vec::new();
        n.drain_front(2, |e| got.push(e.to_vec()));
        n.drain_back(2, |e| got.push(e.to_vec()));
        assert_eq!(got, [b"e0", b"e1", b"e3", b"e2"]);
        assert_eq!(n.count, 16);
        let tail = n.split_off(10);
        assert_eq!((n.count, tail.count), (10, 6));
        assert_eq!((n.lp, tail.lp), (n.recount_lp(), tail.recount_lp()));
        n.append(tail);
        assert_eq!(n.count, 16);
        assert_eq!(n.remove_matching(b"e2", 2, true), 2);
        assert_eq!(n.remove_matching(b"e3", usize::MAX, false), 4);
        assert_eq!(n.lp, n.recount_lp());
        let left: Vec<String> = elems(&n).iter().map(|e| String::from_utf8_lossy(e).into_owned()).collect();
        assert_eq!(left.join(" "), "e2 e0 e1 e2 e0 e1 e0 e1 e0 e1");
        assert_eq!(n.pop_back(), b"e1");
        assert_eq!(n.pop_front(), b"e2");
        assert_eq!(n.lp, n.recount_lp());
    }
}
