//! The two containers Redis wrote before listpacks, read only: the
//! ziplist (lists, hashes and sorted sets in RDB versions before 10) and
//! the zipmap (hashes before version 4 of the format).
//!
//! Ziplist: total bytes (u32 LE), offset of the last entry (u32 LE), count
//! (u16 LE, 65535 = "count them"), entries, 0xFF. An entry is the previous
//! entry's size (1 byte, or 0xFE + u32 LE), an encoding (strings with a 6,
//! 14 or 32-bit length; integers of 8, 16, 24, 32 or 64 bits; or 0..12 in
//! the encoding byte itself), then the data.
//!
//! Zipmap: a count byte (254 = "count them"), then key/value pairs, each
//! length 1 byte (or 254 + u32 LE), the value also followed by a byte of
//! free space to skip; 0xFF ends it.

use super::listpack::Entry;

const ZL_HEADER: usize = 10;
const END: u8 = 0xff;
const BIG_PREVLEN: u8 = 0xfe;

/// Every entry of `zl`, after checking its header, each entry's previous-
/// length field, the tail offset, the terminator and the count.
pub fn entries(zl: &[u8]) -> Result<Vec<Entry<'_>>, String> {
    if zl.len() < ZL_HEADER + 1 {
        return Err("ziplist shorter than its header".into());
    }
    let total = u32::from_le_bytes(zl[..4].try_into().expect("4 bytes")) as usize;
    let tail = u32::from_le_bytes(zl[4..8].try_into().expect("4 bytes")) as usize;
    let declared = u16::from_le_bytes(zl[8..10].try_into().expect("2 bytes"));
    if total != zl.len() {
        return Err(format!("ziplist header says {total} bytes, it has {}", zl.len()));
    }
    let end = zl.len() - 1;
    if zl[end] != END {
        return Err("ziplist does not end with its terminator".into());
    }
    let need = |pos: usize, n: usize| -> Result<(), String> {
        if pos.checked_add(n).is_none_or(|e| e > end) {
            Err("ziplist entry runs past the end".into())
        } else {
            Ok(())
        }
    };
    let mut pos = ZL_HEADER;
    let mut prev_size = 0usize;
    let mut last_start = ZL_HEADER;
    let mut out = Vec::new();
    while pos < end {
        let start = pos;
        need(pos, 1)?;
        let prevlen = if zl[pos] < BIG_PREVLEN {
            pos += 1;
            zl[start] as usize
        } else if zl[pos] == BIG_PREVLEN {
            need(pos, 5)?;
            pos += 5;
            u32::from_le_bytes(zl[start + 1..start + 5].try_into().expect("4 bytes")) as usize
        } else {
            return Err("ziplist entry with an invalid previous length".into());
        };
        if prevlen != prev_size {
            return Err(format!("ziplist entry at {start} has a wrong previous length"));
        }
        need(pos, 1)?;
        let enc = zl[pos];
        let entry = match enc >> 6 {
            0 => {
                let len = (enc & 0x3f) as usize;
                need(pos, 1 + len)?;
                pos += 1 + len;
                Entry::Str(&zl[pos - len..pos])
            }
            1 => {
                need(pos, 2)?;
                let len = (((enc & 0x3f) as usize) << 8) | zl[pos + 1] as usize;
                need(pos, 2 + len)?;
                pos += 2 + len;
                Entry::Str(&zl[pos - len..pos])
            }
            2 => {
                if enc != 0x80 {
                    return Err(format!("invalid ziplist entry encoding {enc:#04x}"));
                }
                need(pos, 5)?;
                let len = u32::from_be_bytes(zl[pos + 1..pos + 5].try_into().expect("4 bytes")) as usize;
                need(pos, 5 + len)?;
                pos += 5 + len;
                Entry::Str(&zl[pos - len..pos])
            }
            _ => {
                let width = match enc {
                    0xc0 => 2,
                    0xd0 => 4,
                    0xe0 => 8,
                    0xf0 => 3,
                    0xfe => 1,
                    0xf1..=0xfd => 0,
                    _ => return Err(format!("invalid ziplist entry encoding {enc:#04x}")),
                };
                need(pos, 1 + width)?;
                let v = if width == 0 {
                    (enc & 0x0f) as i64 - 1
                } else {
                    let mut b = [0u8; 8];
                    b[..width].copy_from_slice(&zl[pos + 1..pos + 1 + width]);
                    let shift = 64 - width as u32 * 8;
                    ((u64::from_le_bytes(b) << shift) as i64) >> shift
                };
                pos += 1 + width;
                Entry::Int(v)
            }
        };
        prev_size = pos - start;
        last_start = start;
        out.push(entry);
    }
    if tail != last_start {
        return Err(format!("ziplist tail offset {tail} does not point at its last entry"));
    }
    if declared != u16::MAX && declared as usize != out.len() {
        return Err(format!("ziplist header counts {declared} entries, it holds {}", out.len()));
    }
    Ok(out)
}

/// A zipmap's (key, value) pairs, borrowed from it.
pub type Pairs<'a> = Vec<(&'a [u8], &'a [u8])>;

