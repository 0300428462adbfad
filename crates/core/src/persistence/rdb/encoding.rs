//! The primitives of the format: lengths, strings and doubles.
//!
//! A length is 1, 2, 5 or 9 bytes: `00xxxxxx` (6 bits), `01xxxxxx xxxxxxxx`
//! (14 bits, big-endian), `0x80` + 32-bit or `0x81` + 64-bit big-endian. The
//! top bits `11` instead mark a string stored specially: an 8, 16 or 32-bit
//! little-endian integer (its decimal text is the string), or LZF data with
//! its compressed and original lengths in front.

use std::borrow::Cow;

use super::{RdbError, RdbResult};
use crate::resp::parser::parse_i64;
use crate::resp::writer::{fmt_i64, itoa_buf};
use crate::util::lzf;

const LEN_6BIT: u8 = 0;
const LEN_14BIT: u8 = 1;
const LEN_32BIT: u8 = 0x80;
const LEN_64BIT: u8 = 0x81;
const ENCVAL: u8 = 3;
const ENC_INT8: u8 = 0;
const ENC_INT16: u8 = 1;
const ENC_INT32: u8 = 2;
const ENC_LZF: u8 = 3;

/// Strings longer than this are worth an LZF attempt (Redis's threshold).
const COMPRESS_MIN_LEN: usize = 20;
/// Redis only tries the integer forms on strings this short.
const INT_CANDIDATE_MAX: usize = 11;

// ---- writing ----

pub fn put_len(out: &mut Vec<u8>, n: u64) {
    if n < 1 << 6 {
        out.push((LEN_6BIT << 6) | n as u8);
    } else if n < 1 << 14 {
        out.push((LEN_14BIT << 6) | (n >> 8) as u8);
        out.push(n as u8);
    } else if n <= u32::MAX as u64 {
        out.push(LEN_32BIT);
        out.extend_from_slice(&(n as u32).to_be_bytes());
    } else {
        out.push(LEN_64BIT);
        out.extend_from_slice(&n.to_be_bytes());
    }
}

/// The special integer form of `n`, if it fits 32 bits.
fn put_encoded_int(out: &mut Vec<u8>, n: i64) -> bool {
    let tag = ENCVAL << 6;
    if let Ok(v) = i8::try_from(n) {
        out.extend_from_slice(&[tag | ENC_INT8, v as u8]);
    } else if let Ok(v) = i16::try_from(n) {
        out.push(tag | ENC_INT16);
        out.extend_from_slice(&v.to_le_bytes());
    } else if let Ok(v) = i32::try_from(n) {
        out.push(tag | ENC_INT32);
        out.extend_from_slice(&v.to_le_bytes());
    } else {
        return false;
    }
    true
}

/// A string, as Redis's `rdbSaveRawString`: short decimal integers in
/// their integer form, long strings LZF-compressed when `compress` and it
/// saves at least four bytes, everything else as length and bytes.
pub fn put_string(out: &mut Vec<u8>, s: &[u8], compress: bool) {
    if s.len() <= INT_CANDIDATE_MAX {
        if let Some(n) = parse_i64(s) {
            if put_encoded_int(out, n) {
                return;
            }
        }
    }
    if compress && s.len() > COMPRESS_MIN_LEN {
        if let Some(packed) = lzf::compress(s, s.len() - 4) {
            if !packed.is_empty() && packed.len() < s.len() - 4 {
                out.push((ENCVAL << 6) | ENC_LZF);
                put_len(out, packed.len() as u64);
                put_len(out, s.len() as u64);
                out.extend_from_slice(&packed);
                return;
            }
        }
    }
    put_len(out, s.len() as u64);
    out.extend_from_slice(s);
}

/// An integer value as a string (Redis's `rdbSaveLongLongAsStringObject`).
pub fn put_int_string(out: &mut Vec<u8>, n: i64) {
    if !put_encoded_int(out, n) {
        let mut buf = itoa_buf();
        let text = fmt_i64(n, &mut buf);
        put_len(out, text.len() as u64);
        out.extend_from_slice(text);
    }
}

pub fn put_binary_double(out: &mut Vec<u8>, v: f64) {
    out.extend_from_slice(&v.to_le_bytes());
}

// ---- reading ----

