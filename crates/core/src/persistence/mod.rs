//! Persistence: Redis's RDB format and what the server does with it.
//!
//! - [`rdb`]: the format itself (writer, reader, one file per value type).
//! - [`crc64`]: the checksum of files and DUMP payloads.
//! - [`save`]: SAVE on the caller's thread and BGSAVE on a Rust thread from
//!   a snapshot taken when it starts, save points, MISCONF.
//! - [`load`]: loading `dir`/`dbfilename` at startup on a Rust thread
//!   (clients get `-LOADING` meanwhile), and DEBUG RELOAD.
//! - [`dump`]: DUMP/RESTORE payloads.
//! - [`check`]: the report behind `ferrokv check-rdb`.
//!
//! The server's side of it lives in [`Persistence`], one field of
//! [`Server`]; the engine calls [`gate`] before each command and [`cron`]
//! on each tick.

pub mod aof;
pub mod check;
pub mod crc64;
pub mod dump;
pub mod load;
pub mod propagate;
pub mod rdb;
pub mod save;
pub mod snapshot;

use std::path::PathBuf;

use crate::command::errors::CmdError;
use crate::command::spec::{flags, CommandSpec};
use crate::engine::Server;
use crate::keyspace::db::Tracking;

pub use load::Loading;
pub use save::BgSave;

pub const MISCONF: CmdError = CmdError::Static("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk. Commands that may modify the data set are disabled, because this instance is configured to report errors during writes if RDB snapshotting fails (stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB error.");
pub const LOADING: CmdError = CmdError::Static("LOADING Redis is loading the dataset in memory");

/// Log levels of the lines the host writes to its log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogLevel {
    Verbose,
    Notice,
    Warning,
}

impl LogLevel {
    pub fn name(self) -> &'static str {
        match self {
            LogLevel::Verbose => "verbose",
            LogLevel::Notice => "notice",
            LogLevel::Warning => "warning",
        }
    }
}

/// The persistence settings and state of one server.
pub struct Persistence {
    /// `dir` (the host resolves it to an absolute path).
    pub dir: PathBuf,
    /// `dbfilename`.
    pub dbfilename: String,
    /// `rdbcompression`.
    pub compress: bool,
    /// `rdbchecksum`.
    pub checksum: bool,
    /// `stop-writes-on-bgsave-error`.
    pub stop_writes_on_error: bool,
    /// `save`: (seconds, changes) pairs.
    pub save_points: Vec<(i64, u64)>,
    /// `maxmemory-policy` is an LRU one: files record idle times.
    pub lru_policy: bool,
    /// The running BGSAVE, if any.
    pub bgsave: Option<BgSave>,
    /// BGSAVE SCHEDULE (or BGSAVE inside EXEC) is waiting for the AOF
    /// rewrite (or the transaction) to end: Redis's `rdb_bgsave_scheduled`.
    pub bgsave_scheduled: bool,
    /// The capture BGSAVE or BGREWRITEAOF is writing, while the keyspace
    /// still has keys to send it (see [`snapshot`]).
    pub capture: Option<std::sync::Arc<crate::keyspace::db::capture::Channel>>,
    /// A capture began and the host, which walks captures on with
    /// [`snapshot::step`], has not been told yet (it clears this as it is).
    pub capture_news: bool,
    /// Whether the last BGSAVE (or SAVE) succeeded.
    pub last_bgsave_ok: bool,
    /// When the last BGSAVE was attempted (unix ms), to space out retries.
    pub last_bgsave_try_ms: i64,
    pub last_bgsave_secs: i64,
    /// Microseconds the server paused to snapshot for the last BGSAVE.
    pub last_snapshot_pause_us: u64,
    /// Successful saves since startup.
    pub saves: u64,
    /// The load under way, if any.
    pub loading: Option<Loading>,
    pub last_load_keys_loaded: u64,
    pub last_load_keys_expired: u64,
    /// Why the startup load failed (the host refuses to go on).
    pub load_error: Option<String>,
    /// Lines for the host's log.
    pub log: Vec<(LogLevel, String)>,
    /// The append-only file.
    pub aof: aof::Aof,
    /// What the running command logs to it.
    pub propagation: propagate::Propagation,
}

impl Default for Persistence {
    fn default() -> Self {
        Persistence {
            dir: PathBuf::from("."),
            dbfilename: "dump.rdb".into(),
            compress: true,
            checksum: true,
            stop_writes_on_error: true,
            save_points: Vec::new(),
            lru_policy: false,
            bgsave: None,
            bgsave_scheduled: false,
            capture: None,
            capture_news: false,
            last_bgsave_ok: true,
            last_bgsave_try_ms: 0,
            last_bgsave_secs: -1,
            last_snapshot_pause_us: 0,
            saves: 0,
            loading: None,
            last_load_keys_loaded: 0,
            last_load_keys_expired: 0,
            load_error: None,
            log: Vec::new(),
            aof: aof::Aof::default(),
            propagation: propagate::Propagation::default(),
        }
    }
}

fn yes(value: &str) -> bool {
    value.eq_ignore_ascii_case("yes")
}

impl Persistence {
    /// Takes the directives persistence reads; others are ignored.
    pub fn configure(&mut self, name: &str, value: &str) {
        match name {
            "dir" => self.dir = PathBuf::from(value),
            "dbfilename" => self.dbfilename = value.to_string(),
            "rdbcompression" => self.compress = yes(value),
            "rdbchecksum" => self.checksum = yes(value),
            "stop-writes-on-bgsave-error" => self.stop_writes_on_error = yes(value),
            "save" => self.save_points = parse_save_points(value),
            "maxmemory-policy" => self.lru_policy = value.ends_with("-lru"),
            _ => self.aof.configure(name, value),
        }
    }

