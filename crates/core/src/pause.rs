//! CLIENT PAUSE: holding clients' commands for a while, as Redis 7.2 does.
//!
//! A paused command is not refused: it stays in its client's input buffer
//! (the client is "postponed", shown blocked in CLIENT LIST and counted in
//! `blocked_clients`), and everything the client sends after it waits too.
//! When the pause ends (its deadline on the engine clock passes, or CLIENT
//! UNPAUSE) the postponed clients are handed back to the host in the order
//! they were held, and it feeds them again.
//!
//! `WRITE` holds only commands that may change data or propagate (write
//! commands, PUBLISH, EVAL … and an EXEC queueing any of them; a script
//! declared `no-writes` is let through); `ALL` holds
//! every command, CLIENT UNPAUSE included. While either is on, expiry and
//! eviction are paused too (a key past its deadline reads as missing but
//! stays stored; no key is evicted and no OOM is given), so the dataset does
//! not change under a client that paused to read a consistent view.

use std::collections::VecDeque;

use crate::client::Client;
use crate::command::spec::{flags, CommandSpec};
use crate::engine::Server;
use crate::scripting::{script_flags, Scripting};

/// What a pause holds back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PauseMode {
    Write,
    All,
}

#[derive(Default)]
pub struct Pause {
    mode: Option<PauseMode>,
    /// Unix ms on the engine clock.
    end_ms: i64,
    /// Postponed clients' handles, first held first resumed.
    held: VecDeque<u32>,
}

impl Pause {
    /// CLIENT PAUSE: the newest mode wins, the later end wins (a shorter
    /// pause never cuts an earlier one short).
    pub fn start(&mut self, mode: PauseMode, end_ms: i64) {
        self.mode = Some(mode);
        self.end_ms = self.end_ms.max(end_ms);
    }

    /// The mode in force at `now`, if the pause has not run out.
    pub fn active(&self, now: i64) -> Option<PauseMode> {
        self.mode.filter(|_| now < self.end_ms)
    }

    /// Expiry and eviction wait while any pause is in force.
    pub fn holds_dataset(&self, now: i64) -> bool {
        self.active(now).is_some()
    }

    /// A pause was set and its end has passed (or nothing is held but a
    /// stale mode): time to let everyone go.
    pub fn ran_out(&self, now: i64) -> bool {
        self.mode.is_some() && now >= self.end_ms
    }

    /// Whether `spec` with `argv` (run by `client`) must wait under the
    /// pause at `now`; `scripting` tells what a script it runs declared.
    pub fn holds(&self, client: &Client, spec: &CommandSpec, argv: &[&[u8]], scripting: &Scripting, now: i64) -> bool {
        match self.active(now) {
            None => false,
            Some(PauseMode::All) => true,
            Some(PauseMode::Write) => {
                may_replicate(spec, argv, scripting) || (spec.name == "exec" && queue_may_replicate(client, scripting))
            }
        }
    }

    pub fn hold(&mut self, client: &mut Client) {
        client.postponed = true;
        self.held.push_back(client.handle);
    }

    /// Ends the pause; returns the handles to resume, in the order held.
    fn finish(&mut self) -> VecDeque<u32> {
        self.mode = None;
        self.end_ms = 0;
        std::mem::take(&mut self.held)
    }
}

/// Redis's test for WRITE pauses: a write, or a command flagged as one that
/// may replicate (PUBLISH, EVAL, PFCOUNT …). A script that declared its
/// flags replaces its command's: it may write unless it declared
/// `no-writes`, so a read-only script runs through the pause, as in Redis.
fn may_replicate(spec: &CommandSpec, argv: &[&[u8]], scripting: &Scripting) -> bool {
    if spec.has(flags::NO_MANDATORY_KEYS) {
        // Only EVAL, FCALL and their variants run scripts.
        if let Some(declared) = scripting.declared_flags(spec.name, argv) {
            return declared & script_flags::NO_WRITES == 0;
        }
    }
    spec.has(flags::WRITE) || spec.has(flags::MAY_REPLICATE)
}

/// Whether any command `client` queued for EXEC may replicate.
fn queue_may_replicate(client: &Client, scripting: &Scripting) -> bool {
    client.tx.queued().any(|q| {
        let args: Vec<&[u8]> = q.argv.iter().map(Vec::as_slice).collect();
        may_replicate(q.spec, &args, scripting)
    })
}

/// Redis's check before running a command: ends a pause that ran out, then
/// holds `client` (whose command is `spec` with `argv`) if the pause in
/// force covers it. True when held: the command stays in its input buffer.
pub(crate) fn postpones(
    server: &mut Server,
    clients: &mut [Option<Box<Client>>],
    client: &mut Client,
    spec: &'static CommandSpec,
    argv: &[&[u8]],
    now: i64,
) -> bool {
    end_if_over(server, clients, now);
    if !server.pause.holds(client, spec, argv, &server.scripting, now) {
        return false;
    }
    // CLIENT LIST shows the held command, as Redis does.
    client.last_cmd = spec.name;
    server.pause.hold(client);
    true
}

/// Ends a pause whose deadline has passed (the periodic tick calls it too).
pub(crate) fn end_if_over(server: &mut Server, clients: &mut [Option<Box<Client>>], now: i64) {
    if server.pause.ran_out(now) {
        end(server, clients);
    }
}

/// Ends the pause and queues every postponed client for the host to feed
/// again. `clients` is the engine's table (the caller's own client, if it is
/// out of the table, was not postponed: it is running a command).
pub(crate) fn end(server: &mut Server, clients: &mut [Option<Box<Client>>]) {
    hold_expiry(server, false);
    for handle in server.pause.finish() {
        // A handle reused by a newer connection is not flagged: skip it.
        if let Some(Some(c)) = clients.get_mut(handle as usize) {
            if c.postponed {
                c.postponed = false;
                server.events.resumes.push(handle);
            }
        }
    }
}

/// CLIENT PAUSE: holds commands as `mode` says until `end_ms`, and expiry
/// with them.
pub fn start(server: &mut Server, mode: PauseMode, end_ms: i64) {
    server.pause.start(mode, end_ms);
    hold_expiry(server, true);
}

/// Keys past their deadline stay stored (reading as missing) while held.
fn hold_expiry(server: &mut Server, held: bool) {
    for db in &mut server.dbs {
        db.expiry_held = held;
    }
}

/// Postponed clients, for INFO's `blocked_clients`.
pub fn postponed_count(clients: &[Option<Box<Client>>]) -> usize {
    clients.iter().flatten().filter(|c| c.postponed).count()
}
