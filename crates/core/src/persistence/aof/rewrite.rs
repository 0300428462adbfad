//! BGREWRITEAOF, Redis 7 style, without forking: when it starts the
//! databases are captured (as BGSAVE does, see
//! [`crate::persistence::snapshot`]) and a new incremental file is opened,
//! so every later command lands there; a Rust thread writes the capture
//! as the new base (an RDB file, `aof-use-rdb-preamble`). Once it is
//! on disk the manifest switches to the new base plus the files opened
//! since, and the old base and incremental files are deleted. A crash at
//! any point leaves a manifest naming complete files only.

use std::io;
use std::path::PathBuf;
use std::thread::JoinHandle;

use super::manifest::{Entry, Kind, Manifest};
use super::State;
use crate::engine::Server;
use crate::persistence::{snapshot, LogLevel};

/// Seconds to wait before retrying a failed rewrite Redis started on its own.
const RETRY_DELAY_MS: i64 = 5_000;

/// A rewrite under way.
pub struct Rewrite {
    thread: Option<JoinHandle<io::Result<u64>>>,
    pub started_ms: i64,
    temp: PathBuf,
    /// How many incremental files (from the front) the new base replaces.
    superseded_incrs: usize,
    last_try_ms: i64,
    /// "rdb" or "aof": what the new base holds.
    extension: &'static str,
}

impl Rewrite {
    /// Waits for the thread and removes its temporary file; the caller
    /// abandoned the capture first, so the thread is not waiting for it.
    pub fn abandon(&mut self) {
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        let _ = std::fs::remove_file(&self.temp);
    }
}

/// Starts a rewrite; the caller checked none runs.
pub fn start(server: &mut Server, now_ms: i64) -> Result<(), String> {
    let dir = super::dir_of(server);
    std::fs::create_dir_all(&dir).map_err(|e| format!("Can't create the AOF directory {}: {e}", dir.display()))?;
    let form = super::base::form_of(server, now_ms);
    let extension = form.extension();
    let a = &mut server.persistence.aof;
    a.dir = dir.clone();
    a.flush_and_sync()?;
    if a.state != State::Off {
        // Later commands go to a new file; only an `On` AOF lists it at once.
        let persist = a.state == State::On;
        a.open_new_incr(persist).map_err(|e| format!("Can't open a new AOF file: {e}"))?;
    }
    let superseded_incrs = a.manifest.incrs.len().saturating_sub(usize::from(a.state != State::Off));
    let temp = dir.join(format!("temp-rewriteaof-bg-{}.aof", std::process::id()));
    let target = temp.clone();
    // The capture begins after the switch to the new incremental file: the
    // base holds exactly what that file does not.
    let (channel, sizes) = snapshot::begin(server);
    let spawned = std::thread::Builder::new()
        .name("ferrokv-aof-rewrite".into())
        .spawn(move || super::base::write_captured(&target, &channel, sizes, &form));
    let thread = match spawned {
        Ok(t) => t,
        Err(e) => {
            snapshot::abandon(server);
            return Err(format!("Can't rewrite append only file in background: {e}"));
        }
    };
    let a = &mut server.persistence.aof;
    a.rewrite = Some(Rewrite {
        thread: Some(thread),
        started_ms: now_ms,
        temp,
        superseded_incrs,
        last_try_ms: now_ms,
        extension,
    });
    a.rewrite_scheduled = false;
    server.persistence.log(LogLevel::Notice, "Background append only file rewriting started");
    Ok(())
}

