//! The engine: one value holding a whole server's data and connections.
//! Several engines live side by side in one process (a test suite starts
//! many servers); nothing here is global.
//!
//! The host drives it with one call per socket read (`feed`): the engine
//! parses every complete command, runs it and appends every reply to one
//! output buffer that the host writes with one socket write.

use foldhash::HashMap;
use std::time::Instant;

use crate::blocking::{Awaits, BlockedState, Blocking};
use crate::client::{Client, ConnInfo, ReplyMode};
use crate::clock::Clock;
use crate::command::errors::{self, CmdError};
use crate::command::spec::{flags, CommandSpec, Exec};
use crate::command::table::{is_container, subcommand};
use crate::command::CommandTable;
use crate::config::Config;
use crate::keyspace::Db;
use crate::metrics::Metrics;
use crate::pubsub::PubSub;
use crate::resp::parser::{ParseLimits, Parsed};
use crate::resp::writer::Reply;
use crate::types::Value;
use crate::util::rng::Rng;

mod call;
mod command_stats;
pub use call::{call, reply_error};
pub use command_stats::CommandStatsTable;

/// Bits of `feed`'s result.
pub mod status {
    /// Close the connection once the returned output is written.
    pub const CLOSE: u32 = 1;
    /// A host-side command is waiting: `take_host_command`, answer, `feed` again.
    pub const HOST_COMMAND: u32 = 2;
    /// Messages or closes for other connections: `take_events`.
    pub const EVENTS: u32 = 4;
}

#[derive(Default, Clone, Debug)]
pub struct CommandStats {
    pub calls: u64,
    pub usec: u64,
    pub rejected_calls: u64,
    pub failed_calls: u64,
    /// Made on the first call while `latency-tracking` is on.
    pub latency: Option<crate::diagnostics::histogram::LatencyHistogram>,
}

#[derive(Default, Debug)]
pub struct Stats {
    pub total_connections_received: u64,
    pub total_commands_processed: u64,
    pub total_net_input_bytes: u64,
    pub total_net_output_bytes: u64,
    pub rejected_connections: u64,
    pub expired_stale_perc: f64,
    pub evicted_keys: u64,
    pub keyspace_hits: u64,
    pub keyspace_misses: u64,
    pub total_error_replies: u64,
    pub unexpected_error_replies: u64,
    pub dirty: u64,
    pub commands: CommandStatsTable,
    pub errors: HashMap<String, u64>,
}

/// Facts only the host knows, shown by INFO server.
#[derive(Default, Debug, Clone)]
pub struct HostInfo {
    pub tcp_port: u16,
    pub process_id: u32,
    pub executable: String,
    pub config_file: String,
    pub node_version: String,
}

/// One message for one or more connections: a pub/sub message is encoded
/// once per protocol and written to every subscriber's socket.
#[derive(Debug)]
pub struct Batch {
    pub bytes: Vec<u8>,
    pub targets: Vec<u32>,
}

/// Messages for connections other than the one being fed.
#[derive(Default)]
pub struct Events {
    /// Batches in the order they were produced.
    pub batches: Vec<Batch>,
    /// Connections to close (CLIENT KILL …).
    pub closes: Vec<u32>,
    /// Connections that were unblocked and may have buffered commands to
    /// run: the host feeds each of them again (with no new bytes).
    pub resumes: Vec<u32>,
    /// Lines for the server log, written by scripts with `redis.log`:
    /// (level: 0 debug, 1 verbose, 2 notice, 3 warning; text).
    pub logs: Vec<(u8, String)>,
}

impl Events {
    pub fn is_empty(&self) -> bool {
        self.batches.is_empty() && self.closes.is_empty() && self.resumes.is_empty() && self.logs.is_empty()
    }

    /// Queues `bytes` for one connection.
    pub fn send(&mut self, handle: u32, bytes: Vec<u8>) {
        self.batches.push(Batch { bytes, targets: vec![handle] });
    }

    /// Queues the same `bytes` for several connections.
    pub fn send_to_many(&mut self, bytes: Vec<u8>, targets: Vec<u32>) {
        self.batches.push(Batch { bytes, targets });
    }

    /// Every (handle, reply) delivery in order, one per receiver and reply
    /// (a batch may hold several messages): for tests.
    pub fn deliveries(self) -> Vec<(u32, Vec<u8>)> {
        let mut out = Vec::new();
        for b in self.batches {
            for frame in crate::testing::frames(&b.bytes) {
                out.extend(b.targets.iter().map(|&h| (h, frame.to_vec())));
            }
        }
        out
    }
}

