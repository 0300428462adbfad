//! The N-API binding: a thin forwarder from JavaScript to `ferrokv-core`.
//! All behaviour lives in the core; this file only converts arguments.

#![deny(clippy::all)]

mod acl;
mod alloc;
pub mod aof;
mod socket_io;

use ferrokv_core::{ConnInfo, Engine, EngineOptions};
use napi::bindgen_prelude::*;
use napi_derive::napi;

#[global_allocator]
static GLOBAL: alloc::Counting = alloc::Counting;

/// `feed`'s result carries status bits above bit 32 (see `Status` in TS).
const STATUS_SHIFT: f64 = 4_294_967_296.0;
/// Set when the output did not fit the caller's slab: fetch it with `takeOutput`.
pub(crate) const OVERFLOW: u32 = 8;
/// The AOF has commands to write this turn (see `ts/server/aof.ts`).
pub(crate) const AOF_WRITE: u32 = 16;
/// …and their replies must wait for the sync (`appendfsync always`).
pub(crate) const AOF_SYNC: u32 = 32;
/// A BGSAVE or AOF rewrite began capturing the keyspace: the host walks
/// the capture on (`snapshotStep`).
pub(crate) const SNAPSHOT: u32 = 128;

#[napi(object)]
pub struct NativeOptions {
    pub databases: Option<u32>,
    pub frozen_clock: Option<bool>,
}

#[napi(object)]
pub struct HostCommand {
    pub args: Vec<Buffer>,
    pub resp: u32,
    pub db: u32,
    pub client_id: i64,
}

#[napi(object)]
pub struct NativeEvents {
    /// Each message is written to `counts[i]` connections, whose handles
    /// follow one another in `targets` (a publish is encoded once per
    /// protocol, not once per subscriber).
    pub messages: Vec<Buffer>,
    pub counts: Vec<u32>,
    pub targets: Vec<u32>,
    pub closes: Vec<u32>,
    /// Unblocked connections to feed again (their buffered commands).
    pub resumes: Vec<u32>,
    /// `redis.log` lines: levels (0 debug … 3 warning) parallel to the lines.
    pub log_levels: Vec<u32>,
    pub log_lines: Vec<String>,
}

#[napi(object)]
pub struct NativeHostInfo {
    pub tcp_port: u32,
    pub process_id: u32,
    pub executable: String,
    pub config_file: String,
    pub node_version: String,
}

#[napi(object)]
pub struct LogLine {
    /// "verbose", "notice" or "warning".
    pub level: String,
    pub message: String,
}

#[napi(object)]
pub struct RdbCheckReport {
    pub ok: bool,
    pub lines: Vec<String>,
}

#[napi]
pub struct NativeEngine {
    engine: Engine,
    /// Plain TCP clients read and answered natively (see `socket_io`).
    io: socket_io::SocketIo,
}

impl NativeEngine {
    /// `Engine::feed`'s status, with the AOF's state of this turn (reported
    /// here rather than by a second call per read).
    fn feed_status(&mut self, handle: u32, chunk: &[u8]) -> u32 {
        let status = self.engine.feed(handle, chunk);
        let persistence = &mut self.engine.server.persistence;
        let snapshot = if std::mem::take(&mut persistence.capture_news) { SNAPSHOT } else { 0 };
        status
            | snapshot
            | match persistence.aof.pending() {
                0 => 0,
                1 => AOF_WRITE,
                _ => AOF_WRITE | AOF_SYNC,
            }
    }
}

#[napi]
impl NativeEngine {
    #[napi(constructor)]
    pub fn new(options: Option<NativeOptions>) -> Self {
        let opts = options.map_or_else(EngineOptions::default, |o| EngineOptions {
            databases: o.databases.unwrap_or(16) as usize,
            frozen_clock: o.frozen_clock.unwrap_or(false),
        });
        let mut engine = Engine::new(opts);
        engine.server.memory_probe = Some(alloc::allocated);
        engine.server.cpu_probe = Some(process_cpu);
        engine.server.memory_release = Some(release_free_memory);
        NativeEngine { engine, io: socket_io::SocketIo::default() }
    }

