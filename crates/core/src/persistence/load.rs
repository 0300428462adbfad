//! Loading a file: at startup on a Rust thread (the server answers
//! `-LOADING` meanwhile and INFO shows the progress), and synchronously for
//! DEBUG RELOAD. Either way the file is read whole and validated before a
//! single key reaches the databases: a corrupt file changes nothing.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::rdb::reader::{self, LoadOptions, Loaded};
use super::LogLevel;
use crate::engine::Server;
use crate::keyspace::Db;

/// A load under way on its own thread.
pub struct Loading {
    thread: Option<JoinHandle<Result<Loaded, String>>>,
    pub path: PathBuf,
    pub started_ms: i64,
    pub total_bytes: u64,
    progress: Arc<AtomicU64>,
}

impl Loading {
    /// A load replayed in slices on the engine's own thread (the AOF):
    /// its steps report the progress, and end it.
    pub(crate) fn replayed(path: PathBuf, started_ms: i64, total_bytes: u64) -> Loading {
        Loading { thread: None, path, started_ms, total_bytes, progress: Arc::new(AtomicU64::new(0)) }
    }

    /// The counter a thread working for this load advances.
    pub(crate) fn progress_handle(&self) -> Arc<AtomicU64> {
        self.progress.clone()
    }

    pub(crate) fn set_loaded(&self, bytes: u64) {
        self.progress.store(bytes, Ordering::Relaxed);
    }

    pub fn loaded_bytes(&self) -> u64 {
        self.progress.load(Ordering::Relaxed)
    }

    /// INFO's loading_* fields (shown only while loading).
    pub fn info_fields(&self, now_ms: i64) -> Vec<(&'static str, String)> {
        let loaded = self.loaded_bytes();
        let elapsed = ((now_ms - self.started_ms) / 1000).max(0) as u64;
        let perc = if self.total_bytes == 0 { 0.0 } else { loaded as f64 * 100.0 / self.total_bytes as f64 };
        let left = self.total_bytes - loaded.min(self.total_bytes);
        let eta = (left * elapsed).checked_div(loaded).unwrap_or(1);
        vec![
            ("loading_start_time", (self.started_ms / 1000).to_string()),
            ("loading_total_bytes", self.total_bytes.to_string()),
            ("loading_rdb_used_mem", "0".into()),
            ("loading_loaded_bytes", loaded.to_string()),
            ("loading_loaded_perc", format!("{perc:.2}")),
            ("loading_eta_seconds", eta.to_string()),
        ]
    }
}

pub(crate) fn options(server: &Server, now_ms: i64) -> LoadOptions {
    LoadOptions {
        databases: server.dbs.len(),
        limits: server.config.encodings,
        now_ms,
        tracking: server.config.tracking(),
        verify_checksum: server.persistence.checksum,
        drop_expired: true,
    }
}

/// Reads and parses a whole file.
fn read_and_parse(path: &Path, opts: &LoadOptions, progress: Option<&AtomicU64>) -> Result<Loaded, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("Error reading {}: {e}", path.display()))?;
    reader::load(&bytes, opts, progress).map_err(|e| format!("Bad RDB file {}: {e}", path.display()))
}

/// Starts loading `dir`/`dbfilename` on a thread, if the file exists;
/// false if there is nothing to load.
pub fn start(server: &mut Server, now_ms: i64) -> bool {
    let path = server.persistence.path();
    let Ok(meta) = std::fs::metadata(&path) else { return false };
    let opts = options(server, now_ms);
    let progress = Arc::new(AtomicU64::new(0));
    let seen = progress.clone();
    let file = path.clone();
    let thread = std::thread::Builder::new()
        .name("ferrokv-load".into())
        .spawn(move || read_and_parse(&file, &opts, Some(&seen)))
        .expect("spawning the loading thread");
    server.persistence.loading =
        Some(Loading { thread: Some(thread), path, started_ms: now_ms, total_bytes: meta.len(), progress });
    true
}

/// The outcome of the startup load once its thread is done: `None` while
/// it runs (or when the load is an AOF replay, which its own steps end);
/// an error leaves the databases empty.
pub fn poll(server: &mut Server) -> Option<Result<(), String>> {
    let done = server.persistence.loading.as_ref()?.thread.as_ref()?.is_finished();
    if !done {
        return None;
    }
    let mut loading = server.persistence.loading.take()?;
    let result = match loading.thread.take().map(JoinHandle::join) {
        Some(Ok(r)) => r,
        _ => Err("the loading thread panicked".to_string()),
    };
    let now = server.clock.now_ms();
    let outcome = result.map(|loaded| {
        install(server, loaded, true);
        let secs = (now - loading.started_ms) as f64 / 1000.0;
        server.persistence.log(LogLevel::Notice, format!("DB loaded from disk: {secs:.3} seconds"));
    });
    if let Err(e) = &outcome {
        server.persistence.log(LogLevel::Warning, format!("Fatal error loading the DB: {e}. Exiting."));
        server.persistence.load_error = Some(e.clone());
    }
    Some(outcome)
}

/// Puts loaded databases in place: replacing every key (`flush`), or
/// merging over what is there (DEBUG RELOAD NOFLUSH MERGE).
fn install(server: &mut Server, loaded: Loaded, flush: bool) {
    let p = &mut server.persistence;
    p.last_load_keys_loaded = loaded.keys_loaded;
    p.last_load_keys_expired = loaded.keys_expired;
    for w in &loaded.warnings {
        p.log(LogLevel::Warning, w.clone());
    }
    p.log(
        LogLevel::Notice,
        format!("Done loading RDB, keys loaded: {}, keys expired: {}.", loaded.keys_loaded, loaded.keys_expired),
    );
    for (live, mut fresh) in server.dbs.iter_mut().zip(loaded.dbs) {
        if flush {
            live.replace_data(fresh);
        } else {
            merge(live, &mut fresh);
        }
    }
}

fn merge(live: &mut Db, fresh: &mut Db) {
    let keys: Vec<Vec<u8>> = fresh.keys().iter().map(|(k, _)| k.to_vec()).collect();
    for k in keys {
        if let Some(entry) = fresh.take(&k) {
            live.remove(&k);
            live.put(entry);
        }
    }
}

/// Loads the file now, on this thread (DEBUG RELOAD). With `flush` the
/// databases are replaced; without it the file's keys are added, and a key
/// already present is an error unless `merge`.
pub fn load_now(server: &mut Server, now_ms: i64, flush: bool, merge: bool) -> Result<(), String> {
    let opts = options(server, now_ms);
    let loaded = read_and_parse(&server.persistence.path(), &opts, None)?;
    if !flush && !merge {
        for (live, fresh) in server.dbs.iter().zip(&loaded.dbs) {
            if let Some((k, _)) = fresh.keys().iter().find(|(k, _)| live.keys().contains(k)) {
                return Err(format!("duplicated key '{}'", String::from_utf8_lossy(k)));
            }
        }
    }
    install(server, loaded, flush);
    Ok(())
}