/// Everything a command can see besides its own client.
pub struct Server {
    pub dbs: Vec<Db>,
    pub config: Config,
    pub clock: Clock,
    pub stats: Stats,
    pub host: HostInfo,
    pub commands: CommandTable,
    pub events: Events,
    pub run_id: String,
    pub start_ms: i64,
    pub next_client_id: u64,
    pub connected_clients: usize,
    /// Unix seconds of the last successful save.
    pub lastsave: i64,
    /// Bytes allocated by the process's Rust allocator, when the host
    /// installed a counting one (the N-API addon does); INFO's `used_memory`.
    pub memory_probe: Option<fn() -> usize>,
    /// Clients blocked on keys, and keys that got data for them.
    pub blocking: Blocking,
    /// CLIENT PAUSE state and the clients it holds.
    pub pause: crate::pause::Pause,
    /// Rates and peaks sampled on the tick (INFO's instantaneous_* fields).
    pub metrics: Metrics,
    /// (system, user) CPU seconds of the process, when the host can tell.
    pub cpu_probe: Option<fn() -> (f64, f64)>,
    /// Returns the allocator's free pages to the system, when the host
    /// can (MEMORY PURGE).
    pub memory_release: Option<fn()>,
    /// Channel and pattern subscriptions.
    pub pubsub: PubSub,
    /// ACL users (compiled by the host) and denials for ACL LOG.
    pub acl: crate::acl::AclState,
    /// Connections in MONITOR mode.
    pub monitors: crate::commands::monitor::Monitors,
    /// RDB settings, BGSAVE and loading state.
    pub persistence: crate::persistence::Persistence,
    /// WATCHed keys of every client.
    pub watches: crate::transaction::Watches,
    /// Client-side caching: who may cache which key.
    pub tracking: crate::tracking::Tracking,
    /// How deep `call` is: 0 between commands, 2 inside EXEC's commands.
    pub execution_nesting: u32,
    /// maxmemory's candidate pool and round state.
    pub eviction: crate::eviction::Evictor,
    pub slowlog: crate::diagnostics::slowlog::SlowLog,
    pub latency: crate::diagnostics::latency::LatencyMonitor,
    /// Lua scripts and function libraries.
    pub scripting: crate::scripting::Scripting,
    /// Raised by any database that journaled a key (see `flush_key_journal`).
    pub journal_flag: crate::keyspace::db::JournalFlag,
    rng: Rng,
}

impl Server {
    /// A fast pseudo-random number (xorshift64*); not for cryptography.
    pub fn random(&mut self) -> u64 {
        self.rng.next_u64()
    }

    /// Redis's `signalModifiedKey`: `key` in database `db` changed. WATCH
    /// and client-side caching hook in here; with neither in use it costs a
    /// call.
    #[inline]
    pub fn signal_modified(&mut self, db: usize, key: &[u8]) {
        self.touch_watched_key(db, key);
        self.tracking_invalidate_key(key);
    }
}

/// What a handler receives.
pub struct Ctx<'a> {
    pub server: &'a mut Server,
    pub client: &'a mut Client,
    /// Every other connection (the current one is taken out while it runs).
    pub others: &'a mut [Option<Box<Client>>],
    pub out: &'a mut Reply,
    /// Unix ms, sampled once per command like Redis's command time snapshot.
    pub now: i64,
    pub spec: &'static CommandSpec,
}

impl Ctx<'_> {
    /// The client's selected database.
    #[inline]
    pub fn db(&mut self) -> &mut Db {
        &mut self.server.dbs[self.client.db]
    }

    /// Looks a key up for reading: expires it lazily and counts a keyspace
    /// hit or miss, as Redis's `lookupKeyRead` does.
    #[inline]
    pub fn read(&mut self, key: &[u8]) -> Option<&mut Value> {
        let now = self.now;
        let mut touch = !self.client.no_touch;
        if self.server.config.notify_keyspace_events & crate::notify::class::KEY_MISS != 0 {
            // A miss publishes "keymiss": find out first, then look up as usual.
            if self.server.dbs[self.client.db].lookup_mut(key, now, touch).is_none() {
                self.server.stats.keyspace_misses += 1;
                self.missed(key);
                return None;
            }
            touch = false;
        }
        let db = &mut self.server.dbs[self.client.db];
        let found = db.lookup_mut(key, now, touch);
        let stats = &mut self.server.stats;
        if found.is_some() {
            stats.keyspace_hits += 1;
        } else {
            stats.keyspace_misses += 1;
        }
        found
    }

    /// `read`, handing the value to `f` beside the reply writer so a
    /// handler writes a value out without copying it first. The writer is
    /// moved out and back (a few words, not the buffer) because the value
    /// borrows the context as a whole.
    #[inline]
    pub fn read_with<R>(&mut self, key: &[u8], f: impl FnOnce(Option<&mut Value>, &mut Reply) -> R) -> R {
        let mut out = std::mem::take(&mut *self.out);
        let result = f(self.read(key), &mut out);
        *self.out = out;
        result
    }

    /// Looks a key up for writing: expires it lazily, counts nothing.
    #[inline]
    pub fn write(&mut self, key: &[u8]) -> Option<&mut Value> {
        let now = self.now;
        let touch = !self.client.no_touch;
        self.server.dbs[self.client.db].lookup_mut(key, now, touch)
    }

    /// Tells blocked clients that `key` (in this client's database) got data:
    /// lists, sorted sets and streams call it after adding elements.
    #[inline]
    pub fn signal_ready(&mut self, key: &[u8]) {
        if !self.server.blocking.is_empty() {
            self.server.dbs[self.client.db].signal_ready(key);
        }
    }

    /// Blocks the client on `keys` until one holds the awaited type of value
    /// or `deadline` (unix ms; `None` = forever) passes, when it gets a null
    /// array, as every blocking command in Redis does: the command replies
    /// nothing now and is run again when a key is ready. When the engine is
    /// already re-running it, the client just keeps its place.
    pub fn block(&mut self, keys: &[&[u8]], awaits: Awaits, deadline: Option<i64>) {
        if self.client.reprocessing {
            self.client.still_blocked = true;
            return;
        }
        if crate::transaction::refuse_block(self) {
            return;
        }
        self.client.blocked = Some(BlockedState {
            db: self.client.db,
            keys: keys.iter().map(|k| k.to_vec()).collect(),
            deadline,
            awaits,
            argv: Vec::new(),
            duration_us: 0,
        });
    }

    /// Counts a write for `rdb_changes_since_last_save` and (later) WATCH/AOF.
    #[inline]
    pub fn dirty(&mut self, n: u64) {
        self.server.stats.dirty += n;
    }
}

