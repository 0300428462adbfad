//! The blocking list commands: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP.
//!
//! Each tries its non-blocking sibling first; finding no list it blocks the
//! client on its keys (see [`crate::blocking`]), and the engine runs it again
//! when one of them gets data, until it is served or its timeout passes.

use super::pop::{mpop_first, parse_mpop};
use super::{move_element, parse_end, pop_from};
use crate::blocking::{parse_timeout, Awaits};
use crate::command::errors::CmdResult;
use crate::engine::Ctx;
use crate::types::list::End;

/// BLPOP key [key ...] timeout
/// BRPOP key [key ...] timeout
pub(super) fn bpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let end = if ctx.spec.name == "blpop" { End::Left } else { End::Right };
    let deadline = parse_timeout(argv[argv.len() - 1], ctx.now)?;
    let keys = &argv[1..argv.len() - 1];
    for key in keys {
        if let Some(mut popped) = pop_from(ctx, key, end, 1)? {
            let elem = popped.pop().expect("a list holds at least one element");
            ctx.out.array_len(2);
            ctx.out.bulk(key);
            ctx.out.bulk(&elem);
            // Logged as the pop it did, so replay never waits.
            ctx.propagate_as(&[if end == End::Left { b"LPOP" } else { b"RPOP" }, key]);
            return Ok(());
        }
    }
    ctx.block(keys, Awaits::List, deadline);
    Ok(())
}

/// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
pub(super) fn blmove(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let from = parse_end(argv[3])?;
    let to = parse_end(argv[4])?;
    block_move(ctx, argv[1], argv[2], from, to, argv[5])
}

/// BRPOPLPUSH source destination timeout
pub(super) fn brpoplpush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    block_move(ctx, argv[1], argv[2], End::Right, End::Left, argv[3])
}

fn block_move(ctx: &mut Ctx, src: &[u8], dst: &[u8], from: End, to: End, timeout: &[u8]) -> CmdResult {
    let deadline = parse_timeout(timeout, ctx.now)?;
    // Only a missing source blocks: a wrong type errors, a move replies now.
    match move_element(ctx, src, dst, from, to)? {
        Some(elem) => {
            ctx.out.bulk(&elem);
            let side = |e: End| if e == End::Left { b"LEFT".as_slice() } else { b"RIGHT".as_slice() };
            ctx.propagate_as(&[b"LMOVE", src, dst, side(from), side(to)]);
        }
        None => ctx.block(&[src], Awaits::List, deadline),
    }
    Ok(())
}

/// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
pub(super) fn blmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let deadline = parse_timeout(argv[1], ctx.now)?;
    let a = parse_mpop(&argv[2..])?;
    if !mpop_first(ctx, &a)? {
        ctx.block(a.keys, Awaits::List, deadline);
    } else {
        // LMPOP on the same lists pops the same elements.
        let mut logged: Vec<&[u8]> = vec![b"LMPOP"];
        logged.extend_from_slice(&argv[2..]);
        ctx.propagate_as(&logged);
    }
    Ok(())
}
