//! FUNCTION LOAD DELETE FLUSH LIST STATS KILL DUMP RESTORE HELP.

use super::SCRIPTING;
use crate::command::args::is;
use crate::command::errors::{CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{CommandSpec, Exec};
use crate::engine::Ctx;
use crate::scripting::dump::{self, PayloadError};
use crate::scripting::functions::{self, RestorePolicy};
use crate::scripting::script_flags;
use crate::util::glob::glob_match;

const FUNCTION: CommandSpec = CommandSpec { since: "7.0.0", complexity: "O(1)", ..SCRIPTING };

pub(super) const SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "function|delete",
        arity: 3,
        flags: WRITE | NOSCRIPT,
        summary: "Deletes a library and its functions.",
        exec: Exec::Core(delete),
        ..FUNCTION
    },
    CommandSpec {
        name: "function|dump",
        arity: 2,
        flags: NOSCRIPT,
        summary: "Dumps all libraries into a serialized binary payload.",
        complexity: "O(N) where N is the number of functions",
        exec: Exec::Core(dump),
        ..FUNCTION
    },
    CommandSpec {
        name: "function|flush",
        arity: -2,
        flags: WRITE | NOSCRIPT,
        summary: "Deletes all libraries and functions.",
        complexity: "O(N) where N is the number of functions deleted",
        exec: Exec::Core(flush),
        ..FUNCTION
    },
    CommandSpec {
        name: "function|help",
        arity: 2,
        flags: LOADING | STALE,
        summary: "Returns helpful text about the different subcommands.",
        exec: Exec::Core(help),
        ..FUNCTION
    },
    CommandSpec {
        name: "function|kill",
        arity: 2,
        flags: NOSCRIPT | ALLOW_BUSY,
        summary: "Terminates a function during execution.",
        exec: Exec::Core(kill),
        ..FUNCTION
    },
    CommandSpec {
        name: "function|list",
        arity: -2,
        flags: NOSCRIPT,
        summary: "Returns information about all libraries.",
        complexity: "O(N) where N is the number of functions",
        exec: Exec::Core(list),
        ..FUNCTION
    },
    CommandSpec {
        name: "function|load",
        arity: -3,
        flags: WRITE | DENYOOM | NOSCRIPT,
        summary: "Creates a library.",
        complexity: "O(1) (considering compilation time is redundant)",
        exec: Exec::Core(load),
        ..FUNCTION
    },
    CommandSpec {
        name: "function|restore",
        arity: -3,
        flags: WRITE | DENYOOM | NOSCRIPT,
        summary: "Restores all libraries from a payload.",
        complexity: "O(N) where N is the number of functions on the payload",
        exec: Exec::Core(restore),
        ..FUNCTION
    },
    CommandSpec {
        name: "function|stats",
        arity: 2,
        flags: NOSCRIPT | ALLOW_BUSY,
        summary: "Returns information about a function during execution.",
        exec: Exec::Core(stats),
        ..FUNCTION
    },
];

/// FUNCTION LOAD [REPLACE] function-code
fn load(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut replace = false;
    for opt in &argv[2..argv.len() - 1] {
        if is(opt, "replace") {
            replace = true;
        } else {
            return Err(CmdError::Owned(format!("ERR Unknown option given: {}", String::from_utf8_lossy(opt))));
        }
    }
    let code = argv[argv.len() - 1];
    let name = functions::load_library(ctx, code, replace).map_err(|e| CmdError::Owned(format!("ERR {e}")))?;
    ctx.dirty(1);
    ctx.out.bulk(&name);
    Ok(())
}

/// FUNCTION DELETE library-name
fn delete(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if !ctx.server.scripting.delete_library(argv[2]) {
        return Err(CmdError::Static("ERR Library not found"));
    }
    ctx.dirty(1);
    ctx.out.ok();
    Ok(())
}

/// FUNCTION FLUSH [ASYNC | SYNC]
fn flush(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 3 {
        return Err(syntax_error(argv));
    }
    if argv.len() == 3 && !(is(argv[2], "sync") || is(argv[2], "async")) {
        return Err(CmdError::Static("ERR FUNCTION FLUSH only supports SYNC|ASYNC option"));
    }
    ctx.server.scripting.flush_functions();
    ctx.dirty(1);
    ctx.out.ok();
    Ok(())
}

/// FUNCTION DUMP
fn dump(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let libraries = ctx.server.scripting.libraries();
    let payload = dump::dump(libraries.libs.values().map(|lib| lib.code.as_slice()));
    ctx.out.bulk(&payload);
    Ok(())
}

/// FUNCTION RESTORE serialized-value [FLUSH | APPEND | REPLACE]
fn restore(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    if argv.len() > 4 {
        return Err(syntax_error(argv));
    }
    let policy = match argv.get(3) {
        None => RestorePolicy::Append,
        Some(p) if is(p, "append") => RestorePolicy::Append,
        Some(p) if is(p, "replace") => RestorePolicy::Replace,
        Some(p) if is(p, "flush") => RestorePolicy::Flush,
        Some(_) => {
            return Err(CmdError::Static(
                "ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.",
            ))
        }
    };
    let codes = dump::parse(argv[2]).map_err(|e| match e {
        PayloadError::Footer => CmdError::Static("ERR DUMP payload version or checksum are wrong"),
        PayloadError::Other(msg) => CmdError::Owned(format!("ERR {msg}")),
    })?;
    functions::restore(ctx, codes, policy).map_err(|e| CmdError::Owned(format!("ERR {e}")))?;
    ctx.dirty(1);
    ctx.out.ok();
    Ok(())
}