    #[napi]
    pub fn connect(&mut self, addr: String, laddr: String, fd: i64) -> u32 {
        self.engine.connect(ConnInfo { addr, laddr, fd })
    }

    #[napi]
    pub fn disconnect(&mut self, handle: u32) {
        self.engine.disconnect(handle);
    }

    /// Runs every complete command in `chunk` and copies the replies into
    /// `out` at `offset`. Returns `written + status * 2^32`; with the
    /// OVERFLOW bit the replies are waiting in `takeOutput` instead.
    #[napi]
    pub fn feed(&mut self, handle: u32, chunk: &[u8], mut out: BufferSlice, offset: u32) -> f64 {
        let out: &mut [u8] = &mut out;
        let mut status = self.feed_status(handle, chunk);
        let produced = self.engine.output();
        let offset = offset as usize;
        let written = if offset <= out.len() && produced.len() <= out.len() - offset {
            out[offset..offset + produced.len()].copy_from_slice(produced);
            let n = produced.len();
            self.engine.clear_output();
            n
        } else {
            status |= OVERFLOW;
            produced.len()
        };
        written as f64 + status as f64 * STATUS_SHIFT
    }

    /// Output too large for the caller's slab (or left by the native socket
    /// path), as a fresh Buffer.
    #[napi]
    pub fn take_output(&mut self) -> Buffer {
        let buf = Buffer::from(self.engine.output().to_vec());
        self.engine.clear_output();
        buf
    }

    #[napi]
    pub fn take_host_command(&mut self, handle: u32) -> Option<HostCommand> {
        let args = self.engine.take_host_command(handle)?;
        let client = self.engine.client(handle)?;
        Some(HostCommand {
            args: args.into_iter().map(Buffer::from).collect(),
            resp: if client.proto == ferrokv_core::resp::Protocol::Resp3 { 3 } else { 2 },
            db: client.db as u32,
            client_id: client.id as i64,
        })
    }

    /// The pending messages, written into the caller's slab at `offset`
    /// with their layout in `meta` (see `Engine::take_messages_into`): no
    /// JavaScript object per message. -1 when they do not fit (then use
    /// `takeEvents`); otherwise the bytes written, plus 2^32 when closes,
    /// resumes or log lines also wait for `takeEvents`.
    #[napi]
    pub fn take_messages(&mut self, mut out: BufferSlice, offset: u32, mut meta: Uint32ArraySlice) -> f64 {
        let out: &mut [u8] = &mut out;
        let Some(out) = out.get_mut(offset as usize..) else { return -1.0 };
        // SAFETY: the typed array stays alive and unaliased for this call.
        let meta = unsafe { meta.as_mut() };
        match self.engine.take_messages_into(out, meta) {
            None => -1.0,
            Some(written) => {
                let rest = if self.engine.server.events.is_empty() { 0.0 } else { STATUS_SHIFT };
                written as f64 + rest
            }
        }
    }

    #[napi]
    pub fn take_events(&mut self) -> NativeEvents {
        let ev = self.engine.take_events();
        let mut messages = Vec::with_capacity(ev.batches.len());
        let mut counts = Vec::with_capacity(ev.batches.len());
        let mut targets = Vec::new();
        let mut batches = ev.batches.into_iter().peekable();
        while let Some(mut batch) = batches.next() {
            // Messages in a row for the same connections leave as one buffer,
            // so a burst of publishes is one write per subscriber.
            while let Some(next) = batches.next_if(|n| n.targets == batch.targets) {
                batch.bytes.extend_from_slice(&next.bytes);
            }
            counts.push(batch.targets.len() as u32);
            targets.extend_from_slice(&batch.targets);
            messages.push(Buffer::from(batch.bytes));
        }
        let (log_levels, log_lines) = ev.logs.into_iter().map(|(level, line)| (level as u32, line)).unzip();
        NativeEvents { messages, counts, targets, closes: ev.closes, resumes: ev.resumes, log_levels, log_lines }
    }

