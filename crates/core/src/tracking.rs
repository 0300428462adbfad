//! Server-assisted client-side caching (CLIENT TRACKING), as Redis 7.2's
//! `tracking.c` does it.
//!
//! - Default mode: after a read-only command, its keys are remembered for
//!   the client that read them; when one of them changes
//!   ([`Server::signal_modified`]) every client that may cache it gets one
//!   invalidation and the key is forgotten.
//! - BCAST mode: clients subscribe to key prefixes; changed keys matching a
//!   prefix are collected and sent as one batch per event-loop turn
//!   ([`end_of_turn`]).
//! - FLUSHDB/FLUSHALL invalidate everything with a null payload.
//!
//! Invalidations are queued while a command runs and delivered when it
//! ends ([`deliver`]), because only then can every connection be reached:
//! to another client as an event, to the running client after its reply
//! (Redis defers those too, so a push never splits a reply). A message
//! goes to the client itself as a RESP3 push, or to its REDIRECT client: a
//! RESP3 push, or for a RESP2 client in Pub/Sub mode a message on the
//! `__redis__:invalidate` channel.

mod keys;

use std::collections::{BTreeMap, BTreeSet};

use foldhash::HashMap;

use crate::client::Client;
use crate::engine::{Ctx, Server};
use crate::resp::writer::{Protocol, Reply};

pub use keys::command_keys;

/// One connection's tracking settings (Redis's CLIENT_TRACKING_* flags).
#[derive(Default, Clone, Debug)]
pub struct ClientTracking {
    pub on: bool,
    pub bcast: bool,
    pub optin: bool,
    pub optout: bool,
    /// CLIENT CACHING yes|no was given for the next command.
    pub caching: bool,
    pub noloop: bool,
    /// The redirect client was gone when an invalidation was due.
    pub broken_redirect: bool,
    /// CLIENT ID that receives the invalidations; 0 = this connection.
    pub redirect: u64,
    /// BCAST prefixes, in byte order as Redis lists them.
    pub prefixes: BTreeSet<Vec<u8>>,
}

impl ClientTracking {
    /// Whether the keys of a read-only command just run are to be
    /// remembered (Redis's `trackingRememberKeys` conditions).
    #[inline]
    pub fn remembers_reads(&self) -> bool {
        self.on && !self.bcast && !((self.optin && !self.caching) || (self.optout && self.caching))
    }
}

/// What the server knows about a tracking client without reaching it.
#[derive(Clone, Copy, Debug)]
struct Tracker {
    handle: u32,
    bcast: bool,
    noloop: bool,
    /// The redirect client's id (0 = none) and its handle when it was named.
    redirect: u64,
    redirect_handle: u32,
}

/// A prefix of BCAST mode: the keys changed under it this turn (with the
/// id of the client that changed each last, for NOLOOP) and its clients.
#[derive(Default)]
struct Broadcast {
    keys: BTreeMap<Vec<u8>, Option<u64>>,
    clients: Vec<u64>,
}

/// The value part of an invalidation message.
#[derive(Clone, Debug)]
enum Payload {
    /// One key: sent as a one-element array.
    Key(Vec<u8>),
    /// Everything (a flush): a null in the tracking client's protocol.
    All,
    /// A BCAST batch, already encoded as an array of keys.
    Encoded(Vec<u8>),
}

#[derive(Default)]
pub struct Tracking {
    /// Set once a client enabled tracking (Redis allocates its tables then).
    started: bool,
    /// Key → ids of the clients that may cache it.
    table: HashMap<Vec<u8>, Vec<u64>>,
    total_items: usize,
    trackers: HashMap<u64, Tracker>,
    prefixes: BTreeMap<Vec<u8>, Broadcast>,
    /// The client whose command is running (NOLOOP and deferral).
    current: Option<u64>,
    /// Invalidations not yet delivered: (tracking client id, payload).
    pending: Vec<(u64, Payload)>,
    /// Turns in a row that ended with the table still over its limit.
    over_limit_turns: u32,
}

impl Tracking {
    pub(crate) fn set_current(&mut self, id: Option<u64>) {
        self.current = id;
    }

    /// INFO's `tracking_clients`.
    pub fn clients(&self) -> usize {
        self.trackers.len()
    }

    /// INFO's `tracking_total_keys`.
    pub fn total_keys(&self) -> usize {
        self.table.len()
    }

    /// INFO's `tracking_total_items`.
    pub fn total_items(&self) -> usize {
        self.total_items
    }

