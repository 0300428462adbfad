//! Parts of a string: APPEND, GETRANGE (and its old name SUBSTR), SETRANGE.

use super::{check_length, read_str};
use crate::command::args;
use crate::command::errors::{self, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::{StrValue, Value};

/// APPEND key value
pub(super) fn append(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (key, tail) = (argv[1], argv[2]);
    let max = ctx.server.config.proto_max_bulk_len;
    let len = match ctx.write(key) {
        // A new key is stored as SET would store it (so "12" is an int)…
        None => {
            ctx.db().set(key, Value::Str(StrValue::from_bytes(tail)));
            tail.len()
        }
        // …an existing one is edited in place and becomes raw.
        Some(Value::Str(s)) => {
            check_length(max, s.len(), tail.len())?;
            let bytes = s.make_raw();
            bytes.extend_from_slice(tail);
            bytes.len()
        }
        Some(_) => return Err(errors::WRONGTYPE),
    };
    ctx.dirty(1);
    ctx.changed(class::STRING, "append", key);
    ctx.out.int(len as i64);
    Ok(())
}

/// The inclusive byte range `[start, end]` of a string of `len` bytes names,
/// with negative indexes counted from the end, as Redis's GETRANGE reads
/// them; `None` when it is empty.
fn clamp_range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    // Both from the end and crossed: empty, before any clamping (so
    // `-1 -5` is empty although clamping would make it a valid range).
    if start < 0 && end < 0 && start > end {
        return None;
    }
    let len = len as i64;
    let start = if start < 0 { (start + len).max(0) } else { start };
    let end = if end < 0 { (end + len).max(0) } else { end };
    let end = end.min(len - 1);
    if len == 0 || start > end {
        return None;
    }
    Some((start as usize, end as usize))
}

/// GETRANGE key start end
/// SUBSTR key start end
pub(super) fn getrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let start = args::int(argv[2])?;
    let end = args::int(argv[3])?;
    read_str(ctx, argv[1], |found, out| match found {
        None => out.bulk(b""),
        Some(s) => s.with_bytes(|b| match clamp_range(b.len(), start, end) {
            Some((from, to)) => out.bulk(&b[from..=to]),
            None => out.bulk(b""),
        }),
    })
}

/// SETRANGE key offset value
pub(super) fn setrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (key, patch) = (argv[1], argv[3]);
    let offset = args::int(argv[2])?;
    let offset = usize::try_from(offset).map_err(|_| errors::OFFSET_OUT_OF_RANGE)?;
    let max = ctx.server.config.proto_max_bulk_len;
    let len = match ctx.write(key) {
        None => {
            // Writing nothing to a missing key creates nothing.
            if patch.is_empty() {
                ctx.out.int(0);
                return Ok(());
            }
            check_length(max, offset, patch.len())?;
            let mut bytes = vec![0; offset + patch.len()];
            bytes[offset..].copy_from_slice(patch);
            ctx.db().set(key, Value::Str(StrValue::Raw(Box::new(bytes))));
            offset + patch.len()
        }
        Some(Value::Str(s)) => {
            // Writing nothing leaves the value (and its encoding) alone.
            if patch.is_empty() {
                let len = s.len();
                ctx.out.int(len as i64);
                return Ok(());
            }
            let current = s.len();
            check_length(max, offset, patch.len())?;
            let bytes = s.make_raw();
            let end = offset + patch.len();
            if end > current {
                bytes.resize(end, 0);
            }
            bytes[offset..end].copy_from_slice(patch);
            bytes.len()
        }
        Some(_) => return Err(errors::WRONGTYPE),
    };
    ctx.dirty(1);
    ctx.changed(class::STRING, "setrange", argv[1]);
    ctx.out.int(len as i64);
    Ok(())
}