    /// The connection's class for output-buffer limits, as Redis's
    /// `getClientType`: 0 normal (MONITOR included), 1 replica, 2 pub/sub.
    #[napi]
    pub fn client_class(&self, handle: u32) -> u32 {
        use ferrokv_core::commands::client::ClientType;
        match self.engine.client(handle).map(ClientType::of) {
            Some(ClientType::Replica) => 1,
            Some(ClientType::PubSub) => 2,
            _ => 0,
        }
    }

    /// Bytes written to the socket but not yet sent, for CLIENT LIST's omem.
    #[napi]
    pub fn set_unsent(&mut self, handle: u32, bytes: f64) {
        self.engine.set_unsent(handle, bytes as u64);
    }

    /// Connections idle past `timeout` seconds that Redis would close.
    #[napi]
    pub fn idle_clients(&self, max_idle_seconds: u32) -> Vec<u32> {
        self.engine.idle_clients(i64::from(max_idle_seconds))
    }

    /// A connection refused for `maxclients` (INFO's rejected_connections).
    #[napi]
    pub fn count_rejected_connection(&mut self) {
        self.engine.server.stats.rejected_connections += 1;
    }

    /// Periodic work (active expiry, blocked clients' deadlines …), `hz`
    /// times a second. True when it left events to deliver.
    #[napi]
    pub fn tick(&mut self) -> bool {
        self.engine.tick()
    }