    /// INFO's `tracking_total_prefixes`.
    pub fn total_prefixes(&self) -> usize {
        self.prefixes.len()
    }

    /// Whether another prefix of this client would invalidate the same keys.
    fn overlaps(a: &[u8], b: &[u8]) -> bool {
        let n = a.len().min(b.len());
        a[..n] == b[..n]
    }

    /// Redis's `enableTracking`, after CLIENT TRACKING ON checked its options.
    pub(crate) fn enable(&mut self, client: &mut Client, options: &ClientTracking, redirect_handle: u32) {
        self.started = true;
        let t = &mut client.tracking;
        t.on = true;
        t.broken_redirect = false;
        t.bcast = options.bcast;
        t.optin = options.optin;
        t.optout = options.optout;
        t.noloop = options.noloop;
        t.redirect = options.redirect;
        if options.bcast {
            let wanted: Vec<Vec<u8>> =
                if options.prefixes.is_empty() { vec![Vec::new()] } else { options.prefixes.iter().cloned().collect() };
            for prefix in wanted {
                let state = self.prefixes.entry(prefix.clone()).or_default();
                if !state.clients.contains(&client.id) {
                    state.clients.push(client.id);
                    t.prefixes.insert(prefix);
                }
            }
        }
        let tracker =
            Tracker { handle: client.handle, bcast: t.bcast, noloop: t.noloop, redirect: t.redirect, redirect_handle };
        self.trackers.insert(client.id, tracker);
    }

    /// Redis's `disableTracking` (CLIENT TRACKING OFF, RESET, disconnect).
    /// The keys it read stay in the table and are skipped when they change.
    pub(crate) fn disable(&mut self, client: &mut Client) {
        let t = &mut client.tracking;
        for prefix in std::mem::take(&mut t.prefixes) {
            if let Some(state) = self.prefixes.get_mut(&prefix) {
                state.clients.retain(|&id| id != client.id);
                if state.clients.is_empty() {
                    self.prefixes.remove(&prefix);
                }
            }
        }
        if t.on {
            self.trackers.remove(&client.id);
            let redirect = t.redirect;
            *t = ClientTracking { redirect, ..ClientTracking::default() };
        }
    }

    /// The error CLIENT TRACKING ON … BCAST replies when `new` prefixes
    /// overlap each other or the client's, with the index Redis's check
    /// returns: on an overlap between two new prefixes past the first,
    /// Redis 7.2 reports it and still enables tracking.
    pub(crate) fn prefix_collision(existing: &BTreeSet<Vec<u8>>, new: &[&[u8]]) -> Option<(String, bool)> {
        let show = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        for (i, p) in new.iter().enumerate() {
            if let Some(old) = existing.iter().find(|old| Self::overlaps(old, p)) {
                let msg = format!(
                    "ERR Prefix '{}' overlaps with an existing prefix '{}'. Prefixes for a single client must not overlap.",
                    show(p),
                    show(old)
                );
                return Some((msg, true));
            }
            if let Some(other) = new[i + 1..].iter().find(|q| Self::overlaps(p, q)) {
                let msg = format!(
                    "ERR Prefix '{}' overlaps with another provided prefix '{}'. Prefixes for a single client must not overlap.",
                    show(p),
                    show(other)
                );
                return Some((msg, i == 0));
            }
        }
        None
    }
}

impl Server {
    /// Redis's `trackingInvalidateKey`: `key` changed, so the clients that
    /// may cache it are told (once), and BCAST prefixes collect it.
    pub(crate) fn tracking_invalidate_key(&mut self, key: &[u8]) {
        let tracking = &mut self.tracking;
        if !tracking.started {
            return;
        }
        let current = tracking.current;
        for (prefix, state) in tracking.prefixes.iter_mut() {
            if key.starts_with(prefix) {
                state.keys.insert(key.to_vec(), current);
            }
        }
        self.tracking_drop_key(key);
    }

    /// Takes `key` out of the table and queues an invalidation for every
    /// client that may cache it (but the one changing it, under NOLOOP).
    fn tracking_drop_key(&mut self, key: &[u8]) {
        let tracking = &mut self.tracking;
        let current = tracking.current;
        let Some(ids) = tracking.table.remove(key) else { return };
        tracking.total_items -= ids.len();
        for id in ids {
            let Some(t) = tracking.trackers.get(&id) else { continue };
            if t.bcast || (t.noloop && current == Some(id)) {
                continue;
            }
            tracking.pending.push((id, Payload::Key(key.to_vec())));
        }
    }

