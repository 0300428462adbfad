//! The `listpack` encoding of a small set: every member in one buffer,
//! each as a length (LEB128, one byte below 128) followed by its bytes, in
//! insertion order as Redis 7.2 keeps them.
//!
//! A member costs its length plus one byte, with no allocation of its own;
//! lookups are a linear walk, as Redis's `lpFind` is. The encoding is only
//! used while the set is small (`set-max-listpack-entries`, 128 by default).

#[derive(Clone, Debug, Default)]
pub struct Pack {
    buf: Vec<u8>,
    len: usize,
}

/// Reads the length prefix at `pos`: (member length, prefix length).
#[inline]
fn read_len(buf: &[u8], pos: usize) -> (usize, usize) {
    let first = buf[pos];
    if first < 0x80 {
        return (first as usize, 1);
    }
    let mut n = 0usize;
    let mut shift = 0;
    let mut i = pos;
    loop {
        let b = buf[i];
        n |= ((b & 0x7f) as usize) << shift;
        i += 1;
        if b < 0x80 {
            return (n, i - pos);
        }
        shift += 7;
    }
}

fn write_len(buf: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        buf.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    buf.push(n as u8);
}

fn prefix_len(mut n: usize) -> usize {
    let mut bytes = 1;
    while n >= 0x80 {
        n >>= 7;
        bytes += 1;
    }
    bytes
}

/// The members in order.
#[derive(Clone)]
pub struct PackIter<'a> {
    buf: &'a [u8],
    pos: usize,
    left: usize,
}

impl<'a> Iterator for PackIter<'a> {
    type Item = &'a [u8];

    #[inline]
    fn next(&mut self) -> Option<&'a [u8]> {
        if self.pos >= self.buf.len() {
            return None;
        }
        let (n, p) = read_len(self.buf, self.pos);
        let start = self.pos + p;
        self.pos = start + n;
        self.left -= 1;
        Some(&self.buf[start..start + n])
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for PackIter<'_> {}

impl Pack {
    /// An empty pack with room for about `bytes` bytes of entries.
    pub fn with_capacity(bytes: usize) -> Self {
        Pack { buf: Vec::with_capacity(bytes), len: 0 }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes the entries take (what Redis's listpack size limit checks).
    pub fn bytes(&self) -> usize {
        self.buf.len()
    }

    pub fn iter(&self) -> PackIter<'_> {
        PackIter { buf: &self.buf, pos: 0, left: self.len }
    }

    /// The byte range of the entry holding `member`, prefix included.
    fn find(&self, member: &[u8]) -> Option<(usize, usize)> {
        let buf = &self.buf[..];
        let mut pos = 0;
        while pos < buf.len() {
            let (n, p) = read_len(buf, pos);
            let end = pos + p + n;
            if n == member.len() && &buf[pos + p..end] == member {
                return Some((pos, end));
            }
            pos = end;
        }
        None
    }

    pub fn contains(&self, member: &[u8]) -> bool {
        self.find(member).is_some()
    }

    /// The `i`th member in order.
    pub fn get(&self, i: usize) -> &[u8] {
        self.iter().nth(i).expect("index within the pack")
    }

    /// Appends a member the caller knows is absent.
    pub fn push(&mut self, member: &[u8]) {
        let need = prefix_len(member.len()) + member.len();
        if self.buf.capacity() - self.buf.len() < need {
            // A quarter more each time: small sets are many, and idle bytes
            // in each add up, while appends stay amortised O(1).
            self.buf.reserve_exact(need.max(self.buf.len() / 4));
        }
        write_len(&mut self.buf, member.len());
        self.buf.extend_from_slice(member);
        self.len += 1;
    }

    pub fn remove(&mut self, member: &[u8]) -> bool {
        match self.find(member) {
            Some((start, end)) => {
                self.buf.drain(start..end);
                self.len -= 1;
                self.shrink();
                true
            }
            None => false,
        }
    }

    /// Keeps the members at the indexes `keep` says yes to, in one pass.
    pub fn retain_indexed(&mut self, mut keep: impl FnMut(usize) -> bool) {
        let mut read = 0;
        let mut write = 0;
        let mut i = 0;
        let mut kept = 0;
        while read < self.buf.len() {
            let (n, p) = read_len(&self.buf, read);
            let end = read + p + n;
            if keep(i) {
                self.buf.copy_within(read..end, write);
                write += end - read;
                kept += 1;
            }
            read = end;
            i += 1;
        }
        self.buf.truncate(write);
        self.len = kept;
        self.shrink();
    }

    fn shrink(&mut self) {
        if self.buf.capacity() > 64 && self.buf.len() < self.buf.capacity() / 2 {
            self.buf.shrink_to(self.buf.len() + self.buf.len() / 4);
        }
    }

    /// Returns idle capacity (Redis's `lpShrinkToFit` after building a result).
    pub fn shrink_to_fit(&mut self) {
        self.buf.shrink_to_fit();
    }

    pub fn heap_size(&self) -> usize {
        self.buf.capacity()
    }
}

#[cfg(test)]
mod tests {
    use super::Pack;

    #[test]
    fn keeps_insertion_order_and_long_members() {
        let mut p = Pack::default();
        let long = vec![b'x'; 300];
        p.push(b"b");
        p.push(b"");
        p.push(&long);
        p.push(b"a");
        assert_eq!(p.len(), 4);
        assert_eq!(p.iter().collect::<Vec<_>>(), vec![&b"b"[..], b"", &long[..], b"a"]);
        assert_eq!(p.iter().len(), 4);
        assert!(p.contains(b"") && p.contains(&long) && !p.contains(b"c"));
        assert_eq!(p.get(2), &long[..]);
        assert_eq!(p.bytes(), (1 + 1) + 1 + (2 + 300) + (1 + 1));
        assert!(p.remove(&long));
        assert!(!p.remove(&long));
        assert_eq!(p.iter().collect::<Vec<_>>(), vec![&b"b"[..], b"", b"a"]);
        p.retain_indexed(|i| i != 0);
        assert_eq!(p.iter().collect::<Vec<_>>(), vec![&b""[..], b"a"]);
        assert!(p.remove(b"") && p.remove(b"a"));
        assert!(p.is_empty() && p.bytes() == 0);
    }
}
