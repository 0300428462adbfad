//! LATENCY LATEST | HISTORY | RESET | DOCTOR | GRAPH | HISTOGRAM | HELP:
//! reading the latency monitor the engine keeps
//! (`crate::diagnostics::latency`, drawn by `graph`, reported on by
//! `doctor`) and the per-command histograms (`crate::diagnostics::histogram`).

use crate::command::errors::{CmdError, CmdResult};
use crate::command::spec::flags::*;
use crate::command::spec::{CommandSpec, Exec, Group};
use crate::command::table::subcommand;
use crate::diagnostics::{doctor, graph, histogram::LatencyHistogram};
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
        name: "latency|doctor",
        arity: 2,
        summary: "Returns a human-readable latency analysis report.",
        exec: Exec::Core(doctor),
        ..LATENCY_SUB
    },
    CommandSpec {
        name: "latency|graph",
        arity: 3,
        summary: "Returns a latency graph for an event.",
        exec: Exec::Core(graph),
        ..LATENCY_SUB
    },
    CommandSpec {
        name: "latency|help",
        arity: 2,
        flags: LOADING | STALE,
        summary: "Returns helpful text about the different subcommands.",
        exec: Exec::Core(help),
        ..LATENCY_SUB
    },
    CommandSpec {
        name: "latency|histogram",
        arity: -2,
        since: "7.0.0",
        summary: "Returns the cumulative distribution of latencies of a subset or all commands.",
        complexity: "O(N) where N is the number of commands with latency information being retrieved.",
        exec: Exec::Core(histogram),
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

/// LATENCY DOCTOR
fn doctor(ctx: &mut Ctx, _argv: &[&[u8]]) -> CmdResult {
    let report = doctor::report(ctx.server, ctx.now);
    ctx.out.verbatim(report.as_bytes());
    Ok(())
}

/// LATENCY GRAPH event
fn graph(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let Some((event, series)) = ctx.server.latency.events().find(|(name, _)| name.as_bytes() == argv[2]) else {
        return Err(CmdError::Owned(format!(
            "ERR No samples available for event '{}'",
            String::from_utf8_lossy(argv[2])
        )));
    };
    let chart = graph::render(event, series, ctx.now.div_euclid(1000));
    ctx.out.verbatim(chart.as_bytes());
    Ok(())
}

/// LATENCY HISTOGRAM [command [command ...]]
///
/// A map of command name to its calls and cumulative distribution. Named
/// commands come in the order given (a container brings its subcommands,
/// an unknown name nothing, a repeated one its entry again); without
/// names, every command that has a histogram.
fn histogram(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    let stats = &ctx.server.stats.commands;
    let recorded = |name: &str| stats.get(name).and_then(|s| s.latency.as_ref()).filter(|h| h.calls() > 0);
    let mut entries: Vec<(&'static str, &LatencyHistogram)> = Vec::new();
    if argv.len() == 2 {
        for spec in ctx.server.commands.iter() {
            for spec in std::iter::once(spec).chain(spec.subcommands) {
                entries.extend(recorded(spec.name).map(|h| (spec.name, h)));
            }
        }
        entries.sort_unstable_by_key(|(name, _)| *name);
    } else {
        for name in &argv[2..] {
            let Some(spec) = lookup_full_name(ctx, name) else { continue };
            for spec in std::iter::once(spec).chain(spec.subcommands) {
                entries.extend(recorded(spec.name).map(|h| (spec.name, h)));
            }
        }
    }
    ctx.out.map_len(entries.len());
    for (name, h) in entries {
        ctx.out.bulk_str(name);
        ctx.out.map_len(2);
        ctx.out.bulk_str("calls");
        ctx.out.int(h.calls() as i64);
        ctx.out.bulk_str("histogram_usec");
        let steps = h.cumulative_usec();
        ctx.out.map_len(steps.len());
        for (usec, calls) in steps {
            ctx.out.int(usec as i64);
            ctx.out.int(calls as i64);
        }
    }
    Ok(())
}

/// A command by its full name, `container|sub` for a subcommand (Redis's
/// `lookupCommandBySds`).
fn lookup_full_name(ctx: &Ctx, name: &[u8]) -> Option<&'static CommandSpec> {
    let mut parts = name.split(|&b| b == b'|');
    let base = ctx.server.commands.get(parts.next()?)?;
    match (parts.next(), parts.next()) {
        (None, _) => Some(base),
        (Some(sub), None) => subcommand(base, sub),
        _ => None,
    }
}

/// LATENCY HELP
fn help(ctx: &mut Ctx, argv: &[&[u8]]) -> CmdResult {
    reply_help(
        ctx.out,
        argv[0],
        &[
            "DOCTOR",
            "    Return a human readable latency analysis report.",
            "GRAPH <event>",
            "    Return an ASCII latency graph for the <event> class.",
            "HISTORY <event>",
            "    Return time-latency samples for the <event> class.",
            "LATEST",
            "    Return the latest latency samples for all events.",
            "RESET [<event> ...]",
            "    Reset latency data of one or more <event> classes.",
            "    (default: reset all data for all event classes)",
            "HISTOGRAM [COMMAND ...]",
            "    Return a cumulative distribution of latencies in the format of a histogram for the specified command names.",
            "    If no commands are specified then all histograms are replied.",
        ],
    );
    Ok(())
}
