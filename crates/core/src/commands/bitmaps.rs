//! Bitmap commands on string values: SETBIT GETBIT BITCOUNT BITPOS BITOP
//! BITFIELD BITFIELD_RO, with Redis 7.2's replies, errors and events.
//!
//! Bit 0 is the most significant bit of the first byte. Writes grow the
//! string with zero bytes as far as the highest bit they touch.
//!
//! - `count`: BITCOUNT and BITPOS (ranges in bytes or bits).
//! - `bitop`: BITOP.
//! - `bitfield`: BITFIELD and BITFIELD_RO.
//! - this file: the declarations, offsets, and SETBIT / GETBIT.

use crate::command::errors::{self, CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::notify;
use crate::resp::parser::parse_i64;
use crate::types::{StrValue, Value};

mod bitfield;
mod bitop;
mod count;
#[cfg(test)]
pub(crate) mod tests;

const BIT_OFFSET: CmdError = CmdError::Static("ERR bit offset is not an integer or out of range");
const BIT_VALUE: CmdError = CmdError::Static("ERR bit is not an integer or out of range");

const BITMAP: CommandSpec =
    CommandSpec { group: Group::Bitmap, acl: AclCategory::Bitmap.bit(), keys: KeySpec::FIRST, ..CommandSpec::BASE };

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "setbit",
        arity: 4,
        flags: WRITE | DENYOOM,
        since: "2.2.0",
        summary: "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.",
        exec: Exec::Core(setbit),
        ..BITMAP
    },
    CommandSpec {
        name: "getbit",
        arity: 3,
        flags: READONLY | FAST,
        since: "2.2.0",
        summary: "Returns a bit value by offset.",
        exec: Exec::Core(getbit),
        ..BITMAP
    },
    CommandSpec {
        name: "bitcount",
        arity: -2,
        flags: READONLY,
        since: "2.6.0",
        summary: "Counts the number of set bits (population counting) in a string.",
        complexity: "O(N)",
        exec: Exec::Core(count::bitcount),
        ..BITMAP
    },
    CommandSpec {
        name: "bitpos",
        arity: -3,
        flags: READONLY,
        since: "2.8.7",
        summary: "Finds the first set (1) or clear (0) bit in a string.",
        complexity: "O(N)",
        exec: Exec::Core(count::bitpos),
        ..BITMAP
    },
    CommandSpec {
        name: "bitop",
        arity: -4,
        flags: WRITE | DENYOOM,
        keys: KeySpec { first: 2, last: -1, step: 1 },
        since: "2.6.0",
        summary: "Performs bitwise operations on multiple strings, and stores the result.",
        complexity: "O(N)",
        exec: Exec::Core(bitop::bitop),
        ..BITMAP
    },
    CommandSpec {
        name: "bitfield",
        arity: -2,
        flags: WRITE | DENYOOM,
        since: "3.2.0",
        summary: "Performs arbitrary bitfield integer operations on strings.",
        complexity: "O(1) for each subcommand specified",
        exec: Exec::Core(bitfield::bitfield),
        ..BITMAP
    },
    CommandSpec {
        name: "bitfield_ro",
        arity: -2,
        flags: READONLY | FAST,
        since: "6.0.0",
        summary: "Performs arbitrary read-only bitfield integer operations on strings.",
        complexity: "O(1) for each subcommand specified",
        exec: Exec::Core(bitfield::bitfield),
        ..BITMAP
    },
];

/// A bit offset argument (Redis's `getBitOffsetFromArgument`). With
/// `hash_width`, BITFIELD's `#n` form counts in fields of that many bits.
/// Offsets whose byte would pass proto-max-bulk-len are refused.
fn bit_offset(arg: &[u8], hash_width: Option<u32>, max_bulk_len: u64) -> Result<u64, CmdError> {
    let (digits, scale) = match (arg.first(), hash_width) {
        (Some(b'#'), Some(width)) => (&arg[1..], width as i64),
        _ => (arg, 1),
    };
    // Redis multiplies in C's wrapping arithmetic; a wrapped offset is
    // refused like any other out-of-range one.
    let offset = parse_i64(digits).ok_or(BIT_OFFSET)?.wrapping_mul(scale);
    if offset < 0 || (offset as u64 >> 3) >= max_bulk_len {
        return Err(BIT_OFFSET);
    }
    Ok(offset as u64)
}

/// Runs `write` on the string under `key`, made long enough to hold bit
/// `max_bit` (Redis's `lookupStringForBitCommand`): a missing key is
/// created, a short value padded with zero bytes. `write`'s flag is true
/// when the key was created or grew. The value becomes `raw`, as Redis
/// unshares it before writing.
///
/// A closure rather than a returned borrow: an existing key (the common
/// case) is then looked up once, where returning the borrow out of the
/// lookup would force a second lookup past the borrow checker.
fn write_string_for_bits<R>(
    ctx: &mut Ctx,
    key: &[u8],
    max_bit: u64,
    write: impl FnOnce(&mut Vec<u8>, bool) -> R,
) -> Result<R, CmdError> {
    let needed = (max_bit >> 3) as usize + 1;
    if let Some(value) = ctx.write(key) {
        let Value::Str(s) = value else { return Err(errors::WRONGTYPE) };
        let bytes = s.make_raw();
        let grows = bytes.len() < needed;
        if grows {
            bytes.resize(needed, 0);
        }
        return Ok(write(bytes, grows));
    }
    let mut bytes = vec![0; needed];
    let result = write(&mut bytes, true);
    ctx.db().set(key, Value::Str(StrValue::Raw(Box::new(bytes))));
    Ok(result)
}

/// The bit at `offset` of `bytes`; bits past the end are 0.
fn bit_at(bytes: &[u8], offset: u64) -> bool {
    let byte = (offset >> 3) as usize;
    bytes.get(byte).is_some_and(|b| b & (0x80 >> (offset & 7)) != 0)
}

/// SETBIT key offset value
fn setbit(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let offset = bit_offset(argv[2], None, ctx.server.config.proto_max_bulk_len)?;
    let on = match parse_i64(argv[3]) {
        Some(0) => false,
        Some(1) => true,
        _ => return Err(BIT_VALUE),
    };
    let (was, changed) = write_string_for_bits(ctx, key, offset, |bytes, grown| {
        let byte = &mut bytes[(offset >> 3) as usize];
        let mask = 0x80 >> (offset & 7);
        let was = *byte & mask != 0;
        if on {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
        (was, grown || was != on)
    })?;
    if changed {
        ctx.changed(notify::class::STRING, "setbit", key);
        ctx.dirty(1);
    }
    ctx.out.int(was as i64);
    Ok(())
}

/// GETBIT key offset
fn getbit(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let offset = bit_offset(argv[2], None, ctx.server.config.proto_max_bulk_len)?;
    let bit = ctx.read_with(argv[1], |value, _| match value {
        None => Ok(false),
        Some(Value::Str(s)) => Ok(s.with_bytes(|b| bit_at(b, offset))),
        Some(_) => Err(errors::WRONGTYPE),
    })?;
    ctx.out.int(bit as i64);
    Ok(())
}
