//! Snapshots for BGSAVE and BGREWRITEAOF without forking and without
//! copying the dataset: the databases are *captured* (see
//! [`crate::keyspace::db::capture`]) and a thread writes what the capture
//! sends.
//!
//! The server's side starts a capture ([`begin`]) and walks it on in steps
//! between its other work ([`step`]; the host calls it each event-loop turn
//! while one runs); writes that reach a key first send it themselves. The
//! thread's side ([`drain`]) hands each key to a [`Sink`], the file format.

use std::io;
use std::sync::Arc;
use std::time::Duration;

use crate::engine::Server;
use crate::keyspace::db::capture::{Channel, Item, MAX_IN_FLIGHT};
use crate::persistence::rdb::writer::{DbRef, RdbWriter};
use crate::types::Value;

/// Keys one [`step`] copies at most: a few hundred microseconds of work, so
/// clients wait for it no longer than for a busy turn's reads.
pub const STEP_KEYS: usize = 2048;

/// A file format being written key by key.
pub trait Sink {
    fn entry(&mut self, db: usize, key: &[u8], value: &Value, expire_at: Option<i64>, meta: u32) -> io::Result<()>;
}

impl<W: io::Write> Sink for RdbWriter<W> {
    fn entry(&mut self, db: usize, key: &[u8], value: &Value, expire_at: Option<i64>, meta: u32) -> io::Result<()> {
        RdbWriter::entry(self, db, key, value, expire_at, meta)
    }
}

/// The sizes of the databases a file holds, for its RESIZEDB hints:
/// (index, keys, deadlines).
pub type Sizes = Vec<(usize, u64, u64)>;

/// The sizes of `dbs` as they are.
pub fn sizes(dbs: &[DbRef]) -> Sizes {
    dbs.iter().map(|db| (db.index, db.keys.len() as u64, db.expires.len() as u64)).collect()
}

/// Starts capturing every non-empty database; the server side of the
/// capture runs until [`step`] finishes it or [`abandon`] stops it.
pub fn begin(server: &mut Server) -> (Arc<Channel>, Sizes) {
    let channel = Channel::new();
    let mut sizes = Vec::new();
    for (index, db) in server.dbs.iter_mut().enumerate().filter(|(_, db)| !db.is_empty()) {
        sizes.push((index, db.len() as u64, db.expires_len() as u64));
        db.begin_capture(index, channel.clone());
    }
    server.persistence.capture = Some(channel.clone());
    server.persistence.capture_news = true;
    (channel, sizes)
}

/// What [`step`] left.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// No capture runs (any more).
    Done,
    /// More to copy: call again soon.
    More,
    /// The thread has enough copies to write for now: call again later.
    Waiting,
}

/// Walks the capture on by up to `budget` keys.
pub fn step(server: &mut Server, budget: usize) -> Progress {
    let Some(channel) = server.persistence.capture.clone() else { return Progress::Done };
    if channel.is_closed() {
        // The thread stopped early (an error): nothing more is wanted.
        abandon(server);
        return Progress::Done;
    }
    let mut budget = budget;
    let mut done = true;
    for db in server.dbs.iter_mut().filter(|db| db.is_capturing()) {
        if budget == 0 || channel.in_flight() >= MAX_IN_FLIGHT {
            db.flush_capture();
            done = false;
        } else if !db.capture_step(&mut budget) {
            done = false;
        }
    }
    if done {
        channel.send(Item::End);
        server.persistence.capture = None;
        Progress::Done
    } else if channel.in_flight() >= MAX_IN_FLIGHT {
        Progress::Waiting
    } else {
        Progress::More
    }
}

/// Walks the capture to its end now (SAVE, SHUTDOWN and tests wait for a
/// running BGSAVE), pausing while the thread catches up.
pub fn complete(server: &mut Server) {
    loop {
        match step(server, STEP_KEYS) {
            Progress::Done => return,
            Progress::More => {}
            Progress::Waiting => std::thread::sleep(Duration::from_micros(200)),
        }
    }
}

/// Stops the capture under way, if any: every key counts as captured
/// again and the thread is told to stop reading.
pub fn abandon(server: &mut Server) {
    if let Some(channel) = server.persistence.capture.take() {
        for db in &mut server.dbs {
            db.abandon_capture();
        }
        channel.close();
    }
}

/// Hands every key of `dbs` to `sink` (a save from the tables themselves).
pub fn feed_tables(dbs: &[DbRef], sink: &mut dyn Sink) -> io::Result<()> {
    for db in dbs {
        for (key, value, meta) in db.keys.iter_with_meta() {
            let expire_at = if db.expires.is_empty() { None } else { db.expires.get(key).copied() };
            sink.entry(db.index, key, value, expire_at, meta)?;
        }
    }
    Ok(())
}

/// The thread's side: hands every key the capture sends to `sink` until its
/// end; `on_key` hears the count every 1024 keys and stops the save by
/// returning false. Returns how many keys were written. However it ends,
/// the channel is closed, so the server stops sending.
pub fn drain(channel: &Channel, sink: &mut dyn Sink, mut on_key: impl FnMut(u64) -> bool) -> io::Result<u64> {
    let cancelled = || io::Error::new(io::ErrorKind::Interrupted, "save cancelled");
    let mut keys = 0u64;
    let mut one = |db: usize, key: &[u8], value: &Value, at: Option<i64>, meta: u32| -> io::Result<()> {
        sink.entry(db, key, value, at, meta)?;
        keys += 1;
        if keys.is_multiple_of(1024) && !on_key(keys) {
            return Err(cancelled());
        }
        Ok(())
    };
    let result = loop {
        let step = match channel.recv() {
            None => Err(cancelled()),
            Some(Item::End) => break Ok(()),
            Some(Item::Records { records, bytes }) => {
                let r = records.iter().try_for_each(|r| one(r.db, &r.key, &r.value, r.expire_at, r.meta));
                drop(records);
                channel.written(bytes);
                r
            }
            Some(Item::Rest { db, keys: table, expires }) => table.pending().try_for_each(|(key, value, meta)| {
                let at = if expires.is_empty() { None } else { expires.get(key).copied() };
                one(db, key, value, at, meta)
            }),
        };
        if let Err(e) = step {
            break Err(e);
        }
    };
    channel.close();
    result.map(|()| keys)
}
