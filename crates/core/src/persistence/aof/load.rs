//! Loading the AOF at startup (it takes precedence over the RDB file when
//! `appendonly yes`): the base file, then each incremental file's commands
//! replayed through a client of the engine, as Redis's fake AOF client.
//!
//! Every file is read and scanned before anything runs: damage anywhere
//! refuses the load with a clear message (Redis refuses to start then). A
//! torn tail of the last file — a crash in the middle of a write — is cut
//! off with a warning under `aof-load-truncated yes`, and refused otherwise.
//!
//! The replay goes in slices ([`begin`], then [`step`] until it is done) so
//! the host serves connections in between: meanwhile they get `-LOADING`
//! and INFO shows the progress, as while an RDB file loads. [`load`] runs
//! all the slices at once.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::thread::JoinHandle;

use super::manifest::{Entry, Kind, Manifest};
use super::scan::{self, Ending};
use crate::client::ConnInfo;
use crate::engine::Engine;
use crate::persistence::load::Loading;
use crate::persistence::rdb::reader;
use crate::persistence::LogLevel;

/// What startup found.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// No AOF in `dir`.
    NotFound,
    Loaded {
        commands: u64,
    },
}

/// Feeds at most this much per call so the reply buffer stays small; one
/// feed is one slice of the load, after which the host serves clients.
const FEED_CHUNK: usize = 1 << 20;

/// A load under way: the thread reading and checking the files, then the
/// checked files and where the replay stands.
pub struct Replay {
    checking: Option<JoinHandle<Result<CheckedFiles, String>>>,
    files: Vec<Checked>,
    /// The file, and the command in it, to replay next.
    file: usize,
    command: usize,
    /// Bytes of the files before `file`, for the progress INFO shows.
    done_bytes: u64,
    /// The fake client replaying the commands.
    handle: u32,
    /// `maxmemory`, set aside: nothing is evicted while loading (Redis's
    /// isSafeToPerformEvictions).
    maxmemory: u64,
    commands: u64,
    manifest: Manifest,
    /// The AOF directory and the manifest's name in it.
    dir: PathBuf,
    manifest_name: String,
    /// An old-style single file, to move into the directory once loaded.
    legacy: Option<PathBuf>,
    /// The load the host sees (INFO's loading_* fields, `-LOADING`); out of
    /// the server while a slice runs, so the replayed commands pass.
    loading: Option<Loading>,
}

/// Where [`step`] left the load.
#[derive(Debug, PartialEq, Eq)]
pub enum Progress {
    /// A thread still reads and checks the files (and parses the base
    /// file's RDB preamble): nothing to do yet.
    Reading,
    /// More slices to go.
    More,
    Done {
        commands: u64,
    },
}

/// A file of the manifest, read and checked: its RDB part (if any) and the
/// byte ranges of its commands.
struct Checked {
    entry: Entry,
    bytes: Vec<u8>,
    rdb: Option<reader::Loaded>,
    commands: Vec<(usize, usize)>,
}

