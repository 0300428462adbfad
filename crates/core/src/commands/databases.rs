//! Database commands: SWAPDB DBSIZE FLUSHDB FLUSHALL (SELECT is a
//! connection command), and the DB-index parsing MOVE and COPY share.

use crate::command::args::is;
use crate::command::errors::{self, CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::resp::parser::parse_i64;

#[cfg(test)]
mod tests;

const DATABASE: CommandSpec = CommandSpec {
    group: Group::Server,
    acl: AclCategory::Keyspace.bit() | AclCategory::Dangerous.bit(),
    keys: KeySpec::NONE,
    ..CommandSpec::BASE
};

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "swapdb",
        arity: 3,
        flags: WRITE | FAST,
        since: "4.0.0",
        summary: "Swaps two Redis databases.",
        complexity: "O(N) where N is the count of clients watching or blocking on keys from both databases.",
        exec: Exec::Core(swapdb),
        ..DATABASE
    },
    CommandSpec {
        name: "dbsize",
        arity: 1,
        flags: READONLY | FAST,
        acl: AclCategory::Keyspace.bit(),
        summary: "Returns the number of keys in the database.",
        exec: Exec::Core(dbsize),
        ..DATABASE
    },
    CommandSpec {
        name: "flushdb",
        arity: -1,
        flags: WRITE,
        summary: "Remove all keys from the current database.",
        complexity: "O(N) where N is the number of keys in the selected database",
        exec: Exec::Core(flushdb),
        ..DATABASE
    },
    CommandSpec {
        name: "flushall",
        arity: -1,
        flags: WRITE,
        summary: "Removes all keys from all databases.",
        complexity: "O(N) where N is the total number of keys in all databases",
        exec: Exec::Core(flushall),
        ..DATABASE
    },
];

const INVALID_FIRST: CmdError = CmdError::Static("ERR invalid first DB index");
const INVALID_SECOND: CmdError = CmdError::Static("ERR invalid second DB index");
const NOT_AN_INT32: CmdError =
    CmdError::Static("ERR value is out of range, value must between -2147483648 and 2147483647");

/// A DB index argument as Redis reads one (a C int): `err` replaces both the
/// "not an integer" and the "out of int range" errors when given.
pub(crate) fn db_index(arg: &[u8], err: Option<CmdError>) -> Result<i64, CmdError> {
    let n = parse_i64(arg).ok_or_else(|| err.clone().unwrap_or(errors::NOT_INTEGER))?;
    if i32::try_from(n).is_err() {
        return Err(err.unwrap_or(NOT_AN_INT32));
    }
    Ok(n)
}

/// The database `index` names, if this server has it.
pub(crate) fn selectable(ctx: &Ctx, index: i64) -> Result<usize, CmdError> {
    usize::try_from(index).ok().filter(|&i| i < ctx.server.dbs.len()).ok_or(errors::DB_INDEX)
}

/// SWAPDB index1 index2
///
/// Connections stay on their index and so see the other data at once; each
/// database's data, deadlines and expiry state travel together.
fn swapdb(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let a = db_index(argv[1], Some(INVALID_FIRST))?;
    let b = db_index(argv[2], Some(INVALID_SECOND))?;
    let (a, b) = (selectable(ctx, a)?, selectable(ctx, b)?);
    if a != b {
        ctx.server.signal_swapped_dbs(a, b, ctx.now);
    }
    ctx.server.dbs.swap(a, b);
    ctx.dirty(1);
    ctx.out.ok();
    Ok(())
}

/// DBSIZE
///
/// Counts keys whose deadline passed but were not yet reclaimed, as Redis does.
fn dbsize(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let n = ctx.db().len();
    ctx.out.int(n as i64);
    Ok(())
}

/// FLUSHDB [ASYNC | SYNC]
fn flushdb(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    check_flush_mode(argv)?;
    ctx.server.signal_flushed_db(Some(ctx.client.db), ctx.now);
    let removed = ctx.db().clear();
    ctx.dirty(removed as u64);
    // Logged even when the database was empty (Redis's forceCommandPropagation).
    ctx.propagate_as(argv);
    ctx.out.ok();
    Ok(())
}

/// FLUSHALL [ASYNC | SYNC]
fn flushall(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    check_flush_mode(argv)?;
    ctx.server.signal_flushed_db(None, ctx.now);
    let removed: usize = ctx.server.dbs.iter_mut().map(|db| db.clear()).sum();
    ctx.dirty(removed as u64);
    crate::persistence::save::reset_after_flushall(ctx.server, ctx.now);
    // Logged even when nothing was removed, or the save just reset the
    // change counter (Redis's forceCommandPropagation).
    ctx.propagate_as(argv);
    ctx.out.ok();
    Ok(())
}

/// The optional ASYNC|SYNC word. Both free in place: there is no lazy-free
/// thread yet, so ASYNC behaves as SYNC.
fn check_flush_mode(argv: &[&[u8]]) -> CmdResult {
    match argv {
        [_] => Ok(()),
        [_, mode] if is(mode, "sync") || is(mode, "async") => Ok(()),
        _ => Err(errors::SYNTAX),
    }
}
