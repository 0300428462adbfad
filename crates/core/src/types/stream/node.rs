//! One node of a stream: a run of consecutive entries packed into a single
//! byte buffer, as Redis packs them into a listpack. The node starts with its
//! "master" field names (those of its first entry); an entry with the same
//! field names stores only its values. IDs are stored as deltas from the
//! node's first ID (its key in the stream's ordered index). A deleted entry
//! stays in place with a flag until its whole node goes.
//!
//! Layout: `varint nfields, field…` then per entry
//! `flags, zigzag ms delta, zigzag seq delta, [varint nfields], [field], value …`
//! where each string is `varint len, bytes`.

use super::id::StreamId;

const DELETED: u8 = 1;
const SAME_FIELDS: u8 = 2;

#[derive(Clone, Debug)]
pub struct Node {
    /// Entries not deleted.
    pub live: u32,
    /// Entries flagged deleted but still stored.
    pub deleted: u32,
    /// Redis's listpack size for this node, without its two counters (whose
    /// encoded size changes as they do): what `stream-node-max-bytes` is
    /// compared with, so nodes split where Redis's split.
    lp_rest: u32,
    /// Where the entries start (after the master fields).
    entries_at: u32,
    data: Vec<u8>,
}

/// One stored entry, borrowed from its node.
#[derive(Clone, Copy, Debug)]
pub struct Entry<'a> {
    pub id: StreamId,
    deleted: bool,
    same_fields: bool,
    nfields: usize,
    /// Offset of the first field (or value) in its node.
    body: usize,
    /// End of the entry in its node.
    end: usize,
    node: &'a Node,
}

impl<'a> Entry<'a> {
    pub fn is_deleted(&self) -> bool {
        self.deleted
    }

    pub fn len(&self) -> usize {
        self.nfields
    }

    /// Whether the entry stores only values, its fields being the node's
    /// master fields (Redis's SAMEFIELDS flag).
    pub fn shares_master_fields(&self) -> bool {
        self.same_fields
    }

    pub fn is_empty(&self) -> bool {
        self.nfields == 0
    }

    /// The entry's (field, value) pairs in order.
    pub fn fields(&self) -> Fields<'a> {
        Fields {
            data: &self.node.data,
            pos: self.body,
            master: if self.same_fields { Some(self.node.master_start()) } else { None },
            left: self.nfields,
        }
    }
}

pub struct Fields<'a> {
    data: &'a [u8],
    pos: usize,
    /// Position of the next master field name, for entries that share them.
    master: Option<usize>,
    left: usize,
}

impl<'a> Iterator for Fields<'a> {
    type Item = (&'a [u8], &'a [u8]);

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let field = match &mut self.master {
            Some(m) => read_str(self.data, m),
            None => read_str(self.data, &mut self.pos),
        };
        let value = read_str(self.data, &mut self.pos);
        Some((field, value))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Fields<'_> {}

impl Node {
    /// A node whose master fields are those of `pairs` (field, value, …).
    pub fn new(pairs: &[&[u8]]) -> Node {
        let fields: Vec<&[u8]> = pairs.iter().step_by(2).copied().collect();
        Node::with_master_fields(&fields)
    }

    /// An empty node with these master field names (as a listpack read
    /// from a file names them).
    pub fn with_master_fields(fields: &[&[u8]]) -> Node {
        let nfields = fields.len();
        let mut data = Vec::with_capacity(64);
        write_varint(&mut data, nfields as u64);
        // Master entry: numfields, the fields, and a zero terminator.
        let mut lp_rest = lp_int_size(nfields as i64) + lp_int_size(0);
        for field in fields {
            write_str(&mut data, field);
            lp_rest += lp_str_size(field);
        }
        let entries_at = data.len() as u32;
        Node { live: 0, deleted: 0, lp_rest: lp_rest as u32, entries_at, data }
    }

    /// Redis's listpack bytes for the node (header, counters, terminator).
    pub fn lp_bytes(&self) -> usize {
        6 + 1 + lp_int_size(self.live as i64) + lp_int_size(self.deleted as i64) + self.lp_rest as usize
    }

    pub fn heap_size(&self) -> usize {
        self.data.capacity()
    }

    /// Releases spare capacity once the node is full, as Redis shrinks a
    /// listpack when it starts a new one.
    pub fn shrink(&mut self) {
        self.data.shrink_to_fit();
    }

