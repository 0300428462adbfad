//! One node of a list: the elements' bytes packed from the front of one
//! buffer, their lengths packed from its back.
//!
//! ```text
//! [ e0 e1 e2 … | free | … code2 code1 code0 ]
//! ```
//!
//! Element `i`'s length code sits `i` codes below the buffer's end, so
//! appending an element (RPUSH) writes into the free middle without moving
//! anything, and walking the node either way reads only the codes (a byte
//! per element) beside the data, never the elements themselves.
//!
//! A length up to 240 is one byte; a longer one is a marker, the length in
//! 2, 4 or 8 little-endian bytes and the marker again, so a code reads the
//! same from either side. A short element thus costs its bytes plus one,
//! where Redis's listpack spends two (strings under 64 bytes) to four.
//! An element that reads as a 64-bit integer (as Redis decides: no sign
//! quirks, no leading zeros) is kept in binary, in the fewest of 1 to 8
//! bytes, behind a one-byte code that gives the width; reading spells it
//! out again, byte for byte as it came.
//!
//! Beside its own bytes a node keeps the size Redis's listpack would have
//! for the same elements ([`lp_entry_size`]): Redis decides node splits and
//! encoding conversions on that size, and reproducing its decisions needs it.
//!
//! An inner node of a quicklist may hold its bytes LZF-compressed
//! (`list-compress-depth`); the entry methods then must not be called until
//! [`Node::decompress`], and readers go through [`Node::entries`].

use std::borrow::Cow;

use crate::resp::parser::parse_i64;
use crate::resp::writer::{fmt_i64, itoa_buf};
use crate::util::lzf;

/// Redis compresses no node smaller than this (`MIN_COMPRESS_BYTES`) …
const MIN_COMPRESS_BYTES: usize = 48;
/// … and keeps a node uncompressed unless LZF saves more than this
/// (`MIN_COMPRESS_IMPROVE`).
const MIN_COMPRESS_IMPROVE: usize = 8;

/// A listpack's header (total bytes, element count) and end marker.
pub const LP_EMPTY: usize = 7;

/// The longest length written as a single code byte.
const SHORT_MAX: usize = 240;
/// Codes `INT_BASE + w` (w = 1..=8) stand for an integer kept in `w` bytes.
const INT_BASE: u8 = 240;
const INT_MAX_CODE: u8 = INT_BASE + 8;
/// Markers of the longer codes, by the width of the length they frame.
const MARK_16: u8 = 251;
const MARK_32: u8 = 252;
const MARK_64: u8 = 253;

/// The bytes the code of an element of `len` bytes takes.
#[inline]
fn code_size(len: usize) -> usize {
    if len <= SHORT_MAX {
        1
    } else if len <= u16::MAX as usize {
        4
    } else if len <= u32::MAX as usize {
        6
    } else {
        10
    }
}

/// Writes the code of `len` into `out`, which is `code_size(len)` long.
#[inline]
fn write_code(out: &mut [u8], len: usize) {
    let (mark, width) = match out.len() {
        1 => {
            out[0] = len as u8;
            return;
        }
        4 => (MARK_16, 2),
        6 => (MARK_32, 4),
        _ => (MARK_64, 8),
    };
    out[0] = mark;
    out[1..1 + width].copy_from_slice(&(len as u64).to_le_bytes()[..width]);
    out[1 + width] = mark;
}

/// The width of the length a marker frames.
#[inline]
fn framed_width(mark: u8) -> usize {
    match mark {
        MARK_16 => 2,
        MARK_32 => 4,
        _ => 8,
    }
}

#[inline]
fn read_len(bytes: &[u8]) -> usize {
    let mut le = [0u8; 8];
    le[..bytes.len()].copy_from_slice(bytes);
    u64::from_le_bytes(le) as usize
}

/// What a code says: the bytes of element data, whether they are an
/// integer, and the code's own size.
type Code = (usize, bool, usize);

