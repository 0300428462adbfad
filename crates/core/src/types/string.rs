//! String values with Redis's three encodings: `int`, `embstr` and `raw`.
//!
//! Which encoding a value gets depends on how it was made, as in Redis:
//! values taken from a command's argument (SET, MSET, GETSET, APPEND on a
//! missing key …) go through [`StrValue::from_bytes`], which turns decimal
//! integers into `int`; values a command computes as text (INCRBYFLOAT) keep
//! their bytes ([`StrValue::plain`]); values edited in place (APPEND,
//! SETRANGE) become `raw` whatever their length ([`StrValue::make_raw`]).

use crate::keyspace::bytes::SmallBytes;
use crate::resp::parser::parse_i64;
use crate::resp::writer::{fmt_i64, itoa_buf};

/// Longest string Redis stores as `embstr`.
pub const EMBSTR_MAX: usize = 44;

/// Redis only tries the `int` encoding on strings this short: no longer
/// decimal fits in 64 bits.
const INT_CANDIDATE_MAX: usize = 20;

#[derive(Clone, Debug)]
pub enum StrValue {
    /// A decimal integer without leading zeros or sign quirks, stored as a number.
    Int(i64),
    /// Stored as given; `embstr` up to 44 bytes, `raw` beyond.
    Bytes(SmallBytes),
    /// Modified in place (APPEND, SETRANGE …): growable, always `raw`.
    Raw(Box<Vec<u8>>),
}

impl StrValue {
    /// The encoding Redis's `tryObjectEncoding` would pick for a fresh value.
    pub fn from_bytes(b: &[u8]) -> Self {
        if b.len() <= INT_CANDIDATE_MAX {
            if let Some(n) = parse_i64(b) {
                return StrValue::Int(n);
            }
        }
        StrValue::Bytes(SmallBytes::new(b))
    }

    /// Text kept as text, even when it reads as an integer (Redis's
    /// `createStringObject`: INCRBYFLOAT's "3" is an `embstr`, not an `int`).
    pub fn plain(b: Vec<u8>) -> Self {
        StrValue::Bytes(SmallBytes::from_vec(b))
    }

    /// Calls `f` with the value's bytes (integers are formatted on the stack).
    #[inline]
    pub fn with_bytes<R>(&self, f: impl FnOnce(&[u8]) -> R) -> R {
        match self {
            StrValue::Int(n) => {
                let mut buf = itoa_buf();
                f(fmt_i64(*n, &mut buf))
            }
            StrValue::Bytes(b) => f(b),
            StrValue::Raw(v) => f(v),
        }
    }

    pub fn to_vec(&self) -> Vec<u8> {
        self.with_bytes(|b| b.to_vec())
    }

    /// The value as a 64-bit integer, if its text is one in Redis's strict
    /// sense (no spaces, no '+', no leading zeros).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            StrValue::Int(n) => Some(*n),
            other => other.with_bytes(parse_i64),
        }
    }

    /// The bytes as a growable buffer, switching to the `raw` encoding first
    /// as Redis's `dbUnshareStringValue` does before an in-place edit.
    pub fn make_raw(&mut self) -> &mut Vec<u8> {
        if !matches!(self, StrValue::Raw(_)) {
            *self = StrValue::Raw(Box::new(self.to_vec()));
        }
        match self {
            StrValue::Raw(v) => v,
            _ => unreachable!("just converted to raw"),
        }
    }

    pub fn len(&self) -> usize {
        match self {
            StrValue::Int(n) => {
                let mut buf = itoa_buf();
                fmt_i64(*n, &mut buf).len()
            }
            StrValue::Bytes(b) => b.len(),
            StrValue::Raw(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn encoding(&self) -> &'static str {
        match self {
            StrValue::Int(_) => "int",
            StrValue::Bytes(b) if b.len() <= EMBSTR_MAX => "embstr",
            _ => "raw",
        }
    }

    pub fn heap_size(&self) -> usize {
        match self {
            StrValue::Int(_) => 0,
            StrValue::Bytes(b) => b.heap_size(),
            StrValue::Raw(v) => v.capacity() + std::mem::size_of::<Vec<u8>>(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_follow_how_the_value_was_made() {
        assert_eq!(StrValue::from_bytes(b"123").encoding(), "int");
        assert_eq!(StrValue::from_bytes(b"-9223372036854775808").encoding(), "int");
        assert_eq!(StrValue::from_bytes(b"9223372036854775808").encoding(), "embstr");
        for not_int in [&b"007"[..], b"-0", b"+1", b" 1", b"1 ", b""] {
            assert_eq!(StrValue::from_bytes(not_int).encoding(), "embstr", "{not_int:?}");
        }
        assert_eq!(StrValue::from_bytes(&[b'a'; 44]).encoding(), "embstr");
        assert_eq!(StrValue::from_bytes(&[b'a'; 45]).encoding(), "raw");
        assert_eq!(StrValue::plain(b"3".to_vec()).encoding(), "embstr");
        let mut v = StrValue::from_bytes(b"12");
        v.make_raw().push(b'3');
        assert_eq!(v.encoding(), "raw");
        assert_eq!(v.as_i64(), Some(123));
        assert_eq!(v.len(), 3);
    }
}
