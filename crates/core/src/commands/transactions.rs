//! Transactions: MULTI EXEC DISCARD WATCH UNWATCH. Queueing happens in the
//! engine's dispatch (a command inside MULTI is checked, then queued);
//! EXEC runs the queue through [`engine::call`], as the feed loop runs a
//! command, so stats, dirty counts and tracking work the same, and hands
//! the commands the host answers (CONFIG) to the host in their turn.

use std::time::Instant;

use crate::command::errors::{CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::{self, Ctx};
use crate::transaction::{Queued, EXECABORT};

#[cfg(test)]
mod tests;

const TX: CommandSpec = CommandSpec {
    group: Group::Transactions,
    acl: AclCategory::Transaction.bit(),
    flags: NOSCRIPT | LOADING | STALE | FAST | ALLOW_BUSY,
    since: "1.2.0",
    ..CommandSpec::BASE
};

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec { name: "multi", summary: "Starts a transaction.", exec: Exec::Core(multi), ..TX },
    CommandSpec {
        name: "exec",
        flags: NOSCRIPT | LOADING | STALE | SKIP_SLOWLOG,
        summary: "Executes all commands in a transaction.",
        complexity: "Depends on commands in the transaction",
        exec: Exec::Core(exec),
        ..TX
    },
    CommandSpec {
        name: "discard",
        since: "2.0.0",
        summary: "Discards a transaction.",
        complexity: "O(N), when N is the number of queued commands",
        exec: Exec::Core(discard),
        ..TX
    },
    CommandSpec {
        name: "watch",
        arity: -2,
        keys: KeySpec::ALL,
        since: "2.2.0",
        summary: "Monitors changes to keys to determine the execution of a transaction.",
        complexity: "O(1) for every key.",
        exec: Exec::Core(watch),
        ..TX
    },
    CommandSpec {
        name: "unwatch",
        since: "2.2.0",
        summary: "Forgets about watched keys of a transaction.",
        exec: Exec::Core(unwatch),
        ..TX
    },
];

/// MULTI
fn multi(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    if ctx.client.tx.in_multi() {
        return Err(CmdError::Static("ERR MULTI calls can not be nested"));
    }
    ctx.client.tx.begin();
    ctx.out.ok();
    Ok(())
}

/// Redis's `discardTransaction`: the queue, the marks and the watches go.
pub(crate) fn discard_transaction(ctx: &mut Ctx) {
    ctx.client.tx.clear();
    ctx.server.watches.forget(ctx.client.handle);
}

/// DISCARD
fn discard(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    if !ctx.client.tx.in_multi() {
        return Err(CmdError::Static("ERR DISCARD without MULTI"));
    }
    discard_transaction(ctx);
    ctx.out.ok();
    Ok(())
}

/// EXEC
///
/// Fails with EXECABORT after a queueing error, replies a null array when a
/// watched key changed (or expired), else runs every queued command and
/// replies their replies as one array; a command's error is its element.
fn exec(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    if !ctx.client.tx.in_multi() {
        return Err(CmdError::Static("ERR EXEC without MULTI"));
    }
    let handle = ctx.client.handle;
    let watch_broken = ctx.server.watches.is_dirty(handle) || ctx.server.watched_key_expired(handle, ctx.now);
    if ctx.client.tx.aborted() {
        discard_transaction(ctx);
        return Err(EXECABORT);
    }
    if watch_broken {
        discard_transaction(ctx);
        ctx.out.null_array();
        return Ok(());
    }
    // Nothing watched matters any more once the commands start running.
    ctx.server.watches.forget(handle);
    let queue = ctx.client.tx.take_queue();
    ctx.out.array_len(queue.len());
    run_queue(ctx, queue);
    Ok(())
}

/// Runs queued commands in order, each checked against the user's ACL
/// again first. A command the host answers (CONFIG …)
/// stops the run: the engine hands it to the host, whose reply becomes the
/// next element, and [`resume_exec`] goes on with the rest. The host does
/// that before serving any other connection, so the transaction stays whole.
fn run_queue(ctx: &mut Ctx, queue: Vec<Queued>) {
    ctx.client.tx.executing = true;
    let exec_spec = ctx.spec;
    let mut queue = queue.into_iter();
    // Redis counts EXEC as failed when an error reply came after the last
    // command it ran (only an ACL refusal here can be one).
    let mut denied_last = false;
    while let Some(queued) = queue.next() {
        let args: Vec<&[u8]> = queued.argv.iter().map(Vec::as_slice).collect();
        // The user's rules may have changed since the command was queued.
        if let Err(denied) = crate::acl::check_at_exec(ctx.server, ctx.client, queued.spec, &args, ctx.now) {
            engine::reply_error(ctx.server, ctx.out, &denied);
            denied_last = true;
            continue;
        }
        drop(args);
        denied_last = false;
        if matches!(queued.spec.exec, Exec::Host) {
            ctx.client.host_command = Some(queued.argv);
            ctx.client.tx.rest = Some(queue.collect());
            ctx.client.tx.executing = false;
            return;
        }
        let args: Vec<&[u8]> = queued.argv.iter().map(Vec::as_slice).collect();
        ctx.spec = queued.spec;
        let mut tick = Instant::now();
        engine::call(ctx, &args, &mut tick);
    }
    ctx.spec = exec_spec;
    if denied_last {
        ctx.server.stats.commands.entry(exec_spec.name).failed_calls += 1;
    }
    discard_transaction(ctx);
}

/// Goes on with an EXEC that stopped at a host command, once the host
/// answered it (`ctx.spec` is EXEC's).
pub(crate) fn resume_exec(ctx: &mut Ctx) {
    let Some(rest) = ctx.client.tx.rest.take() else { return };
    // Still inside EXEC: its commands are nested calls, so this client's
    // own invalidations wait for the end of the whole reply.
    ctx.server.tracking.set_current(Some(ctx.client.id));
    ctx.server.execution_nesting += 1;
    run_queue(ctx, rest);
    ctx.server.execution_nesting -= 1;
    ctx.server.tracking.set_current(None);
    if !ctx.client.tx.suspended() {
        crate::tracking::deliver(ctx.server, Some(&mut *ctx.client), ctx.others, Some(&mut *ctx.out), true);
    }
}

/// WATCH key [key ...]
fn watch(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if ctx.client.tx.in_multi() {
        return Err(CmdError::Static("ERR WATCH inside MULTI is not allowed"));
    }
    let handle = ctx.client.handle;
    // Already doomed: watching more changes nothing.
    if !ctx.server.watches.is_dirty(handle) {
        let (db, now) = (ctx.client.db, ctx.now);
        for key in &argv[1..] {
            ctx.server.watch_key(handle, db, key, now);
        }
    }
    ctx.out.ok();
    Ok(())
}

/// UNWATCH
fn unwatch(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.server.watches.forget(ctx.client.handle);
    ctx.out.ok();
    Ok(())
}
