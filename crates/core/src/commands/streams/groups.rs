//! XGROUP (CREATE SETID DESTROY CREATECONSUMER DELCONSUMER HELP) and XACK.

use super::{help, id_arg, lookup, no_such_group, strict_id_arg, subcommand_syntax};
use crate::command::args::{int, is};
use crate::command::errors::{CmdError, CmdResult};
use crate::engine::Ctx;
use crate::notify::class;
use crate::types::stream::{Group, StreamId, INVALID_ENTRIES_READ};
use crate::types::Value;

const XGROUP_HELP: &[&str] = &[
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
];

/// XGROUP CREATE key group <id | $> [MKSTREAM] [ENTRIESREAD entries-read]
/// XGROUP SETID key group <id | $> [ENTRIESREAD entries-read]
/// XGROUP DESTROY key group
/// XGROUP CREATECONSUMER key group consumer
/// XGROUP DELCONSUMER key group consumer
/// XGROUP HELP
///
/// One handler, as in Redis: the options and the key are checked the same
/// way for every subcommand before it runs.
pub(super) fn xgroup(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let sub = argv[1];
    let mut mkstream = false;
    let mut entries_read = INVALID_ENTRIES_READ;
    let mut exists = false;
    if argv.len() >= 4 {
        let create = is(sub, "create");
        let setid = is(sub, "setid");
        let mut i = 5;
        while i < argv.len() {
            if create && is(argv[i], "mkstream") {
                mkstream = true;
                i += 1;
            } else if (create || setid) && is(argv[i], "entriesread") && i + 1 < argv.len() {
                entries_read = int(argv[i + 1])?;
                if entries_read < 0 && entries_read != INVALID_ENTRIES_READ {
                    return Err(CmdError::Static("ERR value for ENTRIESREAD must be positive or -1"));
                }
                i += 2;
            } else {
                return Err(subcommand_syntax(argv));
            }
        }
        let (found, _) = lookup(ctx, argv[2], true)?;
        exists = found.is_some();
        let has_group = found.is_some_and(|s| s.groups.contains_key(argv[3]));
        if !mkstream {
            if !exists {
                return Err(CmdError::Static("ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically."));
            }
            if !has_group && (setid || is(sub, "createconsumer") || is(sub, "delconsumer")) {
                return Err(no_such_group(argv[2], argv[3]));
            }
        }
    }
    let n = argv.len();
    if n == 2 && is(sub, "help") {
        help(ctx.out, argv[0], XGROUP_HELP);
    } else if is(sub, "create") && (5..=8).contains(&n) {
        create(ctx, argv, exists, entries_read)?;
    } else if is(sub, "setid") && (n == 5 || n == 7) {
        setid(ctx, argv, entries_read)?;
    } else if is(sub, "destroy") && n == 4 {
        destroy(ctx, argv)?;
    } else if is(sub, "createconsumer") && n == 5 {
        let now = ctx.now;
        let (found, out) = lookup(ctx, argv[2], true)?;
        let group = found.and_then(|s| s.groups.get_mut(argv[3])).expect("checked above");
        let created = group.create_consumer(argv[4], now);
        out.int(created as i64);
        if created {
            ctx.dirty(1);
            notify(ctx, "xgroup-createconsumer", argv[2]);
        }
    } else if is(sub, "delconsumer") && n == 5 {
        let (found, out) = lookup(ctx, argv[2], true)?;
        let group = found.and_then(|s| s.groups.get_mut(argv[3])).expect("checked above");
        let pending = group.delete_consumer(argv[4]);
        out.int(pending.unwrap_or(0) as i64);
        if pending.is_some() {
            ctx.dirty(1);
            notify(ctx, "xgroup-delconsumer", argv[2]);
        }
    } else {
        return Err(subcommand_syntax(argv));
    }
    Ok(())
}

/// The events XGROUP publishes come without a modified-key signal, as in Redis.
fn notify(ctx: &mut Ctx, event: &str, key: &[u8]) {
    let db = ctx.client.db;
    ctx.server.notify_keyspace_event(db, class::STREAM, event, key);
}

fn create(ctx: &mut Ctx, argv: &[&[u8]], exists: bool, entries_read: i64) -> CmdResult {
    let key = argv[2];
    let id = if argv[4] == b"$" { None } else { Some(strict_id_arg(argv[4])?) };
    if !exists {
        // MKSTREAM: only reached with it.
        ctx.db().set(key, Value::Stream(Box::default()));
        ctx.server.signal_modified(ctx.client.db, key);
    }
    let (found, out) = lookup(ctx, key, true)?;
    let stream = found.expect("exists or was just created");
    let id = id.unwrap_or(stream.last_id);
    if stream.groups.contains_key(argv[3]) {
        return Err(CmdError::Static("BUSYGROUP Consumer Group name already exists"));
    }
    stream.groups.insert(argv[3].to_vec(), Group::new(id, entries_read));
    out.ok();
    ctx.dirty(1);
    notify(ctx, "xgroup-create", key);
    Ok(())
}

fn setid(ctx: &mut Ctx, argv: &[&[u8]], entries_read: i64) -> CmdResult {
    let key = argv[2];
    let (found, out) = lookup(ctx, key, true)?;
    let stream = found.expect("checked by the caller");
    let id = if argv[4] == b"$" { stream.last_id } else { id_arg(argv[4], 0)? };
    let group = stream.groups.get_mut(argv[3]).expect("checked by the caller");
    group.last_id = id;
    group.entries_read = entries_read;
    out.ok();
    ctx.dirty(1);
    notify(ctx, "xgroup-setid", key);
    Ok(())
}

fn destroy(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let key = argv[2];
    let (found, out) = lookup(ctx, key, true)?;
    let stream = found.expect("checked by the caller");
    let removed = stream.groups.remove(argv[3]).is_some();
    out.int(removed as i64);
    if removed {
        ctx.dirty(1);
        notify(ctx, "xgroup-destroy", key);
        // Readers blocked on the group learn it is gone.
        ctx.signal_ready(key);
    }
    Ok(())
}

/// XACK key group id [id ...]
pub(super) fn xack(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let (found, out) = lookup(ctx, argv[1], false)?;
    let Some(group) = found.and_then(|s| s.groups.get_mut(argv[2])) else {
        out.int(0);
        return Ok(());
    };
    let ids = argv[3..].iter().map(|a| strict_id_arg(a)).collect::<Result<Vec<StreamId>, _>>()?;
    let acked = ids.into_iter().filter(|&id| group.ack(id)).count();
    out.int(acked as i64);
    ctx.dirty(acked as u64);
    Ok(())
}