    /// Walks a BGSAVE's or AOF rewrite's capture of the keyspace on by a
    /// step: "more" (call again next turn), "waiting" (the writing thread
    /// is behind: call again in a while) or "done" (no capture runs).
    #[napi]
    pub fn snapshot_step(&mut self) -> &'static str {
        use ferrokv_core::persistence::snapshot::{self, Progress};
        match snapshot::step(&mut self.engine.server, snapshot::STEP_KEYS) {
            Progress::More => "more",
            Progress::Waiting => "waiting",
            Progress::Done => "done",
        }
    }

    /// Counts a host command (the connection's last one) in INFO's stats
    /// once the host has answered it; `error` is its error reply, if any.
    #[napi]
    pub fn record_host_call(&mut self, handle: u32, usec: u32, error: Option<String>) {
        let Some(name) = self.engine.client(handle).map(|c| c.last_cmd) else {
            return;
        };
        ferrokv_core::commands::server::record_host_call(&mut self.engine.server, name, usec as u64, error.as_deref());
    }

    /// Pushes one config directive the core reads (the host validated it).
    #[napi]
    pub fn set_config(&mut self, name: String, value: String) -> Result<()> {
        ferrokv_core::commands::server::apply_config(&mut self.engine.server, &name, &value).map_err(Error::from_reason)
    }

    #[napi]
    pub fn set_host_info(&mut self, info: NativeHostInfo) {
        self.engine.server.host = ferrokv_core::engine::HostInfo {
            tcp_port: info.tcp_port as u16,
            process_id: info.process_id,
            executable: info.executable,
            config_file: info.config_file,
            node_version: info.node_version,
        };
    }

    /// CONFIG RESETSTAT.
    #[napi]
    pub fn reset_stats(&mut self) {
        self.engine.reset_stats();
    }

    /// Starts loading `dir`/`dbfilename` on a thread; false if there is no file.
    #[napi]
    pub fn rdb_load_start(&mut self) -> bool {
        let now = self.engine.server.clock.now_ms();
        ferrokv_core::persistence::load::start(&mut self.engine.server, now)
    }

    /// Finishes the load once its thread is done; true while it still runs.
    #[napi]
    pub fn rdb_load_poll(&mut self) -> bool {
        ferrokv_core::persistence::load::poll(&mut self.engine.server);
        self.engine.server.persistence.is_loading()
    }

    /// Why the startup load failed, if it did.
    #[napi]
    pub fn rdb_load_error(&self) -> Option<String> {
        self.engine.server.persistence.load_error.clone()
    }

    /// Whether `save` points are configured (SHUTDOWN and SIGTERM save then).
    #[napi]
    pub fn rdb_has_save_points(&self) -> bool {
        !self.engine.server.persistence.save_points.is_empty()
    }

    /// The save before a shutdown: stops a running BGSAVE, then saves on
    /// this thread. Returns the error, if the save failed.
    #[napi]
    pub fn rdb_save_for_shutdown(&mut self) -> Option<String> {
        let now = self.engine.server.clock.now_ms();
        ferrokv_core::persistence::save::save_for_shutdown(&mut self.engine.server, now).err()
    }

    /// Stops a running BGSAVE (shutdown without saving).
    #[napi]
    pub fn rdb_kill_bgsave(&mut self) {
        ferrokv_core::persistence::save::kill_bgsave(&mut self.engine.server);
    }

    /// Persistence's log lines since the last call.
    #[napi]
    pub fn take_persistence_log(&mut self) -> Vec<LogLine> {
        ferrokv_core::persistence::take_log(&mut self.engine.server)
            .into_iter()
            .map(|(level, message)| LogLine { level: level.name().to_string(), message })
            .collect()
    }

    #[napi]
    pub fn clock_now(&self) -> f64 {
        self.engine.server.clock.now_ms() as f64
    }

    #[napi]
    pub fn clock_freeze(&mut self) {
        self.engine.server.clock.freeze();
    }

    #[napi]
    pub fn clock_unfreeze(&mut self) {
        self.engine.server.clock.unfreeze();
    }

    #[napi]
    pub fn clock_advance(&mut self, ms: f64) {
        self.engine.server.clock.advance(ms as i64);
    }

    /// Hands the allocator's free pages back to the system (after a burst
    /// of input, once the server is idle; MEMORY PURGE does the same).
    #[napi]
    pub fn release_memory(&self) {
        release_free_memory();
    }
}

/// glibc keeps freed memory mapped (holes left between live blocks by
/// finished socket reads, mostly); `malloc_trim` returns its whole free pages.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_free_memory() {
    // SAFETY: malloc_trim only walks the allocator's own free lists.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// Other allocators (musl, macOS, Windows) return free pages on their own.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_free_memory() {}

/// (system, user) CPU seconds of this process, for INFO cpu.
#[cfg(unix)]
fn process_cpu() -> (f64, f64) {
    // SAFETY: getrusage only writes the struct we hand it.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) } != 0 {
        return (0.0, 0.0);
    }
    let secs = |tv: libc::timeval| tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6;
    (secs(ru.ru_stime), secs(ru.ru_utime))
}

/// Windows has no getrusage; INFO cpu reports zero there until it gets a probe.
#[cfg(not(unix))]
fn process_cpu() -> (f64, f64) {
    (0.0, 0.0)
}

/// `ferrokv check-rdb FILE`: what the file holds, or what is wrong with it.
#[napi]
pub fn check_rdb(path: String) -> RdbCheckReport {
    match std::fs::read(&path) {
        Ok(bytes) => {
            let report = ferrokv_core::persistence::check::check(&path, &bytes);
            RdbCheckReport { ok: report.ok, lines: report.lines }
        }
        Err(e) => RdbCheckReport { ok: false, lines: vec![format!("Cannot open {path}: {e}")] },
    }
}

/// The README's command list, rendered from the command table.
#[napi]
pub fn command_list_markdown() -> String {
    ferrokv_core::command::docs::markdown_command_list(&ferrokv_core::command::CommandTable::new())
}