#[derive(Debug, Clone, Default)]
pub struct EngineOptions {
    pub databases: usize,
    /// Start with the clock frozen (tests advance it by hand).
    pub frozen_clock: bool,
}

pub struct Engine {
    pub server: Server,
    clients: Vec<Option<Box<Client>>>,
    free_handles: Vec<u32>,
    out: Reply,
    /// The last command name `execute` looked up (see [`RecentCommand`]).
    recent_command: crate::command::table::RecentCommand,
}

impl Engine {
    pub fn new(opts: EngineOptions) -> Self {
        let config = Config { databases: if opts.databases == 0 { 16 } else { opts.databases }, ..Config::default() };
        let mut clock = Clock::default();
        if opts.frozen_clock {
            clock.freeze();
        }
        let now = clock.now_ms();
        let seed = (now as u64) ^ (std::process::id() as u64).rotate_left(32) ^ (&clock as *const _ as u64);
        let journal_flag = crate::keyspace::db::JournalFlag::default();
        let mut server = Server {
            dbs: (0..config.databases)
                .map(|_| {
                    let mut db = Db::default();
                    db.share_journal_flag(&journal_flag);
                    db
                })
                .collect(),
            config,
            clock,
            stats: Stats::default(),
            host: HostInfo::default(),
            commands: CommandTable::new(),
            events: Events::default(),
            run_id: String::new(),
            start_ms: now,
            next_client_id: 1,
            connected_clients: 0,
            lastsave: now / 1000,
            memory_probe: None,
            blocking: Blocking::default(),
            pause: Default::default(),
            metrics: Metrics::default(),
            cpu_probe: None,
            memory_release: None,
            pubsub: PubSub::default(),
            acl: crate::acl::AclState::default(),
            monitors: Default::default(),
            persistence: Default::default(),
            watches: Default::default(),
            tracking: Default::default(),
            execution_nesting: 0,
            eviction: Default::default(),
            slowlog: Default::default(),
            latency: Default::default(),
            scripting: Default::default(),
            journal_flag,
            rng: Rng::new(seed),
        };
        server.run_id = (0..40).map(|_| char::from_digit((server.random() % 16) as u32, 16).unwrap()).collect();
        Engine {
            server,
            clients: Vec::new(),
            free_handles: Vec::new(),
            out: Reply::default(),
            recent_command: Default::default(),
        }
    }

    /// Registers a connection; the handle names it in every later call.
    pub fn connect(&mut self, info: ConnInfo) -> u32 {
        let id = self.server.next_client_id;
        self.server.next_client_id += 1;
        self.server.stats.total_connections_received += 1;
        self.server.connected_clients += 1;
        let now = self.server.clock.now_ms();
        let authenticated = self.server.acl.default_needs_no_auth();
        let handle = self.free_handles.pop().unwrap_or(self.clients.len() as u32);
        let mut client = Box::new(Client::new(id, handle, info, now, authenticated));
        client.acl = self.server.acl.default_user().clone();
        if handle as usize == self.clients.len() {
            self.clients.push(Some(client));
        } else {
            self.clients[handle as usize] = Some(client);
        }
        handle
    }