    fn master_start(&self) -> usize {
        let mut pos = 0;
        read_varint(&self.data, &mut pos);
        pos
    }

    /// The master entry's field names.
    pub fn master_fields(&self) -> impl Iterator<Item = &[u8]> {
        let mut pos = 0;
        let n = read_varint(&self.data, &mut pos) as usize;
        (0..n).map(move |_| read_str(&self.data, &mut pos))
    }

    /// Appends an entry with ID `id` (the node's key is `master`).
    pub fn push(&mut self, master: StreamId, id: StreamId, pairs: &[&[u8]]) {
        let nfields = pairs.len() / 2;
        let same = self.master_fields().count() == nfields
            && self.master_fields().zip(pairs.iter().step_by(2)).all(|(a, b)| a == *b);
        let flags = if same { SAME_FIELDS } else { 0 };
        let ms_delta = id.ms.wrapping_sub(master.ms) as i64;
        let seq_delta = id.seq.wrapping_sub(master.seq) as i64;
        self.data.push(flags);
        write_varint(&mut self.data, zigzag(ms_delta));
        write_varint(&mut self.data, zigzag(seq_delta));
        let mut lp = lp_int_size(flags as i64) + lp_int_size(ms_delta) + lp_int_size(seq_delta);
        let mut lp_count = nfields + 3;
        if !same {
            write_varint(&mut self.data, nfields as u64);
            lp += lp_int_size(nfields as i64);
            lp_count += nfields + 1;
        }
        for pair in pairs.chunks_exact(2) {
            if !same {
                write_str(&mut self.data, pair[0]);
                lp += lp_str_size(pair[0]);
            }
            write_str(&mut self.data, pair[1]);
            lp += lp_str_size(pair[1]);
        }
        lp += lp_int_size(lp_count as i64);
        self.lp_rest += lp as u32;
        self.live += 1;
    }

    /// Appends an entry already deleted (a tombstone read from a file).
    pub fn push_deleted(&mut self, master: StreamId, id: StreamId, pairs: &[&[u8]]) {
        let at = self.data.len();
        self.push(master, id, pairs);
        self.mark_deleted(at);
    }

    /// Decodes the entry whose flags byte is at `at`.
    pub fn entry_at(&self, master: StreamId, at: usize) -> Entry<'_> {
        let data = &self.data;
        let flags = data[at];
        let mut pos = at + 1;
        let ms = master.ms.wrapping_add(unzigzag(read_varint(data, &mut pos)) as u64);
        let seq = master.seq.wrapping_add(unzigzag(read_varint(data, &mut pos)) as u64);
        let same_fields = flags & SAME_FIELDS != 0;
        let nfields = if same_fields {
            let mut m = 0;
            read_varint(data, &mut m) as usize
        } else {
            read_varint(data, &mut pos) as usize
        };
        let body = pos;
        let strings = if same_fields { nfields } else { nfields * 2 };
        for _ in 0..strings {
            let len = read_varint(data, &mut pos) as usize;
            pos += len;
        }
        Entry {
            id: StreamId::new(ms, seq),
            deleted: flags & DELETED != 0,
            same_fields,
            nfields,
            body,
            end: pos,
            node: self,
        }
    }

    /// The offset of the first entry, `None` past the last one.
    pub fn first_at(&self) -> Option<usize> {
        let at = self.entries_at as usize;
        (at < self.data.len()).then_some(at)
    }

    /// The offset of the entry after `entry`.
    pub fn next_at(&self, entry: &Entry) -> Option<usize> {
        (entry.end < self.data.len()).then_some(entry.end)
    }

    /// Every entry's offset, in order (for walking a node backwards).
    pub fn offsets(&self, master: StreamId) -> Vec<usize> {
        let mut out = Vec::with_capacity((self.live + self.deleted) as usize);
        let mut at = self.first_at();
        while let Some(a) = at {
            out.push(a);
            let e = self.entry_at(master, a);
            at = self.next_at(&e);
        }
        out
    }

    /// Flags the entry at `at` deleted (it must be live).
    pub fn mark_deleted(&mut self, at: usize) {
        self.data[at] |= DELETED;
        self.live -= 1;
        self.deleted += 1;
    }
}