fn read_manifest(dir: &Path, name: &str) -> Result<Option<Manifest>, String> {
    let path = dir.join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Manifest::parse(&text).map(Some).map_err(|e| format!("{e} in {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(format!("Can't open the AOF manifest {}: {e}", path.display())),
    }
}

/// The files read and checked, and the warnings to log.
type CheckedFiles = (Vec<Checked>, Vec<String>);

/// How to read the files; what the checking thread needs of the server.
struct CheckOptions {
    rdb: reader::LoadOptions,
    /// `aof-load-truncated`.
    load_truncated: bool,
}

/// Reads and checks every file; cuts a torn tail of the last one when
/// allowed. `progress` follows the parse of the base file's RDB preamble,
/// which is loaded here (and is most of the data after a rewrite).
fn check_files(
    opts: &CheckOptions,
    dir: &Path,
    entries: Vec<Entry>,
    progress: &AtomicU64,
) -> Result<CheckedFiles, String> {
    let last = entries.len().saturating_sub(1);
    let (mut out, mut warnings) = (Vec::new(), Vec::new());
    for (i, entry) in entries.into_iter().enumerate() {
        let path: PathBuf = dir.join(&entry.name);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("The AOF file {} can't be opened: {e}", path.display()))?;
        let (rdb, from) = if bytes.starts_with(b"REDIS") {
            // Only the base (the first file) may have one.
            let loaded = reader::load(&bytes, &opts.rdb, (i == 0).then_some(progress))
                .map_err(|e| format!("Bad RDB preamble in the AOF file {}: {e}", entry.name))?;
            let consumed = loaded.consumed;
            (Some(loaded), consumed)
        } else {
            (None, 0)
        };
        let s = scan::scan(&bytes, from);
        match s.ending {
            Ending::Clean => {}
            Ending::Corrupt { at, what } => {
                return Err(format!(
                    "Bad file format reading the append only file {} at offset {at} ({what}): make a backup of your AOF file, then use `ferrokv check-aof --fix <filename.manifest>`",
                    entry.name
                ));
            }
            Ending::Truncated if i == last && opts.load_truncated => {
                warnings.push(format!(
                    "!!! Warning: short read while loading the AOF file {}!!! AOF loaded anyway because aof-load-truncated is enabled; the last {} bytes were cut off",
                    entry.name,
                    bytes.len() - s.valid
                ));
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&path)
                    .and_then(|f| f.set_len(s.valid as u64).and_then(|_| f.sync_all()));
                if let Err(e) = file {
                    return Err(format!("Error truncating the AOF file {}: {e}", entry.name));
                }
            }
            Ending::Truncated => {
                return Err(format!(
                    "Unexpected end of file reading the append only file {}. You can: 1) Make a backup of your AOF file, then use `ferrokv check-aof --fix <filename.manifest>`. 2) Alternatively you can set the 'aof-load-truncated' configuration option to yes and restart the server.",
                    entry.name
                ));
            }
        }
        if entry.kind == Kind::Base && rdb.is_none() && !s.commands.is_empty() && !entry.name.ends_with(".aof") {
            return Err(format!("The base file {} is neither an RDB file nor an AOF", entry.name));
        }
        out.push(Checked { entry, bytes, rdb, commands: s.commands });
    }
    Ok((out, warnings))
}

/// Feeds the commands of `file` from number `from` through `handle`, at
/// most [`FEED_CHUNK`] bytes (at least one command); returns the number
/// of the next command.
fn replay_slice(engine: &mut Engine, handle: u32, file: &Checked, from: usize) -> Result<usize, String> {
    let mut i = from;
    let start = file.commands[i].0;
    let mut end = file.commands[i].1;
    i += 1;
    while i < file.commands.len() && file.commands[i].1 - start <= FEED_CHUNK {
        end = file.commands[i].1;
        i += 1;
    }
    engine.feed(handle, &file.bytes[start..end]);
    let out = engine.output();
    if let Some(at) = out.windows(20).position(|w| w == b"-ERR unknown command") {
        let line = out[at + 1..].split(|&b| b == b'\r').next().unwrap_or_default();
        return Err(format!("{} reading the append only file {}", String::from_utf8_lossy(line), file.entry.name));
    }
    engine.clear_output();
    Ok(i)
}

/// Moves an old-style AOF into the AOF directory as its base: the manifest
/// naming it is written first, so a crash in between leaves a manifest
/// whose missing file stops the next start instead of an ignored file.
fn upgrade(dir: &Path, manifest_name: &str, manifest: &Manifest, legacy: &Path) -> Result<(), String> {
    let fail = |e: std::io::Error| format!("Can't move the old AOF {} into {}: {e}", legacy.display(), dir.display());
    std::fs::create_dir_all(dir).map_err(fail)?;
    super::manifest::write_atomically(&dir.join(manifest_name), &manifest.render()).map_err(fail)?;
    let name = manifest.base.as_ref().map_or("appendonly.aof", |b| b.name.as_str());
    std::fs::rename(legacy, dir.join(name)).map_err(fail)
}