/// Redis's `addReplySubcommandSyntaxError`.
fn syntax_error(argv: &[&[u8]]) -> CmdError {
    CmdError::Owned(format!(
        "ERR unknown subcommand or wrong number of arguments for '{}'. Try FUNCTION HELP.",
        String::from_utf8_lossy(argv[1])
    ))
}

/// FUNCTION KILL
///
/// Stops the function paused past busy-reply-threshold, unless it wrote.
fn kill(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    crate::scripting::kill(&mut ctx.server.scripting, false)?;
    ctx.out.ok();
    Ok(())
}

/// FUNCTION LIST [LIBRARYNAME library-name-pattern] [WITHCODE]
fn list(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let mut with_code = false;
    let mut pattern: Option<&[u8]> = None;
    let mut i = 2;
    while i < argv.len() {
        if !with_code && is(argv[i], "withcode") {
            with_code = true;
        } else if pattern.is_none() && is(argv[i], "libraryname") {
            if i >= argv.len() - 1 {
                return Err(CmdError::Static("ERR library name argument was not given"));
            }
            i += 1;
            pattern = Some(argv[i]);
        } else {
            return Err(CmdError::Owned(format!("ERR Unknown argument {}", String::from_utf8_lossy(argv[i]))));
        }
        i += 1;
    }
    let libraries = ctx.server.scripting.libraries();
    let shown: Vec<_> =
        libraries.libs.iter().filter(|(name, _)| pattern.is_none_or(|p| glob_match(p, name, true))).collect();
    let out = &mut *ctx.out;
    out.array_len(shown.len());
    for (name, lib) in shown {
        out.map_len(if with_code { 4 } else { 3 });
        out.bulk(b"library_name");
        out.bulk(name);
        out.bulk(b"engine");
        out.bulk(b"LUA");
        out.bulk(b"functions");
        out.array_len(lib.functions.len());
        for (fname, info) in &lib.functions {
            out.map_len(3);
            out.bulk(b"name");
            out.bulk(fname);
            out.bulk(b"description");
            match &info.description {
                Some(d) => out.bulk(d),
                None => out.null(),
            }
            out.bulk(b"flags");
            let names: Vec<&str> =
                script_flags::NAMES.iter().filter(|(bit, _)| info.flags & bit != 0).map(|(_, n)| *n).collect();
            out.set_len(names.len());
            for n in names {
                out.simple(n);
            }
        }
        if with_code {
            out.bulk(b"library_code");
            out.bulk(&lib.code);
        }
    }
    Ok(())
}

/// FUNCTION STATS
fn stats(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let scripting = &ctx.server.scripting;
    let libraries = scripting.libraries();
    let (libs, funcs) = (libraries.libs.len(), libraries.owner.len());
    let out = &mut *ctx.out;
    out.map_len(2);
    out.bulk(b"running_script");
    match scripting.running() {
        None => out.null(),
        Some((name, argv, ms)) => {
            out.map_len(3);
            out.bulk(b"name");
            out.bulk(name.as_bytes());
            out.bulk(b"command");
            out.bulks(argv.iter().map(Vec::as_slice));
            out.bulk(b"duration_ms");
            out.int(ms as i64);
        }
    }
    out.bulk(b"engines");
    out.map_len(1);
    out.bulk(b"LUA");
    out.map_len(2);
    out.bulk(b"libraries_count");
    out.int(libs as i64);
    out.bulk(b"functions_count");
    out.int(funcs as i64);
    Ok(())
}

/// FUNCTION HELP
fn help(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    crate::commands::server::reply_help(
        ctx.out,
        argv[0],
        &[
            "LOAD [REPLACE] <FUNCTION CODE>",
            "    Create a new library with the given library name and code.",
            "DELETE <LIBRARY NAME>",
            "    Delete the given library.",
            "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
            "    Return general information on all the libraries:",
            "    * Library name",
            "    * The engine used to run the Library",
            "    * Library description",
            "    * Functions list",
            "    * Library code (if WITHCODE is given)",
            "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
            "STATS",
            "    Return information about the current function running:",
            "    * Function name",
            "    * Command used to run the function",
            "    * Duration in MS that the function is running",
            "    If no function is running, return nil",
            "    In addition, returns a list of available engines.",
            "KILL",
            "    Kill the current running function.",
            "FLUSH [ASYNC|SYNC]",
            "    Delete all the libraries.",
            "    When called without the optional mode argument, the behavior is determined by the",
            "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
            "    * ASYNC: Asynchronously flush the libraries.",
            "    * SYNC: Synchronously flush the libraries.",
            "DUMP",
            "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
            "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
            "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
            "    control how to handle existing libraries (default APPEND):",
            "    * FLUSH: delete all existing libraries.",
            "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
            "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
            "      libraries with the new libraries (notice that even on this option there is a chance of failure",
            "      in case of functions name collision with another library).",
        ],
    );
    Ok(())
}
