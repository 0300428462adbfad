//! Writing files: SAVE on the calling thread, BGSAVE on a Rust thread.
//!
//! BGSAVE cannot fork the Node process. It captures the databases instead
//! (see [`super::snapshot`]) and writes what the capture sends on its own
//! thread while the server goes on serving: whatever is written afterwards
//! does not reach the file, exactly as with Redis's forked child, and
//! memory grows only by the keys in transit. Starting it only flips each
//! table's capture mark; [`Persistence::last_snapshot_pause_us`] records
//! that pause. A file is written under a temporary name in `dir` and
//! renamed over `dbfilename` only once complete and synced, so a crash or
//! an error never leaves a half-written dump in its place.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Instant;

use super::rdb::writer::{self, DbRef, RdbWriter, SaveOptions, SaveSummary};
use super::{saved_access, snapshot, LogLevel};
use crate::commands::REDIS_VERSION;
use crate::engine::Server;

/// Seconds between BGSAVE attempts after one failed (Redis's retry delay).
const RETRY_DELAY_MS: i64 = 5_000;

/// A BGSAVE under way.
pub struct BgSave {
    thread: Option<JoinHandle<io::Result<SaveSummary>>>,
    pub started_ms: i64,
    /// `dirty` when the snapshot was taken: what is left after it stays dirty.
    dirty_at_start: u64,
    keys_done: Arc<AtomicU64>,
    pub keys_total: u64,
    cancel: Arc<AtomicBool>,
}

impl BgSave {
    pub fn keys_done(&self) -> u64 {
        self.keys_done.load(Ordering::Relaxed)
    }

    pub fn percent_done(&self) -> f64 {
        if self.keys_total == 0 {
            0.0
        } else {
            self.keys_done() as f64 * 100.0 / self.keys_total as f64
        }
    }

    fn is_finished(&self) -> bool {
        self.thread.as_ref().is_none_or(|t| t.is_finished())
    }
}

pub(crate) fn options(server: &Server, now_ms: i64) -> SaveOptions {
    let p = &server.persistence;
    SaveOptions {
        compress: p.compress,
        checksum: p.checksum,
        access: saved_access(server),
        list_fill: server.config.encodings.list_max_listpack_size,
        now_ms,
        used_mem: server.memory_probe.map_or(0, |probe| probe() as u64),
        redis_version: REDIS_VERSION,
        aof_base: false,
    }
}

/// A name in `dir` no other save (of this or another engine) uses.
fn temp_path(dir: &Path) -> PathBuf {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    dir.join(format!("temp-{}-{n}.rdb", std::process::id()))
}

