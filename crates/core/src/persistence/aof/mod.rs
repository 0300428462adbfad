//! The append-only file, as Redis 7 lays it out: a directory
//! (`appenddirname`) holding a base file (an RDB snapshot,
//! `<appendfilename>.<n>.base.rdb`), incremental files of commands
//! (`<appendfilename>.<n>.incr.aof`) and the manifest naming them.
//!
//! - Commands reach [`Aof::append`] from [`super::propagate`] and wait in
//!   a buffer; [`Aof::flush`] writes it (the host calls it once per
//!   event-loop turn, before it sends the replies of that turn).
//! - `appendfsync always`: that flush also fdatasyncs, once for every
//!   connection's writes of the turn (group commit); the host holds the
//!   replies until it returns. `everysec`: a background thread syncs the
//!   file once a second when something was written. `no`: the OS decides.
//! - [`load`] reads the files at startup on a thread, then replays them in
//!   slices (clients get `-LOADING` meanwhile); [`rewrite`] is BGREWRITEAOF.

pub mod base;
pub mod check;
pub mod load;
pub mod manifest;
pub mod rewrite;
pub mod scan;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::propagate;
use manifest::{Entry, Kind, Manifest};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fsync {
    Always,
    EverySec,
    No,
}

/// Whether AOF runs: Redis's `aof_state`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Off,
    On,
    /// Turned on at runtime: on once its first rewrite completes.
    WaitRewrite,
}

/// The everysec thread: syncs the current file when something was written.
struct EverySec {
    file: Arc<Mutex<Option<File>>>,
    written: Arc<AtomicBool>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl EverySec {
    fn start() -> EverySec {
        let file: Arc<Mutex<Option<File>>> = Arc::new(Mutex::new(None));
        let written = Arc::new(AtomicBool::new(false));
        let stop = Arc::new(AtomicBool::new(false));
        let (f, w, s) = (file.clone(), written.clone(), stop.clone());
        let thread = std::thread::Builder::new()
            .name("ferrokv-aof-fsync".into())
            .spawn(move || {
                // Naps of 100 ms so a stop is noticed quickly; a sync at most
                // once a second, and only after writes.
                let mut naps = 0u32;
                while !s.load(Ordering::Relaxed) {
                    std::thread::sleep(Duration::from_millis(100));
                    naps += 1;
                    if naps < 10 {
                        continue;
                    }
                    naps = 0;
                    if w.swap(false, Ordering::AcqRel) {
                        if let Some(file) = f.lock().ok().and_then(|g| g.as_ref().and_then(|f| f.try_clone().ok())) {
                            let _ = file.sync_data();
                        }
                    }
                }
            })
            .ok();
        EverySec { file, written, stop, thread }
    }
}

impl Drop for EverySec {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// AOF settings and state.
pub struct Aof {
    /// `appendonly`.
    pub wanted: bool,
    pub filename: String,
    pub dirname: String,
    pub fsync: Fsync,
    pub load_truncated: bool,
    pub use_rdb_preamble: bool,
    pub auto_rewrite_perc: u64,
    pub auto_rewrite_min_size: u64,
    pub state: State,
    /// Commands not yet written.
    pub buf: Vec<u8>,
    /// Bytes written but not yet synced (`always` syncs them at the flush).
    unsynced: bool,
    file: Option<File>,
    /// Length of `file`: where the next write lands.
    file_len: u64,
    /// `lazyfree-lazy-expire` / `lazyfree-lazy-eviction`: removed keys log as UNLINK.
    pub lazy_expire: bool,
    pub lazy_eviction: bool,
    pub manifest: Manifest,
    /// The startup load under way (see [`load::step`]).
    pub(crate) replay: Option<Box<load::Replay>>,
    selected_db: Option<usize>,
    /// Size of every file in the manifest (Redis's aof_current_size).
    pub current_size: u64,
    /// The size after the last rewrite (aof_base_size).
    pub base_size: u64,
    everysec: Option<EverySec>,
    pub rewrite: Option<rewrite::Rewrite>,
    pub rewrite_scheduled: bool,
    pub last_write_ok: bool,
    pub last_write_error: Option<String>,
    pub last_rewrite_ok: bool,
    pub last_rewrite_secs: i64,
    pub rewrites: u64,
    pub rewrite_failures: u64,
    /// Directory the host resolved `dir` to (set by [`Aof::open`]).
    dir: PathBuf,
    /// Set once startup is done: from then on `appendonly` changes apply.
    pub started: bool,
    /// No rewrite starts on its own before this (unix ms), after a failure.
    pub retry_after_ms: i64,
}

impl Default for Aof {
    fn default() -> Self {
        Aof {
            wanted: false,
            filename: "appendonly.aof".into(),
            dirname: "appendonlydir".into(),
            fsync: Fsync::EverySec,
            load_truncated: true,
            use_rdb_preamble: true,
            auto_rewrite_perc: 100,
            auto_rewrite_min_size: 64 << 20,
            state: State::Off,
            buf: Vec::new(),
            unsynced: false,
            file: None,
            file_len: 0,
            lazy_expire: false,
            lazy_eviction: false,
            manifest: Manifest::default(),
            replay: None,
            selected_db: None,
            current_size: 0,
            base_size: 0,
            everysec: None,
            rewrite: None,
            rewrite_scheduled: false,
            last_write_ok: true,
            last_write_error: None,
            last_rewrite_ok: true,
            last_rewrite_secs: -1,
            rewrites: 0,
            rewrite_failures: 0,
            dir: PathBuf::from("."),
            started: false,
            retry_after_ms: 0,
        }
    }
}

fn yes(v: &str) -> bool {
    v.eq_ignore_ascii_case("yes")
}

impl Aof {
    pub fn configure(&mut self, name: &str, value: &str) {
        match name {
            "appendonly" => self.wanted = yes(value),
            "appendfilename" => self.filename = value.to_string(),
            "appenddirname" => self.dirname = value.to_string(),
            "appendfsync" => {
                self.fsync = match value {
                    "always" => Fsync::Always,
                    "no" => Fsync::No,
                    _ => Fsync::EverySec,
                };
                self.sync_thread_matches_policy();
            }
            "aof-load-truncated" => self.load_truncated = yes(value),
            "lazyfree-lazy-expire" => self.lazy_expire = yes(value),
            "lazyfree-lazy-eviction" => self.lazy_eviction = yes(value),
            "aof-use-rdb-preamble" => self.use_rdb_preamble = yes(value),
            "auto-aof-rewrite-percentage" => self.auto_rewrite_perc = value.parse().unwrap_or(100),
            "auto-aof-rewrite-min-size" => self.auto_rewrite_min_size = value.parse().unwrap_or(64 << 20),
            _ => {}
        }
    }