/// Loads the AOF of `dir`/`appenddirname`, if there is one (or an
/// old-style `dir`/`appendfilename`, which moves into the directory), all
/// at once.
pub fn load(engine: &mut Engine) -> Result<Outcome, String> {
    if !begin(engine)? {
        return Ok(Outcome::NotFound);
    }
    loop {
        match step(engine)? {
            Progress::Done { commands } => return Ok(Outcome::Loaded { commands }),
            Progress::Reading => std::thread::sleep(std::time::Duration::from_millis(1)),
            Progress::More => {}
        }
    }
}

/// Starts loading the AOF: a thread reads and checks every file, then
/// [`step`] replays them. False when there is no AOF; from then until the
/// last step, other clients get `-LOADING`.
pub fn begin(engine: &mut Engine) -> Result<bool, String> {
    let dir = super::dir_of(&engine.server);
    let name = engine.server.persistence.aof.manifest_name();
    let (manifest, legacy) = match read_manifest(&dir, &name)? {
        Some(m) => (m, None),
        None => {
            // An old single-file AOF (Redis before 7) in `dir`: it becomes the base.
            let filename = engine.server.persistence.aof.filename.clone();
            let legacy = engine.server.persistence.dir.join(&filename);
            if !legacy.is_file() {
                return Ok(false);
            }
            let base = Entry { name: filename, seq: 1, kind: Kind::Base };
            (Manifest { base: Some(base), ..Manifest::default() }, Some(legacy))
        }
    };
    let files_dir = legacy.as_ref().and_then(|p| p.parent()).map_or(dir.clone(), Path::to_path_buf);
    let now = engine.server.clock.now_ms();
    let opts = CheckOptions {
        rdb: crate::persistence::load::options(&engine.server, now),
        load_truncated: engine.server.persistence.aof.load_truncated,
    };
    let entries: Vec<Entry> = manifest.files().cloned().collect();
    let total = entries.iter().filter_map(|e| std::fs::metadata(files_dir.join(&e.name)).ok()).map(|m| m.len()).sum();
    let shown_path = legacy.clone().unwrap_or_else(|| dir.join(&name));
    let loading = Loading::replayed(shown_path, now, total);
    let progress = loading.progress_handle();
    let checking = std::thread::Builder::new()
        .name("ferrokv-aof-load".into())
        .spawn(move || check_files(&opts, &files_dir, entries, &progress))
        .map_err(|e| format!("Can't start the AOF loading thread: {e}"))?;
    let handle = uncounted(engine, |e| e.connect(ConnInfo { addr: "aof".into(), laddr: String::new(), fd: -1 }));
    if let Some(c) = engine.clients_mut().find(|c| c.handle == handle) {
        // Redis's fake AOF client: no authentication, no ACL.
        c.authenticated = true;
        c.acl = std::sync::Arc::new(crate::acl::user::User::default_user());
    }
    let maxmemory = std::mem::take(&mut engine.server.config.maxmemory);
    engine.server.persistence.loading = Some(loading);
    engine.server.persistence.aof.replay = Some(Box::new(Replay {
        checking: Some(checking),
        files: Vec::new(),
        file: 0,
        command: 0,
        done_bytes: 0,
        handle,
        maxmemory,
        commands: 0,
        manifest,
        dir,
        manifest_name: name,
        legacy,
        loading: None,
    }));
    Ok(true)
}

