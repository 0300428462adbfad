//! BITCOUNT and BITPOS: ranges given in bytes (the default) or in bits,
//! negative indexes counted from the end, as Redis 7.2 reads them.

use crate::command::args;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::types::Value;

const BIT_ARGUMENT: CmdError = CmdError::Static("ERR The bit argument must be 1 or 0.");

/// `BYTE` or `BIT`; true for bits.
fn unit_is_bit(arg: &[u8]) -> Result<bool, CmdError> {
    if args::is(arg, "bit") {
        Ok(true)
    } else if args::is(arg, "byte") {
        Ok(false)
    } else {
        Err(errors::SYNTAX)
    }
}

/// An inclusive range of whole bytes, with the bits to leave out of its
/// first byte (high bits) and last byte (low bits) when it was given in bits.
struct ByteRange {
    start: i64,
    end: i64,
    first_excluded: u8,
    last_excluded: u8,
}

/// Turns `[start, end]` (in bytes, or bits when `in_bits`) over a string of
/// `len` bytes into a byte range, clamping as Redis does.
fn byte_range(len: usize, mut start: i64, mut end: i64, in_bits: bool) -> ByteRange {
    let total = if in_bits { (len as i64) << 3 } else { len as i64 };
    if start < 0 {
        start += total;
    }
    if end < 0 {
        end += total;
    }
    start = start.max(0);
    end = end.max(0).min(total - 1);
    let mut range = ByteRange { start, end, first_excluded: 0, last_excluded: 0 };
    if in_bits && start <= end {
        range.first_excluded = !(0xffu16 >> (start & 7)) as u8;
        range.last_excluded = ((1u16 << (7 - (end & 7))) - 1) as u8;
        range.start >>= 3;
        range.end >>= 3;
    }
    range
}

/// BITCOUNT key [start end [BYTE | BIT]]
pub(super) fn bitcount(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let count = ctx.read_with(argv[1], |value, _| match value {
        None => Ok(0),
        Some(Value::Str(s)) => s.with_bytes(|bytes| count_in(bytes, argv)),
        Some(_) => Err(errors::WRONGTYPE),
    })?;
    ctx.out.int(count);
    Ok(())
}

fn count_in(bytes: &[u8], argv: &[&[u8]]) -> Result<i64, CmdError> {
    let range = match argv.len() {
        2 => ByteRange { start: 0, end: bytes.len() as i64 - 1, first_excluded: 0, last_excluded: 0 },
        4 | 5 => {
            let start = args::int(argv[2])?;
            let end = args::int(argv[3])?;
            // Both from the end and crossed: empty, whatever the unit says.
            if start < 0 && end < 0 && start > end {
                return Ok(0);
            }
            let in_bits = argv.len() == 5 && unit_is_bit(argv[4])?;
            byte_range(bytes.len(), start, end, in_bits)
        }
        _ => return Err(errors::SYNTAX),
    };
    if range.start > range.end {
        return Ok(0);
    }
    let (start, end) = (range.start as usize, range.end as usize);
    let mut count = popcount(&bytes[start..=end]);
    count -= (bytes[start] & range.first_excluded).count_ones() as u64;
    count -= (bytes[end] & range.last_excluded).count_ones() as u64;
    Ok(count as i64)
}

/// Set bits in `bytes`, a word at a time.
fn popcount(bytes: &[u8]) -> u64 {
    let words = bytes.chunks_exact(8);
    let tail: u64 = words.remainder().iter().map(|b| b.count_ones() as u64).sum();
    words.map(|w| u64::from_ne_bytes(w.try_into().expect("eight bytes")).count_ones() as u64).sum::<u64>() + tail
}

/// The position of the first bit equal to `bit` in `bytes`. Not found:
/// -1 when looking for a 1, and the first bit past the end when looking
/// for a 0 (the string reads as zero-padded).
fn first_bit(bytes: &[u8], bit: bool) -> i64 {
    let skip = if bit { 0x00 } else { 0xff };
    match bytes.iter().position(|&b| b != skip) {
        Some(i) => {
            let b = if bit { bytes[i] } else { !bytes[i] };
            (i as i64) * 8 + b.leading_zeros() as i64
        }
        None if bit => -1,
        None => bytes.len() as i64 * 8,
    }
}

/// BITPOS key bit [start [end [BYTE | BIT]]]
pub(super) fn bitpos(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let bit = match args::int(argv[2])? {
        0 => false,
        1 => true,
        _ => return Err(BIT_ARGUMENT),
    };
    let pos = ctx.read_with(argv[1], |value, _| match value {
        // A missing key reads as endless zeros.
        None => Ok(if bit { -1 } else { 0 }),
        Some(Value::Str(s)) => s.with_bytes(|bytes| position_in(bytes, bit, argv)),
        Some(_) => Err(errors::WRONGTYPE),
    })?;
    ctx.out.int(pos);
    Ok(())
}

fn position_in(bytes: &[u8], bit: bool, argv: &[&[u8]]) -> Result<i64, CmdError> {
    let mut end_given = false;
    let range = match argv.len() {
        3 => ByteRange { start: 0, end: bytes.len() as i64 - 1, first_excluded: 0, last_excluded: 0 },
        4..=6 => {
            let start = args::int(argv[3])?;
            let in_bits = argv.len() == 6 && unit_is_bit(argv[5])?;
            let end = if argv.len() >= 5 {
                end_given = true;
                args::int(argv[4])?
            } else if in_bits {
                ((bytes.len() as i64) << 3) + 7
            } else {
                bytes.len() as i64 - 1
            };
            byte_range(bytes.len(), start, end, in_bits)
        }
        _ => return Err(errors::SYNTAX),
    };
    if range.start > range.end {
        return Ok(-1);
    }
    let (mut start, end) = (range.start as usize, range.end as usize);
    let mut remaining = end - start + 1;
    // Bits outside a bit range are masked to the value not looked for.
    let masked = |byte: u8, excluded: u8| if bit { byte & !excluded } else { byte | excluded };
    let mut found;
    'search: {
        if range.first_excluded != 0 {
            let mut first = masked(bytes[start], range.first_excluded);
            if remaining == 1 && range.last_excluded != 0 {
                first = masked(first, range.last_excluded);
            }
            found = first_bit(&[first], bit);
            if remaining == 1 || (found != -1 && found != 8) {
                break 'search;
            }
            start += 1;
            remaining -= 1;
        }
        // The whole bytes, leaving out a last byte that is only partly in range.
        let whole = remaining - (range.last_excluded != 0) as usize;
        if whole > 0 {
            found = first_bit(&bytes[start..start + whole], bit);
            if remaining == whole || (found != -1 && found != (whole as i64) << 3) {
                break 'search;
            }
            start += whole;
            remaining -= whole;
        }
        found = first_bit(&[masked(bytes[end], range.last_excluded)], bit);
    }
    // With an explicit end, the bits past it are not zero padding: a clear
    // bit found only there is no answer.
    if end_given && !bit && found == (remaining as i64) << 3 {
        return Ok(-1);
    }
    if found != -1 {
        found += (start as i64) << 3;
    }
    Ok(found)
}
