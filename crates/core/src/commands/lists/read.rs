//! The commands that only read: LLEN LRANGE LINDEX LPOS.

use super::read_list;
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdError, CmdResult};
use crate::engine::Ctx;

const RANK_ZERO: CmdError = CmdError::Static(
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list",
);
const RANK_RANGE: CmdError =
    CmdError::Static("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
const COUNT_NEGATIVE: CmdError = CmdError::Static("ERR COUNT can't be negative");
const MAXLEN_NEGATIVE: CmdError = CmdError::Static("ERR MAXLEN can't be negative");

/// LLEN key
pub(super) fn llen(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let len = read_list(ctx, argv[1], |list, _| list.map_or(0, |l| l.len()))?;
    ctx.out.int(len as i64);
    Ok(())
}

/// The inclusive range `[start, end]` of a list of `len` elements, with
/// negative indexes counted from the end, as LRANGE and LTRIM read them;
/// `None` when it is empty.
pub(super) fn clamp_range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    let len = len as i64;
    let start = if start < 0 { (len + start).max(0) } else { start };
    let end = if end < 0 { len + end } else { end };
    if start > end || start >= len {
        return None;
    }
    Some((start as usize, end.min(len - 1) as usize))
}

/// LRANGE key start stop
pub(super) fn lrange(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    // The indexes are read before the key is looked up.
    let start = args::int(argv[2])?;
    let end = args::int(argv[3])?;
    read_list(ctx, argv[1], |list, out| match list.and_then(|l| clamp_range(l.len(), start, end).map(|r| (l, r))) {
        None => out.array_len(0),
        Some((list, (from, to))) => {
            out.array_len(to - from + 1);
            list.each_from(from, to - from + 1, |elem| out.bulk(elem));
        }
    })
}

/// LINDEX key index
pub(super) fn lindex(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    // The key is looked up first: a missing key is null whatever the index.
    let index = argv[2];
    read_list(ctx, argv[1], |list, out| {
        let Some(list) = list else {
            out.null();
            return Ok(());
        };
        match list.get(args::int(index)?) {
            Some(elem) => out.bulk(&elem),
            None => out.null(),
        }
        Ok(())
    })?
}

/// A non-negative LPOS option value; any other value is `err`.
fn non_negative(arg: &[u8], err: CmdError) -> Result<usize, CmdError> {
    match args::int(arg) {
        Ok(n) if n >= 0 => Ok(n as usize),
        _ => Err(err),
    }
}

/// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
pub(super) fn lpos(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let elem = argv[2];
    let mut rank: i64 = 1;
    // COUNT absent: reply with one index (or null); present: an array.
    let mut count: Option<usize> = None;
    let mut maxlen = 0;
    let mut i = 3;
    while i < argv.len() {
        let (opt, value) = (argv[i], argv.get(i + 1));
        match value {
            Some(v) if is(opt, "rank") => {
                rank = args::int(v)?;
                if rank == i64::MIN {
                    return Err(RANK_RANGE);
                }
                if rank == 0 {
                    return Err(RANK_ZERO);
                }
            }
            Some(v) if is(opt, "count") => count = Some(non_negative(v, COUNT_NEGATIVE)?),
            Some(v) if is(opt, "maxlen") => maxlen = non_negative(v, MAXLEN_NEGATIVE)?,
            _ => return Err(errors::SYNTAX),
        }
        i += 2;
    }
    let backwards = rank < 0;
    let rank = rank.unsigned_abs() as usize;
    // COUNT 0: every match.
    let wanted = count.map(|c| if c == 0 { usize::MAX } else { c });
    let matches = read_list(ctx, argv[1], |list, _| {
        let list = list?;
        let len = list.len();
        let scan = if maxlen == 0 { len } else { maxlen.min(len) };
        let mut found = Vec::new();
        let mut seen = 0;
        let mut visit = |i: usize, e: &[u8]| {
            if e != elem {
                return true;
            }
            seen += 1;
            if seen < rank {
                return true;
            }
            found.push(if backwards { len - 1 - i } else { i });
            wanted.is_some_and(|w| found.len() < w)
        };
        if backwards {
            for (i, e) in list.iter_back_from(len.wrapping_sub(1)).take(scan).enumerate() {
                if !visit(i, &e) {
                    break;
                }
            }
        } else {
            for (i, e) in list.iter().take(scan).enumerate() {
                if !visit(i, &e) {
                    break;
                }
            }
        }
        Some(found)
    })?;
    let out = &mut *ctx.out;
    match (count, matches) {
        (Some(_), found) => {
            let found = found.unwrap_or_default();
            out.array_len(found.len());
            for i in found {
                out.int(i as i64);
            }
        }
        (None, Some(found)) if !found.is_empty() => out.int(found[0] as i64),
        (None, _) => out.null(),
    }
    Ok(())
}