fn zigzag(n: i64) -> u64 {
    ((n << 1) ^ (n >> 63)) as u64
}

fn unzigzag(n: u64) -> i64 {
    ((n >> 1) as i64) ^ -((n & 1) as i64)
}

fn write_varint(buf: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        buf.push((n as u8) | 0x80);
        n >>= 7;
    }
    buf.push(n as u8);
}

fn read_varint(buf: &[u8], pos: &mut usize) -> u64 {
    let mut n = 0u64;
    let mut shift = 0;
    loop {
        let b = buf[*pos];
        *pos += 1;
        n |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

fn write_str(buf: &mut Vec<u8>, s: &[u8]) {
    write_varint(buf, s.len() as u64);
    buf.extend_from_slice(s);
}

fn read_str<'a>(buf: &'a [u8], pos: &mut usize) -> &'a [u8] {
    let len = read_varint(buf, pos) as usize;
    let s = &buf[*pos..*pos + len];
    *pos += len;
    s
}

/// Bytes a listpack entry takes for an integer (encoding + back-length).
fn lp_int_size(n: i64) -> usize {
    let enc = match n {
        0..=127 => 1,
        -4096..=4095 => 2,
        -32768..=32767 => 3,
        -8_388_608..=8_388_607 => 4,
        -2_147_483_648..=2_147_483_647 => 5,
        _ => 9,
    };
    enc + 1
}

/// Bytes a listpack entry takes for a string, stored as an integer when it
/// reads as one (as `lpAppend` does).
fn lp_str_size(s: &[u8]) -> usize {
    if let Some(n) = lp_integer(s) {
        return lp_int_size(n);
    }
    let len = s.len();
    let enc = match len {
        0..=63 => 1 + len,
        64..=4095 => 2 + len,
        _ => 5 + len,
    };
    let back = match enc {
        0..=127 => 1,
        128..=16382 => 2,
        16383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    };
    enc + back
}

/// Redis's `lpStringToInt64`: a canonical decimal integer of at most 20 bytes.
fn lp_integer(s: &[u8]) -> Option<i64> {
    if s.is_empty() || s.len() > 20 {
        return None;
    }
    let digits = s.strip_prefix(b"-").unwrap_or(s);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) || (digits[0] == b'0' && s.len() > 1) {
        return None;
    }
    std::str::from_utf8(s).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_with_and_without_master_fields() {
        let master = StreamId::new(100, 5);
        let mut node = Node::new(&[b"a", b"1", b"b", b"2"]);
        node.push(master, master, &[b"a", b"1", b"b", b"2"]);
        node.push(master, StreamId::new(101, 0), &[b"a", b"x", b"b", b"y"]);
        node.push(master, StreamId::new(u64::MAX, u64::MAX), &[b"other", b"z"]);
        let offsets = node.offsets(master);
        assert_eq!(offsets.len(), 3);
        let e = node.entry_at(master, offsets[1]);
        assert_eq!(e.id, StreamId::new(101, 0));
        assert_eq!(e.fields().collect::<Vec<_>>(), vec![(&b"a"[..], &b"x"[..]), (&b"b"[..], &b"y"[..])]);
        let e = node.entry_at(master, offsets[2]);
        assert_eq!(e.id, StreamId::MAX);
        assert_eq!(e.fields().collect::<Vec<_>>(), vec![(&b"other"[..], &b"z"[..])]);
        node.mark_deleted(offsets[0]);
        assert!(node.entry_at(master, offsets[0]).is_deleted());
        assert_eq!((node.live, node.deleted), (2, 1));
    }

    #[test]
    fn listpack_sizes_follow_redis() {
        // lpNew (7) + count 1, deleted 0, numfields 1, "f", 0 terminator,
        // then flags, deltas 0 0, value "v", lp-count 4.
        let master = StreamId::new(1, 0);
        let mut node = Node::new(&[b"f", b"v"]);
        node.push(master, master, &[b"f", b"v"]);
        assert_eq!(node.lp_bytes(), 7 + 2 + 2 + 2 + 3 + 2 + 2 + 2 + 2 + 3 + 2);
        assert_eq!(lp_str_size(b"123"), 2);
        assert_eq!(lp_str_size(b"1234"), 3);
        assert_eq!(lp_str_size(b"0123"), 6);
        assert_eq!(lp_int_size(-5000), 4);
    }
}