/// Replays the next slice of the load [`begin`] set up. A failure ends the
/// load (the host refuses to start then).
pub fn step(engine: &mut Engine) -> Result<Progress, String> {
    let Some(mut replay) = engine.server.persistence.aof.replay.take() else {
        return Ok(Progress::Done { commands: 0 });
    };
    if let Some(checking) = replay.checking.take() {
        if !checking.is_finished() {
            replay.checking = Some(checking);
            engine.server.persistence.aof.replay = Some(replay);
            return Ok(Progress::Reading);
        }
        let checked = checking.join().unwrap_or_else(|_| Err("the AOF loading thread panicked".to_string()));
        match checked {
            Ok((files, warnings)) => {
                replay.files = files;
                for w in warnings {
                    engine.server.persistence.log(LogLevel::Warning, w);
                }
            }
            Err(e) => {
                engine.server.persistence.loading = None;
                wind_up(engine, &replay);
                return Err(e);
            }
        }
    }
    // The replayed commands are no clients' and must not meet `-LOADING`.
    replay.loading = engine.server.persistence.loading.take();
    let result = uncounted(engine, |e| replay_next(e, &mut replay));
    match result {
        Ok(true) => {
            engine.server.persistence.loading = replay.loading.take();
            engine.server.persistence.aof.replay = Some(replay);
            Ok(Progress::More)
        }
        Ok(false) => finish(engine, *replay),
        Err(e) => {
            wind_up(engine, &replay);
            Err(e)
        }
    }
}

/// One slice: the next file's base dataset, or one feed of commands.
/// True while something is left.
fn replay_next(engine: &mut Engine, replay: &mut Replay) -> Result<bool, String> {
    let Some(file) = replay.files.get_mut(replay.file) else { return Ok(false) };
    if let Some(loaded) = file.rdb.take() {
        let p = &mut engine.server.persistence;
        p.last_load_keys_loaded = loaded.keys_loaded;
        p.last_load_keys_expired = loaded.keys_expired;
        for (live, fresh) in engine.server.dbs.iter_mut().zip(loaded.dbs) {
            live.replace_data(fresh);
        }
    } else if replay.command < file.commands.len() {
        let file = &replay.files[replay.file];
        let next = replay_slice(engine, replay.handle, file, replay.command)?;
        replay.commands += (next - replay.command) as u64;
        replay.command = next;
    }
    let file = &replay.files[replay.file];
    let mut at = file.commands.get(replay.command).map_or(file.bytes.len(), |c| c.0) as u64;
    if replay.command >= file.commands.len() {
        replay.done_bytes += file.bytes.len() as u64;
        replay.file += 1;
        replay.command = 0;
        at = 0;
    }
    if let Some(loading) = &replay.loading {
        loading.set_loaded(replay.done_bytes + at);
    }
    Ok(replay.file < replay.files.len())
}

/// Runs `f` past INFO's counters: the replayed commands (and the fake
/// client's connection) are no calls, connections, changes or expiries
/// anyone made — Redis runs them past its counters too — while what real
/// clients did meanwhile (their `-LOADING` refusals, INFO) stays counted.
fn uncounted<R>(engine: &mut Engine, f: impl FnOnce(&mut Engine) -> R) -> R {
    let stats = std::mem::take(&mut engine.server.stats);
    let expired: Vec<u64> = engine.server.dbs.iter().map(|db| db.expired).collect();
    let result = f(engine);
    engine.server.stats = stats;
    for (db, n) in engine.server.dbs.iter_mut().zip(expired) {
        db.expired = n;
    }
    result
}

/// What ends a load, loaded or not: the fake client goes and maxmemory
/// comes back.
fn wind_up(engine: &mut Engine, replay: &Replay) {
    engine.disconnect(replay.handle);
    engine.clear_output();
    engine.server.config.maxmemory = replay.maxmemory;
}

fn finish(engine: &mut Engine, replay: Replay) -> Result<Progress, String> {
    wind_up(engine, &replay);
    let started_ms = replay.loading.as_ref().map_or(engine.server.clock.now_ms(), |l| l.started_ms);
    if let Some(legacy) = &replay.legacy {
        upgrade(&replay.dir, &replay.manifest_name, &replay.manifest, legacy)?;
        engine.server.persistence.log(
            LogLevel::Notice,
            format!("Successfully migrated an old-style AOF into the AOF directory {}", replay.dir.display()),
        );
    }
    engine.server.persistence.aof.manifest = replay.manifest;
    let secs = (engine.server.clock.now_ms() - started_ms) as f64 / 1000.0;
    engine.server.persistence.log(LogLevel::Notice, format!("DB loaded from append only file: {secs:.3} seconds"));
    Ok(Progress::Done { commands: replay.commands })
}
