//! What a script runs with: the [`Run`] of the EVAL or FCALL in progress,
//! and `redis.call`'s path through the command table.
//!
//! Redis runs a script's commands as a separate "script client" that
//! starts in the caller's database and speaks RESP2 until the script asks
//! for RESP3; here the caller's own client is lent to each call with its
//! database and protocol swapped for the script's, and given back after.
//! The checks come in Redis's order: lookup, arity, `noscript`, writes
//! from read-only scripts; blocking commands never block (they answer as
//! if their timeout had passed).

use std::cell::Cell;
use std::time::Instant;

use super::script_flags;
use crate::command::spec::{flags, Exec};
use crate::command::table::{is_container, subcommand};
use crate::engine::Ctx;
use crate::resp::writer::{Protocol, Reply};

/// The script in progress, reachable from the Lua callbacks through the
/// VM's [`RunSlot`]. It points at the context of the EVAL/FCALL command
/// that started it, which outlives the run.
pub(crate) struct Run {
    ctx: *mut Ctx<'static>,
    /// EVAL_RO, FCALL_RO, or a script declared `no-writes`.
    pub read_only: bool,
    /// Declared `allow-oom`: its writes run even past maxmemory.
    pub allow_oom: bool,
    /// `redis.setresp(3)` was called.
    pub resp3: bool,
    /// The database the script's commands run in (SELECT inside a script
    /// changes it for the rest of the script only).
    pub db: usize,
    /// A write command ran: SCRIPT KILL could not stop it any more.
    pub wrote: bool,
    /// `redis.set_repl` flags (REPL_ALL by default).
    pub repl: u8,
    /// When the script may be paused (see `coroutine`); `None`: never.
    pub pause_at: Option<std::time::Instant>,
    /// SCRIPT KILL or FUNCTION KILL asked to stop it.
    pub killed: bool,
    /// The coroutine the script runs in (the only one its hook may yield:
    /// coroutines the script makes itself inherit the hook).
    pub thread: usize,
    /// When the last command the script ran ended (or the script started):
    /// each `redis.call` reads the clock once, to time itself.
    pub tick: Instant,
    /// The last command's reply, kept for its capacity.
    reply: Vec<u8>,
}

impl Run {
    /// A run under the script's flags (`script_flags`).
    pub(crate) fn new(ctx: &mut Ctx, flags: u32, started: Instant) -> Run {
        let db = ctx.client.db;
        Run {
            ctx: (ctx as *mut Ctx).cast::<Ctx<'static>>(),
            // A script without a shebang has no-writes only from the *_RO
            // commands (`run_flags`).
            read_only: flags & script_flags::NO_WRITES != 0,
            allow_oom: flags & script_flags::ALLOW_OOM != 0,
            resp3: false,
            db,
            wrote: false,
            repl: 3,
            pause_at: None,
            killed: false,
            thread: 0,
            tick: started,
            reply: Vec::new(),
        }
    }

    /// Points the run at the context of the command (or tick) that goes on
    /// running the script.
    pub(crate) fn rebind(&mut self, ctx: &mut Ctx) {
        self.ctx = (ctx as *mut Ctx).cast::<Ctx<'static>>();
    }

    /// The command context of the EVAL/FCALL that runs the script.
    pub(crate) fn ctx(&mut self) -> &mut Ctx<'static> {
        // Safety: a Run only lives inside the handler that owns the context
        // (see `RunSlot::enter`), and the Lua callbacks that reach it run on
        // that handler's stack, one at a time.
        unsafe { &mut *self.ctx }
    }
}

/// The VM's pointer to the run in progress (null between runs).
#[derive(Default)]
pub(crate) struct RunSlot(pub Cell<*mut Run>);

/// Calls `f` with the run in progress, if any.
pub(crate) fn with_run<R>(lua: &mlua::Lua, f: impl FnOnce(&mut Run) -> R) -> Option<R> {
    let ptr = lua.app_data_ref::<RunSlot>()?.0.get();
    if ptr.is_null() {
        return None;
    }
    // Safety: the slot is set only for the duration of `enter`, while the
    // Run it points to is alive and not otherwise borrowed.
    Some(f(unsafe { &mut *ptr }))
}

