//! Reading arguments: typed accessors so handlers never parse bytes by hand.

use super::errors::{self, CmdError};
use crate::resp::parser::parse_i64;
use crate::util::float::parse_double;

pub type Args<'a> = [&'a [u8]];

/// A signed 64-bit integer argument, or Redis's "not an integer" error.
pub fn int(arg: &[u8]) -> Result<i64, CmdError> {
    parse_i64(arg).ok_or(errors::NOT_INTEGER)
}

/// A non-negative integer argument; `err` when negative.
pub fn uint(arg: &[u8], err: CmdError) -> Result<u64, CmdError> {
    let n = int(arg)?;
    u64::try_from(n).map_err(|_| err)
}

pub fn float(arg: &[u8]) -> Result<f64, CmdError> {
    parse_double(arg).ok_or(errors::NOT_FLOAT)
}

/// Case-insensitive keyword comparison.
#[inline]
pub fn is(arg: &[u8], keyword: &str) -> bool {
    arg.eq_ignore_ascii_case(keyword.as_bytes())
}

/// Lower-cases an argument into `buf` for table lookups, without allocating;
/// `None` if it is longer than the buffer (no such name exists).
pub fn lower<'b>(arg: &[u8], buf: &'b mut [u8; 64]) -> Option<&'b [u8]> {
    let out = buf.get_mut(..arg.len())?;
    for (o, c) in out.iter_mut().zip(arg) {
        *o = c.to_ascii_lowercase();
    }
    Some(out)
}