    pub fn is_on(&self) -> bool {
        self.state != State::Off
    }

    /// The AOF directory under `dir`.
    pub fn dir_path(&self, dir: &std::path::Path) -> PathBuf {
        dir.join(&self.dirname)
    }

    pub fn manifest_name(&self) -> String {
        format!("{}.manifest", self.filename)
    }

    /// `extension`: "rdb" for an RDB base, "aof" for one of commands.
    pub fn base_name(&self, seq: u64, extension: &str) -> String {
        format!("{}.{seq}.base.{extension}", self.filename)
    }

    pub fn incr_name(&self, seq: u64) -> String {
        format!("{}.{seq}.incr.aof", self.filename)
    }

    /// Queues one command; SELECT first when it runs in another database.
    pub fn append(&mut self, db: usize, argv: &[&[u8]]) {
        if self.selected_db != Some(db) {
            let n = db.to_string();
            propagate::encode(&mut self.buf, &[b"SELECT", n.as_bytes()]);
            self.selected_db = Some(db);
        }
        propagate::encode(&mut self.buf, argv);
    }

    /// Whether the host must flush: 0 nothing, 1 a write, 2 a write and a
    /// sync that replies of this turn must wait for (`always`).
    pub fn pending(&self) -> u32 {
        if self.buf.is_empty() && !self.unsynced {
            0
        } else if self.fsync == Fsync::Always {
            2
        } else {
            1
        }
    }

