//! Redis's listpack byte format, as RDB files embed it (lists' quicklist
//! nodes, small hashes, sorted sets and sets).
//!
//! Layout: total bytes (u32 LE), element count (u16 LE, 65535 = "count
//! them"), the entries, and a 0xFF terminator. An entry is an encoding byte
//! (a small integer, a 13/16/24/32/64-bit integer, or a string with a 6, 12
//! or 32-bit length), its data, and a "back length": the size of encoding
//! plus data, written in 7-bit groups so the listpack can be walked from the
//! end. Strings that read as integers are stored as integers, as Redis does.

use std::borrow::Cow;

use crate::resp::parser::parse_i64;
use crate::resp::writer::{fmt_i64, itoa_buf};

const HEADER: usize = 6;
const EOF: u8 = 0xff;
/// The count field saturates here: readers then count the entries.
const COUNT_UNKNOWN: u16 = u16::MAX;

/// Builds a listpack.
pub struct Builder {
    buf: Vec<u8>,
    count: usize,
}

impl Default for Builder {
    fn default() -> Self {
        Builder { buf: vec![0; HEADER], count: 0 }
    }
}

impl Builder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bytes the finished listpack would take.
    pub fn bytes(&self) -> usize {
        self.buf.len() + 1
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Appends a string, as an integer entry when it is a canonical decimal.
    pub fn push(&mut self, s: &[u8]) {
        if s.len() <= 20 {
            if let Some(n) = parse_i64(s) {
                self.push_int(n);
                return;
            }
        }
        let start = self.buf.len();
        let len = s.len();
        if len < 64 {
            self.buf.push(0x80 | len as u8);
        } else if len < 4096 {
            self.buf.push(0xe0 | (len >> 8) as u8);
            self.buf.push(len as u8);
        } else {
            self.buf.push(0xf0);
            self.buf.extend_from_slice(&(len as u32).to_le_bytes());
        }
        self.buf.extend_from_slice(s);
        self.finish_entry(start);
    }

    pub fn push_int(&mut self, n: i64) {
        let start = self.buf.len();
        if (0..=127).contains(&n) {
            self.buf.push(n as u8);
        } else if (-4096..=4095).contains(&n) {
            let v = (n as u64 & 0x1fff) as u16;
            self.buf.push(0xc0 | (v >> 8) as u8);
            self.buf.push(v as u8);
        } else if let Ok(v) = i16::try_from(n) {
            self.buf.push(0xf1);
            self.buf.extend_from_slice(&v.to_le_bytes());
        } else if (-(1 << 23)..(1 << 23)).contains(&n) {
            self.buf.push(0xf2);
            self.buf.extend_from_slice(&(n as i32).to_le_bytes()[..3]);
        } else if let Ok(v) = i32::try_from(n) {
            self.buf.push(0xf3);
            self.buf.extend_from_slice(&v.to_le_bytes());
        } else {
            self.buf.push(0xf4);
            self.buf.extend_from_slice(&n.to_le_bytes());
        }
        self.finish_entry(start);
    }

    fn finish_entry(&mut self, start: usize) {
        let size = self.buf.len() - start;
        push_backlen(&mut self.buf, size);
        self.count += 1;
    }

    pub fn finish(mut self) -> Vec<u8> {
        self.buf.push(EOF);
        let total = self.buf.len() as u32;
        self.buf[..4].copy_from_slice(&total.to_le_bytes());
        let count = if self.count < COUNT_UNKNOWN as usize { self.count as u16 } else { COUNT_UNKNOWN };
        self.buf[4..6].copy_from_slice(&count.to_le_bytes());
        self.buf
    }
}

/// The back length: `size` in 7-bit groups, most significant first, every
/// byte but the first with its top bit set.
fn push_backlen(buf: &mut Vec<u8>, size: usize) {
    let mut groups = [0u8; 5];
    let mut n = 0;
    let mut v = size;
    loop {
        groups[n] = (v & 0x7f) as u8;
        n += 1;
        v >>= 7;
        if v == 0 {
            break;
        }
    }
    // groups[0] is the least significant; written last, with the flag.
    for i in (0..n).rev() {
        let flag = if i == n - 1 { 0 } else { 0x80 };
        buf.push(groups[i] | flag);
    }
}

fn backlen_size(size: usize) -> usize {
    match size {
        0..=127 => 1,
        128..=16383 => 2,
        16384..=2097151 => 3,
        2097152..=268435455 => 4,
        _ => 5,
    }
}

/// One entry read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry<'a> {
    Int(i64),
    Str(&'a [u8]),
}

impl Entry<'_> {
    pub fn bytes(&self) -> Cow<'_, [u8]> {
        match self {
            Entry::Str(s) => Cow::Borrowed(s),
            Entry::Int(n) => {
                let mut buf = itoa_buf();
                Cow::Owned(fmt_i64(*n, &mut buf).to_vec())
            }
        }
    }

    pub fn into_vec(self) -> Vec<u8> {
        self.bytes().into_owned()
    }
}

fn sign_extend(v: u64, bits: u32) -> i64 {
    let shift = 64 - bits;
    ((v << shift) as i64) >> shift
}

