//! Scripting commands: EVAL EVALSHA EVAL_RO EVALSHA_RO, SCRIPT (LOAD
//! EXISTS FLUSH KILL HELP), FCALL FCALL_RO and FUNCTION (LOAD DELETE FLUSH
//! LIST STATS KILL HELP). The engine behind them is [`crate::scripting`].
//!
//! - `function`: the FUNCTION subcommands.
//! - this file: the declarations, EVAL*, FCALL* and SCRIPT.

use crate::command::args::is;
use crate::command::errors::{CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::engine::Ctx;
use crate::scripting::{eval, functions};

mod function;
#[cfg(test)]
mod tests;

const SCRIPTING: CommandSpec = CommandSpec {
    group: Group::Scripting,
    acl: AclCategory::Scripting.bit(),
    keys: KeySpec::NONE,
    since: "2.6.0",
    complexity: "Depends on the script that is executed.",
    ..CommandSpec::BASE
};

/// EVAL and FCALL: keys come from the numkeys argument.
const RUNS: u32 = NOSCRIPT | SKIP_MONITOR | MAY_REPLICATE | NO_MANDATORY_KEYS | STALE | MOVABLE_KEYS;
const RUNS_READ_ONLY: u32 = NOSCRIPT | SKIP_MONITOR | NO_MANDATORY_KEYS | STALE | READONLY | MOVABLE_KEYS;

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "eval",
        arity: -3,
        flags: RUNS,
        summary: "Executes a server-side Lua script.",
        exec: Exec::Core(eval_cmd),
        ..SCRIPTING
    },
    CommandSpec {
        name: "evalsha",
        arity: -3,
        flags: RUNS,
        summary: "Executes a server-side Lua script by SHA1 digest.",
        exec: Exec::Core(evalsha),
        ..SCRIPTING
    },
    CommandSpec {
        name: "eval_ro",
        arity: -3,
        flags: RUNS_READ_ONLY,
        since: "7.0.0",
        summary: "Executes a read-only server-side Lua script.",
        exec: Exec::Core(eval_ro),
        ..SCRIPTING
    },
    CommandSpec {
        name: "evalsha_ro",
        arity: -3,
        flags: RUNS_READ_ONLY,
        since: "7.0.0",
        summary: "Executes a read-only server-side Lua script by SHA1 digest.",
        exec: Exec::Core(evalsha_ro),
        ..SCRIPTING
    },
    CommandSpec {
        name: "fcall",
        arity: -3,
        flags: RUNS,
        since: "7.0.0",
        summary: "Invokes a function.",
        complexity: "Depends on the function that is executed.",
        exec: Exec::Core(fcall),
        ..SCRIPTING
    },
    CommandSpec {
        name: "fcall_ro",
        arity: -3,
        flags: RUNS_READ_ONLY,
        since: "7.0.0",
        summary: "Invokes a read-only function.",
        complexity: "Depends on the function that is executed.",
        exec: Exec::Core(fcall_ro),
        ..SCRIPTING
    },
    CommandSpec {
        name: "script",
        arity: -2,
        summary: "A container for Lua scripts management commands.",
        complexity: "Depends on subcommand.",
        acl: 0,
        exec: Exec::Container,
        subcommands: SCRIPT_SUBCOMMANDS,
        ..SCRIPTING
    },
    CommandSpec {
        name: "function",
        arity: -2,
        since: "7.0.0",
        summary: "A container for function commands.",
        complexity: "Depends on subcommand.",
        acl: 0,
        exec: Exec::Container,
        subcommands: function::SUBCOMMANDS,
        ..SCRIPTING
    },
];

