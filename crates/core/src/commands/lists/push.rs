//! The commands that add or change elements: LPUSH RPUSH LPUSHX RPUSHX
//! (one generic function, as Redis's `pushGenericCommand`), LINSERT, LSET.

use super::{compress_depth, fill, write_list};
use crate::command::args::{self, is};
use crate::command::errors::{self, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::list::End;
use crate::types::{List, Value};

/// LPUSH key element [element ...]
/// RPUSH key element [element ...]
/// LPUSHX key element [element ...]
/// RPUSHX key element [element ...]
pub(super) fn push(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let name = ctx.spec.name;
    let end = if name.starts_with('l') { End::Left } else { End::Right };
    let only_existing = name.ends_with('x');
    let (key, elems) = (argv[1], &argv[2..]);
    let (fill, depth) = (fill(ctx), compress_depth(ctx));
    // Redis weighs the elements by their raw length before converting.
    let bytes = elems.iter().map(|e| e.len()).sum();
    let fill_list = |list: &mut List| {
        list.grow_with_depth(fill, depth, bytes, elems.len());
        for e in elems {
            list.push(end, e);
        }
        list.len()
    };
    let len = match write_list(ctx, key)? {
        Some(list) => fill_list(list),
        None if only_existing => {
            ctx.out.int(0);
            return Ok(());
        }
        None => {
            let mut list = List::new();
            let len = fill_list(&mut list);
            ctx.db().set(key, Value::List(Box::new(list)));
            len
        }
    };
    ctx.dirty(elems.len() as u64);
    ctx.changed(class::LIST, super::push_event(end), key);
    ctx.signal_ready(key);
    ctx.out.int(len as i64);
    Ok(())
}

/// LINSERT key BEFORE|AFTER pivot element
pub(super) fn linsert(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let after = if is(argv[2], "after") {
        true
    } else if is(argv[2], "before") {
        false
    } else {
        return Err(errors::SYNTAX);
    };
    let (key, pivot, elem) = (argv[1], argv[3], argv[4]);
    let (fill, depth) = (fill(ctx), compress_depth(ctx));
    let Some(list) = write_list(ctx, key)? else {
        ctx.out.int(0);
        return Ok(());
    };
    // As Redis, the list converts for the new element before the pivot is
    // looked for, so even an insert that finds no pivot can convert it.
    list.grow_with_depth(fill, depth, elem.len(), 1);
    if !list.insert(pivot, elem, after) {
        ctx.out.int(-1);
        return Ok(());
    }
    let len = list.len();
    ctx.dirty(1);
    ctx.changed(class::LIST, "linsert", key);
    ctx.signal_ready(key);
    ctx.out.int(len as i64);
    Ok(())
}

/// LSET key index element
pub(super) fn lset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (key, elem) = (argv[1], argv[3]);
    let (fill, depth) = (fill(ctx), compress_depth(ctx));
    // The key is looked up before the index is read.
    let list = write_list(ctx, key)?.ok_or(errors::NO_SUCH_KEY)?;
    let index = args::int(argv[2])?;
    list.grow_with_depth(fill, depth, elem.len(), 1);
    // Redis 7.2 passes the index on as a C int: it wraps at 32 bits.
    if !list.set(index as i32 as i64, elem) {
        return Err(errors::INDEX_OUT_OF_RANGE);
    }
    // A smaller element may let a quicklist become a listpack again.
    list.shrink(fill);
    ctx.dirty(1);
    ctx.changed(class::LIST, "lset", key);
    ctx.out.ok();
    Ok(())
}
