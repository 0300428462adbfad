//! RENAME RENAMENX COPY MOVE: a key's value, deadline and access history
//! going to another name or database.

use super::{read, write};
use crate::command::args::is;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::commands::databases::{db_index, selectable};
use crate::engine::Ctx;
use crate::notify::class;

/// RENAME key newkey
pub(super) fn rename(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    move_key(ctx, argv[1], argv[2], false)?;
    ctx.out.ok();
    Ok(())
}

/// RENAMENX key newkey
pub(super) fn renamenx(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let moved = move_key(ctx, argv[1], argv[2], true)?;
    ctx.out.int(moved as i64);
    Ok(())
}

/// RENAME and RENAMENX; whether the key moved (not when NX finds the
/// destination taken). Renaming a key to itself changes nothing but still
/// requires the key to exist.
fn move_key(ctx: &mut Ctx, from: &[u8], to: &[u8], nx: bool) -> Result<bool, CmdError> {
    if write(ctx, from).is_none() {
        return Err(errors::NO_SUCH_KEY);
    }
    if from == to {
        return Ok(false);
    }
    if write(ctx, to).is_some() {
        if nx {
            return Ok(false);
        }
        ctx.db().remove(to);
    }
    let db = ctx.db();
    let mut entry = db.take(from).expect("looked up above");
    entry.key = to.into();
    db.put(entry);
    ctx.changed(class::GENERIC, "rename_from", from);
    ctx.changed(class::GENERIC, "rename_to", to);
    ctx.dirty(1);
    Ok(true)
}

/// COPY source destination [DB destination-db] [REPLACE]
pub(super) fn copy(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (from, to) = (argv[1], argv[2]);
    let src = ctx.client.db;
    let mut dst = src;
    let mut replace = false;
    let mut i = 3;
    while i < argv.len() {
        if is(argv[i], "replace") {
            replace = true;
        } else if is(argv[i], "db") && i + 1 < argv.len() {
            dst = selectable(ctx, db_index(argv[i + 1], None)?)?;
            i += 1;
        } else {
            return Err(errors::SYNTAX);
        }
        i += 1;
    }
    if src == dst && from == to {
        return Err(errors::SAME_OBJECT);
    }
    let Some(value) = read(ctx, from).map(|v| v.clone()) else {
        ctx.out.int(0);
        return Ok(());
    };
    let expire_at = ctx.db().expire_at(from);
    let now = ctx.now;
    let touch = !ctx.client.no_touch;
    let target = &mut ctx.server.dbs[dst];
    if target.lookup(to, now, touch).is_some() {
        if !replace {
            ctx.out.int(0);
            return Ok(());
        }
        target.remove(to);
    }
    // A copy is a new value: it starts its own access history.
    target.set(to, value);
    if let Some(at) = expire_at {
        target.set_expire(to, at);
    }
    ctx.server.key_changed(dst, class::GENERIC, "copy_to", to);
    ctx.dirty(1);
    ctx.out.int(1);
    Ok(())
}

/// MOVE key db
pub(super) fn move_(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[1];
    let src = ctx.client.db;
    let dst = selectable(ctx, db_index(argv[2], None)?)?;
    if src == dst {
        return Err(errors::SAME_OBJECT);
    }
    if write(ctx, key).is_none() {
        ctx.out.int(0);
        return Ok(());
    }
    let now = ctx.now;
    let touch = !ctx.client.no_touch;
    if ctx.server.dbs[dst].lookup(key, now, touch).is_some() {
        ctx.out.int(0);
        return Ok(());
    }
    let entry = ctx.server.dbs[src].take(key).expect("looked up above");
    ctx.server.dbs[dst].put(entry);
    ctx.server.key_changed(src, class::GENERIC, "move_from", key);
    ctx.server.key_changed(dst, class::GENERIC, "move_to", key);
    ctx.dirty(1);
    ctx.out.int(1);
    Ok(())
}