/// A read position in a file or payload held in memory. Every read checks
/// the bounds, so a truncated or corrupt input is an error, never a panic.
pub struct Source<'a> {
    buf: &'a [u8],
    pub pos: usize,
}

impl<'a> Source<'a> {
    pub fn new(buf: &'a [u8]) -> Self {
        Source { buf, pos: 0 }
    }

    pub fn err<T>(&self, reason: impl Into<String>) -> RdbResult<T> {
        Err(RdbError::at(self.pos, reason))
    }

    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }

    pub fn is_at_end(&self) -> bool {
        self.pos >= self.buf.len()
    }

    pub fn take(&mut self, n: usize) -> RdbResult<&'a [u8]> {
        if n > self.remaining() {
            return self.err(format!("unexpected end of data reading {n} bytes"));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }

    pub fn u8(&mut self) -> RdbResult<u8> {
        Ok(self.take(1)?[0])
    }

    pub fn u16_le(&mut self) -> RdbResult<u16> {
        Ok(u16::from_le_bytes(self.take(2)?.try_into().expect("2 bytes")))
    }

    pub fn u32_le(&mut self) -> RdbResult<u32> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    pub fn u64_le(&mut self) -> RdbResult<u64> {
        Ok(u64::from_le_bytes(self.take(8)?.try_into().expect("8 bytes")))
    }

    /// A length or a special-encoding marker: `(value, true)` for the latter.
    fn len_or_encoding(&mut self) -> RdbResult<(u64, bool)> {
        let first = self.u8()?;
        match first >> 6 {
            0 => Ok(((first & 0x3f) as u64, false)),
            1 => Ok(((((first & 0x3f) as u64) << 8) | self.u8()? as u64, false)),
            3 => Ok(((first & 0x3f) as u64, true)),
            _ => match first {
                LEN_32BIT => Ok((u32::from_be_bytes(self.take(4)?.try_into().expect("4 bytes")) as u64, false)),
                LEN_64BIT => Ok((u64::from_be_bytes(self.take(8)?.try_into().expect("8 bytes")), false)),
                other => self.err(format!("unknown length encoding {other:#04x}")),
            },
        }
    }

    pub fn length(&mut self) -> RdbResult<u64> {
        match self.len_or_encoding()? {
            (n, false) => Ok(n),
            (_, true) => self.err("a special string encoding where a length was expected"),
        }
    }

    /// A count of items that each take at least `min_item_bytes` bytes: a
    /// count the rest of the input cannot hold is refused before anything
    /// is allocated for it.
    pub fn count(&mut self, min_item_bytes: usize) -> RdbResult<usize> {
        let start = self.pos;
        let n = self.length()?;
        if n > (self.remaining() / min_item_bytes.max(1)) as u64 {
            return Err(RdbError::at(start, format!("a count of {n} items exceeds the data left")));
        }
        Ok(n as usize)
    }

    /// A string in any of its forms.
    pub fn string(&mut self) -> RdbResult<Cow<'a, [u8]>> {
        let start = self.pos;
        let (n, special) = self.len_or_encoding()?;
        if !special {
            let n = usize::try_from(n).map_err(|_| RdbError::at(start, "string length too large"))?;
            return Ok(Cow::Borrowed(self.take(n)?));
        }
        let int = match n as u8 {
            ENC_INT8 => self.u8()? as i8 as i64,
            ENC_INT16 => self.u16_le()? as i16 as i64,
            ENC_INT32 => self.u32_le()? as i32 as i64,
            ENC_LZF => {
                let packed_len = self.length()?;
                let len = self.length()?;
                let packed_len =
                    usize::try_from(packed_len).map_err(|_| RdbError::at(start, "compressed length too large"))?;
                let packed = self.take(packed_len)?;
                let len = usize::try_from(len).map_err(|_| RdbError::at(start, "string length too large"))?;
                return match lzf::decompress(packed, len) {
                    Some(v) if !v.is_empty() || len == 0 => Ok(Cow::Owned(v)),
                    _ => Err(RdbError::at(start, "invalid LZF compressed string")),
                };
            }
            other => return Err(RdbError::at(start, format!("unknown string encoding {other}"))),
        };
        let mut buf = itoa_buf();
        Ok(Cow::Owned(fmt_i64(int, &mut buf).to_vec()))
    }

    pub fn binary_double(&mut self) -> RdbResult<f64> {
        Ok(f64::from_bits(self.u64_le()?))
    }

    /// A double as old files wrote it: a length byte, then text (253, 254
    /// and 255 stand for NaN, +inf and -inf).
    pub fn text_double(&mut self) -> RdbResult<f64> {
        let start = self.pos;
        match self.u8()? {
            253 => Ok(f64::NAN),
            254 => Ok(f64::INFINITY),
            255 => Ok(f64::NEG_INFINITY),
            n => {
                let text = self.take(n as usize)?;
                parse_c_double(text).ok_or_else(|| RdbError::at(start, "invalid double"))
            }
        }
    }
}

