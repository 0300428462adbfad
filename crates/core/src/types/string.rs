//! String values with Redis's three encodings: `int`, `embstr` and `raw`.

use crate::keyspace::bytes::SmallBytes;
use crate::resp::writer::{fmt_i64, itoa_buf};

/// Longest string Redis stores as `embstr`.
pub const EMBSTR_MAX: usize = 44;

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
        if b.len() <= 20 {
            if let Some(n) = crate::resp::parser::parse_i64(b) {
                return StrValue::Int(n);
            }
        }
        StrValue::Bytes(SmallBytes::new(b))
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
