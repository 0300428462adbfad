//! The `listpack` encoding of a small hash: every field and value packed in
//! one buffer, in insertion order, as Redis's listpack keeps them.
//!
//! Layout: a little-endian `u32` count of pairs, then for each pair the field
//! and the value, each as a LEB128 length followed by its bytes. An empty
//! hash owns no buffer at all. Redis's listpack also stores a back-length
//! per entry (for walking backwards) and integers in binary; a hash never
//! walks backwards, and keeping the bytes as given spares converting numbers
//! back to text on every read, so neither is kept.
//!
//! The bytes are held at their exact length, in a boxed slice rather than a
//! `Vec`: Redis reallocates a listpack on every change too, small hashes are
//! many so slack would cost more than the copies (entries are few and short
//! by definition), and at 16 bytes the handle lets a [`Hash`](super::Hash)
//! sit in the keyspace entry itself: one allocation per small hash.

use std::ops::Range;

const HEADER: usize = 4;

#[derive(Clone, Default)]
pub struct Listpack {
    buf: Box<[u8]>,
}

/// Where one pair sits in the buffer.
struct Slot {
    /// From the field's length prefix to the end of the value.
    pair: Range<usize>,
    /// The value's length prefix and bytes.
    value: Range<usize>,
}

impl Listpack {
    pub fn len(&self) -> usize {
        count(&self.buf)
    }

    /// Bytes of the packed buffer (Redis refuses to grow a listpack past 1 GB).
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    pub fn heap_size(&self) -> usize {
        self.buf.len()
    }

    pub fn iter(&self) -> Pairs<'_> {
        Pairs { buf: self.buf.get(HEADER..).unwrap_or_default() }
    }

    pub fn get(&self, field: &[u8]) -> Option<&[u8]> {
        let slot = find(&self.buf, field)?;
        Some(read(&self.buf, slot.value.start).0)
    }

    /// Sets `field` to `value`: an existing field keeps its place, a new one
    /// goes last. True if the field is new.
    pub fn insert(&mut self, field: &[u8], value: &[u8]) -> bool {
        let mut added = false;
        self.edit(|buf| added = insert_into(buf, field, value));
        added
    }

    /// Sets the pairs of `strings` (fields and values alternating) in order,
    /// reallocating once for them all, and stops before a write that would
    /// leave more than `max_entries` fields. Returns how many fields were new
    /// and how many strings were written.
    pub fn insert_pairs(&mut self, strings: &[&[u8]], max_entries: usize) -> (usize, usize) {
        let (mut added, mut written) = (0, 0);
        self.edit(|buf| {
            let header = if buf.is_empty() { HEADER } else { 0 };
            buf.reserve_exact(header + strings.iter().map(|s| prefixed_len(s)).sum::<usize>());
            for pair in strings.chunks_exact(2) {
                // A listpack already past the limit (it was lowered) converts on any write.
                let n = count(buf);
                if n > max_entries || (n == max_entries && find(buf, pair[0]).is_none()) {
                    break;
                }
                added += insert_into(buf, pair[0], pair[1]) as usize;
                written += 2;
            }
        });
        (added, written)
    }

    /// True if `field` was there.
    pub fn remove(&mut self, field: &[u8]) -> bool {
        let Some(slot) = find(&self.buf, field) else {
            return false;
        };
        let left = self.len() - 1;
        if left == 0 {
            self.buf = Box::default();
        } else {
            self.edit(|buf| {
                buf.drain(slot.pair);
                set_count(buf, left);
            });
        }
        true
    }

    /// Runs `f` on the bytes as a `Vec`, then keeps them at their exact length.
    fn edit(&mut self, f: impl FnOnce(&mut Vec<u8>)) {
        let mut buf = std::mem::take(&mut self.buf).into_vec();
        f(&mut buf);
        self.buf = buf.into_boxed_slice();
    }
}

/// The pair count in a listpack's header (an empty buffer has none).
fn count(buf: &[u8]) -> usize {
    match buf.get(..HEADER) {
        Some(h) => u32::from_le_bytes(h.try_into().expect("4 bytes")) as usize,
        None => 0,
    }
}

fn set_count(buf: &mut [u8], n: usize) {
    let n = u32::try_from(n).expect("a listpack holds fewer than 2^32 pairs");
    buf[..HEADER].copy_from_slice(&n.to_le_bytes());
}

/// [`Listpack::insert`] on the bytes being edited, growing them exactly.
fn insert_into(buf: &mut Vec<u8>, field: &[u8], value: &[u8]) -> bool {
    if let Some(slot) = find(buf, field) {
        let (prefix, n) = length_prefix(value.len());
        let grows = (n + value.len()).saturating_sub(slot.value.len());
        buf.reserve_exact(grows);
        buf.splice(slot.value, prefix[..n].iter().chain(value).copied());
        return false;
    }
    let n = count(buf);
    let pair = prefixed_len(field) + prefixed_len(value);
    if buf.is_empty() {
        buf.reserve_exact(HEADER + pair);
        buf.extend_from_slice(&[0; HEADER]);
    } else {
        buf.reserve_exact(pair);
    }
    push(buf, field);
    push(buf, value);
    set_count(buf, n + 1);
    true
}

/// A linear search, as Redis's `lpFind` (the encoding exists only while
/// the hash is small).
fn find(buf: &[u8], field: &[u8]) -> Option<Slot> {
    let mut pos = HEADER;
    while pos < buf.len() {
        let (f, value_at) = read(buf, pos);
        let (_, end) = read(buf, value_at);
        if f == field {
            return Some(Slot { pair: pos..end, value: value_at..end });
        }
        pos = end;
    }
    None
}

