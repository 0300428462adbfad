//! The sparse encoding: registers as runs, in three opcodes.
//!
//! - ZERO `00llllll`: 1..=64 registers at zero.
//! - XZERO `01llllll llllllll`: 1..=16384 registers at zero (14-bit length).
//! - VAL `1vvvvvll`: 1..=4 registers holding 1..=32.
//!
//! Lengths and values are stored minus one. Updates follow Redis's
//! in-place algorithm step by step (split the run holding the register,
//! then merge equal neighbouring VALs within a short window) because the
//! bytes themselves are visible through GET and must match.

use super::{invalidate_cache, Corrupt, HEADER_LEN, REGISTERS};
use std::fmt::Write;

const XZERO_BIT: u8 = 0x40;
const VAL_BIT: u8 = 0x80;
/// The largest register value a VAL can hold; above it the value turns dense.
const VAL_MAX_VALUE: u8 = 32;
const VAL_MAX_LEN: usize = 4;
const ZERO_MAX_LEN: usize = 64;
/// How many opcodes after the changed one are looked at for merges.
const MERGE_WINDOW: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Zero(usize),
    XZero(usize),
    Val(u8, usize),
}

impl Op {
    /// The opcode starting at `bytes[at]`. An XZERO cut short by the end of
    /// the string reads a zero second byte, as Redis reads the string's
    /// terminator there.
    fn at(bytes: &[u8], at: usize) -> Op {
        let b = bytes[at];
        if b & VAL_BIT != 0 {
            Op::Val((b >> 2 & 0x1f) + 1, (b & 0x3) as usize + 1)
        } else if b & XZERO_BIT == 0 {
            Op::Zero((b & 0x3f) as usize + 1)
        } else {
            let low = bytes.get(at + 1).copied().unwrap_or(0) as usize;
            Op::XZero((((b & 0x3f) as usize) << 8 | low) + 1)
        }
    }

    /// Registers covered.
    fn span(self) -> usize {
        match self {
            Op::Zero(n) | Op::XZero(n) | Op::Val(_, n) => n,
        }
    }

    /// Bytes taken.
    fn width(self) -> usize {
        match self {
            Op::XZero(_) => 2,
            _ => 1,
        }
    }
}

fn val_byte(value: u8, len: usize) -> u8 {
    VAL_BIT | (value - 1) << 2 | (len - 1) as u8
}

/// Appends a run of `len` zero registers: ZERO up to 64, XZERO beyond.
pub fn push_zeros(out: &mut Vec<u8>, len: usize) {
    if len > ZERO_MAX_LEN {
        let l = len - 1;
        out.push(XZERO_BIT | (l >> 8) as u8);
        out.push(l as u8);
    } else {
        out.push((len - 1) as u8);
    }
}

/// Walks the opcodes of `body` (the bytes after the header), calling
/// `f(first_register, len, value)` for each run of non-zero registers.
/// Corrupt unless the runs cover exactly the 16384 registers.
pub fn for_each_run(body: &[u8], mut f: impl FnMut(usize, usize, u8)) -> Result<(), Corrupt> {
    let mut at = 0;
    let mut index = 0;
    while at < body.len() {
        let op = Op::at(body, at);
        if let Op::Val(value, len) = op {
            if index + len > REGISTERS {
                return Err(Corrupt);
            }
            f(index, len, value);
        }
        index += op.span();
        if index > REGISTERS {
            return Err(Corrupt);
        }
        at += op.width();
    }
    if index == REGISTERS {
        Ok(())
    } else {
        Err(Corrupt)
    }
}

/// Counts how many registers hold each value.
pub fn histogram(body: &[u8], histogram: &mut [u32; 64]) -> Result<(), Corrupt> {
    let mut nonzero = 0;
    for_each_run(body, |_, len, value| {
        histogram[value as usize] += len as u32;
        nonzero += len as u32;
    })?;
    histogram[0] += REGISTERS as u32 - nonzero;
    Ok(())
}

