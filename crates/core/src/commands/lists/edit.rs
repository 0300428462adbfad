//! The commands that remove elements from inside a list: LREM LTRIM.

use super::read::clamp_range;
use super::{fill, write_list};
use crate::command::args;
use crate::command::errors::CmdResult;
use crate::engine::Ctx;
use crate::notify::class;

/// LREM key count element
pub(super) fn lrem(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let count = args::int(argv[2])?;
    let (key, elem) = (argv[1], argv[3]);
    let fill = fill(ctx);
    let Some(list) = write_list(ctx, key)? else {
        ctx.out.int(0);
        return Ok(());
    };
    let removed = list.remove(elem, count);
    let empty = list.is_empty();
    if !empty && removed > 0 {
        list.shrink(fill);
    }
    if empty {
        ctx.db().remove(key);
    }
    ctx.dirty(removed as u64);
    if removed > 0 {
        ctx.changed(class::LIST, "lrem", key);
        if empty {
            ctx.changed(class::GENERIC, "del", key);
        }
    }
    ctx.out.int(removed as i64);
    Ok(())
}

/// LTRIM key start stop
pub(super) fn ltrim(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let start = args::int(argv[2])?;
    let end = args::int(argv[3])?;
    let key = argv[1];
    let fill = fill(ctx);
    let Some(list) = write_list(ctx, key)? else {
        ctx.out.ok();
        return Ok(());
    };
    let len = list.len();
    let (front, back) = match clamp_range(len, start, end) {
        Some((from, to)) => (from, len - 1 - to),
        None => (len, 0),
    };
    list.trim(front, back);
    let empty = list.is_empty();
    if !empty {
        list.shrink(fill);
    }
    if empty {
        ctx.db().remove(key);
    }
    ctx.dirty((front + back) as u64);
    ctx.changed(class::LIST, "ltrim", key);
    if empty {
        ctx.changed(class::GENERIC, "del", key);
    }
    ctx.out.ok();
    Ok(())
}