/// Finishes the rewrite whose thread is done (Redis's
/// `backgroundRewriteDoneHandler`); `wait` blocks until it is.
pub fn reap(server: &mut Server, now_ms: i64, wait: bool) {
    let a = &mut server.persistence.aof;
    let done = a.rewrite.as_ref().is_some_and(|r| r.thread.as_ref().is_none_or(|t| t.is_finished()));
    if !(done || (wait && a.rewrite.is_some())) {
        return;
    }
    // Waiting: the capture is walked to its end here. Done: a thread that
    // stopped early left it behind.
    if done {
        snapshot::abandon(server);
    } else {
        snapshot::complete(server);
    }
    let a = &mut server.persistence.aof;
    let Some(mut rw) = a.rewrite.take() else { return };
    let result = match rw.thread.take().map(JoinHandle::join) {
        Some(Ok(r)) => r.map_err(|e| e.to_string()),
        _ => Err("the rewriting thread panicked".into()),
    };
    a.last_rewrite_secs = (now_ms - rw.started_ms) / 1000;
    let outcome = result.and_then(|base_size| install(server, &rw, base_size));
    let a = &mut server.persistence.aof;
    match outcome {
        Ok(()) => {
            a.rewrites += 1;
            a.rewrite_failures = 0;
            a.last_rewrite_ok = true;
            if a.state == State::WaitRewrite {
                a.state = State::On;
            }
            server.persistence.log(LogLevel::Notice, "Background AOF rewrite finished successfully");
        }
        Err(e) => {
            let _ = std::fs::remove_file(&rw.temp);
            a.rewrite_failures += 1;
            a.last_rewrite_ok = false;
            if a.state == State::WaitRewrite {
                // Not on yet: drop the file opened for it and try again later.
                a.file = None;
                a.manifest.incrs.pop();
                a.state = State::Off;
            }
            a.rewrite = None;
            a.retry_after_ms = rw.last_try_ms + RETRY_DELAY_MS;
            server.persistence.log(LogLevel::Warning, format!("Background AOF rewrite failed: {e}"));
        }
    }
}

/// Moves the new base in place and switches the manifest to it.
fn install(server: &mut Server, rw: &Rewrite, base_size: u64) -> Result<(), String> {
    let a = &mut server.persistence.aof;
    let seq = a.manifest.next_base_seq();
    let name = a.base_name(seq, rw.extension);
    let dir = a.dir.clone();
    std::fs::rename(&rw.temp, dir.join(&name)).map_err(|e| format!("Can't rename the rewritten AOF: {e}"))?;
    let old = a.manifest.clone();
    let kept: Vec<Entry> = old.incrs.iter().skip(rw.superseded_incrs).cloned().collect();
    let next = Manifest { base: Some(Entry { name, seq, kind: Kind::Base }), incrs: kept, history: Vec::new() };
    super::manifest::write_atomically(&dir.join(a.manifest_name()), &next.render())
        .map_err(|e| format!("Can't persist the AOF manifest: {e}"))?;
    let stale = old.base.iter().chain(&old.history).chain(old.incrs.iter().take(rw.superseded_incrs));
    for e in stale {
        let _ = std::fs::remove_file(dir.join(&e.name));
    }
    let incr_bytes: u64 =
        next.incrs.iter().filter_map(|e| std::fs::metadata(dir.join(&e.name)).ok()).map(|m| m.len()).sum();
    a.manifest = next;
    a.base_size = base_size + incr_bytes;
    a.current_size = base_size + incr_bytes;
    Ok(())
}

/// `CONFIG SET appendonly yes` at runtime: AOF starts with a rewrite and is
/// on once it completes (Redis's `startAppendOnly`).
pub fn turn_on(server: &mut Server, now_ms: i64) {
    if now_ms < server.persistence.aof.retry_after_ms || server.persistence.aof.rewrite.is_some() {
        return;
    }
    let dir = super::dir_of(server);
    let a = &mut server.persistence.aof;
    a.dir = dir.clone();
    // Files already in the directory are replaced by this rewrite.
    a.manifest = std::fs::read_to_string(dir.join(a.manifest_name()))
        .ok()
        .and_then(|t| Manifest::parse(&t).ok())
        .unwrap_or_default();
    a.state = State::WaitRewrite;
    if server.persistence.bgsave_in_progress() {
        // One capture at a time: the rewrite starts once the save is done.
        server.persistence.aof.rewrite_scheduled = true;
        server.persistence.log(
            LogLevel::Notice,
            "AOF was enabled but there is already another background operation. An AOF background was scheduled to start when possible.",
        );
        return;
    }
    start_for_turn_on(server, now_ms);
}