    pub fn disconnect(&mut self, handle: u32) {
        if let Some(slot) = self.clients.get_mut(handle as usize) {
            if let Some(mut client) = slot.take() {
                self.server.pubsub.forget(&mut client.subs, handle);
                self.server.monitors.remove(handle);
                self.server.watches.forget(handle);
                crate::tracking::forget(&mut self.server, &mut client);
                if let Some(state) = client.blocked.take() {
                    for key in &state.keys {
                        self.server.blocking.remove(state.db, key, handle);
                        self.server.dbs[state.db].remove_waiter(key);
                    }
                }
                self.server.connected_clients -= 1;
                self.free_handles.push(handle);
            }
        }
    }

    /// The host's count of bytes queued unsent to this connection.
    pub fn set_unsent(&mut self, handle: u32, bytes: u64) {
        if let Some(Some(c)) = self.clients.get_mut(handle as usize) {
            c.unsent = bytes;
        }
    }

    /// Clients to close under `timeout <max_idle_secs>` (see [`crate::idle`]).
    pub fn idle_clients(&self, max_idle_secs: i64) -> Vec<u32> {
        let now = self.server.clock.now_ms();
        self.clients
            .iter()
            .flatten()
            .filter(|c| crate::idle::idle_past(c, now, max_idle_secs))
            .map(|c| c.handle)
            .collect()
    }

    pub fn client(&self, handle: u32) -> Option<&Client> {
        self.clients.get(handle as usize)?.as_deref()
    }

    /// Every live connection (the one being fed is not in the table then).
    pub fn clients_mut(&mut self) -> impl Iterator<Item = &mut Client> {
        self.clients.iter_mut().flatten().map(|c| &mut **c)
    }

    /// The replies produced since the last `clear_output`.
    pub fn output(&self) -> &[u8] {
        &self.out.buf
    }

    /// Drops the first `n` bytes of the output (the host sent them).
    pub fn consume_output(&mut self, n: usize) {
        let n = n.min(self.out.buf.len());
        self.server.stats.total_net_output_bytes += n as u64;
        self.out.buf.drain(..n);
    }

    pub fn clear_output(&mut self) {
        self.server.stats.total_net_output_bytes += self.out.buf.len() as u64;
        self.out.buf.clear();
        // A burst of huge replies should not pin memory forever.
        if self.out.buf.capacity() > 4 << 20 {
            self.out.buf.shrink_to(64 << 10);
        }
    }

    pub fn take_host_command(&mut self, handle: u32) -> Option<Vec<Vec<u8>>> {
        self.clients.get_mut(handle as usize)?.as_mut()?.host_command.take()
    }

    pub fn take_events(&mut self) -> Events {
        std::mem::take(&mut self.server.events)
    }

    /// Moves the pending messages into memory the host owns, without
    /// allocating: their bytes go one after another into `out`, and `meta`
    /// gets the batch count, then per batch its byte length, its number of
    /// targets and the targets. Consecutive batches for the same targets
    /// are joined. `None` (nothing taken) when either does not fit; the
    /// host then uses [`Engine::take_events`].
    pub fn take_messages_into(&mut self, out: &mut [u8], meta: &mut [u32]) -> Option<usize> {
        let batches = &self.server.events.batches;
        let bytes: usize = batches.iter().map(|b| b.bytes.len()).sum();
        let words: usize = 1 + batches.iter().map(|b| 2 + b.targets.len()).sum::<usize>();
        if bytes > out.len() || words > meta.len() {
            return None;
        }
        let (mut at, mut m, mut count) = (0, 1, 0u32);
        let mut last_targets: Option<(&[u32], usize)> = None;
        for batch in batches {
            out[at..at + batch.bytes.len()].copy_from_slice(&batch.bytes);
            at += batch.bytes.len();
            match last_targets {
                Some((targets, len_at)) if targets == batch.targets.as_slice() => {
                    meta[len_at] += batch.bytes.len() as u32;
                }
                _ => {
                    let len_at = m;
                    meta[m] = batch.bytes.len() as u32;
                    meta[m + 1] = batch.targets.len() as u32;
                    meta[m + 2..m + 2 + batch.targets.len()].copy_from_slice(&batch.targets);
                    m += 2 + batch.targets.len();
                    count += 1;
                    last_targets = Some((&batch.targets, len_at));
                }
            }
        }
        meta[0] = count;
        self.server.events.batches.clear();
        Some(at)
    }

    /// Parses and runs every complete command in `chunk` (appended to what
    /// the connection had buffered), appending replies to the output.
    /// Returns [`status`] bits.
    pub fn feed(&mut self, handle: u32, chunk: &[u8]) -> u32 {
        let Some(mut client) = self.clients.get_mut(handle as usize).and_then(Option::take) else {
            return status::CLOSE;
        };
        let result = self.feed_client(&mut client, chunk);
        self.clients[handle as usize] = Some(client);
        result
    }

