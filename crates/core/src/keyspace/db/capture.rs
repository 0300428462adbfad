//! A point-in-time copy of the databases without copying them: what BGSAVE
//! and BGREWRITEAOF write, in place of the pages a forked child would share.
//!
//! When a capture begins every key is *pending* (one bit in its table entry,
//! see [`Table::begin_capture`]). Pending keys reach the saving thread in
//! one of two ways, whichever comes first:
//! - the capture's cursor walks each table and sends a copy of every
//!   pending entry (in steps, between the server's other work), or
//! - a write is about to change or delete a pending key: the keyspace sends
//!   a copy of it as it still is, then lets the write go on.
//!
//! Either way the entry is then captured, so it is sent once, and keys
//! created after the start are never pending. The file therefore holds the
//! dataset exactly as it was when the capture began, while memory grows
//! only by the copies on their way to the thread ([`MAX_IN_FLIGHT`]) and by
//! the keys written before the cursor got to them — a forked Redis copies
//! a whole 4 KB page for each of those.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};

use crate::keyspace::{SmallBytes, Table};
use crate::types::Value;

/// Copies the cursor may have on their way to the thread before it waits
/// for the thread to catch up (copies made ahead of writes do not wait).
pub const MAX_IN_FLIGHT: usize = 8 << 20;

/// Copies are handed to the thread in batches of about this many bytes.
const BATCH_BYTES: usize = 256 << 10;

/// One key as the capture saw it.
pub struct Record {
    /// The database it was in when the capture began (SWAPDB moves
    /// databases, not their captures).
    pub db: usize,
    pub key: SmallBytes,
    pub value: Value,
    pub expire_at: Option<i64>,
    /// Access bits (the file's idle time or frequency).
    pub meta: u32,
}

impl Record {
    fn bytes(&self) -> usize {
        std::mem::size_of::<Record>() + self.key.heap_size() + self.value.heap_size()
    }
}

/// What the saving thread receives.
pub enum Item {
    Records {
        records: Vec<Record>,
        bytes: usize,
    },
    /// A whole table the keyspace let go of (FLUSHDB, FLUSHALL, a load):
    /// its pending entries are the rest of that database.
    Rest {
        db: usize,
        keys: Table<Value>,
        expires: Table<i64>,
    },
    /// Every pending key has been sent.
    End,
}

/// The queue between the keyspace and the saving thread.
#[derive(Default)]
pub struct Channel {
    queue: Mutex<VecDeque<Item>>,
    ready: Condvar,
    /// Bytes of records sent and not yet written.
    in_flight: AtomicUsize,
    /// The thread stopped (done, failed or cancelled): sending is pointless.
    closed: AtomicBool,
}

impl Channel {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// Hands `item` to the thread; dropped if it stopped reading.
    pub fn send(&self, item: Item) {
        if self.is_closed() {
            return;
        }
        if let Item::Records { bytes, .. } = &item {
            self.in_flight.fetch_add(*bytes, Ordering::Relaxed);
        }
        self.queue.lock().unwrap_or_else(|e| e.into_inner()).push_back(item);
        self.ready.notify_one();
    }

    /// The next item, waiting for one; `None` once the channel is closed.
    pub fn recv(&self) -> Option<Item> {
        let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
        loop {
            if self.is_closed() {
                return None;
            }
            if let Some(item) = queue.pop_front() {
                return Some(item);
            }
            queue = self.ready.wait(queue).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The thread wrote `bytes` of records.
    pub fn written(&self, bytes: usize) {
        self.in_flight.fetch_sub(bytes, Ordering::Relaxed);
    }

    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Relaxed)
    }

    /// The thread says it reads no more; what is queued is dropped.
    pub fn close(&self) {
        let dropped = {
            let mut queue = self.queue.lock().unwrap_or_else(|e| e.into_inner());
            self.closed.store(true, Ordering::Relaxed);
            std::mem::take(&mut *queue)
        };
        self.in_flight.store(0, Ordering::Relaxed);
        self.ready.notify_all();
        // Freed outside the lock: a handed-over table may be large.
        drop(dropped);
    }

    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Relaxed)
    }
}

/// One database's part of a capture.
pub struct Capture {
    db: usize,
    /// Entries at this index and above were captured; the walk goes down.
    cursor: usize,
    batch: Vec<Record>,
    batch_bytes: usize,
    channel: Arc<Channel>,
}

impl Capture {
    pub fn new(db: usize, keys: &mut Table<Value>, channel: Arc<Channel>) -> Self {
        keys.begin_capture();
        Capture { db, cursor: keys.len(), batch: Vec::new(), batch_bytes: 0, channel }
    }

    /// Copies the entry at `index` of `keys` if it is pending.
    fn take(&mut self, keys: &mut Table<Value>, expires: &Table<i64>, index: usize) -> bool {
        let Some((key, value, meta)) = keys.capture_at(index) else { return false };
        let expire_at = if expires.is_empty() { None } else { expires.get(key).copied() };
        let record = Record { db: self.db, key: key.clone(), value: value.clone(), expire_at, meta };
        self.batch_bytes += record.bytes();
        self.batch.push(record);
        if self.batch_bytes >= BATCH_BYTES {
            self.flush();
        }
        true
    }

    /// Copies `key` before a write changes it, if it is still pending.
    #[inline]
    pub fn preserve(&mut self, keys: &mut Table<Value>, expires: &Table<i64>, key: &[u8]) {
        if let Some(index) = keys.pending_index(key) {
            self.take(keys, expires, index);
        }
    }

    /// Walks the cursor down by up to `*budget` entries; true once the
    /// whole table is walked.
    pub fn step(&mut self, keys: &mut Table<Value>, expires: &Table<i64>, budget: &mut usize) -> bool {
        self.cursor = self.cursor.min(keys.len());
        while self.cursor > 0 && *budget > 0 {
            self.cursor -= 1;
            if self.take(keys, expires, self.cursor) {
                *budget -= 1;
            }
        }
        self.flush();
        self.cursor == 0
    }

    /// Sends what is batched.
    pub fn flush(&mut self) {
        if !self.batch.is_empty() {
            let records = std::mem::take(&mut self.batch);
            self.channel.send(Item::Records { records, bytes: std::mem::take(&mut self.batch_bytes) });
        }
    }

    /// The keyspace lets go of its tables: what is pending in them goes to
    /// the thread as they are, and the (now empty) table needs no walk.
    pub fn hand_over(&mut self, keys: Table<Value>, expires: Table<i64>) {
        self.flush();
        self.cursor = 0;
        if keys.pending().next().is_some() {
            self.channel.send(Item::Rest { db: self.db, keys, expires });
        }
    }
}

#[cfg(test)]
#[path = "capture_tests.rs"]
mod tests;