/// Starts the rewrite that turns the AOF on; commands are logged from now.
fn start_for_turn_on(server: &mut Server, now_ms: i64) {
    server.persistence.propagation.enabled = true;
    if let Err(e) = start(server, now_ms) {
        let a = &mut server.persistence.aof;
        a.state = State::Off;
        a.rewrite_scheduled = false;
        a.file = None;
        a.retry_after_ms = now_ms + RETRY_DELAY_MS;
        server.persistence.propagation.enabled = false;
        server.persistence.log(
            LogLevel::Warning,
            format!("Redis needs to enable the AOF but can't trigger a background AOF rewrite operation: {e}"),
        );
    }
}

/// `CONFIG SET appendonly no`: stops appending (a rewrite in progress is
/// stopped and its temporary file removed).
pub fn turn_off(server: &mut Server) {
    if server.persistence.aof.rewrite.is_some() {
        snapshot::abandon(server);
    }
    let a = &mut server.persistence.aof;
    if let Some(mut rw) = a.rewrite.take() {
        rw.abandon();
    }
    a.close();
    server.persistence.propagation.enabled = false;
    server.persistence.propagation.pending.clear();
}

/// Reaps a finished rewrite; starts a scheduled one or one the growth
/// of the file calls for (`auto-aof-rewrite-percentage` / `-min-size`).
pub fn cron(server: &mut Server, now_ms: i64) {
    if server.persistence.aof.rewrite.is_some() {
        reap(server, now_ms, false);
        return;
    }
    if server.persistence.bgsave_in_progress() {
        return;
    }
    let a = &server.persistence.aof;
    let grown = a.state == State::On && a.auto_rewrite_perc > 0 && a.current_size > a.auto_rewrite_min_size && {
        let base = a.base_size.max(1);
        (a.current_size * 100 / base).saturating_sub(100) >= a.auto_rewrite_perc
    };
    if (a.rewrite_scheduled || grown) && now_ms >= a.retry_after_ms {
        let turning_on = a.state == State::WaitRewrite;
        if grown && !a.rewrite_scheduled {
            let growth = (a.current_size * 100 / a.base_size.max(1)).saturating_sub(100);
            server
                .persistence
                .log(LogLevel::Notice, format!("Starting automatic rewriting of AOF on {growth}% growth"));
        }
        if turning_on {
            start_for_turn_on(server, now_ms);
        } else if let Err(e) = start(server, now_ms) {
            let a = &mut server.persistence.aof;
            a.rewrite_failures += 1;
            a.last_rewrite_ok = false;
            a.rewrite_scheduled = false;
            a.retry_after_ms = now_ms + RETRY_DELAY_MS;
            server.persistence.log(LogLevel::Warning, e);
        }
    }
}

/// BGREWRITEAOF: the reply line, or the error.
pub fn bgrewriteaof(server: &mut Server, now_ms: i64) -> Result<&'static str, &'static str> {
    if server.persistence.aof.rewrite.is_some() {
        return Err("ERR Background append only file rewriting already in progress");
    }
    if server.persistence.bgsave_in_progress() {
        server.persistence.aof.rewrite_scheduled = true;
        return Ok("Background append only file rewriting scheduled");
    }
    match start(server, now_ms) {
        Ok(()) => Ok("Background append only file rewriting started"),
        Err(e) => {
            server.persistence.log(LogLevel::Warning, e);
            Err("ERR Can't execute an AOF background rewriting. Please check the server logs for more information.")
        }
    }
}
