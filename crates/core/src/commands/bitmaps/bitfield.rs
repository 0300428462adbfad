//! BITFIELD and BITFIELD_RO: signed (up to 64 bits) and unsigned (up to 63
//! bits) integers at any bit offset, with Redis's WRAP / SAT / FAIL
//! overflow rules.

use super::{bit_offset, write_string_for_bits};
use crate::command::args;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify;
use crate::types::Value;

const BAD_TYPE: CmdError = CmdError::Static(
    "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
);
const BAD_OVERFLOW: CmdError = CmdError::Static("ERR Invalid OVERFLOW type specified");
const READ_ONLY: CmdError = CmdError::Static("ERR BITFIELD_RO only supports the GET subcommand");

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Overflow {
    Wrap,
    Sat,
    Fail,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Get,
    Set(i64),
    IncrBy(i64),
}

#[derive(Clone, Copy)]
struct Field {
    signed: bool,
    bits: u32,
}

struct FieldOp {
    kind: Kind,
    field: Field,
    offset: u64,
    overflow: Overflow,
}

/// `i1`..`i64` or `u1`..`u63`.
fn field_type(arg: &[u8]) -> Result<Field, CmdError> {
    let signed = match arg.first() {
        Some(b'i') => true,
        Some(b'u') => false,
        _ => return Err(BAD_TYPE),
    };
    let bits = crate::resp::parser::parse_i64(&arg[1..]).ok_or(BAD_TYPE)?;
    let max = if signed { 64 } else { 63 };
    if !(1..=max).contains(&bits) {
        return Err(BAD_TYPE);
    }
    Ok(Field { signed, bits: bits as u32 })
}

/// Parses every operation before anything runs, as Redis does: one bad
/// argument and nothing is read or written.
fn parse(argv: &[&[u8]], max_bulk_len: u64) -> Result<Vec<FieldOp>, CmdError> {
    let mut ops = Vec::new();
    let mut overflow = Overflow::Wrap;
    let mut j = 2;
    while j < argv.len() {
        let remaining = argv.len() - j - 1;
        let sub = argv[j];
        let kind_with_value = if args::is(sub, "get") && remaining >= 2 {
            None
        } else if (args::is(sub, "set") || args::is(sub, "incrby")) && remaining >= 3 {
            Some(args::is(sub, "set"))
        } else if args::is(sub, "overflow") && remaining >= 1 {
            let mode = argv[j + 1];
            overflow = if args::is(mode, "wrap") {
                Overflow::Wrap
            } else if args::is(mode, "sat") {
                Overflow::Sat
            } else if args::is(mode, "fail") {
                Overflow::Fail
            } else {
                return Err(BAD_OVERFLOW);
            };
            j += 2;
            continue;
        } else {
            return Err(errors::SYNTAX);
        };
        let field = field_type(argv[j + 1])?;
        let offset = bit_offset(argv[j + 2], Some(field.bits), max_bulk_len)?;
        let kind = match kind_with_value {
            None => Kind::Get,
            Some(is_set) => {
                let value = args::int(argv[j + 3])?;
                if is_set {
                    Kind::Set(value)
                } else {
                    Kind::IncrBy(value)
                }
            }
        };
        ops.push(FieldOp { kind, field, offset, overflow });
        j += if kind == Kind::Get { 3 } else { 4 };
    }
    Ok(ops)
}

/// BITFIELD key [GET type offset | [OVERFLOW <WRAP | SAT | FAIL>]
///   <SET type offset value | INCRBY type offset increment> [...]]
/// BITFIELD_RO key [GET type offset [GET type offset ...]]
pub(super) fn bitfield(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let ops = parse(argv, ctx.server.config.proto_max_bulk_len)?;
    let highest_written =
        ops.iter().filter(|op| op.kind != Kind::Get).map(|op| op.offset + op.field.bits as u64 - 1).max();
    let Some(highest_written) = highest_written else {
        // Only reads: a missing key reads as zeros.
        let replies = ctx.read_with(key, |value, _| match value {
            None => Ok(ops.iter().map(|op| Some(read_field(&[], op))).collect::<Vec<_>>()),
            Some(Value::Str(s)) => Ok(s.with_bytes(|b| ops.iter().map(|op| Some(read_field(b, op))).collect())),
            Some(_) => Err(errors::WRONGTYPE),
        })?;
        reply_all(ctx, &replies);
        return Ok(());
    };
    if ctx.spec.name == "bitfield_ro" {
        return Err(READ_ONLY);
    }
    let (replies, changes) = write_string_for_bits(ctx, key, highest_written, |bytes, grown| {
        let mut changes = 0u64;
        let replies: Vec<Option<i64>> = ops
            .iter()
            .map(|op| match op.kind {
                Kind::Get => Some(read_field(bytes, op)),
                Kind::Set(_) | Kind::IncrBy(_) => {
                    let (reply, written) = write_field(bytes, op)?;
                    if grown || written {
                        changes += 1;
                    }
                    Some(reply)
                }
            })
            .collect();
        (replies, changes)
    })?;
    if changes > 0 {
        ctx.changed(notify::class::STRING, "setbit", key);
        ctx.dirty(changes);
    }
    reply_all(ctx, &replies);
    Ok(())
}