/// A one-byte code, if `b` is one.
#[inline]
fn single(b: u8) -> Option<Code> {
    if b as usize <= SHORT_MAX {
        Some((b as usize, false, 1))
    } else if b <= INT_MAX_CODE {
        Some(((b - INT_BASE) as usize, true, 1))
    } else {
        None
    }
}

/// The code that ends at byte `top` of `buf`.
#[inline]
fn code_ending_at(buf: &[u8], top: usize) -> Code {
    let b = buf[top - 1];
    single(b).unwrap_or_else(|| {
        let width = framed_width(b);
        (read_len(&buf[top - 1 - width..top - 1]), false, width + 2)
    })
}

/// The code that starts at byte `bottom` of `buf`.
#[inline]
fn code_starting_at(buf: &[u8], bottom: usize) -> Code {
    let b = buf[bottom];
    single(b).unwrap_or_else(|| {
        let width = framed_width(b);
        (read_len(&buf[bottom + 1..bottom + 1 + width]), false, width + 2)
    })
}

/// The integer an element reads as, by Redis's rules (`string2ll`, as
/// listpacks and intsets decide).
#[inline]
fn integer(elem: &[u8]) -> Option<i64> {
    let len = elem.len();
    if (1..=20).contains(&len) && (elem[0].is_ascii_digit() || elem[0] == b'-') {
        parse_i64(elem)
    } else {
        None
    }
}

/// The fewest bytes that hold `v` in two's complement.
#[inline]
fn int_width(v: i64) -> usize {
    let magnitude = if v < 0 { !v } else { v };
    (64 - magnitude.leading_zeros() as usize + 1).div_ceil(8)
}

/// Where an element's data lies in a node's buffer, and whether it is an
/// integer in binary.
#[derive(Clone, Copy, Debug)]
pub struct Span {
    start: usize,
    end: usize,
    int: bool,
}

/// An element read from a node: its bytes, or an integer spelt out.
pub enum Elem<'a> {
    Bytes(&'a [u8]),
    Int([u8; 20], usize),
}

impl Elem<'_> {
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Elem::Bytes(b) => b,
            Elem::Int(digits, from) => &digits[*from..],
        }
    }
}

/// The integer kept in binary in `data` (1 to 8 bytes, two's complement).
#[inline]
fn int_of(data: &[u8]) -> i64 {
    let fill = if data[data.len() - 1] & 0x80 != 0 { 0xff } else { 0 };
    let mut le = [fill; 8];
    le[..data.len()].copy_from_slice(data);
    i64::from_le_bytes(le)
}

/// The element `span` marks in `buf`.
#[inline]
fn elem_in(buf: &[u8], span: Span) -> Elem<'_> {
    let data = &buf[span.start..span.end];
    if !span.int {
        return Elem::Bytes(data);
    }
    let mut digits = itoa_buf();
    let from = 20 - fmt_i64(int_of(data), &mut digits).len();
    Elem::Int(digits, from)
}

/// [`lp_entry_size`] of the element `span` marks, read off the entry: an
/// element kept as bytes never reads as an integer (those are kept in
/// binary), so nothing is spelt out or parsed again.
#[inline]
fn lp_in(buf: &[u8], span: Span) -> usize {
    if span.int {
        lp_size(0, Some(int_of(&buf[span.start..span.end])))
    } else {
        lp_size(span.end - span.start, None)
    }
}

/// Where an entry starts: its element's offset in the data, and the bytes
/// of codes before its own (counted from the buffer's end). Positions stay
/// valid across a node's regrowth and in a decompressed copy of it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pos {
    data: usize,
    code: usize,
}

/// A node's entries as stored: its buffer (borrowed, or decompressed into
/// a copy), the bytes of element data at its front and of codes at its end.
pub struct Entries<'a> {
    buf: Cow<'a, [u8]>,
    data: usize,
    codes: usize,
    count: usize,
}

