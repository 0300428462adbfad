//! LATENCY LATEST | HISTORY | RESET | HELP: reading the latency monitor the
//! engine keeps (`crate::diagnostics::latency`). DOCTOR, GRAPH and HISTOGRAM
//! are not provided.

use crate::command::errors::CmdResult;
use crate::command::spec::flags::*;
use crate::command::spec::{CommandSpec, Exec, Group};
use crate::engine::Ctx;

use super::reply_help;

const LATENCY_SUB: CommandSpec = CommandSpec {
    flags: ADMIN | NOSCRIPT | LOADING | STALE,
    since: "2.8.13",
    group: Group::Server,
    ..CommandSpec::BASE
};

pub const SUBCOMMANDS: &[CommandSpec] = &[
    CommandSpec {
        name: "latency|help",
        arity: 2,
        flags: LOADING | STALE,
        summary: "Returns helpful text about the different subcommands.",
        exec: Exec::Core(help),
        ..LATENCY_SUB
    },
    CommandSpec {
        name: "latency|history",
        arity: 3,
        summary: "Returns timestamp-latency samples for an event.",
        exec: Exec::Core(history),
        ..LATENCY_SUB
    },
    CommandSpec {
        name: "latency|latest",
        arity: 2,
        summary: "Returns the latest latency samples for all events.",
        exec: Exec::Core(latest),
        ..LATENCY_SUB
    },
    CommandSpec {
        name: "latency|reset",
        arity: -2,
        summary: "Resets the latency data for one or more events.",
        exec: Exec::Core(reset),
        ..LATENCY_SUB
    },
];

/// LATENCY LATEST
fn latest(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let events = ctx.server.latency.events();
    ctx.out.array_len(events.len());
    for (name, series) in events {
        let last = series.latest();
        ctx.out.array_len(4);
        ctx.out.bulk_str(name);
        ctx.out.int(last.time);
        ctx.out.int(last.latency_ms as i64);
        ctx.out.int(series.max_ms as i64);
    }
    Ok(())
}

/// LATENCY HISTORY event
fn history(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let Some(series) = ctx.server.latency.get(argv[2]) else {
        ctx.out.array_len(0);
        return Ok(());
    };
    let samples: Vec<_> = series.history().collect();
    ctx.out.array_len(samples.len());
    for sample in samples {
        ctx.out.array_len(2);
        ctx.out.int(sample.time);
        ctx.out.int(sample.latency_ms as i64);
    }
    Ok(())
}

/// LATENCY RESET [event [event ...]]
fn reset(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let monitor = &mut ctx.server.latency;
    let count = if argv.len() == 2 {
        monitor.reset_all()
    } else {
        argv[2..].iter().filter(|event| monitor.reset_event(event)).count()
    };
    ctx.out.int(count as i64);
    Ok(())
}

/// LATENCY HELP
fn help(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_help(
        ctx.out,
        argv[0],
        &[
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
        ],
    );
    Ok(())
}