    fn feed_client(&mut self, client: &mut Client, chunk: &[u8]) -> u32 {
        self.server.stats.total_net_input_bytes += chunk.len() as u64;
        if client.close_after_reply {
            return status::CLOSE;
        }
        if client.blocked.is_some() || client.postponed {
            // A blocked client's further commands wait until it is served.
            client.query.extend_from_slice(chunk);
            return 0;
        }
        if client.tx.suspended() && self.resume_exec(client) != 0 {
            client.query.extend_from_slice(chunk);
            return status::HOST_COMMAND;
        }
        let mut parse = std::mem::take(&mut client.parse);
        let mut query = std::mem::take(&mut client.query);
        // Fast path: nothing buffered, so parse straight from the chunk and keep only a tail.
        let from_chunk = query.is_empty();
        if !from_chunk {
            query.extend_from_slice(chunk);
        }
        let buf: &[u8] = if from_chunk { chunk } else { &query };
        let limits =
            ParseLimits { max_bulk_len: self.server.config.proto_max_bulk_len, unauthenticated: !client.authenticated };
        let mut pos = 0;
        let mut result = 0;
        self.out.proto = client.proto;
        // One wall-clock reading per read (Redis caches its time per event-loop
        // pass too), and one monotonic reading per command: each command's
        // duration runs from the previous reading to its own end.
        let now = self.server.clock.now_ms();
        let mut tick = Instant::now();
        while pos < buf.len()
            && result & (status::CLOSE | status::HOST_COMMAND) == 0
            && client.blocked.is_none()
            && !client.postponed
        {
            match parse.parse(&buf[pos..], limits) {
                Parsed::Command(n) => {
                    let base = &buf[pos..];
                    let src: &[u8] = if parse.inline { &parse.scratch } else { base };
                    pos += n;
                    if parse.args.is_empty() {
                        continue;
                    }
                    let mut stack: [&[u8]; 16] = [&[]; 16];
                    let heap: Vec<&[u8]>;
                    let args: &[&[u8]] = if parse.args.len() <= stack.len() {
                        for (slot, &(a, b)) in stack.iter_mut().zip(&parse.args) {
                            *slot = &src[a as usize..b as usize];
                        }
                        &stack[..parse.args.len()]
                    } else {
                        heap = parse.args.iter().map(|&(a, b)| &src[a as usize..b as usize]).collect();
                        &heap
                    };
                    client.input_command = args.as_ptr() as usize;
                    result |= self.execute(client, args, now, &mut tick);
                    client.input_command = 0;
                    if !self.server.blocking.is_empty() && !client.tx.suspended() {
                        self.serve_blocked(client);
                    }
                    if client.postponed {
                        // CLIENT PAUSE holds it: the command stays buffered to run later.
                        pos -= n;
                        break;
                    }
                }
                Parsed::Incomplete => break,
                Parsed::Error(msg) => {
                    self.out.error(&format!("ERR {msg}"));
                    self.server.stats.total_error_replies += 1;
                    client.close_after_reply = true;
                    result |= status::CLOSE;
                    pos = buf.len();
                }
            }
        }
        // Keep what was not consumed: a partial command, or commands after a host command.
        let rest_len = buf.len() - pos;
        if from_chunk {
            query.clear();
            query.extend_from_slice(&chunk[pos..]);
        } else {
            query.drain(..pos);
        }
        if rest_len > self.server.config.client_query_buffer_limit {
            // Redis drops such a client without a reply.
            client.close_after_reply = true;
            result |= status::CLOSE;
            query = Vec::new();
        }
        if query.capacity() > 64 << 10 && query.len() < query.capacity() / 4 {
            query.shrink_to(query.len().max(1024));
        }
        if let Some(need) = parse.bulk_remaining(query.len()) {
            // A big argument is arriving: grow once instead of by doubling.
            query.reserve(need);
        }
        client.query = query;
        client.parse = parse;
        crate::tracking::end_of_turn(&mut self.server, Some(client), &mut self.clients, Some(&mut self.out));
        if !self.server.events.is_empty() {
            result |= status::EVENTS;
        }
        result
    }