impl<'a> Entries<'a> {
    /// A node with no entries.
    pub fn empty() -> Entries<'a> {
        Entries { buf: Cow::Borrowed(&[]), data: 0, codes: 0, count: 0 }
    }

    pub fn end(&self) -> Pos {
        Pos { data: self.data, code: self.codes }
    }

    pub fn at_end(&self, p: Pos) -> bool {
        p.data == self.data && p.code == self.codes
    }

    /// The element of the entry at `p` (where it lies in the buffer) and
    /// where the next entry starts.
    #[inline]
    pub fn next(&self, p: Pos) -> (Span, Pos) {
        next_in(&self.buf, p)
    }

    /// The element of the entry before `p` and where that entry starts.
    #[inline]
    pub fn prev(&self, p: Pos) -> (Span, Pos) {
        prev_in(&self.buf, p)
    }

    /// Where entry `idx` starts (`count` is the end), walked from the
    /// nearer end of the node.
    pub fn seek(&self, idx: usize) -> Pos {
        seek_in(&self.buf, self.end(), self.count, idx)
    }

    #[inline]
    pub fn get(&self, span: Span) -> Elem<'_> {
        elem_in(&self.buf, span)
    }

    /// An element as borrowed from the list when the buffer is, or copied
    /// out of a decompressed node or spelt out from an integer.
    #[inline]
    pub fn element(&self, span: Span) -> Cow<'a, [u8]> {
        match (&self.buf, span.int) {
            (Cow::Borrowed(b), false) => Cow::Borrowed(&b[span.start..span.end]),
            _ => Cow::Owned(self.get(span).as_bytes().to_vec()),
        }
    }

    /// Whether some element equals `elem`.
    pub fn contains(&self, elem: &[u8]) -> bool {
        let mut p = Pos::default();
        while !self.at_end(p) {
            let (e, next) = self.next(p);
            if self.get(e).as_bytes() == elem {
                return true;
            }
            p = next;
        }
        false
    }
}

#[inline]
fn next_in(buf: &[u8], p: Pos) -> (Span, Pos) {
    let (len, int, k) = code_ending_at(buf, buf.len() - p.code);
    (Span { start: p.data, end: p.data + len, int }, Pos { data: p.data + len, code: p.code + k })
}

#[inline]
fn prev_in(buf: &[u8], p: Pos) -> (Span, Pos) {
    let (len, int, k) = code_starting_at(buf, buf.len() - p.code);
    (Span { start: p.data - len, end: p.data, int }, Pos { data: p.data - len, code: p.code - k })
}

fn seek_in(buf: &[u8], end: Pos, count: usize, idx: usize) -> Pos {
    debug_assert!(idx <= count);
    if idx <= count / 2 {
        let mut p = Pos::default();
        for _ in 0..idx {
            p = next_in(buf, p).1;
        }
        p
    } else {
        let mut p = end;
        for _ in idx..count {
            p = prev_in(buf, p).1;
        }
        p
    }
}

/// The bytes an element takes in a Redis listpack: strings that read as a
/// 64-bit integer (strictly: no sign quirks, no leading zeros) are stored
/// as one in 1 to 9 bytes, others behind a 1, 2 or 5 byte header; then
/// the entry's own length, written backwards in 1 to 5 bytes.
pub fn lp_entry_size(elem: &[u8]) -> usize {
    lp_size(elem.len(), integer(elem))
}

/// [`lp_entry_size`] of an element of `len` bytes that reads as `int`.
fn lp_size(len: usize, int: Option<i64>) -> usize {
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
    /// Element data from the front, codes from the back (its length is the
    /// node's capacity: the middle is zeroes); or, shorter than the two, their
    /// LZF compression without the middle.
    buf: Vec<u8>,
    /// Bytes of element data.
    data: usize,
    /// Bytes of codes: a few per element, and a node holds few elements
    /// but for one of any size (32 bits keep the list value in 72 bytes).
    codes: u32,
    pub count: u32,
    /// What Redis's listpack of these elements would weigh (`lpBytes`).
    pub lp: usize,
}