    /// Redis's `trackingInvalidateKeysOnFlush`: every tracking client gets
    /// a null invalidation, and the table is emptied.
    pub(crate) fn tracking_invalidate_on_flush(&mut self) {
        let tracking = &mut self.tracking;
        let mut ids: Vec<u64> = tracking.trackers.keys().copied().collect();
        ids.sort_unstable();
        tracking.pending.extend(ids.into_iter().map(|id| (id, Payload::All)));
        tracking.table.clear();
        tracking.total_items = 0;
    }
}

/// Redis's `trackingRememberKeys`: the keys the running read-only command
/// touched may now be cached by its client.
pub(crate) fn remember_keys(ctx: &mut Ctx, args: &[&[u8]]) {
    if ctx.spec.has(crate::command::spec::flags::PUBSUB) {
        return;
    }
    let id = ctx.client.id;
    let tracking = &mut ctx.server.tracking;
    for i in command_keys(ctx.spec, args) {
        let ids = tracking.table.entry(args[i].to_vec()).or_default();
        if !ids.contains(&id) {
            ids.push(id);
            tracking.total_items += 1;
        }
    }
}

/// Sends the queued invalidations. `current` is the connection being fed
/// (its replies go to `out`); the others are reached through `others` and
/// receive theirs as events. Invalidations for the running client itself
/// wait unless `outermost` (its reply is complete).
pub(crate) fn deliver(
    server: &mut Server,
    mut current: Option<&mut Client>,
    others: &mut [Option<Box<Client>>],
    mut out: Option<&mut Reply>,
    outermost: bool,
) {
    if server.tracking.pending.is_empty() {
        return;
    }
    let pending = std::mem::take(&mut server.tracking.pending);
    let mut kept = Vec::new();
    for (id, payload) in pending {
        let is_current = current.as_deref().is_some_and(|c| c.id == id);
        if is_current && !outermost {
            kept.push((id, payload));
            continue;
        }
        let Some(tracker) = server.tracking.trackers.get(&id).copied() else { continue };
        // The tracking client's protocol picks the null of a flush.
        let Some(tracked_proto) = find(current.as_deref(), others, id, tracker.handle).map(|c| c.proto) else {
            continue;
        };
        let value = match &payload {
            Payload::Key(key) => {
                let mut r = Reply { buf: Vec::new(), proto: tracked_proto };
                r.array_len(1);
                r.bulk(key);
                r.buf
            }
            Payload::All => {
                let mut r = Reply { buf: Vec::new(), proto: tracked_proto };
                r.null();
                r.buf
            }
            Payload::Encoded(bytes) => bytes.clone(),
        };
        let message = if tracker.redirect == 0 {
            // RESP2 has no pushes on a connection that also gets replies.
            (tracked_proto == Protocol::Resp3).then(|| (id, invalidate_push(&value, true)))
        } else {
            let target = find(current.as_deref(), others, tracker.redirect, tracker.redirect_handle)
                .map(|c| (c.proto, c.in_pubsub()));
            match target {
                None => {
                    let tracked = match current.as_deref_mut() {
                        Some(c) if c.id == id => Some(c),
                        _ => others.get_mut(tracker.handle as usize).and_then(|c| c.as_deref_mut()),
                    };
                    if let Some(tracked) = tracked {
                        tracked.tracking.broken_redirect = true;
                    }
                    (tracked_proto == Protocol::Resp3).then(|| (id, redirect_broken_push(tracker.redirect)))
                }
                Some((Protocol::Resp3, _)) => Some((tracker.redirect, invalidate_push(&value, true))),
                Some((Protocol::Resp2, subscribed)) => {
                    subscribed.then(|| (tracker.redirect, invalidate_push(&value, false)))
                }
            }
        };
        let Some((to, bytes)) = message else { continue };
        match current.as_deref() {
            Some(c) if c.id == to => {
                if let Some(out) = out.as_deref_mut() {
                    out.buf.extend_from_slice(&bytes);
                }
            }
            _ => {
                let handle = if to == id { tracker.handle } else { tracker.redirect_handle };
                server.events.send(handle, bytes);
            }
        }
    }
    kept.append(&mut server.tracking.pending);
    server.tracking.pending = kept;
}

/// The connection with `id`, expected at `handle` unless it is `current`.
fn find<'a>(
    current: Option<&'a Client>,
    others: &'a [Option<Box<Client>>],
    id: u64,
    handle: u32,
) -> Option<&'a Client> {
    match current {
        Some(c) if c.id == id => Some(c),
        // A killed connection is gone for Redis at once; here it only waits for the host to close it.
        _ => others.get(handle as usize).and_then(|c| c.as_deref()).filter(|c| c.id == id && !c.close_after_reply),
    }
}