impl RunSlot {
    /// Runs `f` with `run` reachable from the callbacks of the VM whose
    /// slot this is (see `Vm::slot`).
    pub(crate) fn enter<R>(slot: &Cell<*mut Run>, run: &mut Run, f: impl FnOnce() -> R) -> R {
        let prev = slot.replace(run as *mut Run);
        let result = f();
        slot.set(prev);
        result
    }
}

/// Runs one command for the script and hands its reply, as the handler
/// wrote it (in the script's protocol), to `read`; or returns the text of
/// an error Redis raises before running it (without its `ERR` code).
pub(crate) fn call_command<R>(run: &mut Run, args: &[&[u8]], read: impl FnOnce(&[u8]) -> R) -> Result<R, &'static str> {
    let read_only = run.read_only;
    let resp3 = run.resp3;
    let db = run.db;
    let may_grow = run.allow_oom || run.wrote;
    let mut tick = run.tick;
    let mut buf = std::mem::take(&mut run.reply);
    buf.clear();
    let ctx = run.ctx();
    let mut spec = ctx.server.commands.get(args[0]).ok_or(UNKNOWN)?;
    if !spec.subcommands.is_empty() && (args.len() >= 2 || is_container(spec)) {
        if args.len() < 2 {
            return Err(WRONG_ARITY);
        }
        spec = subcommand(spec, args[1]).ok_or(UNKNOWN)?;
    }
    if !spec.arity_ok(args.len()) {
        return Err(WRONG_ARITY);
    }
    if spec.has(flags::NOSCRIPT) {
        return Err(NOT_ALLOWED);
    }
    if read_only && spec.flags & (flags::WRITE | flags::MAY_REPLICATE) != 0 {
        return Err(WRITE_IN_READ_ONLY);
    }
    // Redis's `scriptVerifyOOM`: past maxmemory when the script started, a
    // command that may grow memory is refused until the script has written
    // (after that it cannot stop halfway).
    if !may_grow && spec.has(flags::DENYOOM) && ctx.server.eviction.oom_before_command {
        // An error reply of the command, so it keeps its OOM code.
        let mut refused = Reply { buf, proto: Protocol::Resp2 };
        refused.error(crate::eviction::OOM.text());
        let result = read(&refused.buf);
        run.reply = refused.buf;
        return Ok(result);
    }
    if !matches!(spec.exec, Exec::Core(_)) {
        // Commands the host answers cannot run inside the core's script.
        return Err(NOT_ALLOWED);
    }
    let wrote = spec.has(flags::WRITE);
    let proto = if resp3 { Protocol::Resp3 } else { Protocol::Resp2 };
    let (caller_db, caller_proto) = (ctx.client.db, ctx.client.proto);
    ctx.client.db = db;
    ctx.client.proto = proto;
    let mut out = Reply { buf, proto };
    match crate::acl::check_in_script(ctx.server, ctx.client, spec, args, ctx.now) {
        Err(refusal) => out.error(&format!("ERR ACL failure in script: {refusal}")),
        Ok(()) => {
            let mut sub = Ctx {
                server: &mut *ctx.server,
                client: &mut *ctx.client,
                others: &mut *ctx.others,
                out: &mut out,
                now: ctx.now,
                spec,
            };
            // The same path as every command: commandstats, tracking, errors.
            crate::engine::call(&mut sub, args, &mut tick);
            if ctx.client.blocked.take().is_some() {
                // Scripts cannot block: the command answers as if its timeout passed.
                out.buf.clear();
                crate::transaction::timed_out_reply(spec, &mut out);
            }
        }
    }
    let script_db = ctx.client.db;
    ctx.client.db = caller_db;
    ctx.client.proto = caller_proto;
    run.db = script_db;
    run.wrote |= wrote;
    run.tick = tick;
    let result = read(&out.buf);
    run.reply = out.buf;
    Ok(result)
}

pub(crate) const UNKNOWN: &str = "Unknown Redis command called from script";
const WRONG_ARITY: &str = "Wrong number of args calling Redis command from script";
const NOT_ALLOWED: &str = "This Redis command is not allowed from script";
const WRITE_IN_READ_ONLY: &str = "Write commands are not allowed from read-only scripts.";