/// A zipmap's pairs, checked as they are read.
pub fn zipmap_pairs(zm: &[u8]) -> Result<Pairs<'_>, String> {
    let short = || "zipmap runs past its end".to_string();
    let mut pos = 1usize;
    let mut out = Vec::new();
    let read_len = |pos: &mut usize| -> Result<Option<usize>, String> {
        let b = *zm.get(*pos).ok_or_else(short)?;
        match b {
            END => Ok(None),
            254 => {
                let bytes = zm.get(*pos + 1..*pos + 5).ok_or_else(short)?;
                *pos += 5;
                Ok(Some(u32::from_le_bytes(bytes.try_into().expect("4 bytes")) as usize))
            }
            253 => Err("zipmap with an invalid length byte".into()),
            n => {
                *pos += 1;
                Ok(Some(n as usize))
            }
        }
    };
    if zm.is_empty() {
        return Err(short());
    }
    loop {
        let Some(klen) = read_len(&mut pos)? else {
            pos += 1;
            break;
        };
        let key = zm.get(pos..pos.checked_add(klen).ok_or_else(short)?).ok_or_else(short)?;
        pos += klen;
        let vlen = read_len(&mut pos)?.ok_or_else(|| "zipmap key without a value".to_string())?;
        let free = *zm.get(pos).ok_or_else(short)? as usize;
        pos += 1;
        let value = zm.get(pos..pos.checked_add(vlen).ok_or_else(short)?).ok_or_else(short)?;
        pos += vlen + free;
        out.push((key, value));
    }
    if pos != zm.len() {
        return Err("zipmap has bytes after its end".into());
    }
    if zm[0] < 254 && zm[0] as usize != out.len() {
        return Err(format!("zipmap header counts {} pairs, it holds {}", zm[0], out.len()));
    }
    Ok(out)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A ziplist as Redis 6 wrote them, for tests of old files.
    pub(crate) fn build(items: &[&[u8]]) -> Vec<u8> {
        let mut body = Vec::new();
        let mut prev = 0usize;
        let mut last = ZL_HEADER;
        for item in items {
            let start = body.len();
            last = ZL_HEADER + start;
            if prev < 254 {
                body.push(prev as u8);
            } else {
                body.push(BIG_PREVLEN);
                body.extend_from_slice(&(prev as u32).to_le_bytes());
            }
            match crate::resp::parser::parse_i64(item) {
                Some(n @ 0..=12) => body.push(0xf1 + n as u8),
                Some(n) if i8::try_from(n).is_ok() => body.extend_from_slice(&[0xfe, n as i8 as u8]),
                Some(n) if i16::try_from(n).is_ok() => {
                    body.push(0xc0);
                    body.extend_from_slice(&(n as i16).to_le_bytes());
                }
                Some(n) if (-(1 << 23)..(1 << 23)).contains(&n) => {
                    body.push(0xf0);
                    body.extend_from_slice(&(n as i32).to_le_bytes()[..3]);
                }
                Some(n) if i32::try_from(n).is_ok() => {
                    body.push(0xd0);
                    body.extend_from_slice(&(n as i32).to_le_bytes());
                }
                Some(n) => {
                    body.push(0xe0);
                    body.extend_from_slice(&n.to_le_bytes());
                }
                None if item.len() < 64 => {
                    body.push(item.len() as u8);
                    body.extend_from_slice(item);
                }
                None if item.len() < 16384 => {
                    body.push(0x40 | (item.len() >> 8) as u8);
                    body.push(item.len() as u8);
                    body.extend_from_slice(item);
                }
                None => {
                    body.push(0x80);
                    body.extend_from_slice(&(item.len() as u32).to_be_bytes());
                    body.extend_from_slice(item);
                }
            }
            prev = body.len() - start;
        }
        let mut zl = Vec::new();
        zl.extend_from_slice(&((ZL_HEADER + body.len() + 1) as u32).to_le_bytes());
        zl.extend_from_slice(&(last as u32).to_le_bytes());
        zl.extend_from_slice(&(items.len() as u16).to_le_bytes());
        zl.extend_from_slice(&body);
        zl.push(END);
        zl
    }

    /// A zipmap of `pairs`, for tests of old files.
    pub(crate) fn build_zipmap(pairs: &[(&[u8], &[u8])]) -> Vec<u8> {
        let mut zm = vec![pairs.len() as u8];
        for (k, v) in pairs {
            zm.push(k.len() as u8);
            zm.extend_from_slice(k);
            zm.push(v.len() as u8);
            zm.push(0);
            zm.extend_from_slice(v);
        }
        zm.push(END);
        zm
    }

    #[test]
    fn reads_every_entry_kind() {
        let long = vec![b'q'; 300];
        let huge = vec![b'h'; 20000];
        let items: Vec<&[u8]> = vec![
            b"a",
            b"0",
            b"12",
            b"13",
            b"-100",
            b"30000",
            b"8000000",
            b"2000000000",
            b"9000000000000",
            &long,
            &huge,
        ];
        let zl = build(&items);
        let got: Vec<Vec<u8>> = entries(&zl).unwrap().into_iter().map(|e| e.into_vec()).collect();
        assert_eq!(got, items.iter().map(|i| i.to_vec()).collect::<Vec<_>>());
        for cut in 0..zl.len() {
            assert!(entries(&zl[..cut]).is_err());
        }
    }

    #[test]
    fn reads_zipmaps() {
        let zm = build_zipmap(&[(b"f", b"v"), (b"name", b"ferrokv")]);
        assert_eq!(zipmap_pairs(&zm).unwrap(), vec![(&b"f"[..], &b"v"[..]), (&b"name"[..], &b"ferrokv"[..])]);
        for cut in 0..zm.len() {
            assert!(zipmap_pairs(&zm[..cut]).is_err());
        }
    }
}