    /// Redis's `processCommand` order: lookup, arity, auth, then run.
    fn execute(&mut self, client: &mut Client, args: &[&[u8]], now: i64, tick: &mut Instant) -> u32 {
        client.last_interaction_ms = now;
        let Some(mut spec) = self.recent_command.get(&self.server.commands, args[0]) else {
            return self.reject(client, None, errors::unknown_command(args[0], &args[1..]));
        };
        // A command with subcommands dispatches on its second word; a bare
        // container is an arity error, while COMMAND alone runs its own handler.
        if !spec.subcommands.is_empty() && (args.len() >= 2 || is_container(spec)) {
            if args.len() < 2 {
                return self.reject(client, Some(spec), errors::wrong_arity(spec.name));
            }
            match subcommand(spec, args[1]) {
                Some(sub) => spec = sub,
                None => {
                    let typed = String::from_utf8_lossy(args[0]).into_owned();
                    return self.reject(client, None, errors::unknown_subcommand(args[1], &typed));
                }
            }
        }
        if !spec.arity_ok(args.len()) {
            return self.reject(client, Some(spec), errors::wrong_arity(spec.name));
        }
        if !client.authenticated && !spec.has(flags::NO_AUTH) {
            return self.reject(client, Some(spec), errors::NOAUTH);
        }
        if let Err(e) = crate::acl::check(&mut self.server, client, spec, args, now) {
            return self.reject(client, Some(spec), e);
        }
        if let Some(err) = crate::persistence::gate(&self.server, spec) {
            return self.reject(client, Some(spec), err);
        }
        if let Some(err) = crate::commands::pubsub::refused_while_subscribed(client, spec) {
            return self.reject(client, Some(spec), err);
        }
        if crate::pause::postpones(&mut self.server, &mut self.clients, client, spec, args, now) {
            return 0;
        }
        if let Err(oom) = crate::eviction::before_command(&mut self.server, spec, now) {
            return self.reject(client, Some(spec), oom);
        }
        if let Some(busy) = self.server.scripting.busy_error().filter(|_| !spec.has(flags::ALLOW_BUSY)) {
            return self.reject(client, Some(spec), busy);
        }
        client.last_cmd = spec.name;
        if client.tx.in_multi() && !crate::transaction::runs_in_multi(spec) {
            return self.queue(client, spec, args);
        }
        if !matches!(spec.exec, Exec::Core(_)) {
            client.host_command = Some(args.iter().map(|a| a.to_vec()).collect());
            return status::HOST_COMMAND;
        }
        let mark = self.out.buf.len();
        self.server.prepare_key_journal(client.db);
        self.server.pubsub.own.begin(client, mark);
        let mut ctx =
            Ctx { server: &mut self.server, client, others: &mut self.clients, out: &mut self.out, now, spec };
        let started = *tick;
        call(&mut ctx, args, tick);
        let usec = tick.duration_since(started).as_micros() as u64;
        self.server.flush_key_journal();
        self.server.pubsub.own.finish(&mut self.out.buf, &mut self.server.events);
        if crate::commands::monitor::shown(&self.server, spec) {
            crate::commands::monitor::feed(&mut self.server, client, args);
        }
        crate::diagnostics::after_command(&mut self.server, client, spec, args, usec, now);
        if let Some(state) = &mut client.blocked {
            // A handler may have stored a rewritten command (XREAD's `$`).
            if state.argv.is_empty() {
                state.argv = args.iter().map(|a| a.to_vec()).collect();
            }
            state.duration_us = usec;
            for key in &state.keys {
                self.server.blocking.add(state.db, key, client.handle);
                self.server.dbs[state.db].add_waiter(key);
            }
        }
        self.apply_reply_mode(client, mark);
        self.out.proto = client.proto;
        if client.host_command.is_some() {
            // EXEC reached a command the host answers.
            return status::HOST_COMMAND;
        }
        if client.close_after_reply {
            status::CLOSE
        } else {
            0
        }
    }

    /// Goes on with an EXEC that stopped at a host command; returns
    /// `HOST_COMMAND` if it stopped at another.
    fn resume_exec(&mut self, client: &mut Client) -> u32 {
        let spec = self.server.commands.get(b"exec").expect("EXEC is declared");
        let now = self.server.clock.now_ms();
        self.out.proto = client.proto;
        let mut ctx =
            Ctx { server: &mut self.server, client, others: &mut self.clients, out: &mut self.out, now, spec };
        crate::commands::transactions::resume_exec(&mut ctx);
        if client.host_command.is_some() {
            return status::HOST_COMMAND;
        }
        crate::persistence::propagate::commit(&mut self.server);
        if !self.server.blocking.is_empty() {
            self.serve_blocked(client);
        }
        0
    }

    /// A command refused before it ran (unknown, arity, auth …); a known
    /// command counts it as a rejected call, as INFO commandstats shows.
    fn reject(&mut self, client: &mut Client, spec: Option<&'static CommandSpec>, err: CmdError) -> u32 {
        let mark = self.out.buf.len();
        client.tx.flag_error();
        crate::tracking::command_done(client, spec.map(|s| s.name));
        if let Some(spec) = spec {
            self.server.stats.commands.entry(spec.name).rejected_calls += 1;
        }
        let err = match spec {
            Some(s) if s.name == "exec" => crate::transaction::abort_exec(&mut self.server, client, &err),
            _ => err,
        };
        self.error_reply(&err);
        self.apply_reply_mode(client, mark);
        0
    }

