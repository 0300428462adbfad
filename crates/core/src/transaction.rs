//! MULTI/EXEC state and WATCH, as Redis 7.2 keeps them.
//!
//! A client's queued commands and its "previous error" mark live on the
//! client ([`Transaction`]); which clients watch which keys lives on the
//! server ([`Watches`]), because a write from any connection must find the
//! watchers of the key it changed. The commands themselves are in
//! `commands::transactions`.

use foldhash::{HashMap, HashSet};

use crate::client::Client;
use crate::command::errors::CmdError;
use crate::command::spec::{flags, CommandSpec};
use crate::engine::{Ctx, Server};
use crate::resp::writer::Reply;

/// Redis's `multiCmd`: one command queued between MULTI and EXEC.
pub struct Queued {
    pub spec: &'static CommandSpec,
    pub argv: Vec<Vec<u8>>,
}

/// One client's transaction (Redis's `mstate` and its MULTI/DIRTY_EXEC flags).
#[derive(Default)]
pub struct Transaction {
    /// MULTI was sent and neither EXEC nor DISCARD ended it.
    in_multi: bool,
    /// A command was refused while queueing: EXEC will abort.
    aborted: bool,
    queue: Vec<Queued>,
    /// Redis's `argv_len_sums`: queued arguments' bytes plus a pointer each.
    queued_bytes: usize,
    /// EXEC is running the queue: blocking commands answer at once.
    pub(crate) executing: bool,
    /// EXEC stopped at a command the host answers; these run after it.
    pub(crate) rest: Option<Vec<Queued>>,
    /// Commands EXEC took out of the queue to run.
    taken: usize,
}

/// Redis's `watchedKey`, as seen from the key's side.
#[derive(Clone, Copy)]
struct Watcher {
    handle: u32,
    db: usize,
    /// The key was already logically expired when it was watched.
    expired: bool,
}

/// What a client watches, as seen from the client's side.
struct Watched {
    db: usize,
    key: Vec<u8>,
    /// The key's deadline when it was watched, if it had one still ahead:
    /// EXEC aborts once it has passed, whether or not the key was reclaimed.
    deadline: Option<i64>,
}

/// Every WATCH of every client.
#[derive(Default)]
pub struct Watches {
    /// Key name → its watchers in every database (looked up by the bytes a
    /// write has in hand, with no copy).
    by_key: HashMap<Vec<u8>, Vec<Watcher>>,
    by_client: HashMap<u32, Vec<Watched>>,
    /// Clients whose watched keys changed (Redis's CLIENT_DIRTY_CAS).
    dirty: HashSet<u32>,
}

pub const EXECABORT: CmdError = CmdError::Static("EXECABORT Transaction discarded because of previous errors.");
pub const NOT_IN_MULTI: CmdError = CmdError::Static("ERR Command not allowed inside a transaction");

impl Transaction {
    pub fn in_multi(&self) -> bool {
        self.in_multi
    }

    pub fn begin(&mut self) {
        self.in_multi = true;
    }

    /// Redis's `flagTransaction`: an error while queueing dooms the EXEC.
    pub fn flag_error(&mut self) {
        if self.in_multi {
            self.aborted = true;
        }
    }

    pub fn aborted(&self) -> bool {
        self.aborted
    }

    /// The queue's length, counting the commands EXEC is running: Redis
    /// frees its queue only once EXEC ends, and CLIENT LIST shows it.
    pub(crate) fn queued_total(&self) -> usize {
        self.queue.len() + self.taken
    }

    /// EXEC is waiting for the host to answer one of its commands.
    #[inline]
    pub fn suspended(&self) -> bool {
        self.rest.is_some()
    }

    /// Queues a command. A doomed transaction keeps nothing: EXEC will not
    /// run it anyway (Redis skips the copy too).
    pub fn queue(&mut self, spec: &'static CommandSpec, args: &[&[u8]], doomed: bool) {
        if self.aborted || doomed {
            return;
        }
        self.queued_bytes += args.iter().map(|a| a.len() + 8).sum::<usize>();
        self.queue.push(Queued { spec, argv: args.iter().map(|a| a.to_vec()).collect() });
    }

    /// The commands queued so far (CLIENT PAUSE WRITE holds an EXEC that would write).
    pub fn queued_specs(&self) -> impl Iterator<Item = &'static CommandSpec> + '_ {
        self.queue.iter().map(|q| q.spec)
    }

