//! C `long double` numbers, as Redis's INCRBYFLOAT computes and prints them.
//!
//! Redis adds in `long double` and prints with `%.17Lf`, so "0.1" plus "0.2"
//! reads back as "0.3" on x86 (80-bit) where `f64` would give
//! "0.30000000000000004". Only the platform's own type and printf give the
//! same digits, so the arithmetic lives in `csrc/long_double.c` and values
//! stay opaque here.

use std::ffi::c_char;

/// Longest text Redis parses or prints as a long double (`MAX_LONG_DOUBLE_CHARS`).
pub const MAX_CHARS: usize = 5 * 1024;

/// A C `long double`, stored as the bytes C gave it (at most 16 on every
/// platform; MSVC's is a plain `double`).
#[derive(Clone, Copy)]
#[repr(C, align(16))]
pub struct LongDouble([u8; 16]);

extern "C" {
    fn fkv_ld_size() -> usize;
    fn fkv_ld_parse(s: *const c_char, len: usize, out: *mut LongDouble) -> i32;
    fn fkv_ld_from_i64(n: i64, out: *mut LongDouble);
    fn fkv_ld_add(a: *const LongDouble, b: *const LongDouble, out: *mut LongDouble);
    fn fkv_ld_is_finite(a: *const LongDouble) -> i32;
    fn fkv_ld_format_human(a: *const LongDouble, buf: *mut c_char, cap: usize) -> usize;
}

impl LongDouble {
    const ZERO_BITS: LongDouble = LongDouble([0; 16]);

    /// Redis's `string2ld`: the whole text as `strtold` reads it (decimal,
    /// hex floats, "inf"), refusing leading spaces, NaN and out-of-range
    /// values.
    pub fn parse(s: &[u8]) -> Option<LongDouble> {
        if s.is_empty() || s.len() >= MAX_CHARS {
            return None;
        }
        let mut out = Self::ZERO_BITS;
        // SAFETY: `s` is valid for `len` bytes (the C side copies it before
        // terminating it); `out` is a writable 16-byte buffer.
        let ok = unsafe { fkv_ld_parse(s.as_ptr().cast(), s.len(), &mut out) };
        (ok == 1).then_some(out)
    }

    pub fn from_i64(n: i64) -> LongDouble {
        let mut out = Self::ZERO_BITS;
        // SAFETY: `out` is a writable 16-byte buffer.
        unsafe { fkv_ld_from_i64(n, &mut out) };
        out
    }

    pub fn add(&self, other: &LongDouble) -> LongDouble {
        let mut out = Self::ZERO_BITS;
        // SAFETY: all three point to 16-byte buffers holding C long doubles.
        unsafe { fkv_ld_add(self, other, &mut out) };
        out
    }

    pub fn is_finite(&self) -> bool {
        // SAFETY: `self` holds a C long double.
        unsafe { fkv_ld_is_finite(self) == 1 }
    }

    /// Redis's human-friendly form (`ld2string` with `LD_STR_HUMAN`):
    /// `%.17Lf` without trailing zeros, "-0" as "0". Only for finite values.
    pub fn to_human(&self) -> Vec<u8> {
        debug_assert!(self.is_finite());
        let mut buf = [0u8; MAX_CHARS];
        // SAFETY: `buf` is writable for `MAX_CHARS` bytes; C writes at most that many.
        let n = unsafe { fkv_ld_format_human(self, buf.as_mut_ptr().cast(), buf.len()) };
        buf[..n].to_vec()
    }

    /// Bytes C uses for a long double here: 16 on x86-64 and aarch64 Linux,
    /// 8 where it is a plain double.
    pub fn c_size() -> usize {
        // SAFETY: no arguments.
        unsafe { fkv_ld_size() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn incr(a: &str, b: &str) -> String {
        let sum = LongDouble::parse(a.as_bytes()).unwrap().add(&LongDouble::parse(b.as_bytes()).unwrap());
        String::from_utf8(sum.to_human()).unwrap()
    }

    #[test]
    fn parses_like_string2ld() {
        for ok in ["1", "-1.5", "+2", "1e3", "0x10", "inf", "-Infinity", ".5", "5."] {
            assert!(LongDouble::parse(ok.as_bytes()).is_some(), "{ok}");
        }
        for bad in ["", " 1", "1 ", "nan", "abc", "1e", "1\u{0}2", "1e999999"] {
            assert!(LongDouble::parse(bad.as_bytes()).is_none(), "{bad:?}");
        }
        assert!(!LongDouble::parse(b"inf").unwrap().is_finite());
        assert!(LongDouble::c_size() >= 8);
    }

    #[test]
    fn prints_like_ld2string_human() {
        assert_eq!(incr("0", "3"), "3");
        assert_eq!(incr("-1", "0.5"), "-0.5");
        assert_eq!(incr("1", "-1"), "0");
        assert_eq!(incr("0", "-0.000000000000000001"), "0");
        assert_eq!(String::from_utf8(LongDouble::from_i64(-42).to_human()).unwrap(), "-42");
    }

    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    #[test]
    fn extended_precision_on_x86_linux() {
        // With f64 these would print 0.30000000000000004 and 10.59999999999999964.
        assert_eq!(incr("0.1", "0.2"), "0.3");
        assert_eq!(incr("0.1", "10.5"), "10.6");
        assert_eq!(incr("10.5", "0.1"), "10.6");
    }
}
