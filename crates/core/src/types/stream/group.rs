//! Consumer groups: the last delivered ID, the pending entries list (PEL)
//! of entries delivered but not acknowledged, and the consumers, each with
//! its own view of the PEL. Names and IDs are kept in order as Redis's
//! radix trees keep them, so every listing comes out in Redis's order.

use std::collections::{BTreeMap, BTreeSet};

use super::id::StreamId;

/// Redis's `SCG_INVALID_ENTRIES_READ`: the group's read count is unknown.
pub const INVALID_ENTRIES_READ: i64 = -1;

#[derive(Clone, Debug)]
pub struct Group {
    pub last_id: StreamId,
    /// Entries the group has read, or [`INVALID_ENTRIES_READ`].
    pub entries_read: i64,
    pub pel: BTreeMap<StreamId, Pending>,
    pub consumers: BTreeMap<Vec<u8>, Consumer>,
}

/// A delivered, unacknowledged entry.
#[derive(Clone, Debug)]
pub struct Pending {
    /// The consumer that owns it.
    pub consumer: Vec<u8>,
    /// Unix ms of the last delivery.
    pub delivery_time: i64,
    pub delivery_count: u64,
}

#[derive(Clone, Debug)]
pub struct Consumer {
    /// Unix ms of the last time it was seen by any command.
    pub seen_time: i64,
    /// Unix ms of its last successful read or claim; -1 if never.
    pub active_time: i64,
    /// The IDs of its pending entries.
    pub pel: BTreeSet<StreamId>,
}

impl Consumer {
    pub fn new(now: i64) -> Consumer {
        Consumer { seen_time: now, active_time: -1, pel: BTreeSet::new() }
    }
}

impl Group {
    pub fn new(last_id: StreamId, entries_read: i64) -> Group {
        Group { last_id, entries_read, pel: BTreeMap::new(), consumers: BTreeMap::new() }
    }

    /// Creates `name` if it does not exist; true if it was created.
    pub fn create_consumer(&mut self, name: &[u8], now: i64) -> bool {
        if self.consumers.contains_key(name) {
            return false;
        }
        self.consumers.insert(name.to_vec(), Consumer::new(now));
        true
    }

    /// Deletes a consumer and its pending entries; returns how many it had.
    pub fn delete_consumer(&mut self, name: &[u8]) -> Option<usize> {
        let consumer = self.consumers.remove(name)?;
        for id in &consumer.pel {
            self.pel.remove(id);
        }
        Some(consumer.pel.len())
    }

    /// Acknowledges `id`; true if it was pending.
    pub fn ack(&mut self, id: StreamId) -> bool {
        match self.pel.remove(&id) {
            Some(p) => {
                if let Some(c) = self.consumers.get_mut(&p.consumer) {
                    c.pel.remove(&id);
                }
                true
            }
            None => false,
        }
    }

    /// Records a delivery of `id` to `consumer` at `now` (XREADGROUP): a new
    /// entry joins the PEL, one already pending moves to `consumer` with its
    /// count reset to 1.
    pub fn deliver(&mut self, id: StreamId, consumer: &[u8], now: i64) {
        if let Some(old) = self.pel.get(&id).map(|p| p.consumer.clone()) {
            if let Some(c) = self.consumers.get_mut(&old) {
                c.pel.remove(&id);
            }
        }
        self.pel.insert(id, Pending { consumer: consumer.to_vec(), delivery_time: now, delivery_count: 1 });
        if let Some(c) = self.consumers.get_mut(consumer) {
            c.pel.insert(id);
        }
    }

    /// Moves pending `id` to `consumer` (XCLAIM, XAUTOCLAIM), creating the
    /// PEL entry when `force` asks for it.
    pub fn transfer(&mut self, id: StreamId, consumer: &[u8]) {
        let Some(p) = self.pel.get_mut(&id) else { return };
        if p.consumer.as_slice() != consumer {
            let old = std::mem::replace(&mut p.consumer, consumer.to_vec());
            if let Some(c) = self.consumers.get_mut(&old) {
                c.pel.remove(&id);
            }
            if let Some(c) = self.consumers.get_mut(consumer) {
                c.pel.insert(id);
            }
        }
    }

    pub fn heap_size(&self) -> usize {
        const PEL_SLOT: usize = 16 + std::mem::size_of::<Pending>() + 16;
        let pel: usize = self.pel.values().map(|p| PEL_SLOT + p.consumer.len()).sum();
        let consumers: usize = self.consumers.iter().map(|(n, c)| n.len() + 64 + c.pel.len() * 24).sum();
        std::mem::size_of::<Group>() + pel + consumers
    }
}