    /// The commands queued so far with their arguments (a queued script's
    /// declared flags decide whether a WRITE pause holds the EXEC).
    pub fn queued(&self) -> impl Iterator<Item = &Queued> + '_ {
        self.queue.iter()
    }

    /// Takes the queued commands for EXEC.
    pub fn take_queue(&mut self) -> Vec<Queued> {
        self.taken = self.queue.len();
        std::mem::take(&mut self.queue)
    }

    /// Leaves MULTI state (EXEC's end, DISCARD, RESET).
    pub fn clear(&mut self) {
        *self = Transaction::default();
    }

    /// CLIENT LIST's `multi`: the queue length, or -1 outside MULTI.
    pub fn queued_count(&self) -> i64 {
        if self.in_multi {
            self.queued_total() as i64
        } else {
            -1
        }
    }

    /// CLIENT LIST's `multi-mem`: what the queued arguments take.
    pub fn queue_memory(&self) -> usize {
        self.queued_bytes
    }
}

impl Watches {
    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    pub fn is_dirty(&self, handle: u32) -> bool {
        self.dirty.contains(&handle)
    }

    /// How many clients watch keys (Redis 7.4's INFO `watching_clients`).
    pub fn watching_clients(&self) -> usize {
        self.by_client.len()
    }

    /// Distinct (database, key) pairs watched (Redis 7.4's INFO `total_watched_keys`).
    pub fn total_watched_keys(&self) -> usize {
        let mut pairs: Vec<(usize, &[u8])> =
            self.by_key.iter().flat_map(|(k, ws)| ws.iter().map(move |w| (w.db, k.as_slice()))).collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs.len()
    }

    /// Redis's `unwatchAllKeys`; the dirty mark stays (UNWATCH clears it).
    fn unwatch_keys(&mut self, handle: u32) {
        let Some(list) = self.by_client.remove(&handle) else { return };
        for w in list {
            if let Some(watchers) = self.by_key.get_mut(&w.key) {
                watchers.retain(|x| !(x.handle == handle && x.db == w.db));
                if watchers.is_empty() {
                    self.by_key.remove(&w.key);
                }
            }
        }
    }

    /// Forgets everything about a client (UNWATCH, EXEC, DISCARD, disconnect).
    pub fn forget(&mut self, handle: u32) {
        self.unwatch_keys(handle);
        self.dirty.remove(&handle);
    }
}

impl Server {
    /// WATCH key: remembers the key for `handle` in database `db`.
    pub fn watch_key(&mut self, handle: u32, db: usize, key: &[u8], now: i64) {
        let list = self.watches.by_client.entry(handle).or_default();
        if list.iter().any(|w| w.db == db && w.key == key) {
            return;
        }
        let deadline = self.dbs[db].expire_at(key);
        let expired = self.dbs[db].keys().contains(key) && deadline.is_some_and(|at| at <= now);
        list.push(Watched { db, key: key.to_vec(), deadline: deadline.filter(|_| !expired) });
        self.watches.by_key.entry(key.to_vec()).or_default().push(Watcher { handle, db, expired });
    }

    /// Redis's `touchWatchedKey`: `key` changed, so every client watching it
    /// will fail its EXEC.
    pub(crate) fn touch_watched_key(&mut self, db: usize, key: &[u8]) {
        if self.watches.by_key.is_empty() {
            return;
        }
        let Some(watchers) = self.watches.by_key.get_mut(key) else { return };
        let present = self.dbs[db].keys().contains(key);
        let mut marked = Vec::new();
        for w in watchers.iter_mut().filter(|w| w.db == db) {
            if w.expired {
                if !present {
                    // The expired key is gone now: logically nothing changed.
                    w.expired = false;
                    continue;
                }
                // Redis 7.2 stops at a watcher of a still-present expired
                // key and leaves the rest of the list untouched.
                break;
            }
            marked.push(w.handle);
        }
        for handle in marked {
            self.watches.dirty.insert(handle);
            // A dirty client need not be found again: drop its watches.
            self.watches.unwatch_keys(handle);
        }
    }

