//! XLEN XRANGE XREVRANGE.

use super::{interval_end, interval_start, lookup, reply_entry};
use crate::command::args::{int, is};
use crate::command::errors::{self, CmdResult};
use crate::engine::Ctx;

/// XLEN key
pub(super) fn xlen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (found, out) = lookup(ctx, argv[1], false)?;
    out.int(found.map_or(0, |s| s.len() as i64));
    Ok(())
}

/// XRANGE key start end [COUNT count]
/// XREVRANGE key end start [COUNT count]
pub(super) fn xrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let rev = ctx.spec.name == "xrevrange";
    let (start_arg, end_arg) = if rev { (argv[3], argv[2]) } else { (argv[2], argv[3]) };
    let start = interval_start(start_arg)?;
    let end = interval_end(end_arg)?;
    // -1: no COUNT given.
    let mut count: i64 = -1;
    let mut j = 4;
    while j < argv.len() {
        if is(argv[j], "count") && j + 1 < argv.len() {
            count = int(argv[j + 1])?.max(0);
            j += 2;
        } else {
            return Err(errors::SYNTAX);
        }
    }
    let (found, out) = lookup(ctx, argv[1], false)?;
    let Some(stream) = found else {
        out.array_len(0);
        return Ok(());
    };
    if count == 0 {
        out.null_array();
        return Ok(());
    }
    let limit = if count < 0 { usize::MAX } else { count as usize };
    // The reply's length comes first, so the entries are gathered before
    // they are written; sized up front (within reason: a range may match
    // far fewer entries than the stream holds) to spare regrowing.
    let mut entries = Vec::with_capacity(limit.min(stream.len() as usize).min(128));
    entries.extend(stream.range(start, end, rev).take(limit));
    out.array_len(entries.len());
    for e in &entries {
        reply_entry(out, e);
    }
    Ok(())
}
