//! Running one resolved command: Redis's `call()`. The feed loop, EXEC (and
//! scripts' `redis.call`) all go through [`call`], so every command counts
//! in INFO commandstats, remembers the keys a tracking client read and
//! delivers cache invalidations the same way wherever it was sent from.

use std::time::Instant;

use super::{Ctx, Server};
use crate::command::errors::CmdError;
use crate::command::spec::{flags, Exec};
use crate::resp::writer::Reply;

/// Runs `ctx.spec` (a core command whose name, arity and permissions were
/// already checked) with `args` (the command name at 0), writing its reply
/// — or its error — to `ctx.out`. Counts the call, its duration (from
/// `*tick` to now; `*tick` is left at the end, so a loop reads the clock
/// once per command) and its failure in commandstats, and `total_commands_processed`.
///
/// Nested calls (from EXEC or a script) run with the outer command's time
/// and client; cache invalidations for the calling client itself wait until
/// the outermost call has replied, as Redis delivers them after the reply.
///
/// Returns true when the command replied an error.
pub fn call(ctx: &mut Ctx, args: &[&[u8]], tick: &mut Instant) -> bool {
    let spec = ctx.spec;
    let outermost = ctx.server.execution_nesting == 0;
    let outcome = match spec.exec {
        Exec::Core(handler) => {
            if outermost {
                ctx.server.tracking.set_current(Some(ctx.client.id));
            }
            // Keys created by this command are stamped with its time (OBJECT IDLETIME, LRU).
            let db = ctx.client.db;
            ctx.server.dbs[db].set_now(ctx.now);
            ctx.server.execution_nesting += 1;
            let frame = crate::persistence::propagate::enter(ctx.server, db, outermost);
            let outcome = handler(ctx, args);
            // An EXEC paused at a host command logs its writes once it ends.
            let unit_done = outermost && !ctx.client.tx.suspended();
            crate::persistence::propagate::leave(ctx.server, args, frame, unit_done);
            ctx.server.execution_nesting -= 1;
            outcome
        }
        // The host answers these; nothing that reaches `call` may queue them.
        Exec::Host | Exec::Container => Err(CmdError::Owned(format!(
            "ERR '{}' cannot run inside a transaction or script in this server",
            spec.name
        ))),
    };
    let started = std::mem::replace(tick, Instant::now());
    let usec = tick.duration_since(started).as_micros() as u64;
    let stats = &mut ctx.server.stats;
    stats.total_commands_processed += 1;
    let entry = stats.commands.entry(spec.name);
    entry.calls += 1;
    entry.usec += usec;
    if ctx.server.config.latency_tracking {
        entry.latency.get_or_insert_default().record(usec);
    }
    let failed = outcome.is_err();
    if let Err(e) = outcome {
        entry.failed_calls += 1;
        reply_error(ctx.server, ctx.out, &e);
    }
    if spec.has(flags::READONLY) && ctx.client.tracking.remembers_reads() {
        crate::tracking::remember_keys(ctx, args);
    }
    // An EXEC paused at a host command has not finished its reply yet.
    let replied = outermost && !ctx.client.tx.suspended();
    crate::tracking::deliver(ctx.server, Some(&mut *ctx.client), ctx.others, Some(&mut *ctx.out), replied);
    if outermost {
        ctx.server.tracking.set_current(None);
        crate::tracking::command_done(ctx.client, Some(spec.name));
    }
    failed
}

/// Writes an error reply and counts it in `total_error_replies` and
/// errorstats (by its first word, as Redis does).
pub fn reply_error(server: &mut Server, out: &mut Reply, err: &CmdError) {
    let text = err.text();
    let code = text.split(' ').next().unwrap_or("ERR").to_string();
    server.stats.total_error_replies += 1;
    *server.stats.errors.entry(code).or_default() += 1;
    out.error(text);
}