/// The pairs in order.
pub struct Pairs<'a> {
    buf: &'a [u8],
}

impl<'a> Iterator for Pairs<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.buf.is_empty() {
            return None;
        }
        let (field, at) = read(self.buf, 0);
        let (value, end) = read(self.buf, at);
        self.buf = &self.buf[end..];
        Some((field, value))
    }
}

/// The string whose length prefix starts at `pos`, and where the next one starts.
#[inline]
fn read(buf: &[u8], mut pos: usize) -> (&[u8], usize) {
    let mut len = 0usize;
    let mut shift = 0;
    loop {
        let b = buf[pos];
        pos += 1;
        len |= ((b & 0x7f) as usize) << shift;
        if b & 0x80 == 0 {
            break;
        }
        shift += 7;
    }
    (&buf[pos..pos + len], pos + len)
}

/// `len` as LEB128: seven bits a byte, low bits first, the high bit set on
/// all but the last byte.
fn length_prefix(mut len: usize) -> ([u8; 10], usize) {
    let mut out = [0u8; 10];
    let mut n = 0;
    while len >= 0x80 {
        out[n] = (len as u8) | 0x80;
        len >>= 7;
        n += 1;
    }
    out[n] = len as u8;
    (out, n + 1)
}

fn push(buf: &mut Vec<u8>, s: &[u8]) {
    let (prefix, n) = length_prefix(s.len());
    buf.extend_from_slice(&prefix[..n]);
    buf.extend_from_slice(s);
}

fn prefixed_len(s: &[u8]) -> usize {
    s.len() + length_prefix(s.len()).1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(lp: &Listpack) -> Vec<(String, String)> {
        lp.iter()
            .map(|(f, v)| (String::from_utf8_lossy(f).into_owned(), String::from_utf8_lossy(v).into_owned()))
            .collect()
    }

    #[test]
    fn keeps_insertion_order_and_exact_size() {
        let mut lp = Listpack::default();
        assert_eq!((lp.len(), lp.heap_size()), (0, 0));
        assert!(lp.insert(b"a", b"1"));
        assert!(lp.insert(b"b", b"22"));
        assert!(lp.insert(b"", b""));
        assert!(!lp.insert(b"a", b"longer value"));
        assert_eq!(lp.len(), 3);
        assert_eq!(lp.heap_size(), lp.bytes());
        assert_eq!(lp.bytes(), 4 + (1 + 1 + 1 + 12) + (1 + 1 + 1 + 2) + 2);
        assert_eq!(pairs(&lp), [("a", "longer value"), ("b", "22"), ("", "")].map(|(f, v)| (f.into(), v.into())));
        assert_eq!(lp.get(b"b"), Some(&b"22"[..]));
        assert_eq!(lp.get(b""), Some(&b""[..]));
        assert_eq!(lp.get(b"c"), None);
        assert!(!lp.insert(b"a", b"x"));
        assert_eq!(lp.get(b"a"), Some(&b"x"[..]));
        assert!(lp.remove(b"b"));
        assert!(!lp.remove(b"b"));
        assert_eq!(pairs(&lp), [("a", "x"), ("", "")].map(|(f, v)| (f.into(), v.into())));
        assert!(lp.remove(b"a") && lp.remove(b""));
        assert_eq!((lp.len(), lp.heap_size()), (0, 0));
    }

    #[test]
    fn insert_pairs_stops_where_the_hash_must_convert() {
        let mut lp = Listpack::default();
        let strings: [&[u8]; 8] = [b"a", b"1", b"b", b"2", b"a", b"3", b"c", b"4"];
        // a and b are new, a is then updated; c would be a third field.
        assert_eq!(lp.insert_pairs(&strings, 2), (2, 6));
        assert_eq!(pairs(&lp), [("a", "3"), ("b", "2")].map(|(f, v)| (f.into(), v.into())));
        assert_eq!(lp.heap_size(), 4 + 4 + 4);
        // Under a limit lowered since, not even an update goes in.
        assert_eq!(lp.insert_pairs(&[b"a", b"9"], 1), (0, 0));
        assert_eq!(lp.get(b"a"), Some(&b"3"[..]));
    }

    #[test]
    fn long_strings_take_longer_prefixes() {
        let mut lp = Listpack::default();
        for len in [0usize, 1, 127, 128, 300, 16_383, 16_384, 70_000] {
            let field = format!("f{len}");
            let value = vec![b'v'; len];
            assert!(lp.insert(field.as_bytes(), &value));
            assert_eq!(lp.get(field.as_bytes()), Some(&value[..]));
            assert_eq!(
                prefixed_len(&value),
                len + if len < 128 {
                    1
                } else if len < 16_384 {
                    2
                } else {
                    3
                }
            );
        }
        assert_eq!(lp.len(), 8);
        assert_eq!(lp.iter().count(), 8);
        assert!(lp.remove(b"f300"));
        assert_eq!(lp.get(b"f70000").map(<[u8]>::len), Some(70_000));
    }

    #[test]
    fn binary_fields() {
        let mut lp = Listpack::default();
        let odd = [0u8, 0x80, 0xff, b'\r', b'\n'];
        assert!(lp.insert(&odd, &odd));
        assert!(lp.insert(&odd[..1], b"zero"));
        assert_eq!(lp.get(&odd), Some(&odd[..]));
        assert_eq!(lp.get(&odd[..1]), Some(&b"zero"[..]));
    }
}