/// A number written by C's printf family ("%.17g", "inf", "-inf", "nan").
pub fn parse_c_double(text: &[u8]) -> Option<f64> {
    let s = std::str::from_utf8(text).ok()?;
    match s {
        "inf" | "+inf" | "infinity" => Some(f64::INFINITY),
        "-inf" | "-infinity" => Some(f64::NEG_INFINITY),
        "nan" | "-nan" => Some(f64::NAN),
        _ => s.parse::<f64>().ok(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_back(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
        let mut out = Vec::new();
        f(&mut out);
        out
    }

    #[test]
    fn lengths_round_trip_at_every_width() {
        for n in [0u64, 63, 64, 16383, 16384, u32::MAX as u64, u32::MAX as u64 + 1, u64::MAX] {
            let bytes = read_back(|o| put_len(o, n));
            let expected_width = match n {
                0..=63 => 1,
                64..=16383 => 2,
                _ if n <= u32::MAX as u64 => 5,
                _ => 9,
            };
            assert_eq!(bytes.len(), expected_width, "{n}");
            let mut src = Source::new(&bytes);
            assert_eq!(src.length().unwrap(), n);
            assert!(src.is_at_end());
        }
    }

    #[test]
    fn strings_take_integer_lzf_and_plain_forms() {
        assert_eq!(read_back(|o| put_string(o, b"12", true)), [0xc0, 12]);
        assert_eq!(read_back(|o| put_string(o, b"-300", true)), [0xc1, 0xd4, 0xfe]);
        assert_eq!(read_back(|o| put_string(o, b"100000", true)), [0xc2, 0xa0, 0x86, 0x01, 0x00]);
        // Not canonical integers: kept as text.
        assert_eq!(read_back(|o| put_string(o, b"012", true)), [3, b'0', b'1', b'2']);
        assert_eq!(read_back(|o| put_int_string(o, 1 << 40)), read_back(|o| put_string(o, b"1099511627776", false)));
        let long = vec![b'a'; 200];
        let packed = read_back(|o| put_string(o, &long, true));
        assert_eq!(packed[0], 0xc3);
        assert!(packed.len() < 40);
        let plain = read_back(|o| put_string(o, &long, false));
        assert_eq!(plain.len(), 202);
        for bytes in [packed, plain] {
            let mut src = Source::new(&bytes);
            assert_eq!(src.string().unwrap().as_ref(), &long[..]);
            assert!(src.is_at_end());
        }
        for text in [&b"0"[..], b"-1", b"127", b"-128", b"32767", b"2147483647", b"-2147483648", b"hello"] {
            let bytes = read_back(|o| put_string(o, text, true));
            assert_eq!(Source::new(&bytes).string().unwrap().as_ref(), text);
        }
    }

    #[test]
    fn truncated_input_is_an_error() {
        let bytes = read_back(|o| put_string(o, &[b'x'; 100], false));
        for cut in 0..bytes.len() {
            assert!(Source::new(&bytes[..cut]).string().is_err(), "cut at {cut}");
        }
        let mut src = Source::new(&[0x80, 0xff, 0xff, 0xff, 0xff]);
        assert!(src.count(1).is_err());
    }

    #[test]
    fn text_doubles() {
        let mut src = Source::new(&[254, 255, 253, 3, b'1', b'.', b'5']);
        assert_eq!(src.text_double().unwrap(), f64::INFINITY);
        assert_eq!(src.text_double().unwrap(), f64::NEG_INFINITY);
        assert!(src.text_double().unwrap().is_nan());
        assert_eq!(src.text_double().unwrap(), 1.5);
    }
}