impl Default for Node {
    fn default() -> Self {
        Node { buf: Vec::new(), data: 0, codes: 0, count: 0, lp: LP_EMPTY }
    }
}

impl Node {
    pub fn with(elem: &[u8]) -> Node {
        let mut n = Node::default();
        n.push_back(elem);
        n
    }

    /// A node for `elem` with room for `capacity` bytes: a list growing at
    /// one end fills its new node about as full as the one before, so it is
    /// allocated once rather than doubled up to that size (each doubling
    /// leaves a freed buffer behind, which costs RSS), and [`Node::seal`]
    /// gives back what it did not use.
    pub fn with_capacity(elem: &[u8], capacity: usize) -> Node {
        let mut n = Node { buf: vec![0; capacity], ..Node::default() };
        n.push_back(elem);
        n
    }

    /// Bytes allocated for the node.
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }

    /// Bytes its entries take (uncompressed).
    pub fn used(&self) -> usize {
        self.data + self.codes()
    }

    fn codes(&self) -> usize {
        self.codes as usize
    }

    fn set_codes(&mut self, bytes: usize) {
        self.codes = u32::try_from(bytes).expect("a node's length codes fit in 32 bits");
    }

    pub fn is_compressed(&self) -> bool {
        // Compression is kept only when it saves bytes; entries never fill
        // less than their buffer.
        self.buf.len() < self.used()
    }

    /// The entries to read, decompressed into a copy if the node is compressed.
    pub fn entries(&self) -> Entries<'_> {
        let buf = if self.is_compressed() {
            Cow::Owned(lzf::decompress(&self.buf, self.used()).expect("a node decompresses"))
        } else {
            Cow::Borrowed(&self.buf[..])
        };
        Entries { buf, data: self.data, codes: self.codes(), count: self.count as usize }
    }

    /// The element data and codes side by side, without the free middle.
    fn packed_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::with_capacity(self.used());
        raw.extend_from_slice(&self.buf[..self.data]);
        raw.extend_from_slice(&self.buf[self.buf.len() - self.codes()..]);
        raw
    }

    /// Compresses the entries on Redis's terms (`__quicklistCompressNode`):
    /// a node of at least 48 listpack bytes whose compression saves more
    /// than 8 bytes (of its own: a run of alike length codes compresses, so
    /// some nodes Redis leaves raw shrink here). Returns whether the node
    /// is compressed.
    pub fn compress(&mut self) -> bool {
        if self.is_compressed() {
            return true;
        }
        let raw = self.used();
        if self.lp < MIN_COMPRESS_BYTES || raw <= MIN_COMPRESS_IMPROVE {
            return false;
        }
        let Some(mut packed) = lzf::compress(&self.packed_bytes(), raw - MIN_COMPRESS_IMPROVE - 1) else {
            return false;
        };
        packed.shrink_to_fit();
        self.buf = packed;
        true
    }

    /// Restores the entries of a compressed node (the node is then changed
    /// or read in place, and compressed again by its list).
    pub fn decompress(&mut self) {
        if self.is_compressed() {
            // Data then codes with nothing between: the layout of a full buffer.
            self.buf = lzf::decompress(&self.buf, self.used()).expect("a node decompresses");
        }
    }

    // ---- walking (the node must not be compressed) ----

    #[inline]
    pub fn next(&self, p: Pos) -> (Span, Pos) {
        debug_assert!(!self.is_compressed());
        next_in(&self.buf, p)
    }

    #[inline]
    pub fn prev(&self, p: Pos) -> (Span, Pos) {
        debug_assert!(!self.is_compressed());
        prev_in(&self.buf, p)
    }

    pub fn end(&self) -> Pos {
        Pos { data: self.data, code: self.codes() }
    }

    /// Where entry `idx` starts (`count` is the end), walked from the
    /// nearer end of the node.
    pub fn seek(&self, idx: usize) -> Pos {
        debug_assert!(!self.is_compressed());
        seek_in(&self.buf, self.end(), self.count as usize, idx)
    }

    #[inline]
    pub fn get(&self, span: Span) -> Elem<'_> {
        elem_in(&self.buf, span)
    }

    // ---- changing ----

    /// Makes room for `add` more bytes, moving the codes to the end of a
    /// buffer at least twice as large when they do not fit.
    fn reserve(&mut self, add: usize) {
        let cap = self.buf.len();
        let need = self.used() + add;
        if need <= cap {
            return;
        }
        self.regrow(need.max(cap * 2).max(8));
    }

    /// Resizes the buffer to `cap` bytes (at least `used`), the codes
    /// moving with its end. Growing and shrinking go through `realloc`,
    /// which most often extends or cuts the block where it lies.
    fn regrow(&mut self, cap: usize) {
        let (old, codes) = (self.buf.len(), self.codes());
        if cap > old {
            self.buf.reserve_exact(cap - old);
            self.buf.resize(cap, 0);
            self.buf.copy_within(old - codes..old, cap - codes);
        } else {
            self.buf.copy_within(old - codes..old, cap - codes);
            self.buf.truncate(cap);
            self.buf.shrink_to_fit();
        }
    }

    /// Inserts `elem` as an entry starting at `p`.
    pub fn insert_at(&mut self, p: Pos, elem: &[u8]) {
        let int = integer(elem);
        let le;
        let (data, k) = match int {
            Some(v) => {
                le = v.to_le_bytes();
                (&le[..int_width(v)], 1)
            }
            None => (elem, code_size(elem.len())),
        };
        let len = data.len();
        self.reserve(len + k);
        let cap = self.buf.len();
        // Data after `p` moves up by the element, codes after it down by its code.
        self.buf.copy_within(p.data..self.data, p.data + len);
        self.buf[p.data..p.data + len].copy_from_slice(data);
        let (low, top) = (cap - self.codes(), cap - p.code);
        self.buf.copy_within(low..top, low - k);
        if int.is_some() {
            self.buf[top - 1] = INT_BASE + len as u8;
        } else {
            write_code(&mut self.buf[top - k..top], len);
        }
        self.data += len;
        self.set_codes(self.codes() + k);
        self.count += 1;
        self.lp += lp_size(elem.len(), int);
    }

    #[inline]
    pub fn push_back(&mut self, elem: &[u8]) {
        self.insert_at(self.end(), elem);
    }

    #[inline]
    pub fn push_front(&mut self, elem: &[u8]) {
        self.insert_at(Pos::default(), elem);
    }

    /// Removes the entries from `p` to `q`, whose elements weigh `lp`
    /// listpack bytes.
    fn cut(&mut self, p: Pos, q: Pos, removed: usize, lp: usize) {
        let cap = self.buf.len();
        self.buf.copy_within(q.data..self.data, p.data);
        let (low, top) = (cap - self.codes(), cap - q.code);
        self.buf.copy_within(low..top, low + (q.code - p.code));
        self.data -= q.data - p.data;
        self.set_codes(self.codes() - (q.code - p.code));
        self.count -= removed as u32;
        self.lp -= lp;
    }

    /// Removes the entry starting at `p`.
    pub fn remove_at(&mut self, p: Pos) {
        let (elem, q) = self.next(p);
        let lp = lp_in(&self.buf, elem);
        self.cut(p, q, 1, lp);
    }

    /// Replaces the element of the entry at `p`.
    pub fn replace_at(&mut self, p: Pos, elem: &[u8]) {
        self.remove_at(p);
        self.insert_at(p, elem);
    }

    pub fn pop_front(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.drain_front(1, |e| out = e.to_vec());
        out
    }

    pub fn pop_back(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.drain_back(1, |e| out = e.to_vec());
        out
    }

    /// Removes the first `n` entries, handing each element to `f` in order.
    pub fn drain_front(&mut self, n: usize, mut f: impl FnMut(&[u8])) {
        let (mut q, mut lp) = (Pos::default(), 0);
        for _ in 0..n {
            let (elem, next) = self.next(q);
            lp += lp_in(&self.buf, elem);
            f(self.get(elem).as_bytes());
            q = next;
        }
        self.cut(Pos::default(), q, n, lp);
    }

    /// Removes the last `n` entries, handing each element to `f` from the
    /// last one backwards.
    pub fn drain_back(&mut self, n: usize, mut f: impl FnMut(&[u8])) {
        let (mut p, mut lp) = (self.end(), 0);
        for _ in 0..n {
            let (elem, start) = self.prev(p);
            lp += lp_in(&self.buf, elem);
            f(self.get(elem).as_bytes());
            p = start;
        }
        // The last entries' data ends the data and their codes begin the
        // codes: nothing moves.
        self.data = p.data;
        self.set_codes(p.code);
        self.count -= n as u32;
        self.lp -= lp;
    }

    /// Moves the entries from `idx` on into a new node, allocated to fit them.
    pub fn split_off(&mut self, idx: usize) -> Node {
        let p = self.seek(idx);
        let cap = self.buf.len();
        let (data, codes) = (self.data - p.data, self.codes() - p.code);
        let mut buf = vec![0; data + codes];
        buf[..data].copy_from_slice(&self.buf[p.data..self.data]);
        buf[data..].copy_from_slice(&self.buf[cap - self.codes()..cap - p.code]);
        let mut tail = Node { buf, data, codes: 0, count: self.count - idx as u32, lp: LP_EMPTY };
        tail.set_codes(codes);
        tail.lp = tail.recount_lp();
        self.data = p.data;
        self.set_codes(p.code);
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
        self.reserve(other.used());
        let cap = self.buf.len();
        self.buf[self.data..self.data + other.data].copy_from_slice(&other.buf[..other.data]);
        let top = cap - self.codes();
        self.buf[top - other.codes()..top].copy_from_slice(&other.buf[other.buf.len() - other.codes()..]);
        self.data += other.data;
        self.set_codes(self.codes() + other.codes());
        self.count += other.count;
        self.lp += other.lp - LP_EMPTY;
    }

    /// Removes up to `limit` entries equal to `elem`: the first ones, or with
    /// `from_back` the last ones. Returns how many went.
    pub fn remove_matching(&mut self, elem: &[u8], limit: usize, from_back: bool) -> usize {
        // Matches to keep before removing: with `from_back`, all but the last `limit`.
        let mut skip = 0;
        if from_back {
            let (mut matches, mut p) = (0, Pos::default());
            while p != self.end() {
                let (e, next) = self.next(p);
                matches += (self.get(e).as_bytes() == elem) as usize;
                p = next;
            }
            skip = matches.saturating_sub(limit);
        }
        let cap = self.buf.len();
        let end = self.end();
        let (mut read, mut write, mut removed) = (Pos::default(), Pos::default(), 0);
        while read != end {
            let (e, next) = self.next(read);
            let gone = self.get(e).as_bytes() == elem && removed < limit && {
                if skip > 0 {
                    skip -= 1;
                    false
                } else {
                    true
                }
            };
            if gone {
                removed += 1;
            } else if write != read {
                // Kept entries close up: data downwards, codes towards the end.
                self.buf.copy_within(e.start..e.end, write.data);
                let k = next.code - read.code;
                self.buf.copy_within(cap - next.code..cap - read.code, cap - write.code - k);
                write = Pos { data: write.data + (e.end - e.start), code: write.code + k };
            } else {
                write = next;
            }
            read = next;
        }
        if removed > 0 {
            self.data = write.data;
            self.set_codes(write.code);
            self.count -= removed as u32;
            self.lp -= removed * lp_entry_size(elem);
        }
        removed
    }

    /// The listpack size, computed from the elements.
    pub fn recount_lp(&self) -> usize {
        let (mut p, mut lp) = (Pos::default(), LP_EMPTY);
        while p != self.end() {
            let (e, next) = self.next(p);
            lp += lp_in(&self.buf, e);
            p = next;
        }
        lp
    }

    /// Gives back the spare capacity once the node is full.
    pub fn seal(&mut self) {
        if !self.is_compressed() && self.buf.capacity() > self.used() {
            self.regrow(self.used());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn elems(n: &Node) -> Vec<Vec<u8>> {
        let (mut out, mut p) = (Vec::new(), Pos::default());
        while p != n.end() {
            let (e, next) = n.next(p);
            out.push(n.get(e).as_bytes().to_vec());
            p = next;
        }
        out
    }

    fn elems_back(n: &Node) -> Vec<Vec<u8>> {
        let (mut out, mut p) = (Vec::new(), n.end());
        while p != Pos::default() {
            let (e, start) = n.prev(p);
            out.push(n.get(e).as_bytes().to_vec());
            p = start;
        }
        out.reverse();
        out
    }

    #[test]
    fn codes_read_the_same_from_either_side_at_every_width() {
        for len in [0, 1, 240, 241, 65535, 65536, u32::MAX as usize, u32::MAX as usize + 1, usize::MAX >> 1] {
            let mut code = vec![0; code_size(len)];
            write_code(&mut code, len);
            assert_eq!(code_ending_at(&code, code.len()), (len, false, code.len()), "{len}");
            assert_eq!(code_starting_at(&code, 0), (len, false, code.len()), "{len}");
        }
    }

    #[test]
    fn integers_are_kept_in_binary_and_read_back_as_they_came() {
        let ints: [(&[u8], usize); 12] = [
            (b"0", 1),
            (b"7", 1),
            (b"127", 1),
            (b"128", 2),
            (b"-128", 1),
            (b"-129", 2),
            (b"123456", 3),
            (b"8388608", 4),
            (b"-2147483649", 5),
            (b"9223372036854775807", 8),
            (b"-9223372036854775808", 8),
            (b"1000000000000", 6),
        ];
        // Strings that only look numeric stay strings: Redis keeps them so too.
        let strings: [&[u8]; 8] = [b"-0", b"007", b"+1", b" 1", b"1.5", b"9223372036854775808", b"", b"-"];
        let mut n = Node::default();
        for (e, _) in ints {
            n.push_back(e);
        }
        assert_eq!(n.used(), ints.iter().map(|(_, w)| w + 1).sum::<usize>());
        for e in strings {
            n.push_front(e);
        }
        let want: Vec<Vec<u8>> =
            strings.iter().rev().map(|e| e.to_vec()).chain(ints.iter().map(|(e, _)| e.to_vec())).collect();
        assert_eq!(elems(&n), want);
        assert_eq!(elems_back(&n), want);
        assert_eq!(n.lp, LP_EMPTY + want.iter().map(|e| lp_entry_size(e)).sum::<usize>());
        assert_eq!(n.lp, n.recount_lp());
        assert_eq!(n.remove_matching(b"128", 1, false), 1);
        assert_eq!(n.remove_matching(b"-0", 1, true), 1);
        let mut popped = Vec::new();
        n.drain_back(2, |e| popped.push(e.to_vec()));
        assert_eq!(popped, [b"1000000000000".to_vec(), b"-9223372036854775808".to_vec()]);
        assert_eq!(n.lp, n.recount_lp());
        for _ in 0..40 {
            n.push_back(b"12345");
        }
        assert!(n.compress());
        let e = n.entries();
        let (first, _) = e.next(e.seek(7));
        assert_eq!(&e.element(first)[..], b"0");
        n.decompress();
        assert_eq!(elems(&n), elems_back(&n));
    }

    #[test]
    fn entries_walk_both_ways_at_every_code_width() {
        let sizes = [0usize, 1, 240, 241, 300, 65535, 65536, 70000];
        let mut n = Node::default();
        for (i, &s) in sizes.iter().enumerate() {
            n.push_back(&vec![b'a' + i as u8; s]);
        }
        n.push_front(b"front");
        n.insert_at(n.seek(3), b"mid");
        let fwd = elems(&n);
        assert_eq!(fwd, elems_back(&n));
        assert_eq!(fwd.len(), n.count as usize);
        assert_eq!(fwd[0], b"front");
        assert_eq!(fwd[3], b"mid");
        assert_eq!(fwd.iter().map(|e| e.len()).collect::<Vec<_>>()[5..], [241, 300, 65535, 65536, 70000]);
        for i in 0..=n.count as usize {
            let mut p = Pos::default();
            for _ in 0..i {
                p = n.next(p).1;
            }
            assert_eq!(n.seek(i), p, "entry {i}");
        }
        assert_eq!(n.lp, n.recount_lp());
    }

    #[test]
    fn a_short_element_costs_one_byte_beside_its_own() {
        let mut n = Node::default();
        for i in 0..100 {
            n.push_back(format!("element:{i}").as_bytes());
        }
        let data: usize = (0..100).map(|i| format!("element:{i}").len()).sum();
        assert_eq!(n.used(), data + 100);
    }

    #[test]
    fn compression_keeps_the_entries() {
        let mut n = Node::default();
        for i in 0..200 {
            n.push_back(format!("element:{}", i % 7).as_bytes());
        }
        n.push_back(&[b'z'; 300]);
        let before = elems(&n);
        assert!(n.compress());
        assert!(n.capacity() < n.used() / 2);
        let e = n.entries();
        let (mut p, mut read) = (Pos::default(), Vec::new());
        while !e.at_end(p) {
            let (r, next) = e.next(p);
            read.push(e.get(r).as_bytes().to_vec());
            p = next;
        }
        assert_eq!(read, before);
        n.decompress();
        n.push_back(b"after");
        assert_eq!(elems(&n)[..201], before[..]);
        assert_eq!(elems_back(&n).last().unwrap(), b"after");
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
        n.push_back(&[b'x'; 400]);
        n.push_front(&[b'y'; 400]);
        let mut got = Vec::new();
        n.drain_front(3, |e| got.push(e.to_vec()));
        n.drain_back(3, |e| got.push(e.to_vec()));
        assert_eq!(got, [&[b'y'; 400][..], b"e0", b"e1", &[b'x'; 400], b"e3", b"e2"]);
        assert_eq!(n.count, 16);
        let tail = n.split_off(10);
        assert_eq!((n.count, tail.count), (10, 6));
        assert_eq!((n.lp, tail.lp), (n.recount_lp(), tail.recount_lp()));
        assert_eq!(elems(&tail), elems_back(&tail));
        n.append(tail);
        assert_eq!(n.count, 16);
        assert_eq!(n.remove_matching(b"e2", 2, true), 2);
        assert_eq!(n.remove_matching(b"e3", usize::MAX, false), 4);
        assert_eq!(n.lp, n.recount_lp());
        let left: Vec<String> = elems(&n).iter().map(|e| String::from_utf8_lossy(e).into_owned()).collect();
        assert_eq!(left.join(" "), "e2 e0 e1 e2 e0 e1 e0 e1 e0 e1");
        assert_eq!(elems(&n), elems_back(&n));
        assert_eq!(n.pop_back(), b"e1");
        assert_eq!(n.pop_front(), b"e2");
        n.remove_at(n.seek(2));
        n.replace_at(n.seek(0), &[b'w'; 260]);
        let left: Vec<String> = elems(&n).iter().map(|e| String::from_utf8_lossy(&e[..2]).into_owned()).collect();
        assert_eq!(left.join(" "), "ww e1 e0 e1 e0 e1 e0");
        assert_eq!(elems(&n), elems_back(&n));
        assert_eq!(n.lp, n.recount_lp());
        n.seal();
        assert_eq!(n.capacity(), n.used());
    }
}