/// Writes a file to a temporary name, syncs it and renames it to `target`.
fn write_file(target: &Path, write: impl FnOnce(&File) -> io::Result<SaveSummary>) -> io::Result<SaveSummary> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let temp = temp_path(dir);
    let result = (|| {
        let file = File::create(&temp)?;
        let summary = write(&file)?;
        file.sync_all()?;
        std::fs::rename(&temp, target)?;
        // The rename itself must survive a crash.
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
        Ok(summary)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

/// Redis's `rdbSave`: writes the file now, on this thread. On success the
/// change counter restarts and LASTSAVE moves.
pub fn save_now(server: &mut Server, now_ms: i64) -> Result<SaveSummary, String> {
    let opts = options(server, now_ms);
    let path = server.persistence.path();
    let result = write_file(&path, |file| writer::write(file, &DbRef::all(&server.dbs), &opts));
    let p = &mut server.persistence;
    match result {
        Ok(summary) => {
            server.stats.dirty = 0;
            server.lastsave = now_ms / 1000;
            p.last_bgsave_ok = true;
            p.saves += 1;
            p.log(LogLevel::Notice, "DB saved on disk");
            Ok(summary)
        }
        Err(e) => {
            let msg = format!("Failed saving the DB: {e}");
            p.log(LogLevel::Warning, msg.clone());
            Err(msg)
        }
    }
}

/// Redis's `rdbSaveBackground`: snapshots the databases and writes them on
/// a new thread. The caller checked that none is running.
pub fn start_bgsave(server: &mut Server, now_ms: i64) -> Result<(), String> {
    let pause = Instant::now();
    let (channel, sizes) = snapshot::begin(server);
    let pause_us = pause.elapsed().as_micros() as u64;
    let keys_total = sizes.iter().map(|&(_, keys, _)| keys).sum();
    let opts = options(server, now_ms);
    let path = server.persistence.path();
    let keys_done = Arc::new(AtomicU64::new(0));
    let cancel = Arc::new(AtomicBool::new(false));
    let (done, stop) = (keys_done.clone(), cancel.clone());
    let spawned = std::thread::Builder::new().name("ferrokv-bgsave".into()).spawn(move || {
        write_file(&path, |file| {
            let mut w = RdbWriter::new(file, &opts, sizes);
            let keys = snapshot::drain(&channel, &mut w, |n| {
                done.store(n, Ordering::Relaxed);
                !stop.load(Ordering::Relaxed)
            })?;
            done.store(keys, Ordering::Relaxed);
            w.finish()
        })
    });
    let thread = match spawned {
        Ok(t) => t,
        Err(e) => {
            snapshot::abandon(server);
            return Err(format!("Can't save in background: {e}"));
        }
    };
    let p = &mut server.persistence;
    p.last_bgsave_try_ms = now_ms;
    p.last_snapshot_pause_us = pause_us;
    p.bgsave = Some(BgSave {
        thread: Some(thread),
        started_ms: now_ms,
        dirty_at_start: server.stats.dirty,
        keys_done,
        keys_total,
        cancel,
    });
    p.log(LogLevel::Notice, format!("Background saving started (capture of {keys_total} keys began in {pause_us} us)"));
    Ok(())
}

/// Finishes a BGSAVE whose thread is done: Redis's `backgroundSaveDoneHandler`.
pub fn reap(server: &mut Server, now_ms: i64) {
    if server.persistence.bgsave.as_ref().is_some_and(BgSave::is_finished) {
        finish(server, now_ms);
    }
}

/// Waits for a running BGSAVE to finish (tests, DEBUG), walking its
/// capture to the end here.
pub fn wait_bgsave(server: &mut Server, now_ms: i64) {
    if server.persistence.bgsave.is_some() {
        snapshot::complete(server);
        finish(server, now_ms);
    }
}

fn finish(server: &mut Server, now_ms: i64) {
    let Some(mut bg) = server.persistence.bgsave.take() else { return };
    // A thread that stopped early left the capture behind.
    snapshot::abandon(server);
    let result = match bg.thread.take().map(JoinHandle::join) {
        Some(Ok(r)) => r,
        Some(Err(_)) => Err(io::Error::other("the saving thread panicked")),
        None => Err(io::Error::other("no saving thread")),
    };
    let p = &mut server.persistence;
    p.last_bgsave_secs = (now_ms - bg.started_ms) / 1000;
    match result {
        Ok(_) => {
            server.stats.dirty = server.stats.dirty.saturating_sub(bg.dirty_at_start);
            server.lastsave = now_ms / 1000;
            p.last_bgsave_ok = true;
            p.saves += 1;
            p.log(LogLevel::Notice, "Background saving terminated with success");
        }
        Err(e) => {
            p.last_bgsave_ok = false;
            p.log(LogLevel::Warning, format!("Background saving error: {e}"));
        }
    }
}

/// The save a shutdown makes: a running BGSAVE is stopped first. While a
/// file is still loading nothing is written, since the half-loaded data
/// would replace the very file being read.
pub fn save_for_shutdown(server: &mut Server, now_ms: i64) -> Result<(), String> {
    kill_bgsave(server);
    if server.persistence.is_loading() {
        server.persistence.log(LogLevel::Warning, "Not saving: the dataset is still loading.");
        return Ok(());
    }
    save_now(server, now_ms).map(|_| ())
}

/// After FLUSHALL (Redis's `flushAllDataAndResetRDB`): a running BGSAVE
/// would write the keys just flushed, so it stops; with save points set,
/// the empty dataset is saved at once, so a restart does not bring the
/// keys back.
pub fn reset_after_flushall(server: &mut Server, now_ms: i64) {
    kill_bgsave(server);
    if !server.persistence.save_points.is_empty() && !server.persistence.is_loading() {
        // A failure is logged and shows in INFO, as after any SAVE.
        let _ = save_now(server, now_ms);
    }
}

/// Stops a running BGSAVE (shutdown): its temporary file is removed.
pub fn kill_bgsave(server: &mut Server) {
    if let Some(mut bg) = server.persistence.bgsave.take() {
        snapshot::abandon(server);
        bg.cancel.store(true, Ordering::Relaxed);
        if let Some(t) = bg.thread.take() {
            let _ = t.join();
        }
        server.persistence.log(LogLevel::Warning, "There is a child saving an .rdb. Killing it!");
    }
}

/// Starts the BGSAVE that BGSAVE SCHEDULE asked for, once no other
/// background job runs (after a failed save, not before the retry delay).
pub fn start_scheduled(server: &mut Server, now_ms: i64) {
    let p = &server.persistence;
    if !p.bgsave_scheduled || !(p.last_bgsave_ok || now_ms - p.last_bgsave_try_ms > RETRY_DELAY_MS) {
        return;
    }
    server.persistence.bgsave_scheduled = false;
    if let Err(e) = start_bgsave(server, now_ms) {
        server.persistence.last_bgsave_ok = false;
        server.persistence.log(LogLevel::Warning, e);
    }
}

/// Starts a BGSAVE when a save point calls for it (Redis's `serverCron`):
/// `save S C` fires once S seconds passed since the last save with at least
/// C changes; after a failed one, not before the retry delay.
pub fn start_on_save_point(server: &mut Server, now_ms: i64) {
    let p = &server.persistence;
    let retry_ok = p.last_bgsave_ok || now_ms - p.last_bgsave_try_ms > RETRY_DELAY_MS;
    let since = now_ms / 1000 - server.lastsave;
    let dirty = server.stats.dirty;
    let Some((secs, changes)) =
        p.save_points.iter().find(|&&(secs, changes)| dirty >= changes && since >= secs && retry_ok).copied()
    else {
        return;
    };
    server.persistence.log(LogLevel::Notice, format!("{changes} changes in {secs} seconds. Saving..."));
    if let Err(e) = start_bgsave(server, now_ms) {
        server.persistence.last_bgsave_ok = false;
        server.persistence.log(LogLevel::Warning, e);
    }
}
