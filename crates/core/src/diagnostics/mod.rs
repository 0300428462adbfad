//! What the server records about its own speed: the slow log (commands over
//! `slowlog-log-slower-than`), the latency monitor (events over
//! `latency-monitor-threshold`; `graph` and `doctor` present it) and
//! per-command latency histograms (`histogram`, under `latency-tracking`).
//! SLOWLOG, LATENCY and INFO latencystats read them back.

pub mod doctor;
pub mod graph;
pub mod histogram;
pub mod latency;
pub mod slowlog;
#[cfg(test)]
mod tests;

use crate::blocking::BlockedState;
use crate::client::Client;
use crate::command::spec::{flags, CommandSpec};
use crate::engine::Server;

/// The engine's one call after a command ran for `usec` microseconds, as
/// Redis's `call` records it: a latency sample for the "command" or
/// "fast-command" event, and a slow log entry. A command that blocked is
/// logged when it is unblocked ([`after_unblock`]).
pub fn after_command(server: &mut Server, client: &Client, spec: &CommandSpec, argv: &[&[u8]], usec: u64, now: i64) {
    if client.blocked.is_some() {
        return;
    }
    let event = if spec.has(flags::FAST) { "fast-command" } else { "command" };
    latency::sample_ms_if_over(server, event, usec / 1000, now);
    if !spec.has(flags::SKIP_SLOWLOG) {
        push_slowlog(server, client, argv, usec, now);
    }
}

/// A blocked command was served, timed out or unblocked: Redis logs it in
/// the slow log then, with the time its first call took.
pub fn after_unblock(server: &mut Server, client: &Client, state: &BlockedState) {
    let Some(spec) = state.argv.first().and_then(|name| server.commands.get(name)) else { return };
    if spec.has(flags::SKIP_SLOWLOG) {
        return;
    }
    let argv: Vec<&[u8]> = state.argv.iter().map(Vec::as_slice).collect();
    let now = server.clock.now_ms();
    push_slowlog(server, client, &argv, state.duration_us, now);
}

fn push_slowlog(server: &mut Server, client: &Client, argv: &[&[u8]], usec: u64, now: i64) {
    let config = &server.config;
    let (slower_than, max_len) = (config.slowlog_log_slower_than, config.slowlog_max_len);
    server.slowlog.push_if_slow(slower_than, max_len, usec, now, argv, client);
}
