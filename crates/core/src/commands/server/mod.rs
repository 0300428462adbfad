//! Server commands: INFO, COMMAND, TIME, LASTSAVE, MEMORY, DEBUG, and the
//! declarations of the host-side CONFIG and SHUTDOWN.
//!
//! - `info`: INFO's sections.
//! - `command`: the COMMAND family, all read from the command table.
//! - `memory`: MEMORY and the memory figures INFO shares.
//! - `debug`: DEBUG.
//! - `slowlog`, `latency`: SLOWLOG and LATENCY, reading `crate::diagnostics`.

mod command;
mod debug;
mod info;
mod latency;
mod memory;
mod slowlog;
#[cfg(test)]
mod tests;

use crate::command::errors::CmdResult;
use crate::command::spec::flags::*;
use crate::command::spec::{AclCategory, CommandSpec, Exec, Group, KeySpec};
use crate::config::Config;
use crate::engine::{Ctx, Server, Stats};
use crate::resp::writer::Reply;

pub use command::{command_info_reply, key_spec_flags};
pub use info::info_string;

const SERVER: CommandSpec = CommandSpec { group: Group::Server, ..CommandSpec::BASE };

/// COMMAND's own subcommands: every one reads the table, none touches data.
const COMMAND_SUB: CommandSpec =
    CommandSpec { flags: LOADING | STALE, acl: AclCategory::Connection.bit(), since: "2.8.13", ..SERVER };

const COMMAND_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "command|count",
        arity: 2,
        summary: "Returns a count of commands.",
        exec: Exec::Core(command::count),
        ..COMMAND_SUB
    },
    CommandSpec {
        name: "command|docs",
        arity: -2,
        since: "7.0.0",
        summary: "Returns documentary information about one, multiple or all commands.",
        complexity: "O(N) where N is the number of commands to look up",
        exec: Exec::Core(command::docs),
        ..COMMAND_SUB
    },
    CommandSpec {
        name: "command|getkeys",
        arity: -3,
        summary: "Extracts the key names from an arbitrary command.",
        complexity: "O(N) where N is the number of arguments to the command",
        exec: Exec::Core(command::getkeys),
        ..COMMAND_SUB
    },
    CommandSpec {
        name: "command|getkeysandflags",
        arity: -3,
        since: "7.0.0",
        summary: "Extracts the key names and access flags for an arbitrary command.",
        complexity: "O(N) where N is the number of arguments to the command",
        exec: Exec::Core(command::getkeysandflags),
        ..COMMAND_SUB
    },
    CommandSpec {
        name: "command|help",
        arity: 2,
        since: "5.0.0",
        summary: "Returns helpful text about the different subcommands.",
        exec: Exec::Core(command::help),
        ..COMMAND_SUB
    },
    CommandSpec {
        name: "command|info",
        arity: -2,
        summary: "Returns information about one, multiple or all commands.",
        complexity: "O(N) where N is the number of commands to look up",
        exec: Exec::Core(command::info),
        ..COMMAND_SUB
    },
    CommandSpec {
        name: "command|list",
        arity: -2,
        since: "7.0.0",
        summary: "Returns a list of command names.",
        complexity: "O(N) where N is the total number of Redis commands",
        exec: Exec::Core(command::list),
        ..COMMAND_SUB
    },
];

const MEMORY_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "memory|doctor",
        arity: 2,
        since: "4.0.0",
        summary: "Outputs a memory problems report.",
        exec: Exec::Core(memory::doctor),
        ..SERVER
    },
    CommandSpec {
        name: "memory|help",
        arity: 2,
        flags: LOADING | STALE,
        since: "4.0.0",
        summary: "Returns helpful text about the different subcommands.",
        exec: Exec::Core(memory::help),
        ..SERVER
    },
    CommandSpec {
        name: "memory|malloc-stats",
        arity: 2,
        since: "4.0.0",
        summary: "Returns the allocator statistics.",
        complexity: "Depends on how much memory is allocated, could be slow",
        exec: Exec::Core(memory::malloc_stats),
        ..SERVER
    },
    CommandSpec {
        name: "memory|purge",
        arity: 2,
        since: "4.0.0",
        summary: "Asks the allocator to release memory.",
        complexity: "Depends on how much memory is allocated, could be slow",
        exec: Exec::Core(memory::purge),
        ..SERVER
    },
    CommandSpec {
        name: "memory|stats",
        arity: 2,
        since: "4.0.0",
        summary: "Returns details about memory usage.",
        exec: Exec::Core(memory::stats),
        ..SERVER
    },
    CommandSpec {
        name: "memory|usage",
        arity: -3,
        flags: READONLY,
        keys: KeySpec { first: 2, last: 2, step: 1 },
        since: "4.0.0",
        summary: "Estimates the memory usage of a key.",
        complexity: "O(N) where N is the number of samples.",
        exec: Exec::Core(memory::usage),
        ..SERVER
    },
];