    /// The file SAVE writes and startup loads.
    pub fn path(&self) -> PathBuf {
        self.dir.join(&self.dbfilename)
    }

    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    pub fn bgsave_in_progress(&self) -> bool {
        self.bgsave.is_some()
    }

    /// A BGSAVE or an AOF rewrite runs: Redis's `hasActiveChildProcess`.
    /// Only one captures the keyspace at a time.
    pub fn background_job(&self) -> bool {
        self.bgsave.is_some() || self.aof.rewrite.is_some()
    }

    pub(crate) fn log(&mut self, level: LogLevel, line: impl Into<String>) {
        self.log.push((level, line.into()));
    }

    /// Redis's `writeCommandsDeniedByDiskError`.
    pub fn writes_denied(&self) -> bool {
        self.stop_writes_on_error && !self.save_points.is_empty() && !self.last_bgsave_ok
    }
}

/// `"3600 1 300 100"` → [(3600, 1), (300, 100)]; the host validated it.
pub fn parse_save_points(value: &str) -> Vec<(i64, u64)> {
    let words: Vec<&str> = value.split_whitespace().collect();
    words.chunks_exact(2).filter_map(|p| Some((p[0].parse().ok()?, p[1].parse().ok()?))).collect()
}

/// What the access bits record, if a file should save it (Redis saves idle
/// times under LRU policies and counters under LFU ones, nothing otherwise).
pub fn saved_access(server: &Server) -> Option<Tracking> {
    let tracking = server.config.tracking();
    match tracking {
        Tracking::Lfu { .. } => Some(tracking),
        Tracking::Lru if server.persistence.lru_policy => Some(tracking),
        Tracking::Lru => None,
    }
}

/// Refuses a command persistence forbids right now: anything not marked
/// `loading` while a file loads, and writes (and PING) after a failed
/// background save under `stop-writes-on-bgsave-error`.
#[inline]
pub fn gate(server: &Server, spec: &CommandSpec) -> Option<CmdError> {
    let p = &server.persistence;
    if p.writes_denied() && (spec.has(flags::WRITE) || spec.name == "ping") {
        return Some(MISCONF);
    }
    if p.aof.is_on() && !p.aof.last_write_ok && (spec.has(flags::WRITE) || spec.name == "ping") {
        // Redis's DISK_ERROR_TYPE_AOF: writes wait until the AOF is writable again.
        let why = p.aof.last_write_error.as_deref().unwrap_or("unknown error");
        return Some(CmdError::Owned(format!("MISCONF Errors writing to the AOF file: {why}")));
    }
    if p.loading.is_some() && !spec.has(flags::LOADING) {
        return Some(LOADING);
    }
    None
}

/// Periodic work: finishes a load or a BGSAVE whose thread is done, and
/// starts a BGSAVE when a save point is reached.
pub fn cron(server: &mut Server, now_ms: i64) {
    if server.persistence.loading.is_some() {
        load::poll(server);
        return;
    }
    if server.persistence.bgsave.is_some() {
        save::reap(server, now_ms);
    }
    aof::cron(server, now_ms);
    if !server.persistence.background_job() {
        save::start_scheduled(server, now_ms);
    }
    if !server.persistence.background_job() {
        save::start_on_save_point(server, now_ms);
    }
}

/// INFO fields as (name, value) pairs.
pub type InfoFields = Vec<(&'static str, String)>;

/// INFO persistence's fields: the RDB ones (shown before the AOF ones) and,
/// while a file loads, the loading ones (shown after), in Redis's order.
pub fn info_fields(server: &Server, now_ms: i64) -> (InfoFields, InfoFields) {
    let p = &server.persistence;
    let bg = p.bgsave.as_ref();
    let v: Vec<(&'static str, String)> = vec![
        ("loading", (p.loading.is_some() as u8).to_string()),
        ("async_loading", "0".into()),
        ("current_cow_peak", "0".into()),
        ("current_cow_size", "0".into()),
        ("current_cow_size_age", "0".into()),
        ("current_fork_perc", bg.map_or("0.00".into(), |b| format!("{:.2}", b.percent_done()))),
        ("current_save_keys_processed", bg.map_or(0, |b| b.keys_done()).to_string()),
        ("current_save_keys_total", bg.map_or(0, |b| b.keys_total).to_string()),
        ("rdb_changes_since_last_save", server.stats.dirty.to_string()),
        ("rdb_bgsave_in_progress", (bg.is_some() as u8).to_string()),
        ("rdb_last_save_time", server.lastsave.to_string()),
        ("rdb_last_bgsave_status", if p.last_bgsave_ok { "ok" } else { "err" }.into()),
        ("rdb_last_bgsave_time_sec", p.last_bgsave_secs.to_string()),
        ("rdb_current_bgsave_time_sec", bg.map_or(-1, |b| (now_ms - b.started_ms) / 1000).to_string()),
        ("rdb_saves", p.saves.to_string()),
        ("rdb_last_cow_size", "0".into()),
        ("rdb_last_load_keys_expired", p.last_load_keys_expired.to_string()),
        ("rdb_last_load_keys_loaded", p.last_load_keys_loaded.to_string()),
    ];
    let loading = p.loading.as_ref().map_or_else(Vec::new, |l| l.info_fields(now_ms));
    (v, loading)
}

/// The log lines produced since the last call (the host writes them).
pub fn take_log(server: &mut Server) -> Vec<(LogLevel, String)> {
    std::mem::take(&mut server.persistence.log)
}

#[cfg(test)]
mod tests;