    /// Redis's `touchAllWatchedKeysInDb`: database `emptied` is flushed or
    /// (SWAPDB) replaced by `replaced_with`. Called before the change; a
    /// watch is broken if its key exists on either side.
    pub(crate) fn touch_all_watched_in_db(&mut self, emptied: usize, replaced_with: Option<usize>, now: i64) {
        if self.watches.by_key.is_empty() {
            return;
        }
        let mut marked = Vec::new();
        for (key, watchers) in self.watches.by_key.iter_mut() {
            if !watchers.iter().any(|w| w.db == emptied) {
                continue;
            }
            let in_emptied = self.dbs[emptied].keys().contains(key);
            let other = replaced_with.map(|r| &self.dbs[r]);
            let in_other = other.is_some_and(|d| d.keys().contains(key));
            if !in_emptied && !in_other {
                continue;
            }
            let other_expired = other.is_some_and(|d| d.is_expired(key, now));
            for w in watchers.iter_mut().filter(|w| w.db == emptied) {
                if w.expired {
                    if !in_other {
                        w.expired = false;
                        continue;
                    } else if other_expired {
                        continue;
                    }
                } else if !in_emptied && other_expired {
                    // A missing key replaced by an already expired one.
                    w.expired = true;
                    continue;
                }
                marked.push(w.handle);
            }
        }
        self.watches.dirty.extend(marked);
    }

    /// Redis's `isWatchedKeyExpired`: a key `handle` watched while it was
    /// alive has logically expired since.
    pub fn watched_key_expired(&self, handle: u32, now: i64) -> bool {
        self.watches
            .by_client
            .get(&handle)
            .is_some_and(|list| list.iter().any(|w| w.deadline.is_some_and(|at| at <= now)))
    }

    /// FLUSHDB / FLUSHALL (`db` None): Redis's `signalFlushedDb`, called
    /// before the data goes. Breaks watches and invalidates every tracking
    /// client's cache.
    pub fn signal_flushed_db(&mut self, db: Option<usize>, now: i64) {
        let dbs = match db {
            Some(d) => d..d + 1,
            None => 0..self.dbs.len(),
        };
        for d in dbs {
            self.touch_all_watched_in_db(d, None, now);
        }
        self.tracking_invalidate_on_flush();
    }

    /// SWAPDB a b, called before the swap.
    pub fn signal_swapped_dbs(&mut self, a: usize, b: usize, now: i64) {
        self.touch_all_watched_in_db(a, Some(b), now);
        self.touch_all_watched_in_db(b, Some(a), now);
    }
}

/// Redis's `execCommandAbort`: EXEC itself was refused before running
/// (arity, authentication), inside MULTI or not. The transaction (and every
/// watch) is dropped and the refusal is told as an EXECABORT; Redis's own
/// refusal texts carry no `ERR ` there.
pub fn abort_exec(server: &mut Server, client: &mut Client, err: &CmdError) -> CmdError {
    client.tx.clear();
    server.watches.forget(client.handle);
    let reason = err.text();
    let reason = reason.strip_prefix("ERR ").unwrap_or(reason);
    CmdError::Owned(format!("EXECABORT Transaction discarded because of: {reason}"))
}

/// Whether a command is refused between MULTI and EXEC (Redis's no-multi flag).
pub fn refused_in_multi(spec: &CommandSpec) -> bool {
    spec.has(flags::NO_MULTI)
}

/// Commands that run at once even inside MULTI; every other one is queued.
pub fn runs_in_multi(spec: &CommandSpec) -> bool {
    matches!(spec.name, "exec" | "discard" | "multi" | "watch" | "quit" | "reset")
}

/// Inside EXEC a blocking command must not block: it answers as if its
/// timeout had passed, as Redis's CLIENT_DENY_BLOCKING makes it. True when
/// it answered (the caller returns without blocking).
pub(crate) fn refuse_block(ctx: &mut Ctx) -> bool {
    if !ctx.client.tx.executing {
        return false;
    }
    timed_out_reply(ctx.spec, ctx.out);
    true
}

/// What a blocking command answers where it may not block (EXEC, scripts):
/// BLMOVE and BRPOPLPUSH a null bulk, the others a null array.
pub(crate) fn timed_out_reply(spec: &CommandSpec, out: &mut Reply) {
    if matches!(spec.name, "blmove" | "brpoplpush") {
        out.null();
    } else {
        out.null_array();
    }
}