/// CONFIG is answered by the host, which owns the configuration.
const CONFIG_SUB: CommandSpec =
    CommandSpec { flags: ADMIN | NOSCRIPT | LOADING | STALE, since: "2.0.0", exec: Exec::Host, ..SERVER };

const CONFIG_SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "config|get",
        arity: -3,
        summary: "Returns the effective values of configuration parameters.",
        complexity: "O(N) when N is the number of configuration parameters provided",
        ..CONFIG_SUB
    },
    CommandSpec {
        name: "config|help",
        arity: 2,
        flags: LOADING | STALE,
        since: "5.0.0",
        summary: "Returns helpful text about the different subcommands.",
        ..CONFIG_SUB
    },
    CommandSpec { name: "config|resetstat", arity: 2, summary: "Resets the server's statistics.", ..CONFIG_SUB },
    CommandSpec {
        name: "config|rewrite",
        arity: 2,
        since: "2.8.0",
        summary: "Persists the effective configuration to file.",
        ..CONFIG_SUB
    },
    CommandSpec {
        name: "config|set",
        arity: -4,
        summary: "Sets configuration parameters in-flight.",
        complexity: "O(N) when N is the number of configuration parameters provided",
        ..CONFIG_SUB
    },
];

pub const COMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "info",
        arity: -1,
        flags: LOADING | STALE,
        acl: AclCategory::Dangerous.bit(),
        summary: "Returns information and statistics about the server.",
        exec: Exec::Core(info::info),
        ..SERVER
    },
    // Not an `Exec::Container`: a bare COMMAND runs the parent itself.
    CommandSpec {
        name: "command",
        arity: -1,
        flags: LOADING | STALE,
        acl: AclCategory::Connection.bit(),
        since: "2.8.13",
        summary: "Returns detailed information about all commands.",
        complexity: "O(N) where N is the total number of Redis commands",
        exec: Exec::Core(command::command),
        subcommands: COMMAND_SUBCOMMANDS,
        ..SERVER
    },
    CommandSpec {
        name: "time",
        arity: 1,
        flags: LOADING | STALE | FAST,
        since: "2.6.0",
        summary: "Returns the server time.",
        exec: Exec::Core(time),
        ..SERVER
    },
    CommandSpec {
        name: "lastsave",
        arity: 1,
        flags: LOADING | STALE | FAST,
        acl: AclCategory::Admin.bit() | AclCategory::Dangerous.bit(),
        summary: "Returns the Unix timestamp of the last successful save to disk.",
        exec: Exec::Core(lastsave),
        ..SERVER
    },
    CommandSpec {
        name: "memory",
        arity: -2,
        since: "4.0.0",
        summary: "A container for memory diagnostics commands.",
        complexity: "Depends on subcommand.",
        exec: Exec::Container,
        subcommands: MEMORY_SUBCOMMANDS,
        ..SERVER
    },
    CommandSpec {
        name: "debug",
        arity: -2,
        // Redis also marks it `protected` (enable-debug-command); that check belongs to the host's config.
        flags: ADMIN | NOSCRIPT | LOADING | STALE,
        summary: "A container for debugging commands.",
        complexity: "Depends on subcommand.",
        exec: Exec::Core(debug::debug),
        ..SERVER
    },
    CommandSpec {
        name: "config",
        arity: -2,
        since: "2.0.0",
        summary: "A container for server configuration commands.",
        complexity: "Depends on subcommand.",
        exec: Exec::Container,
        subcommands: CONFIG_SUBCOMMANDS,
        ..SERVER
    },
    CommandSpec {
        name: "slowlog",
        arity: -2,
        since: "2.2.12",
        summary: "A container for slow log commands.",
        complexity: "Depends on subcommand.",
        exec: Exec::Container,
        subcommands: slowlog::SUBCOMMANDS,
        ..SERVER
    },
    CommandSpec {
        name: "latency",
        arity: -2,
        since: "2.8.13",
        summary: "A container for latency diagnostics commands.",
        complexity: "Depends on subcommand.",
        exec: Exec::Container,
        subcommands: latency::SUBCOMMANDS,
        ..SERVER
    },
    CommandSpec {
        name: "shutdown",
        arity: -1,
        flags: ADMIN | NOSCRIPT | LOADING | STALE | NO_MULTI | ALLOW_BUSY,
        summary: "Synchronously saves the database(s) to disk and shuts down the Redis server.",
        complexity:
            "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)",
        exec: Exec::Host,
        ..SERVER
    },
];

