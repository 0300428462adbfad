//! Propagation: what a write command leaves in the append-only file.
//!
//! Redis logs every command that changed data in a form whose replay gives
//! the same result (its `call()` / `alsoPropagate` machinery). Here:
//!
//! - By default a command that bumped `ctx.dirty` is logged as it was sent.
//! - A command whose effect depends on time, randomness or state it did not
//!   write calls [`Ctx::propagate_as`] with the form to log instead
//!   (`SPOP` → `SREM`, `EXPIRE` → `PEXPIREAT` …), or [`Ctx::propagate_none`]
//!   when nothing should be logged.
//! - [`Ctx::also_propagate`] adds a further command (logged before the
//!   command's own form, as Redis's `alsoPropagate` queue is).
//! - A command that runs others through [`crate::engine::call`] (EXEC, and
//!   scripts' `redis.call`) logs nothing of its own: the commands it ran are
//!   logged, wrapped in MULTI/EXEC, so a script's effects replicate as its
//!   writes (effects replication) with no extra work.
//! - Keys the server deletes on its own (expiry, eviction) are logged as
//!   DEL where it happens ([`note_removed`]).
//!
//! Everything a top-level command (or a tick) produced is one unit: on its
//! end [`commit`] hands it to the AOF buffer, with SELECT when the
//! database changes and MULTI/EXEC around a unit of more than one command.
//! While AOF is off none of this records anything.
//!
//! For a family handler, after the write and `ctx.dirty(n)`:
//!
//! ```text
//! // nothing to do when the command as sent replays to the same result;
//! ctx.propagate_as(&[b"PEXPIREAT", key, at.as_bytes()]); // another form
//! ctx.propagate_none();                                   // nothing at all
//! ctx.also_propagate(&[b"SREM", key, member]);           // one more command
//! if ctx.propagating() { /* collect what the form needs */ }
//! ctx.propagate_batches(b"SREM", key, &members);          // SPOP count
//! ```
//!
//! For scripting: run every `redis.call` / `redis.pcall` through
//! [`crate::engine::call`] (nested under the EVAL/FCALL call) and the
//! script's writes are logged as themselves, in MULTI/EXEC when more than
//! one, while EVAL itself is not; a script that must log something else
//! calls the same `Ctx` methods on the script's context. Writes made
//! without `call` are not seen, except through `ctx.dirty`, which would log
//! the EVAL as sent: avoid that for non-deterministic scripts.

use crate::engine::{Ctx, Server};
use crate::notify::class;

/// One logged command and the database it ran in.
pub type Op = (usize, Vec<Vec<u8>>);

/// What the running call asked to log instead of its own arguments.
#[derive(Default)]
pub struct Frame {
    replace: Option<Vec<Vec<u8>>>,
    none: bool,
    /// Pending commands added by calls nested in this one.
    nested: bool,
    dirty_before: u64,
    db: usize,
}

/// The propagation state of a server.
#[derive(Default)]
pub struct Propagation {
    /// Record anything at all (AOF is on).
    pub enabled: bool,
    /// Commands of the current unit, in order.
    pub pending: Vec<Op>,
    frame: Frame,
}

fn owned(argv: &[&[u8]]) -> Vec<Vec<u8>> {
    argv.iter().map(|a| a.to_vec()).collect()
}

impl Ctx<'_> {
    /// Logs `argv` instead of the command as sent (Redis's
    /// `rewriteClientCommandVector`). Logged even if `dirty` did not move.
    pub fn propagate_as(&mut self, argv: &[&[u8]]) {
        let p = &mut self.server.persistence.propagation;
        if p.enabled {
            p.frame.replace = Some(owned(argv));
            p.frame.none = false;
        }
    }

    /// Logs nothing for this command (its effects, if any, were logged by
    /// `also_propagate`).
    pub fn propagate_none(&mut self) {
        let p = &mut self.server.persistence.propagation;
        p.frame.none = true;
        p.frame.replace = None;
    }

    /// Logs `argv` (in this client's database) in addition to the command.
    pub fn also_propagate(&mut self, argv: &[&[u8]]) {
        let db = self.client.db;
        let p = &mut self.server.persistence.propagation;
        if p.enabled {
            p.pending.push((db, owned(argv)));
        }
    }

    /// Whether anything is being logged: a command that must collect data
    /// to build its logged form (SPOP's members) checks first.
    #[inline]
    pub fn propagating(&self) -> bool {
        self.server.persistence.propagation.enabled
    }

    /// Logs `cmd key item…` commands of at most 1024 items each instead of
    /// the command (SPOP with a count → SREM, as Redis batches them).
    pub fn propagate_batches(&mut self, cmd: &[u8], key: &[u8], items: &[Vec<u8>]) {
        if !self.propagating() {
            return;
        }
        self.propagate_none();
        for chunk in items.chunks(1024) {
            let mut argv: Vec<&[u8]> = vec![cmd, key];
            argv.extend(chunk.iter().map(Vec::as_slice));
            self.also_propagate(&argv);
        }
    }

    /// `also_propagate` in another database (MOVE/COPY targets).
    pub fn also_propagate_in(&mut self, db: usize, argv: &[&[u8]]) {
        let p = &mut self.server.persistence.propagation;
        if p.enabled {
            p.pending.push((db, owned(argv)));
        }
    }
}