/// What [`raise`] did.
#[derive(Debug, PartialEq, Eq)]
pub enum Raised {
    /// The register already held as much.
    Unchanged,
    Updated,
    /// The value cannot stay sparse (a register above 32, or the string
    /// would pass `hll-sparse-max-bytes`); nothing was changed.
    NeedsDense,
}

/// Raises register `index` of the sparse value `hll` (header included) to
/// `value` if it is lower, editing the runs in place as Redis does.
pub fn raise(hll: &mut Vec<u8>, index: usize, value: u8, sparse_max_bytes: usize) -> Result<Raised, Corrupt> {
    if value > VAL_MAX_VALUE {
        return Ok(Raised::NeedsDense);
    }
    // Find the opcode covering the register, and the one before it.
    let mut at = HEADER_LEN;
    let mut first = 0;
    let mut prev = None;
    let mut found = None;
    while at < hll.len() {
        let op = Op::at(hll, at);
        if index < first + op.span() {
            found = Some(op);
            break;
        }
        prev = Some(at);
        at += op.width();
        first += op.span();
    }
    let op = found.ok_or(Corrupt)?;

    let in_place = match op {
        Op::Val(old, _) if old >= value => return Ok(Raised::Unchanged),
        Op::Val(_, 1) | Op::Zero(1) => true,
        _ => false,
    };
    if in_place {
        hll[at] = val_byte(value, 1);
    } else {
        // Split the run: what lies before the register, the register, what
        // lies after.
        let last = first + op.span() - 1;
        let mut seq = Vec::with_capacity(5);
        match op {
            Op::Val(current, _) => {
                if index != first {
                    seq.push(val_byte(current, index - first));
                }
                seq.push(val_byte(value, 1));
                if index != last {
                    seq.push(val_byte(current, last - index));
                }
            }
            _ => {
                if index != first {
                    push_zeros(&mut seq, index - first);
                }
                seq.push(val_byte(value, 1));
                if index != last {
                    push_zeros(&mut seq, last - index);
                }
            }
        }
        if seq.len() > op.width() && hll.len() + seq.len() - op.width() > sparse_max_bytes {
            return Ok(Raised::NeedsDense);
        }
        // An XZERO cut short by the end of a (damaged) string: Redis reads
        // a zero byte past the end and keeps the length arithmetic, so the
        // last byte of the new runs falls off. Do the same.
        let cut_short = at + op.width() > hll.len();
        if cut_short {
            hll.push(0);
        }
        hll.splice(at..at + op.width(), seq);
        if cut_short {
            hll.pop();
        }
    }
    merge_neighbours(hll, prev.unwrap_or(HEADER_LEN));
    invalidate_cache(hll);
    Ok(Raised::Updated)
}

/// Joins adjacent VALs of equal value (up to 4 registers) among the few
/// opcodes from `at` on: Redis's window after an update, no wider.
fn merge_neighbours(hll: &mut Vec<u8>, mut at: usize) {
    let mut window = MERGE_WINDOW;
    while at < hll.len() && window > 0 {
        window -= 1;
        let op = Op::at(hll, at);
        let Op::Val(value, len) = op else {
            at += op.width();
            continue;
        };
        if at + 1 < hll.len() {
            if let Op::Val(next_value, next_len) = Op::at(hll, at + 1) {
                if next_value == value && len + next_len <= VAL_MAX_LEN {
                    hll[at + 1] = val_byte(value, len + next_len);
                    hll.remove(at);
                    // Look again from here: the merged run may join the next.
                    continue;
                }
            }
        }
        at += 1;
    }
}

/// PFDEBUG DECODE's listing: `z:len` (ZERO), `Z:len` (XZERO), `v:value,len`.
pub fn decode(body: &[u8]) -> String {
    let mut out = String::new();
    let mut at = 0;
    while at < body.len() {
        let op = Op::at(body, at);
        let _ = match op {
            Op::Zero(n) => write!(out, "z:{n} "),
            Op::XZero(n) => write!(out, "Z:{n} "),
            Op::Val(v, n) => write!(out, "v:{v},{n} "),
        };
        at += op.width();
    }
    out.trim_matches(' ').to_string()
}