/// Every entry of `lp`, after checking the whole structure: header sizes,
/// each entry's encoding, data and back length, the terminator, and the
/// count. Any inconsistency is an error naming it.
pub fn entries(lp: &[u8]) -> Result<Vec<Entry<'_>>, String> {
    if lp.len() < HEADER + 1 {
        return Err("listpack shorter than its header".into());
    }
    let total = u32::from_le_bytes(lp[..4].try_into().expect("4 bytes")) as usize;
    if total != lp.len() {
        return Err(format!("listpack header says {total} bytes, it has {}", lp.len()));
    }
    if lp[lp.len() - 1] != EOF {
        return Err("listpack does not end with its terminator".into());
    }
    let declared = u16::from_le_bytes(lp[4..6].try_into().expect("2 bytes"));
    let end = lp.len() - 1;
    let mut pos = HEADER;
    let mut out = Vec::new();
    let need = |pos: usize, n: usize| -> Result<(), String> {
        if pos + n > end {
            Err("listpack entry runs past the end".into())
        } else {
            Ok(())
        }
    };
    while pos < end {
        let start = pos;
        let enc = lp[pos];
        let (entry, size) = if enc & 0x80 == 0 {
            (Entry::Int((enc & 0x7f) as i64), 1)
        } else if enc & 0xc0 == 0x80 {
            let len = (enc & 0x3f) as usize;
            need(pos, 1 + len)?;
            (Entry::Str(&lp[pos + 1..pos + 1 + len]), 1 + len)
        } else if enc & 0xe0 == 0xc0 {
            need(pos, 2)?;
            let v = (((enc & 0x1f) as u64) << 8) | lp[pos + 1] as u64;
            (Entry::Int(sign_extend(v, 13)), 2)
        } else if enc & 0xf0 == 0xe0 {
            need(pos, 2)?;
            let len = (((enc & 0x0f) as usize) << 8) | lp[pos + 1] as usize;
            need(pos, 2 + len)?;
            (Entry::Str(&lp[pos + 2..pos + 2 + len]), 2 + len)
        } else {
            let int = |width: usize| -> Result<(Entry<'_>, usize), String> {
                need(pos, 1 + width)?;
                let mut b = [0u8; 8];
                b[..width].copy_from_slice(&lp[pos + 1..pos + 1 + width]);
                Ok((Entry::Int(sign_extend(u64::from_le_bytes(b), width as u32 * 8)), 1 + width))
            };
            match enc {
                0xf0 => {
                    need(pos, 5)?;
                    let len = u32::from_le_bytes(lp[pos + 1..pos + 5].try_into().expect("4 bytes")) as usize;
                    need(pos, 5usize.saturating_add(len))?;
                    (Entry::Str(&lp[pos + 5..pos + 5 + len]), 5 + len)
                }
                0xf1 => int(2)?,
                0xf2 => int(3)?,
                0xf3 => int(4)?,
                0xf4 => int(8)?,
                _ => return Err(format!("invalid listpack entry encoding {enc:#04x}")),
            }
        };
        pos += size;
        let blen = backlen_size(size);
        need(pos, blen)?;
        let mut expected = Vec::with_capacity(5);
        push_backlen(&mut expected, size);
        if lp[pos..pos + blen] != expected[..] {
            return Err(format!("listpack entry at {start} has a wrong back length"));
        }
        pos += blen;
        out.push(entry);
    }
    if declared != COUNT_UNKNOWN && declared as usize != out.len() {
        return Err(format!("listpack header counts {declared} entries, it holds {}", out.len()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_round_trips() {
        let ints = [0i64, 127, 128, -1, -4096, 4095, 4096, -4097, 32767, -32768, 32768, 8388607, -8388608, 8388608];
        let more = [i32::MAX as i64, i32::MIN as i64, i32::MAX as i64 + 1, i64::MAX, i64::MIN];
        let mut b = Builder::new();
        for n in ints.iter().chain(&more) {
            b.push_int(*n);
        }
        let strings: Vec<Vec<u8>> = vec![
            b"".to_vec(),
            b"a".to_vec(),
            vec![b'x'; 63],
            vec![b'y'; 64],
            vec![b'z'; 4095],
            vec![b'w'; 4096],
            vec![b'v'; 70000],
        ];
        for s in &strings {
            b.push(s);
        }
        b.push(b"12");
        let lp = b.finish();
        let got = entries(&lp).unwrap();
        let mut i = 0;
        for n in ints.iter().chain(&more) {
            assert_eq!(got[i], Entry::Int(*n));
            i += 1;
        }
        for s in &strings {
            assert_eq!(got[i], Entry::Str(s));
            i += 1;
        }
        assert_eq!(got[i], Entry::Int(12));
    }

    #[test]
    fn matches_redis_bytes_for_a_small_listpack() {
        // Header (12 bytes, 2 entries), "a" as a 6-bit string, 1 as a 7-bit integer.
        let mut b = Builder::new();
        b.push(b"a");
        b.push(b"1");
        assert_eq!(b.finish(), [0x0c, 0, 0, 0, 2, 0, 0x81, b'a', 2, 0x01, 1, 0xff]);
    }

    #[test]
    fn corrupt_listpacks_are_refused() {
        let mut b = Builder::new();
        b.push(b"hello");
        b.push_int(1000);
        let lp = b.finish();
        for cut in 0..lp.len() {
            assert!(entries(&lp[..cut]).is_err());
        }
        for i in 0..lp.len() {
            for bit in 0..8 {
                let mut bad = lp.clone();
                bad[i] ^= 1 << bit;
                // Must not panic; most flips are caught (a flipped data byte is not).
                let _ = entries(&bad);
            }
        }
        let mut wrong_count = lp.clone();
        wrong_count[4] = 3;
        assert!(entries(&wrong_count).is_err());
    }
}