/// Starts a call: returns the caller's frame, to hand back to [`leave`].
/// A top-level command first commits what the server logged on its own
/// since the last one (keys expired after it replied), as a unit apart.
#[inline]
pub fn enter(server: &mut Server, db: usize, outermost: bool) -> Frame {
    if outermost && !server.persistence.propagation.pending.is_empty() {
        commit(server);
    }
    let dirty_before = server.stats.dirty;
    std::mem::replace(&mut server.persistence.propagation.frame, Frame { dirty_before, db, ..Frame::default() })
}

/// Ends a call with `args`: queues its logged form and restores the
/// caller's frame; `unit_done` (a top-level command that finished) commits
/// the unit.
#[inline]
pub fn leave(server: &mut Server, args: &[&[u8]], caller: Frame, unit_done: bool) {
    let dirty = server.stats.dirty;
    let p = &mut server.persistence.propagation;
    let frame = std::mem::replace(&mut p.frame, caller);
    if !p.enabled {
        return;
    }
    let own = if frame.none {
        None
    } else if let Some(argv) = frame.replace {
        Some(argv)
    } else if dirty > frame.dirty_before && !frame.nested {
        Some(owned(args))
    } else {
        None
    };
    if let Some(argv) = own {
        p.pending.push((frame.db, argv));
    }
    if unit_done {
        commit(server);
    } else {
        p.frame.nested = true;
    }
}

/// A key the server removed on its own: expired keys and evicted ones are
/// logged as DEL, or UNLINK under `lazyfree-lazy-expire` /
/// `lazyfree-lazy-eviction`, as Redis's `propagateDeletion` does.
#[inline]
pub fn note_removed(server: &mut Server, db: usize, event_class: u32, key: &[u8]) {
    let p = &mut server.persistence;
    if !p.propagation.enabled || event_class & (class::EXPIRED | class::EVICTED) == 0 {
        return;
    }
    let lazy = if event_class & class::EXPIRED != 0 { p.aof.lazy_expire } else { p.aof.lazy_eviction };
    let cmd: &[u8] = if lazy { b"UNLINK" } else { b"DEL" };
    p.propagation.pending.push((db, vec![cmd.to_vec(), key.to_vec()]));
}

/// Hands the unit to the AOF buffer.
pub fn commit(server: &mut Server) {
    let p = &mut server.persistence;
    if p.propagation.pending.is_empty() {
        return;
    }
    let ops = std::mem::take(&mut p.propagation.pending);
    let wrap = ops.len() > 1 && !ops.iter().any(|(_, argv)| argv[0].eq_ignore_ascii_case(b"multi"));
    let first_db = ops[0].0;
    if wrap {
        p.aof.append(first_db, &[b"MULTI".as_slice()]);
    }
    for (db, argv) in &ops {
        let args: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
        p.aof.append(*db, &args);
    }
    if wrap {
        let last_db = ops[ops.len() - 1].0;
        p.aof.append(last_db, &[b"EXEC".as_slice()]);
    }
    p.propagation.pending = ops;
    p.propagation.pending.clear();
}

/// Encodes `argv` as a RESP array of bulk strings.
pub fn encode(out: &mut Vec<u8>, argv: &[&[u8]]) {
    out.push(b'*');
    out.extend_from_slice(argv.len().to_string().as_bytes());
    out.extend_from_slice(b"\r\n");
    for a in argv {
        out.push(b'$');
        out.extend_from_slice(a.len().to_string().as_bytes());
        out.extend_from_slice(b"\r\n");
        out.extend_from_slice(a);
        out.extend_from_slice(b"\r\n");
    }
}
