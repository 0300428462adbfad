//! The blocking sorted-set pops: BZPOPMIN BZPOPMAX BZMPOP. Each tries its
//! non-blocking sibling first; finding no sorted set it blocks the client on
//! its keys (see [`crate::blocking`]) and is run again when one gets members.

use super::pop::{parse_mpop, pop_extremes, reply_popped, PopReply};
use crate::blocking::{parse_timeout, Awaits};
use crate::command::errors::CmdResult;
use crate::engine::Ctx;

/// BZPOPMIN key [key ...] timeout
/// BZPOPMAX key [key ...] timeout
pub(super) fn bzpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let max = ctx.spec.name == "bzpopmax";
    let deadline = parse_timeout(argv[argv.len() - 1], ctx.now)?;
    let keys = &argv[1..argv.len() - 1];
    for key in keys {
        if let Some(popped) = pop_extremes(ctx, key, max, 1)? {
            reply_popped(ctx, key, &popped, PopReply::FlatWithKey);
            ctx.propagate_as(&[if max { b"ZPOPMAX".as_slice() } else { b"ZPOPMIN".as_slice() }, key]);
            return Ok(());
        }
    }
    ctx.block(keys, Awaits::ZSet, deadline);
    Ok(())
}

/// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
pub(super) fn bzmpop(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let deadline = parse_timeout(argv[1], ctx.now)?;
    let (keys, max, count) = parse_mpop(argv, 2)?;
    for key in &keys {
        if let Some(popped) = pop_extremes(ctx, key, max, count)? {
            reply_popped(ctx, key, &popped, PopReply::WithKey);
            let mut logged: Vec<&[u8]> = vec![b"ZMPOP"];
            logged.extend_from_slice(&argv[2..]);
            ctx.propagate_as(&logged);
            return Ok(());
        }
    }
    ctx.block(&keys, Awaits::ZSet, deadline);
    Ok(())
}