    fn error_reply(&mut self, err: &CmdError) {
        reply_error(&mut self.server, &mut self.out, err);
    }

    /// Between MULTI and EXEC: Redis's remaining checks, then the command
    /// joins the queue and the client is told QUEUED.
    fn queue(&mut self, client: &mut Client, spec: &'static CommandSpec, args: &[&[u8]]) -> u32 {
        if crate::transaction::refused_in_multi(spec) {
            return self.reject(client, Some(spec), crate::transaction::NOT_IN_MULTI);
        }
        let mark = self.out.buf.len();
        let doomed = self.server.watches.is_dirty(client.handle);
        client.tx.queue(spec, args, doomed);
        self.out.simple("QUEUED");
        self.apply_reply_mode(client, mark);
        0
    }

    fn apply_reply_mode(&mut self, client: &mut Client, mark: usize) {
        match client.reply_mode {
            ReplyMode::On => {}
            ReplyMode::Off => self.out.buf.truncate(mark),
            ReplyMode::Skip => {
                self.out.buf.truncate(mark);
                client.reply_mode = ReplyMode::On;
            }
            ReplyMode::SkipNext => client.reply_mode = ReplyMode::Skip,
        }
    }

    /// Serves clients waiting on keys that got data, re-running their
    /// commands in the order they blocked, until no key is left ready (a
    /// served command may itself make another key ready: BLMOVE).
    fn serve_blocked(&mut self, current: &mut Client) {
        loop {
            let mut ready = Vec::new();
            for (db, d) in self.server.dbs.iter_mut().enumerate() {
                ready.extend(d.take_ready().into_iter().map(|k| (db, k)));
            }
            if ready.is_empty() {
                return;
            }
            for (db, key) in ready {
                for handle in self.server.blocking.waiters(db, &key) {
                    if handle != current.handle && self.awaits_value_of(handle, db, &key) {
                        self.rerun_blocked(handle);
                    }
                }
            }
        }
    }

    /// Whether `key` now holds the type of value the blocked client waits for.
    fn awaits_value_of(&self, handle: u32, db: usize, key: &[u8]) -> bool {
        let awaits = match self.client(handle).and_then(|c| c.blocked.as_ref()) {
            Some(state) => state.awaits,
            None => return false,
        };
        awaits.wakes_on(self.server.dbs[db].keys().get(key))
    }

    /// Runs a blocked client's command again; unless it blocks again, its
    /// reply goes out as an event and the client is free to go on.
    fn rerun_blocked(&mut self, handle: u32) {
        let Some(mut client) = self.clients.get_mut(handle as usize).and_then(Option::take) else {
            return;
        };
        let argv = client.blocked.as_ref().map(|b| b.argv.clone()).unwrap_or_default();
        let spec = argv.first().and_then(|name| self.server.commands.get(name));
        if let (Some(spec), Exec::Core(handler)) = (spec, spec.map_or(Exec::Host, |s| s.exec)) {
            let args: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
            let mut out = Reply { buf: Vec::new(), proto: client.proto };
            client.reprocessing = true;
            client.still_blocked = false;
            let now = self.server.clock.now_ms();
            self.server.dbs[client.db].set_now(now);
            let mut ctx = Ctx {
                server: &mut self.server,
                client: &mut client,
                others: &mut self.clients,
                out: &mut out,
                now,
                spec,
            };
            let frame = crate::persistence::propagate::enter(ctx.server, ctx.client.db, true);
            let outcome = handler(&mut ctx, &args);
            crate::persistence::propagate::leave(ctx.server, &args, frame, true);
            self.server.flush_key_journal();
            client.reprocessing = false;
            if !client.still_blocked {
                if let Err(e) = outcome {
                    self.server.stats.total_error_replies += 1;
                    out.error(e.text());
                }
                unblock(&mut self.server, &mut client, Some(out.buf));
            }
        }
        self.clients[handle as usize] = Some(client);
    }

    /// Replies to blocked clients whose deadline has passed.
    fn expire_blocked(&mut self, now: i64) {
        for i in 0..self.clients.len() {
            let due = matches!(&self.clients[i], Some(c) if c.blocked.as_ref().and_then(|b| b.deadline).is_some_and(|d| d <= now));
            if due {
                let mut client = self.clients[i].take().expect("checked above");
                time_out(&mut self.server, &mut client);
                self.clients[i] = Some(client);
            }
        }
    }

    /// CONFIG RESETSTAT: counters back to zero, as Redis's `resetServerStats`.
    pub fn reset_stats(&mut self) {
        crate::commands::server::reset_stats(&mut self.server);
    }