    /// Writes the buffer to the current incremental file; with `always`
    /// also fdatasyncs it. An error is kept for INFO and returned.
    pub fn flush(&mut self) -> Result<(), String> {
        if self.buf.is_empty() && !self.unsynced {
            return Ok(());
        }
        let Some(file) = self.file.as_mut() else {
            // Turned on, no file yet (cannot happen once open): keep nothing.
            self.buf.clear();
            return Ok(());
        };
        let result = (|| {
            if !self.buf.is_empty() {
                if let Err(e) = file.write_all(&self.buf) {
                    // A partial write would be replayed twice after the
                    // retry: cut the file back to where this write began.
                    let _ = file.set_len(self.file_len);
                    return Err(e);
                }
                self.file_len += self.buf.len() as u64;
                self.current_size += self.buf.len() as u64;
                self.buf.clear();
                if self.buf.capacity() > 4 << 20 {
                    // A burst should not pin its buffer forever.
                    self.buf.shrink_to(64 << 10);
                }
                self.unsynced = true;
            }
            match self.fsync {
                Fsync::Always => {
                    file.sync_data()?;
                    self.unsynced = false;
                }
                Fsync::EverySec => {
                    if let Some(t) = &self.everysec {
                        t.written.store(true, Ordering::Release);
                    }
                    self.unsynced = false;
                }
                Fsync::No => self.unsynced = false,
            }
            Ok::<(), std::io::Error>(())
        })();
        match result {
            Ok(()) => {
                self.last_write_ok = true;
                Ok(())
            }
            Err(e) => {
                self.last_write_ok = false;
                self.last_write_error = Some(e.to_string());
                Err(format!("Error writing to the AOF file: {e}"))
            }
        }
    }

    /// Writes and syncs whatever is buffered, whatever the policy
    /// (shutdown, before a rewrite switches files).
    pub fn flush_and_sync(&mut self) -> Result<(), String> {
        self.flush()?;
        if let Some(f) = &self.file {
            f.sync_data().map_err(|e| format!("Error syncing the AOF file: {e}"))?;
        }
        Ok(())
    }

    fn sync_thread_matches_policy(&mut self) {
        let want = self.fsync == Fsync::EverySec && self.file.is_some();
        if want && self.everysec.is_none() {
            let t = EverySec::start();
            *t.file.lock().expect("fsync lock") = self.file.as_ref().and_then(|f| f.try_clone().ok());
            self.everysec = Some(t);
        } else if !want {
            self.everysec = None;
        }
    }

    /// Makes `path` the file commands are appended to.
    fn use_file(&mut self, path: &std::path::Path) -> std::io::Result<()> {
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        self.file_len = file.metadata()?.len();
        self.file = Some(file);
        // A new file starts with no database selected.
        self.selected_db = None;
        if let Some(t) = &self.everysec {
            *t.file.lock().expect("fsync lock") = self.file.as_ref().and_then(|f| f.try_clone().ok());
        } else {
            self.sync_thread_matches_policy();
        }
        Ok(())
    }

    /// Stops appending (`CONFIG SET appendonly no`, shutdown): flushes,
    /// syncs and closes the file.
    pub fn close(&mut self) {
        let _ = self.flush_and_sync();
        self.file = None;
        self.everysec = None;
        self.state = State::Off;
        self.selected_db = None;
    }

    fn manifest_path(&self) -> PathBuf {
        self.dir.join(self.manifest_name())
    }

    fn persist_manifest(&self) -> std::io::Result<()> {
        manifest::write_atomically(&self.manifest_path(), &self.manifest.render())
    }