/// `>2 invalidate <value>` (RESP3), or the Pub/Sub message RESP2 redirect
/// clients get on `__redis__:invalidate`.
fn invalidate_push(value: &[u8], resp3: bool) -> Vec<u8> {
    let mut bytes = if resp3 {
        b">2\r\n$10\r\ninvalidate\r\n".to_vec()
    } else {
        b"*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n".to_vec()
    };
    bytes.extend_from_slice(value);
    bytes
}

fn redirect_broken_push(redirect: u64) -> Vec<u8> {
    format!(">2\r\n$21\r\ntracking-redir-broken\r\n:{redirect}\r\n").into_bytes()
}

/// The end of an event-loop turn (a feed, a tick): BCAST batches go out,
/// then every invalidation still waiting. Redis's
/// `trackingBroadcastInvalidationMessages` in `beforeSleep`.
pub(crate) fn end_of_turn(
    server: &mut Server,
    current: Option<&mut Client>,
    others: &mut [Option<Box<Client>>],
    out: Option<&mut Reply>,
) {
    if server.tracking.started {
        limit_table(server);
    }
    let tracking = &mut server.tracking;
    if !tracking.prefixes.is_empty() {
        for state in tracking.prefixes.values_mut() {
            if state.keys.is_empty() {
                continue;
            }
            let keys = std::mem::take(&mut state.keys);
            let everyone = encode_keys(&keys, None);
            for &id in &state.clients {
                let noloop = tracking.trackers.get(&id).is_some_and(|t| t.noloop);
                if !noloop {
                    tracking.pending.push((id, Payload::Encoded(everyone.clone())));
                } else if let Some(own) = Some(encode_keys(&keys, Some(id))).filter(|b| b != b"*0\r\n") {
                    tracking.pending.push((id, Payload::Encoded(own)));
                }
            }
        }
    }
    // A client whose EXEC waits for the host has not finished its reply.
    let replied = current.as_deref().is_none_or(|c| !c.tx.suspended());
    deliver(server, current, others, out, replied);
}

/// Redis's `trackingLimitUsedSlots`: while the table holds more keys than
/// `tracking-table-max-keys`, keys are dropped from it and their clients
/// told, as if the keys had changed. The effort grows with each turn that
/// could not get under the limit (100 keys, then 200 …).
fn limit_table(server: &mut Server) {
    let max_keys = server.config.tracking_table_max_keys as usize;
    let tracking = &mut server.tracking;
    if max_keys == 0 || tracking.table.len() <= max_keys {
        tracking.over_limit_turns = 0;
        return;
    }
    let effort = 100 * (tracking.over_limit_turns as usize + 1);
    let excess = tracking.table.len() - max_keys;
    let victims: Vec<Vec<u8>> = tracking.table.keys().take(effort.min(excess)).cloned().collect();
    // Nobody changed these keys: NOLOOP spares no one.
    let current = tracking.current.take();
    for key in victims {
        server.tracking_drop_key(&key);
    }
    let tracking = &mut server.tracking;
    tracking.current = current;
    if tracking.table.len() <= max_keys {
        tracking.over_limit_turns = 0;
    } else {
        tracking.over_limit_turns += 1;
    }
}

/// The array of `keys`, leaving out those last changed by `skip` (NOLOOP).
fn encode_keys(keys: &BTreeMap<Vec<u8>, Option<u64>>, skip: Option<u64>) -> Vec<u8> {
    let kept: Vec<&Vec<u8>> = keys.iter().filter(|(_, by)| skip.is_none() || **by != skip).map(|(k, _)| k).collect();
    let mut r = Reply { buf: Vec::new(), proto: Protocol::Resp2 };
    r.array_len(kept.len());
    for k in kept {
        r.bulk(k);
    }
    r.buf
}

/// Redis's `resetClient` for tracking: CLIENT CACHING applies to the next
/// command (or transaction) only, so any other command ends it. `name` is
/// the command that just ran or was refused (None: unknown).
#[inline]
pub(crate) fn command_done(client: &mut Client, name: Option<&str>) {
    if client.tracking.caching && !client.tx.in_multi() && !name.is_some_and(|n| n.starts_with("client")) {
        client.tracking.caching = false;
    }
}

/// A connection is going away: it stops tracking.
pub(crate) fn forget(server: &mut Server, client: &mut Client) {
    server.tracking.disable(client);
}

#[cfg(test)]
mod tests;
