//! DEL UNLINK EXISTS TYPE TOUCH.

use super::{lookup, read_untouched};
use crate::command::errors::CmdResult;
use crate::engine::Ctx;
use crate::notify::class;

/// DEL key [key ...]
pub(super) fn del(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    delete_keys(ctx, &argv[1..]);
    Ok(())
}

/// UNLINK key [key ...]
///
/// Values are freed in place for now (there is no lazy-free thread yet), so
/// UNLINK behaves as DEL.
pub(super) fn unlink(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    delete_keys(ctx, &argv[1..]);
    Ok(())
}

/// Deletes each live key (a key past its deadline counts as expired, not as
/// deleted) and replies with how many went.
fn delete_keys(ctx: &mut Ctx, keys: &[&[u8]]) {
    let now = ctx.now;
    let mut deleted = 0;
    for &key in keys {
        if ctx.db().delete(key, now) {
            deleted += 1;
            ctx.changed(class::GENERIC, "del", key);
        }
    }
    ctx.dirty(deleted);
    ctx.out.int(deleted as i64);
}

/// EXISTS key [key ...]
///
/// A key named twice counts twice.
pub(super) fn exists(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = argv[1..].iter().filter(|k| read_untouched(ctx, k).is_some()).count();
    ctx.out.int(n as i64);
    Ok(())
}

/// TYPE key
pub(super) fn type_(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let name = read_untouched(ctx, argv[1]).map_or("none", |v| v.type_name());
    ctx.out.simple(name);
    Ok(())
}

/// TOUCH key [key ...]
///
/// Records the access even for a client under CLIENT NO-TOUCH: touching is
/// what the command is for.
pub(super) fn touch(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let n = argv[1..].iter().filter(|k| lookup(ctx, k, true, true).is_some()).count();
    ctx.out.int(n as i64);
    Ok(())
}