    /// Opens a new incremental file (the next seq) and makes it current;
    /// the manifest lists it when `persist`.
    fn open_new_incr(&mut self, persist: bool) -> std::io::Result<()> {
        let seq = self.manifest.next_incr_seq();
        let name = self.incr_name(seq);
        self.use_file(&self.dir.join(&name))?;
        self.manifest.incrs.push(Entry { name, seq, kind: Kind::Incr });
        if persist {
            self.persist_manifest()?;
        }
        Ok(())
    }
}

/// The AOF directory of a server.
pub fn dir_of(server: &crate::engine::Server) -> PathBuf {
    let p = &server.persistence;
    p.aof.dir_path(&p.dir)
}

/// INFO persistence's aof_* fields, in Redis's order.
pub fn info_fields(server: &crate::engine::Server, now_ms: i64) -> super::InfoFields {
    let a = &server.persistence.aof;
    let rw = a.rewrite.as_ref();
    let mut v: super::InfoFields = vec![
        ("aof_enabled", ((a.state != State::Off) as u8).to_string()),
        ("aof_rewrite_in_progress", (rw.is_some() as u8).to_string()),
        ("aof_rewrite_scheduled", (a.rewrite_scheduled as u8).to_string()),
        ("aof_last_rewrite_time_sec", a.last_rewrite_secs.to_string()),
        ("aof_current_rewrite_time_sec", rw.map_or(-1, |r| (now_ms - r.started_ms) / 1000).to_string()),
        ("aof_last_bgrewrite_status", if a.last_rewrite_ok { "ok" } else { "err" }.into()),
        ("aof_rewrites", a.rewrites.to_string()),
        ("aof_rewrites_consecutive_failures", a.rewrite_failures.to_string()),
        ("aof_last_write_status", if a.last_write_ok { "ok" } else { "err" }.into()),
        ("aof_last_cow_size", "0".into()),
        ("module_fork_in_progress", "0".into()),
        ("module_fork_last_cow_size", "0".into()),
    ];
    if a.state != State::Off {
        v.extend([
            ("aof_current_size", a.current_size.to_string()),
            ("aof_base_size", a.base_size.to_string()),
            ("aof_pending_rewrite", "0".into()),
            ("aof_buffer_length", a.buf.len().to_string()),
            ("aof_pending_bio_fsync", "0".into()),
            ("aof_delayed_fsync", "0".into()),
        ]);
    }
    v
}

/// Periodic work: writes what the host did not flush, applies `appendonly`
/// changes, reaps and starts rewrites.
pub fn cron(server: &mut crate::engine::Server, now_ms: i64) {
    let a = &mut server.persistence.aof;
    if !a.started {
        return;
    }
    if a.is_on() {
        if let Err(e) = a.flush() {
            server.persistence.log(super::LogLevel::Warning, e);
        }
    }
    let a = &server.persistence.aof;
    if a.wanted && a.state == State::Off {
        rewrite::turn_on(server, now_ms);
    } else if !a.wanted && a.state != State::Off {
        rewrite::turn_off(server);
    }
    rewrite::cron(server, now_ms);
}

/// After the startup load: with `appendonly yes` opens the AOF for
/// appending, creating the directory, a base file of what is in memory and
/// the first incremental file when there is no AOF yet (as Redis 7 does on
/// start), or appending to the last incremental file of the loaded one.
pub fn open_at_startup(server: &mut crate::engine::Server, now_ms: i64) -> Result<(), String> {
    server.persistence.aof.started = true;
    if !server.persistence.aof.wanted {
        return Ok(());
    }
    let dir = dir_of(server);
    std::fs::create_dir_all(&dir).map_err(|e| format!("Can't create the AOF directory {}: {e}", dir.display()))?;
    let form = base::form_of(server, now_ms);
    let refs = crate::persistence::rdb::writer::DbRef::all(&server.dbs);
    let a = &mut server.persistence.aof;
    a.dir = dir.clone();
    let fail = |e: std::io::Error| format!("Can't open the append-only file: {e}");
    if a.manifest.base.is_none() && a.manifest.incrs.is_empty() {
        let name = a.base_name(1, form.extension());
        let temp = dir.join(format!("temp-{}.base", std::process::id()));
        base::write(&temp, &refs, &form).map_err(fail)?;
        std::fs::rename(&temp, dir.join(&name)).map_err(fail)?;
        a.manifest.base = Some(Entry { name: name.clone(), seq: 1, kind: Kind::Base });
        a.open_new_incr(true).map_err(fail)?;
        server.persistence.log(super::LogLevel::Notice, format!("Creating AOF base file {name} on server start"));
    } else if let Some(last) = a.manifest.incrs.last() {
        let path = dir.join(&last.name);
        a.use_file(&path).map_err(fail)?;
    } else {
        a.open_new_incr(true).map_err(fail)?;
    }
    let a = &mut server.persistence.aof;
    let size: u64 = a.manifest.files().filter_map(|e| std::fs::metadata(dir.join(&e.name)).ok()).map(|m| m.len()).sum();
    a.current_size = size;
    a.base_size = size;
    a.state = State::On;
    server.persistence.propagation.enabled = true;
    Ok(())
}

/// Before exiting: writes and syncs what is buffered, and waits for no
/// rewrite (its temporary file is removed).
pub fn shutdown(server: &mut crate::engine::Server) -> Result<(), String> {
    if server.persistence.aof.rewrite.is_some() {
        crate::persistence::snapshot::abandon(server);
    }
    let a = &mut server.persistence.aof;
    if let Some(mut rw) = a.rewrite.take() {
        rw.abandon();
    }
    if a.is_on() {
        a.flush_and_sync()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
