//! Scripts that outlive `busy-reply-threshold`: paused at the threshold
//! (see `coroutine`), their client waiting like a blocked one, resumed a
//! slice at a time by the engine's tick while every other client gets
//! `-BUSY` (but for the commands flagged `allow_busy`: SCRIPT KILL,
//! FUNCTION KILL, FUNCTION STATS, SHUTDOWN …), as Redis answers while a
//! script runs long. SCRIPT KILL / FUNCTION KILL stop a script that has
//! not written yet.

use std::time::{Duration, Instant};

use mlua::{Function, Thread};

use super::call::Run;
use super::coroutine::{self, Step};
use super::eval::finish_step;
use super::sandbox::Vm;
use super::{script_flags, Scripting};
use crate::blocking::{Awaits, BlockedState};
use crate::command::errors::{CmdError, CmdResult};
use crate::engine::Ctx;

const BUSY_EVAL: CmdError =
    CmdError::Static("BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.");
const BUSY_FUNCTION: CmdError =
    CmdError::Static("BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.");
const UNKILLABLE: CmdError = CmdError::Static(
    "UNKILLABLE Sorry the script already executed write commands against the dataset. You can either wait the script termination or kill the server in a hard way using the SHUTDOWN NOSAVE command.",
);
const NOTBUSY: CmdError = CmdError::Static("NOTBUSY No scripts in execution right now.");

/// A script paused past the threshold.
pub(crate) struct Paused {
    vm: Vm,
    thread: Thread,
    run: Run,
    /// The client waiting for the reply (handle, and id: a handle is reused
    /// after a disconnect).
    handle: u32,
    client_id: u64,
    /// The script's name in error messages (its SHA-1, or the function).
    name: String,
    is_eval: bool,
    argv: Vec<Vec<u8>>,
    /// The command time of the EVAL/FCALL, kept for the whole script.
    now: i64,
    started: Instant,
}

/// What the engine needs to resume a paused script.
pub struct PausedClient {
    pub handle: u32,
    pub client_id: u64,
    pub now: i64,
}

impl Scripting {
    /// The error every command but the `allow_busy` ones gets while a script
    /// is paused.
    pub fn busy_error(&self) -> Option<CmdError> {
        self.paused.as_ref().map(|p| if p.is_eval { BUSY_EVAL } else { BUSY_FUNCTION })
    }

    /// The client of the paused script, if a script is paused.
    pub fn paused_client(&self) -> Option<PausedClient> {
        self.paused.as_ref().map(|p| PausedClient { handle: p.handle, client_id: p.client_id, now: p.now })
    }

    /// The running script for FUNCTION STATS: name, command, milliseconds.
    pub(crate) fn running(&self) -> Option<(&str, &[Vec<u8>], u64)> {
        self.paused.as_ref().map(|p| (p.name.as_str(), p.argv.as_slice(), p.started.elapsed().as_millis() as u64))
    }

    fn put_back(&mut self, vm: Vm, is_eval: bool) {
        if is_eval {
            self.eval_vm = Some(vm);
        } else {
            self.function_vm = Some(vm);
        }
    }
}

/// How a script starts: a function to run in a new (or spare) coroutine,
/// or a spare coroutine with the function already on it (EVAL's
/// `Vm::prepare_eval`).
pub(crate) enum Start {
    Function(Function),
    Loaded(Thread),
}

/// Runs a script from its start (its function takes no arguments). Past
/// the threshold, a script started by the command the client sent (`argv`
/// is that command's, not one queued in a transaction) is paused and its
/// client waits; otherwise it runs on.
pub(crate) fn run(
    ctx: &mut Ctx,
    vm: Vm,
    start: Start,
    flags: u32,
    name: &str,
    is_eval: bool,
    argv: &[&[u8]],
) -> CmdResult {
    let thread = match start {
        Start::Loaded(thread) => thread,
        Start::Function(entry) => match coroutine::spawn(&vm.lua, entry, vm.take_spare_thread()) {
            Ok(t) => t,
            Err(e) => {
                ctx.server.scripting.put_back(vm, is_eval);
                return Err(CmdError::Owned(format!("ERR {e}")));
            }
        },
    };
    // A script that declares it writes, without allow-oom, is refused while
    // memory is over the limit, as Redis refuses its command (deny-oom).
    let writes = flags & (script_flags::NO_WRITES | script_flags::EVAL_COMPAT) == 0;
    if writes && flags & script_flags::ALLOW_OOM == 0 && ctx.server.eviction.oom_before_command {
        ctx.server.scripting.put_back(vm, is_eval);
        return Err(crate::eviction::OOM);
    }
    let started = Instant::now();
    let mut run = Run::new(ctx, flags, started);
    let threshold = ctx.server.config.busy_reply_threshold_ms;
    if threshold > 0 && ctx.client.input_command == argv.as_ptr() as usize {
        run.pause_at = Some(started + Duration::from_millis(threshold as u64));
    }
    let step = coroutine::resume(&vm, &thread, &mut run);
    if let Step::Paused = step {
        ctx.client.blocked = Some(BlockedState {
            db: ctx.client.db,
            keys: Vec::new(),
            deadline: None,
            awaits: Awaits::Script,
            argv: Vec::new(),
            duration_us: 0,
        });
        ctx.server.scripting.paused = Some(Box::new(Paused {
            vm,
            thread,
            run,
            handle: ctx.client.handle,
            client_id: ctx.client.id,
            name: name.to_string(),
            is_eval,
            argv: argv.iter().map(|a| a.to_vec()).collect(),
            now: ctx.now,
            started,
        }));
        return Ok(());
    }
    let resp3 = run.resp3;
    if let Step::Returned(_) | Step::ReturnedBytes(_) = step {
        vm.keep_spare_thread(thread);
    }
    ctx.server.scripting.put_back(vm, is_eval);
    finish_step(ctx, step, resp3, name)
}

/// Gives the paused script one more slice of `slice` in `ctx` (the
/// context of its client). `None` while it stays paused; otherwise its
/// result, written to `ctx.out` or returned as the error to reply.
pub fn resume_paused(ctx: &mut Ctx, slice: Duration) -> Option<CmdResult> {
    let mut paused = ctx.server.scripting.paused.take()?;
    paused.run.rebind(ctx);
    paused.run.db = paused.run.db.min(ctx.server.dbs.len().saturating_sub(1));
    let now = Instant::now();
    paused.run.pause_at = Some(now + slice);
    paused.run.tick = now;
    let step = coroutine::resume(&paused.vm, &paused.thread, &mut paused.run);
    if let Step::Paused = step {
        ctx.server.scripting.paused = Some(paused);
        return None;
    }
    let Paused { vm, run, name, is_eval, .. } = *paused;
    ctx.server.scripting.put_back(vm, is_eval);
    Some(finish_step(ctx, step, run.resp3, &name))
}

/// SCRIPT KILL (`is_eval`) and FUNCTION KILL.
pub(crate) fn kill(scripting: &mut Scripting, is_eval: bool) -> CmdResult {
    let Some(paused) = scripting.paused.as_mut() else { return Err(NOTBUSY) };
    if paused.run.wrote {
        return Err(UNKILLABLE);
    }
    if is_eval && !paused.is_eval {
        return Err(BUSY_FUNCTION);
    }
    if !is_eval && paused.is_eval {
        return Err(BUSY_EVAL);
    }
    paused.run.killed = true;
    Ok(())
}