/// One reply per operation: its integer, or null when FAIL refused it.
fn reply_all(ctx: &mut Ctx, replies: &[Option<i64>]) {
    ctx.out.array_len(replies.len());
    for reply in replies {
        match reply {
            Some(n) => ctx.out.int(*n),
            None => ctx.out.null(),
        }
    }
}

/// The `bits` bits at `offset`, most significant first; bits past the
/// end of `bytes` are 0.
fn read_bits(bytes: &[u8], offset: u64, bits: u32) -> u64 {
    (offset..offset + bits as u64).fold(0, |value, pos| {
        let byte = bytes.get((pos >> 3) as usize).copied().unwrap_or(0);
        value << 1 | ((byte >> (7 - (pos & 7))) & 1) as u64
    })
}

/// Writes the low `bits` bits of `value` at `offset`.
fn write_bits(bytes: &mut [u8], offset: u64, bits: u32, value: u64) {
    for i in 0..bits as u64 {
        let pos = offset + i;
        let mask = 0x80 >> (pos & 7);
        let byte = &mut bytes[(pos >> 3) as usize];
        if value >> (bits as u64 - 1 - i) & 1 == 1 {
            *byte |= mask;
        } else {
            *byte &= !mask;
        }
    }
}

/// Sign-extends a field of `bits` bits.
fn to_signed(raw: u64, bits: u32) -> i64 {
    if bits < 64 && raw & (1 << (bits - 1)) != 0 {
        (raw | (u64::MAX << bits)) as i64
    } else {
        raw as i64
    }
}

fn read_field(bytes: &[u8], op: &FieldOp) -> i64 {
    let raw = read_bits(bytes, op.offset, op.field.bits);
    if op.field.signed {
        to_signed(raw, op.field.bits)
    } else {
        raw as i64
    }
}

/// Runs a SET or INCRBY: the reply (old value for SET, new for INCRBY)
/// and whether the bits changed, or `None` when FAIL refused it.
fn write_field(bytes: &mut [u8], op: &FieldOp) -> Option<(i64, bool)> {
    let Field { signed, bits } = op.field;
    let raw_old = read_bits(bytes, op.offset, bits);
    let (old, new, reply) = if signed {
        let old = to_signed(raw_old, bits);
        let (new, reply) = match op.kind {
            Kind::IncrBy(by) => {
                let new = signed_limit(old, by, bits, op.overflow)?;
                (new, new)
            }
            Kind::Set(value) => (signed_limit(value, 0, bits, op.overflow)?, old),
            Kind::Get => unreachable!("not a write"),
        };
        (old as u64, new as u64, reply)
    } else {
        let (new, reply) = match op.kind {
            Kind::IncrBy(by) => {
                let new = unsigned_limit(raw_old, by, bits, op.overflow)?;
                (new, new as i64)
            }
            Kind::Set(value) => (unsigned_limit(value as u64, 0, bits, op.overflow)?, raw_old as i64),
            Kind::Get => unreachable!("not a write"),
        };
        (raw_old, new, reply)
    };
    write_bits(bytes, op.offset, bits, new);
    Some((reply, old != new))
}

/// `value + incr` for an unsigned field of `bits` bits under `overflow`
/// (Redis's `checkUnsignedBitfieldOverflow`); `None` when FAIL refuses it.
fn unsigned_limit(value: u64, incr: i64, bits: u32, overflow: Overflow) -> Option<u64> {
    let max = (1u64 << bits) - 1;
    let max_incr = max.wrapping_sub(value) as i64;
    let min_incr = value.wrapping_neg() as i64;
    let sum = value.wrapping_add(incr as u64);
    let limit = if value > max || (incr > 0 && incr > max_incr) {
        max
    } else if incr < 0 && incr < min_incr {
        0
    } else {
        return Some(sum);
    };
    match overflow {
        Overflow::Wrap => Some(sum & !(u64::MAX << bits)),
        Overflow::Sat => Some(limit),
        Overflow::Fail => None,
    }
}

/// `value + incr` for a signed field of `bits` bits under `overflow`
/// (Redis's `checkSignedBitfieldOverflow`, its wrapping arithmetic
/// included); `None` when FAIL refuses it.
fn signed_limit(value: i64, incr: i64, bits: u32, overflow: Overflow) -> Option<i64> {
    let max = if bits == 64 { i64::MAX } else { (1i64 << (bits - 1)) - 1 };
    let min = -max - 1;
    let max_incr = (max as u64).wrapping_sub(value as u64) as i64;
    let min_incr = min.wrapping_sub(value);
    let full = bits == 64;
    let limit = if value > max || (!full && incr > max_incr) || (value >= 0 && incr > 0 && incr > max_incr) {
        max
    } else if value < min || (!full && incr < min_incr) || (value < 0 && incr < 0 && incr < min_incr) {
        min
    } else {
        return Some(value.wrapping_add(incr));
    };
    match overflow {
        Overflow::Wrap => {
            let mut sum = (value as u64).wrapping_add(incr as u64);
            if !full {
                let high = u64::MAX << bits;
                if sum & (1 << (bits - 1)) != 0 {
                    sum |= high;
                } else {
                    sum &= !high;
                }
            }
            Some(sum as i64)
        }
        Overflow::Sat => Some(limit),
        Overflow::Fail => None,
    }
}