const SCRIPT_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "script|exists",
        arity: -3,
        flags: NOSCRIPT,
        summary: "Determines whether server-side Lua scripts exist in the script cache.",
        complexity:
            "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).",
        exec: Exec::Core(script_exists),
        ..SCRIPTING
    },
    CommandSpec {
        name: "script|flush",
        arity: -2,
        flags: NOSCRIPT,
        summary: "Removes all server-side Lua scripts from the script cache.",
        complexity: "O(N) with N being the number of scripts in cache",
        exec: Exec::Core(script_flush),
        ..SCRIPTING
    },
    CommandSpec {
        name: "script|help",
        arity: 2,
        flags: LOADING | STALE,
        since: "5.0.0",
        summary: "Returns helpful text about the different subcommands.",
        complexity: "O(1)",
        exec: Exec::Core(script_help),
        ..SCRIPTING
    },
    CommandSpec {
        name: "script|kill",
        arity: 2,
        flags: NOSCRIPT | ALLOW_BUSY,
        summary: "Terminates a server-side Lua script during execution.",
        complexity: "O(1)",
        exec: Exec::Core(script_kill),
        ..SCRIPTING
    },
    CommandSpec {
        name: "script|load",
        arity: 3,
        flags: NOSCRIPT | STALE,
        summary: "Loads a server-side Lua script to the script cache.",
        complexity: "O(N) with N being the length in bytes of the script body.",
        exec: Exec::Core(script_load),
        ..SCRIPTING
    },
];

/// EVAL script numkeys [key …] [arg …]
fn eval_cmd(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    eval::eval(ctx, argv, false, false)
}

/// EVALSHA sha1 numkeys [key …] [arg …]
fn evalsha(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    eval::eval(ctx, argv, true, false)
}

/// EVAL_RO script numkeys [key …] [arg …]
fn eval_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    eval::eval(ctx, argv, false, true)
}

/// EVALSHA_RO sha1 numkeys [key …] [arg …]
fn evalsha_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    eval::eval(ctx, argv, true, true)
}

/// FCALL function numkeys [key …] [arg …]
fn fcall(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    functions::fcall(ctx, argv, false)
}

/// FCALL_RO function numkeys [key …] [arg …]
fn fcall_ro(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    functions::fcall(ctx, argv, true)
}

/// SCRIPT EXISTS sha1 [sha1 …]
fn script_exists(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    ctx.out.array_len(argv.len() - 2);
    for sha in &argv[2..] {
        let found = ctx.server.scripting.script_exists(sha);
        ctx.out.int(found as i64);
    }
    Ok(())
}

/// SCRIPT FLUSH [ASYNC | SYNC]
///
/// Both modes free the cache before replying: it holds no more than the
/// compiled scripts.
fn script_flush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() == 3 && !(is(argv[2], "sync") || is(argv[2], "async")) || argv.len() > 3 {
        return Err(CmdError::Static("ERR SCRIPT FLUSH only support SYNC|ASYNC option"));
    }
    ctx.server.scripting.flush_scripts();
    ctx.out.ok();
    Ok(())
}

/// SCRIPT KILL
///
/// Stops the EVAL script paused past busy-reply-threshold, unless it wrote.
fn script_kill(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    crate::scripting::kill(&mut ctx.server.scripting, true)?;
    ctx.out.ok();
    Ok(())
}

/// SCRIPT LOAD script
fn script_load(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let sha = ctx.server.scripting.load_script(argv[2])?;
    ctx.out.bulk(sha.as_bytes());
    Ok(())
}

/// SCRIPT HELP
fn script_help(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    crate::commands::server::reply_help(
        ctx.out,
        argv[0],
        &[
            "DEBUG (YES|SYNC|NO)",
            "    Set the debug mode for subsequent scripts executed.",
            "EXISTS <sha1> [<sha1> ...]",
            "    Return information about the existence of the scripts in the script cache.",
            "FLUSH [ASYNC|SYNC]",
            "    Flush the Lua scripts cache. Very dangerous on replicas.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the scripts cache.",
            "    * SYNC: Synchronously flush the scripts cache.",
            "KILL",
            "    Kill the currently executing Lua script.",
            "LOAD <script>",
            "    Load a script into the scripts cache without executing it.",
        ],
    );
    Ok(())
}
