//! SLOWLOG GET | LEN | RESET | HELP: reading the slow log the engine keeps
//! (`crate::diagnostics::slowlog`).

use crate::command::args;
use crate::command::errors::{CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{CommandSpec, Exec, Group};
use crate::engine::Ctx;

use super::reply_help;

const BAD_COUNT: CmdError = CmdError::Static("ERR count should be greater than or equal to -1");

const SLOWLOG_SUB: CommandSpec =
    CommandSpec { flags: ADMIN | LOADING | STALE, since: "2.2.12", group: Group::Server, ..CommandSpec::BASE };

pub const SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "slowlog|get",
        arity: -2,
        summary: "Returns the slow log's entries.",
        complexity: "O(N) where N is the number of entries returned",
        exec: Exec::Core(get),
        ..SLOWLOG_SUB
    },
    CommandSpec {
        name: "slowlog|help",
        arity: 2,
        flags: LOADING | STALE,
        since: "6.2.0",
        summary: "Show helpful text about the different subcommands",
        exec: Exec::Core(help),
        ..SLOWLOG_SUB
    },
    CommandSpec {
        name: "slowlog|len",
        arity: 2,
        summary: "Returns the number of entries in the slow log.",
        exec: Exec::Core(len),
        ..SLOWLOG_SUB
    },
    CommandSpec {
        name: "slowlog|reset",
        arity: 2,
        summary: "Clears all entries from the slow log.",
        complexity: "O(N) where N is the number of entries in the slowlog",
        exec: Exec::Core(reset),
        ..SLOWLOG_SUB
    },
];

/// The reply to a subcommand given too many arguments.
fn syntax_error(argv: &[&[u8]]) -> CmdError {
    let sub = String::from_utf8_lossy(&argv[1][..argv[1].len().min(128)]).into_owned();
    let cmd = String::from_utf8_lossy(argv[0]).to_ascii_uppercase();
    CmdError::Owned(format!("ERR unknown subcommand or wrong number of arguments for '{sub}'. Try {cmd} HELP."))
}

/// SLOWLOG GET [count]
fn get(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 3 {
        return Err(syntax_error(argv));
    }
    let log = &ctx.server.slowlog;
    let count = match argv.get(2) {
        None => 10,
        Some(arg) => match args::int(arg) {
            Ok(-1) => log.len(),
            Ok(n) if n >= 0 => n as usize,
            _ => return Err(BAD_COUNT),
        },
    };
    let entries = log.newest(count);
    ctx.out.array_len(entries.len());
    for entry in entries {
        ctx.out.array_len(6);
        ctx.out.int(entry.id as i64);
        ctx.out.int(entry.time);
        ctx.out.int(entry.duration_us as i64);
        ctx.out.bulks(entry.argv.iter().map(Vec::as_slice));
        ctx.out.bulk_str(&entry.peer);
        ctx.out.bulk(&entry.client_name);
    }
    Ok(())
}

/// SLOWLOG LEN
fn len(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.out.int(ctx.server.slowlog.len() as i64);
    Ok(())
}

/// SLOWLOG RESET
fn reset(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.server.slowlog.reset();
    ctx.out.ok();
    Ok(())
}

/// SLOWLOG HELP
fn help(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_help(
        ctx.out,
        argv[0],
        &[
            "GET [<count>]",
            "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
            "    Entries are made of:",
            "    id, timestamp, time in microseconds, arguments array, client IP and port,",
            "    client name",
            "LEN",
            "    Return the length of the slowlog.",
            "RESET",
            "    Reset the slowlog.",
        ],
    );
    Ok(())
}