    /// Periodic work, called `hz` times a second by the host: active expiry.
    /// Returns true when it produced events for the host (timed-out waiters).
    pub fn tick(&mut self) -> bool {
        let now = self.server.clock.now_ms();
        self.sample_metrics();
        crate::persistence::cron(&mut self.server, now);
        crate::pause::end_if_over(&mut self.server, &mut self.clients, now);
        if !self.server.blocking.is_empty() {
            self.expire_blocked(now);
        }
        if self.server.scripting.paused_client().is_some() {
            // The dataset is the script's until it ends: no active expiry.
            self.resume_script();
        } else if self.server.config.active_expire_enabled {
            self.active_expire(now);
        }
        crate::tracking::end_of_turn(&mut self.server, None, &mut self.clients, None);
        crate::eviction::on_tick(&mut self.server, now);
        crate::persistence::propagate::commit(&mut self.server);
        !self.server.events.is_empty()
    }

    /// Runs a script paused past busy-reply-threshold for one tick's worth
    /// of time; when it ends, its reply goes to its client as an event.
    fn resume_script(&mut self) {
        let Some(paused) = self.server.scripting.paused_client() else { return };
        let Some(spec) = self.server.commands.get(b"eval") else { return };
        let slice = std::time::Duration::from_millis(1000 / self.server.config.hz.max(1) as u64);
        let slot = self.clients.get_mut(paused.handle as usize).and_then(Option::take);
        let (mut client, attached) = match slot {
            Some(c) if c.id == paused.client_id => (c, true),
            other => {
                // The client left: the script still runs to its end, as in Redis.
                if let Some(c) = other {
                    self.clients[paused.handle as usize] = Some(c);
                }
                (Box::new(Client::new(paused.client_id, paused.handle, ConnInfo::default(), paused.now, true)), false)
            }
        };
        let mut out = Reply { buf: Vec::new(), proto: client.proto };
        let mut ctx = Ctx {
            server: &mut self.server,
            client: &mut client,
            others: &mut self.clients,
            out: &mut out,
            now: paused.now,
            spec,
        };
        if let Some(outcome) = crate::scripting::resume_paused(&mut ctx, slice) {
            if let Err(e) = outcome {
                let stats = &mut self.server.stats;
                stats.total_error_replies += 1;
                *stats.errors.entry(e.text().split(' ').next().unwrap_or("ERR").to_string()).or_default() += 1;
                out.error(e.text());
            }
            if attached {
                unblock(&mut self.server, &mut client, Some(out.buf));
            }
            if !self.server.blocking.is_empty() {
                self.serve_blocked(&mut client);
            }
        }
        if attached {
            self.clients[paused.handle as usize] = Some(client);
        }
    }

    fn sample_metrics(&mut self) {
        // Rates are measured in real time even when a test froze the clock.
        let wall =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
        let (stats, m) = (&self.server.stats, &mut self.server.metrics);
        m.ops.sample(wall, stats.total_commands_processed);
        m.net_input.sample(wall, stats.total_net_input_bytes);
        m.net_output.sample(wall, stats.total_net_output_bytes);
        if let Some(probe) = self.server.memory_probe {
            m.peak_memory = m.peak_memory.max(probe());
        }
    }

    fn active_expire(&mut self, now: i64) {
        if self.server.pause.holds_dataset(now) {
            return;
        }
        // Redis's default effort: at most 25% of each tick's period.
        let budget_us = 250_000 / self.server.config.hz.max(1) as u64;
        let started = Instant::now();
        // Each database counts what it expires (lazily or here); INFO sums them.
        for db in &mut self.server.dbs {
            db.active_expire(now, || started.elapsed().as_micros() as u64 >= budget_us);
        }
        self.server.flush_key_journal();
        crate::diagnostics::latency::sample_if_over(&mut self.server, "expire-cycle", started.elapsed(), now);
    }
}

/// Takes a client off every key it waits on; `reply` (if any) goes out to
/// it, and the host is asked to run whatever it sent meanwhile.
pub(crate) fn unblock(server: &mut Server, client: &mut Client, reply: Option<Vec<u8>>) {
    let Some(state) = client.blocked.take() else { return };
    crate::diagnostics::after_unblock(server, client, &state);
    // Its reply goes out now, which Redis counts as an interaction (`timeout`).
    client.last_interaction_ms = server.clock.now_ms();
    for key in &state.keys {
        server.blocking.remove(state.db, key, client.handle);
        server.dbs[state.db].remove_waiter(key);
    }
    if let Some(bytes) = reply {
        if !bytes.is_empty() {
            server.events.send(client.handle, bytes);
        }
    }
    server.events.resumes.push(client.handle);
}

/// Ends a client's wait with the timeout reply, a null array (deadline
/// passed, or CLIENT UNBLOCK … TIMEOUT).
pub(crate) fn time_out(server: &mut Server, client: &mut Client) {
    if client.blocked.is_none() {
        return;
    }
    let mut out = Reply { buf: Vec::new(), proto: client.proto };
    out.null_array();
    unblock(server, client, Some(out.buf));
}