/// TIME
fn time(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let us = ctx.server.clock.now_us();
    ctx.out.array_len(2);
    ctx.out.bulk_int(us.div_euclid(1_000_000));
    ctx.out.bulk_int(us.rem_euclid(1_000_000));
    Ok(())
}

/// LASTSAVE
fn lastsave(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    ctx.out.int(ctx.server.lastsave);
    Ok(())
}

/// CONFIG RESETSTAT's work, for the host to call: every counter INFO shows
/// back to zero, as Redis's `resetServerStats` plus the command and error
/// tables. `dirty` is not a statistic (it drives saving) and stays.
pub fn reset_stats(server: &mut Server) {
    let dirty = server.stats.dirty;
    server.stats = Stats { dirty, ..Stats::default() };
    server.acl.denied = Default::default();
    for db in &mut server.dbs {
        db.expired = 0;
    }
}

/// Applies one directive the host pushed (it validated the value), and what
/// follows from it: a change of maxmemory-policy or of the LFU parameters
/// switches what every database's access bits hold, as Redis reads
/// `server.maxmemory_policy` on each access.
pub fn apply_config(server: &mut Server, name: &str, value: &str) -> Result<(), String> {
    server.config.set(name, value)?;
    server.persistence.configure(name, value);
    if name == "maxmemory" || name == "maxmemory-policy" {
        // A new limit takes effect at once, as Redis evicts on CONFIG SET maxmemory.
        crate::eviction::reset_pool(server);
        let now = server.clock.now_ms();
        crate::eviction::perform_evictions(server, now);
    }
    if Config::affects_tracking(name) {
        let tracking = server.config.tracking();
        for db in &mut server.dbs {
            db.set_tracking(tracking);
        }
    }
    Ok(())
}

/// Counts a command the host answered (CONFIG …) the way every other
/// command is counted: INFO's total_commands_processed and commandstats, and
/// for an error reply, failed_calls and errorstats. The host calls it after
/// the command ran, so CONFIG RESETSTAT counts itself, as in Redis.
pub fn record_host_call(server: &mut Server, name: &'static str, usec: u64, error: Option<&str>) {
    let stats = &mut server.stats;
    stats.total_commands_processed += 1;
    let entry = stats.commands.entry(name);
    entry.calls += 1;
    entry.usec += usec;
    if server.config.latency_tracking {
        entry.latency.get_or_insert_default().record(usec);
    }
    if let Some(text) = error {
        entry.failed_calls += 1;
        stats.total_error_replies += 1;
        let code = text.split(' ').next().unwrap_or("ERR").to_string();
        *stats.errors.entry(code).or_default() += 1;
    }
}

/// The HELP reply every container shares: a header naming the command as
/// typed, the lines, and HELP itself, each as a status reply.
pub fn reply_help(out: &mut Reply, typed: &[u8], lines: &[&str]) {
    out.array_len(lines.len() + 3);
    let name = String::from_utf8_lossy(typed).to_ascii_uppercase();
    out.simple(&format!("{name} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"));
    for line in lines {
        out.simple(line);
    }
    out.simple("HELP");
    out.simple("    Print this help.");
}
